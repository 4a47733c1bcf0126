"""``--engine dask``: the same chunks, scored on an existing Dask cluster.

A :class:`~distributed.WorkerPlugin` builds one Evaluator per worker when it registers (and on
workers that join later); tasks only look it up. Workers need starlint installed with the same
models. Run them with one thread each (``dask worker ADDRESS --nthreads 1 --nworkers N``): a
worker scores one chunk at a time, so extra threads would only wait.

Imported only when ``--engine dask`` is asked for: Dask is the optional ``starlint[dask]`` extra.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import Future

from ..errors import StarlintError
from .records import BulkError
from .runner import BulkOptions, Scored, score_texts

try:
    import dask
    from distributed import Client, WorkerPlugin, get_worker
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the package
    raise BulkError(f"the Dask engine needs Dask ({exc.name or 'distributed'} is not installed): "
                    "pip install 'starlint[dask]'") from None


class EvaluatorPlugin(WorkerPlugin):
    """Holds this worker's Evaluator. ``setup`` starts loading it on a thread of its own (full
    mode takes seconds; the worker's event loop must keep answering heartbeats); the first chunk
    waits for it."""

    def __init__(self, rubric: str, mode: str, max_chars: int) -> None:
        self.config = (rubric, mode, max_chars)
        self.name = "starlint-evaluator-" + hashlib.sha1(repr(self.config).encode()).hexdigest()[:12]
        self.evaluator = None
        self.error: str | None = None
        self.lock = threading.Lock()

    def setup(self, worker) -> None:  # noqa: ANN001
        threading.Thread(target=self._load, name="starlint-load", daemon=True).start()

    def score(self, texts: list[str]) -> list[Scored]:
        self._load()
        if self.evaluator is None:
            raise BulkError(self.error or "this Dask worker has no starlint evaluator")
        with self.lock:  # one chunk at a time: spaCy pipelines are not shared across threads
            return score_texts(self.evaluator, texts)

    def _load(self) -> None:
        with self.lock:
            if self.evaluator is None and self.error is None:
                from ..pipeline import Evaluator

                rubric, mode, max_chars = self.config
                try:
                    self.evaluator = Evaluator(rubric=rubric, mode=mode, max_chars=max_chars)  # type: ignore[arg-type]
                except StarlintError as exc:
                    self.error = str(exc)

    def __getstate__(self) -> dict:  # only the config travels; each worker builds its own
        return {"config": self.config}

    def __setstate__(self, state: dict) -> None:
        self.__init__(*state["config"])


def score_on_worker(texts: list[str], plugin_name: str) -> list[Scored]:
    plugin = get_worker().plugins.get(plugin_name)
    if plugin is None:
        raise BulkError("this Dask worker has no starlint evaluator plugin")
    return plugin.score(texts)


class DaskEngine:
    def __init__(self, options: BulkOptions) -> None:
        try:
            self._client = Client(options.scheduler, set_as_default=False,
                                  timeout=dask.config.get("distributed.comm.timeouts.connect"))
        except (OSError, TimeoutError) as exc:
            raise BulkError(f"cannot reach the Dask scheduler at {options.scheduler}: {exc}") from None
        threads = sum(self._client.nthreads().values())
        if not threads:
            self._client.close()
            raise BulkError(f"the Dask cluster at {options.scheduler} has no workers")
        self.workers = len(self._client.nthreads())
        self.slots = 2 * threads
        self._plugin = EvaluatorPlugin(options.rubric, options.mode, options.max_chars)
        self._client.register_plugin(self._plugin, name=self._plugin.name)

    def submit(self, texts: list[str]) -> Future:
        return self._client.submit(score_on_worker, texts, self._plugin.name, pure=False)

    def close(self, cancel: bool = False) -> None:
        try:
            self._client.unregister_worker_plugin(self._plugin.name)
        except Exception:  # noqa: BLE001 - the cluster may be gone; nothing left to free then
            pass
        self._client.close()
