"""The HTTP service through TestClient (rules mode): every endpoint and every error path a client sees."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from evaluator import Evaluator, available_rubrics
from service.app import create_app
from service.settings import Settings

BAD = "I built a 99.9 % accurate model."
SALARY = "I’m looking for a $200,000 base salary."


def make_settings(**overrides: object) -> Settings:
    # explicit values win over any STARLINT_* variables in the developer's environment
    base: dict[str, object] = {"modes": ["rules"], "api_keys": [], "cors_origins": [], "max_chars": 20_000,
                               "max_body_bytes": 2 * 1024 * 1024, "max_batch_items": 100, "score_threads": 2,
                               "default_rubric": "general", "default_mode": None}
    return Settings(**{**base, **overrides})


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(make_settings())) as c:
        yield c


def assert_error(resp, status: int, code: str) -> dict:  # noqa: ANN001
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code, body
    assert "Traceback" not in resp.text and 'File "' not in resp.text
    assert resp.headers["x-request-id"]
    return body["error"]


# ---------------------------------------------------------------- POST /v1/evaluate

def test_evaluate_returns_the_library_report_unchanged(client: TestClient, rules_ev: Evaluator) -> None:
    resp = client.post("/v1/evaluate", json={"text": BAD})
    assert resp.status_code == 200
    assert resp.json() == rules_ev.evaluate(BAD).model_dump(mode="json")
    finding = next(f for f in resp.json()["findings"] if f["rule"] == "accuracy-without-impact")
    assert BAD[finding["start"]:finding["end"]] == finding["text"]


def test_evaluate_with_rubric_and_mode(client: TestClient) -> None:
    resp = client.post("/v1/evaluate", json={"text": SALARY, "rubric": "negotiation", "mode": "rules"})
    assert resp.status_code == 200
    report = resp.json()
    assert report["rubric"] == "negotiation" and report["mode"] == "rules"
    assert "single-number-ask" in {f["rule"] for f in report["findings"]}


def test_request_id_is_minted_or_echoed(client: TestClient) -> None:
    minted = client.get("/healthz").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", minted)
    echoed = client.post("/v1/evaluate", json={"text": BAD}, headers={"X-Request-ID": "trace-42"})
    assert echoed.headers["x-request-id"] == "trace-42"
    # an id unsafe for logs/headers is replaced, never echoed
    assert client.get("/healthz", headers={"X-Request-ID": "a b\tc" * 50}).headers["x-request-id"] != "a b\tc" * 50
    assert client.get("/nowhere").headers["x-request-id"]


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_answer_is_422_saying_so(client: TestClient, text: str) -> None:
    err = assert_error(client.post("/v1/evaluate", json={"text": text}), 422, "empty_answer")
    assert "empty" in err["message"]


def test_answer_over_the_limit_is_413_naming_it() -> None:
    with TestClient(create_app(make_settings(max_chars=100))) as c:
        err = assert_error(c.post("/v1/evaluate", json={"text": "x" * 101}), 413, "answer_too_long")
        assert err["details"] == {"limit": 100, "length": 101} and "100" in err["message"]
        assert c.post("/v1/evaluate", json={"text": "I led it. " * 10}).status_code == 200  # exactly 100


def test_default_limit_is_20000_characters(client: TestClient) -> None:
    err = assert_error(client.post("/v1/evaluate", json={"text": "a" * 20_001}), 413, "answer_too_long")
    assert err["details"]["limit"] == 20_000 and "20,000" in err["message"]


def test_body_over_the_byte_cap_is_413() -> None:
    with TestClient(create_app(make_settings(max_body_bytes=2048))) as c:
        err = assert_error(c.post("/v1/evaluate", json={"text": "word " * 1000}), 413, "body_too_large")
        assert err["details"] == {"limit_bytes": 2048} and "2,048" in err["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: the cap counts streamed bytes
            yield b'{"text": "'
            for _ in range(10):
                yield b"word " * 100
            yield b'"}'

        assert_error(c.post("/v1/evaluate", content=chunks(), headers={"Content-Type": "application/json"}),
                     413, "body_too_large")
        assert c.post("/v1/evaluate", json={"text": BAD}).status_code == 200


def test_unknown_rubric_is_404_listing_valid_ids(client: TestClient) -> None:
    err = assert_error(client.post("/v1/evaluate", json={"text": BAD, "rubric": "nope"}), 404, "unknown_rubric")
    assert err["details"]["available"] == available_rubrics()
    assert "general" in err["message"] and ".yaml" not in err["message"]


@pytest.mark.parametrize("ref", ["/etc/passwd", "../rubrics/general.yaml", "rubrics/general.yaml", "base", "_base"])
def test_a_rubric_is_an_id_never_a_server_path(client: TestClient, ref: str) -> None:
    err = assert_error(client.post("/v1/evaluate", json={"text": BAD, "rubric": ref}), 404, "unknown_rubric")
    assert "root:" not in err["message"]


def test_malformed_json_is_400(client: TestClient) -> None:
    resp = client.post("/v1/evaluate", content=b'{"text": "I led', headers={"Content-Type": "application/json"})
    err = assert_error(resp, 400, "malformed_json")
    assert "JSON" in err["message"]


@pytest.mark.parametrize("body,where", [
    ({}, "body.text"),
    ({"text": 42}, "body.text"),
    ({"text": BAD, "mode": "turbo"}, "body.mode"),
    ({"text": BAD, "rubirc": "general"}, "body.rubirc"),  # a misspelt field is an error, not ignored
    ([BAD], "body"),
])
def test_invalid_request_is_422_naming_the_field(client: TestClient, body: object, where: str) -> None:
    err = assert_error(client.post("/v1/evaluate", json=body), 422, "invalid_request")
    assert err["message"].startswith(where)
    assert err["details"]["errors"][0]["loc"] == where.split(".")


def test_non_json_body_is_422_with_a_hint(client: TestClient) -> None:
    resp = client.post("/v1/evaluate", content=BAD.encode(), headers={"Content-Type": "text/plain"})
    assert "application/json" in assert_error(resp, 422, "invalid_request")["message"]


def test_mode_the_server_does_not_load_is_422(client: TestClient) -> None:
    err = assert_error(client.post("/v1/evaluate", json={"text": BAD, "mode": "full"}), 422, "mode_unavailable")
    assert err["details"] == {"mode": "full", "available": ["rules"]}


def test_unknown_route_and_wrong_method_use_the_error_shape(client: TestClient) -> None:
    assert_error(client.get("/v1/nothing"), 404, "not_found")
    resp = client.get("/v1/evaluate")
    assert_error(resp, 405, "method_not_allowed")
    assert resp.headers["allow"] == "POST"


def test_an_unexpected_failure_is_a_500_without_internals() -> None:
    app = create_app(make_settings())

    async def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail at /srv/starlint/pipeline.py")

    with TestClient(app, raise_server_exceptions=False) as c:
        app.state.scorer.evaluate = explode
        resp = c.post("/v1/evaluate", json={"text": BAD}, headers={"X-Request-ID": "req-500"})
        err = assert_error(resp, 500, "internal_error")
        assert "secret" not in resp.text and "/srv" not in resp.text
        assert err["details"] == {"request_id": "req-500"} and resp.headers["x-request-id"] == "req-500"


# ---------------------------------------------------------------- POST /v1/evaluate/batch

def test_batch_one_result_or_error_per_item_in_order(client: TestClient, rules_ev: Evaluator) -> None:
    items = [
        {"id": "a", "text": BAD},
        {"id": "b", "text": "  "},
        {"id": "c", "text": "x" * 20_001},
        {"id": "d", "text": SALARY, "rubric": "negotiation"},
        {"text": BAD, "rubric": "nope"},
        {"id": "f", "text": SALARY},
    ]
    resp = client.post("/v1/evaluate/batch", json={"items": items})
    assert resp.status_code == 200
    body = resp.json()
    assert body["scored"] == 3 and body["failed"] == 3
    results = body["results"]
    assert [r["id"] for r in results] == ["a", "b", "c", "d", None, "f"]
    assert [r["index"] for r in results] == list(range(6))
    assert results[0]["report"] == rules_ev.evaluate(BAD).model_dump(mode="json") and results[0]["error"] is None
    assert results[1]["error"]["code"] == "empty_answer" and results[1]["report"] is None
    assert results[2]["error"]["code"] == "answer_too_long" and results[2]["error"]["details"]["limit"] == 20_000
    assert results[3]["report"]["rubric"] == "negotiation"
    assert results[4]["error"]["code"] == "unknown_rubric" and results[4]["error"]["details"]["available"]
    assert results[5]["report"]["rubric"] == "general"


def test_batch_level_rubric_is_the_items_default(client: TestClient) -> None:
    resp = client.post("/v1/evaluate/batch", json={"rubric": "negotiation", "items": [
        {"text": SALARY}, {"text": SALARY, "rubric": "general"}]})
    assert [r["report"]["rubric"] for r in resp.json()["results"]] == ["negotiation", "general"]


def test_batch_over_the_item_limit_is_413() -> None:
    with TestClient(create_app(make_settings(max_batch_items=3))) as c:
        err = assert_error(c.post("/v1/evaluate/batch", json={"items": [{"text": BAD}] * 4}), 413, "batch_too_large")
        assert err["details"] == {"limit": 3, "items": 4}
        assert c.post("/v1/evaluate/batch", json={"items": [{"text": BAD}] * 3}).status_code == 200


@pytest.mark.parametrize("body", [{"items": []}, {"items": [{"id": "x"}]}, {"texts": [BAD]}])
def test_batch_invalid_request_is_422(client: TestClient, body: dict) -> None:
    assert_error(client.post("/v1/evaluate/batch", json=body), 422, "invalid_request")


def test_batch_mode_the_server_does_not_load_is_422(client: TestClient) -> None:
    assert_error(client.post("/v1/evaluate/batch", json={"mode": "full", "items": [{"text": BAD}]}),
                 422, "mode_unavailable")


# ---------------------------------------------------------------- rubrics

def test_list_rubrics(client: TestClient) -> None:
    body = client.get("/v1/rubrics").json()
    assert body["default"] == "general"
    assert [r["id"] for r in body["rubrics"]] == available_rubrics()
    general = next(r for r in body["rubrics"] if r["id"] == "general")
    assert general["rules"] > 0 and general["name"]


def test_show_rubric_resolved_without_server_paths(client: TestClient) -> None:
    resp = client.get("/v1/rubrics/bmw")
    assert resp.status_code == 200
    rubric = resp.json()
    assert rubric["id"] == "bmw" and rubric["rules"] and "path" not in rubric
    assert "/work" not in resp.text and "rubrics/" not in resp.text


@pytest.mark.parametrize("rid", ["nope", "base", "_base"])
def test_show_unknown_rubric_is_404(client: TestClient, rid: str) -> None:
    assert_error(client.get(f"/v1/rubrics/{rid}"), 404, "unknown_rubric")


GOOD_RUBRIC = "id: mine\nname: My rubric\nextends: general\nrules:\n  solo-credit: error\n"


def test_validate_a_good_inline_rubric(client: TestClient) -> None:
    body = client.post("/v1/rubrics/validate", json={"yaml": GOOD_RUBRIC}).json()
    assert body["valid"] is True and body["error"] is None
    assert body["rubric"]["id"] == "mine" and body["rubric"]["rules"] > 0


@pytest.mark.parametrize("yaml_text,where,needle", [
    ("id: bad\nname: Bad\nextends: general\nrules:\n  solo-credit: {level: eror}\n",
     "<inline>:rules.solo-credit.level", "eror"),
    ("id: bad\nname: Bad\nextends: /etc/passwd\n", "<inline>:extends", "not a path"),
    ("id: bad\nname: Bad\nextends: ../rubrics/general.yaml\n", "<inline>:extends", "not a path"),
    ("id: [unclosed\n", "<inline>:2", "not valid YAML"),
    ("- " * 3000 + "x", "<inline>", "nested too deeply"),
])
def test_validate_reports_the_first_problem_with_its_key_path(client: TestClient, yaml_text: str, where: str,
                                                               needle: str) -> None:
    resp = client.post("/v1/rubrics/validate", json={"yaml": yaml_text})
    assert resp.status_code == 200
    body = resp.json()
    assert body["valid"] is False and body["rubric"] is None
    assert body["error"]["code"] == "invalid_rubric"
    assert body["error"]["details"]["where"] == where and needle in body["error"]["message"]
    assert "/tmp" not in resp.text and "root:" not in resp.text


def test_validate_refuses_an_alias_bomb_quickly(client: TestClient) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "id: x\nname: y\nstar_weights: {situation: 1}\n" + "\n".join(lines) + "\nrules:\n  r: *a9\n"
    body = client.post("/v1/rubrics/validate", json={"yaml": bomb}).json()
    assert body["valid"] is False and "aliases" in body["error"]["message"]


def test_validate_text_over_100k_is_422(client: TestClient) -> None:
    assert_error(client.post("/v1/rubrics/validate", json={"yaml": "#" * 100_001}), 422, "invalid_request")


# ---------------------------------------------------------------- operations, docs, page

def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready" and ready.json()["modes"] == {"rules": "ready"}


def test_metrics_in_prometheus_text_format() -> None:
    with TestClient(create_app(make_settings())) as c:
        c.post("/v1/evaluate", json={"text": BAD})
        c.post("/v1/evaluate", json={"text": " "})
        c.post("/v1/evaluate/batch", json={"items": [{"text": BAD}, {"text": SALARY, "rubric": "negotiation"}]})
        c.get("/v1/rubrics/nope")
        resp = c.get("/metrics")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = resp.text
    assert 'starlint_http_requests_total{method="POST",route="/v1/evaluate",status="200"} 1' in text
    assert 'starlint_http_requests_total{method="POST",route="/v1/evaluate",status="422"} 1' in text
    assert 'starlint_http_requests_total{method="GET",route="/v1/rubrics/{rubric_id}",status="404"} 1' in text
    assert '# TYPE starlint_http_request_duration_seconds histogram' in text
    assert 'starlint_http_request_duration_seconds_bucket{method="POST",route="/v1/evaluate",le="+Inf"} 2' in text
    assert 'starlint_http_request_duration_seconds_count{method="POST",route="/v1/evaluate"} 2' in text
    assert 'starlint_answers_scored_total{mode="rules",rubric="general"} 2' in text
    assert 'starlint_answers_scored_total{mode="rules",rubric="negotiation"} 1' in text
    assert 'starlint_answers_rejected_total{code="empty_answer"} 1' in text
    assert 'starlint_mode_ready{mode="rules"} 1' in text
    sample = re.compile(r'[a-z_]+(\{([a-z_]+="(\\.|[^"\\])*",?)*\})? ([0-9.e+-]+|\+Inf)')
    for line in text.splitlines():  # every sample line is `name{label="value",...} number`
        assert line.startswith("# HELP ") or line.startswith("# TYPE ") or sample.fullmatch(line), line


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/v1/evaluate", "/v1/evaluate/batch", "/v1/rubrics", "/v1/rubrics/{rubric_id}", "/v1/rubrics/validate",
            "/healthz", "/readyz", "/metrics"} <= set(spec["paths"])
    evaluate = spec["paths"]["/v1/evaluate"]["post"]["responses"]
    assert evaluate["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Report")
    assert evaluate["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert "securitySchemes" not in spec.get("components", {})  # no keys configured: no auth documented
    assert client.get("/docs").status_code == 200


def test_page_is_one_self_contained_html_file(client: TestClient) -> None:
    resp = client.get("/")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    html = resp.text
    assert "<textarea" in html and 'name="viewport"' in html and "<script>" in html and "<style>" in html
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html), "the page must not load anything from elsewhere"
    assert "@import" not in html


def test_requests_wait_for_loading_and_readyz_says_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import service.scoring as scoring

    gate = threading.Event()
    real = scoring.Evaluator

    def slow_evaluator(*args: object, **kwargs: object) -> Evaluator:
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(scoring, "Evaluator", slow_evaluator)
    try:
        with TestClient(create_app(make_settings())) as c:
            resp = c.get("/readyz")
            assert resp.status_code == 503 and resp.json() == {"status": "loading", "modes": {"rules": "loading"},
                                                               "version": resp.json()["version"]}
            assert c.get("/healthz").status_code == 200
            gate.set()
            assert c.post("/v1/evaluate", json={"text": BAD}).status_code == 200  # waited for the load
            assert c.get("/readyz").status_code == 200
    finally:
        gate.set()


def test_a_mode_that_fails_to_load_is_reported_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    import service.scoring as scoring
    from evaluator import ModelMissingError

    def broken(*args: object, **kwargs: object) -> Evaluator:
        raise ModelMissingError("The spaCy model is not installed.")

    monkeypatch.setattr(scoring, "Evaluator", broken)
    with TestClient(create_app(make_settings())) as c:
        ready = c.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "failed"
        assert "not installed" in ready.json()["modes"]["rules"]
        assert_error(c.post("/v1/evaluate", json={"text": BAD}), 503, "model_missing")
        assert c.get("/healthz").status_code == 200


def test_concurrent_requests_are_scored_together_with_identical_reports(rules_ev: Evaluator,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import service.scoring as scoring
    from evaluator import EmptyAnswerError
    from service.metrics import ServiceMetrics

    calls: list[int] = []
    real = scoring._score_groups

    def spy(ev: Evaluator, texts: list[str], rubrics: list[str]) -> list:
        calls.append(len(texts))
        return real(ev, texts, rubrics)

    monkeypatch.setattr(scoring, "_score_groups", spy)
    items = [(f"{BAD} We shipped {i} features.", "general") for i in range(12)]
    items += [(SALARY, "negotiation"), ("   ", "general")]

    async def run() -> list:
        scorer = scoring.Scorer(make_settings(score_threads=1), ServiceMetrics())
        scorer.start()
        try:
            return await asyncio.gather(*(scorer.evaluate(t, r, None) for t, r in items), return_exceptions=True)
        finally:
            scorer.stop()

    results = asyncio.run(run())
    assert sum(calls) == len(items) and max(calls) > 1  # fewer library calls than requests
    for (text, rubric), res in zip(items[:-1], results[:-1], strict=True):
        assert res == rules_ev.evaluate(text, rubric=rubric)  # batching never changes a report
    assert isinstance(results[-1], EmptyAnswerError)  # one bad answer fails only its own request
