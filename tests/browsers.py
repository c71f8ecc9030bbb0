"""Headless Chromium with axe-core, as the browser tests use it: Debian's `chromium` driven by
Playwright (never `playwright install`), and the `axe.min.js` that the `axe-playwright-python`
package ships, at the version uv.lock pins. A missing browser is a failed set-up, not a reason
to skip: scripts/setup.sh installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(str(resources.files("axe_playwright_python") / "axe.min.js"))
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
"""The impacts of an axe-core violation that fail a test."""


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright's `Browser`), closed on the way out."""
    assert CHROMIUM.exists(), f"no Chromium at {CHROMIUM}: run scripts/setup.sh"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe(page: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """axe-core run on the page as it stands: its violations of a `BLOCKING` impact, and its
    whole result (passes, engine)."""
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in BLOCKING], result


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
