"""The service in full mode (spaCy parse + static embeddings + trained models), as a team would run it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from evaluator import Evaluator
from service.app import create_app
from service.settings import Settings

WEAK = (Path(__file__).resolve().parent.parent / "examples" / "weak-ai-case.txt").read_text(encoding="utf-8")


def test_full_mode_report_matches_the_library(full_ev: Evaluator) -> None:
    settings = Settings(modes=["rules", "full"], api_keys=[], cors_origins=[], default_mode=None)
    with TestClient(create_app(settings)) as c:
        assert settings.default_mode == "full"
        resp = c.post("/v1/evaluate", json={"text": WEAK})  # waits for the full models to load
        assert resp.status_code == 200
        report = resp.json()
        assert report["mode"] == "full"
        assert report == full_ev.evaluate(WEAK).model_dump(mode="json")
        assert c.get("/readyz").json()["modes"] == {"rules": "ready", "full": "ready"}
        batch = c.post("/v1/evaluate/batch", json={"items": [{"text": WEAK}, {"text": ""}]}).json()
        assert batch["results"][0]["report"] == report and batch["results"][1]["error"]["code"] == "empty_answer"
        assert c.post("/v1/evaluate", json={"text": WEAK, "mode": "rules"}).json()["mode"] == "rules"
        # concurrent requests are scored together in full mode too, and each gets its own exact report
        texts = [WEAK.replace("three weeks", f"{n} weeks") for n in range(2, 8)]
        with ThreadPoolExecutor(len(texts)) as pool:
            answers = list(pool.map(lambda t: c.post("/v1/evaluate", json={"text": t}).json(), texts))
        assert answers == [full_ev.evaluate(t).model_dump(mode="json") for t in texts]
