"""``starlint bulk``: score answer tables and interview transcripts in parallel, resumably.

Exit codes: 0 every answer scored; 1 some answers or input rows failed (listed in the errors
file); 2 usage, input or runtime error (nothing was scored, or the run stopped: --resume).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..errors import StarlintError
from ..pipeline import DEFAULT_MAX_CHARS
from . import app, fail
from .score import ModeOpt


class EngineOpt(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def bulk(
    inputs: list[str] = typer.Argument(..., help="Answer tables (.csv, .jsonl) and transcripts (.txt, .vtt, "
                                                 ".srt, .json), or folders of them."),
    output: Path = typer.Option(..., "--output", "-o", help="Results file: .jsonl (with full reports) or .csv."),
    rubric: str = typer.Option("general", "--rubric", "-r", help="Rubric id or path to a YAML file."),
    mode: ModeOpt = typer.Option(ModeOpt.full, "--mode", "-m", help="full: parse + models; rules: fast lexical checks."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Worker processes; 0 = every core."),
    resume: bool = typer.Option(False, "--resume", help="Continue a run that stopped: skip answers already in the "
                                                        "output or errors file, append the rest."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Start again even if the output exists."),
    errors: Optional[Path] = typer.Option(None, "--errors", help="Errors file [default: OUTPUT-STEM.errors.jsonl]."),
    summary: Optional[Path] = typer.Option(None, "--summary", help="Per-candidate CSV [default: OUTPUT-STEM.summary.csv]."),
    report: Optional[Path] = typer.Option(None, "--report", help="Also write a self-contained HTML report."),
    candidate: Optional[str] = typer.Option(None, "--candidate", help="Transcripts: the speaker to score "
                                                                      "(default: the one who answers questions)."),
    id_col: Optional[str] = typer.Option(None, "--id-col", help="Column/key with the answer id [default: id]."),
    candidate_col: Optional[str] = typer.Option(None, "--candidate-col", help="[default: candidate]"),
    question_col: Optional[str] = typer.Option(None, "--question-col", help="[default: question]"),
    answer_col: Optional[str] = typer.Option(None, "--answer-col", help="[default: answer]"),
    engine: EngineOpt = typer.Option(EngineOpt.local, "--engine", help="local processes, or an existing Dask cluster."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    chunk_size: int = typer.Option(64, "--chunk-size", min=1, help="Answers per work unit and per flush."),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", help="Reject answers longer than this."),
) -> None:
    """Score many answers: every answer into OUTPUT, failures into the errors file, a summary per candidate."""
    from ..bulk import BulkOptions, ColumnMap, read_errors, read_results, run_bulk, sibling, summarize
    from ..bulk.summary import print_table, write_csv

    if resume and overwrite:
        raise fail("--resume and --overwrite contradict each other: pick one")
    named = {"id": id_col, "candidate": candidate_col, "question": question_col, "answer": answer_col}
    columns = ColumnMap(**{k: v for k, v in named.items() if v}, explicit=frozenset(k for k, v in named.items() if v))
    options = BulkOptions(rubric=rubric, mode=mode.value, max_chars=max_chars, jobs=jobs, chunk_size=chunk_size,
                          engine=engine.value, scheduler=scheduler, columns=columns, candidate=candidate)
    err = Console(stderr=True)
    summary_path = summary or sibling(output, "summary.csv")
    try:
        result = run_bulk(inputs, output, options, errors=errors, resume=resume, overwrite=overwrite, console=err,
                          exclude=[summary_path])
        outcome = summarize(read_results(result.output), read_errors(result.errors))
        write_csv(outcome, summary_path)
        if report:
            from ..bulk.report_html import write_html

            write_html(outcome, report)
    except StarlintError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:  # disk full, no permission: what was written so far is kept
        raise fail(f"{exc.filename or output}: {exc.strerror or exc}; fix that, then run the same command "
                   "with --resume") from None
    out = Console()
    print_table(outcome, out if out.is_terminal else Console(width=160))  # a log file has no width
    rate = result.scored / result.seconds if result.seconds else 0.0
    err.print(f"starlint bulk: this run scored {result.scored:,} answers in {result.seconds:,.1f} s "
              f"({rate:,.1f} answers/s), {result.failed:,} failed, {result.skipped:,} already done.", highlight=False,
              soft_wrap=True)
    err.print(f"starlint bulk: {outcome.answers:,} answers in {output}; {outcome.failed:,} failed"
              + (f" (see {result.errors})" if outcome.failed else "") + f"; summary {summary_path}"
              + (f"; report {report}" if report else ""), highlight=False, soft_wrap=True)
    if outcome.failed:
        raise typer.Exit(1)
