"""``starlint score`` and ``starlint schema``."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..errors import StarlintError
from ..report import Report
from . import app, fail


class ScoreFormat(str, Enum):
    text = "text"
    json = "json"


class ModeOpt(str, Enum):
    rules = "rules"
    full = "full"


def read_input(file: str) -> str:
    if file == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        p = Path(file)
        if not p.is_file():
            raise fail(f"{file}: no such file")
        data, name = p.read_bytes(), file
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"{name}: not UTF-8 text (byte {exc.start}); re-save it as UTF-8") from None


@app.command()
def score(
    file: str = typer.Argument("-", help="Answer file, or - for standard input."),
    rubric: str = typer.Option("general", "--rubric", "-r", help="Rubric id or path to a YAML file."),
    mode: ModeOpt = typer.Option(ModeOpt.full, "--mode", "-m", help="full: parse + models; rules: fast lexical checks."),
    fmt: ScoreFormat = typer.Option(ScoreFormat.text, "--format", "-f"),
    max_chars: int = typer.Option(20000, "--max-chars", help="Reject answers longer than this."),
) -> None:
    """Score one answer and print the report."""
    from ..pipeline import Evaluator

    text = read_input(file)
    try:
        report = Evaluator(rubric=rubric, mode=mode.value, max_chars=max_chars).evaluate(text)
    except StarlintError as exc:
        raise fail(str(exc)) from None
    if fmt is ScoreFormat.json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        from ..formats.text import render

        render(report, Console(), title=None if file == "-" else file)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the Report."""
    typer.echo(json.dumps(Report.model_json_schema(), indent=2, sort_keys=True))
