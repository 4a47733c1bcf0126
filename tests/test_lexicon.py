"""The fast paths of the pipeline must agree with the spaCy code they replace.

Wildcard phrases used to go through spaCy's ``Matcher`` with ``{"LOWER": {"REGEX": "^stem"}}``
and sentences through ``doc.sents``; both now read token columns (issue 8). These tests keep the
reference implementations and compare, on hand-picked and generated text.
"""

from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from evaluator import Evaluator
from evaluator.answer import TokenTable
from evaluator.lexicon import LexiconMatcher, _drop_nested, rubric_lexicons
from evaluator.metrics import find_quantities
from evaluator.rubric import load_rubric

NLP = spacy.blank("en")
NLP.add_pipe("sentencizer")

WORDS = ["validat", "validated", "validation", "test", "tested", "with", "users", "we", "shipped",
         "fast", "in", "two", "weeks", "pilot", "speed", "to", "market", "speed-to-market", "I",
         "monitor", "monitoring", "bias", "a", "the", ".", ",", "!", "?", "Validation", "TEST"]


def _reference(lexicons: dict[str, list[str]], doc) -> dict[str, list[tuple[int, int]]]:  # noqa: ANN001
    """The old implementation: spaCy Matcher with a prefix REGEX per wildcard word."""
    m = Matcher(NLP.vocab)
    for key, phrases in lexicons.items():
        pats = []
        for phrase in phrases:
            pat = []
            for word in phrase.split(" "):
                if word.endswith("*"):
                    pat.append({"LOWER": {"REGEX": f"^{re.escape(word[:-1])}"}})
                else:
                    pat.extend({"LOWER": t.lower_} for t in NLP.make_doc(word))
            pats.append(pat)
        m.add(key, pats)
    found: dict[str, set[tuple[int, int]]] = {}
    for mid, s, e in m(doc):
        span = doc[s:e]
        found.setdefault(NLP.vocab.strings[mid], set()).add((span.start_char, span.end_char))
    return found


WILD = {"v": ["validat*", "test* with users"], "s": ["speed to market*", "ship* fast"], "m": ["monitor*"]}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS), min_size=0, max_size=40))
def test_wildcards_match_like_spacy_regex_matcher(words: list[str]) -> None:
    doc = NLP(" ".join(words))
    ours = LexiconMatcher(NLP, WILD)(doc)
    ref = _reference(WILD, doc)
    for key in WILD:
        # ours keeps the longest of nested matches; compare on that same view of the reference
        assert ours.get(key, []) == _drop_nested(sorted(ref.get(key, set()))), key


def test_base_rubric_wildcards_agree_on_real_text() -> None:
    lexicons = {k: [p for p in v if "*" in p] for k, v in rubric_lexicons(load_rubric("base")).items()}
    lexicons = {k: v for k, v in lexicons.items() if v}
    assert sum(map(len, lexicons.values())) > 20  # the base rubric really uses wildcards
    text = ("We validated the model with a pilot, tested it with users and monitored drift weekly. "
            "I shipped it fast, in two weeks, and we were validating, testing and re-training "
            "constantly; speed-to-market mattered but so did the validation of every release.")
    doc = NLP(text)
    ours = LexiconMatcher(NLP, lexicons)(doc)
    ref = _reference(lexicons, doc)
    assert ours == {k: _drop_nested(sorted(v)) for k, v in ref.items()}
    assert ours  # something matched, so the comparison means something


@pytest.mark.parametrize("mode", ["rules", "full"])
def test_sentence_spans_equal_doc_sents(mode: str, rules_ev: Evaluator, full_ev: Evaluator) -> None:
    nlp = (rules_ev if mode == "rules" else full_ev).nlp
    for text in ["One. Two!  Three?\n\nFour", "  leading space. and a tail   ", "no stop at all", "...", "\n"]:
        doc = nlp(text)
        table = TokenTable.of(doc, doc.has_annotation("DEP"))
        assert table.sentence_spans() == [(s.start_char, s.end_char) for s in doc.sents]


def test_token_columns_match_tokens(full_ev: Evaluator) -> None:
    doc = full_ev.nlp("I'm sure we shipped 3 models, and I validated them.")
    t = TokenTable.of(doc, True)
    assert t.lower == [tok.lower_ for tok in doc]
    assert [t.span(i) for i in range(len(t))] == [(tok.idx, tok.idx + len(tok)) for tok in doc]
    assert t.tag == [tok.tag_ for tok in doc]
    assert t.is_verb is not None
    verbs = [tok.text for tok, v in zip(doc, t.is_verb.tolist()) if v]
    assert verbs == ["shipped", "validated"]  # "'m" is a form of be, not a claim
    assert t.range_of(0, 3) == (0, 2)  # "I", "'m"


def test_a_duration_never_starts_inside_a_word() -> None:
    # "data week" once yielded the duration "a week", and "teams" the latency "a ms"
    spans = [(q.start, q.end) for q in find_quantities("Our data week starts Monday for all teams.")]
    assert spans == []
    assert [(q.kind) for q in find_quantities("It took a week, then 2-3 days.")] == ["duration", "duration"]
