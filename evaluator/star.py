"""STAR + reflection per sentence, and the answer-level summary.

Rules mode scores each sentence from the rubric's cue lexicons plus a few structural signals
(an impact number suggests a result, a first-person subject with a verb suggests an action, the
opening sentences usually set the situation). Full mode replaces these scores with the trained
sentence classifier (see :mod:`evaluator.models`) and keeps the cues only as features.
"""

from __future__ import annotations

import bisect

from .answer import Answer, Sentence
from .report import STAR_PARTS, Span, StarComponent, StarScore

_FIRST_PERSON = {"i", "we"}
_HYPOTHETICAL = {"would", "'d", "will", "'ll"}


def cue_features(answer: Answer, sent: Sentence, index: int) -> dict[str, float]:
    """Hand-made signals for one sentence; also used as features by the trained classifier."""
    def cues(part: str) -> float:
        return float(len(answer.in_sentence(answer.lexicon_hits.get(f"star/{part}", []), sent)))

    n = len(answer.sentences)
    q_spans = [(q.start, q.end) for q in answer.quantities]
    lo = bisect.bisect_left(q_spans, (sent.start, -1))
    hi = bisect.bisect_left(q_spans, (sent.end, -1))
    qs = answer.quantities[lo:hi]
    t = answer.tokens
    first, last = t.range_of(sent.start, sent.end)
    subj_verb = 0.0
    for i in range(first, last - 1):
        if t.lower[i] in _FIRST_PERSON:
            nxt = t.lower[i + 1]
            if nxt in _HYPOTHETICAL or t.orth[i + 1].endswith("ed") or (t.is_verb is not None and t.is_verb[i + 1]):
                subj_verb = 1.0
                break
    return {
        **{f"cue_{p}": min(cues(p), 3.0) for p in STAR_PARTS},
        "impact_q": float(any(q.role == "impact" for q in qs)),
        "model_q": float(any(q.role == "model" for q in qs)),
        "any_q": float(bool(qs)),
        "pos": index / max(1, n - 1) if n > 1 else 0.0,
        "first": float(index == 0),
        "last": float(index == n - 1),
        "subj_verb": subj_verb,
    }


def rule_star_scores(answer: Answer) -> None:
    """Fill ``sentence.star`` from cue features (mode=rules)."""
    n = len(answer.sentences)
    for i, sent in enumerate(answer.sentences):
        f = cue_features(answer, sent, i)
        early = 1.0 if f["pos"] <= 0.34 or n <= 2 else 0.0
        scores = {
            "situation": 0.45 * f["cue_situation"] + 0.35 * f["first"] + 0.15 * early,
            "task": 0.6 * f["cue_task"],
            "action": 0.35 * f["cue_action"] + 0.35 * f["subj_verb"] + (0.1 if 0.15 < f["pos"] < 0.9 else 0.0),
            "result": 0.35 * f["cue_result"] + 0.45 * f["impact_q"] + 0.1 * f["model_q"] + 0.1 * f["last"],
            "reflection": 0.7 * f["cue_reflection"],
        }
        sent.star = {p: round(min(1.0, s), 4) for p, s in scores.items()}


def summarize(answer: Answer, weights: dict[str, float]) -> StarScore:
    parts = {}
    for part in STAR_PARTS:
        best = max((s.star.get(part, 0.0) for s in answer.sentences), default=0.0)
        evidence = [Span(start=s.start, end=s.end, text=answer.text[s.start:s.end])
                    for s in answer.sentences if s.label == part]
        present = bool(evidence) or best >= 0.5
        parts[part] = StarComponent(score=round(best, 4), present=present, evidence=evidence[:5])
    total = sum(weights.values()) or 1.0
    completeness = sum(weights.get(p, 0.0) * parts[p].score for p in STAR_PARTS) / total
    return StarScore(**parts, completeness=round(completeness, 4))
