"""Measure one `starlint bulk` run: wall time, answers/s, CPU time, peak memory of the process tree.

    python benchmarks/make_bulk_input.py --rows 10000 -o /tmp/a10k.csv
    python benchmarks/bulk_bench.py --label rules-10k -- starlint bulk /tmp/a10k.csv -o /tmp/r.jsonl \\
        --mode rules --jobs 2 --overwrite

Prints one JSON line. Memory is polled every 0.2 s over the command and all its descendants:
``peak_tree_rss_mb`` (sum of RSS; counts pages shared after fork once per process, so it
over-states), ``peak_tree_pss_mb`` (proportional set size: shared pages split between their
users, the fairer total) and ``peak_process_rss_mb`` (the largest single process). CPU time is
user+sys of the whole tree (from rusage), which on a shared machine says more about the work
done than the wall time does. Needs psutil (the ``bench`` extra).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time

import psutil


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--label", default="")
    ap.add_argument("--interval", type=float, default=0.2)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    load_before = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = {"rss": 0, "pss": 0, "proc": 0}
    done = threading.Event()

    def poll() -> None:
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                rss = pss = 0
                for p in procs:
                    try:
                        info = p.memory_full_info()
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
                    peak["proc"] = max(peak["proc"], info.rss)
                peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)
            except psutil.NoSuchProcess:
                return
            time.sleep(args.interval)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    _, err = proc.communicate()
    wall = time.monotonic() - t0
    done.set()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    m = re.search(r"scored ([\d,]+) answers in ([\d.,]+) s", err)
    scored, inside = (int(m[1].replace(",", "")), float(m[2].replace(",", ""))) if m else (0, 0.0)
    print(json.dumps({
        "label": args.label, "rc": proc.returncode, "answers": scored,
        "wall_s": round(wall, 1), "run_s": round(inside, 1),
        "answers_per_s_wall": round(scored / wall, 1) if wall else None,
        "answers_per_s_run": round(scored / inside, 1) if inside else None,
        "cpu_s": round(cpu, 1), "cpu_ms_per_answer": round(1000 * cpu / scored, 2) if scored else None,
        "peak_tree_rss_mb": round(peak["rss"] / 2**20), "peak_tree_pss_mb": round(peak["pss"] / 2**20),
        "peak_process_rss_mb": round(peak["proc"] / 2**20),
        "load_before": [round(x, 1) for x in load_before], "load_after": [round(x, 1) for x in os.getloadavg()],
    }))
    if proc.returncode not in (0, 1):
        sys.stderr.write(err[-2000:])


if __name__ == "__main__":
    main()
