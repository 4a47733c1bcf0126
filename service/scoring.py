"""The service's hold on the library: one Evaluator per mode, loaded once, used from a thread pool.

No scoring logic lives here: texts go to ``Evaluator.evaluate_many`` unchanged. Scoring is
CPU-bound, so it runs on a bounded pool of threads and the event loop stays free for ``/healthz``
and other requests. One Evaluator is shared by the pool's threads: its spaCy pipeline and encoder
are read-only at inference, and a concurrent run gives byte-identical reports.

Single-answer requests that arrive while the pool is busy are scored together: each mode has a
queue, and ``score_threads`` dispatchers each take whatever is waiting (up to ``MICRO_BATCH``) into
one ``evaluate_many`` call, which runs spaCy and the encoder once for all of them. Nothing waits
for a batch to fill: an idle server scores a lone request at once. The library guarantees a report
from ``evaluate_many`` is byte-identical to ``evaluate``'s, so batching never changes an answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from evaluator import Evaluator, Report, StarlintError, UnknownRubricError, available_rubrics

from .errors import ApiError
from .metrics import ServiceMetrics
from .settings import Mode, Settings

log = logging.getLogger("starlint.service")

MICRO_BATCH = 16  # most queued single requests scored in one evaluate_many call


@dataclass
class _Job:
    text: str
    rubric: str
    future: asyncio.Future[Report | StarlintError]


def _score_groups(ev: Evaluator, texts: Sequence[str], rubrics: Sequence[str]) -> list[Report | StarlintError]:
    """In a pool thread: one ``evaluate_many`` per rubric, results back in input order."""
    results: list[Report | StarlintError | None] = [None] * len(texts)
    groups: dict[str, list[int]] = {}
    for i, rubric in enumerate(rubrics):
        groups.setdefault(rubric, []).append(i)
    for rubric, idxs in groups.items():
        for i, res in zip(idxs, ev.evaluate_many([texts[i] for i in idxs], rubric=rubric), strict=True):
            results[i] = res
    return results  # type: ignore[return-value]


class Scorer:
    def __init__(self, settings: Settings, metrics: ServiceMetrics) -> None:
        self.settings, self.metrics = settings, metrics
        self._loading: dict[str, asyncio.Future[Evaluator]] = {}
        self._queues: dict[str, asyncio.Queue[_Job]] = {}
        self._dispatchers: list[asyncio.Task[None]] = []
        self._pool: ThreadPoolExecutor | None = None
        self._loader: ThreadPoolExecutor | None = None
        self._in_flight = 0

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Start loading every configured mode in the background (call from the lifespan).

        Requests that arrive meanwhile wait for their mode; ``/readyz`` says when all are loaded."""
        loop = asyncio.get_running_loop()
        self._pool = ThreadPoolExecutor(self.settings.score_threads, thread_name_prefix="starlint-score")
        self._loader = ThreadPoolExecutor(1, thread_name_prefix="starlint-load")
        for mode in self.settings.modes:  # rules first: ready in well under a second
            fut = loop.run_in_executor(self._loader, self._load, mode)
            fut.add_done_callback(lambda f: f.cancelled() or f.exception())  # a failure is reported, not raised
            self._loading[mode] = fut
            self._queues[mode] = asyncio.Queue()
            self._dispatchers += [asyncio.create_task(self._dispatch(mode)) for _ in range(self.settings.score_threads)]

    def _load(self, mode: Mode) -> Evaluator:
        try:
            ev = Evaluator(rubric=self.settings.default_rubric, mode=mode, max_chars=self.settings.max_chars)
        except Exception:
            log.exception("could not load the %s-mode evaluator; /readyz will say so", mode)
            raise
        log.info("%s mode ready", mode)
        return ev

    def stop(self) -> None:
        for task in self._dispatchers:
            task.cancel()
        for pool in (self._loader, self._pool):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)

    def readiness(self) -> dict[str, str]:
        """``{mode: "ready" | "loading" | "failed: <reason>"}``."""
        out = {}
        for mode, fut in self._loading.items():
            if not fut.done():
                out[mode] = "loading"
            elif fut.cancelled() or fut.exception() is not None:
                out[mode] = f"failed: {fut.exception() if not fut.cancelled() else 'cancelled'}"
            else:
                out[mode] = "ready"
        return out

    @property
    def in_flight(self) -> int:
        """Answers (single or batch requests) queued or being scored."""
        return self._in_flight

    # ------------------------------------------------------------------ validation

    def mode(self, requested: Mode | None) -> Mode:
        mode = requested or self.settings.default_mode
        if mode not in self._loading:
            raise ApiError(422, "mode_unavailable",
                           f"mode {mode!r} is not loaded on this server; use one of: {', '.join(self._loading)}",
                           {"mode": mode, "available": list(self._loading)})
        return mode  # type: ignore[return-value]

    async def evaluator(self, mode: Mode) -> Evaluator:
        try:
            return await asyncio.shield(self._loading[mode])
        except StarlintError:
            raise
        except Exception as exc:
            raise ApiError(503, "model_unavailable",
                           f"The {mode}-mode models failed to load on this server; the operator's log says why.",
                           {"mode": mode}) from exc

    def rubric_id(self, requested: str | None) -> str:
        """Only ids of the packaged/configured rubrics: a client can never make the server open a path."""
        rubric = requested or self.settings.default_rubric
        available = available_rubrics()
        if rubric not in available:
            raise UnknownRubricError(rubric, available)
        return rubric

    # ------------------------------------------------------------------ scoring

    async def _run(self, ev: Evaluator, texts: Sequence[str], rubrics: Sequence[str]) -> list[Report | StarlintError]:
        assert self._pool is not None, "Scorer.start() was not called (is the app's lifespan running?)"
        return await asyncio.get_running_loop().run_in_executor(self._pool, _score_groups, ev, texts, rubrics)

    async def _dispatch(self, mode: Mode) -> None:
        queue = self._queues[mode]
        while True:
            jobs = [await queue.get()]
            while len(jobs) < MICRO_BATCH and not queue.empty():
                jobs.append(queue.get_nowait())
            jobs = [j for j in jobs if not j.future.done()]  # the client went away
            if not jobs:
                continue
            try:
                ev = await self.evaluator(mode)
                results = await self._run(ev, [j.text for j in jobs], [j.rubric for j in jobs])
            except asyncio.CancelledError:
                for j in jobs:
                    j.future.cancel()
                raise
            except Exception as exc:  # a failed load, or a bug: every waiting request hears of it
                for j in jobs:
                    if not j.future.done():
                        j.future.set_exception(exc)
                continue
            for j, res in zip(jobs, results, strict=True):
                if not j.future.done():
                    j.future.set_result(res)

    def _count(self, mode: Mode, res: Report | StarlintError) -> None:
        if isinstance(res, Report):
            self.metrics.scored.inc(mode=mode, rubric=res.rubric)
        else:
            self.metrics.rejected.inc(code=res.code)

    async def evaluate(self, text: str, rubric: str | None, mode: Mode | None) -> Report:
        mode = self.mode(mode)
        rubric_id = self.rubric_id(rubric)
        await self.evaluator(mode)  # a failed load answers now, before queueing
        job = _Job(text, rubric_id, asyncio.get_running_loop().create_future())
        self._in_flight += 1
        try:
            self._queues[mode].put_nowait(job)
            res = await job.future
        finally:
            self._in_flight -= 1
        self._count(mode, res)
        if isinstance(res, StarlintError):
            raise res
        return res

    async def evaluate_batch(self, items: Sequence[tuple[str, str | None]], default_rubric: str | None,
                             mode: Mode | None) -> list[Report | StarlintError]:
        """One result or one error per ``(text, rubric)`` item, in order; one pool job for the batch."""
        mode = self.mode(mode)
        ev = await self.evaluator(mode)
        results: list[Report | StarlintError | None] = [None] * len(items)
        todo: list[int] = []
        rubrics: list[str] = []
        for i, (_, rubric) in enumerate(items):
            try:
                rubrics.append(self.rubric_id(rubric or default_rubric))
                todo.append(i)
            except StarlintError as exc:
                results[i] = exc
        self._in_flight += len(todo)
        try:
            scored = await self._run(ev, [items[i][0] for i in todo], rubrics)
        finally:
            self._in_flight -= len(todo)
        for i, res in zip(todo, scored, strict=True):
            results[i] = res
        for res in results:
            self._count(mode, res)  # type: ignore[arg-type]
        return results  # type: ignore[return-value]
