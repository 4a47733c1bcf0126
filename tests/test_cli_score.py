"""The real `starlint` executable: score, schema, rubrics (run as a subprocess)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = shutil.which("starlint") or str(Path(sys.executable).parent / "starlint")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_score_json_from_stdin() -> None:
    p = run("score", "-", "--mode", "rules", "--format", "json", stdin="I built a 99.9 % accurate model.")
    assert p.returncode == 0, p.stderr
    report = json.loads(p.stdout)
    assert report["schema_version"] and "accuracy-without-impact" in {f["rule"] for f in report["findings"]}


def test_score_text_shows_span_and_suggestion(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("I’m looking for a $200,000 base salary.", encoding="utf-8")
    p = run("score", str(f), "--rubric", "negotiation", "--mode", "rules")
    assert p.returncode == 0, p.stderr
    assert "single-number-ask" in p.stdout and "$200,000" in p.stdout and "total" in p.stdout.lower()


@pytest.mark.parametrize("args,stdin,needle", [
    (("score", "-", "--mode", "rules"), "   ", "empty"),
    (("score", "nope.txt", "--mode", "rules"), None, "no such file"),
    (("score", "-", "--rubric", "nope", "--mode", "rules"), "I led it.", "unknown rubric"),
])
def test_score_errors_exit_2(args, stdin, needle) -> None:  # noqa: ANN001
    p = run(*args, stdin=stdin)
    assert p.returncode == 2 and needle in p.stderr.lower()


def test_schema_is_json_schema() -> None:
    p = run("schema")
    schema = json.loads(p.stdout)
    assert schema["title"] == "Report" and "findings" in schema["properties"]


def test_rubrics_list_show_validate(tmp_path: Path) -> None:
    assert "bmw" in run("rubrics", "list").stdout
    assert "alignment" in run("rubrics", "show", "bmw").stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\nname: Bad\nextends: general\nrules:\n  solo-credit: {level: eror}\n")
    p = run("rubrics", "validate", str(bad))
    assert p.returncode == 2 and "rules.solo-credit.level" in p.stderr
