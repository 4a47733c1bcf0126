"""Quantities in an answer and the role each plays.

Interviewers hear "95 % accuracy" (a model metric) very differently from "cut warranty claims by
$2.3 M" (impact). We find quantities with patterns over the normalised text (spaCy's NER splits
"$2.3 M" and misses "three weeks"), optionally add NER entities the patterns missed, and give each
a role from the nearest cue word in its clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMWORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|a\s+hundred|a\s+thousand|dozen|a\s+dozen|half\s+a|"
    r"several|a\s+couple\s+of)"
)
_NUM = r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s?(?:k|K|m|M|mm|MM|mn|bn|B|million|billion|thousand|lakh|crore))?\b"
_RANGE_SEP = r"\s?(?:-|to|and)\s?"
_CUR = r"(?:[$€£¥₹]|USD\s?|EUR\s?|GBP\s?)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("money", re.compile(
        rf"{_CUR}{_NUM}{_SCALE}(?:{_RANGE_SEP}{_CUR}?{_NUM}{_SCALE})?"
        rf"|{_NUM}{_SCALE}\s?(?:dollars|euros|pounds|USD|EUR)\b", re.I)),
    ("percent", re.compile(
        rf"{_NUM}\s?%?(?:{_RANGE_SEP}{_NUM})?\s?(?:%|percent\b|per\s?cent\b|pct\b|percentage\s+points?\b|pp\b|bps\b|basis\s+points\b)",
        re.I)),
    ("duration", re.compile(
        rf"(?<![\w.])(?:{_NUM}|{_NUMWORD}|a|an|one)(?:{_RANGE_SEP}(?:{_NUM}|{_NUMWORD}))?[\s-]?"
        r"(?:business\s+|working\s+|calendar\s+)?"
        r"(?:ms|milliseconds?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|quarters?|years?|sprints?)\b",
        re.I)),
    ("multiplier", re.compile(rf"{_NUM}\s?[x×](?![\w])|\b(?:two|three|four|five|ten)-?fold\b|\b(?:doubled|tripled|halved)\b", re.I)),
    ("ratio", re.compile(rf"{_NUM}\s?(?:in|out\s+of)\s?{_NUM}\b|(?<![\w.:]){_NUM}:\d+(?![\w:])", re.I)),
    ("score", re.compile(r"(?<![\w.])(?:0?\.\d+|1\.0)(?![\w.%])")),
    ("count", re.compile(rf"{_NUM}{_SCALE}|\b{_NUMWORD}\b(?=\s+[a-z])", re.I)),
]

_YEARISH = re.compile(r"^(?:19|20)\d\d$")

MODEL_CUES = re.compile(
    r"\b(?:accura\w*|auc|roc|f1|f-1|precision|recall|sensitivity|specificity|latency|"
    r"rmse|mae|mape|bleu|rouge|perplexity|loss|error\s+rate|false[- ](?:positive|negative)s?(?:\s+rate)?|"
    r"top-?\d+|hit\s+rate|map|ndcg|validation\s+set|test\s+set|benchmark|inference|throughput|"
    r"confidence\s+interval|p-?value|r2|r-squared|model\s+score|uptime|word\s+error\s+rate|"
    r"mean\s+(?:absolute|squared)\s+error|absolute\s+error|gini|hold-?out|held-?out|leaderboard|dice|iou|"
    r"pass\s+rate|detection\s+rate|hallucination\s+rate|calibration|kappa|log\s?loss|character\s+error\s+rate|"
    r"offline|eval|evals|benchmarks)\b",
    re.I)

IMPACT_CUES = re.compile(
    r"\b(?:revenue|sales|cost|costs|sav\w+|churn|retention|conversion|claims?|users?|customers?|"
    r"patients?|clinicians?|drivers?|adoption|nps|csat|engagement|click-?through|ctr|order\s+value|"
    r"aov|downtime|scrap|defects?|crash\w*|accidents?|incidents?|adverse|enrollment|dropout|"
    r"tickets?|calls?|handle\s+time|wait\s+time|time[- ]to[- ]\w+|margin|profit|arr|mrr|gmv|fraud\s+losses|"
    r"chargebacks?|signups?|bookings?|complaints?|readmissions?|no-shows?|deaths?|injur\w+|"
    r"reduc\w*|increas\w*|improv\w*|cut|cutting|grew|grow\w*|lift\w*|boost\w*|lower\w*|rais\w*|"
    r"sav(?:e|ed|ing)|prevent\w*|avoid\w*|freed|won|gain\w*)\b",
    re.I)

_SAVING_BEFORE = re.compile(r"\b(?:sav|cut|reduc|shorten|trim|shav|lower|freed|faster|fewer|less)\w*\b[^.;]*$", re.I)

SALARY_CUES = re.compile(
    r"\b(?:salary|base|bonus|equity|sign-?on|offer|compensation|comp|package|stock|rsus?|"
    r"relocation|pay|paid|earning|earn|raise)\b", re.I)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    kind: str


def find_quantities(norm: str) -> list[Quantity]:
    """All non-overlapping quantities, earlier-listed kinds winning overlaps."""
    taken = bytearray(len(norm))  # 1 where a quantity already stands: O(1) overlap test
    found: list[Quantity] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(norm):
            s, e = m.span()
            while e > s and norm[e - 1] in " -":
                e -= 1
            if e <= s or any(taken[s:e]):
                continue
            token = norm[s:e]
            if kind == "count":
                if _YEARISH.match(token) or _attached_to_word(norm, s, e):
                    continue
            if kind == "score" and _attached_to_word(norm, s, e):
                continue
            taken[s:e] = b"\x01" * (e - s)
            found.append(Quantity(s, e, kind))
    found.sort(key=lambda q: q.start)
    return found


def add_entity_quantities(found: list[Quantity], ents: list[tuple[int, int, str]]) -> list[Quantity]:
    """Add NER MONEY/PERCENT/QUANTITY spans the patterns missed (e.g. "two million dollars")."""
    kinds = {"MONEY": "money", "PERCENT": "percent", "QUANTITY": "count"}
    extra = [
        Quantity(s, e, kinds[label]) for s, e, label in ents
        if label in kinds and not any(s < q.end and q.start < e for q in found)
    ]
    return sorted(found + extra, key=lambda q: q.start) if extra else found


def _attached_to_word(norm: str, s: int, e: int) -> bool:
    """GPT-4, Q2, CAR-T, 3D, Phase-2: digits glued to letters are names, not quantities."""
    before = norm[s - 2:s] if s >= 2 else norm[:s]
    after = norm[e:e + 1]
    if after.isalpha() and after.lower() not in "kmbx":
        return True
    return bool(before) and (before[-1].isalpha() or (before.endswith("-") and before[:1].isalpha()))


def metric_role(norm: str, q: Quantity, clause_start: int, clause_end: int) -> str:
    """impact | model | other, from the closest cue inside the clause around the quantity."""
    window = norm[clause_start:clause_end]
    if q.kind == "money":
        return "other" if SALARY_CUES.search(window) else "impact"
    if q.kind == "duration" and norm[q.start:q.end].lower().endswith(("ms", "milliseconds", "millisecond")):
        return "model"
    here = (q.start + q.end) // 2 - clause_start
    best_model = _closest(MODEL_CUES, window, here)
    best_impact = _closest(IMPACT_CUES, window, here)
    if best_model is None and best_impact is None:
        return "other"
    if best_impact is None or (best_model is not None and best_model <= best_impact):
        return "model"
    if q.kind == "duration" and not _SAVING_BEFORE.search(norm[max(clause_start, q.start - 40):q.start]):
        return "other"  # "within three months" is a timeline, "saved three weeks" is impact
    return "impact"


def _closest(pattern: re.Pattern[str], window: str, here: int) -> int | None:
    best: int | None = None
    for m in pattern.finditer(window):
        d = 0 if m.start() <= here <= m.end() else min(abs(m.start() - here), abs(m.end() - here))
        if best is None or d < best:
            best = d
    return best
