"""Compile a rubric's phrase lists into spaCy matchers, once per (rubric, vocab).

Exact phrases go to a ``PhraseMatcher`` on lower-cased tokens; phrases with a trailing ``*``
on a word (``validat*``) become token patterns with a prefix REGEX in a ``Matcher``. Both work on
the tokenizer alone, so rules mode can use them. Multi-word phrases also match their hyphenated
spelling ("speed-to-market"), since the tokenizer splits on infix hyphens.
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .rubric import Rubric


class LexiconMatcher:
    def __init__(self, nlp: Language, lexicons: dict[str, list[str]]) -> None:
        self._phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._wild = Matcher(nlp.vocab)
        for key, phrases in lexicons.items():
            exact, wild = [], []
            for phrase in dict.fromkeys(p.strip().lower() for p in phrases if p.strip()):
                variants = {phrase, phrase.replace(" ", "-")} if " " in phrase else {phrase}
                for v in variants:
                    tokens = [t.text for t in nlp.make_doc(v)]
                    if any(t.endswith("*") and len(t) > 1 for t in tokens) or "*" in v:
                        wild.append(self._pattern(nlp, v))
                    else:
                        exact.append(nlp.make_doc(v))
            if exact:
                self._phrase.add(key, exact)
            if wild:
                self._wild.add(key, [p for p in wild if p])

    @staticmethod
    def _pattern(nlp: Language, phrase: str) -> list[dict]:
        pattern = []
        for word in phrase.split(" "):
            if word.endswith("*"):
                stem = re.escape(word[:-1])
                pattern.append({"LOWER": {"REGEX": f"^{stem}"}})
            else:
                pattern.extend({"LOWER": t.lower_} for t in nlp.make_doc(word))
        return pattern

    def __call__(self, doc: Doc) -> dict[str, list[tuple[int, int]]]:
        """Character spans per lexicon key, sorted, longest match kept where they overlap."""
        found: dict[str, set[tuple[int, int]]] = defaultdict(set)
        vocab = doc.vocab.strings
        for match_id, start, end in list(self._phrase(doc)) + list(self._wild(doc)):
            span = doc[start:end]
            found[vocab[match_id]].add((span.start_char, span.end_char))
        return {k: _drop_nested(sorted(v)) for k, v in found.items()}


def _drop_nested(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for s, e in sorted(spans, key=lambda x: (x[0], -x[1])):
        if kept and s >= kept[-1][0] and e <= kept[-1][1]:
            continue
        kept.append((s, e))
    return kept


def rubric_lexicons(rubric: Rubric) -> dict[str, list[str]]:
    """Every phrase list of a rubric, keyed ``rule/lexicon``, ``star/part``, ``criterion/id``."""
    out: dict[str, list[str]] = {}
    for rule in rubric.rules.values():
        for name, phrases in rule.lexicons.items():
            out[f"{rule.id}/{name}"] = phrases
    for part, phrases in rubric.star_cues.items():
        out[f"star/{part}"] = phrases
    for c in rubric.criteria:
        out[f"criterion/{c.id}"] = c.keywords
    return out
