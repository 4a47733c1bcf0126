"""Rules about results and numbers: the heart of what interviewers listen for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Hit, anchor, detector

if TYPE_CHECKING:
    from ..answer import Answer
    from ..rubric import RuleSpec


@detector("accuracy-without-impact")
def accuracy_without_impact(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """A model metric (a number in model role, or a phrase like "highly accurate") with nothing
    in the answer that ties model quality to a user, business, safety or regulatory outcome."""
    model_spans = [(q.start, q.end) for q in answer.quantities if q.role == "model"]
    model_spans += answer.hits(rule.id, "model_claims")
    if not model_spans:
        return []
    if any(q.role == "impact" for q in answer.quantities):
        return []
    if answer.hits(rule.id, "impact_context"):
        return []
    start, end = min(model_spans)
    sent = answer.sentence_of(start)
    return [Hit(sent.start, sent.end)]


@anchor("result-sentences")
def result_sentences(answer: "Answer", rule: "RuleSpec") -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in answer.sentences if s.star.get("result", 0) >= 0.5]


@detector("unquantified-result")
def unquantified_result(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """Claims an outcome but no outcome carries a number."""
    if any(q.role == "impact" for q in answer.quantities):
        return []
    result_sents = [s for s in answer.sentences if s.star.get("result", 0) >= 0.5]
    claims = answer.hits(rule.id, "outcome_claims")
    numbered = {answer.sentence_of(q.start).start for q in answer.quantities}
    for s in result_sents:
        if s.start not in numbered:
            return [Hit(s.start, s.end)]
    for start, end in claims:
        s = answer.sentence_of(start)
        if s.start not in numbered:
            return [Hit(s.start, s.end)]
    if not answer.quantities:
        for start, end in answer.hits(rule.id, "accomplishments"):
            s = answer.sentence_of(start)
            return [Hit(s.start, s.end)]
    return []


@detector("no-success-metric")
def no_success_metric(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """A product case that never says how success will be measured."""
    if answer.kind != "product_case" or answer.word_count < rule.params.get("min_words", 30):
        return []
    if any(q.role in ("impact", "model") for q in answer.quantities):
        return []
    if answer.hits(rule.id, "metric_terms"):
        return []
    first = answer.sentences[0]
    return [Hit(first.start, first.end)]
