"""``--format github``: GitHub Actions workflow commands, shown as annotations on the diff.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from typing import TextIO

from .base import CheckResult

_COMMAND = {"error": "error", "warning": "warning", "suggestion": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: CheckResult, out: TextIO) -> None:
    for f in result.findings:
        props = (f"file={_property(f.path)},line={f.line},col={f.column},endLine={f.end_line},"
                 f"endColumn={f.end_column},title={_property(f'starlint {f.rule}')}")
        message = _data(f"{f.message}\n→ {f.finding.suggestion}")
        out.write(f"::{_COMMAND[f.severity]} {props}::{message}\n")
