"""One cold start, measured inside a fresh interpreter: import starlint, build an Evaluator, score one answer.

    python -m benchmarks.coldstart --mode full      # prints one JSON line

The parent (``benchmarks.run``) launches this in a new process per repeat and also times the
process from launch to exit (interpreter start-up included). The OS page cache is warm after the
first repeat, as it is on any machine that has run starlint before: this is "new process", not
"first boot".
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # before anything of ours is imported

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402

ANSWER = ("Our support tickets had tripled in a quarter. My goal was to cut them in half. I partnered with the "
          "support lead to find the top three causes and we shipped fixes behind a flag. Tickets dropped by 38 % "
          "in two months. Next time I would involve the support team from the first week.")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["rules", "full"], required=True)
    args = ap.parse_args(argv)
    t_args = time.perf_counter()
    from evaluator import Evaluator

    t_import = time.perf_counter()
    ev = Evaluator(rubric="general", mode=args.mode)
    t_load = time.perf_counter()
    ev.evaluate(ANSWER)
    t_first = time.perf_counter()
    print(json.dumps({"mode": args.mode, "import_s": t_import - t_args, "load_s": t_load - t_import,
                      "cold_start_s": (t_import - t_args) + (t_load - t_import), "first_answer_s": t_first - t_load,
                      "in_process_s": t_first - T0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
