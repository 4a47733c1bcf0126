"""Golden files for every `starlint check --format` on the fixture doc set (tests/fixtures/check/docs).

Regenerate after an intended change of rules or output:
    STARLINT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/test_check_formats.py
and review the diff of tests/fixtures/check/golden/.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evaluator import __version__
from evaluator.cli import app

FIXTURES = Path(__file__).parent / "fixtures" / "check"
DOCS, GOLDEN = FIXTURES / "docs", FIXTURES / "golden"
# OASIS SARIF 2.1.0 schema (errata01), vendored so the check runs in any checkout
SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "sarif-2.1.0.json"
EXTENSIONS = {"text": "txt", "line": "txt", "json": "json", "sarif": "json", "junit": "xml", "github": "txt"}


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    """Every format, run once on the fixture docs (rules mode, paths relative to the docs folder)."""
    mp = pytest.MonkeyPatch()
    mp.chdir(DOCS)
    mp.delenv("STARLINT_CONFIG", raising=False)
    mp.delenv("FORCE_COLOR", raising=False)
    try:
        out = {}
        for fmt in EXTENSIONS:
            result = CliRunner().invoke(app, ["check", ".", "--mode", "rules", "--format", fmt])
            assert result.exit_code == 1, result.output  # the fixtures contain errors on purpose
            out[fmt] = result.stdout.replace(f'"{__version__}"', '"<version>"')
        return out
    finally:
        mp.undo()


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
def test_golden(outputs: dict[str, str], fmt: str) -> None:
    golden = GOLDEN / f"{fmt}.{EXTENSIONS[fmt]}"
    if os.environ.get("STARLINT_UPDATE_GOLDEN") == "1":
        golden.write_text(outputs[fmt], encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run with STARLINT_UPDATE_GOLDEN=1"
    assert outputs[fmt] == golden.read_text(encoding="utf-8")


def test_what_the_fixtures_pin(outputs: dict[str, str]) -> None:
    """The golden files' meaning, spelled out: a regenerated golden must still say this."""
    lines = outputs["line"].splitlines()
    rules_at = {(line.split(":")[0], line.split(" ")[2].rstrip(":")) for line in lines}
    assert ("prep/behavioral.md", "accuracy-without-impact") in rules_at
    assert ("prep/pharma.md", "single-number-ask") in rules_at           # <!-- starlint rubric=negotiation -->
    assert ("prep/pharma.md", "invalid-directive") in rules_at           # the typo 'solo-credt' is reported
    assert ("prep/notes.txt", "unquantified-result") in rules_at         # plain text Q:/A:
    assert not any(path.startswith("drafts/") for path, _ in rules_at)   # excluded by the config
    behavioral = [line for line in lines if line.startswith("prep/behavioral.md")]
    assert not any(line.startswith(("prep/behavioral.md:6:", "prep/behavioral.md:25:", "prep/behavioral.md:28:",
                                    "prep/behavioral.md:32:", "prep/behavioral.md:34:")) for line in behavioral), \
        "front-matter preamble, code, quote, table and comment lines are never linted"
    assert sum("generic-claim" in line for line in behavioral) == 1      # "team player" ignored by phrase
    assert not any("generic-claim" in line for line in lines if line.startswith("prep/pharma.md"))  # disabled
    assert not any("solution-before-problem" in line for line in lines)  # ignored for the whole answer
    assert any(" suggestion solo-credit:" in line for line in lines)     # re-levelled by the config
    assert not any("missing-reflection" in line for line in lines)       # switched off by the config


def test_positions_point_at_the_finding_text(outputs: dict[str, str]) -> None:
    doc = json.loads(outputs["json"])
    checked = 0
    for file in doc["files"]:
        source = (DOCS / file["path"]).read_text(encoding="utf-8").splitlines()
        for answer in file["answers"]:
            for f in answer["findings"]:
                assert source[f["line"] - 1][f["column"] - 1:].startswith(f["text"].split("\n")[0])
                checked += 1
    assert checked >= 10


def test_sarif_validates_against_the_official_schema(outputs: dict[str, str]) -> None:
    import jsonschema

    sarif = json.loads(outputs["sarif"])
    jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(sarif)
    run = sarif["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in run["results"])
    assert {"note", "warning", "error"} == {r["level"] for r in run["results"]}


def test_junit_has_one_test_case_per_answer(outputs: dict[str, str]) -> None:
    root = ET.fromstring(outputs["junit"])
    doc = json.loads(outputs["json"])
    assert len(root.findall(".//testcase")) == doc["summary"]["answers"] == 10
    failed = {c.get("name") for c in root.findall(".//testcase") if c.find("failure") is not None}
    assert "line 3: How did you show your model mattered?" not in failed  # a good answer passes
    assert "line 8: Tell me about a model you shipped" in failed


def test_github_annotations_escape_data_and_properties() -> None:
    from evaluator.formats.github import _data, _property

    assert _data("50 %\nnext") == "50 %25%0Anext"
    assert _property("a:b,c") == "a%3Ab%2Cc"
