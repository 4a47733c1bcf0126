"""``--format json``: versioned; per file, per answer, the library's Report plus file positions.

``findings`` of an answer are what the linter reports, placed in the file (1-based, end
exclusive); ``report`` is the library's Report for the answer text, minus suppressed findings,
so its own offsets are relative to that answer. Findings outside any answer (a bad comment before
the first question) are listed under the file. Bump :data:`CHECK_SCHEMA_VERSION` on any change a
consumer could notice.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from .. import __version__
from .base import CheckResult, FileFinding

CHECK_SCHEMA_VERSION = "1.0"


def _finding(f: FileFinding) -> dict[str, Any]:
    return {"line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column,
            **f.finding.model_dump(mode="json", exclude={"start", "end", "line", "column"})}


def render(result: CheckResult, out: TextIO) -> None:
    files = []
    for path in result.files:
        answers = [a for a in result.answers if a.path == path]
        in_answers = {f for a in answers for f in a.findings}
        files.append({
            "path": path,
            "findings": [_finding(f) for f in result.findings if f.path == path and f not in in_answers],
            "answers": [{"question": a.question, "line": a.line, "rubric": a.rubric,
                         "score": a.report.score if a.report else None, "suppressed": a.suppressed,
                         "findings": [_finding(f) for f in a.findings],
                         "report": a.report.model_dump(mode="json") if a.report else None} for a in answers],
        })
    doc = {"schema_version": CHECK_SCHEMA_VERSION, "starlint_version": __version__, "mode": result.mode,
           "fail_on": result.fail_on, "min_score": result.min_score, "failed": result.failed,
           "summary": {"files": len(result.files), "answers": len(result.answers), **result.counts()},
           "files": files}
    out.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
