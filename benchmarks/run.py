"""``make bench``: measure starlint (library, spaCy floor, proselint peer, service, quality, cost by
length), print one report and write it to BENCHMARKS.md.

    python -m benchmarks.run                    # the full run: ~10-14 min on 2 quiet cores
    python -m benchmarks.run --quick            # seconds-to-a-minute: proves every path works
    python -m benchmarks.run --quick --modes rules --output /tmp/b.md --json /tmp/b.json

Run it on a quiet machine: it warns when the 1-minute load average is 1.5 or more. Sections run
one after another, never overlapping, each in processes of its own (see benchmarks/sections.py).
A section that fails is reported in the file and makes the exit status 1; the others still run.
The rules-mode service figures are measured only if the time budget allows.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import corpus as corpus_mod
from . import report, sections
from .sections import Config

BUSY_LOAD = 1.5


def _log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="Tiny configuration (a few answers, one repeat).")
    ap.add_argument("--modes", default="rules,full", help="Comma-separated: rules, full (default both).")
    ap.add_argument("--answers", type=int, help="Corpus size (default 1000; --quick 24).")
    ap.add_argument("--full-answers", type=int, help="Answers full mode times (default 500; --quick 8).")
    ap.add_argument("--repeats", type=int, help="Timed repeats per throughput figure (default 3).")
    ap.add_argument("--skip", default="", help="Comma-separated sections to skip: cold,library,service,quality.")
    ap.add_argument("--output", type=Path, default=Path("BENCHMARKS.md"), help="Markdown report (default BENCHMARKS.md).")
    ap.add_argument("--json", type=Path, help="Also write the raw figures here.")
    ap.add_argument("--render", type=Path, metavar="JSON",
                    help="Measure nothing: re-render the report from the raw figures of an earlier --json run.")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.render:
        text = report.render(json.loads(args.render.read_text(encoding="utf-8"), object_hook=_int_keys))
        print(text)
        args.output.write_text(text + "\n", encoding="utf-8")
        return 0
    cfg = Config.quick() if args.quick else Config()
    modes = tuple(m.strip() for m in args.modes.split(",") if m.strip())
    if not modes or set(modes) - set(sections.MODES):
        raise SystemExit(f"--modes: expected rules and/or full, got {args.modes!r}")
    cfg.modes = tuple(m for m in sections.MODES if m in modes)
    cfg.service_modes = tuple(m for m in cfg.service_modes if m in modes)
    cfg.answers = args.answers or cfg.answers
    cfg.full_answers = args.full_answers or cfg.full_answers
    cfg.repeats = args.repeats or cfg.repeats
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    t_start = time.perf_counter()
    load_before = os.getloadavg()[0]
    if load_before >= BUSY_LOAD:
        _log(f"warning: the machine is busy (load average {load_before:.2f}); figures will be noisy")
    res: dict[str, Any] = {"quick": args.quick, "config": asdict(cfg), "machine": report.machine(),
                           "load_before": load_before, "command": shlex.join(["python", "-m", "benchmarks.run",
                                                                              *(argv if argv is not None else sys.argv[1:])]),
                           "section_s": {}, "errors": {}, "library": {}, "cold_start": {}, "service": {},
                           "full_pipes": _full_pipes()}

    _log(f"corpus: {cfg.answers} answers")
    texts = corpus_mod.generate(cfg.answers)
    res["corpus"] = {"seed": corpus_mod.SEED, "fingerprint": corpus_mod.fingerprint(texts),
                     "mean_words": statistics.fmean(corpus_mod.words(t) for t in texts)}

    def section(name: str, fn: Any, *a: Any) -> Any:  # noqa: ANN401
        _log(f"{name} ...")
        t = time.perf_counter()
        try:
            return fn(*a)
        except Exception:  # noqa: BLE001  (one failed section must not lose the others)
            res["errors"][name] = traceback.format_exc()
            _log(f"{name} FAILED:\n{res['errors'][name]}")
            return None
        finally:
            res["section_s"][name] = time.perf_counter() - t
            _log(f"{name} done in {res['section_s'][name]:.1f} s")

    for mode in cfg.modes:
        if "cold" not in skip:
            got = section(f"cold start {mode}", sections.cold_start, cfg, mode)
            if got:
                res["cold_start"][mode] = got
        if "library" not in skip:
            section(f"library {mode}", sections.library, cfg, mode, texts, res["library"].setdefault(mode, {}))
    if "quality" not in skip:
        res["quality"] = section("quality", sections.quality, cfg) or {}
    res["service_skipped"] = []
    if "service" not in skip:
        for i, mode in enumerate(cfg.service_modes):
            elapsed = time.perf_counter() - t_start
            if i > 0 and elapsed > cfg.budget_s - 120:  # the first listed mode always runs
                res["service_skipped"].append(mode)
                _log(f"service {mode}: skipped, {elapsed:.0f} s spent of a {cfg.budget_s:.0f} s budget")
                continue
            section(f"service {mode}", sections.service, cfg, mode, res["service"].setdefault(mode, {}))

    res["elapsed_s"] = time.perf_counter() - t_start
    res["load_after"] = os.getloadavg()[0]
    text = report.render(res)
    print(text)
    args.output.write_text(text + "\n", encoding="utf-8")
    _log(f"wrote {args.output} ({res['elapsed_s'] / 60:.1f} min)")
    if res["elapsed_s"] > 15 * 60 and not args.quick:
        _log("warning: the run took more than 15 minutes; lower --full-answers or --repeats on this machine")
    if args.json:
        args.json.write_text(json.dumps(res, indent=2, default=str) + "\n", encoding="utf-8")
    if res["errors"]:
        _log(f"{len(res['errors'])} section(s) failed: {', '.join(res['errors'])}")
        return 1
    return 0


def _full_pipes() -> list[str]:
    """The pipes full mode runs, from the model package's meta.json (without loading it)."""
    try:
        import spacy

        from evaluator.nlp import FULL_EXCLUDED, SPACY_PACKAGE

        meta = json.loads((spacy.util.get_package_path(SPACY_PACKAGE) / "meta.json").read_text(encoding="utf-8"))
        return [p for p in meta["pipeline"] if p not in FULL_EXCLUDED]
    except Exception:  # noqa: BLE001  (a label in the report; never fail the run for it)
        return []


def _int_keys(d: dict[str, Any]) -> dict[Any, Any]:
    """JSON turns the int keys of the figures (word counts, concurrency levels) into strings."""
    return {int(k) if k.isdigit() else k: v for k, v in d.items()}


if __name__ == "__main__":
    sys.exit(main())
