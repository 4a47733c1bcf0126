"""Detectors: the small functions behind rubric rules.

A rule is data (its YAML in a rubric: level, message, suggestion, source, lexicons, examples)
plus one detector function of a fixed name, registered here with :func:`detector`. A detector
gets the parsed :class:`~evaluator.answer.Answer` and its :class:`~evaluator.rubric.RuleSpec` and
returns :class:`Hit` spans; the pipeline turns hits into :class:`~evaluator.report.Finding`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from ..answer import Answer
    from ..rubric import RuleSpec


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    confidence: float | None = None


Detector = Callable[["Answer", "RuleSpec"], list[Hit]]
Anchor = Callable[["Answer", "RuleSpec"], list[tuple[int, int]]]
DETECTORS: dict[str, Detector] = {}
ANCHORS: dict[str, Anchor] = {}


def detector(name: str) -> Callable[[Detector], Detector]:
    def register(fn: Detector) -> Detector:
        DETECTORS[name] = fn
        return fn
    return register


def anchor(name: str) -> Callable[[Anchor], Anchor]:
    """Register a named anchor: spans a rule's ``anchors:`` list can name in its YAML."""
    def register(fn: Anchor) -> Anchor:
        ANCHORS[name] = fn
        return fn
    return register


def anchor_spans(answer: "Answer", rule: "RuleSpec") -> list[tuple[int, int]]:
    """Where a finding of this rule could point: the rule's precondition evidence.

    A rule's ``anchors`` name lexicons of the rule, registered anchors (``first-sentence``,
    ``i-claims``...), ``quantities:<role or kind>``, or ``signal:<name>`` (a trained sentence
    scorer's top sentence; full mode only). A trained model may only raise a finding
    where an anchor exists (it decides *whether*; the rule decides *where*).
    """
    if answer.word_count < rule.params.get("min_words", 0):
        return []
    spans: list[tuple[int, int]] = []
    for name in rule.anchors:
        if name in ANCHORS:
            spans += ANCHORS[name](answer, rule)
        elif name.startswith("signal:"):
            spans += _top_signal_sentence(answer, name.split(":", 1)[1])
        elif name.startswith("quantities:"):
            want = name.split(":", 1)[1]
            spans += [(q.start, q.end) for q in answer.quantities if want in (q.role, q.kind)]
        else:
            spans += answer.hits(rule.id, name)
    return sorted(spans)


def _top_signal_sentence(answer: "Answer", signal: str) -> list[tuple[int, int]]:
    """The sentence a trained sentence scorer rates highest for ``signal``, if more likely than
    not: evidence in words no phrase list keeps up with ("nobody outworks me"). Empty in rules
    mode, where no scorer runs."""
    best = max(answer.sentences, key=lambda s: s.signals.get(signal, 0.0), default=None)
    return [(best.start, best.end)] if best is not None and best.signals.get(signal, 0.0) >= 0.5 else []


@anchor("first-sentence")
def _first_sentence(answer: "Answer", rule: "RuleSpec") -> list[tuple[int, int]]:
    return [(answer.sentences[0].start, answer.sentences[0].end)]


@anchor("last-sentence")
def _last_sentence(answer: "Answer", rule: "RuleSpec") -> list[tuple[int, int]]:
    return [(answer.sentences[-1].start, answer.sentences[-1].end)]


from . import credit, framing, generic, impact, negotiation, risk, story  # noqa: E402,F401  (registration)
