"""Request and response bodies of the HTTP API. Reports are the library's :class:`evaluator.Report`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from evaluator import Report

from .errors import ErrorInfo
from .settings import Mode

TEXT = Field(description="The answer, as plain text. Must contain non-whitespace (422 otherwise) and be at most "
                         "the server's character limit (413 otherwise; 20,000 by default).",
             examples=["I built a 99.9 % accurate model."])
RUBRIC = Field(None, max_length=100, description="Rubric id (see GET /v1/rubrics); the server's default when "
                                                 "omitted. Unknown ids answer 404.", examples=["general"])
MODE = Field(None, description="'full' (parse + models) or 'rules' (fast lexical checks); the server's default "
                               "when omitted. Must be a mode the server loads (422 otherwise).")


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently ignored


class EvaluateRequest(_Body):
    text: str = TEXT
    rubric: str | None = RUBRIC
    mode: Mode | None = MODE


class BatchItem(_Body):
    id: str | None = Field(None, max_length=200, description="Your id for the item, echoed in its result.")
    text: str = TEXT
    rubric: str | None = Field(None, max_length=100, description="Rubric id for this item; the batch's otherwise.")


class BatchRequest(_Body):
    items: list[BatchItem] = Field(min_length=1, description="Answers to score (at most the server's batch limit, "
                                                             "100 by default; 413 above).")
    rubric: str | None = RUBRIC
    mode: Mode | None = MODE


class BatchResult(BaseModel):
    id: str | None = Field(description="The item's id, if it had one.")
    index: int = Field(ge=0, description="The item's position in the request.")
    report: Report | None = Field(None, description="The report, when the item was scored.")
    error: ErrorInfo | None = Field(None, description="Why the item was not scored (the other items still are).")


class BatchResponse(BaseModel):
    results: list[BatchResult] = Field(description="One per item, in request order.")
    scored: int = Field(ge=0)
    failed: int = Field(ge=0)


class RubricSummary(BaseModel):
    id: str
    name: str
    description: str
    rules: int = Field(ge=0, description="Number of rules the rubric runs.")
    criteria: int = Field(ge=0, description="Number of scored criteria.")
    sources: list[str]


class RubricList(BaseModel):
    default: str = Field(description="The rubric used when a request names none.")
    rubrics: list[RubricSummary]


class ValidateRequest(_Body):
    yaml: str = Field(max_length=100_000,
                      description="A rubric file's YAML text. It may `extends:` a rubric id, never a path.",
                      examples=["id: mine\nname: My rubric\nextends: general\nrules:\n  solo-credit: error\n"])


class ValidateResponse(BaseModel):
    valid: bool
    rubric: RubricSummary | None = Field(None, description="The resolved rubric, when valid.")
    error: ErrorInfo | None = Field(None, description="The first problem, as file:key.path: reason, when invalid.")


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready", "loading", "failed"]
    modes: dict[str, str] = Field(description="Each configured mode: ready, loading, or failed: <reason>.")
    version: str
