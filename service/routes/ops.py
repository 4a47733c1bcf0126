"""Operations (``/healthz``, ``/readyz``, ``/metrics``) and the paste-an-answer page (``/``).
These stay open when API keys are set: probes and scrapers carry no key, and the page asks for one."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal
from importlib import resources

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from evaluator import __version__

from ..metrics import CONTENT_TYPE
from ..schemas import Health, Readiness
from ..scoring import Scorer
from . import get_scorer

router = APIRouter(tags=["operations"])


@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> Health:
    """Answers at once, even while models load or a long batch is being scored."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness, "description": "Not ready."}},
            summary="Readiness")
async def readyz(scorer: Scorer = Depends(get_scorer)) -> JSONResponse:
    """200 once every configured mode's models are loaded; 503 while loading or if one failed."""
    modes = scorer.readiness()
    status: Literal["ready", "loading", "failed"]
    if any(s.startswith("failed") for s in modes.values()):
        status = "failed"
    elif all(s == "ready" for s in modes.values()):
        status = "ready"
    else:
        status = "loading"
    body = Readiness(status=status, modes=modes, version=__version__)
    return JSONResponse(body.model_dump(), status_code=200 if status == "ready" else 503)


@router.get("/metrics", response_class=PlainTextResponse, summary="Prometheus metrics",
            responses={200: {"content": {CONTENT_TYPE.split(";")[0]: {"schema": {"type": "string"}}}}})
async def metrics(request: Request) -> PlainTextResponse:
    """Request counts by route and status, a latency histogram, answers scored by mode and rubric."""
    return PlainTextResponse(request.app.state.metrics.render(), media_type=CONTENT_TYPE)


@lru_cache(maxsize=1)
def _page() -> str:
    return (resources.files("service") / "static" / "index.html").read_text(encoding="utf-8")


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def page() -> HTMLResponse:
    return HTMLResponse(_page(), headers={"Cache-Control": "no-cache"})
