"""`.starlint.yaml` / `[tool.starlint]`: discovery order, validation errors, rule levels, globs, --show."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluator import load_rubric
from evaluator.cli import app
from evaluator.config import ConfigError, find_config, glob_match, load_config


@pytest.fixture(autouse=True)
def _no_env_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STARLINT_CONFIG", raising=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discovery_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    nested = project / "prep" / "deep"
    nested.mkdir(parents=True)
    write(project / "pyproject.toml", "[project]\nname = 'x'\n")  # no [tool.starlint]: keep walking
    assert find_config(cwd=nested)[0] is None
    write(project / "pyproject.toml", "[tool.starlint]\nmin_score = 40\n")
    assert find_config(cwd=nested)[0] == project / "pyproject.toml"
    yaml_file = write(project / "prep" / ".starlint.yaml", "min_score: 10\n")
    assert find_config(cwd=nested)[0] == yaml_file  # the nearest folder wins
    env_file = write(tmp_path / "env.yaml", "min_score: 20\n")
    monkeypatch.setenv("STARLINT_CONFIG", str(env_file))
    assert find_config(cwd=nested) == (env_file, "STARLINT_CONFIG")
    explicit = write(tmp_path / "explicit.yaml", "min_score: 30\n")
    assert find_config(str(explicit), cwd=nested) == (explicit, "--config")
    assert load_config(cwd=nested).min_score == 20


@pytest.mark.parametrize("text,where,reason", [
    ("rules:\n  solo-credit: eror\n", ":rules.solo-credit", "'eror' is not one of"),
    ("rules:\n  solo-credt: error\n", ":rules.solo-credt", "unknown rule 'solo-credt'"),
    ("rubric: nope\n", ":rubric", "unknown rubric 'nope'"),
    ("rubrics:\n  'prep/**': nope\n", ":rubrics.prep/**", "unknown rubric 'nope'"),
    ("min_score: 101\n", ":min_score", "less than or equal to 100"),
    ("fail_on: info\n", ":fail_on", "'info' is not one of"),
    ("exclud: [x]\n", ":exclud", "unknown key"),
    ("rules: [1, 2\n", ":2", "not valid YAML"),
    ("- just a list\n", "", "must be a mapping"),
])
def test_bad_config_names_file_key_and_reason(tmp_path: Path, text: str, where: str, reason: str) -> None:
    path = write(tmp_path / ".starlint.yaml", text)
    with pytest.raises(ConfigError) as exc:
        load_config(cwd=tmp_path)
    assert str(exc.value).startswith(f"{path}{where}:") and reason in str(exc.value)


def test_pyproject_errors_name_the_table_key(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.starlint]\nmin_score = 'high'\n")
    with pytest.raises(ConfigError, match=rf"^{path}:tool\.starlint\.min_score: "):
        load_config(cwd=tmp_path)
    with pytest.raises(ConfigError, match=r"has no \[tool\.starlint\] table"):
        load_config(str(write(tmp_path / "other" / "pyproject.toml", "[tool.other]\n")))
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(str(tmp_path / "missing.yaml"))


def test_rule_levels_build_a_derived_rubric(tmp_path: Path) -> None:
    write(tmp_path / ".starlint.yaml", "rules:\n  solo-credit: error\n  missing-reflection: off\n")
    derived = load_config(cwd=tmp_path).derive(load_rubric("general"))
    assert derived.rules["solo-credit"].level == "error" and "missing-reflection" not in derived.rules
    assert load_rubric("general").rules["solo-credit"].level == "warning"  # the shipped rubric is untouched


def test_per_glob_rubric_and_exclude(tmp_path: Path) -> None:
    write(tmp_path / ".starlint.yaml", "rubric: ai-pm\nrubrics:\n  'prep/bmw/**': bmw\n  '*.neg.md': negotiation\n"
                                       "exclude: [drafts, 'prep/**/wip-*.md']\n")
    cfg = load_config(cwd=tmp_path)
    assert cfg.rubric_for(tmp_path / "prep/bmw/a/b.md") == "bmw"
    assert cfg.rubric_for(tmp_path / "prep/x/offer.neg.md") == "negotiation"
    assert cfg.rubric_for(tmp_path / "prep/other.md") == "ai-pm"
    assert cfg.rubric_for(Path("/elsewhere/prep/bmw/a.md")) == "ai-pm"  # outside the project: no glob applies
    assert cfg.excluded(tmp_path / "drafts/a.md") and cfg.excluded(tmp_path / "prep/drafts/a.md")
    assert cfg.excluded(tmp_path / "prep/x/y/wip-1.md") and not cfg.excluded(tmp_path / "prep/x/done.md")


@pytest.mark.parametrize("pattern,path,expected", [
    ("prep/*.md", "prep/a.md", True),
    ("prep/*.md", "prep/sub/a.md", False),
    ("prep/**/*.md", "prep/a.md", True),
    ("prep/**/*.md", "prep/sub/deeper/a.md", True),
    ("prep", "prep/sub/a.md", True),
    ("prep/", "prep/sub/a.md", True),
    ("*.txt", "notes/a.txt", True),
    ("./prep/a.md", "prep/a.md", True),
    ("pre", "prep/a.md", False),
])
def test_glob_match(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected


def test_config_show_prints_values_and_where_they_came_from(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / ".starlint.yaml", "min_score: 60\nrules:\n  solo-credit: off\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["config", "--show"])
    assert result.exit_code == 0, result.output
    shown = {key: [part.strip() for part in rest.split(" # ")] for key, rest in
             (line.split(": ", 1) for line in result.stdout.splitlines() if not line.startswith("#"))}
    assert shown["min_score"] == ["60", str(path.resolve())]
    assert shown["rules"] == ['{"solo-credit": "off"}', str(path.resolve())]
    assert shown["fail_on"] == ["error", "default"] and shown["rubric"] == ["general", "default"]
    assert f"# config file: {path.resolve()}" in result.stdout


def test_config_errors_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / ".starlint.yaml", "fail_on: sometimes\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["config", "--show"])
    assert result.exit_code == 2 and ".starlint.yaml:fail_on: 'sometimes' is not one of" in result.stderr
