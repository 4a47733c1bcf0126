"""``--format text`` (the default of ``starlint check``): findings grouped by file and answer.

Coloured on a terminal (rich decides; ``NO_COLOR`` is honoured), plain when piped. Lines never
wrap, so the output is the same at any terminal width.
"""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.text import Text

from .base import CheckResult, FileFinding

_STYLE = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}


def _quote(text: str, limit: int = 72) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= limit else text[:limit - 1] + "…"}"'


def _finding(console: Console, f: FileFinding) -> None:
    console.print(Text.assemble(f"    {f.line}:{f.column}".ljust(12), (f"{f.severity:<11}", _STYLE[f.severity]),
                                (f.rule, "bold"), "  ", (_quote(f.finding.text), "italic")))
    console.print(Text(f"{'':12}{f.message}"))
    console.print(Text(f"{'':12}→ {f.finding.suggestion}", style="green"))


def render(result: CheckResult, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True, emoji=False)
    for path in result.files:
        answers = [a for a in result.answers if a.path == path and a.findings]
        in_answers = {f for a in answers for f in a.findings}
        loose = [f for f in result.findings if f.path == path and f not in in_answers]
        if not answers and not loose:
            continue
        console.print(Text(path, style="bold underline"))
        for f in loose:
            _finding(console, f)
        for a in answers:
            score = f"score {a.report.score}/100" if a.report else "not scored"
            console.print(Text.assemble(f"  line {a.line}: ", (a.question or "(whole document)", "bold"),
                                        (f"  ·  rubric {a.rubric}  ·  {score}", "dim")))
            for f in a.findings:
                _finding(console, f)
        console.print()
    counts = result.counts()
    problems = ", ".join(f"{n} {sev}{'s' if n != 1 else ''}" for sev, n in counts.items() if n) or "no problems"
    below = sum(1 for f in result.findings if f.rule == "below-min-score")
    gate = f"; {below} below min score {result.min_score}" if below else ""
    verdict = (Text(f"failed (--fail-on {result.fail_on})", style="bold red") if result.failed
               else Text("passed", style="bold green"))
    console.print(Text.assemble(f"{len(result.answers)} answers in {len(result.files)} files: {problems}{gate}. ",
                                verdict))
