"""Generic detectors rubric authors can use for their own rules without writing Python.

- ``phrase``: flag every match of the rule's ``phrases`` lexicon (Vale's "existence").
- ``absence``: flag the answer when none of ``phrases`` occurs (e.g. "never names the customer").
- ``unreadable-answer``: the text does not read as English prose (gibberish, another language).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import Hit, detector

if TYPE_CHECKING:
    from ..answer import Answer
    from ..rubric import RuleSpec


@detector("phrase")
def phrase(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    return [Hit(s, e) for s, e in answer.hits(rule.id, "phrases")]


@detector("absence")
def absence(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    if answer.hits(rule.id, "phrases") or answer.word_count < rule.params.get("min_words", 25):
        return []
    first = answer.sentences[0]
    return [Hit(first.start, first.end)]


# The most frequent English function words: real prose, however odd, is full of them.
_FUNCTION_WORDS = frozenset(
    "the a an and or but of to in on at for with by from as is was were are be been being it its "
    "this that these those i we you he she they my our your their me us them not no so if then "
    "than which who what when where how had has have do did does will would can could should "
    "about into over after before up out more most very also just all some any each".split()
)


_LETTER = re.compile(r"[^\W\d_]")  # letters (str.isalpha, near enough), counted in C


def english_ratio(answer: "Answer") -> tuple[float, int]:
    t = answer.tokens
    words = [w for w, alpha in zip(t.lower, t.is_alpha.tolist()) if alpha]
    if not words:
        return 0.0, 0
    return sum(w in _FUNCTION_WORDS for w in words) / len(words), len(words)


def looks_unreadable(answer: "Answer") -> bool:
    """Cached per answer: the pipeline asks once to gate every rule, the detector asks again."""
    cached = answer.__dict__.get("_unreadable")
    if cached is None:
        cached = answer.__dict__["_unreadable"] = _looks_unreadable(answer)
    return cached


def _looks_unreadable(answer: "Answer") -> bool:
    ratio, n = english_ratio(answer)
    stripped = answer.text.strip()
    if len(stripped) > 20:
        if len(_LETTER.findall(stripped)) < 0.4 * len(stripped):
            return True
    if n < 4:
        return True
    return ratio < 0.12


@detector("unreadable-answer")
def unreadable_answer(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    if not looks_unreadable(answer):
        return []
    stripped = answer.text.strip()
    start = answer.text.index(stripped[0]) if stripped else 0
    return [Hit(start, start + min(len(stripped), 200))]
