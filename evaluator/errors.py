"""Error types. Each message says what was wrong, where, and how to fix it.

Every error starlint raises on purpose derives from :class:`StarlintError`, so the CLI and the
service can turn them into one exit code / one JSON error shape without guessing.
"""

from __future__ import annotations


class StarlintError(Exception):
    """Base class; ``code`` is a stable machine-readable id used by the service and JSON output."""

    code = "starlint_error"


class InputError(StarlintError, ValueError):
    """The answer text cannot be scored as given."""

    code = "invalid_input"


class EmptyAnswerError(InputError):
    code = "empty_answer"

    def __init__(self) -> None:
        super().__init__("The answer is empty or whitespace only: paste the text of your answer.")


class AnswerTooLongError(InputError):
    code = "answer_too_long"

    def __init__(self, length: int, limit: int) -> None:
        self.length, self.limit = length, limit
        super().__init__(
            f"The answer has {length:,} characters, over the limit of {limit:,}. "
            f"Split it into separate answers, or raise the limit (Evaluator(max_chars=...), "
            f"--max-chars, or STARLINT_MAX_CHARS)."
        )


class RubricError(StarlintError):
    """A rubric file is missing or does not match the schema. ``where`` is ``file:key.path``."""

    code = "invalid_rubric"

    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}" if where else reason)


class UnknownRubricError(RubricError):
    code = "unknown_rubric"

    def __init__(self, rubric_id: str, available: list[str]) -> None:
        self.rubric_id, self.available = rubric_id, available
        super().__init__(
            "", f"unknown rubric {rubric_id!r}; available: {', '.join(available)} "
            f"(or pass a path to a .yaml file)"
        )


class ModelMissingError(StarlintError):
    """A language model or a trained artifact is not installed or is corrupt."""

    code = "model_missing"
