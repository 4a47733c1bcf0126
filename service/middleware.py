"""Pure-ASGI middleware: request ids, metrics and the last-resort 500, and the request body cap.

Pure ASGI (not BaseHTTPMiddleware) so a long response is never buffered and the handlers' own
exceptions keep their meaning.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_response
from .metrics import ServiceMetrics

log = logging.getLogger("starlint.service")

REQUEST_ID = "x-request-id"
# echo a caller's id only when it is safe to put in logs and headers; otherwise mint one
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,128}$")


class RequestContextMiddleware:
    """Gives every response an ``X-Request-ID``, counts and times it, and turns any unhandled
    exception into the one JSON error shape (500) with no traceback; the traceback goes to the log."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope.get("headers") or []).get(REQUEST_ID.encode(), b"").decode("latin-1")
        request_id = sent if _SAFE_ID.match(sent) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500
        started = False
        t0 = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != REQUEST_ID.encode()]
                headers.append((REQUEST_ID.encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error (request id %s) on %s %s", request_id, scope.get("method"),
                          scope.get("path"))
            if started:  # too late for a clean answer; the server closes the connection
                raise
            response = error_response(500, "internal_error",
                                      f"Internal error; nothing was scored. Quote request id {request_id} "
                                      f"to the operator.", {"request_id": request_id})
            await response(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = getattr(route, "path_format", None) or getattr(route, "path", None) or "<unmatched>"
            method = scope.get("method", "")
            self.metrics.requests.inc(method=method, route=template, status=str(status))
            self.metrics.latency.observe(time.perf_counter() - t0, method=method, route=template)


class BodyLimitMiddleware:
    """Refuses a request body over ``max_bytes`` with 413 before any handler parses it. Checks
    Content-Length first, then counts streamed bytes (chunked uploads have no length)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    def _too_large(self) -> object:
        return error_response(413, "body_too_large",
                              f"The request body is over the limit of {self.max_bytes:,} bytes; send fewer or "
                              f"shorter answers per request (the operator sets STARLINT_MAX_BODY_BYTES).",
                              {"limit_bytes": self.max_bytes})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large()(scope, receive, send)  # type: ignore[operator]
            return
        # read the whole body now (it is small by construction) and replay it to the app
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._too_large()(scope, receive, send)  # type: ignore[operator]
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
