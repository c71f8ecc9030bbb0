"""Markdown in plan text: CommonMark with raw HTML shown as text and only safe links.

- raw HTML is escaped and shown as text (`html: False`);
- a link is a link only when it is http, https or mailto; any other link stays text;
- images are never fetched: an image becomes a link to it (or its alt text alone);
- headings are left as text, so a plan's text cannot break the document's heading outline;
- no typographer, no linkify: the output depends on the text alone;
- a text whose lists or block quotes nest deeper than the parser goes (`too_deep`, which the
  validator reports) is never cut short: it is shown whole, as plain paragraphs.

The parser's settings (what a text's blocks are, which links are safe) are shared with the
validator in `actionplan.markdown`; this module adds the render rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from actionplan.markdown import MarkdownTooDeep, is_safe_link, new_parser


def _render_image(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An image as a link to it, never as an `<img>` that would be fetched."""
    token = tokens[idx]
    alt = escape(_inline_text(token.children or []))
    src = str(token.attrs.get("src", ""))
    if not is_safe_link(src) or _inside_link(tokens, idx):
        return alt
    return f'<a href="{escape(src)}">{alt or escape(src)}</a>'


def _inside_link(tokens: Sequence[Token], idx: int) -> bool:
    depth = 0
    for token in tokens[:idx]:
        depth += {"link_open": 1, "link_close": -1}.get(token.type, 0)
    return depth > 0


@cache
def _parser() -> MarkdownIt:
    md = new_parser()
    md.add_render_rule("image", _render_image)
    return md


def _as_paragraphs(text: str) -> str:
    """A text as escaped paragraphs, every word kept: for a text nested too deep."""
    paragraphs = (p.strip() for p in re.split(r"\n[ \t]*\n", text))
    return "".join("<p>" + escape(p).replace("\n", "<br>\n") + "</p>\n" for p in paragraphs if p)


def render_block(text: str) -> str:
    """Plan text as block HTML: paragraphs, lists, emphasis, links."""
    try:
        return _parser().render(text)
    except MarkdownTooDeep:
        return _as_paragraphs(text)


def render_inline(text: str) -> str:
    """Plan text as inline HTML, for titles, names and table cells: no paragraphs."""
    return _parser().renderInline(text.strip())


def _inline_text(tokens: Sequence[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.children:
            parts.append(_inline_text(token.children))
    return "".join(parts)


def to_text(text: str) -> str:
    """Plan text as plain text (for `<title>` and attributes): the words, without markup."""
    blocks: list[str] = []
    try:
        parsed = _parser().parse(text)
    except MarkdownTooDeep:
        return " ".join(text.split())
    for token in parsed:
        if token.type == "inline":
            blocks.append(_inline_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
    return " ".join(" ".join(blocks).split())
