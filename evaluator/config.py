"""Project configuration for ``starlint check``: ``.starlint.yaml`` or ``[tool.starlint]``.

::

    rubric: general              # default rubric for every answer
    rubrics:                     # per-glob rubric; the first matching glob wins
      "prep/bmw/**": bmw
    rules:                       # re-level or switch off rules in every rubric
      missing-reflection: off
      solo-credit: error
    exclude: ["drafts/**"]
    min_score: 60                # every answer must score at least this
    fail_on: warning             # error | warning | suggestion

The file is found by ``--config``, then ``STARLINT_CONFIG``, then by walking up from the working
directory (``.starlint.yaml``/``.yml``, or a ``pyproject.toml`` with a ``[tool.starlint]`` table).
Globs are relative to the config file's folder: ``**`` spans folders, ``*`` does not, a glob
without ``/`` matches a file or folder name at any depth, and a folder matches everything in it.
Every problem is a :class:`ConfigError` naming ``file:key`` and the reason.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import RubricError, StarlintError
from .rubric import Rubric, _friendly, load_rubric, read_yaml_file, search_dirs

CONFIG_NAMES = (".starlint.yaml", ".starlint.yml")
KEYS = ("rubric", "rubrics", "rules", "exclude", "min_score", "fail_on")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ConfigError(StarlintError):
    """A config file is missing, unreadable or does not match the schema."""

    code = "invalid_config"

    def __init__(self, where: str, reason: str) -> None:
        self.where, self.reason = where, reason
        super().__init__(f"{where}: {reason}")


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rubric: str = "general"
    rubrics: dict[str, str] = Field(default_factory=dict)
    rules: dict[str, Literal["off", "suggestion", "warning", "error"]] = Field(default_factory=dict)
    exclude: list[str] = Field(default_factory=list)
    min_score: int = Field(0, ge=0, le=100)
    fail_on: Literal["error", "warning", "suggestion"] = "error"


@dataclass(frozen=True)
class Config:
    rubric: str = "general"
    rubrics: dict[str, str] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    min_score: int = 0
    fail_on: str = "error"
    file: Path | None = None
    found_by: str = "no config file found"
    root: Path = field(default_factory=Path.cwd)
    origins: dict[str, str] = field(default_factory=dict)  # key -> where its value came from

    def override(self, **values: Any) -> Config:  # noqa: ANN401
        """Command-line options win over the file; ``None`` means "not given"."""
        given = {k: v for k, v in values.items() if v is not None}
        if "rubric" in given:
            _check_rubric(given["rubric"], "--rubric")
        origins = {**self.origins, **{k: f"command line (--{k.replace('_', '-')})" for k in given}}
        return replace(self, **given, origins=origins)

    def rubric_for(self, path: Path | None) -> str:
        rel = self._relative(path)
        if rel is not None:
            for pattern, rubric in self.rubrics.items():
                if glob_match(pattern, rel):
                    return rubric
        return self.rubric

    def excluded(self, path: Path) -> bool:
        rel = self._relative(path)
        return rel is not None and any(glob_match(p, rel) for p in self.exclude)

    def derive(self, rubric: Rubric) -> Rubric:
        """``rubric`` with this config's rule levels applied (``off`` drops the rule)."""
        if not any(r in self.rules for r in rubric.rules):
            return rubric
        rules = {rid: spec.model_copy(update={"level": self.rules[rid]}) if rid in self.rules else spec
                 for rid, spec in rubric.rules.items() if self.rules.get(rid) != "off"}
        return rubric.model_copy(update={"rules": rules})

    def show(self) -> str:
        """The resolved config as YAML, each key commented with where its value came from."""
        head = f"# config file: {self.file}" if self.file else "# no config file: defaults only"
        lines = [f"{head} ({self.found_by})", f"# globs are relative to {self.root}"]
        for key in KEYS:
            value = getattr(self, key)
            text = _flow(list(value) if isinstance(value, tuple) else value)
            lines.append(f"{key + ': ' + text:<44} # {self.origins.get(key, 'default')}")
        return "\n".join(lines)

    def _relative(self, path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None  # outside the project: no glob applies


def _flow(value: Any) -> str:
    """A value as one line of YAML (JSON is YAML)."""
    return str(value) if isinstance(value, (str, int)) else json.dumps(value)


# ---------------------------------------------------------------- finding and loading

def find_config(explicit: str | None = None, cwd: Path | None = None) -> tuple[Path | None, str]:
    """The config file to use and how it was found."""
    if explicit:
        return _existing(Path(explicit), "--config"), "--config"
    env = os.environ.get("STARLINT_CONFIG")
    if env:
        return _existing(Path(env), "STARLINT_CONFIG"), "STARLINT_CONFIG"
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name, f"found searching up from {start}"
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "starlint" in _read_toml(pyproject).get("tool", {}):
            return pyproject, f"found searching up from {start}"
    return None, f"none found searching up from {start}"


def load_config(explicit: str | None = None, cwd: Path | None = None) -> Config:
    path, found_by = find_config(explicit, cwd)
    if path is None:
        return Config(found_by=found_by, root=(cwd or Path.cwd()).resolve())
    if path.name == "pyproject.toml":
        tool = _read_toml(path).get("tool", {})
        if "starlint" not in tool:
            raise ConfigError(str(path), "has no [tool.starlint] table")
        data, prefix, origin = tool["starlint"], f"{path}:tool.starlint.", f"{path} [tool.starlint]"
    else:
        data, prefix, origin = _read_yaml(path), f"{path}:", str(path)
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise ConfigError(prefix.rstrip(":."), f"must be a mapping with keys {', '.join(KEYS)}")
    data = {k: {} if v is None and k in ("rubrics", "rules") else v for k, v in data.items()}
    if isinstance(data.get("rules"), dict):  # YAML 1.1 reads a bare `off` as false
        data["rules"] = {k: "off" if v is False else v for k, v in data["rules"].items()}
    try:
        schema = _Schema.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(prefix + ".".join(str(p) for p in err["loc"]), _friendly(dict(err))) from None
    root = path.resolve().parent
    rubric = rubric_ref(schema.rubric, root)
    _check_rubric(rubric, prefix + "rubric")
    rubrics = {glob: rubric_ref(ref, root) for glob, ref in schema.rubrics.items()}
    for glob, ref in rubrics.items():
        _check_rubric(ref, f"{prefix}rubrics.{glob}")
    known = known_rule_ids(Config(rubric=rubric, rubrics=rubrics))
    for rule_id in schema.rules:
        if rule_id not in known:
            raise ConfigError(f"{prefix}rules.{rule_id}",
                              f"unknown rule {rule_id!r}; known rules: {', '.join(sorted(known))}")
    return Config(rubric=rubric, rubrics=rubrics, rules=dict(schema.rules), exclude=tuple(schema.exclude),
                  min_score=schema.min_score, fail_on=schema.fail_on, file=path, found_by=found_by,
                  root=root, origins={k: origin for k in data})


@lru_cache(maxsize=1)
def _shipped_rule_ids() -> frozenset[str]:
    # The keys under `rules:` of every rubric file starlint can find. Read as plain YAML (10x faster
    # than loading every rubric with its extends chain); a rubric's own errors surface when used.
    ids: set[str] = set()
    for folder in search_dirs():
        for path in folder.glob("*.y*ml"):
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
            except (OSError, UnicodeDecodeError, yaml.YAMLError):
                continue
            if isinstance(data, dict) and isinstance(data.get("rules"), dict):
                ids.update(str(rule_id) for rule_id in data["rules"])
    return frozenset(ids)


def known_rule_ids(config: Config | None = None) -> frozenset[str]:
    """Every rule id a config or a comment may name: the rubrics starlint can find and those the
    config names (a path works too), plus the findings of ``starlint check`` itself."""
    from .formats.base import CHECK_RULES

    used = [config.rubric, *config.rubrics.values()] if config else []
    return _shipped_rule_ids() | frozenset(CHECK_RULES) | {r for ref in used for r in load_rubric(ref).rules}


def glob_match(pattern: str, rel: str) -> bool:
    """Match a config glob against a path relative to the config folder (see module docs)."""
    pattern = pattern.strip().removeprefix("./").strip("/")
    parts = rel.split("/")
    if "/" not in pattern:
        return any(_glob_regex(pattern).fullmatch(p) for p in parts)
    return any(_glob_regex(pattern).fullmatch("/".join(parts[:i])) for i in range(1, len(parts) + 1))


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            out.append({"*": "[^/]*", "?": "[^/]"}.get(pattern[i], re.escape(pattern[i])))
            i += 1
    return re.compile("".join(out))


def rubric_ref(ref: str, root: Path) -> str:
    """Rubric ids stay ids; a rubric given as a path is relative to the config file's folder."""
    if ref.endswith((".yaml", ".yml")) or "/" in ref or os.sep in ref:
        return str((root / ref).resolve())
    return ref


def _check_rubric(ref: str, where: str) -> None:
    try:
        load_rubric(ref)
    except RubricError as exc:
        raise ConfigError(where, exc.reason) from None


def _existing(path: Path, via: str) -> Path:
    if not path.is_file():
        raise ConfigError(str(path), f"config file not found (given by {via})")
    return path


def _read_yaml(path: Path) -> Any:
    return read_yaml_file(path, ConfigError)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), f"not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), f"cannot read file ({exc})") from None
