"""One JSON shape for every error: ``{"error": {"code", "message", "details"}}``.

Library errors (:class:`evaluator.StarlintError`) keep their ``code``; this module only decides the
HTTP status. Nothing here ever puts a traceback or a server path in a response.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from evaluator import AnswerTooLongError, EmptyAnswerError, RubricError, StarlintError, UnknownRubricError
from evaluator.errors import InputError, ModelMissingError


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable machine-readable id, e.g. empty_answer, unknown_rubric.",
                      examples=["empty_answer"])
    message: str = Field(description="What was wrong and how to fix it.")
    details: dict[str, Any] = Field(default_factory=dict, description="Structured context (limits, ids, ...).")


class ErrorBody(BaseModel):
    error: ErrorInfo


class ApiError(Exception):
    """An error the service raises itself (auth, limits, unavailable mode)."""

    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or {}
        self.headers = headers


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorInfo(code=code, message=message, details=details or {}))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def library_error(exc: StarlintError) -> tuple[int, ErrorInfo]:
    """HTTP status and error body for a library error (used per item in batches, too)."""
    details: dict[str, Any] = {}
    if isinstance(exc, EmptyAnswerError):
        status = 422
    elif isinstance(exc, AnswerTooLongError):
        status, details = 413, {"limit": exc.limit, "length": exc.length}
    elif isinstance(exc, UnknownRubricError):
        status, details = 404, {"rubric": exc.rubric_id, "available": exc.available}
    elif isinstance(exc, RubricError):
        status, details = 422, {"where": exc.where, "reason": exc.reason}
    elif isinstance(exc, ModelMissingError):
        status = 503
    elif isinstance(exc, InputError):
        status = 422
    else:
        status = 400
    message = str(exc)
    # the library's hints name its Python/CLI knobs; a client of the service needs the HTTP view
    if isinstance(exc, UnknownRubricError):
        message = f"unknown rubric {exc.rubric_id!r}; available: {', '.join(exc.available)}"
    elif isinstance(exc, AnswerTooLongError):
        message = (f"The answer has {exc.length:,} characters, over this server's limit of {exc.limit:,}; "
                   f"split it into separate answers.")
    return status, ErrorInfo(code=exc.code, message=message, details=details)


_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
               413: "body_too_large", 415: "unsupported_media_type"}


def _validation_response(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    bad_json = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if bad_json is not None:
        reason = (bad_json.get("ctx") or {}).get("error", "JSON decode error")
        pos = bad_json["loc"][-1] if bad_json.get("loc") else None
        return error_response(400, "malformed_json",
                              f"The request body is not valid JSON ({reason} at character {pos}).",
                              {"position": pos})
    problems = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")),
                 "type": str(e.get("type", ""))} for e in errors]
    first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
    where = ".".join(first["loc"]) or "request"
    message = f"{where}: {first['msg']}"
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem(s))"
    ctype = request.headers.get("content-type", "")
    if request.method in ("POST", "PUT", "PATCH") and "json" not in ctype.lower():
        message += "; send the body as JSON with Content-Type: application/json"
    return error_response(422, "invalid_request", message, {"errors": problems})


def install(app: FastAPI) -> None:
    """Register the handlers that turn every expected error into the one shape."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(StarlintError)
    async def _starlint_error(request: Request, exc: StarlintError) -> JSONResponse:
        status, info = library_error(exc)
        return error_response(status, info.code, info.message, info.details)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = exc.detail if isinstance(exc.detail, str) else "HTTP error"
        if exc.status_code == 404:
            message = f"No endpoint at {request.url.path}; see /docs for the API."
        elif exc.status_code == 405:
            allowed = (getattr(exc, "headers", None) or {}).get("Allow", "")
            message = f"{request.method} is not allowed on {request.url.path}; use {allowed or 'another method'}."
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


# OpenAPI ``responses=`` entries, so every documented operation lists the error shape it can answer.
def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Malformed JSON body.",
        401: "Missing API key (when STARLINT_API_KEYS is set).",
        403: "Wrong API key.",
        404: "Unknown rubric (details.available lists the valid ids).",
        413: "Answer over the character limit, body over the byte cap, or batch over the item limit.",
        422: "Invalid request: empty answer, missing field, wrong type, or a mode this server does not load.",
        503: "The models for the requested mode failed to load.",
    }
    return {s: {"model": ErrorBody, "description": descriptions[s]} for s in statuses}
