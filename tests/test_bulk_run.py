"""A bulk run end to end (rules mode, in process unless stated): results, errors, resume,
the guards around existing outputs, and the `starlint bulk` command's exit codes."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluator import Evaluator, Report
from evaluator.bulk import BulkError, BulkOptions, read_errors, read_results, run_bulk
from evaluator.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "bulk"
TABLES = FIXTURES / "tables"
RULES = BulkOptions(mode="rules", jobs=1, chunk_size=4)
EXE = shutil.which("starlint") or str(Path(sys.executable).parent / "starlint")


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted run over tables and transcripts, shared by the tests that compare to it."""
    out = tmp_path_factory.mktemp("ref") / "results.jsonl"
    run_bulk([TABLES / "answers.csv", TABLES / "answers.jsonl", FIXTURES / "transcripts"], out, RULES)
    return out


def test_results_rows_carry_source_scores_and_the_full_report(reference: Path) -> None:
    rows = lines(reference)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == 7 + 4 + 15  # csv (ben-2 is empty) + jsonl + transcripts
    assert ids[:3] == ["ana-1", "ana-2", "ana-3"]  # input order
    ana2 = rows[1]
    assert ana2["candidate"] == "Ana Ruiz" and ana2["source"].endswith("answers.csv:row 3")
    assert "accuracy-without-impact" in ana2["findings"]
    assert set(ana2["star"]) == {"situation", "task", "action", "result", "reflection", "completeness"}
    report = Report.model_validate(ana2["report"])
    assert report.score == ana2["score"] and report.mode == "rules"
    # a view of the library's report, never a re-computation
    direct = Evaluator(mode="rules").evaluate(
        "I built a 99.9 % accurate churn model using gradient boosting and a lot of feature engineering.")
    assert report == direct
    vtt = next(r for r in rows if r["id"].endswith("screening_call.vtt#1"))
    assert vtt["candidate"] == "Maria Gomez" and vtt["source"].endswith("@00:00:16-00:00:48")


def test_failures_go_to_the_errors_file_with_where_and_why(reference: Path) -> None:
    errors = lines(reference.with_name("results.errors.jsonl"))
    by_where = {(Path(e["file"]).name, e["row"] or e["line"]): e for e in errors}
    assert set(by_where) == {("answers.csv", 6), ("answers.jsonl", 4), ("answers.jsonl", 5),
                             ("answers.jsonl", 6), ("answers.jsonl", 7)}
    empty = by_where[("answers.csv", 6)]
    assert (empty["id"], empty["stage"], empty["code"]) == ("ben-2", "scoring", "empty_answer")
    assert "empty" in empty["reason"] and empty["candidate"] == "Ben Okafor"
    assert by_where[("answers.jsonl", 4)]["stage"] == "input"


def test_csv_output_holds_the_same_rows(reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.csv"
    run_bulk([TABLES / "answers.csv", TABLES / "answers.jsonl", FIXTURES / "transcripts"], out, RULES)
    with open(out, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[:7] == ["id", "candidate", "question", "source", "rubric", "mode", "score"]
    expected = [{k: v for k, v in r.items() if k != "report"} for r in read_results(reference)]
    for r in expected:  # CSV text cells are one line each
        r["question"] = " ".join(r["question"].split())
    assert list(read_results(out)) == expected


def test_resume_cuts_a_torn_line_and_finishes_exactly_once(reference: Path, tmp_path: Path) -> None:
    out, errs = tmp_path / "results.jsonl", tmp_path / "results.errors.jsonl"
    done = reference.read_bytes().splitlines(keepends=True)
    # as a SIGKILL mid-write leaves it: 9 complete rows, then half of the 10th
    out.write_bytes(b"".join(done[:9]) + done[9][: len(done[9]) // 2])
    shutil.copy(reference.with_name("results.errors.jsonl"), errs)
    result = run_bulk([TABLES / "answers.csv", TABLES / "answers.jsonl", FIXTURES / "transcripts"], out, RULES,
                      resume=True)
    assert (result.skipped, result.scored, result.failed) == (9 + 1, len(done) - 9, 0)  # ben-2 already failed
    assert out.read_bytes() == reference.read_bytes()
    assert errs.read_bytes() == reference.with_name("results.errors.jsonl").read_bytes()


def test_duplicate_ids_are_reported_once_even_across_resumes(tmp_path: Path) -> None:
    out = tmp_path / "dup.jsonl"
    run_bulk([TABLES / "duplicate_ids.csv"], out, RULES)
    run_bulk([TABLES / "duplicate_ids.csv"], out, RULES, resume=True)
    assert [r["id"] for r in read_results(out)] == ["d-1", "d-2"]
    [dup] = list(read_errors(tmp_path / "dup.errors.jsonl"))
    assert (dup["code"], dup["row"], dup["id"]) == ("duplicate_id", 4, "d-1")


def test_a_folder_holding_the_output_is_not_read_back_as_input(tmp_path: Path) -> None:
    shutil.copy(TABLES / "answers.csv", tmp_path / "answers.csv")
    run_bulk([tmp_path], tmp_path / "results.csv", RULES)
    (tmp_path / "results.summary.csv").write_text("candidate,answers\nAna Ruiz,3\n")  # as the CLI leaves it
    result = run_bulk([tmp_path], tmp_path / "results.csv", RULES, resume=True)
    assert (result.scored, result.failed, result.skipped) == (0, 0, 8)  # 7 scored + 1 empty, failed


def test_existing_output_needs_resume_or_overwrite(reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    shutil.copy(reference, out)
    with pytest.raises(BulkError, match="--resume .* --overwrite"):
        run_bulk([TABLES / "answers.csv"], out, RULES)
    result = run_bulk([TABLES / "answers.csv"], out, RULES, overwrite=True)
    assert result.scored == 7 and len(lines(out)) == 7


def test_resume_with_another_rubric_is_refused(reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    shutil.copy(reference, out)
    with pytest.raises(BulkError, match="rubric 'general' in rules mode"):
        run_bulk([TABLES / "answers.csv"], out, BulkOptions(rubric="negotiation", mode="rules", jobs=1), resume=True)


def test_a_damaged_line_before_good_ones_is_not_silently_dropped(reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    rows = reference.read_bytes().splitlines(keepends=True)
    out.write_bytes(rows[0] + b'{"id": "broken\n' + b"".join(rows[1:4]))
    with pytest.raises(BulkError, match="line 2 is damaged"):
        run_bulk([TABLES / "answers.csv"], out, RULES, resume=True)


def test_resume_into_a_file_that_is_not_a_results_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    out.write_text('{"name": "someone else\'s data"}\n')
    with pytest.raises(BulkError, match="not a starlint results row"):
        run_bulk([TABLES / "answers.csv"], out, RULES, resume=True)
    assert out.read_text() == '{"name": "someone else\'s data"}\n'


def test_worker_processes_give_the_same_results_as_one_process(reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "pool.jsonl"
    result = run_bulk([TABLES / "answers.csv", TABLES / "answers.jsonl", FIXTURES / "transcripts"], out,
                      BulkOptions(mode="rules", jobs=2, chunk_size=3))
    assert result.workers == 2
    assert out.read_bytes() == reference.read_bytes()


# ---------------------------------------------------------------------- the command


@pytest.mark.parametrize("args,needle", [
    (["missing.csv", "-o", "{tmp}/r.jsonl"], "no such file"),
    (["{tables}/answers.csv", "-o", "{tmp}/r.txt"], ".jsonl or .csv"),
    (["{tables}/answers.csv", "-o", "{tmp}/r.jsonl", "--rubric", "nope"], "unknown rubric"),
    (["{tables}/answers.csv", "-o", "{tmp}/r.jsonl", "--engine", "dask"], "--scheduler"),
    (["{tables}/answers.csv", "-o", "{tmp}/r.jsonl", "--resume", "--overwrite"], "pick one"),
])
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], needle: str) -> None:
    argv = ["bulk", *(a.format(tmp=tmp_path, tables=TABLES) for a in args), "--mode", "rules", "--jobs", "1"]
    res = CliRunner().invoke(app, argv)
    assert res.exit_code == 2 and needle in res.output, res.output


def test_column_flags_and_exit_0_when_nothing_failed(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    res = CliRunner().invoke(app, ["bulk", str(TABLES / "custom_columns.csv"), "-o", str(out), "--mode", "rules",
                                   "--id-col", "Response ID", "--candidate-col", "Name", "--question-col", "Prompt",
                                   "--answer-col", "Response", "--jobs", "1"])
    assert res.exit_code == 0, res.output
    assert [r["id"] for r in read_results(out)] == ["r-100", "r-101"]
    summary = list(csv.DictReader(open(tmp_path / "r.summary.csv", encoding="utf-8")))
    assert [(s["candidate"], s["answers"]) for s in summary] == [("Dev Shah", "2")]


def test_real_command_exit_1_with_summary_and_log_lines(tmp_path: Path) -> None:
    out, report = tmp_path / "results.jsonl", tmp_path / "report.html"
    p = subprocess.run([EXE, "bulk", str(TABLES / "answers.csv"), str(FIXTURES / "malformed" / "garbage.srt"),
                        "-o", str(out), "--mode", "rules", "--jobs", "1", "--report", str(report)],
                       capture_output=True, text=True, timeout=180)
    assert p.returncode == 1, p.stderr  # an empty answer and an unparsable transcript failed
    assert "Ana Ruiz" in p.stdout and "Mean" in p.stdout  # the per-candidate table
    assert "9/9 answers (100%)" in p.stderr and "answers/s" in p.stderr  # plain progress when not a TTY
    assert "2 failed" in p.stderr and "results.errors.jsonl" in p.stderr
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    summary = {r["candidate"]: r for r in csv.DictReader(open(tmp_path / "results.summary.csv", encoding="utf-8"))}
    assert summary["Ben Okafor"]["answers"] == "2" and summary["Ben Okafor"]["failed"] == "1"
