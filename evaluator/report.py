"""The one result model. Library, CLI formats and the HTTP service all emit exactly these.

Spans are character offsets into the ORIGINAL answer text (``text[start:end] == span.text``).
Bump :data:`SCHEMA_VERSION` on any change a consumer could notice.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

Severity = Literal["error", "warning", "suggestion"]
SEVERITY_RANK: dict[str, int] = {"suggestion": 1, "warning": 2, "error": 3}
MetricKind = Literal["percent", "money", "count", "duration", "ratio", "multiplier", "score"]
MetricRole = Literal["impact", "model", "other"]
StarPart = Literal["situation", "task", "action", "result", "reflection"]
STAR_PARTS: tuple[str, ...] = ("situation", "task", "action", "result", "reflection")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(_Model):
    start: int = Field(ge=0, description="Offset of the first character in the original text.")
    end: int = Field(ge=0, description="Offset one past the last character.")
    text: str


class StarComponent(_Model):
    score: float = Field(ge=0, le=1, description="Confidence that the component is present.")
    present: bool
    evidence: list[Span] = Field(default_factory=list)


class StarScore(_Model):
    situation: StarComponent
    task: StarComponent
    action: StarComponent
    result: StarComponent
    reflection: StarComponent
    completeness: float = Field(ge=0, le=1, description="Rubric-weighted mean of the five scores.")


class Finding(_Model):
    rule: str
    severity: Severity
    message: str = Field(description="Why an interviewer cares.")
    suggestion: str = Field(description="A concrete rewrite pattern.")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    line: int = Field(ge=1, description="1-based line of ``start`` in the answer.")
    column: int = Field(ge=1, description="1-based column of ``start`` in the answer.")
    text: str
    source: str = Field(description="The article (seed file) the rule comes from.")
    confidence: float | None = Field(default=None, ge=0, le=1)


class Metric(_Model):
    text: str
    kind: MetricKind
    role: MetricRole
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Criterion(_Model):
    id: str
    name: str
    score: float = Field(ge=0, le=1)
    evidence: list[Span] = Field(default_factory=list)


class Report(_Model):
    schema_version: str = SCHEMA_VERSION
    starlint_version: str
    rubric: str
    mode: Literal["rules", "full"]
    score: int = Field(ge=0, le=100)
    confidence: Literal["high", "low"] = Field(
        description="'low' when the text does not read as an English interview answer."
    )
    words: int
    star: StarScore
    findings: list[Finding]
    metrics: list[Metric]
    criteria: list[Criterion]

    def worst_severity(self) -> str | None:
        """The highest severity among findings, or None; used by exit-code policies."""
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=SEVERITY_RANK.__getitem__)
