"""The measurements behind ``python -m benchmarks.run``, one function per section, each returning plain data.

Every section runs in processes of its own (spawned workers, a fresh ``starlint serve``, a fresh
interpreter for cold starts and quality), so nothing one section loads or leaks skews another.
Comparisons that are reported as ratios (ours vs bare spaCy, ours vs proselint) are timed in the
same worker on the same texts, interleaved repeat by repeat, and the ratio is taken per repeat
before the median: machine-wide slowdowns hit both sides of a ratio alike.
"""

from __future__ import annotations

import importlib.util
import json
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .corpus import of_length, words
from .worker import Workers, split

ROOT = Path(__file__).resolve().parent.parent
MODES = ("rules", "full")


@dataclass
class Config:
    answers: int = 1000                 # corpus size (rules mode uses all of it)
    full_answers: int = 500             # full mode times the first N (it is ~6x slower)
    repeats: int = 3                    # timed repeats of each throughput figure (median reported)
    cold_repeats: int = 3
    latency_answers: dict[str, int] = field(default_factory=lambda: {"rules": 200, "full": 200})
    scaling_answers: dict[str, dict[int, int]] = field(default_factory=lambda: {  # answers per length
        "rules": {50: 32, 200: 16, 800: 8, 3200: 4}, "full": {50: 16, 200: 12, 800: 6, 3200: 4}})
    service_requests: dict[str, dict[int, int]] = field(default_factory=lambda: {
        "rules": {1: 200, 8: 600, 32: 960}, "full": {1: 200, 8: 600, 32: 960}})
    service_timeout_s: int = 150        # per load-generator run: a stuck server cannot stall the run
    service_workers: int = 2            # one uvicorn worker per core, as the README deploys it
    modes: tuple[str, ...] = MODES
    service_modes: tuple[str, ...] = ("full", "rules")  # in priority order; later ones only if time allows
    quality_split: str = "test"
    budget_s: float = 14 * 60

    @classmethod
    def quick(cls) -> Config:
        """Seconds, not minutes: proves every path works; the figures mean nothing."""
        return cls(answers=24, full_answers=8, repeats=1, cold_repeats=1,
                   latency_answers={"rules": 4, "full": 2},
                   scaling_answers={"rules": {50: 2, 200: 1}, "full": {50: 1, 200: 1}},
                   service_requests={"rules": {1: 4, 8: 16, 32: 32}, "full": {1: 2, 8: 8, 32: 32}},
                   service_timeout_s=90, budget_s=10 * 60)

    def texts_for(self, mode: str, corpus: list[str]) -> list[str]:
        return corpus if mode == "rules" else corpus[:self.full_answers]


def percentile(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return float("nan")
    s = sorted(values)
    pos = (len(s) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _json_line(stdout: str) -> dict[str, Any]:
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"no JSON result in the output:\n{stdout[-2000:]}")


# ---------------------------------------------------------------------------------- 1. cold start

def cold_start(cfg: Config, mode: str) -> dict[str, Any]:
    runs = []
    for _ in range(cfg.cold_repeats):
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "benchmarks.coldstart", "--mode", mode], cwd=ROOT,
                              capture_output=True, text=True, timeout=600)
        wall = time.perf_counter() - t
        if proc.returncode:
            raise RuntimeError(f"benchmarks.coldstart --mode {mode} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
        runs.append({**_json_line(proc.stdout), "process_s": wall})
    return {key: median([r[key] for r in runs])
            for key in ("cold_start_s", "import_s", "load_s", "first_answer_s", "process_s")} | {"runs": len(runs)}


# --------------------------------------------- 1, 2, 3, 6: one worker (latency, floor, peer, scaling)

def library(cfg: Config, mode: str, corpus: list[str], out: dict[str, Any]) -> dict[str, Any]:
    """Warm latency, 1-process throughput with the spaCy floor (and proselint in rules mode)
    interleaved, then cost by length; then 2-process throughput and per-worker memory.
    Fills ``out`` as it goes, so a failure late in the section keeps the figures already taken."""
    texts = cfg.texts_for(mode, corpus)
    n_words = sum(words(t) for t in texts)
    warmup = corpus[-3:]
    out.update({"answers": len(texts), "words": n_words})
    with Workers(mode, 1, warmup) as one:
        out["worker_load_s"] = one.info[0]["load_s"]
        out["torch_threads_1p"] = one.info[0]["torch_threads"]
        one.put("corpus", [texts])
        one.put("latency", [texts[:cfg.latency_answers[mode]]])
        _, (lat,) = one.call("latency", "latency")
        out["latency_ms"] = {"p50": percentile(lat, 50) * 1000, "p95": percentile(lat, 95) * 1000, "n": len(lat)}

        ours, floor, ratios, peer, peer_ratios = [], [], [], [], []
        have_peer = importlib.util.find_spec("proselint") is not None
        if mode == "rules" and not have_peer:
            out["peer_error"] = "proselint is not installed (pip install -e '.[bench]')"
        for _ in range(cfg.repeats):
            _, (t_ours,) = one.call("many", "corpus")
            _, (t_spacy,) = one.call("spacy", "corpus")
            ours.append(t_ours)
            floor.append(t_spacy)
            ratios.append(t_ours / t_spacy)
            if mode == "rules" and have_peer:
                _, (pl,) = one.call("proselint", "corpus")
                peer.append(pl["seconds"])
                peer_ratios.append(pl["seconds"] / t_ours)  # = our words/s / proselint's
                out["peer_checks"] = pl["checks"]
        out["one_process"] = _throughput(len(texts), n_words, median(ours), cfg.repeats)
        out["floor"] = {"seconds": median(floor), "ours_seconds": median(ours), "overhead": median(ratios),
                        **_throughput(len(texts), n_words, median(floor), cfg.repeats)}
        if peer:
            out["peer"] = {**_throughput(len(texts), n_words, median(peer), len(peer)),
                           "ours_over_peer": median(peer_ratios)}

        scaling = {}
        for length, k in cfg.scaling_answers[mode].items():
            one.put(f"len{length}", [[of_length(length, v) for v in range(k)]])
            _, (secs,) = one.call("latency", f"len{length}")
            ms = median(secs) * 1000
            scaling[length] = {"ms": ms, "ms_per_100_words": ms / length * 100, "n": k}
            out["scaling"] = scaling
        _, (mem1,) = one.call("memory")
        out["memory_1p"] = mem1

    with Workers(mode, 2, warmup) as two:
        out["torch_threads_2p"] = two.info[0]["torch_threads"]
        two.put("corpus", split(texts, 2))
        walls = []
        for _ in range(cfg.repeats):
            wall, _ = two.call("many", "corpus")
            walls.append(wall)
        _, mems = two.call("memory")
    out["two_processes"] = _throughput(len(texts), n_words, median(walls), cfg.repeats)
    out["scaling_efficiency"] = out["two_processes"]["answers_per_s"] / (2 * out["one_process"]["answers_per_s"])
    out["memory_2p"] = mems
    # the largest worker of either run (the 1-process one also scored the 3,200-word answers)
    out["peak_rss_per_worker"] = max(m["peak_rss"] for m in [*mems, out["memory_1p"]])
    return out


def _throughput(answers: int, n_words: int, seconds: float, runs: int) -> dict[str, float]:
    return {"seconds": seconds, "answers_per_s": answers / seconds, "words_per_s": n_words / seconds, "runs": runs}


# ------------------------------------------------------------------------------------ 4. service

def service(cfg: Config, mode: str, out: dict[str, Any]) -> dict[str, Any]:
    from .service_load import spawn  # the service engineer's load tool: its server start and its client

    t = time.perf_counter()
    try:
        proc, url = spawn(mode, cfg.service_workers, None)
    except SystemExit as exc:  # its way of saying the server did not come up
        raise RuntimeError(f"starlint serve ({mode} mode): {exc}") from None
    out.update({"ready_s": time.perf_counter() - t, "workers": cfg.service_workers, "levels": {}})
    try:
        for concurrency, n in cfg.service_requests[mode].items():
            cmd = [sys.executable, "-m", "benchmarks.service_load", "--url", url, "--mode", mode,
                   "--concurrency", str(concurrency), "--requests", str(n), "--warmup", "2", "--json"]
            try:
                run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=cfg.service_timeout_s)
            except subprocess.TimeoutExpired:
                out["levels"][concurrency] = {"error": f"no result within {cfg.service_timeout_s} s"}
                continue
            try:
                out["levels"][concurrency] = _json_line(run.stdout)
            except (RuntimeError, json.JSONDecodeError):
                out["levels"][concurrency] = {"error": (run.stderr or run.stdout)[-500:].strip()}
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    failed = {c: lv["error"] for c, lv in out["levels"].items() if "error" in lv}
    if failed:  # the figures taken stay in the report; the run's exit status says something is wrong
        raise RuntimeError(f"load generator failed at concurrency {sorted(failed)}: {next(iter(failed.values()))}")
    return out


# ------------------------------------------------------------------------------------ 5. quality

def quality(cfg: Config) -> dict[str, Any]:
    mode = "full" if "full" in cfg.modes else "rules"  # full also runs the rules baseline
    proc = subprocess.run([sys.executable, "-m", "benchmarks.quality", "--split", cfg.quality_split, "--mode", mode],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    if proc.returncode:
        raise RuntimeError(f"benchmarks.quality exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return _json_line(proc.stdout)
