"""The bulk run: stream inputs, score them in chunks on an engine, write results chunk by chunk.

Memory stays flat: inputs are read one row at a time, at most ``engine.slots`` chunks are in
flight, and results are written (flushed and fsynced) in input order as their chunk completes.
What grows with the input is one set of ids, needed to refuse duplicates and to resume.

Engines: ``local`` scores in this process (``jobs=1``) or in a pool of worker processes, each
building one :class:`~evaluator.Evaluator` in its initializer; ``dask`` (see
:mod:`.dask_engine`) scores on an existing cluster. Both return the same rows.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rich.console import Console

from ..errors import StarlintError
from ..pipeline import DEFAULT_MAX_CHARS, Evaluator
from ..report import STAR_PARTS, Report
from ..rubric import load_rubric
from .inputs import ColumnMap, expand_inputs, read_inputs
from .outputs import (RunFiles, error_line, open_run, output_format, problem_record, result_line,
                      scoring_error_record, sibling)
from .progress import BulkProgress
from .records import AnswerItem, BulkError, Problem

# One scored text: ("ok", summary, report_json) or ("error", code, message).
Scored = tuple


@dataclass(frozen=True)
class BulkOptions:
    rubric: str = "general"
    mode: str = "full"
    max_chars: int = DEFAULT_MAX_CHARS
    jobs: int = 0                  # 0: every core this process may use
    chunk_size: int = 64
    engine: str = "local"          # local | dask
    scheduler: str | None = None   # dask scheduler address
    columns: ColumnMap = field(default_factory=ColumnMap)
    candidate: str | None = None   # transcript speaker to score; inferred when None


@dataclass
class RunResult:
    output: Path
    errors: Path
    scored: int = 0      # answers scored by this run
    failed: int = 0      # answers and input rows that went to the errors file in this run
    skipped: int = 0     # already done by an earlier, interrupted run
    workers: int = 0
    seconds: float = 0.0


class Engine(Protocol):
    slots: int   # chunks in flight at most

    def submit(self, texts: list[str]) -> Future: ...
    def close(self, cancel: bool = False) -> None: ...


def run_bulk(inputs: Iterable[str | Path], output: str | Path, options: BulkOptions = BulkOptions(), *,
             errors: str | Path | None = None, resume: bool = False, overwrite: bool = False,
             console: Console | None = None, exclude: Iterable[str | Path] = ()) -> RunResult:
    """Score every answer in ``inputs`` into ``output``; see the module docstring. Folders in
    ``inputs`` never yield the run's own files (output, errors, summary, and ``exclude``)."""
    output = Path(output)
    errors_path = Path(errors) if errors else sibling(output, "errors.jsonl")
    fmt = output_format(output)
    own = [output, errors_path, sibling(output, "summary.csv"), *map(Path, exclude)]
    files = expand_inputs(inputs, exclude=own)
    rubric_id = load_rubric(options.rubric).id  # a bad rubric fails here, before any worker starts
    run_files = open_run(output, errors_path, fmt, resume=resume, overwrite=overwrite,
                         rubric=rubric_id, mode=options.mode)
    result = RunResult(output, errors_path)
    pending = _count_pending(files, options, run_files.done_ids, run_files.done_problems)
    started = time.monotonic()
    engine: Engine | None = None
    try:
        engine, result.workers = _make_engine(options, pending)  # before the progress bar's thread starts
        with BulkProgress(pending, console) as progress:
            if run_files.recovered_bytes:
                progress.log(f"cut {run_files.recovered_bytes:,} bytes of a torn last line left by the killed run")
            progress.log(f"{pending:,} answers to score ({len(run_files.done_ids):,} already done) on "
                         f"{result.workers} {options.engine} worker{'s' * (result.workers != 1)}, "
                         f"{options.mode} mode, rubric {rubric_id}")
            in_flight: deque[tuple[list[AnswerItem | Problem], Future | None]] = deque()
            for entries, skipped in _chunks(files, options, run_files.done_ids, run_files.done_problems):
                result.skipped += skipped
                texts = [x.answer for x in entries if isinstance(x, AnswerItem)]
                in_flight.append((entries, engine.submit(texts) if texts else None))
                while len(in_flight) > engine.slots:
                    _write_chunk(*in_flight.popleft(), fmt, run_files, result, progress)
            while in_flight:
                _write_chunk(*in_flight.popleft(), fmt, run_files, result, progress)
    except BrokenProcessPool:
        raise BulkError("a worker process died (out of memory?); the results so far are saved: "
                        "run the same command with --resume") from None
    finally:
        if engine is not None:
            engine.close(cancel=True)
        run_files.results.close()
        run_files.errors.close()
    result.seconds = time.monotonic() - started
    return result


# ---------------------------------------------------------------------- streaming


_ALREADY_DONE = object()  # what _work yields for an answer an earlier run finished


def _work(files: list[str], options: BulkOptions, done_ids: set[str], done_problems: set[str]
          ) -> Iterator[AnswerItem | Problem | object]:
    """Answers to score and problems to report, in input order, and :data:`_ALREADY_DONE` for
    each answer an earlier run finished. ``done_ids`` empties as ``seen`` fills: the run holds
    one set of ids, not two."""
    seen: set[str] = set()
    for x in read_inputs(files, options.columns, options.candidate):
        if isinstance(x, AnswerItem):
            if x.id in seen:
                x = Problem(x.file, "duplicate_id", f"id {x.id!r} was already used by an earlier row; "
                            "ids must be unique", row=x.row, line=x.line, id=x.id, candidate=x.candidate)
            else:
                seen.add(x.id)
                if x.id in done_ids:
                    done_ids.discard(x.id)
                    yield _ALREADY_DONE
                else:
                    yield x
                continue
        if x.key not in done_problems:
            yield x


def _count_pending(files: list[str], options: BulkOptions, done_ids: set[str], done_problems: set[str]) -> int:
    """How many entries the run will write (for the progress bar's total and ETA): a cheap first
    pass, parsing only, that holds no ids of its own (repeats of a done id may be off by one)."""
    n = 0
    for x in read_inputs(files, options.columns, options.candidate):
        n += (x.id not in done_ids) if isinstance(x, AnswerItem) else (x.key not in done_problems)
    return n


def _chunks(files: list[str], options: BulkOptions, done_ids: set[str], done_problems: set[str]
            ) -> Iterator[tuple[list[AnswerItem | Problem], int]]:
    """Work units in input order: up to ``chunk_size`` answers (and the problems met on the way,
    as many at most), with the count of answers skipped as already done."""
    entries: list[AnswerItem | Problem] = []
    answers = problems = skipped = 0
    for x in _work(files, options, done_ids, done_problems):
        if isinstance(x, AnswerItem):
            answers += 1
        elif isinstance(x, Problem):
            problems += 1
        else:
            skipped += 1
            continue
        entries.append(x)
        if answers >= options.chunk_size or problems >= options.chunk_size:
            yield entries, skipped
            entries, answers, problems, skipped = [], 0, 0, 0
    if entries or skipped:
        yield entries, skipped


def _write_chunk(entries: list[AnswerItem | Problem], handle: Future | None, fmt: str, run_files: RunFiles,
                 result: RunResult, progress: BulkProgress) -> None:
    scored = iter(handle.result() if handle is not None else [])
    lines: list[str] = []
    errs: list[str] = []
    for x in entries:  # input order, whatever the chunking: the same files from any engine
        if isinstance(x, Problem):
            errs.append(error_line(problem_record(x)))
            continue
        out = next(scored)
        if out[0] == "ok":
            lines.append(result_line(x, out[1], out[2], fmt))
        else:
            errs.append(error_line(scoring_error_record(x, out[1], out[2])))
    run_files.results.write(lines)   # results first: an answer is done once it is in either file
    run_files.errors.write(errs)
    result.scored += len(lines)
    result.failed += len(errs)
    progress.advance(len(entries))


# ---------------------------------------------------------------------- scoring (any process)


def score_texts(evaluator: Evaluator, texts: list[str]) -> list[Scored]:
    """Score a chunk; an unusable answer becomes ("error", code, message) in place."""
    out: list[Scored] = []
    for r in evaluator.evaluate_many(texts, return_errors=True):
        if isinstance(r, Report):
            out.append(("ok", _row_summary(r), r.model_dump_json()))
        else:
            out.append(("error", getattr(r, "code", "starlint_error"), str(r)))
    return out


def _row_summary(r: Report) -> dict:
    star = r.star
    return {"rubric": r.rubric, "mode": r.mode, "score": r.score,
            "star": {**{p: getattr(star, p).score for p in STAR_PARTS}, "completeness": star.completeness},
            "star_present": [p for p in STAR_PARTS if getattr(star, p).present],
            "findings": sorted({f.rule for f in r.findings})}


# ---------------------------------------------------------------------- local engine

_WORKER_EVALUATOR: Evaluator | None = None   # one per worker process, built by the initializer
_WORKER_ERROR: str | None = None


def _init_worker(rubric: str, mode: str, max_chars: int, threads: int) -> None:
    global _WORKER_EVALUATOR, _WORKER_ERROR
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    try:
        _WORKER_EVALUATOR = Evaluator(rubric=rubric, mode=mode, max_chars=max_chars)  # type: ignore[arg-type]
    except StarlintError as exc:  # e.g. models not installed: report it, do not just die
        _WORKER_ERROR = str(exc)
    torch = sys.modules.get("torch")
    if torch is not None:  # N workers x all-cores torch pools would fight over the same cores
        torch.set_num_threads(threads)


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was SIGKILLed would wait for work forever (it holds its own end of
    the task pipe), keeping its models in memory: leave as soon as the parent is gone."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _score_in_worker(texts: list[str]) -> list[Scored]:
    if _WORKER_EVALUATOR is None:
        raise BulkError(_WORKER_ERROR or "the worker has no evaluator")
    return score_texts(_WORKER_EVALUATOR, texts)


class InlineEngine:
    """``--jobs 1``: score in this process, no pool to start."""

    slots = 1

    def __init__(self, options: BulkOptions) -> None:
        self._ev = Evaluator(rubric=options.rubric, mode=options.mode, max_chars=options.max_chars)  # type: ignore[arg-type]

    def submit(self, texts: list[str]) -> Future:
        fut: Future = Future()
        fut.set_result(score_texts(self._ev, texts))
        return fut

    def close(self, cancel: bool = False) -> None:
        pass


class PoolEngine:
    def __init__(self, options: BulkOptions, workers: int) -> None:
        threads = max(1, default_jobs() // workers)
        self._pool = ProcessPoolExecutor(workers, mp_context=_start_method(), initializer=_init_worker,
                                         initargs=(options.rubric, options.mode, options.max_chars, threads))
        self.slots = 2 * workers

    def submit(self, texts: list[str]) -> Future:
        return self._pool.submit(_score_in_worker, texts)

    def close(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=True, cancel_futures=cancel)


def _start_method() -> multiprocessing.context.BaseContext:
    """fork while this process has a single thread: workers start at once with starlint already
    imported (seconds saved per worker; models are still loaded by each worker, never inherited).
    With other threads about, forking could copy a held lock: use a clean forkserver instead."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["evaluator.pipeline"])
        return ctx
    return multiprocessing.get_context("spawn")


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _make_engine(options: BulkOptions, pending: int) -> tuple[Engine, int]:
    if options.engine == "dask":
        if not options.scheduler:
            raise BulkError("--engine dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        from .dask_engine import DaskEngine

        engine = DaskEngine(options)
        return engine, engine.workers
    if options.engine != "local":
        raise BulkError(f"unknown engine {options.engine!r}: use local or dask")
    if options.jobs < 0:
        raise BulkError("--jobs must be 1 or more (or 0 for every core)")
    # no more workers than there are chunks to give them
    workers = max(1, min(options.jobs or default_jobs(), math.ceil(pending / options.chunk_size)))
    return (InlineEngine(options) if workers == 1 else PoolEngine(options, workers)), workers
