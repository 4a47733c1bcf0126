"""Feature vectors for the trained detectors, shared by training (models/train.py) and inference
(evaluator/models.py) so the two can never drift apart.

Sentence features: the embedding of the sentence (see :mod:`evaluator.embed`), the mean embedding of
its answer, the previous and next sentence, and the cue features of :func:`evaluator.star.cue_features`.
Answer features: mean and max of sentence embeddings, STAR probabilities per part (max over
sentences), for each sentence signal the two highest log-odds over sentences, the soft conjunctions
of CONJUNCTIONS (a speed boast and no validation, ...), quantity counts by role and kind,
the answer kind, length, and for every rule the detector's verdict and its lexicon hit counts —
the model learns how far to trust each rule.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from functools import cache

import numpy as np
import scipy.sparse as sp

from .answer import ANSWER_KINDS, Answer
from .negation import affirmed
from .report import STAR_PARTS
from .star import cue_features

CUE_KEYS = (*(f"cue_{p}" for p in STAR_PARTS), "impact_q", "model_q", "any_q", "pos", "first", "last", "subj_verb")
QUANTITY_KINDS = ("percent", "money", "count", "duration", "ratio", "multiplier", "score")
QUANTITY_ROLES = ("impact", "model", "other")


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def cue_matrix(answer: Answer) -> np.ndarray:
    """(n_sentences, len(CUE_KEYS)): the STAR cue features of every sentence. The STAR classifier
    and the sentence scorers both read them; inference computes them once for both."""
    rows = (cue_features(answer, s, i) for i, s in enumerate(answer.sentences))
    return np.array([[f[k] for k in CUE_KEYS] for f in rows], dtype=np.float32).reshape(len(answer.sentences), len(CUE_KEYS))


def sentence_features(answer: Answer, sent_vecs: np.ndarray, cues: np.ndarray | None = None) -> np.ndarray:
    """(n_sentences, 4*dim + len(CUE_KEYS)): the sentence, its answer's mean, the previous and
    the next sentence (zeros at the ends), and the cue features. The neighbours carry what word
    order inside the sentence no longer does for a static encoder: a result follows actions,
    a task follows the situation."""
    n = len(sent_vecs)
    context = np.repeat(sent_vecs.mean(axis=0, keepdims=True), n, axis=0)
    zero = np.zeros((1, sent_vecs.shape[1]), dtype=sent_vecs.dtype)
    prev = np.vstack([zero, sent_vecs[:-1]]) if n else sent_vecs
    nxt = np.vstack([sent_vecs[1:], zero]) if n else sent_vecs
    cues = cue_matrix(answer) if cues is None else cues
    return np.hstack([sent_vecs, context, prev, nxt, cues]).astype(np.float32)


# lexicons whose words name a check; a hit said in the negative is counted apart ("no pilot")
CHECK_LEXICONS = ("no-risk-awareness/safeguards", "unvalidated-speed/validation")
# Word unigrams and bigrams hashed into this many columns (stateless: nothing to store but the
# size, which meta.json records). Measured by 5-fold CV over train + dev, sentence-level average
# precision of the scorers went from embedding + lexicon counts to this: speed 0.73 -> 0.81,
# validation 0.70 -> 0.76, safeguard 0.75 -> 0.82, risk 0.50 -> 0.59: an averaged static
# embedding blurs the few words ("every shop", "compared each") that decide these labels.
HASH_FEATURES = 2**14


@cache
def _hasher():  # noqa: ANN202  (scikit-learn is imported only when full mode first needs it)
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(n_features=HASH_FEATURES, ngram_range=(1, 2), alternate_sign=False, binary=True,
                             norm=None, dtype=np.float32)


def signal_features(answer: Answer, sent_vecs: np.ndarray, lexicon_keys: list[str],
                    cues: np.ndarray | None = None) -> sp.csr_matrix:
    """(n_sentences, dim + len(lexicon_keys) + 2 + len(CUE_KEYS) + HASH_FEATURES), sparse: the
    sentence embedding, how many hits of each base lexicon start in the sentence, how many check
    words in it are said in the negative, the STAR cue features, and its hashed word n-grams.
    The embedding carries checks and boasts in plain words, the lexicons "ship it to all users"
    (a rollout, not a check) and "no time for a pilot", the n-grams the exact wording."""
    starts = [s.start for s in answer.sentences]
    n = len(starts)
    counts = np.zeros((n, len(lexicon_keys) + len(CHECK_LEXICONS)), dtype=np.float32)

    def sentence_of(pos: int) -> int:
        return max(0, bisect_right(starts, pos) - 1)

    for j, key in enumerate(lexicon_keys):
        for start, _ in answer.lexicon_hits.get(key, ()):
            counts[sentence_of(start), j] += 1
    for j, key in enumerate(CHECK_LEXICONS, len(lexicon_keys)):
        hits = answer.lexicon_hits.get(key, [])
        kept = set(affirmed(answer, hits))
        for h in hits:
            if h not in kept:
                counts[sentence_of(h[0]), j] += 1
    cues = cue_matrix(answer) if cues is None else cues
    dense = np.hstack([sent_vecs, np.log1p(counts), cues]).astype(np.float32)
    return sp.hstack([sp.csr_matrix(dense), _hasher().transform([s.text for s in answer.sentences])], format="csr")


def top_two(answer: Answer, signal: str) -> list[float]:
    """The two highest log-odds of a sentence signal (a one-sentence answer repeats its only one):
    the strongest piece of evidence, and whether there is a second."""
    z = sorted((_logit(s.signals.get(signal, 0.0)) for s in answer.sentences), reverse=True)[:2]
    return z + [z[-1] if z else _logit(0.0)] * (2 - len(z))


# LABELING.md's evidence definitions as soft conjunctions over each signal's strongest sentence:
# (signals that must be present, signals that must be absent). A linear model over the separate
# maxima cannot say "a boast AND no check"; this product can.
CONJUNCTIONS = ((("speed",), ("validation",)),          # unvalidated-speed
                (("model_metric",), ("metric_link",)),   # accuracy-without-impact
                ((), ("risk", "safeguard")))              # no-risk-awareness (about AI: about_ai_columns)


def conjunctions(answer: Answer, signals: tuple[str, ...] | list[str]) -> list[float]:
    """Log-odds of each CONJUNCTIONS term whose signals the bundle has."""
    top = {name: max((s.signals.get(name, 0.0) for s in answer.sentences), default=0.0) for name in signals}
    out = []
    for present, absent in CONJUNCTIONS:
        if all(n in top for n in (*present, *absent)):
            out.append(_logit(math.prod(top[n] for n in present) * math.prod(1 - top[n] for n in absent)))
    return out


ABOUT_AI_COLUMNS = 2


def about_ai_columns(answer: Answer, p_ai: float) -> list[float]:
    """Appended to the answer features once the about-AI classifier has run: its log-odds, and
    no-risk-awareness's evidence rule as a soft conjunction (about AI work, no risk named, no
    safeguard; LABELING.md). The rule's other conjunction terms cannot know whether the answer
    is about AI at all: "I'm passionate about AI" names no risk either."""
    def top(name: str) -> float:
        return max((s.signals.get(name, 0.0) for s in answer.sentences), default=0.0)

    return [_logit(p_ai), _logit(p_ai * (1 - top("risk")) * (1 - top("safeguard")))]


def answer_features(answer: Answer, sent_vecs: np.ndarray, rule_ids: list[str],
                    rule_verdicts: dict[str, bool], lexicon_keys: list[str],
                    signals: tuple[str, ...] | list[str] = ()) -> np.ndarray:
    """One row per answer. ``rule_ids``/``lexicon_keys``/``signals`` fix the column order
    (stored in the artifact)."""
    star = [max((s.star.get(p, 0.0) for s in answer.sentences), default=0.0) for p in STAR_PARTS]
    evidence = [z for name in signals for z in top_two(answer, name)] + conjunctions(answer, signals)
    q_roles = [sum(q.role == r for q in answer.quantities) for r in QUANTITY_ROLES]
    q_kinds = [sum(q.kind == k for q in answer.quantities) for k in QUANTITY_KINDS]
    kind = [float(answer.kind == k) for k in ANSWER_KINDS]
    verdicts = [float(rule_verdicts.get(r, False)) for r in rule_ids]
    lex = [math.log1p(len(answer.lexicon_hits.get(k, []))) for k in lexicon_keys]
    n = len(answer.sentences)
    scalars = [math.log1p(answer.word_count), math.log1p(n), float(answer.parsed)]
    dense = np.array([*star, *evidence, *map(math.log1p, q_roles), *map(math.log1p, q_kinds), *kind, *verdicts, *lex, *scalars],
                     dtype=np.float32)
    return np.concatenate([sent_vecs.mean(axis=0), sent_vecs.max(axis=0), dense]).astype(np.float32)
