"""``starlint eval``: measured detection quality on the labeled corpus (see models/evaluate.py)."""

from __future__ import annotations

from enum import Enum

import typer

from . import app


class Split(str, Enum):
    dev = "dev"
    test = "test"
    train = "train"


class EvalMode(str, Enum):
    rules = "rules"
    full = "full"


@app.command("eval")
def eval_(
    split: Split = typer.Option(Split.test, "--split", help="Corpus split to measure on."),
    mode: EvalMode = typer.Option(EvalMode.full, "--mode", help="System under test; baselines run alongside."),
) -> None:
    """Per-component and per-rule precision/recall/F1, macro-F1 and score-vs-quality Spearman,
    with the rules-only and length-only baselines from the same run."""
    from evaluator._models.evaluate import format_table, run

    typer.echo(format_table(run(split.value, mode.value), split.value))
