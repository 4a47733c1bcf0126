"""``starlint check`` (lint prep documents, a CI gate) and ``starlint config``.

Exit codes: 0 nothing at or above ``--fail-on`` and every answer at or above ``--min-score``;
1 otherwise; 2 usage, config or runtime error. ``--no-exit`` turns 1 into 0.
"""

from __future__ import annotations

import glob
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..config import Config, known_rule_ids, load_config
from ..documents import DOCUMENT_SUFFIXES, MARKDOWN_SUFFIXES, Document, check_documents, parse_document
from ..errors import StarlintError
from ..formats.base import reporter
from ..rubric import load_rubric
from . import app, fail
from .score import ModeOpt


class CheckFormat(str, Enum):
    text = "text"
    line = "line"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    suggestion = "suggestion"


@app.command()
def check(
    paths: list[str] = typer.Argument(..., help="Files, folders or globs to check; - reads standard input."),
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="How to report findings."),
    mode: ModeOpt = typer.Option(ModeOpt.full, "--mode", "-m", help="full: parse + models; rules: fast lexical checks."),
    rubric: Optional[str] = typer.Option(None, "--rubric", "-r", help="Default rubric (overrides the config's `rubric`)."),
    config: Optional[str] = typer.Option(None, "--config", "-c", help="Config file (.starlint.yaml or pyproject.toml)."),
    fail_on: Optional[Level] = typer.Option(None, "--fail-on", help="Lowest severity that fails the check (default: the config's fail_on, else error)."),
    min_score: Optional[int] = typer.Option(None, "--min-score", min=0, max=100, help="Fail when an answer scores lower (default: the config's min_score, else 0)."),
    no_exit: bool = typer.Option(False, "--no-exit", help="Exit 0 even when the check fails (errors still exit 2)."),
    diff: Optional[str] = typer.Option(None, "--diff", metavar="GIT_REF", help="Report only findings on lines changed since GIT_REF."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Name (and config path) for text read from -."),
    max_chars: int = typer.Option(20000, "--max-chars", help="Answers longer than this cannot be scored."),
) -> None:
    """Lint Markdown and text prep documents: every heading (or Q:) is a question, the prose under it the answer."""
    from ..gitdiff import changed_lines
    from ..pipeline import Evaluator  # heavy (spaCy): only when a check runs

    try:
        cfg = load_config(config).override(rubric=rubric, min_score=min_score,
                                           fail_on=fail_on.value if fail_on else None)
        known = known_rule_ids(cfg)
        documents = [_read(p, stdin_filename, known) for p in _collect(paths, cfg, stdin_filename)]
        changed = None if diff is None else changed_lines(diff, [d.source for d in documents if d.source])
        evaluator = Evaluator(rubric=cfg.derive(load_rubric(cfg.rubric)), mode=mode.value, max_chars=max_chars)
        result = check_documents(documents, evaluator, cfg, changed)
    except StarlintError as exc:
        raise fail(str(exc)) from None
    if not documents:
        typer.echo("starlint: no documents to check", err=True)
    reporter(fmt.value)(result, sys.stdout)
    if result.failed and not no_exit:
        raise typer.Exit(1)


@app.command("config")
def config_cmd(
    show: bool = typer.Option(False, "--show", help="Print the resolved config and where each value came from."),
    config: Optional[str] = typer.Option(None, "--config", "-c", help="Config file to read instead of searching."),
) -> None:
    """Find the config `starlint check` would use (--config, STARLINT_CONFIG, then up from here)."""
    try:
        cfg = load_config(config)
    except StarlintError as exc:
        raise fail(str(exc)) from None
    typer.echo(cfg.show() if show else (str(cfg.file) if cfg.file else f"no config file ({cfg.found_by})"))


def _collect(paths: list[str], cfg: Config, stdin_filename: str | None) -> list[Path | None]:
    """Files to check, in argument order, without duplicates or config-excluded files; None is stdin."""
    found: list[Path | None] = []
    for arg in paths:
        if arg == "-":
            if stdin_filename is None or not cfg.excluded(Path(stdin_filename)):
                found.append(None)
            continue
        path = Path(arg)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.suffix.lower() in DOCUMENT_SUFFIXES and f.is_file()
                           and not any(part.startswith(".") for part in f.relative_to(path).parts))
        elif path.is_file():
            files = [path]
        elif glob.has_magic(arg):
            files = sorted(Path(m) for m in glob.glob(arg, recursive=True) if Path(m).is_file())
            if not files:
                raise fail(f"{arg}: no files match")
        else:
            raise fail(f"{arg}: no such file or directory")
        found += [f for f in files if not cfg.excluded(f)]
    seen: set[Path] = set()
    unique: list[Path | None] = []
    for f in found:
        if f is not None and f.resolve() in seen:
            continue
        if f is not None:
            seen.add(f.resolve())
        unique.append(f)
    return unique


def _read(path: Path | None, stdin_filename: str | None, known_rules: frozenset[str]) -> Document:
    if path is None:
        data, shown = sys.stdin.buffer.read(), stdin_filename or "<stdin>"
        source = Path(stdin_filename) if stdin_filename else None
    else:
        data, shown, source = path.read_bytes(), _shown(path), path
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"{shown}: not UTF-8 text (byte {exc.start}); re-save it as UTF-8") from None
    markdown = source is None or source.suffix.lower() in MARKDOWN_SUFFIXES
    return parse_document(text, shown, markdown=markdown, source=source.resolve() if source else None,
                          known_rules=known_rules)


def _shown(path: Path) -> str:
    """Relative to the working directory when inside it, so reports are stable across machines."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()
