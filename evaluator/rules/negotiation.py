"""Compensation talk: ask for a total package, backed by market data, not one number."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Hit, detector

if TYPE_CHECKING:
    from ..answer import Answer
    from ..rubric import RuleSpec


@detector("single-number-ask")
def single_number_ask(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """One salary figure, no other package component and no market context."""
    money = [q for q in answer.quantities if q.kind in ("money", "count") and q.role in ("other", "impact")]
    asks = answer.hits(rule.id, "ask_phrases")
    if not asks:
        return []
    ask_sents = {answer.sentence_of(s).start for s, _ in asks}
    figures = [q for q in money if answer.sentence_of(q.start).start in ask_sents
               and any(ch.isdigit() for ch in answer.norm[q.start:q.end])]
    if not figures:
        return []
    if answer.hits(rule.id, "package_terms") or answer.hits(rule.id, "market_terms"):
        return []
    s = answer.sentence_of(figures[0].start)
    return [Hit(s.start, s.end)]
