"""``--format line``: one finding per line, ``path:line:col: severity rule: message`` (editors, grep)."""

from __future__ import annotations

from typing import TextIO

from .base import CheckResult


def render(result: CheckResult, out: TextIO) -> None:
    for f in result.findings:
        out.write(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule}: {f.message}\n")
