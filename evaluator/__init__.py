"""starlint: tells a candidate, with evidence, what an interviewer will hear in a written answer.

Public API::

    from evaluator import Evaluator, evaluate, Report, Finding, load_rubric
    report = Evaluator(rubric="ai-pm").evaluate(text)
"""

from __future__ import annotations

try:
    from importlib.metadata import version as _version

    __version__ = _version("starlint")
except Exception:  # running from a source tree that is not installed
    __version__ = "0.1.0"

from .errors import (AnswerTooLongError, EmptyAnswerError, InputError, ModelMissingError,  # noqa: E402
                     RubricError, StarlintError, UnknownRubricError)
from .pipeline import Evaluator, evaluate  # noqa: E402
from .report import SCHEMA_VERSION, Criterion, Finding, Metric, Report, Span, StarScore  # noqa: E402
from .rubric import Rubric, available_rubrics, load_rubric  # noqa: E402

__all__ = [
    "Evaluator", "evaluate", "Report", "Finding", "Metric", "Criterion", "Span", "StarScore",
    "Rubric", "load_rubric", "available_rubrics", "SCHEMA_VERSION", "StarlintError", "InputError",
    "EmptyAnswerError", "AnswerTooLongError", "RubricError", "UnknownRubricError", "ModelMissingError",
    "__version__",
]
