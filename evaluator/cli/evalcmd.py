"""``starlint eval``: measured detection quality on the labeled corpus (see models/evaluate.py)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from . import app


class Split(str, Enum):
    dev = "dev"
    test = "test"
    train = "train"
    all = "all"  # every answer of a --data directory (a held-out set)


class EvalMode(str, Enum):
    rules = "rules"
    full = "full"


@app.command("eval")
def eval_(
    split: Split = typer.Option(Split.test, "--split", help="Corpus split to measure on."),
    mode: EvalMode = typer.Option(EvalMode.full, "--mode", help="System under test; baselines run alongside."),
    data: Path = typer.Option(None, "--data", help="Directory of labeled *.jsonl slices (models/data/LABELING.md) "
                              "to measure instead of the bundled corpus; answers keep their id-hash split "
                              "(--split all measures every one of them).",
                              exists=True, file_okay=False, dir_okay=True),
) -> None:
    """Per-component and per-rule precision/recall/F1, macro-F1 and score-vs-quality Spearman,
    with the rules-only and length-only baselines from the same run."""
    from evaluator._models.evaluate import format_table, run

    try:
        results = run(split.value, mode.value, data_dir=data)
    except ValueError as exc:
        typer.echo(f"starlint eval: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(format_table(results, split.value))
