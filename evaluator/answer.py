"""The parsed view of one answer that every detector and scorer reads.

Built once per answer by the pipeline: the spaCy ``Doc`` over the normalised text (same offsets
as the original), sentences with their STAR probabilities, quantities with roles, the answer's
kind, and the character spans of every rubric lexicon that matched.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from .report import STAR_PARTS


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    star: dict[str, float] = field(default_factory=dict)

    @property
    def label(self) -> str:
        part, p = max(self.star.items(), key=lambda kv: kv[1], default=("other", 0.0))
        return part if p >= 0.5 else "other"


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    kind: str
    role: str


@dataclass
class Answer:
    text: str
    norm: str
    doc: Doc
    sentences: list[Sentence]
    quantities: list[Quantity]
    lexicon_hits: dict[str, list[tuple[int, int]]]
    parsed: bool
    kind: str = "behavioral"

    def hits(self, rule_id: str, lexicon: str) -> list[tuple[int, int]]:
        """Character spans where ``lexicon`` of ``rule_id`` matched, in text order, minus any
        that overlap the rule's ``exceptions`` lexicon ("validation set" is not validation)."""
        found = self.lexicon_hits.get(f"{rule_id}/{lexicon}", [])
        exceptions = self.lexicon_hits.get(f"{rule_id}/exceptions")
        if not exceptions or lexicon == "exceptions":
            return found
        return [(s, e) for s, e in found if not any(s < xe and xs < e for xs, xe in exceptions)]

    def sentence_of(self, offset: int) -> Sentence:
        """The sentence containing ``offset`` (or the one before a gap); O(log n)."""
        starts = self.__dict__.get("_starts")
        if starts is None or len(starts) != len(self.sentences):
            starts = self.__dict__["_starts"] = [s.start for s in self.sentences]
        i = bisect.bisect_right(starts, offset) - 1
        return self.sentences[max(0, i)]

    def in_sentence(self, spans: list[tuple[int, int]], sent: Sentence) -> list[tuple[int, int]]:
        """The spans (sorted by start) that start inside ``sent``; O(log n)."""
        lo = bisect.bisect_left(spans, (sent.start, -1))
        hi = bisect.bisect_left(spans, (sent.end, -1))
        return spans[lo:hi]

    def sentences_labeled(self, part: str) -> list[Sentence]:
        return [s for s in self.sentences if s.label == part]

    def star_present(self, part: str) -> bool:
        return any(s.star.get(part, 0.0) >= 0.5 for s in self.sentences)

    @property
    def word_count(self) -> int:
        n = self.__dict__.get("_words")
        if n is None:
            n = self.__dict__["_words"] = sum(1 for t in self.doc if t.is_alpha or t.like_num)
        return n

    def first_person_singular(self) -> list[tuple[int, int]]:
        """Spans of "I"/"I'm"/"I've" acting as a subject (parse if we have one)."""
        return [(t.idx, t.idx + len(t)) for t in self.doc if _is_i(t) and (not self.parsed or t.dep_ in ("nsubj", "nsubjpass"))]


def _is_i(tok) -> bool:  # noqa: ANN001
    return tok.text == "I" or (tok.lower_ == "i" and tok.i + 1 < len(tok.doc) and tok.nbor().text in ("'m", "'ve", "'d", "'ll"))


ANSWER_KINDS = ("behavioral", "product_case", "negotiation")
_NEGOTIATION = re.compile(r"\b(?:salary|compensation|base pay|base salary|offer|equity|sign-?on|bonus|total package|pay range)\b", re.I)
_MONEY_HINT = re.compile(r"[$€£]\s?\d|\d\s?k\b|\d{2,3},\d{3}", re.I)
_HYPOTHETICAL = re.compile(r"\b(?:I'd|I would|we'd|we would|I will|we will|I'll|we'll|my approach|I'd start|first,? I|I'd propose|would be to)\b", re.I)
_PAST = re.compile(r"\b(?:was|were|had|did|led|built|launched|shipped|worked|joined|managed|ran|decided|realized|noticed)\b", re.I)


def guess_kind(norm: str) -> str:
    """behavioral | product_case | negotiation, from cheap surface cues (good enough to gate
    kind-specific rules such as missing-reflection; a caller may pass the kind explicitly)."""
    if len(_NEGOTIATION.findall(norm)) >= 1 and _MONEY_HINT.search(norm):
        return "negotiation"
    hypothetical = len(_HYPOTHETICAL.findall(norm))
    past = len(_PAST.findall(norm))
    return "product_case" if hypothetical >= 1 and hypothetical * 2 > past else "behavioral"


STAR_ORDER = STAR_PARTS
