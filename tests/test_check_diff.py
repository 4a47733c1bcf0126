"""`starlint check --diff REF` against a real temporary git repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluator.cli import app
from evaluator.gitdiff import changed_lines

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

BAD = "I built a 99.9 % accurate model."
OLD = f"## Old answer\n\n{BAD}\n\n## Another old answer\n\nI am a team player.\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                           *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "prep").mkdir()
    (tmp_path / "prep" / "answers.md").write_text(OLD, encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "old answers")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STARLINT_CONFIG", raising=False)
    return tmp_path


def check(*args: str):  # noqa: ANN201
    return CliRunner().invoke(app, ["check", "--mode", "rules", "--format", "line", *args])


def test_only_findings_on_changed_lines(repo: Path) -> None:
    everything = check("prep")
    assert "prep/answers.md:3:1: error accuracy-without-impact" in everything.stdout
    assert check("prep", "--diff", "HEAD").stdout == ""  # nothing changed yet
    (repo / "prep" / "answers.md").write_text(OLD + f"\n## New answer\n\n{BAD}\n", encoding="utf-8")
    result = check("prep", "--diff", "HEAD")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("prep/answers.md:11:") for line in lines), lines
    git(repo, "commit", "-qam", "new answer")
    assert check("prep", "--diff", "HEAD").stdout == ""
    assert check("prep", "--diff", "HEAD~1").stdout == result.stdout  # committed changes count against older refs


def test_an_edit_inside_an_old_answer_reports_only_that_line(repo: Path) -> None:
    edited = OLD.replace("I am a team player.", "I am a team player and a natural leader.")
    (repo / "prep" / "answers.md").write_text(edited, encoding="utf-8")
    lines = check("prep", "--diff", "HEAD", "--fail-on", "suggestion").stdout.splitlines()
    assert lines and all(line.startswith("prep/answers.md:7:") for line in lines), lines


def test_untracked_files_count_as_changed(repo: Path) -> None:
    (repo / "prep" / "new.md").write_text(f"## Brand new\n\n{BAD}\n", encoding="utf-8")
    files = {line.split(":")[0] for line in check("prep", "--diff", "HEAD").stdout.splitlines()}
    assert files == {"prep/new.md"}


def test_min_score_gate_follows_the_answer_lines(repo: Path) -> None:
    assert check("prep", "--diff", "HEAD", "--min-score", "90").exit_code == 0
    (repo / "prep" / "answers.md").write_text(OLD.replace("team player.", "team player!"), encoding="utf-8")
    result = check("prep", "--diff", "HEAD", "--min-score", "90")
    assert result.exit_code == 1 and result.stdout.startswith("prep/answers.md:5:1: error below-min-score:")


def test_changed_lines_parses_hunks(repo: Path) -> None:
    path = repo / "prep" / "answers.md"
    lines = OLD.splitlines()
    lines[0], lines[6] = "## Renamed answer", "I partnered with design."
    path.write_text("\n".join([*lines, "", "added 1", "added 2"]) + "\n", encoding="utf-8")
    assert changed_lines("HEAD", [path]) == {path.resolve(): {1, 7, 8, 9, 10}}


@pytest.mark.parametrize("ref,needle", [("no-such-ref", "not a commit"), ("HEAD", "not a git repository")])
def test_diff_errors_exit_2(repo: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                            ref: str, needle: str) -> None:
    if needle == "not a git repository":
        outside = tmp_path_factory.mktemp("not-a-repo")
        (outside / "a.md").write_text(f"## Q\n\n{BAD}\n", encoding="utf-8")
        monkeypatch.chdir(outside)
        monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(outside.parent))
        result = check("a.md", "--diff", ref)
    else:
        result = check("prep", "--diff", ref)
    assert result.exit_code == 2 and needle in result.stderr.lower(), result.output
