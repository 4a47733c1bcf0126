"""Risk rules: AI work with no safeguards, and speed with no validation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..negation import affirmed
from . import Hit, anchor, detector

if TYPE_CHECKING:
    from ..answer import Answer
    from ..rubric import RuleSpec


@detector("no-risk-awareness")
def no_risk_awareness(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """An answer about building or launching AI/ML that never names a risk or safeguard.
    A compensation answer is never about building AI, even when it cites a model's AUC."""
    if answer.kind == "negotiation":
        return []
    ai = answer.hits(rule.id, "ai_terms")
    if len(ai) < rule.params.get("min_ai_mentions", 1) or answer.word_count < rule.params.get("min_words", 30):
        return []
    if affirmed(answer, answer.hits(rule.id, "safeguards")):  # "no time for a pilot" is no safeguard
        return []
    s = answer.sentence_of(ai[0][0])
    return [Hit(s.start, s.end)]


@anchor("delivery-durations")
def delivery_durations(answer: "Answer", rule: "RuleSpec") -> list[tuple[int, int]]:
    """"delivered ... in six months": a delivery verb earlier in the sentence than "in <duration>"."""
    delivery = answer.hits(rule.id, "delivery_verbs")
    spans = []
    for q in answer.quantities:
        if q.kind != "duration":
            continue
        before = answer.norm[max(0, q.start - 12):q.start].lower()
        if not any(w in before for w in (" in ", "within ", " in just ", "only ")):
            continue
        sent = answer.sentence_of(q.start)
        if any(sent.start <= s < q.start for s, _ in delivery):
            spans.append((q.start, q.end))
    return spans


@detector("unvalidated-speed")
def unvalidated_speed(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """Speed as the headline ("shipped in two weeks", "speed to market") with no validation,
    testing, pilot, review or monitoring step anywhere in the answer."""
    speed = answer.hits(rule.id, "speed_phrases") + delivery_durations(answer, rule)
    if not speed or affirmed(answer, answer.hits(rule.id, "validation")):
        return []
    start, end = min(speed)
    s = answer.sentence_of(start)
    return [Hit(s.start, s.end)]
