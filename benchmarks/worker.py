"""Benchmark worker processes: each owns one Evaluator and times what the parent asks, on command.

Workers are started with the ``spawn`` method, so each is a fresh interpreter that imports and
loads its own models (as a ``starlint bulk --jobs N`` worker does) and its peak RSS is its own,
not pages inherited from the parent. Texts are shipped once (``put``) and timed calls refer to
them by name, so no pickling happens inside a timed region. The parent times a multi-worker run
from its "go" to the last reply; each worker also reports its own seconds.

Commands (each answered with ``("ok", value)`` or ``("error", traceback)``):
    put name texts        store texts
    many name             seconds for ``evaluate_many(texts)`` (return_errors=False: a failure is loud)
    spacy name            seconds for ``for _ in nlp.pipe(texts): pass`` with the Evaluator's own pipeline
    proselint name        seconds for ``LintFile(...).lint()`` on every text (checks registered once)
    latency name          per-answer seconds of ``evaluate(text)``, one text at a time
    memory                {"peak_rss": ru_maxrss bytes, "rss": psutil rss, "uss": psutil uss}
    stop
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import sys
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

READY_TIMEOUT_S = 600.0


def _proselint_linter() -> tuple[Callable[[str], object], int]:
    from proselint.checks import __register__
    from proselint.config import DEFAULT
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile

    registry = CheckRegistry()
    if not registry.checks:  # the registry is a process-wide singleton: register once
        registry.register_many(__register__)
    n_checks = len(registry.get_all_enabled(DEFAULT["checks"]))
    return (lambda text: LintFile("<bench>", text).lint(DEFAULT)), n_checks


def _memory() -> dict[str, int | None]:
    # ru_maxrss is the kernel's high-water mark (KiB on Linux); psutil has no peak on Linux
    out: dict[str, int | None] = {"peak_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                                  "rss": None, "uss": None}
    try:
        import psutil

        info = psutil.Process().memory_full_info()
        out["rss"], out["uss"] = info.rss, getattr(info, "uss", None)
    except ImportError:
        pass
    return out


def _serve(conn: Connection, mode: str, torch_threads: int, max_chars: int, warmup: list[str]) -> None:
    """The worker's main loop (runs in the child)."""
    try:
        t0 = time.perf_counter()
        from evaluator import Evaluator

        ev = Evaluator(rubric="general", mode=mode, max_chars=max_chars)  # type: ignore[arg-type]
        torch = sys.modules.get("torch")  # spaCy's thinc imports it even in rules mode
        if torch is not None:  # as `starlint bulk` does: N workers x all-core torch pools would fight
            torch.set_num_threads(torch_threads)
        loaded = time.perf_counter() - t0
        ev.evaluate_many(warmup, return_errors=False)  # rubric compile, first-call allocations
        for _ in ev.nlp.pipe(warmup):
            pass
        conn.send(("ok", {"pid": os.getpid(), "load_s": loaded,
                          "torch_threads": torch.get_num_threads() if torch is not None else None}))
    except BaseException:  # noqa: BLE001  (the parent shows it)
        conn.send(("error", traceback.format_exc()))
        return
    texts: dict[str, list[str]] = {}
    lint: Callable[[str], object] | None = None
    while True:
        cmd, *args = conn.recv()
        try:
            if cmd == "stop":
                conn.send(("ok", None))
                return
            if cmd == "put":
                texts[args[0]] = list(args[1])
                value: Any = len(texts[args[0]])
            elif cmd == "many":
                t = time.perf_counter()
                ev.evaluate_many(texts[args[0]], return_errors=False)
                value = time.perf_counter() - t
            elif cmd == "spacy":
                t = time.perf_counter()
                for _ in ev.nlp.pipe(texts[args[0]], batch_size=16):  # evaluate_many's default batch
                    pass
                value = time.perf_counter() - t
            elif cmd == "proselint":
                if lint is None:
                    lint, n_checks = _proselint_linter()
                    lint(warmup[0])
                t = time.perf_counter()
                for text in texts[args[0]]:
                    lint(text)
                value = {"seconds": time.perf_counter() - t, "checks": n_checks}
            elif cmd == "latency":
                value = []
                for text in texts[args[0]]:
                    t = time.perf_counter()
                    ev.evaluate(text)
                    value.append(time.perf_counter() - t)
            elif cmd == "memory":
                value = _memory()
            else:
                raise ValueError(f"unknown command {cmd!r}")
            conn.send(("ok", value))
        except BaseException:  # noqa: BLE001
            conn.send(("error", traceback.format_exc()))


class WorkerError(RuntimeError):
    pass


class Workers:
    """``n`` worker processes for one mode. Use as a context manager; always stops its children."""

    def __init__(self, mode: str, n: int, warmup: list[str], max_chars: int = 200_000) -> None:
        ctx = mp.get_context("spawn")
        threads = max(1, (os.cpu_count() or 1) // n)
        self.mode, self.n = mode, n
        self._conns: list[Connection] = []
        self._procs: list[Any] = []
        for _ in range(n):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(child, mode, threads, max_chars, warmup), daemon=True)
            proc.start()
            child.close()
            self._conns.append(parent)
            self._procs.append(proc)
        t = time.perf_counter()
        try:
            self.info = [self._recv(c, READY_TIMEOUT_S) for c in self._conns]
        except BaseException:
            self.close()
            raise
        self.ready_s = time.perf_counter() - t

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _recv(self, conn: Connection, timeout: float) -> Any:
        if not conn.poll(timeout):
            raise WorkerError(f"a {self.mode}-mode worker did not answer within {timeout:.0f} s")
        try:
            status, value = conn.recv()
        except EOFError:
            raise WorkerError(f"a {self.mode}-mode worker died") from None
        if status != "ok":
            raise WorkerError(f"a {self.mode}-mode worker failed:\n{value}")
        return value

    def put(self, name: str, chunks: list[list[str]]) -> None:
        """Give worker i ``chunks[i]`` under ``name``."""
        for conn, chunk in zip(self._conns, chunks, strict=True):
            conn.send(("put", name, chunk))
        for conn in self._conns:
            self._recv(conn, 60)

    def call(self, cmd: str, *args: object, timeout: float = 900.0) -> tuple[float, list[Any]]:
        """Send ``cmd`` to every worker at once; (wall seconds until the last reply, replies)."""
        t = time.perf_counter()
        for conn in self._conns:
            conn.send((cmd, *args))
        replies = [self._recv(conn, timeout) for conn in self._conns]
        return time.perf_counter() - t, replies

    def close(self) -> None:
        for conn, proc in zip(self._conns, self._procs):
            if proc.is_alive():
                try:
                    conn.send(("stop",))
                    conn.poll(10)
                except (OSError, EOFError):
                    pass
            proc.join(10)
            if proc.is_alive():
                proc.terminate()
                proc.join(5)
        self._conns, self._procs = [], []


def split(texts: list[str], n: int) -> list[list[str]]:
    """``n`` contiguous, near-equal slices."""
    k, r = divmod(len(texts), n)
    out, i = [], 0
    for j in range(n):
        size = k + (1 if j < r else 0)
        out.append(texts[i:i + size])
        i += size
    return out
