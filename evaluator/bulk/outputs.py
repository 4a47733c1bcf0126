"""The results file (JSONL or CSV) and the errors file (JSONL): written a chunk at a time, each
chunk flushed and fsynced, so the files themselves are the checkpoint of a run.

A row is one line (CSV text fields never hold a newline), so a run killed mid-write leaves at
worst a torn last line; :func:`open_run` cuts it off and returns what is already done.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..report import STAR_PARTS
from .records import AnswerItem, BulkError, Problem

CSV_FIELDS = ("id", "candidate", "question", "source", "rubric", "mode", "score", *STAR_PARTS,
              "completeness", "star_present", "findings")
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


def output_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise BulkError(f"{path}: the output must end in .jsonl or .csv")
    return fmt


def sibling(output: Path, suffix: str) -> Path:
    """``results.jsonl`` -> ``results.errors.jsonl`` / ``results.summary.csv``."""
    return output.with_name(f"{output.stem}.{suffix}")


# ---------------------------------------------------------------------- rows


def result_line(item: AnswerItem, summary: dict, report_json: str, fmt: str) -> str:
    """One results line. ``summary`` (score, STAR, rule ids) and ``report_json`` come from the
    worker; the full report is spliced in as the worker wrote it, never re-serialised."""
    if fmt == "jsonl":
        head = json.dumps({"id": item.id, "candidate": item.candidate, "question": item.question,
                           "source": item.source, **summary}, ensure_ascii=False, separators=(",", ":"))
        return f'{head[:-1]},"report":{report_json}}}\n'
    star = summary["star"]
    return _csv_line([item.id, item.candidate, item.question, item.source, summary["rubric"], summary["mode"],
                      summary["score"], *(star[p] for p in STAR_PARTS), star["completeness"],
                      ";".join(summary["star_present"]), ";".join(summary["findings"])])


def error_line(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def problem_record(p: Problem) -> dict:
    return {"file": p.file, "row": p.row, "line": p.line, "id": p.id, "candidate": p.candidate,
            "source": None, "stage": "input", "code": p.code, "reason": p.reason}


def scoring_error_record(item: AnswerItem, code: str, reason: str) -> dict:
    return {"file": item.file, "row": item.row, "line": item.line, "id": item.id, "candidate": item.candidate,
            "source": item.source, "stage": "scoring", "code": code, "reason": reason}


def _csv_line(values: list) -> str:
    buf = io.StringIO()
    # one row = one line: a torn write is then always a torn last line
    csv.writer(buf, lineterminator="\n").writerow(
        [" ".join(v.split()) if isinstance(v, str) else v for v in values])
    return buf.getvalue()


def read_results(path: Path) -> Iterator[dict]:
    """Rows of a results file in one shape whatever the format: the keys of the JSONL rows; CSV
    rows have no ``report``."""
    for _, row in _scan(path, output_format(path)):
        if row is not None:
            yield row


def read_errors(path: Path) -> Iterator[dict]:
    if path.exists():
        for _, rec in _scan(path, "jsonl"):
            if rec is not None:
                yield rec


# ---------------------------------------------------------------------- checkpoint


@dataclass
class RunFiles:
    """Open, append-only sinks plus what a previous attempt already finished."""

    results: LineSink
    errors: LineSink
    done_ids: set[str]        # answers in the results or, failed, in the errors file
    done_problems: set[str]   # Problem.key of input problems already reported
    recovered_bytes: int      # torn tail cut from the files


def open_run(output: Path, errors: Path, fmt: str, *, resume: bool, overwrite: bool,
             rubric: str, mode: str) -> RunFiles:
    existing = [p for p in (output, errors) if p.exists() and p.stat().st_size > 0]
    if existing and not (resume or overwrite):
        raise BulkError(f"{existing[0]} already exists: pass --resume to continue that run, "
                        f"or --overwrite to start again")
    done_ids: set[str] = set()
    done_problems: set[str] = set()
    dropped = 0
    if resume:
        dropped += _cut_torn_tail(output, fmt)
        dropped += _cut_torn_tail(errors, "jsonl")
        for n, (line, row) in enumerate(_scan(output, fmt)):
            if not isinstance(row.get("id"), str) or "rubric" not in row or "mode" not in row:
                raise BulkError(f"{output}:{line} is not a starlint results row; write to a new output file")
            if n == 0 and (row["rubric"], row["mode"]) != (rubric, mode):
                raise BulkError(f"{output} was scored with rubric {row['rubric']!r} in {row['mode']} mode: "
                                f"resume with --rubric {row['rubric']} --mode {row['mode']}, or write a new output")
            done_ids.add(row["id"])
        for _, rec in _scan(errors, "jsonl"):
            if rec.get("stage") == "scoring":
                done_ids.add(rec["id"])
            else:
                done_problems.add(Problem(rec["file"], rec["code"], rec["reason"], rec.get("row"),
                                          rec.get("line")).key)
    else:
        for p in (output, errors):
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(b"")
    results = LineSink(output)
    if fmt == "csv" and output.stat().st_size == 0:
        results.write([_csv_line(list(CSV_FIELDS))])
    return RunFiles(results, LineSink(errors), done_ids, done_problems, dropped)


class LineSink:
    """Appends whole lines; every :meth:`write` is flushed and fsynced before it returns."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fh = open(path, "ab")

    def write(self, lines: list[str]) -> None:
        if not lines:
            return
        self._fh.write("".join(lines).encode("utf-8"))
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()


def _scan(path: Path, fmt: str) -> Iterator[tuple[int, dict | None]]:
    """(line number, row) for every line; raises if a line in the middle is damaged."""
    if not path.exists():
        return
    header_seen = fmt != "csv"
    bad: int | None = None
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if not header_seen:
                header_seen = True
                if _csv_cells(raw) != list(CSV_FIELDS):
                    raise BulkError(f"{path}: line 1 is not a starlint results header; "
                                    "write to a new output file")
                continue
            row = _parse_line(raw, fmt)
            if row is None:
                bad = bad or n
                continue
            if bad is not None:
                raise BulkError(f"{path}: line {bad} is damaged; remove it (or the file) and run again")
            yield n, row


def _parse_line(raw: bytes, fmt: str) -> dict | None:
    if not raw.endswith(b"\n"):
        return None
    try:
        if fmt == "jsonl":
            row = json.loads(raw)
            return row if isinstance(row, dict) and isinstance(row.get("id"), str | None) else None
        cells = _csv_cells(raw)
    except (ValueError, UnicodeDecodeError, csv.Error):
        return None
    if len(cells) != len(CSV_FIELDS):
        return None
    c = dict(zip(CSV_FIELDS, cells))
    try:
        star = {p: float(c[p]) for p in (*STAR_PARTS, "completeness")}
        score = int(c["score"])
    except ValueError:
        return None
    return {"id": c["id"], "candidate": c["candidate"], "question": c["question"], "source": c["source"],
            "rubric": c["rubric"], "mode": c["mode"], "score": score, "star": star,
            "star_present": [p for p in c["star_present"].split(";") if p],
            "findings": [r for r in c["findings"].split(";") if r]}


def _csv_cells(raw: bytes) -> list[str]:
    return next(csv.reader([raw.decode("utf-8").rstrip("\n")]), [])


def _cut_torn_tail(path: Path, fmt: str) -> int:
    """Truncate everything after the last line that parses (a SIGKILL or power cut mid-write
    leaves a partial or zero-filled tail). Returns the number of bytes removed."""
    if not path.exists():
        return 0
    keep = 0
    with open(path, "rb") as fh:
        offset = 0
        for n, raw in enumerate(fh, start=1):
            offset += len(raw)
            header = fmt == "csv" and n == 1
            if (header and raw.endswith(b"\n")) or (not header and _parse_line(raw, fmt) is not None):
                keep = offset
    size = path.stat().st_size
    if keep < size:
        with open(path, "r+b") as fh:
            fh.truncate(keep)
            fh.flush()
            os.fsync(fh.fileno())
    return size - keep
