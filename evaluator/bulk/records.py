"""The two things an input reader yields: an answer to score, or a problem that stops one.

Both carry where they came from (file, spreadsheet row or file line), so every line of the
results and errors files points back at something the coach can open.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import StarlintError


@dataclass(frozen=True, slots=True)
class AnswerItem:
    id: str
    candidate: str
    question: str
    answer: str
    source: str            # "answers.csv:row 12", "call.vtt@00:01:02-00:02:10", "notes.txt:lines 4-9"
    file: str
    row: int | None = None    # spreadsheet row (CSV: the header is row 1)
    line: int | None = None   # line in the file where the answer starts


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not become an answer (undecodable bytes, missing column, bad JSON,
    unparsable transcript, duplicate id). Written to the errors file; the run goes on."""

    file: str
    code: str
    reason: str
    row: int | None = None
    line: int | None = None
    id: str | None = None
    candidate: str | None = None

    @property
    def key(self) -> str:
        """Where the problem is; a resumed run uses it not to report the same problem twice."""
        where = f"row {self.row}" if self.row is not None else f"line {self.line}" if self.line is not None else ""
        return f"{self.file}:{where}" if where else self.file


class BulkError(StarlintError):
    """A bulk run cannot start or go on (bad option, unreachable cluster, dead worker).
    The message says what to do; the CLI turns it into exit code 2."""

    code = "bulk_error"
