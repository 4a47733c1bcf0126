"""API keys (the auth matrix), settings from the environment, and CORS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings

BAD = "I built a 99.9 % accurate model."
KEYS = ["key-one-0123456789", "key-two-abcdefghij"]

V1 = [
    ("POST", "/v1/evaluate", {"text": BAD}),
    ("POST", "/v1/evaluate/batch", {"items": [{"text": BAD}]}),
    ("GET", "/v1/rubrics", None),
    ("GET", "/v1/rubrics/general", None),
    ("POST", "/v1/rubrics/validate", {"yaml": "id: mine\nname: Mine\nextends: general\n"}),
]
OPEN = ["/healthz", "/readyz", "/metrics", "/", "/openapi.json", "/docs"]


def settings(**overrides: object) -> Settings:
    base: dict[str, object] = {"modes": ["rules"], "api_keys": [], "cors_origins": []}
    return Settings(**{**base, **overrides})


@pytest.fixture(scope="module")
def locked() -> Iterator[TestClient]:
    with TestClient(create_app(settings(api_keys=KEYS))) as c:
        yield c


def call(client: TestClient, method: str, path: str, body: object, headers: dict[str, str] | None = None):  # noqa: ANN201
    return client.request(method, path, json=body, headers=headers or {})


@pytest.mark.parametrize("method,path,body", V1)
@pytest.mark.parametrize("headers,status,code", [
    ({}, 401, "missing_api_key"),
    ({"Authorization": "Bearer"}, 401, "missing_api_key"),
    ({"Authorization": f"Basic {KEYS[0]}"}, 401, "missing_api_key"),
    ({"Authorization": "Bearer wrong-key"}, 403, "invalid_api_key"),
    ({"Authorization": f"Bearer {KEYS[0]}x"}, 403, "invalid_api_key"),
    ({"Authorization": f"Bearer {KEYS[0][:-1]}"}, 403, "invalid_api_key"),
    ({"Authorization": f"Bearer {KEYS[0]}"}, 200, None),
    ({"Authorization": f"Bearer {KEYS[1]}"}, 200, None),
    ({"Authorization": f"bearer {KEYS[1]}"}, 200, None),  # the scheme is case-insensitive (RFC 7235)
])
def test_auth_matrix(locked: TestClient, method: str, path: str, body: object, headers: dict[str, str], status: int,
                     code: str | None) -> None:
    resp = call(locked, method, path, body, headers)
    assert resp.status_code == status, resp.text
    if code is not None:
        assert resp.json()["error"]["code"] == code
        assert KEYS[0] not in resp.text and KEYS[1] not in resp.text
    if status == 401:
        assert resp.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", OPEN)
def test_operations_and_page_stay_open(locked: TestClient, path: str) -> None:
    assert locked.get(path).status_code == 200


def test_keys_are_compared_in_constant_time_against_every_key(locked: TestClient,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import service.auth

    seen: list[tuple[bytes, bytes]] = []
    real = service.auth.secrets.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(service.auth.secrets, "compare_digest", spy)
    assert locked.get("/v1/rubrics", headers={"Authorization": f"Bearer {KEYS[0]}"}).status_code == 200
    assert [b for _, b in seen] == [k.encode() for k in KEYS]  # no early exit on the first match


def test_openapi_documents_bearer_auth_when_keys_are_set(locked: TestClient) -> None:
    spec = locked.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    responses = spec["paths"]["/v1/evaluate"]["post"]["responses"]
    assert {"401", "403"} <= set(responses)
    assert "security" not in spec["paths"]["/healthz"]["get"]


def test_without_keys_v1_is_open() -> None:
    with TestClient(create_app(settings())) as c:
        for method, path, body in V1:
            assert call(c, method, path, body).status_code == 200, path


def test_settings_come_from_starlint_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STARLINT_API_KEYS", f" {KEYS[0]} ,{KEYS[1]},")
    monkeypatch.setenv("STARLINT_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("STARLINT_MODES", "rules")
    monkeypatch.setenv("STARLINT_MAX_CHARS", "500")
    monkeypatch.setenv("STARLINT_MAX_BATCH_ITEMS", "7")
    monkeypatch.setenv("STARLINT_SCORE_THREADS", "3")
    s = Settings()
    assert [k.get_secret_value() for k in s.api_keys] == KEYS
    assert KEYS[0] not in repr(s)  # keys never end up in a log line
    assert s.cors_origins == ["https://a.example", "https://b.example"]
    assert (s.modes, s.default_mode, s.max_chars, s.max_batch_items, s.score_threads) == (["rules"], "rules", 500, 7, 3)
    with TestClient(create_app()) as c:  # create_app() with no settings reads the environment
        assert c.post("/v1/evaluate", json={"text": BAD}).status_code == 401
        resp = c.post("/v1/evaluate", json={"text": "x" * 501}, headers={"Authorization": f"Bearer {KEYS[1]}"})
        assert resp.status_code == 413 and resp.json()["error"]["details"]["limit"] == 500


@pytest.mark.parametrize("env,needle", [
    ({"STARLINT_MODES": "turbo"}, "modes"),
    ({"STARLINT_MODES": "rules", "STARLINT_DEFAULT_MODE": "full"}, "default_mode"),
    ({"STARLINT_MAX_CHARS": "lots"}, "max_chars"),
])
def test_bad_settings_are_refused(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], needle: str) -> None:
    from pydantic import ValidationError

    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ValidationError, match=needle):
        Settings()


def test_no_cors_by_default() -> None:
    with TestClient(create_app(settings())) as c:
        resp = c.options("/v1/evaluate", headers={"Origin": "https://evil.example",
                                                  "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in resp.headers
        assert "access-control-allow-origin" not in c.get("/healthz", headers={"Origin": "https://evil.example"}).headers


def test_cors_allows_only_the_configured_origins() -> None:
    with TestClient(create_app(settings(cors_origins=["https://team.example"], api_keys=KEYS))) as c:
        pre = c.options("/v1/evaluate", headers={"Origin": "https://team.example",
                                                 "Access-Control-Request-Method": "POST",
                                                 "Access-Control-Request-Headers": "authorization,content-type"})
        assert pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "https://team.example"
        assert "authorization" in pre.headers["access-control-allow-headers"].lower()
        resp = c.post("/v1/evaluate", json={"text": BAD}, headers={"Origin": "https://team.example",
                                                                    "Authorization": f"Bearer {KEYS[0]}"})
        assert resp.headers["access-control-allow-origin"] == "https://team.example"
        assert "x-request-id" in resp.headers["access-control-expose-headers"].lower()
        other = c.options("/v1/evaluate", headers={"Origin": "https://evil.example",
                                                   "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in other.headers
