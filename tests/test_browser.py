"""The HTML of every example plan in headless Chromium: no console error, nothing fetched, and
no serious or critical accessibility violation found by axe-core.

Debian's `chromium` is driven by Playwright (never `playwright install`); axe-core comes from
npm (`npm ci`, package-lock.json). The HTML is built by `doit html` in a temporary copy of the
repository and opened from its file:// URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_pipeline import PLANS, ExamplePlan, copy_repository, doit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING = ("serious", "critical")
CASES = [(plan, lang) for plan in PLANS for lang in plan.languages]
CASE_IDS = [f"{plan.name}/{lang}" for plan, lang in CASES]
# A desktop window, and a phone's, where the stylesheet's narrow layout applies.
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.skipif(not AXE.exists(), reason=f"no axe-core at {AXE}: run `npm ci`"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML of the example plans, built by `doit html` in a temporary copy."""
    root = copy_repository(tmp_path_factory.mktemp("browser") / "repo")
    doit(root, "html")
    return root / "build"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def describe(violations: list[dict[str, Any]]) -> str:
    """The violations as a reader can act on them: rule, impact, help and the elements."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


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
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document)")
    finally:
        context.close()
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
    if blocking:
        print(describe(blocking))
    assert blocking == [], describe(blocking)
    assert result["passes"], json.dumps(result["testEngine"])


def test_axe_core_is_the_locked_version() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    version = lock["packages"]["node_modules/axe-core"]["version"]
    installed = json.loads((AXE.parent / "package.json").read_text(encoding="utf-8"))
    assert installed["version"] == version
