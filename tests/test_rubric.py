"""Rubric loading: extends, overrides, and errors that name file, key path and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator import RubricError, UnknownRubricError, available_rubrics, load_rubric
from evaluator.rubric import rubric_from_text

SHIPPED = {"general", "ai-pm", "bmw", "bms", "career-changer", "negotiation"}


def test_shipped_rubrics_load_and_name_sources() -> None:
    assert SHIPPED <= set(available_rubrics())
    for rid in SHIPPED:
        r = load_rubric(rid)
        assert r.sources and all(s.endswith(".txt") for s in r.sources)
        assert r.criteria, rid
        for rule in r.rules.values():
            assert rule.source in {
                "000_32fe7fe995ceb8a9.txt", "001_14c6dd6766dc6ccc.txt",
                "002_b309f62d3178caca.txt", "003_0a54f715adad732c.txt"}


def test_company_rubrics_carry_their_criteria() -> None:
    assert {c.id for c in load_rubric("bmw").criteria} == {"alignment", "authority", "ambiguity-tolerance"}
    assert "regulatory-foresight" in {c.id for c in load_rubric("bms").criteria}


def test_extends_relevels_and_drops() -> None:
    assert load_rubric("bms").rules["unvalidated-speed"].level == "error"
    assert load_rubric("general").rules["unvalidated-speed"].level == "warning"
    assert "solo-credit" not in load_rubric("negotiation").rules


def _write(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "mine.yaml"
    p.write_text(body, encoding="utf-8")
    return p


def test_bad_level_names_file_key_and_choices(tmp_path: Path) -> None:
    p = _write(tmp_path, "id: mine\nname: Mine\nextends: general\nrules:\n  solo-credit: {level: eror}\n")
    with pytest.raises(RubricError) as e:
        load_rubric(str(p))
    assert str(p) in str(e.value) and "rules.solo-credit.level" in str(e.value)
    assert "'eror'" in str(e.value) and "error" in str(e.value)


def test_unknown_detector_and_keys(tmp_path: Path) -> None:
    p = _write(tmp_path, "id: mine\nname: Mine\nextends: general\nrules:\n  x-rule: {detector: nope, level: error,"
                         " message: 'long enough message', suggestion: 'long enough suggestion', source: a.txt}\n")
    with pytest.raises(RubricError, match="unknown detector 'nope'"):
        load_rubric(str(p))
    p = _write(tmp_path, "id: mine\nname: Mine\nextends: general\ncolour: blue\n")
    with pytest.raises(RubricError, match="colour: unknown key"):
        load_rubric(str(p))


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "id: mine\nname: [unclosed\n")
    with pytest.raises(RubricError, match=r"mine.yaml:\d+: not valid YAML"):
        load_rubric(str(p))


def test_unknown_rubric_lists_ids() -> None:
    with pytest.raises(UnknownRubricError, match="available: .*general"):
        load_rubric("nope")


def test_user_rule_with_generic_detector(tmp_path: Path, rules_ev) -> None:  # noqa: ANN001
    p = _write(tmp_path, """
id: mine
name: Mine
extends: general
rules:
  says-basically:
    detector: phrase
    level: suggestion
    message: "Filler words make an answer sound unsure."
    suggestion: "Delete 'basically' and say the thing."
    source: coach-notes.txt
    lexicons: {phrases: [basically]}
""")
    r = rules_ev.evaluate("Basically I led the launch and we cut churn by 4 %.", rubric=str(p))
    assert [f.text for f in r.findings if f.rule == "says-basically"] == ["Basically"]


def test_inline_rubric_cannot_extend_a_path() -> None:
    with pytest.raises(RubricError, match="only extend a rubric id"):
        rubric_from_text("id: x\nname: X\nextends: /etc/passwd\n")
    assert rubric_from_text("id: x\nname: X\nextends: general\n").id == "x"


def test_signal_anchor_must_name_a_sentence_signal(tmp_path: Path) -> None:
    body = """
id: mine
name: Mine
extends: general
rules:
  brags-fast:
    detector: phrase
    level: suggestion
    message: "Speed alone sounds like risk."
    suggestion: "Say how you checked it."
    source: coach-notes.txt
    anchors: ["{anchor}"]
    lexicons: {{phrases: [in record time]}}
"""
    assert load_rubric(str(_write(tmp_path, body.format(anchor="signal:speed")))).rules["brags-fast"]
    with pytest.raises(RubricError, match=r"anchors\[0\].*signal:<self_praise\|speed\|validation\|safeguard"):
        load_rubric(str(_write(tmp_path, body.format(anchor="signal:swagger"))))
