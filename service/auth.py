"""Optional API keys: ``Authorization: Bearer <key>`` on every /v1 route when STARLINT_API_KEYS is set."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .errors import ApiError

_bearer = HTTPBearer(auto_error=False, description="One of the keys in STARLINT_API_KEYS.")


def api_key_guard(keys: list[str]) -> Callable[..., Awaitable[None]]:
    """A dependency answering 401 without a key and 403 with a wrong one."""
    accepted = [k.encode() for k in keys]

    async def require_api_key(credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
        if credentials is None:
            raise ApiError(401, "missing_api_key",
                           "This server needs an API key: send the header 'Authorization: Bearer <key>'.",
                           headers={"WWW-Authenticate": "Bearer"})
        given = credentials.credentials.encode()
        # compare against every key, in constant time each, so timing tells nothing about which matched
        matched = False
        for key in accepted:
            matched |= secrets.compare_digest(given, key)
        if not matched:
            raise ApiError(403, "invalid_api_key", "The API key is not valid for this server.")

    return require_api_key
