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
DETECTORS: dict[str, Detector] = {}


def detector(name: str) -> Callable[[Detector], Detector]:
    def register(fn: Detector) -> Detector:
        DETECTORS[name] = fn
        return fn
    return register


from . import credit, framing, generic, impact, negotiation, risk, story  # noqa: E402,F401  (registration)
