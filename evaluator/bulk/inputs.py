"""Streaming readers for answer tables (CSV, JSONL) and the dispatch to transcript readers.

Every reader is a generator: one row in memory at a time, whatever the file size. A row that
cannot become an answer yields a :class:`Problem` with its row or line and the run goes on.
Rows without an id get a stable one, ``file:row``, so a resumed run recognises them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .records import AnswerItem, BulkError, Problem
from .transcripts import TRANSCRIPT_SUFFIXES, read_transcript

TABLE_SUFFIXES = (".csv", ".jsonl", ".ndjson")
SUFFIXES = TABLE_SUFFIXES + TRANSCRIPT_SUFFIXES
_NOT_UTF8 = "contains bytes that are not UTF-8; re-save the file as UTF-8"


@dataclass(frozen=True)
class ColumnMap:
    """Which column (CSV) or key (JSONL) holds each field. ``answer`` must exist; a missing
    ``id`` column means generated ids; missing candidate/question columns mean empty values,
    unless the user named them explicitly (then their absence is an error)."""

    id: str = "id"
    candidate: str = "candidate"
    question: str = "question"
    answer: str = "answer"
    explicit: frozenset[str] = frozenset()

    def flag(self, field: str) -> str:
        return f"--{field}-col"


def expand_inputs(paths: Iterable[str | Path], exclude: Iterable[Path] = ()) -> list[str]:
    """Files to read, in the order given; folders expand to their supported files (sorted,
    recursively, hidden files skipped). ``exclude`` keeps the run's own outputs out."""
    skip = {p.resolve() for p in exclude}
    out: list[str] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            if not found:
                raise BulkError(f"{raw}: folder has no {', '.join(SUFFIXES)} files")
        elif p.is_file():
            if p.suffix.lower() not in SUFFIXES:
                raise BulkError(f"{raw}: unsupported file type {p.suffix or '(none)'!r}; "
                                f"expected one of {', '.join(SUFFIXES)}")
            found = [p]
        else:
            raise BulkError(f"{raw}: no such file or folder")
        for f in found:
            resolved = f.resolve()
            if resolved in skip or resolved in seen:
                continue
            seen.add(resolved)
            out.append(f.as_posix())
    if not out:
        raise BulkError("no input files left to read (only the run's own output files were given)")
    return out


def read_inputs(files: Iterable[str], columns: ColumnMap = ColumnMap(),
                candidate: str | None = None) -> Iterator[AnswerItem | Problem]:
    """Answers and problems from every file, in order, one at a time."""
    for f in files:
        suffix = Path(f).suffix.lower()
        if suffix == ".csv":
            yield from read_csv(f, columns)
        elif suffix in (".jsonl", ".ndjson"):
            yield from read_jsonl(f, columns)
        else:
            yield from read_transcript(f, candidate)


def read_csv(path: str, columns: ColumnMap = ColumnMap()) -> Iterator[AnswerItem | Problem]:
    # surrogateescape keeps reading past a bad byte; the row holding it is reported, not the file
    with open(path, newline="", encoding="utf-8-sig", errors="surrogateescape") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            yield Problem(path, "missing_column", "the file is empty: expected a header row with an "
                          f"{columns.answer!r} column", row=1, line=1)
            return
        except csv.Error as exc:
            yield Problem(path, "invalid_row", f"cannot read the header row: {exc}", row=1, line=1)
            return
        if _has_surrogates(header):
            yield Problem(path, "undecodable", f"the header row {_NOT_UTF8}", row=1, line=1)
            return
        names = [h.strip() for h in header]
        index: dict[str, int | None] = {}
        for field in ("id", "candidate", "question", "answer"):
            name = getattr(columns, field)
            index[field] = names.index(name) if name in names else None
            if index[field] is None and (field == "answer" or field in columns.explicit):
                yield Problem(path, "missing_column",
                              f"no {name!r} column (columns: {', '.join(names) or 'none'}); "
                              f"name the {field} column with {columns.flag(field)}", row=1, line=1)
                return
        row_no, line_start = 1, reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # the reader resumes at the next line
                row_no += 1
                if "field limit" in str(exc):
                    yield Problem(path, "answer_too_long", f"a cell is longer than {csv.field_size_limit():,} "
                                  "characters; split the answer", row=row_no, line=line_start)
                else:
                    yield Problem(path, "invalid_row", f"cannot read the row: {exc}", row=row_no, line=line_start)
                line_start = reader.line_num + 1
                continue
            row_no += 1
            line, line_start = line_start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # a blank spreadsheet row is not an answer
            yield _csv_item(path, cells, names, index, row_no, line)


def _csv_item(path: str, cells: list[str], names: list[str], index: dict[str, int | None],
              row: int, line: int) -> AnswerItem | Problem:
    if len(cells) != len(names):
        hint = "an unquoted comma in the text?" if len(cells) > len(names) else "a cut-off row?"
        return Problem(path, "missing_column", f"the row has {len(cells)} cells but the header has "
                       f"{len(names)} ({hint})", row=row, line=line)
    if _has_surrogates(cells):
        return Problem(path, "undecodable", f"the row {_NOT_UTF8}", row=row, line=line)

    def cell(field: str) -> str:
        i = index[field]
        return cells[i] if i is not None else ""

    rid = cell("id").strip() or f"{path}:{row}"
    return AnswerItem(id=rid, candidate=cell("candidate").strip(), question=cell("question").strip(),
                      answer=cell("answer"), source=f"{path}:row {row}", file=path, row=row, line=line)


def read_jsonl(path: str, columns: ColumnMap = ColumnMap()) -> Iterator[AnswerItem | Problem]:
    with open(path, "rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield Problem(path, "undecodable", f"the line {_NOT_UTF8} (byte {exc.start + 1})", line=line_no)
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                yield Problem(path, "invalid_json", f"not valid JSON ({exc.msg}, column {exc.colno})",
                              line=line_no)
                continue
            yield _jsonl_item(path, obj, columns, line_no)


def _jsonl_item(path: str, obj: object, columns: ColumnMap, line: int) -> AnswerItem | Problem:
    if not isinstance(obj, dict):
        return Problem(path, "invalid_row", f"expected a JSON object, got {type(obj).__name__}", line=line)
    for field in ("id", "candidate", "question", "answer"):
        name = getattr(columns, field)
        if name not in obj and (field == "answer" or field in columns.explicit):
            return Problem(path, "missing_column", f"no {name!r} key (keys: {', '.join(map(str, obj)) or 'none'}); "
                           f"name the {field} key with {columns.flag(field)}", line=line)
    answer = obj[columns.answer]
    if not isinstance(answer, str):
        return Problem(path, "invalid_row", f"{columns.answer!r} must be a string, got "
                       f"{'null' if answer is None else type(answer).__name__}", line=line)

    def value(field: str) -> str:
        v = obj.get(getattr(columns, field))
        return "" if v is None else str(v).strip()

    return AnswerItem(id=value("id") or f"{path}:{line}", candidate=value("candidate"),
                      question=value("question"), answer=answer, source=f"{path}:line {line}",
                      file=path, line=line)


def _has_surrogates(cells: list[str]) -> bool:
    """True when a cell holds bytes that were not UTF-8 (kept as lone surrogates on reading)."""
    for c in cells:
        if not c.isascii():
            try:
                c.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False
