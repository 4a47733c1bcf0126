"""Throughput and latency of the HTTP service under load: N concurrent clients POST a ~200-word answer.

    python -m benchmarks.service_load --mode full --concurrency 8 --duration 30       # spawns `starlint serve`
    python -m benchmarks.service_load --url http://127.0.0.1:8000 --mode rules        # an already running server

Prints requests/s and latency percentiles (``--json`` for a machine-readable line). Every answer is
checked (status 200, a Report in the requested mode); failures are counted, never timed as successes.
Each request's text differs by one number so nothing downstream can cache a result.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

SENTENCES = [
    "At a regional grocery chain our online orders grew 20 % a quarter, but one in eight deliveries arrived with "
    "missing items and support tickets about substitutions had tripled.",
    "My goal as the product manager for fulfilment was to cut missing-item orders in half before the holiday peak "
    "without slowing the pickers down.",
    "I partnered with the store operations lead and two data scientists to build a model that flagged items likely "
    "to be out of stock at pick time.",
    "I ran a four-week pilot in three stores with a human-review step before any substitution was offered, and I "
    "met the pickers every Friday to hear what the model got wrong.",
    "Missing-item orders fell from 12 % to 5 %, substitution tickets dropped by 60 %, and the chain rolled the "
    "feature out to all 140 stores by November.",
    "I built a similar model at my last job and it reached 95 % accuracy on the validation set.",
    "What I learned is that the pickers were the real users of the model; next time I would bring them into the "
    "design reviews from the first week.",
]


def answer(words: int, variant: int) -> str:
    """A STAR-shaped answer of exactly ``words`` words; ``variant`` changes one number."""
    pool = " ".join(SENTENCES).split()
    out: list[str] = []
    while len(out) < words - 2:
        out.extend(pool)
    out = out[:words - 2]
    return " ".join(out) + f" (request {variant})."


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


async def run_load(url: str, mode: str, rubric: str, concurrency: int, duration: float, requests: int | None,
                   words: int, warmup: int, headers: dict[str, str]) -> dict[str, object]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits, headers=headers) as client:
        for i in range(warmup):  # first requests compile the rubric, warm caches and the thread pool
            (await client.post("/v1/evaluate", json={"text": answer(words, -1 - i), "mode": mode,
                                                     "rubric": rubric})).raise_for_status()
        latencies: list[float] = []
        failures: dict[str, int] = {}
        counter = 0
        stop_at = time.perf_counter() + duration

        async def worker() -> None:
            nonlocal counter
            while True:
                if requests is not None and counter >= requests:
                    return
                if requests is None and time.perf_counter() >= stop_at:
                    return
                counter += 1
                body = {"text": answer(words, counter), "mode": mode, "rubric": rubric}
                t0 = time.perf_counter()
                try:
                    resp = await client.post("/v1/evaluate", json=body)
                    ok = resp.status_code == 200 and resp.json().get("mode") == mode
                    key = "ok" if ok else f"http {resp.status_code}"
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                elapsed = time.perf_counter() - t0
                if key == "ok":
                    latencies.append(elapsed)
                else:
                    failures[key] = failures.get(key, 0) + 1

        t_start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - t_start
    lat = sorted(latencies)
    return {
        "mode": mode, "rubric": rubric, "words": words, "concurrency": concurrency, "requests": len(lat),
        "failures": failures, "seconds": round(wall, 2), "rps": round(len(lat) / wall, 2) if wall else 0.0,
        "p50_ms": round(percentile(lat, 50) * 1000, 1), "p90_ms": round(percentile(lat, 90) * 1000, 1),
        "p99_ms": round(percentile(lat, 99) * 1000, 1), "max_ms": round(lat[-1] * 1000, 1) if lat else None,
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(mode: str, workers: int, threads: int | None) -> tuple[subprocess.Popen[bytes], str]:
    exe = shutil.which("starlint") or str(Path(sys.executable).parent / "starlint")
    port = free_port()
    env = {**os.environ, "STARLINT_MODES": mode, "STARLINT_API_KEYS": ""}
    if threads:
        env["STARLINT_SCORE_THREADS"] = str(threads)
    proc = subprocess.Popen([exe, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                             "--log-level", "warning"], env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"starlint serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit("starlint serve was not ready within 180 s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="A running server; without it, `starlint serve` is started on a free port.")
    ap.add_argument("--mode", choices=["full", "rules"], default="full")
    ap.add_argument("--rubric", default="general")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--duration", type=float, default=30.0, help="Seconds of load (ignored with --requests).")
    ap.add_argument("--requests", type=int, help="Stop after this many requests instead of after --duration.")
    ap.add_argument("--words", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=4)
    ap.add_argument("--workers", type=int, default=1, help="Server processes when spawning.")
    ap.add_argument("--threads", type=int, help="STARLINT_SCORE_THREADS when spawning (server default otherwise).")
    ap.add_argument("--api-key", default=os.environ.get("STARLINT_BENCH_API_KEY", ""))
    ap.add_argument("--json", action="store_true", help="Print one JSON line.")
    args = ap.parse_args(argv)

    proc = None
    url = args.url
    if url is None:
        proc, url = spawn(args.mode, args.workers, args.threads)
    try:
        headers = {"Authorization": f"Bearer {args.api_key}"} if args.api_key else {}
        result = asyncio.run(run_load(url, args.mode, args.rubric, args.concurrency, args.duration, args.requests,
                                      args.words, args.warmup, headers))
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    result.update({"workers": args.workers if proc else None, "threads": args.threads, "cpus": os.cpu_count(),
                   "load_avg_1m": round(os.getloadavg()[0], 2)})
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['mode']} mode, {result['words']} words, concurrency {result['concurrency']}: "
              f"{result['requests']} answers in {result['seconds']} s = {result['rps']} req/s; "
              f"latency p50 {result['p50_ms']} ms, p90 {result['p90_ms']} ms, p99 {result['p99_ms']} ms, "
              f"max {result['max_ms']} ms; failures {result['failures'] or 0}; "
              f"{result['cpus']} CPUs, load average {result['load_avg_1m']}")
    return 1 if result["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
