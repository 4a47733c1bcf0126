"""The coach's picture of a run, per candidate: answers, mean and median score, how often each
STAR component is present, the most frequent anti-patterns, and the weakest answers.

Built by streaming the results file (so a resumed run is summarised whole) with constant memory
per candidate: a score histogram gives the median, a bounded heap keeps the weakest answers.
"""

from __future__ import annotations

import csv
import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..report import STAR_PARTS

UNKNOWN = "(unknown)"
TOP_ANTI_PATTERNS = 3
WEAKEST = 3
_SHORT = {"situation": "S", "task": "T", "action": "A", "result": "R", "reflection": "Refl"}


@dataclass
class WeakAnswer:
    id: str
    question: str
    source: str
    score: int
    findings: list[dict]   # {"rule", "severity", "text", "message"}; rule only from CSV results


@dataclass
class CandidateSummary:
    candidate: str
    answers: int = 0
    failed: int = 0
    score_sum: int = 0
    scores: Counter = field(default_factory=Counter)        # score -> answers
    present: Counter = field(default_factory=Counter)       # STAR part -> answers where present
    anti_patterns: Counter = field(default_factory=Counter)  # rule -> answers where it fired
    _weakest: list = field(default_factory=list)            # heap of (-score, -seq, WeakAnswer)

    @property
    def mean(self) -> float | None:
        return self.score_sum / self.answers if self.answers else None

    @property
    def median(self) -> float | None:
        return median_of(self.scores)

    def coverage(self, part: str) -> float | None:
        return self.present[part] / self.answers if self.answers else None

    def top(self, n: int = TOP_ANTI_PATTERNS) -> list[tuple[str, int]]:
        return sorted(self.anti_patterns.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    @property
    def weakest(self) -> list[WeakAnswer]:
        return [w for _, _, w in sorted(self._weakest, key=lambda e: (-e[0], -e[1]))]


@dataclass
class BulkSummary:
    candidates: list[CandidateSummary]
    histogram: list[int]            # answers per score band: 0-9, 10-19, ..., 90-100
    answers: int
    failed: int
    failures: Counter               # error code -> count
    rubric: str | None = None
    mode: str | None = None

    @property
    def median(self) -> float | None:
        total: Counter = Counter()
        for c in self.candidates:
            total.update(c.scores)
        return median_of(total)

    def anti_pattern_totals(self) -> Counter:
        total: Counter = Counter()
        for c in self.candidates:
            total.update(c.anti_patterns)
        return total


def summarize(rows: Iterable[dict], errors: Iterable[dict] = (), weakest: int = WEAKEST) -> BulkSummary:
    """One pass over the results rows (see :func:`.outputs.read_results`) and error records."""
    by_name: dict[str, CandidateSummary] = {}
    histogram = [0] * 10
    answers = 0
    rubric = mode = None
    for seq, row in enumerate(rows):
        answers += 1
        rubric, mode = row.get("rubric", rubric), row.get("mode", mode)
        c = by_name.setdefault(row["candidate"] or UNKNOWN, CandidateSummary(row["candidate"] or UNKNOWN))
        score = int(row["score"])
        c.answers += 1
        c.score_sum += score
        c.scores[score] += 1
        c.present.update(row["star_present"])
        c.anti_patterns.update(row["findings"])
        histogram[min(score // 10, 9)] += 1
        entry = (-score, -seq, _weak(row))  # keep the lowest scores; the earlier answer on a tie
        if len(c._weakest) < weakest:
            heapq.heappush(c._weakest, entry)
        elif weakest:
            heapq.heappushpop(c._weakest, entry)
    failures: Counter = Counter()
    for rec in errors:
        failures[rec.get("code", "error")] += 1
        if rec.get("candidate"):
            by_name.setdefault(rec["candidate"], CandidateSummary(rec["candidate"])).failed += 1
    candidates = sorted(by_name.values(), key=lambda c: (c.candidate == UNKNOWN, c.candidate.casefold()))
    return BulkSummary(candidates, histogram, answers, sum(failures.values()), failures, rubric, mode)


def median_of(histogram: Counter) -> float | None:
    """Median of the values counted in ``histogram`` (value -> how many)."""
    n = sum(histogram.values())
    if not n:
        return None
    middle, seen, picked = [(n - 1) // 2, n // 2], 0, []
    for value in sorted(histogram):
        seen += histogram[value]
        while middle and middle[0] < seen:
            picked.append(value)
            middle.pop(0)
    return sum(picked) / 2


def _weak(row: dict) -> WeakAnswer:
    report = row.get("report")
    if report:
        findings = [{"rule": f["rule"], "severity": f["severity"], "text": f["text"], "message": f["message"]}
                    for f in report["findings"]]
    else:
        findings = [{"rule": r} for r in row["findings"]]
    return WeakAnswer(row["id"], row["question"], row["source"], int(row["score"]), findings)


def write_csv(summary: BulkSummary, path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["candidate", "answers", "failed", "mean_score", "median_score", *STAR_PARTS,
                    "top_anti_patterns"])
        for c in summary.candidates:
            w.writerow([c.candidate, c.answers, c.failed, _num(c.mean), _num(c.median),
                        *(_num(c.coverage(p), 3) for p in STAR_PARTS),
                        "; ".join(f"{rule} ({n})" for rule, n in c.top())])


def print_table(summary: BulkSummary, console: Console) -> None:
    table = Table(title=f"starlint bulk · {summary.answers:,} answers scored"
                        + (f" · rubric {summary.rubric} · {summary.mode} mode" if summary.rubric else ""),
                  title_justify="left")
    for name, justify in [("Candidate", "left"), ("Answers", "right"), ("Failed", "right"), ("Mean", "right"),
                          ("Median", "right"), *((_SHORT[p], "right") for p in STAR_PARTS),
                          ("Top anti-patterns", "left")]:
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for c in summary.candidates:
        table.add_row(c.candidate, str(c.answers), str(c.failed) if c.failed else "", _num(c.mean), _num(c.median),
                      *(_pct(c.coverage(p)) for p in STAR_PARTS), ", ".join(f"{r} ({n})" for r, n in c.top()))
    console.print(table)


def _num(v: float | None, digits: int = 1) -> str:
    return "" if v is None else f"{v:.{digits}f}"


def _pct(v: float | None) -> str:
    return "" if v is None else f"{100 * v:.0f}%"
