"""The articles' BAD/GOOD pairs are every rule's first tests: each BAD is flagged by its rule,
each GOOD is not, in every shipped rubric that enables the rule and in both modes."""

from __future__ import annotations

import pytest

from evaluator import available_rubrics, load_rubric

REQUIRED = {
    "accuracy-without-impact", "unquantified-result", "solo-credit", "unclear-ownership",
    "solution-before-problem", "generic-claim", "missing-reflection", "no-risk-awareness",
    "single-number-ask", "unvalidated-speed",
}


def _cases():
    seen = set()
    for rid in available_rubrics():
        for rule in load_rubric(rid).rules.values():
            for verdict in ("bad", "good"):
                for text in getattr(rule.examples, verdict):
                    key = (rid, rule.id, verdict, text)
                    if key not in seen:
                        seen.add(key)
                        yield pytest.param(rid, rule.id, verdict, text, id=f"{rid}:{rule.id}:{verdict}:{text[:30]}")


def test_required_rule_ids_exist_with_examples() -> None:
    base = load_rubric("general").rules | load_rubric("negotiation").rules
    assert REQUIRED <= set(base)
    for rid in REQUIRED:
        assert base[rid].examples.bad and base[rid].examples.good, rid
        assert base[rid].source.endswith(".txt")


@pytest.mark.parametrize("rubric_id,rule_id,verdict,text", list(_cases()))
def test_article_examples(any_ev, rubric_id: str, rule_id: str, verdict: str, text: str) -> None:
    report = any_ev.evaluate(text, rubric=rubric_id)
    flagged = [f for f in report.findings if f.rule == rule_id]
    if verdict == "bad":
        assert flagged, f"{rule_id} should flag: {text!r}; got {[f.rule for f in report.findings]}"
        for f in flagged:
            assert text[f.start:f.end] == f.text
    else:
        assert not flagged, f"{rule_id} should not flag: {text!r}; flagged {[f.text for f in flagged]}"
