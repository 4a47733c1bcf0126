"""Prep documents -> answers: what is linted, where each character came from, and the comments."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.documents import DocAnswer, DocumentError, parse_document

KNOWN = {"solo-credit", "generic-claim", "accuracy-without-impact", "below-min-score"}


def parse(text: str, markdown: bool = True):  # noqa: ANN201
    return parse_document(text, "doc.md", markdown=markdown, known_rules=KNOWN)


def texts(text: str, markdown: bool = True) -> list[tuple[str | None, str]]:
    return [(a.question, a.text) for a in parse(text, markdown).answers]


def assert_offsets_exact(source: str, answer: DocAnswer) -> None:
    """Every character of the answer is the file's character at its origin (separators are newlines)."""
    assert len(answer.origin) == len(answer.text)
    for ch, at in zip(answer.text, answer.origin):
        assert ch == "\n" or source[at] == ch
    assert list(answer.origin) == sorted(answer.origin)


def test_headings_are_questions_and_prose_is_the_answer() -> None:
    doc = "# Title\n\n## Why us?\nBecause I like\nyour product.\n\n### Empty question\n## Tell me more\nMore.\n"
    assert texts(doc) == [("Why us?", "Because I like\nyour product."), ("Tell me more", "More.")]


def test_setext_headings_and_prose_before_the_first_heading() -> None:
    doc = "Intro is not an answer.\n\nWhy us?\n-------\nBecause.\n"
    assert texts(doc) == [("Why us?", "Because.")]


def test_a_document_without_questions_is_one_answer() -> None:
    assert texts("I led it.\n\nIt worked.\n") == [(None, "I led it.\n\nIt worked.")]


def test_code_front_matter_comments_tables_and_quotes_are_not_linted() -> None:
    doc = ("---\ntitle: x\n---\n## Q\nKept one.\n\n```\ncode fence\n```\n\n    indented code\n\n"
           "> quoted words\n> more\n\n| a | b |\n|---|---|\n| cell | x |\n\n<!-- a comment -->\n\n"
           "<div>html</div>\n\n---\n\nKept two.\n")
    [(question, text)] = texts(doc)
    assert question == "Q" and text == "Kept one.\n\nKept two."


def test_inline_markup_is_dropped_but_offsets_stay_exact() -> None:
    doc = ("## **Q1:** the `why`\n- I *built* a [model](https://x.example) that **cut** churn_rate 5 %.\n"
           "- [ ] Task item <!-- inline --> ![img](a.png) done\\!\n")
    [answer] = parse(doc).answers
    assert answer.question == "Q1: the why"
    assert answer.text == "I built a model that cut churn_rate 5 %.\n\nTask item   done!"
    assert_offsets_exact(doc, answer)
    start, end = answer.file_span(answer.text.index("model"), answer.text.index("model") + 5)
    assert doc[start:end] == "model"


def test_q_and_a_blocks_in_markdown_and_text() -> None:
    doc = "Q: Tell me about a launch.\nA: I shipped it.\nIt grew 5 %.\n\nMore of the answer.\n\nQ: Next?\nA: Yes.\n"
    expected = [("Tell me about a launch.", "I shipped it.\nIt grew 5 %.\n\nMore of the answer."), ("Next?", "Yes.")]
    assert texts(doc) == expected
    assert texts(doc, markdown=False) == expected


def test_plain_text_keeps_markdown_characters() -> None:
    assert texts("#1 priority:    *everything*.\n", markdown=False) == [(None, "#1 priority:    everything.")]


def test_crlf_positions() -> None:
    doc = "## Q\r\nI led it.\r\nI built it.\r\n"
    parsed = parse(doc)
    [answer] = parsed.answers
    assert answer.text == "I led it.\nI built it."
    start, _ = answer.file_span(answer.text.index("I built"), answer.text.index("I built") + 7)
    assert parsed.position(start) == (3, 1)


def test_disable_enable_and_ignore_ranges() -> None:
    doc = ("## A\n<!-- starlint-disable solo-credit generic-claim -->\nOne.\n<!-- starlint-enable generic-claim -->\n"
           "Two.\n<!-- starlint-enable -->\nThree.\n\n<!-- starlint-ignore -->\nFour.\n\nFive.\n")
    d = parse(doc)
    at = {word: doc.index(word) for word in ("One", "Two", "Three", "Four", "Five")}
    assert d.suppressed("generic-claim", at["One"], "") and not d.suppressed("generic-claim", at["Two"], "")
    assert d.suppressed("solo-credit", at["Two"], "") and not d.suppressed("solo-credit", at["Three"], "")
    assert d.suppressed("anything", at["Four"], "") and not d.suppressed("anything", at["Five"], "")
    assert not d.problems


def test_ignore_before_a_heading_covers_its_answer_and_phrase_form_matches_text() -> None:
    doc = ("<!-- starlint-ignore below-min-score -->\n## A\nOne.\n\nTwo.\n## B\nThree.\n\n"
           '<!-- starlint-ignore generic-claim "team player" -->\nI am a team player and go above and beyond.\n')
    d = parse(doc)
    assert d.suppressed("below-min-score", doc.index("Two"), "")
    assert not d.suppressed("below-min-score", doc.index("Three"), "")
    para = doc.index("I am")
    assert d.suppressed("generic-claim", para + 7, "team player")
    assert not d.suppressed("generic-claim", para + 20, "go above and beyond")
    assert not d.suppressed("solo-credit", para, "team player")


@pytest.mark.parametrize("comment,needle", [
    ("<!-- starlint-disable solo-credt -->", "unknown rule 'solo-credt'"),
    ("<!-- starlint-disabel solo-credit -->", "unknown comment 'starlint-disabel'"),
    ('<!-- starlint-disable solo-credit "a phrase" -->', "one quoted phrase works with starlint-ignore"),
    ("<!-- starlint rubrc=bms -->", "starlint rubric=ID"),
])
def test_bad_comments_are_reported_not_ignored(comment: str, needle: str) -> None:
    doc = f"## A\n{comment}\nI built it.\n"
    [problem] = parse(doc).problems
    assert needle in problem.message and doc[problem.start:problem.end] == comment


def test_unknown_ids_do_not_widen_a_disable_to_every_rule() -> None:
    d = parse("## A\n<!-- starlint-disable nope -->\nI built it.\n")
    assert not d.suppressed("solo-credit", 30, "I built")


def test_rubric_from_comment_and_front_matter() -> None:
    doc = "---\nstarlint: {rubric: bmw}\n---\n## A\nOne.\n<!-- starlint rubric=bms -->\n## B\nTwo.\n## C\nThree.\n"
    d = parse(doc)
    assert d.rubric == "bmw"
    assert [a.rubric for a in d.answers] == [None, "bms", None]
    assert d.position(d.answers[1].rubric_at) == (6, 1)
    assert parse("<!-- starlint rubric=bms -->\nNo headings here.\n").answers[0].rubric == "bms"


def test_bad_front_matter_is_an_error() -> None:
    with pytest.raises(DocumentError, match=r"doc.md:1: front matter 'starlint'"):
        parse("---\nstarlint: bmw\n---\n## A\nOne.\n")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab #*_`[]()>-|!:\\<>\n\r\tQA", max_size=200))
def test_offsets_are_exact_for_any_input(doc: str) -> None:
    for markdown in (True, False):
        try:
            parsed = parse(doc, markdown)
        except DocumentError:
            continue  # front matter that is not YAML
        for answer in parsed.answers:
            assert_offsets_exact(doc, answer)
            assert answer.start <= answer.origin[0] and answer.origin[-1] < answer.end <= len(doc)
