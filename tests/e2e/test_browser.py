"""The HTML of every example plan in headless Chromium: no console error, nothing fetched, and
no serious or critical accessibility violation found by axe-core.

Debian's `chromium` is driven by Playwright (never `playwright install`); axe-core is the
`axe.min.js` that the `axe-playwright-python` package ships, at the version uv.lock pins. The
HTML is built by `doit html` in a temporary copy of the repository and opened from its file://
URL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browsers import AXE, axe, chromium, describe
from builds import PLANS, ExamplePlan, copy_repository, doit

CASES = [(plan, lang) for plan in PLANS for lang in plan.languages]
CASE_IDS = [f"{plan.name}/{lang}" for plan, lang in CASES]
# A desktop window, and a phone's, where the stylesheet's narrow layout applies.
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML of the example plans, built by `doit html` in a temporary copy."""
    root = copy_repository(tmp_path_factory.mktemp("browser") / "repo")
    doit(root, "html")
    return root / "build"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(("plan", "lang"), CASES, ids=CASE_IDS)
def test_the_html_opens_clean_and_accessible(
    built: Path, browser: Any, plan: ExamplePlan, lang: str, viewport: str
) -> None:
    path = built / plan.name / f"action-plan.{lang}.html"
    url = path.as_uri()
    context = browser.new_context(viewport=VIEWPORTS[viewport], offline=True)
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        assert errors == []
        assert requests == [url], requests
        assert page.evaluate("document.documentElement.lang") == lang
        width = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        scroll_width, client_width = page.evaluate(width)
        assert scroll_width <= client_width, "the page scrolls sideways: it does not reflow"
        blocking, result = axe(page)
    finally:
        context.close()
    if blocking:
        print(describe(blocking))
    assert blocking == [], describe(blocking)
    assert result["passes"], json.dumps(result["testEngine"])


def axe_version(script: str) -> str:
    """The version that axe.min.js states in its licence header (`/*! axe v4.12.1`)."""
    found = re.match(r"/\*! axe v(\d+\.\d+\.\d+)", script)
    assert found, script[:80]
    return found[1]


def test_axe_core_runs_in_the_browser_at_the_shipped_version(browser: Any) -> None:
    """The script the tests inject is a real axe-core, and the one the locked package ships."""
    script = AXE.read_text(encoding="utf-8")
    page = browser.new_page()
    try:
        page.set_content("<!doctype html><html lang=en><title>t</title><main>x</main></html>")
        page.add_script_tag(content=script)
        running = page.evaluate("axe.version")
    finally:
        page.close()
    assert running == axe_version(script)
