"""Rubrics: YAML data that says which rules run, how loud they are, and how the score combines.

A rubric file looks like::

    id: bmw
    name: BMW AI product manager
    extends: ai-pm            # inherit everything, then override
    sources: [000_32fe7fe995ceb8a9.txt]
    rules:
      single-number-ask: off  # drop an inherited rule
      accuracy-without-impact: {level: error}   # re-level it
      my-rule: {detector: phrase, level: warning, message: ..., suggestion: ..., source: ...,
                lexicons: {phrases: [...]}}
    criteria: [...]

Rubrics are looked up by id in the packaged ``rubrics/`` folder, then in each folder of
``STARLINT_RUBRIC_PATH`` (os.pathsep-separated); a path to a ``.yaml`` file works anywhere an id
does. Every problem is reported as ``RubricError("<file>:<key.path>", reason)``.
"""

from __future__ import annotations

import os
import re
import reprlib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import RubricError, UnknownRubricError
from .report import STAR_PARTS

Level = Literal["error", "warning", "suggestion"]
MAX_INLINE_CHARS = 100_000
_ALIAS = re.compile(r"(?:^|[\s\[,{:])\*[\w-]+", re.M)
LEVELS = ("error", "warning", "suggestion")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Examples(_Strict):
    bad: list[str] = Field(default_factory=list, description="Answers this rule must flag.")
    good: list[str] = Field(default_factory=list, description="Answers this rule must not flag.")


class RuleSpec(_Strict):
    id: str
    detector: str = Field(description="The detector function (see evaluator.rules); defaults to id.")
    level: Level
    message: str = Field(min_length=10)
    suggestion: str = Field(min_length=10)
    source: str = Field(description="Seed article file the rule is derived from.")
    quote: str = ""
    lexicons: dict[str, list[str]] = Field(default_factory=dict)
    params: dict[str, float] = Field(default_factory=dict)
    anchors: list[str] = Field(default_factory=list, description=(
        "Where a finding may point, and the precondition a trained model needs to raise one: "
        "lexicon names of this rule, registered anchors, quantities:<role|kind>, or signal:<name>."))
    vetoes: list[str] = Field(default_factory=list, description=(
        "Lexicons of this rule whose presence rules the finding out even when a trained model "
        "would raise it (explicit counter-evidence, e.g. a regulatory threshold next to a metric)."))
    examples: Examples = Field(default_factory=Examples)


class CriterionSpec(_Strict):
    id: str
    name: str
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    exemplars: list[str] = Field(default_factory=list)


class Scoring(_Strict):
    """How the 0-100 score is made (see README "How the score is computed")."""

    star: float = Field(0.5, ge=0)
    impact: float = Field(0.3, ge=0)
    criteria: float = Field(0.2, ge=0)
    penalties: dict[Level, float] = Field(
        default_factory=lambda: {"error": 10.0, "warning": 5.0, "suggestion": 2.0})
    max_penalty: float = Field(45.0, ge=0, le=100)
    low_confidence_cap: int = Field(15, ge=0, le=100)


class Rubric(_Strict):
    id: str
    name: str
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    abstract: bool = False
    star_weights: dict[str, float]
    star_cues: dict[str, list[str]] = Field(default_factory=dict)
    scoring: Scoring = Field(default_factory=Scoring)
    rules: dict[str, RuleSpec]
    criteria: list[CriterionSpec] = Field(default_factory=list)
    path: str = ""

    @field_validator("star_weights")
    @classmethod
    def _weights_cover_star(cls, v: dict[str, float]) -> dict[str, float]:
        unknown = set(v) - set(STAR_PARTS)
        if unknown:
            raise ValueError(f"unknown STAR part(s) {sorted(unknown)}; use {', '.join(STAR_PARTS)}")
        if any(w < 0 for w in v.values()) or sum(v.values()) <= 0:
            raise ValueError("weights must be >= 0 and not all zero")
        return {p: float(v.get(p, 0.0)) for p in STAR_PARTS}


# ---------------------------------------------------------------- locating files

def _packaged_dir() -> Path:
    repo = Path(__file__).resolve().parent.parent / "rubrics"
    if repo.is_dir():
        return repo
    return Path(str(resources.files("evaluator._rubrics")))


def search_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("STARLINT_RUBRIC_PATH", "").split(os.pathsep) if p]
    return [_packaged_dir(), *extra]


def available_rubrics(include_abstract: bool = False) -> list[str]:
    ids: list[str] = []
    for d in search_dirs():
        for f in sorted(d.glob("*.yaml")):
            if f.stem.startswith("_") and not include_abstract:
                continue
            if f.stem not in ids:
                ids.append(f.stem)
    return ids


def _resolve(ref: str) -> Path:
    if ref.endswith((".yaml", ".yml")) or os.sep in ref or "/" in ref:
        p = Path(ref)
        if not p.is_file():
            raise RubricError(ref, "file not found")
        return p
    for d in search_dirs():
        for name in (f"{ref}.yaml", f"_{ref}.yaml"):
            if (d / name).is_file():
                return d / name
    raise UnknownRubricError(ref, available_rubrics())


# ---------------------------------------------------------------- loading

def read_yaml_file(path: Path, error: Callable[[str, str], Exception]) -> Any:
    """Parse a YAML file; any problem raises ``error(where, reason)`` with the line when known.
    Shared by rubrics and the lint config so both report bad files the same way."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise error(where, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(str(path), f"cannot read file ({exc})") from None
    except RecursionError:
        raise error(str(path), "YAML nested too deeply") from None


def _read_yaml(path: Path) -> dict[str, Any]:
    data = read_yaml_file(path, RubricError)
    if not isinstance(data, dict):
        raise RubricError(str(path), "top level must be a mapping with id, name and rules")
    return data


def _merge_rules(parent: dict[str, Any], child: Any, where: str) -> dict[str, Any]:
    if child is None:
        return dict(parent)
    if not isinstance(child, dict):
        raise RubricError(f"{where}:rules", "must be a mapping of rule id -> settings or 'off'")
    merged = {k: dict(v) for k, v in parent.items()}
    for rule_id, spec in child.items():
        if spec is False or spec == "off":
            if rule_id not in merged:
                raise RubricError(f"{where}:rules.{rule_id}",
                                  f"cannot turn off {rule_id!r}: no such rule in the parent rubric")
            merged.pop(rule_id)
        elif isinstance(spec, str) and spec in LEVELS:
            if rule_id not in merged:
                raise RubricError(f"{where}:rules.{rule_id}", "a new rule needs a full definition")
            merged[rule_id]["level"] = spec
        elif isinstance(spec, dict):
            merged[rule_id] = {**merged.get(rule_id, {}), **spec}
        else:
            shown = reprlib.repr(spec)  # bounded: a YAML alias bomb must not explode the message
            raise RubricError(f"{where}:rules.{rule_id}",
                              f"{shown} is not 'off', one of {'|'.join(LEVELS)}, or a mapping")
    return merged


def _raw(path: Path, seen: tuple[str, ...] = (), allow_paths: bool = True) -> dict[str, Any]:
    data = _read_yaml(path)
    parent_ref = data.pop("extends", None)
    if parent_ref is None:
        data["rules"] = _merge_rules({}, data.get("rules"), str(path))
        return data
    if not isinstance(parent_ref, str):
        raise RubricError(f"{path}:extends", "must be a rubric id or a path")
    if not allow_paths and not parent_ref.replace("-", "").replace("_", "").isalnum():
        raise RubricError(f"{path}:extends", "an inline rubric may only extend a rubric id, not a path")
    if parent_ref in seen:
        raise RubricError(f"{path}:extends", f"circular extends: {' -> '.join(seen + (parent_ref,))}")
    try:
        parent_path = _resolve(parent_ref)
    except UnknownRubricError as exc:
        raise RubricError(f"{path}:extends", exc.reason) from None
    parent = _raw(parent_path, seen + (parent_ref,))
    merged = {k: v for k, v in parent.items() if k not in ("abstract", "id", "name", "description")}
    for key, value in data.items():
        if key == "rules":
            continue
        if key in ("star_cues",) and isinstance(value, dict):
            merged[key] = {**parent.get(key, {}), **value}
        elif key == "scoring" and isinstance(value, dict):
            merged[key] = {**parent.get(key, {}), **value}
        else:
            merged[key] = value
    merged["rules"] = _merge_rules(parent["rules"], data.get("rules"), str(path))
    return merged


def parse_rubric(data: dict[str, Any], where: str) -> Rubric:
    """Validate a merged rubric mapping; errors name ``where`` and the key path."""
    from .answer import SENTENCE_SIGNALS
    from .rules import ANCHORS, DETECTORS  # local: rules import rubric types

    rules = data.get("rules", {})
    if isinstance(rules, dict):
        for rule_id, spec in rules.items():
            if isinstance(spec, dict):
                spec.setdefault("id", rule_id)
                spec.setdefault("detector", rule_id)
    try:
        rubric = Rubric.model_validate({**data, "path": where})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        more = f" (and {len(exc.errors()) - 1} more problem(s))" if len(exc.errors()) > 1 else ""
        raise RubricError(f"{where}:{loc}", _friendly(err) + more) from None
    for rule_id, spec in rubric.rules.items():
        if spec.detector not in DETECTORS:
            raise RubricError(f"{where}:rules.{rule_id}.detector",
                              f"unknown detector {spec.detector!r}; known: {', '.join(sorted(DETECTORS))}")
        for i, name in enumerate(spec.anchors):
            if not (name in ANCHORS or name in spec.lexicons or name.startswith("quantities:")
                    or (name.startswith("signal:") and name.split(":", 1)[1] in SENTENCE_SIGNALS)):
                raise RubricError(f"{where}:rules.{rule_id}.anchors[{i}]",
                                  f"{name!r} is not a lexicon of this rule, quantities:<role|kind>, "
                                  f"signal:<{'|'.join(SENTENCE_SIGNALS)}>, or one of {', '.join(sorted(ANCHORS))}")
        for i, name in enumerate(spec.vetoes):
            if name not in spec.lexicons:
                raise RubricError(f"{where}:rules.{rule_id}.vetoes[{i}]", f"{name!r} is not a lexicon of this rule")
        if spec.id != rule_id:
            raise RubricError(f"{where}:rules.{rule_id}.id", f"id {spec.id!r} differs from its key")
    return rubric


def _friendly(err: dict[str, Any]) -> str:
    if err["type"] == "literal_error":
        return f"{err['input']!r} is not one of {err['ctx']['expected']}"
    if err["type"] == "missing":
        return "required key is missing"
    if err["type"] == "extra_forbidden":
        return "unknown key (check the spelling)"
    return str(err["msg"])


def load_rubric_file(path: str | Path, allow_paths: bool = True) -> Rubric:
    path = Path(path)
    return parse_rubric(_raw(path, (path.stem,), allow_paths), str(path))


@lru_cache(maxsize=64)
def _load_cached(ref: str, mtime: float) -> Rubric:
    return load_rubric_file(_resolve(ref))


def load_rubric(ref: "str | Rubric") -> Rubric:
    """Load a rubric by id (``"bmw"``) or path; cached per file modification time."""
    if isinstance(ref, Rubric):
        return ref
    path = _resolve(ref)
    return _load_cached(ref, path.stat().st_mtime)


def rubric_from_text(text: str, name: str = "<inline>") -> Rubric:
    """Validate a rubric given as YAML text (the service's /v1/rubrics/validate)."""
    import tempfile

    if len(text) > MAX_INLINE_CHARS:
        raise RubricError(name, f"rubric text is {len(text):,} characters, over the {MAX_INLINE_CHARS:,} limit")
    if len(_ALIAS.findall(text)) > 50:  # refuse "billion laughs" alias expansion before parsing
        raise RubricError(name, "too many YAML aliases (*name); write the rubric out in full")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "inline.yaml"
        p.write_text(text, encoding="utf-8")
        try:
            return load_rubric_file(p, allow_paths=False)
        except RubricError as exc:
            raise RubricError(exc.where.replace(str(p), name), exc.reason) from None
