"""Behaviour of the Evaluator a user sees: reports, spans, errors, determinism, scoring sanity."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator import AnswerTooLongError, EmptyAnswerError, Evaluator, Report

STRONG_SHORT = (
    "Our checkout drop-off was 30 % on mobile. My goal was to cut it before the holiday peak. "
    "I partnered with design and two engineers to remove three form steps and ran an A/B test. "
    "Mobile conversion rose 9 % and drop-off fell to 21 %. "
    "I learned to test the smallest change first."
)
PADDED = (
    "I have always been interested in products and I think about products a lot. "
    "Products are important to companies and to the people who use products every day. "
    "In my career I have worked on many different things with many different people. "
    "There were meetings and there were documents and there were discussions about priorities. "
    "Working on products means talking to people and thinking about what people want and need. "
    "I think that product management is a very interesting job with many different parts to it. "
    "There are many things to consider when working on a product in a company of any size. "
) * 2


def _spans_valid(text: str, report: Report) -> None:
    for f in report.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start:f.end] == f.text
    for m in report.metrics:
        assert text[m.start:m.end] == m.text
    for part in ("situation", "task", "action", "result", "reflection"):
        for ev in getattr(report.star, part).evidence:
            assert text[ev.start:ev.end] == ev.text
    for c in report.criteria:
        for ev in c.evidence:
            assert text[ev.start:ev.end] == ev.text


def test_strong_answer_covers_star(any_ev: Evaluator) -> None:
    r = any_ev.evaluate(STRONG_SHORT)
    assert r.star.result.present and r.star.action.present and r.star.reflection.present
    assert any(m.role == "impact" for m in r.metrics)
    _spans_valid(STRONG_SHORT, r)


def test_length_does_not_buy_score(any_ev: Evaluator) -> None:
    padded = any_ev.evaluate(PADDED)
    short = any_ev.evaluate(STRONG_SHORT)
    assert padded.words > 3 * short.words
    assert short.score > padded.score + 15, (short.score, padded.score)


def test_typography_of_the_articles_keeps_offsets(any_ev: Evaluator) -> None:
    text = ("The roadmap reduced warranty claims by $2.3\u202fM annually and cut time\u2011to\u2011insight "
            "by 30\u00a0%, with a \u201c99.9 %\u201d uptime.")
    r = any_ev.evaluate(text)
    kinds = {m.text: (m.kind, m.role) for m in r.metrics}
    assert kinds["$2.3\u202fM"] == ("money", "impact")
    assert kinds["30\u00a0%"][0] == "percent"
    _spans_valid(text, r)


def test_model_vs_impact_roles(rules_ev: Evaluator) -> None:
    r = rules_ev.evaluate("Our churn model hit 0.91 AUC. It cut support tickets by 18 % in a month.")
    roles = {m.text: m.role for m in r.metrics}
    assert roles["0.91"] == "model" and roles["18 %"] == "impact"


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_answer_is_a_clear_error(rules_ev: Evaluator, text: str) -> None:
    with pytest.raises(EmptyAnswerError, match="empty"):
        rules_ev.evaluate(text)


def test_over_limit_names_the_limit() -> None:
    ev = Evaluator(mode="rules", max_chars=100)
    with pytest.raises(AnswerTooLongError, match="limit of 100"):
        ev.evaluate("word " * 30)


def test_batch_keeps_going_past_a_bad_answer(rules_ev: Evaluator) -> None:
    out = rules_ev.evaluate_many(["", STRONG_SHORT, "x" * 30000])
    assert isinstance(out[0], EmptyAnswerError)
    assert isinstance(out[1], Report)
    assert isinstance(out[2], AnswerTooLongError)


@pytest.mark.parametrize("text", [
    "asdf qwer zxcv jkl uiop hjkl vbnm qwerty asdf ghjk",
    "Lideré un proyecto de aprendizaje automático para reducir la rotación de clientes del banco en un 12 %.",
    "🚀🚀🚀 🔥🔥 💯💯💯💯",
])
def test_gibberish_or_non_english_is_low_confidence(any_ev: Evaluator, text: str) -> None:
    r = any_ev.evaluate(text)
    assert r.confidence == "low"
    assert r.score <= 15
    assert any(f.rule == "unreadable-answer" for f in r.findings)


def test_deterministic_byte_for_byte(any_ev: Evaluator) -> None:
    a = any_ev.evaluate(STRONG_SHORT).model_dump_json()
    b = any_ev.evaluate(STRONG_SHORT).model_dump_json()
    c = any_ev.evaluate_many([PADDED, STRONG_SHORT])[1].model_dump_json()
    assert a == b == c


def test_findings_have_line_and_column(rules_ev: Evaluator) -> None:
    text = "Intro line.\n\nI am a team player."
    f = next(f for f in rules_ev.evaluate(text).findings if f.rule == "generic-claim")
    assert (f.line, f.column) == (3, 8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=400).filter(lambda s: s.strip()))
def test_any_string_gives_a_valid_report(rules_ev: Evaluator, text: str) -> None:
    r = rules_ev.evaluate(text)
    assert 0 <= r.score <= 100
    _spans_valid(text, r)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300).filter(lambda s: s.strip()))
def test_any_string_full_mode(full_ev: Evaluator, text: str) -> None:
    _spans_valid(text, full_ev.evaluate(text))


def test_odd_inputs(full_ev: Evaluator) -> None:
    odd = [
        "\u202eI led the launch\u202c and cut churn by 5 %.",   # RTL override
        "I led\x00 the\x07 launch.\r\nWe cut costs by $40k.",   # control characters
        "אני הובלתי את הפרויקט. I cut costs by 10 %.",          # RTL script
        "." * 50,
        "I" * 5000,
    ]
    for t in odd:
        _spans_valid(t, full_ev.evaluate(t))


def test_large_answer_under_raised_limit() -> None:
    ev = Evaluator(mode="rules", max_chars=200_000)
    text = (STRONG_SHORT + "\n") * 380  # ~100 KB
    assert len(text) > 100_000
    _spans_valid(text, ev.evaluate(text))


def test_docstring_examples_hold() -> None:
    """The Evaluator's docstring is the first example a reader copies; keep it true."""
    import doctest

    import evaluator.pipeline

    result = doctest.testmod(evaluator.pipeline)
    assert result.attempted >= 3 and result.failed == 0
