"""``POST /v1/evaluate`` and ``POST /v1/evaluate/batch``."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from evaluator import Report

from ..errors import ApiError, library_error, responses
from ..schemas import BatchRequest, BatchResponse, BatchResult, EvaluateRequest
from ..scoring import Scorer
from ..settings import Settings
from . import get_scorer, get_settings

router = APIRouter(prefix="/v1", tags=["scoring"])


@router.post("/evaluate", response_model=Report, responses=responses(400, 404, 413, 422, 503),
             summary="Score one answer")
async def evaluate(body: EvaluateRequest, scorer: Scorer = Depends(get_scorer)) -> Report:
    """Score one answer and return the library's Report, exactly as `starlint score --format json`
    prints it: score, STAR components, findings with character offsets into your text, metrics."""
    return await scorer.evaluate(body.text, body.rubric, body.mode)


@router.post("/evaluate/batch", response_model=BatchResponse, responses=responses(400, 413, 422, 503),
             summary="Score many answers")
async def evaluate_batch(body: BatchRequest, scorer: Scorer = Depends(get_scorer),
                         settings: Settings = Depends(get_settings)) -> BatchResponse:
    """Score up to the server's batch limit of answers in one request. Each item gets a report or
    an error (same codes as the single endpoint: empty_answer, answer_too_long, unknown_rubric), in
    request order; one bad item never sinks the others."""
    if len(body.items) > settings.max_batch_items:
        raise ApiError(413, "batch_too_large",
                       f"The batch has {len(body.items)} items, over the limit of {settings.max_batch_items}; "
                       f"split it into several requests.",
                       {"limit": settings.max_batch_items, "items": len(body.items)})
    outcomes = await scorer.evaluate_batch([(it.text, it.rubric) for it in body.items], body.rubric, body.mode)
    results = []
    for i, (item, outcome) in enumerate(zip(body.items, outcomes, strict=True)):
        if isinstance(outcome, Report):
            results.append(BatchResult(id=item.id, index=i, report=outcome))
        else:
            results.append(BatchResult(id=item.id, index=i, error=library_error(outcome)[1]))
    scored = sum(r.report is not None for r in results)
    return BatchResponse(results=results, scored=scored, failed=len(results) - scored)
