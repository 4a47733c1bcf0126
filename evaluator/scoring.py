"""Rubric criteria and the 0-100 score.

score = 100 * (w_star * STAR completeness + w_impact * impact + w_criteria * mean(criteria))
              / (w_star + w_impact + w_criteria)
        - min(max_penalty, sum of per-finding penalties by severity)

clamped to 0-100, and capped at ``low_confidence_cap`` when the text does not read as an
English answer. In full mode the trained quality model's estimate q (0-1) is blended in:
score = (1 - b) * score + b * 100 * q, with b = ``quality_blend`` from models/artifacts/meta.json.
``impact`` is 1 when some quantity plays an impact role, 0.5 when the answer
has numbers but none of them is impact, else 0. Weights and penalties live in the rubric.
"""

from __future__ import annotations

import numpy as np

from .answer import Answer
from .report import Criterion, Finding, Span, StarScore
from .rubric import Rubric

# Cosine below the floor means unrelated. Set on MiniLM; the static encoder full mode now uses
# spreads cosines alike (paraphrases ~0.45-0.55, unrelated sentences ~0.0-0.2).
_SIM_FLOOR, _SIM_SPAN = 0.25, 0.35


def score_criteria(answer: Answer, rubric: Rubric, sent_vecs: np.ndarray | None,
                   exemplar_vecs: dict[str, np.ndarray] | None) -> list[Criterion]:
    out = []
    for c in rubric.criteria:
        hits = answer.lexicon_hits.get(f"criterion/{c.id}", [])
        distinct = {answer.norm[s:e].lower() for s, e in hits}
        kw_score = min(1.0, len(distinct) / 2.0)
        evidence_starts = [answer.sentence_of(s).start for s, _ in hits]
        sim_score = 0.0
        if sent_vecs is not None and exemplar_vecs and len(sent_vecs) and c.id in exemplar_vecs:
            sims = sent_vecs @ exemplar_vecs[c.id].T  # (n_sent, n_exemplar)
            best = sims.max(axis=1)
            sim_score = float(np.clip((best.max() - _SIM_FLOOR) / _SIM_SPAN, 0.0, 1.0))
            evidence_starts += [answer.sentences[i].start for i in np.argsort(-best)[:2] if best[i] >= 0.45]
        by_start = {s.start: s for s in answer.sentences}
        evidence = [Span(start=st, end=by_start[st].end, text=answer.text[st:by_start[st].end])
                    for st in sorted(set(evidence_starts))[:3]]
        out.append(Criterion(id=c.id, name=c.name, score=round(max(kw_score, sim_score), 4), evidence=evidence))
    return out


def impact_level(answer: Answer) -> float:
    if any(q.role == "impact" for q in answer.quantities):
        return 1.0
    return 0.5 if answer.quantities else 0.0


def combine(rubric: Rubric, star: StarScore, impact: float, criteria: list[Criterion],
            findings: list[Finding], low_confidence: bool,
            quality: tuple[float, float] | None = None) -> int:
    s = rubric.scoring
    parts = [(s.star, star.completeness), (s.impact, impact)]
    if criteria:
        parts.append((s.criteria, sum(c.score for c in criteria) / len(criteria)))
    total_w = sum(w for w, _ in parts) or 1.0
    base = 100.0 * sum(w * v for w, v in parts) / total_w
    penalty = min(s.max_penalty, sum(s.penalties.get(f.severity, 0.0) for f in findings))
    value = min(100.0, max(0.0, base - penalty))
    if quality is not None:
        q, blend = quality
        value = (1.0 - blend) * value + blend * 100.0 * q
    score = int(round(min(100.0, max(0.0, value))))
    return min(score, s.low_confidence_cap) if low_confidence else score
