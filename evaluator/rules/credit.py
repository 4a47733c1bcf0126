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


def _subject_i_claims(answer: "Answer", verbs: set[str]) -> list[tuple[int, int]]:
    """Spans "I built" where I is the subject of a claim verb (lemma or surface form)."""
    spans = []
    for tok in answer.doc:
        if tok.lower_ not in verbs and tok.lemma_.lower() not in verbs:
            continue
        subj: Token | None = None
        if answer.parsed:
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None and tok.dep_ == "conj":
                subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        else:
            prev = [t for t in answer.doc[max(0, tok.i - 3):tok.i] if not t.is_punct]
            subj = next((t for t in reversed(prev) if t.lower_ in ("i", "we", "he", "she", "they")), None)
        if subj is not None and subj.text == "I":
            spans.append((subj.idx, tok.idx + len(tok)))
    return spans


@anchor("i-claims")
def i_claims(answer: "Answer", rule: "RuleSpec") -> list[tuple[int, int]]:
    return _subject_i_claims(answer, set(rule.lexicons.get("claim_verbs", [])))


@anchor("collective")
def collective(answer: "Answer", rule: "RuleSpec") -> list[tuple[int, int]]:
    """"we", "the team" and (with a parse) passive auxiliaries: ownership left unstated."""
    spans = [(t.idx, t.idx + len(t)) for t in answer.doc if t.lower_ in ("we", "team")]
    if answer.parsed:
        spans += [(t.idx, t.idx + len(t)) for t in answer.doc if t.dep_ == "auxpass"]
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
    if any(t.lower_ in _WE for t in answer.doc):
        return []
    if answer.parsed and any(e.label_ == "PERSON" for e in answer.doc.ents):
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
