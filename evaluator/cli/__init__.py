"""The ``starlint`` command. Each sub-command lives in its own module and registers on ``app``.

Exit codes (all commands): 0 success, 1 the gate failed (check) or some rows failed (bulk), 2 usage, input,
config or runtime error. Never a count.
"""

from __future__ import annotations

import sys

import typer

app = typer.Typer(name="starlint", no_args_is_help=True, add_completion=False,
                  help="Lint written interview answers: anti-patterns, STAR completeness and rubric scores.")
rubrics_app = typer.Typer(no_args_is_help=True, help="List, show and validate rubrics.")
app.add_typer(rubrics_app, name="rubrics")


def fail(message: str, code: int = 2) -> "typer.Exit":
    """Print an error the user can act on and exit (2 = usage/input/config/runtime error)."""
    typer.echo(f"starlint: error: {message}", err=True)
    return typer.Exit(code)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


from . import bulk, check, evalcmd, rubrics, score, serve  # noqa: E402,F401  (registration)
