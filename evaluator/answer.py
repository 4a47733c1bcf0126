"""The parsed view of one answer that every detector and scorer reads.

Built once per answer by the pipeline: the spaCy ``Doc`` over the normalised text (same offsets
as the original), sentences with their STAR probabilities, quantities with roles, the answer's
kind, and the character spans of every rubric lexicon that matched.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, LENGTH, LIKE_NUM, LOWER, ORTH, SENT_START, TAG
from spacy.tokens import Doc

from .report import STAR_PARTS


# What the trained sentence scorers estimate per sentence (models/train.py trains exactly these;
# models/data/evidence/ holds the labels of all but self_praise, a proxy from the STAR labels).
SENTENCE_SIGNALS = ("self_praise", "speed", "validation", "safeguard", "risk", "model_metric", "metric_link")


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    star: dict[str, float] = field(default_factory=dict)
    # Sentence-level evidence from the trained scorers (full mode; empty in rules mode):
    # P(self_praise), P(speed boast), P(validation step), P(safeguard), P(risk named), P(model
    # metric), P(metric tied to an outcome). See models/README.md; they feed the answer-level models and the ``signal:``
    # anchors.
    signals: dict[str, float] = field(default_factory=dict)

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


@dataclass(frozen=True)
class TokenTable:
    """The token attributes detectors read, pulled out of the Doc once as arrays and strings.

    Iterating a Doc builds a Python Token object per token, which cost more than tokenising
    itself; every per-token scan (word counts, pronouns, claim verbs, readability) reads these
    columns instead. ``tag``/``is_verb`` are filled only for a parsed (tagged) Doc; a verb is a
    ``VB*`` tag that is not a form of be/have/do (what the attribute ruler would call AUX).
    """

    lower: list[str]
    orth: list[str]
    idx: np.ndarray
    end: np.ndarray
    is_alpha: np.ndarray
    like_num: np.ndarray
    is_punct: np.ndarray
    sent_start: np.ndarray
    tag: list[str] | None
    is_verb: np.ndarray | None

    @classmethod
    def of(cls, doc: Doc, parsed: bool) -> "TokenTable":
        attrs = [LOWER, ORTH, IDX, LENGTH, IS_ALPHA, LIKE_NUM, IS_PUNCT, SENT_START] + ([TAG] if parsed else [])
        arr = doc.to_array(attrs) if len(doc) else np.zeros((0, len(attrs)), dtype=np.uint64)
        strings = doc.vocab.strings
        idx = arr[:, 2].astype(np.int64)
        lower = [strings[h] for h in arr[:, 0].tolist()]
        tag = [strings[h] for h in arr[:, 8].tolist()] if parsed else None
        return cls(
            lower=lower,
            orth=[strings[h] for h in arr[:, 1].tolist()],
            idx=idx, end=idx + arr[:, 3].astype(np.int64),
            is_alpha=arr[:, 4].astype(bool), like_num=arr[:, 5].astype(bool), is_punct=arr[:, 6].astype(bool),
            sent_start=arr[:, 7].astype(np.int64) == 1,
            tag=tag,
            is_verb=np.array([t.startswith("VB") and w not in _AUX for t, w in zip(tag, lower)], dtype=bool)
            if tag is not None else None,
        )

    def sentence_spans(self) -> list[tuple[int, int]]:
        """(start_char, end_char) of each sentence, as ``doc.sents`` gives them (the first token
        always starts one), without building a Span per sentence."""
        n = len(self.lower)
        if not n:
            return []
        starts = np.flatnonzero(self.sent_start).tolist()
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        ends = [*starts[1:], n]
        return [(int(self.idx[a]), int(self.end[b - 1])) for a, b in zip(starts, ends)]

    def __len__(self) -> int:
        return len(self.lower)

    def span(self, i: int) -> tuple[int, int]:
        return int(self.idx[i]), int(self.end[i])

    def range_of(self, start: int, end: int) -> tuple[int, int]:
        """Token indices [lo, hi) of the tokens that start inside chars [start, end)."""
        return int(np.searchsorted(self.idx, start, "left")), int(np.searchsorted(self.idx, end, "left"))


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
    _table: TokenTable | None = field(default=None, repr=False, compare=False)

    @property
    def tokens(self) -> TokenTable:
        """Token columns, built on first use and shared with copies made by ``dataclasses.replace``."""
        if self._table is None:
            self._table = TokenTable.of(self.doc, self.parsed)
        return self._table

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
            t = self.tokens
            n = self.__dict__["_words"] = int(np.count_nonzero(t.is_alpha | t.like_num))
        return n

    def first_person_singular(self) -> list[tuple[int, int]]:
        """Spans of "I"/"I'm"/"I've" acting as a subject (parse if we have one)."""
        t = self.tokens
        out = []
        for i, low in enumerate(t.lower):
            if low != "i" or not (t.orth[i] == "I" or (i + 1 < len(t) and t.orth[i + 1] in _I_CONTRACTIONS)):
                continue
            if not self.parsed or self.doc[i].dep_ in ("nsubj", "nsubjpass"):
                out.append(t.span(i))
        return out


_I_CONTRACTIONS = frozenset(("'m", "'ve", "'d", "'ll"))
_AUX = frozenset("be am is are was were been being 's 're 'm have has had having 've 'd do does did".split())


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
