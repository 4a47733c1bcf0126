"""Story-level rules: a behavioral story should end with what the speaker learned."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Hit, detector

if TYPE_CHECKING:
    from ..answer import Answer
    from ..rubric import RuleSpec


@detector("missing-reflection")
def missing_reflection(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """A behavioral story (not a case or a negotiation) with no lesson learned."""
    if answer.kind != "behavioral" or answer.word_count < rule.params.get("min_words", 40):
        return []
    if answer.star_present("reflection") or answer.hits(rule.id, "lesson_cues"):
        return []
    last = answer.sentences[-1]
    return [Hit(last.start, last.end)]
