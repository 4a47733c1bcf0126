"""Answer tables for `starlint bulk`: CSV and JSONL rows become answers, bad rows become problems
with their row or line, and the run's inputs are found in files and folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.bulk import AnswerItem, BulkError, ColumnMap, Problem, expand_inputs, read_inputs

TABLES = Path(__file__).parent / "fixtures" / "bulk" / "tables"


def read(path: Path, **columns: str) -> list[AnswerItem | Problem]:
    cmap = ColumnMap(**columns, explicit=frozenset(columns)) if columns else ColumnMap()
    return list(read_inputs([path.as_posix()], cmap))


def answers(items: list) -> list[AnswerItem]:
    return [x for x in items if isinstance(x, AnswerItem)]


def problems(items: list) -> list[Problem]:
    return [x for x in items if isinstance(x, Problem)]


def test_csv_rows_keep_spreadsheet_rows_and_multiline_answers() -> None:
    items = read(TABLES / "answers.csv")
    assert not problems(items)
    by_id = {a.id: a for a in answers(items)}
    assert len(by_id) == 8
    multi = by_id["ana-3"]
    assert "internal tools" in multi.answer and "\n" in multi.answer
    assert (multi.candidate, multi.row, multi.line) == ("Ana Ruiz", 4, 4)
    # the row after a two-line cell starts one line further down the file
    assert (by_id["ben-1"].row, by_id["ben-1"].line) == (5, 6)
    assert by_id["ben-2"].answer == ""  # empty answers are the evaluator's to reject, with its message
    assert by_id["cara-2"].source.endswith("answers.csv:row 10")  # after the blank spreadsheet row 8


def test_csv_row_without_id_gets_a_stable_file_row_id() -> None:
    a = read(TABLES / "answers.csv")
    b = read(TABLES / "answers.csv")
    generated = [x.id for x in answers(a) if x.candidate == "Ben Okafor" and "billing" in x.answer]
    assert generated == [f"{(TABLES / 'answers.csv').as_posix()}:7"]
    assert [x.id for x in answers(a)] == [x.id for x in answers(b)]


def test_csv_columns_mapped_by_name() -> None:
    default = problems(read(TABLES / "custom_columns.csv"))
    assert len(default) == 1 and default[0].code == "missing_column" and "--answer-col" in default[0].reason
    items = read(TABLES / "custom_columns.csv", id="Response ID", candidate="Name", question="Prompt",
                 answer="Response")
    got = answers(items)
    assert [(a.id, a.candidate) for a in got] == [("r-100", "Dev Shah"), ("r-101", "Dev Shah")]
    assert got[0].question.startswith("Tell me about a time you used data")


def test_csv_explicitly_mapped_column_that_is_missing_is_a_problem() -> None:
    [p] = read(TABLES / "answers.csv", candidate="Full name")
    assert p.code == "missing_column" and "'Full name'" in p.reason and p.row == 1


def test_csv_missing_answer_column_is_one_problem_for_the_file() -> None:
    [p] = read(TABLES / "no_answer_column.csv")
    assert p.code == "missing_column" and "response" in p.reason and p.row == 1


def test_csv_undecodable_row_is_reported_and_the_rest_is_read() -> None:
    items = read(TABLES / "latin1_row.csv")
    assert [a.id for a in answers(items)] == ["l-1", "l-3"]
    [p] = problems(items)
    assert (p.code, p.row) == ("undecodable", 3) and "UTF-8" in p.reason


def test_csv_ragged_rows_are_reported_not_misread() -> None:
    items = read(TABLES / "ragged.csv")
    assert [a.id for a in answers(items)] == ["g-1", "g-4"]
    extra, short = problems(items)
    assert (extra.row, short.row) == (3, 4)
    assert "6 cells" in extra.reason and "unquoted comma" in extra.reason and "2 cells" in short.reason


def test_csv_oversized_cell_is_a_problem_and_reading_goes_on(tmp_path: Path) -> None:
    f = tmp_path / "huge.csv"
    f.write_text("id,answer\nh-1," + "x" * 200_000 + "\nh-2,I shipped the new search ranking with the data team.\n")
    items = read(f)
    assert [a.id for a in answers(items)] == ["h-2"]
    assert problems(items)[0].code == "answer_too_long"


def test_empty_csv_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.csv"
    f.write_bytes(b"")
    [p] = read(f)
    assert p.code == "missing_column" and "empty" in p.reason


def test_jsonl_rows_and_their_problems_by_line() -> None:
    items = read(TABLES / "answers.jsonl")
    assert [a.id for a in answers(items)] == ["j-1", "j-2", "7", f"{(TABLES / 'answers.jsonl').as_posix()}:9"]
    got = {p.line: p for p in problems(items)}
    assert set(got) == {4, 5, 6, 7}  # line 3 is blank: skipped, not an error
    assert got[4].code == "invalid_json" and got[5].code == "invalid_row"
    assert got[6].code == "missing_column" and "response" in got[6].reason
    assert got[7].code == "invalid_row" and "int" in got[7].reason


def test_jsonl_undecodable_line(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_bytes(b'{"id": "u-1", "answer": "I led the migration."}\n{"id": "u-2", "answer": "caf\xe9"}\n')
    items = read(f)
    assert [a.id for a in answers(items)] == ["u-1"]
    assert problems(items)[0].code == "undecodable" and problems(items)[0].line == 2


def test_folders_expand_to_supported_files_and_skip_the_runs_outputs(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id,answer\n1,x\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "call.vtt").write_text("WEBVTT\n")
    (tmp_path / "notes.md").write_text("# not an input\n")
    (tmp_path / ".hidden.csv").write_text("id,answer\n")
    out = tmp_path / "results.jsonl"
    out.write_text("")
    files = expand_inputs([tmp_path], exclude=[out])
    assert [Path(f).name for f in files] == ["a.csv", "call.vtt"]
    assert expand_inputs([tmp_path / "a.csv", tmp_path / "a.csv"]) == [(tmp_path / "a.csv").as_posix()]


@pytest.mark.parametrize("name,needle", [("missing.csv", "no such file"), ("notes.md", "unsupported file type")])
def test_bad_input_paths_are_usage_errors(tmp_path: Path, name: str, needle: str) -> None:
    (tmp_path / "notes.md").write_text("x")
    with pytest.raises(BulkError, match=needle):
        expand_inputs([tmp_path / name])
