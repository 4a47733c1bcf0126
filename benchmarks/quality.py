"""The ``starlint eval`` headline figures as one JSON line (run in its own process by ``benchmarks.run``).

    python -m benchmarks.quality --split test --mode full    # full mode and the rules baseline, same run
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def headline(split: str, mode: str) -> dict[str, dict[str, float]]:
    from evaluator._models import evaluate

    # run() also fits the length-only baseline (thousands of f1_score calls: 20-60 s on 2 cores) that
    # the headline does not report; stub it in this throw-away process so it costs no benchmark time.
    evaluate.length_baseline = lambda train, records: evaluate.Result("length-only")
    out: dict[str, dict[str, float]] = {}
    for res in evaluate.run(split, mode):
        system = res.system.removesuffix(" (baseline)")
        if system not in ("rules", "full"):
            continue  # the length-only baseline is `starlint eval`'s business
        out[system] = {"star_sentence_macro_f1": res.macro(res.star_sentence),
                       "star_answer_macro_f1": res.macro(res.star_answer),
                       "rule_macro_f1": res.macro(res.rules), "spearman": res.spearman}
    return out


def answers_in(split: str) -> int:
    from evaluator._models.corpus import load

    return sum(1 for r in load() if r.split == split)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test")
    ap.add_argument("--mode", choices=["rules", "full"], default="full")
    args = ap.parse_args(argv)
    t = time.perf_counter()
    systems = headline(args.split, args.mode)
    print(json.dumps({"split": args.split, "answers": answers_in(args.split), "systems": systems,
                      "seconds": time.perf_counter() - t}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
