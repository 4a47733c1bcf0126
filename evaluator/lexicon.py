"""Compile a rubric's phrase lists into spaCy matchers, once per (rubric, vocab).

Exact phrases go to a ``PhraseMatcher`` on lower-cased tokens; phrases with a trailing ``*``
on a word (``validat*``) become token patterns (exact words and word prefixes) matched by
:class:`_WildcardPatterns`. Both work on the tokenizer alone, so rules mode can use them.
Multi-word phrases also match their hyphenated spelling ("speed-to-market"), since the tokenizer
splits on infix hyphens.

Why not spaCy's ``Matcher`` with ``{"LOWER": {"REGEX": "^validat"}}``: it evaluates every REGEX
predicate on every token, and with the base rubric's ~150 wildcard phrases that was 60 % of
rules-mode time (benchmarks/, issue 8). Indexing patterns by their first word (exact words in a
dict, prefixes in one dict per prefix length) makes a doc cost one or two dict lookups per token.
"""

from __future__ import annotations

from collections import defaultdict

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .answer import TokenTable
from .rubric import Rubric

# One element of a wildcard pattern: (is_prefix, text). Exact words compare equal, prefixes
# compare with str.startswith, both on the token's lower-cased text.
_Elem = tuple[bool, str]
_MEMO_LIMIT = 50_000


class _WildcardPatterns:
    """Token patterns of exact words and word prefixes, indexed by their first element."""

    def __init__(self) -> None:
        self._patterns: list[tuple[str, tuple[_Elem, ...]]] = []
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._by_prefix: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self._first: dict[str, tuple[int, ...]] = {}

    def add(self, key: str, pattern: list[_Elem]) -> None:
        if not pattern:
            return
        pid = len(self._patterns)
        self._patterns.append((key, tuple(pattern)))
        is_prefix, text = pattern[0]
        if is_prefix:
            self._by_prefix[len(text)][text].append(pid)
        else:
            self._by_word[text].append(pid)
        self._first.clear()

    def _first_of(self, word: str) -> tuple[int, ...]:
        """Patterns whose first element accepts ``word``; memoised (word frequencies are Zipfian,
        so nearly every lookup hits), and the memo is bounded so a long-lived service stays flat."""
        found = list(self._by_word.get(word, ()))
        for length, table in self._by_prefix.items():
            if len(word) >= length:
                found += table.get(word[:length], ())
        if len(self._first) >= _MEMO_LIMIT:
            self._first.clear()
        self._first[word] = result = tuple(found)
        return result

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def __call__(self, lower: list[str]) -> list[tuple[str, int, int]]:
        """(key, first token, end token) for every match in the lower-cased token list."""
        out = []
        n = len(lower)
        patterns, first = self._patterns, self._first
        for i, word in enumerate(lower):
            candidates = first.get(word)
            if candidates is None:
                candidates = self._first_of(word)
            for pid in candidates:
                key, elems = patterns[pid]
                end = i + len(elems)
                if end > n:
                    continue
                for j in range(1, len(elems)):
                    is_prefix, text = elems[j]
                    tok = lower[i + j]
                    if not (tok.startswith(text) if is_prefix else tok == text):
                        break
                else:
                    out.append((key, i, end))
        return out


class LexiconMatcher:
    def __init__(self, nlp: Language, lexicons: dict[str, list[str]]) -> None:
        self._phrase = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._wild = _WildcardPatterns()
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
            for pattern in wild:
                self._wild.add(key, pattern)

    @staticmethod
    def _pattern(nlp: Language, phrase: str) -> list[_Elem]:
        pattern: list[_Elem] = []
        for word in phrase.split(" "):
            if word.endswith("*"):
                pattern.append((True, word[:-1]))
            else:
                pattern.extend((False, t.lower_) for t in nlp.make_doc(word))
        return pattern

    def __call__(self, doc: Doc, tokens: TokenTable | None = None) -> dict[str, list[tuple[int, int]]]:
        """Character spans per lexicon key, sorted, longest match kept where they overlap.
        ``tokens`` (the doc's token columns) saves re-reading the doc when the caller has them."""
        found: dict[str, set[tuple[int, int]]] = defaultdict(set)
        vocab = doc.vocab.strings
        t = tokens if tokens is not None else TokenTable.of(doc, parsed=False)
        idx, end_of = t.idx.tolist(), t.end.tolist()
        for match_id, start, end in self._phrase(doc):
            found[vocab[match_id]].add((idx[start], end_of[end - 1]))
        if self._wild:
            for key, start, end in self._wild(t.lower):
                found[key].add((idx[start], end_of[end - 1]))
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
