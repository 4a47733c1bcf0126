"""`starlint check` as a user runs it: exit codes (the real executable), options, stdin, full mode."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluator.cli import app
from evaluator.config import Config
from evaluator.documents import check_documents, parse_document

EXE = shutil.which("starlint") or str(Path(sys.executable).parent / "starlint")
FIXTURES = Path(__file__).parent / "fixtures" / "check"
DOCS = FIXTURES / "docs"
GOOD = ("At my last company churn was rising. My goal was to cut churn before renewal season. I partnered with "
        "the analytics lead and two engineers to build a retention model, piloted it in one region and monitored "
        "it for bias and drift. Churn fell from 4 % to 3 % in two quarters, worth $1.1M a year. "
        "I learned to involve support agents early.")
WARNING_ONLY = "I am a team player and I always go above and beyond for my colleagues."


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STARLINT_CONFIG", raising=False)


def run(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "STARLINT_CONFIG"}
    return subprocess.run([EXE, "check", *args], cwd=cwd, input=stdin, capture_output=True, text=True,
                          timeout=300, env=env)


def check(*args: str, stdin: str | None = None):  # noqa: ANN201
    return CliRunner().invoke(app, ["check", "--mode", "rules", *args], input=stdin)


def doc(tmp_path: Path, body: str, name: str = "prep.md") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


# ---------------------------------------------------------------- exit codes, real executable

def test_exit_0_when_nothing_fails(tmp_path: Path) -> None:
    doc(tmp_path, f"## Tell me about churn\n\n{GOOD}\n")
    p = run("prep.md", "--mode", "rules", cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "1 answers in 1 files: no problems. passed" in p.stdout


def test_exit_1_when_the_check_fails() -> None:
    p = run(".", "--mode", "rules", "--format", "line", cwd=DOCS)
    assert p.returncode == 1, p.stderr
    assert "prep/behavioral.md:10:1: error accuracy-without-impact: " in p.stdout


def test_exit_2_on_a_bad_config(tmp_path: Path) -> None:
    doc(tmp_path, f"## Q\n\n{GOOD}\n")
    doc(tmp_path, "rules:\n  solo-credit: eror\n", ".starlint.yaml")
    p = run("prep.md", "--mode", "rules", cwd=tmp_path)
    assert p.returncode == 2 and p.stdout == ""
    assert ".starlint.yaml:rules.solo-credit: 'eror' is not one of" in p.stderr


# ---------------------------------------------------------------- options, in process

@pytest.mark.parametrize("args,code", [
    ((), 0),                          # warnings do not fail by default (--fail-on error)
    (("--fail-on", "warning"), 1),
    (("--fail-on", "warning", "--no-exit"), 0),
    (("--min-score", "50"), 1),       # the answer scores far below 50
    (("--fail-on", "never"), 2),      # usage error
])
def test_fail_on_min_score_and_no_exit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple, code: int) -> None:
    doc(tmp_path, f"## Strengths\n\n{WARNING_ONLY}\n")
    monkeypatch.chdir(tmp_path)
    assert check("prep.md", *args).exit_code == code


@pytest.mark.parametrize("args,needle", [
    (("missing.md",), "missing.md: no such file or directory"),
    (("nothing/**/*.md",), "nothing/**/*.md: no files match"),
    (("prep.md", "--rubric", "nope"), "unknown rubric 'nope'"),
    (("prep.md", "--config", "nope.yaml"), "nope.yaml: config file not found"),
    (("bad-rubric.md",), "bad-rubric.md:3: unknown rubric 'nope'"),
    (("latin1.txt",), "latin1.txt: not UTF-8 text"),
])
def test_errors_exit_2_and_say_where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple, needle: str) -> None:
    doc(tmp_path, f"## Q\n\n{GOOD}\n")
    doc(tmp_path, f"## A\n{GOOD}\n<!-- starlint rubric=nope -->\n## B\n{GOOD}\n", "bad-rubric.md")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    monkeypatch.chdir(tmp_path)
    result = check(*args)
    assert result.exit_code == 2 and needle in result.stderr, result.output


def test_folders_globs_and_exclude(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc(tmp_path, "exclude: [drafts]\n", ".starlint.yaml")
    for name in ("prep/a.md", "prep/sub/b.txt", "prep/.hidden/c.md", "drafts/d.md", "prep/e.md.bak"):
        doc(tmp_path, f"## {name}\n\n{WARNING_ONLY}\n", name)
    monkeypatch.chdir(tmp_path)
    result = check(".", "prep/*.md", "drafts/d.md", "--format", "line")  # explicit files honour exclude too
    assert sorted({line.split(":")[0] for line in result.stdout.splitlines()}) == ["prep/a.md", "prep/sub/b.txt"]


def test_stdin_uses_the_filename_for_config_globs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc(tmp_path, "rubrics:\n  'offers/**': negotiation\n", ".starlint.yaml")
    monkeypatch.chdir(tmp_path)
    ask = "## Salary?\n\nI’m looking for a $200,000 base salary.\n"
    result = check("-", "--stdin-filename", "offers/acme.md", "--format", "line", stdin=ask)
    assert result.exit_code == 1
    assert result.stdout.startswith("offers/acme.md:3:1: error single-number-ask: ")
    assert "<stdin>:3:1: " in check("-", "--format", "line", "--fail-on", "suggestion", stdin=ask).stdout


def test_an_unscorable_answer_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc(tmp_path, f"## Q\n\n{GOOD}\n")
    monkeypatch.chdir(tmp_path)
    result = check("prep.md", "--max-chars", "100", "--format", "line")
    assert result.exit_code == 1
    assert result.stdout.startswith("prep.md:1:1: error unscorable-answer: ") and "100" in result.stdout


def test_empty_folder_checks_nothing_and_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = check(".", "--format", "sarif")
    assert result.exit_code == 0 and '"results": []' in result.stdout and "no documents" in result.stderr


def _prep_doc(n: int) -> str:
    spec = importlib.util.spec_from_file_location("make_prep", FIXTURES / "make_prep.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.prep_doc(n)


def test_a_hundred_answer_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc(tmp_path, _prep_doc(100))
    monkeypatch.chdir(tmp_path)
    result = check("prep.md", "--format", "json", "--no-exit")
    assert result.exit_code == 0
    import json

    answers = json.loads(result.stdout)["files"][0]["answers"]
    assert len(answers) == 100 and all(a["report"] for a in answers)
    assert answers[1]["findings"][0]["rule"] == "accuracy-without-impact" and answers[1]["line"] == 7


def test_full_mode(full_ev) -> None:  # noqa: ANN001  (the session's full-mode Evaluator)
    text = (DOCS / "prep" / "behavioral.md").read_text(encoding="utf-8")
    document = parse_document(text, "behavioral.md")
    result = check_documents([document], full_ev, Config())
    assert result.mode == "full" and len(result.answers) == 3
    shipped = next(a for a in result.answers if a.question == "Tell me about a model you shipped")
    assert ("accuracy-without-impact", 10, 1) in {(f.rule, f.line, f.column) for f in shipped.findings}
