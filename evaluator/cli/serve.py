"""``starlint serve``: the HTTP scoring service and the paste-an-answer page, under uvicorn.

Settings come from ``STARLINT_*`` environment variables (see the README section on the service); the options here are
only where to listen and how many processes to run.
"""

from __future__ import annotations

import copy
import os
from enum import Enum

import typer

from . import app, fail


class LogLevel(str, Enum):
    critical = "critical"
    error = "error"
    warning = "warning"
    info = "info"
    debug = "debug"


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (0.0.0.0 for every interface)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port."),
    workers: int = typer.Option(1, "--workers", min=1,
                                help="Worker processes, one per core; each loads its own models (full mode: ~0.6 GB each)."),
    log_level: LogLevel = typer.Option(LogLevel.info, "--log-level", help="uvicorn's log level."),
) -> None:
    """Run the HTTP scoring service (API under /v1, docs at /docs, the page at /)."""
    try:
        import uvicorn
        from pydantic import ValidationError

        from service.app import create_app
        from service.settings import Settings
    except ImportError as exc:
        raise fail(f"the service needs its dependencies ({exc}); install starlint with: pip install -e .") from None
    # One scoring thread per core across all workers: two threads in one process only take turns
    # on the GIL, which stretched full mode's p99 at concurrency 8 from 159 ms to 373 ms (issue 8).
    os.environ.setdefault("STARLINT_SCORE_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))
    try:
        settings = Settings()  # check the environment now: a typo should not surface in a worker's log
    except ValidationError as exc:
        problems = "; ".join(
            (f"STARLINT_{str(e['loc'][0]).upper()}: " if e["loc"] else "") + e["msg"].removeprefix("Value error, ")
            for e in exc.errors())
        raise fail(f"invalid service settings: {problems}") from None
    try:
        create_app(settings)
    except Exception as exc:  # e.g. an unknown STARLINT_DEFAULT_RUBRIC
        raise fail(f"cannot build the service: {exc}") from None
    # uvicorn configures only its own loggers; route the service's (model loading, 500s) the same way
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["starlint"] = {"handlers": ["default"], "level": log_level.value.upper(), "propagate": False}
    from service.transport import IMPORT_STRING

    uvicorn.run("service.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level=log_level.value, log_config=log_config, proxy_headers=False, http=IMPORT_STRING)
