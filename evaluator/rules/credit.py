"""Who did what. Credit is about naming partners and one's own role, not counting pronouns:
with a parse we look at the subject of each claim; without one, at the token before the verb."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import Hit, anchor, detector

if TYPE_CHECKING:
    from spacy.tokens import Token

    from ..answer import Answer
    from ..rubric import RuleSpec

_WE = {"we", "our", "us", "ours", "team"}
_SUBJECTS = {"i", "we", "he", "she", "they"}


def _subject_i_claims(answer: "Answer", verbs: set[str]) -> list[tuple[int, int]]:
    """Spans "I built" where I is the subject of a claim verb (the lexicon lists surface forms)."""
    t = answer.tokens
    spans = []
    for i, low in enumerate(t.lower):
        if low not in verbs:
            continue
        if answer.parsed:
            tok = answer.doc[i]
            subj: Token | None = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None and tok.dep_ == "conj":
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            is_i, start = subj is not None and subj.text == "I", subj.idx if subj is not None else 0
        else:
            prev = [j for j in range(max(0, i - 3), i) if not t.is_punct[j]]
            j = next((j for j in reversed(prev) if t.lower[j] in _SUBJECTS), None)
            is_i, start = j is not None and t.orth[j] == "I", int(t.idx[j]) if j is not None else 0
        if is_i:
            spans.append((start, int(t.end[i])))
    return spans


@anchor("i-claims")
def i_claims(answer: "Answer", rule: "RuleSpec") -> list[tuple[int, int]]:
    return _subject_i_claims(answer, set(rule.lexicons.get("claim_verbs", [])))


@anchor("collective")
def collective(answer: "Answer", rule: "RuleSpec") -> list[tuple[int, int]]:
    """"we", "the team" and (with a parse) passive auxiliaries: ownership left unstated."""
    t = answer.tokens
    spans = [t.span(i) for i, low in enumerate(t.lower) if low in ("we", "team")]
    if answer.parsed:
        spans += [(tok.idx, tok.idx + len(tok)) for tok in answer.doc if tok.dep_ == "auxpass"]
    return sorted(spans)


@detector("solo-credit")
def solo_credit(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """"I built the model" with no partner, team or stakeholder named anywhere."""
    if answer.hits(rule.id, "partners"):
        return []
    solo = answer.hits(rule.id, "solo_markers")
    spans = sorted(i_claims(answer, rule) + solo)
    if not spans:
        return []
    if not _WE.isdisjoint(answer.tokens.lower):
        return []
    if answer.parsed and _names_a_person(answer):
        return []
    return [Hit(*spans[0])]


@detector("unclear-ownership")
def unclear_ownership(answer: "Answer", rule: "RuleSpec") -> list[Hit]:
    """Only "we"/"the team"/passive voice: the speaker's own role is never stated."""
    if answer.word_count < rule.params.get("min_words", 25):
        return []
    if answer.first_person_singular() or answer.hits(rule.id, "own_role"):
        return []
    spans = collective(answer, rule)
    if len(spans) < rule.params.get("min_mentions", 2):
        return []
    s = answer.sentence_of(spans[0][0])
    return [Hit(s.start, s.end)]


def _names_a_person(answer: "Answer") -> bool:
    """A proper noun working beside the speaker: a subject ("Maria and I built"), a conjunct,
    or the object of "with" ("built it with Priya"). Stands in for NER's PERSON, which full
    mode no longer runs; an organisation in those slots ("with Legal") is a partner too."""
    t = answer.tokens
    for i, tag in enumerate(t.tag or ()):
        if tag not in ("NNP", "NNPS") or t.orth[i] == "I":
            continue
        tok = answer.doc[i]
        if tok.dep_ in ("nsubj", "conj") or (tok.dep_ == "pobj" and tok.head.lower_ == "with"):
            return True
    return False
