"""Shared fixtures: Evaluators are expensive (spaCy parser, embeddings, models), so build one per mode per session."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from evaluator import Evaluator  # noqa: E402


@pytest.fixture(scope="session")
def rules_ev() -> Evaluator:
    return Evaluator(rubric="general", mode="rules")


@pytest.fixture(scope="session")
def full_ev() -> Evaluator:
    return Evaluator(rubric="general", mode="full")


@pytest.fixture(scope="session", params=["rules", "full"])
def any_ev(request, rules_ev, full_ev) -> Evaluator:  # noqa: ANN001
    return rules_ev if request.param == "rules" else full_ev
