"""The Evaluator: owns the spaCy pipeline, compiled rubrics and models; turns answers into Reports.

Heavy objects are built once per Evaluator (and spaCy/encoder loads once per process); per-answer
work is linear in the text. ``evaluate_many`` runs spaCy over all texts with ``nlp.pipe`` and
embeds every sentence of every answer in one batched call.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np
from spacy.tokens import Doc

from . import __version__
from .answer import Answer, Quantity, Sentence, TokenTable, guess_kind
from .embed import Encoder
from .errors import AnswerTooLongError, EmptyAnswerError, StarlintError
from .lexicon import LexiconMatcher, rubric_lexicons
from .metrics import add_entity_quantities, find_quantities, metric_role
from .nlp import load_nlp
from .report import Finding, Metric, Report
from .rubric import Rubric, load_rubric
from .rules import DETECTORS
from .rules.generic import looks_unreadable
from .scoring import combine, impact_level, score_criteria
from .star import rule_star_scores, summarize
from .text import LineIndex, normalize

Mode = Literal["rules", "full"]
DEFAULT_MAX_CHARS = int(os.environ.get("STARLINT_MAX_CHARS", "20000"))


@dataclass
class _Compiled:
    rubric: Rubric
    matcher: LexiconMatcher
    exemplar_vecs: dict[str, np.ndarray] | None


class Evaluator:
    """Score interview answers against a rubric.

    >>> ev = Evaluator(rubric="general", mode="rules")
    >>> report = ev.evaluate("I built a 99.9 % accurate model.")
    >>> sorted({f.rule for f in report.findings})
    ['accuracy-without-impact', 'solo-credit']
    """

    def __init__(self, rubric: str | Rubric = "general", mode: Mode = "full",
                 max_chars: int = DEFAULT_MAX_CHARS, trained_models: bool = True,
                 encoder: Encoder | None = None) -> None:
        """``trained_models=False`` keeps full mode's parse and embeddings but uses the rule
        scorers only (training uses it; so can ablations). ``encoder`` replaces the sentence
        encoder (training passes the one it is building models for); with trained models the
        encoder is always the one they were trained on."""
        if mode not in ("rules", "full"):
            raise ValueError(f"mode must be 'rules' or 'full', not {mode!r}")
        self.mode: Mode = mode
        self.max_chars = max_chars
        self.nlp = load_nlp(mode)
        self._compiled: dict[str, _Compiled] = {}
        self._encoder = None
        self._models = None
        if mode == "full":
            from .models import artifact_encoder, load_models

            self._models = load_models(self.nlp) if trained_models else None
            self._encoder = self._models.encoder if self._models else encoder or artifact_encoder()
        self.default_rubric = self._compile(rubric).rubric

    # ------------------------------------------------------------------ public API

    def evaluate(self, text: str, rubric: str | Rubric | None = None, kind: str | None = None) -> Report:
        """Score one answer. Raises EmptyAnswerError / AnswerTooLongError on unusable input."""
        return self.evaluate_many([text], rubric=rubric, kind=kind, return_errors=False)[0]  # type: ignore[return-value]

    def evaluate_many(self, texts: Iterable[str], rubric: str | Rubric | None = None, kind: str | None = None,
                      batch_size: int = 16, n_process: int = 1,
                      return_errors: bool = True) -> list[Report | StarlintError]:
        """Score many answers in one batch. With ``return_errors`` (default) an unusable answer
        yields its error object in place, so one bad answer never sinks the others.

        ``batch_size`` is spaCy's: 16 is as fast as 64 in full mode and keeps the parser's
        per-batch buffers (the peak memory) ~170 MB smaller. Embeddings and the trained models
        still run once over all the answers of the call."""
        compiled = self._compile(rubric) if rubric is not None else self._compiled[self._key(self.default_rubric)]
        texts = list(texts)
        results: list[Report | StarlintError | None] = [None] * len(texts)
        good: list[int] = []
        for i, t in enumerate(texts):
            try:
                self._check(t)
                good.append(i)
            except StarlintError as exc:
                if not return_errors:
                    raise
                results[i] = exc
        docs = self.nlp.pipe((normalize(texts[i]) for i in good), batch_size=batch_size, n_process=n_process)
        answers = [self._answer(texts[i], doc, compiled, kind) for i, doc in zip(good, docs)]
        vecs = self._embed(answers)
        if self._models is not None and answers:
            self._models.prepare(answers, vecs)  # type: ignore[arg-type]  (full mode: vecs are arrays)
        for i, answer, sent_vecs in zip(good, answers, vecs):
            results[i] = self._report(answer, compiled, sent_vecs)
        return results  # type: ignore[return-value]

    def iter_evaluate(self, texts: Iterable[str], chunk_size: int = 256, **kw) -> Iterator[Report | StarlintError]:  # noqa: ANN003
        """Stream results for an unbounded iterable, ``chunk_size`` answers at a time."""
        chunk: list[str] = []
        for t in texts:
            chunk.append(t)
            if len(chunk) >= chunk_size:
                yield from self.evaluate_many(chunk, **kw)
                chunk = []
        if chunk:
            yield from self.evaluate_many(chunk, **kw)

    def rubric(self, ref: str | Rubric | None = None) -> Rubric:
        return self._compile(ref).rubric if ref is not None else self.default_rubric

    # ------------------------------------------------------------------ internals

    def _check(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"answer text must be str, not {type(text).__name__}")
        if not text.strip():
            raise EmptyAnswerError()
        if len(text) > self.max_chars:
            raise AnswerTooLongError(len(text), self.max_chars)

    @staticmethod
    def _key(rubric: Rubric) -> str:
        # content-addressed: a caller may pass an edited Rubric object (config re-levels rules)
        return f"{rubric.id}#{hashlib.sha1(rubric.model_dump_json().encode()).hexdigest()}"

    def _compile(self, ref: str | Rubric) -> _Compiled:
        rubric = load_rubric(ref)
        key = self._key(rubric)
        if key not in self._compiled:
            exemplars = None
            if self._encoder is not None and rubric.criteria:
                exemplars = {c.id: self._encoder.encode(c.exemplars) for c in rubric.criteria if c.exemplars}
            self._compiled[key] = _Compiled(rubric, LexiconMatcher(self.nlp, rubric_lexicons(rubric)), exemplars)
        return self._compiled[key]

    def _answer(self, text: str, doc: Doc, compiled: _Compiled, kind: str | None) -> Answer:
        norm = doc.text
        parsed = doc.has_annotation("DEP")
        tokens = TokenTable.of(doc, parsed)
        sentences = []
        for s_start, s_end in tokens.sentence_spans():
            raw = text[s_start:s_end]
            stripped = raw.strip()
            if not stripped:
                continue
            start = s_start + (len(raw) - len(raw.lstrip()))
            sentences.append(Sentence(start, start + len(stripped), stripped))
        if not sentences:  # e.g. only punctuation; the text is non-empty after strip
            stripped = text.strip()
            start = text.index(stripped)
            sentences = [Sentence(start, start + len(stripped), stripped)]
        found = find_quantities(norm)
        if doc.has_annotation("ENT_IOB"):
            found = add_entity_quantities(found, [(e.start_char, e.end_char, e.label_) for e in doc.ents])
        answer = Answer(text=text, norm=norm, doc=doc, sentences=sentences, quantities=[],
                        lexicon_hits=compiled.matcher(doc, tokens), parsed=parsed,
                        kind=kind or guess_kind(norm), _table=tokens)
        answer.quantities = [
            Quantity(q.start, q.end, q.kind, metric_role(norm, q, *_bounds(answer.sentence_of(q.start))))
            for q in found
        ]
        return answer

    def _embed(self, answers: list[Answer]) -> list[np.ndarray | None]:
        if self._encoder is None:
            return [None] * len(answers)
        flat = [s.text for a in answers for s in a.sentences]
        vecs = self._encoder.encode(flat)  # one batched call for every sentence of every answer
        out, i = [], 0
        for a in answers:
            out.append(vecs[i:i + len(a.sentences)])
            i += len(a.sentences)
        return out

    def _report(self, answer: Answer, compiled: _Compiled, sent_vecs: np.ndarray | None) -> Report:
        rubric = compiled.rubric
        if self._models is None or sent_vecs is None:
            rule_star_scores(answer)  # (with models, prepare() has set every sentence's STAR already)
        low_confidence = looks_unreadable(answer)
        findings = self._findings(answer, rubric, low_confidence, sent_vecs)
        star = summarize(answer, rubric.star_weights)
        criteria = score_criteria(answer, rubric, sent_vecs, compiled.exemplar_vecs)
        metrics = [Metric(text=answer.text[q.start:q.end], kind=q.kind, role=q.role, start=q.start, end=q.end)  # type: ignore[arg-type]
                   for q in answer.quantities]
        impact = impact_level(answer)
        quality = None
        if self._models is not None and sent_vecs is not None and not low_confidence:
            quality = (self._models.quality(answer, sent_vecs), self._models.quality_blend)
        score = combine(rubric, star, impact, criteria, findings, low_confidence, quality)
        return Report(starlint_version=__version__, rubric=rubric.id, mode=self.mode, score=score,
                      confidence="low" if low_confidence else "high", words=answer.word_count, star=star,
                      findings=findings, metrics=metrics, criteria=criteria)

    def _findings(self, answer: Answer, rubric: Rubric, low_confidence: bool,
                  sent_vecs: np.ndarray | None) -> list[Finding]:
        lines = LineIndex.of(answer.text)
        out: list[Finding] = []
        for rule_id in sorted(rubric.rules):
            rule = rubric.rules[rule_id]
            if low_confidence and rule.detector != "unreadable-answer":
                continue  # rules read English prose; on gibberish they would only add noise
            hits = DETECTORS[rule.detector](answer, rule)
            if self._models is not None and sent_vecs is not None:
                hits = self._models.adjust(rule, answer, sent_vecs, hits)
            for h in hits:
                line, col = lines.position(h.start)
                out.append(Finding(rule=rule.id, severity=rule.level, message=rule.message,
                                   suggestion=rule.suggestion, start=h.start, end=h.end, line=line,
                                   column=col, text=answer.text[h.start:h.end], source=rule.source,
                                   confidence=None if h.confidence is None else round(h.confidence, 4)))
        out.sort(key=lambda f: (f.start, f.end, f.rule))
        return out


def _bounds(sentence: Sentence) -> tuple[int, int]:
    return sentence.start, sentence.end


_DEFAULT: dict[tuple[str, str], Evaluator] = {}


def evaluate(text: str, rubric: str = "general", mode: Mode = "full") -> Report:
    """One-off scoring; reuses one Evaluator per (rubric, mode) in this process."""
    key = (rubric, mode)
    if key not in _DEFAULT:
        _DEFAULT[key] = Evaluator(rubric=rubric, mode=mode)
    return _DEFAULT[key].evaluate(text)
