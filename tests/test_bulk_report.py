"""The coach's summary: per-candidate numbers, the summary CSV, and the HTML report, which is one
self-contained file that opens in headless Chromium without console errors, charts visible."""

from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import pytest

from evaluator.bulk import BulkOptions, read_errors, read_results, run_bulk, summarize, write_csv
from evaluator.bulk.report_html import render_html, write_html

FIXTURES = Path(__file__).parent / "fixtures" / "bulk"
CHROMIUM = os.environ.get("STARLINT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def row(cid: str, candidate: str, score: int, present: list[str], findings: list[str]) -> dict:
    return {"id": cid, "candidate": candidate, "question": f"Q {cid}", "source": f"f.csv:row {cid}",
            "rubric": "general", "mode": "rules", "score": score, "star_present": present, "findings": findings}


def test_per_candidate_numbers() -> None:
    rows = [row("1", "Ana", 80, ["situation", "action", "result"], ["solo-credit"]),
            row("2", "Ana", 40, ["situation"], ["solo-credit", "generic-claim"]),
            row("3", "Ana", 60, ["situation", "result"], ["unquantified-result", "solo-credit"]),
            row("4", "Ana", 10, [], ["generic-claim", "missing-reflection"]),
            row("5", "", 55, ["action"], [])]
    errors = [{"code": "empty_answer", "candidate": "Ana"}, {"code": "invalid_json", "candidate": None}]
    s = summarize(rows, errors)
    ana, unknown = s.candidates
    assert (ana.candidate, ana.answers, ana.failed, ana.mean, ana.median) == ("Ana", 4, 1, 47.5, 50.0)
    assert (ana.coverage("situation"), ana.coverage("result"), ana.coverage("reflection")) == (0.75, 0.5, 0.0)
    assert ana.top() == [("solo-credit", 3), ("generic-claim", 2), ("missing-reflection", 1)]
    assert [w.id for w in ana.weakest] == ["4", "2", "3"]
    assert unknown.candidate == "(unknown)" and unknown.median == 55
    assert s.histogram[1] == 1 and s.histogram[8] == 1 and sum(s.histogram) == 5
    assert (s.answers, s.failed, s.median) == (5, 2, 55)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("report")
    run_bulk([FIXTURES / "tables" / "answers.csv", FIXTURES / "tables" / "answers.jsonl", FIXTURES / "transcripts",
              FIXTURES / "malformed" / "garbage.srt"], d / "results.jsonl", BulkOptions(mode="rules", jobs=1))
    summary = summarize(read_results(d / "results.jsonl"), read_errors(d / "results.errors.jsonl"))
    write_csv(summary, d / "results.summary.csv")
    write_html(summary, d / "report.html")
    return d


def test_summary_csv(run_dir: Path) -> None:
    rows = {r["candidate"]: r for r in csv.DictReader(open(run_dir / "results.summary.csv", encoding="utf-8"))}
    assert {"Ana Ruiz", "Alex Chen", "Maria Gomez", "KOFI", "Eli Park"} <= set(rows)
    ana = rows["Ana Ruiz"]
    assert ana["answers"] == "3" and float(ana["situation"]) <= 1 and "accuracy-without-impact" in ana["top_anti_patterns"]
    assert list(rows["Ana Ruiz"]) == ["candidate", "answers", "failed", "mean_score", "median_score", "situation",
                                      "task", "action", "result", "reflection", "top_anti_patterns"]


def test_html_is_self_contained_and_escapes_text(run_dir: Path) -> None:
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3 and "<script" not in html
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:)?//""", html)  # nothing fetched from anywhere
    assert "@import" not in html and "url(" not in html
    summary = summarize([row("1", "<b>Eve</b>", 30, [], ["generic-claim"])])
    page = render_html(summary)
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page and "<b>Eve</b>" not in page


def test_html_opens_in_headless_chromium_with_charts_visible(run_dir: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set STARLINT_CHROMIUM)")
    problems: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: problems.append(f"fetched {r.url}") if not r.url.startswith("file:") else None)
        page.goto((run_dir / "report.html").as_uri())
        page.wait_for_load_state("load")
        charts = page.locator("svg")
        assert charts.count() == 3
        for i in range(3):
            box = charts.nth(i).bounding_box()
            assert box and box["width"] > 300 and box["height"] > 100
        assert page.locator("svg rect").count() >= 10 and page.locator("svg circle").count() >= 1
        assert page.get_by_text("Weakest answers").is_visible()
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
    assert not problems, problems
    assert shot.stat().st_size > 20_000
