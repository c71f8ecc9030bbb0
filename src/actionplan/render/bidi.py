"""Text of one direction inside text of the other: Arabic dates around an English word, an
English notice in an Arabic running header.

In the HTML, an element with `dir` is an isolate (browsers' user-agent stylesheet, and
WeasyPrint lays each such element out in its own direction). A running header is made of text
only (WeasyPrint's `string-set` drops the elements), so `running_text` turns each element with
`dir` into the Unicode isolate characters that say the same in plain text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

ISOLATES = {"ltr": "\u2066", "rtl": "\u2067"}
"""LEFT-TO-RIGHT ISOLATE and RIGHT-TO-LEFT ISOLATE, each closed by POP DIRECTIONAL ISOLATE."""
POP = "\u2069"
MARKS = {"ltr": "\u200e", "rtl": "\u200f"}
"""LEFT-TO-RIGHT MARK and RIGHT-TO-LEFT MARK, inside each isolate at both ends: a header too
long for its box wraps, WeasyPrint lays each line out alone, and the line after the break has
no isolate open; the mark still keeps a full stop at its end on its side."""
_VOID = frozenset({"br", "wbr", "img", "hr", "input", "meta", "link", "col", "area", "source"})
_SPACES = re.compile(r"\s+")


class _Text(HTMLParser):
    """The text of a piece of HTML, each element with `dir` between isolate characters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        direction = dict(attrs).get("dir")
        if direction not in ISOLATES:
            direction = None
        if direction is not None:
            self.parts.append(ISOLATES[direction] + MARKS[direction])
        self.open.append((tag, direction))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, direction = self.open.pop()
            if direction is not None:
                self.parts.append(MARKS[direction] + POP)
            if name == tag:
                return

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def running_text(html: str) -> str:
    """The text of `html` as a running header shows it: spaces collapsed, each element with a
    `dir` attribute an isolate, so that its punctuation stays on its side of the words."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    while parser.open:  # an element left open still ends its isolate
        parser.handle_endtag(parser.open[-1][0])
    return _SPACES.sub(" ", "".join(parser.parts)).strip()
