"""The app factory: ``service.app:create_app(settings)``.

``starlint serve`` runs it under uvicorn (``uvicorn --factory service.app:create_app`` works too).
Everything a request needs hangs off ``app.state``: settings, metrics and the Scorer, so two apps
in one process (tests) never share state.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from evaluator import UnknownRubricError, __version__, available_rubrics

from . import errors
from .auth import api_key_guard
from .errors import responses
from .metrics import ServiceMetrics
from .middleware import BodyLimitMiddleware, RequestContextMiddleware
from .routes import evaluate, ops, rubrics
from .scoring import Scorer
from .settings import Settings

log = logging.getLogger("starlint.service")

DESCRIPTION = """Score written job-interview answers with starlint: anti-patterns with evidence, STAR
completeness, rubric criteria. Every error has the shape `{"error": {"code", "message", "details"}}`;
every response carries an `X-Request-ID`. When the server sets STARLINT_API_KEYS, `/v1` routes need
`Authorization: Bearer <key>`. The page at `/` is a paste-an-answer front end to this API."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service. ``settings`` defaults to ``Settings()`` (the ``STARLINT_*`` environment)."""
    settings = settings or Settings()
    if settings.default_rubric not in available_rubrics():
        raise UnknownRubricError(settings.default_rubric, available_rubrics())
    metrics = ServiceMetrics()
    scorer = Scorer(settings, metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        scorer.start()  # loads in the background: /healthz answers at once, /readyz when loaded
        try:
            yield
        finally:
            scorer.stop()

    app = FastAPI(title="starlint", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url="/docs", redoc_url=None)
    app.state.settings, app.state.metrics, app.state.scorer = settings, metrics, scorer
    metrics.add_gauge("starlint_scoring_in_flight", "Answers queued or being scored.",
                      lambda: {(): float(scorer.in_flight)})
    metrics.add_gauge("starlint_mode_ready", "1 when the mode's models are loaded.",
                      lambda: {(m,): float(s == "ready") for m, s in scorer.readiness().items()}, ("mode",))

    errors.install(app)
    v1_dependencies = []
    v1_responses: dict = {}
    if settings.auth_enabled:
        v1_dependencies = [Depends(api_key_guard([k.get_secret_value() for k in settings.api_keys]))]
        v1_responses = responses(401, 403)
    for router in (evaluate.router, rubrics.router):
        app.include_router(router, dependencies=v1_dependencies, responses=v1_responses)
    app.include_router(ops.router)

    # innermost first: the body cap sits inside CORS (so a 413 still carries CORS headers), and the
    # request-id/metrics/last-resort-500 layer wraps everything.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
                           expose_headers=["X-Request-ID"], max_age=600)
    app.add_middleware(RequestContextMiddleware, metrics=metrics)
    return app
