"""Where the time goes: one process, one mode, the bench corpus, a timing and a cProfile table.

This is the tool behind the "before and after" table in BENCHMARKS.md: it runs on any commit
(it needs only ``evaluate_many`` and ``load_nlp``), so a change can be measured against the
commit before it on the same machine, minutes apart:

    python -m benchmarks.profile --mode rules                 # timing + top 25 by cumulative time
    git stash; python -m benchmarks.profile --mode full --no-profile; git stash pop

The figures are one process, warm (20 answers first), ``evaluate_many`` over the first N
answers of the seeded bench corpus, median of ``--repeats`` runs, and the same texts through
the Evaluator's own spaCy pipeline for the floor ratio.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time

from .corpus import generate, words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", choices=("rules", "full"), default="rules")
    ap.add_argument("--answers", type=int, help="answers timed (default 300 rules, 100 full)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--top", type=int, default=25, help="rows of the profile table")
    ap.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime...)")
    ap.add_argument("--no-profile", action="store_true", help="timing only")
    args = ap.parse_args(argv)

    from evaluator import Evaluator

    n = args.answers or (300 if args.mode == "rules" else 100)
    texts = generate(max(n, 20))[:n]
    n_words = sum(words(t) for t in texts)
    t0 = time.perf_counter()
    ev = Evaluator(mode=args.mode)
    load_s = time.perf_counter() - t0
    ev.evaluate_many(texts[:20])
    list(ev.nlp.pipe(texts[:20]))
    ours, floor = [], []
    for _ in range(args.repeats):
        t = time.perf_counter()
        ev.evaluate_many(texts)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        for _doc in ev.nlp.pipe(texts, batch_size=16):
            pass
        floor.append(time.perf_counter() - t)
    o, f = statistics.median(ours), statistics.median(floor)
    ratio = statistics.median(a / b for a, b in zip(ours, floor))
    print(f"mode={args.mode} answers={n} words={n_words} load={load_s:.2f}s repeats={args.repeats}")
    print(f"ours:  {n / o:8.1f} answers/s {n_words / o:9.0f} words/s {1000 * o / n:7.2f} ms/answer")
    print(f"spaCy: {n / f:8.1f} answers/s {n_words / f:9.0f} words/s  pipes={ev.nlp.pipe_names}")
    print(f"overhead over spaCy: {ratio:.2f}x")
    if not args.no_profile:
        prof = cProfile.Profile()
        prof.runcall(ev.evaluate_many, texts)
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
