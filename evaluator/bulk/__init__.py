"""Score many answers at once: answer tables and interview transcripts in, a results file, an
errors file, a per-candidate summary and an HTML report out; resumable after any crash.

    from evaluator.bulk import BulkOptions, run_bulk
    run_bulk(["answers.csv", "transcripts/"], "results.jsonl", BulkOptions(mode="rules", jobs=2))

``starlint bulk`` (evaluator/cli/bulk.py) is a thin shell over this package; see the README section on starlint bulk.
"""

from __future__ import annotations

from .inputs import ColumnMap, expand_inputs, read_inputs
from .outputs import read_errors, read_results, sibling
from .records import AnswerItem, BulkError, Problem
from .runner import BulkOptions, RunResult, run_bulk
from .summary import BulkSummary, print_table, summarize, write_csv

__all__ = ["AnswerItem", "Problem", "BulkError", "ColumnMap", "expand_inputs", "read_inputs", "BulkOptions",
           "RunResult", "run_bulk", "read_results", "read_errors", "sibling", "BulkSummary", "summarize",
           "print_table", "write_csv"]
