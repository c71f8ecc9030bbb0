"""Reading rendered documents back: their text as a reader sees it, and the example plans'
text fields that must all be found in it; a listener that proves a renderer fetched nothing;
the Nu HTML checker's messages about HTML files.

Shared by the PDF, DOCX, progress report, assessment and build-output tests, which compare what a
document says with the merged plan, never the bytes of a file across machines.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from actionplan.merge import Plan, TextField, text_fields
from actionplan.render.markdown import to_text
from helpers import PLAN_DIR_IDS, PLAN_DIRS, ROOT, load_merged

VNU = ROOT / "tests" / "node" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
"""The Nu HTML checker of the npm package vnu-jar that tests/node/package-lock.json pins."""

BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def clean(text: str) -> str:
    """Text without bidi controls, presentation forms folded (NFKC), spaces collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text.translate(BIDI_CONTROLS)))


@contextmanager
def recording_listener() -> Iterator[tuple[int, list[str]]]:
    """A TCP server on 127.0.0.1: yields its port and the peers of every connection it got."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    received: list[str] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, peer = server.accept()
            except TimeoutError:
                continue
            received.append(str(peer))
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], received
    finally:
        stop.set()
        thread.join()
        server.close()


REAL = [
    (plan, lang, f"{ident}/{lang}")
    for plan, ident in zip(PLAN_DIRS, PLAN_DIR_IDS, strict=True)
    for lang in load_merged(plan).member.languages
]
REAL_PLANS = [(plan, lang) for plan, lang, _ in REAL]
REAL_IDS = [ident for _, _, ident in REAL]
A4_BODY = ["-x", "0", "-y", "71", "-W", "596", "-H", "708"]  # the page less header and footer


def phrases(field: TextField) -> list[str]:
    """The runs of a field a reader sees unbroken: one per paragraph or list item."""
    if not field.markdown:
        return [field.text]
    blocks = re.split(r"\n\s*\n|\n\s*(?:[-*+]|\d+[.)])\s+", "\n" + field.text)
    return [text for block in blocks if (text := to_text(block))]


def skeleton(text: str) -> str:
    """Text without what layout may add or remove: spaces, line-end hyphens, bullets."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011•]+", "", clean(text))


def missing_fields(plan: Plan, lang: str, text: str) -> list[str]:
    """The paths of the text fields of `plan` in `lang` that `text` does not hold."""
    found = skeleton(text)
    return [
        f"{field.path}: {part[:60]!r}"
        for field in text_fields(plan, lang)
        for part in phrases(field)
        if skeleton(part) not in found
    ]


def vnu(files: list[Path]) -> list[dict[str, Any]]:
    """The Nu checker's messages about `files`, each with its `url`, `type` and `message`."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages: list[dict[str, Any]] = json.loads(result.stderr or result.stdout)["messages"]
    return messages


def shown(message: dict[str, Any]) -> str:
    """A checker's message as one line: file, line, type, message and the extract."""
    where = f"{Path(message.get('url', '?')).name}:{message.get('lastLine', '?')}"
    return (
        f"{where}: {message.get('type')}: {message.get('message')} {message.get('extract', '')!r}"
    )
