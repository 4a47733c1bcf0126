"""Human-readable report for a terminal (rich): score, STAR bars, findings with the quoted span."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..report import STAR_PARTS, Report

_SEV_STYLE = {"error": "bold red", "warning": "yellow", "suggestion": "cyan"}


def _bar(value: float, width: int = 20) -> Text:
    filled = int(round(value * width))
    style = "green" if value >= 0.66 else "yellow" if value >= 0.33 else "red"
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style="dim")


def render(report: Report, console: Console, title: str | None = None) -> None:
    head = Text.assemble(
        ("Score ", "bold"), (f"{report.score}/100", "bold green" if report.score >= 70 else "bold yellow" if report.score >= 40 else "bold red"),
        f"   rubric {report.rubric} · mode {report.mode} · {report.words} words",
        ("   LOW CONFIDENCE" if report.confidence == "low" else "", "bold red"),
    )
    star = Table.grid(padding=(0, 1))
    for part in STAR_PARTS:
        comp = getattr(report.star, part)
        star.add_row(Text(part.capitalize(), style="bold"), _bar(comp.score), f"{comp.score:.2f}",
                     Text("present" if comp.present else "missing", style="green" if comp.present else "red"))
    star.add_row(Text("Completeness", style="bold"), _bar(report.star.completeness), f"{report.star.completeness:.2f}", "")
    blocks: list = [head, Text(""), star]
    if report.criteria:
        crit = Table.grid(padding=(0, 1))
        for c in report.criteria:
            crit.add_row(Text(c.name, style="bold"), _bar(c.score), f"{c.score:.2f}")
        blocks += [Text(""), Text("Rubric criteria", style="bold underline"), crit]
    if report.metrics:
        blocks += [Text(""), Text("Numbers: ", style="bold") + Text(", ".join(f"{m.text} ({m.role})" for m in report.metrics))]
    blocks.append(Text(""))
    if not report.findings:
        blocks.append(Text("No findings.", style="green"))
    for f in report.findings:
        blocks.append(Text.assemble((f"{f.severity:<10}", _SEV_STYLE[f.severity]), (f.rule, "bold"),
                                    f"  line {f.line}, col {f.column}"))
        blocks.append(Text(f'    "{f.text}"', style="italic"))
        blocks.append(Text(f"    {f.message}"))
        blocks.append(Text(f"    → {f.suggestion}", style="green"))
        blocks.append(Text(f"    source: {f.source}", style="dim"))
    console.print(Panel(Group(*blocks), title=title or "starlint", expand=False))
