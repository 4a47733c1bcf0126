"""``starlint rubrics list | show ID | validate FILE``."""

from __future__ import annotations

import typer
import yaml

from ..errors import RubricError
from ..rubric import available_rubrics, load_rubric, load_rubric_file
from . import fail, rubrics_app


@rubrics_app.command("list")
def list_() -> None:
    """List the rubrics starlint can find (packaged, then STARLINT_RUBRIC_PATH)."""
    for rid in available_rubrics():
        r = load_rubric(rid)
        typer.echo(f"{rid:<16} {len(r.rules):>2} rules  {r.name}")


@rubrics_app.command("show")
def show(rubric_id: str = typer.Argument(..., help="Rubric id or path.")) -> None:
    """Print a rubric fully resolved (extends applied) as YAML."""
    try:
        r = load_rubric(rubric_id)
    except RubricError as exc:
        raise fail(str(exc)) from None
    data = r.model_dump(exclude={"path"})
    typer.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))


@rubrics_app.command("validate")
def validate(files: list[str] = typer.Argument(..., help="Rubric YAML files.")) -> None:
    """Validate rubric files; prints file:key.path: reason for each problem (exit 2 if any)."""
    bad = 0
    for f in files:
        try:
            r = load_rubric_file(f)
            typer.echo(f"{f}: ok ({r.id}, {len(r.rules)} rules, {len(r.criteria)} criteria)")
        except RubricError as exc:
            typer.echo(f"{exc}", err=True)
            bad += 1
    if bad:
        raise typer.Exit(2)
