"""A check named only to say it was skipped is no check (evaluator/negation.py)."""

from __future__ import annotations

import pytest

from evaluator import Evaluator


@pytest.fixture(scope="module")
def ev() -> Evaluator:
    return Evaluator(rubric="general", mode="rules")


def rules(ev: Evaluator, text: str) -> set[str]:
    return {f.rule for f in ev.evaluate(text).findings}


@pytest.mark.parametrize("check,flagged", [
    ("There was no time for a pilot", {"unvalidated-speed", "no-risk-awareness"}),
    ("We went ahead rather than waste time on a pilot", {"unvalidated-speed", "no-risk-awareness"}),
    ("We skipped the pilot", {"unvalidated-speed", "no-risk-awareness"}),
    ("We did not wait for the compliance review", {"unvalidated-speed", "no-risk-awareness"}),
    # a pilot validates the launch but guards against no harm (LABELING.md): only speed is lifted
    ("We ran a two-week pilot in three branches first", {"no-risk-awareness"}),
    ("We did not launch until the pilot in three branches ended", {"no-risk-awareness"}),
    ("The compliance review signed off before launch", set()),
])
def test_a_skipped_check_validates_nothing_a_performed_one_does(ev: Evaluator, check: str, flagged: set[str]) -> None:
    text = (f"Our branches needed a loan scoring model before the spring rush. {check}, so we "
            "shipped the model to every branch in two weeks and loans issued went up 30 %.")
    assert {"unvalidated-speed", "no-risk-awareness"} & rules(ev, text) == flagged


def test_a_risk_named_in_the_negative_is_still_named(ev: Evaluator) -> None:
    text = ("We built a model that ranks loan applications for the branch teams, and I made sure "
            "there was no bias against applicants over sixty before it went live in every branch.")
    assert "no-risk-awareness" not in rules(ev, text)
