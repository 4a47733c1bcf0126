"""What every ``starlint check`` reporter views, and the one reporter interface.

A :class:`CheckResult` holds the library's :class:`~evaluator.report.Report` per answer and every
reported finding placed in its file (:class:`FileFinding`). Reporters are functions
``render(result, out)``; they format, they never re-score.
"""

from __future__ import annotations

import importlib
from collections import Counter
from dataclasses import dataclass
from typing import Protocol, TextIO

from ..report import SEVERITY_RANK, Finding, Report
from ..rubric import RuleSpec

FORMATS = ("text", "line", "json", "sarif", "junit", "github")
SEVERITIES = ("error", "warning", "suggestion")  # loudest first

# Findings about the document rather than the answer's content. Ordinary rule ids: they can be
# suppressed with the same comments, and SARIF lists them with the rubric rules.
_SOURCE = "starlint check"
CHECK_RULES: dict[str, RuleSpec] = {spec.id: spec for spec in (
    RuleSpec(id="invalid-directive", detector="invalid-directive", level="warning", source=_SOURCE,
             message="This starlint comment cannot be applied as written, so it changes nothing.",
             suggestion="Use <!-- starlint-disable RULE... -->, <!-- starlint-enable -->, "
                        "<!-- starlint-ignore RULE... \"exact phrase\" --> or <!-- starlint rubric=ID -->, "
                        "with rule ids from `starlint rubrics show ID`."),
    RuleSpec(id="below-min-score", detector="below-min-score", level="error", source=_SOURCE,
             message="The answer scores below the minimum this project requires (min_score).",
             suggestion="Fix the findings in the answer and complete the missing STAR parts, "
                        "then check again; `starlint score` shows the full breakdown."),
    RuleSpec(id="unscorable-answer", detector="unscorable-answer", level="error", source=_SOURCE,
             message="The answer cannot be scored as written.",
             suggestion="Split it under separate headings, or raise --max-chars."),
)}


def gates(severity: str, fail_on: str) -> bool:
    """True when a finding of ``severity`` fails a check run with ``--fail-on fail_on``."""
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[fail_on]


@dataclass(frozen=True)
class FileFinding:
    """A finding placed in its file: 1-based lines and columns (code points); the end is exclusive."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    finding: Finding

    @property
    def rule(self) -> str:
        return self.finding.rule

    @property
    def severity(self) -> str:
        return self.finding.severity

    @property
    def message(self) -> str:
        return self.finding.message

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.end_line, self.end_column, self.message)


@dataclass(frozen=True)
class CheckedAnswer:
    path: str
    question: str | None  # None: the whole document is one answer
    line: int             # where the answer's section starts
    rubric: str
    report: Report | None  # the library's Report, minus suppressed findings; None if unscorable
    findings: tuple[FileFinding, ...]  # reported, sorted; includes check findings in the section
    suppressed: int = 0


@dataclass(frozen=True)
class CheckResult:
    files: tuple[str, ...]
    answers: tuple[CheckedAnswer, ...]
    findings: tuple[FileFinding, ...]  # every reported finding, sorted by file, line, column, rule
    rules: dict[str, RuleSpec]         # metadata of every rule that could report (SARIF)
    mode: str
    fail_on: str = "error"
    min_score: int = 0

    @property
    def failed(self) -> bool:
        return any(gates(f.severity, self.fail_on) for f in self.findings)

    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in SEVERITIES}


class Reporter(Protocol):
    def __call__(self, result: CheckResult, out: TextIO) -> None: ...


_MODULES = {"text": "check_text", "json": "json_format"}


def reporter(name: str) -> Reporter:
    """The ``render`` function of format ``name`` (one of :data:`FORMATS`)."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}")
    return importlib.import_module(f"{__package__}.{_MODULES.get(name, name)}").render  # type: ignore[no-any-return]
