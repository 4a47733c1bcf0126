"""How the answer is framed: problem before technology, product decisions over algorithm
trivia, evidence over self-praise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Hit, anchor, detector

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


_COPULA = frozenset(("'m", "am"))
_SOFTENERS = frozenset("very really so extremely incredibly naturally always genuinely truly honestly just super highly "
                       "deeply pretty quite definitely totally basically simply also".split())
_SELF_VERBS = frozenset("thrive excel pride bring live love never always".split())
# what follows "I'm" in a statement of fact, not of character ("I'm the PM for", "I'm not sure")
_NOT_A_TRAIT = frozenset("the this that not here there now currently going trying working looking leading responsible "
                         "at in on from with for to sure happy glad sorry afraid applying asking interviewing "
                         "product pm manager engineer senior junior student candidate consultant analyst designer "
                         "director founder head owner vp".split())


@anchor("self-description")
def self_description(answer: "Answer", rule: "RuleSpec") -> list[tuple[int, int]]:
    """Where the speaker describes their own character: "I'm <adverbs> <trait>", "I'm a <kind of
    person>", "I thrive / excel / always / never ...". An anchor only: it gives a trained model a
    place to point when self-praise is phrased in words the rule's lexicon does not list; the
    model still decides whether the answer praises itself without evidence."""
    t = answer.tokens
    spans = []
    n = len(t)
    for i, orth in enumerate(t.orth):
        if orth != "I" or i + 1 >= n:
            continue
        j = i + 1
        if t.lower[j] in _COPULA:
            j += 1
            while j < n and t.lower[j] in _SOFTENERS:
                j += 1
            if j < n and t.lower[j] in ("a", "an"):
                j += 1
            if j < n and t.is_alpha[j] and t.lower[j] not in _NOT_A_TRAIT:
                spans.append((int(t.idx[i]), int(t.end[j])))
        elif t.lower[j] in _SELF_VERBS:
            spans.append((int(t.idx[i]), int(t.end[j])))
    return spans
