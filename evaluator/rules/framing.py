"""How the answer is framed: problem before technology, product decisions over algorithm
trivia, evidence over self-praise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Hit, detector

if TYPE_CHECKING:
    from ..answer import Answer
    from ..rubric import RuleSpec


@detector("solution-before-problem")
def solution_before_problem(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """The first technology named comes before any user or business problem (or none is stated)."""
    tech = answer.hits(rule.id, "technologies")
    if not tech:
        return []
    first_tech = tech[0]
    problems = answer.hits(rule.id, "problem_cues")
    problems += [(q.start, q.end) for q in answer.quantities if q.role == "impact"]
    if problems and min(problems)[0] < first_tech[0]:
        return []
    # A problem stated later in the SAME sentence still counts as leading with the tool, but a
    # sentence that is only about the goal before any tool talk does not.
    return [Hit(*first_tech)]


@detector("algorithm-recital")
def algorithm_recital(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """Many implementation details and little product reasoning."""
    details = answer.hits(rule.id, "details")
    needed = int(rule.params.get("min_details", 3))
    if len(details) < needed:
        return []
    per_100 = 100 * len(details) / max(1, answer.word_count)
    if per_100 < rule.params.get("min_density", 2.0):
        return []
    if sum(q.role == "impact" for q in answer.quantities) >= 2:
        return []
    return [Hit(details[0][0], details[min(len(details), needed) - 1][1])]


@detector("generic-claim")
def generic_claim(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """Self-praise ("I'm a team player") in a sentence that offers no evidence for it."""
    numbered = {answer.sentence_of(q.start).start for q in answer.quantities if q.role == "impact"}
    hits = []
    for start, end in answer.hits(rule.id, "claims"):
        if answer.sentence_of(start).start in numbered:
            continue
        hits.append(Hit(start, end))
    return hits
