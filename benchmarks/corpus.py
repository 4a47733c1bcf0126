"""The benchmark corpus: seeded answers recombined from the labeled train split.

Every answer is a fresh STAR-shaped story: 1-2 situation sentences, a task, 2-4 actions, 1-2
results and usually a reflection, in that order, each drawn from the pool of that label's
sentences in ``models/data/raw`` (train split only, so a benchmark never reads the test answers
the quality figures are computed on, and never the source articles). An answer is kept only if
its word count falls in the requested range, so lengths spread evenly over 150-250 words.

Same seed, same data -> the same texts, byte for byte; ``fingerprint`` names them in the report.

    python -m benchmarks.corpus --answers 1000 -o /tmp/bench-corpus.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

SEED = 8  # issue 8; change it and every published figure changes its corpus fingerprint
ORDER = ("situation", "task", "action", "result", "reflection")
# how many sentences of each part a story starts with (inclusive range); actions then grow it
PARTS = {"situation": (1, 2), "task": (1, 1), "action": (2, 4), "result": (1, 2), "reflection": (0, 1)}
MAX_ACTIONS = 12


def words(text: str) -> int:
    return len(text.split())


@lru_cache(maxsize=1)
def sentence_pools() -> dict[str, tuple[str, ...]]:
    """label -> the distinct train-split sentences with that label, in corpus order."""
    from evaluator._models.corpus import load  # the labeled data ships with the editable install

    pools: dict[str, dict[str, None]] = {label: {} for label in ORDER}
    for record in load():
        if record.split != "train":
            continue
        for text, label in record.sentences:
            if label in pools:
                pools[label][text] = None
    empty = [label for label, pool in pools.items() if not pool]
    if empty:
        raise RuntimeError(f"the train split has no sentences labeled {empty}; is models/data/raw complete?")
    return {label: tuple(pool) for label, pool in pools.items()}


def _story(rng: random.Random, pools: dict[str, tuple[str, ...]], target: int) -> list[str]:
    parts = {label: rng.sample(pools[label], rng.randint(*PARTS[label])) for label in ORDER}
    total = sum(words(s) for ss in parts.values() for s in ss)
    while total < target and len(parts["action"]) < MAX_ACTIONS:  # long stories are mostly action
        extra = rng.choice(pools["action"])
        if extra not in parts["action"]:
            parts["action"].append(extra)
            total += words(extra)
    return [s for label in ORDER for s in parts[label]]


def generate(n: int = 1000, seed: int = SEED, min_words: int = 150, max_words: int = 250) -> list[str]:
    """``n`` answers of ``min_words``-``max_words`` words (deterministic for a seed)."""
    if not 0 < min_words <= max_words:
        raise ValueError(f"need 0 < min_words <= max_words, got {min_words}..{max_words}")
    pools = sentence_pools()
    rng = random.Random(seed)
    out: list[str] = []
    tries = 0
    while len(out) < n:
        tries += 1
        if tries > 50 * n + 1000:
            raise RuntimeError(f"cannot build answers of {min_words}-{max_words} words from these sentences")
        text = " ".join(_story(rng, pools, rng.randint(min_words, max_words)))
        if min_words <= words(text) <= max_words:
            out.append(text)
    return out


def of_length(n_words: int, variant: int = 0, seed: int = SEED) -> str:
    """One answer of exactly ``n_words`` words: STAR stories end to end, the last one cut short
    (the scaling section's input: the same kind of prose at every length)."""
    rng = random.Random(f"{seed}:{n_words}:{variant}")
    pools = sentence_pools()
    tokens: list[str] = []
    while len(tokens) < n_words:
        tokens += " ".join(_story(rng, pools, 200)).split()
    text = " ".join(tokens[:n_words])
    return text if text.endswith((".", "!", "?")) else text + "."


def fingerprint(texts: Sequence[str]) -> str:
    h = hashlib.sha256()
    for t in texts:
        h.update(t.encode())
        h.update(b"\0")
    return h.hexdigest()[:12]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write the seeded benchmark corpus as JSON lines.")
    ap.add_argument("--answers", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("-o", "--output", type=Path, help="File to write (default: standard output).")
    args = ap.parse_args(argv)
    texts = generate(args.answers, args.seed)
    lines = "".join(json.dumps({"id": f"bench-{i:04d}", "text": t, "words": words(t)}) + "\n"
                    for i, t in enumerate(texts))
    if args.output:
        args.output.write_text(lines, encoding="utf-8")
        print(f"{len(texts)} answers, fingerprint {fingerprint(texts)} -> {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
