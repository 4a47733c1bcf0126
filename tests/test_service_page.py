"""The paste-an-answer page in headless Chromium (Debian's chromium, driven by Playwright for Python).

Screenshots go to /tmp/starlint-page*.png for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest

CHROMIUM = os.environ.get("STARLINT_CHROMIUM", "/usr/bin/chromium")
if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
    pytest.skip(f"no Chromium at {CHROMIUM} (the Makefile's install-test step installs Debian's chromium; "
                f"or set STARLINT_CHROMIUM)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

import uvicorn  # noqa: E402

from service.app import create_app  # noqa: E402
from service.settings import Settings  # noqa: E402

BAD = "I built a 99.9 % accurate model."
SALARY = "I’m looking for a $200,000 base salary."  # noqa: RUF001 (the article's apostrophe)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Settings(modes=["rules"], api_keys=[], cors_origins=[]))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the page's server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        yield b
        b.close()


def score(page, text: str, rubric: str | None = None) -> None:  # noqa: ANN001
    page.wait_for_selector("#rubric option[value='general']", state="attached")
    if rubric:
        page.select_option("#rubric", rubric)
    page.fill("#answer", text)
    page.click("#submit")
    page.wait_for_selector("#results:not(.hidden) #marked mark")


def test_a_bad_answer_gets_its_finding_highlighted(base_url: str, browser) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(base_url + "/")
    assert page.title().startswith("starlint")
    score(page, BAD)

    marks = page.locator("#marked mark[data-rule~='accuracy-without-impact']")
    assert marks.count() >= 1
    assert "".join(marks.all_text_contents()) == BAD  # the finding's span, exactly
    assert marks.first.get_attribute("class") == "error"
    assert page.locator("#marked").inner_text() == BAD  # the text itself is unchanged
    assert int(page.locator("#score").inner_text()) >= 0
    assert page.locator("#star [role=meter]").count() == 6  # five STAR parts + completeness
    assert page.locator("#mode option").all_text_contents() == ["Server default", "rules: fast checks"]  # loaded only

    # hover shows the message and the suggestion
    marks.last.hover()
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    assert "accuracy-without-impact" in tip.text_content() and "Try:" in tip.text_content()
    page.locator("#findings .finding.error").first.wait_for()
    page.screenshot(path="/tmp/starlint-page.png", full_page=True)

    # keyboard only: Tab reaches a highlight, which opens its finding; Escape closes it
    page.mouse.move(0, 0)
    page.keyboard.press("Escape")
    page.focus("#submit")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "MARK":
            break
    assert page.evaluate("document.activeElement.tagName") == "MARK"
    assert tip.is_visible() and page.evaluate("document.activeElement.getAttribute('aria-expanded')") == "true"
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    assert not errors, errors
    page.close()


def test_salary_ask_on_the_negotiation_rubric_at_phone_width(base_url: str, browser) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(base_url + "/")
    score(page, SALARY, rubric="negotiation")
    mark = page.locator("#marked mark[data-rule~='single-number-ask']")
    assert "".join(mark.all_text_contents()) == SALARY
    mark.first.tap()
    page.locator("#tip").wait_for(state="visible")
    assert "single-number-ask" in page.locator("#tip").text_content()
    # nothing wider than the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path="/tmp/starlint-page-phone.png", full_page=True)
    page.close()


def test_errors_are_shown_not_swallowed(base_url: str, browser) -> None:  # noqa: ANN001
    page = browser.new_page()
    page.goto(base_url + "/")
    page.wait_for_selector("#rubric option[value='general']", state="attached")
    page.fill("#answer", "x" * 20_001)
    page.click("#submit")
    alert = page.locator("#error[role=alert]")
    alert.wait_for(state="visible")
    assert "20,000" in alert.inner_text()
    page.close()
