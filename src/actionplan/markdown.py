"""How plan text is read as Markdown: the parser every stage shares, below them all.

The validator asks whether a text nests too deep (`too_deep`, reported as `markdown-too-deep`);
the renderers lay texts out with the same parser, given their render rules on top
(`actionplan.render.markdown`). Both read the same settings from here, so the validator never
imports a renderer and the two cannot disagree on what a text's blocks are:

- CommonMark, raw HTML kept as text (`html: False`), no typographer, no linkify: the blocks
  depend on the text alone;
- headings are left as text, so a plan's text cannot break the document's heading outline;
- a link is a link only when it is http, https or mailto (`is_safe_link`);
- where markdown-it would silently drop the rest of a container nested beyond its limit, the
  parse stops with `MarkdownTooDeep` instead, so no text is ever cut short.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

SAFE_SCHEMES = ("http://", "https://", "mailto:")


def is_safe_link(url: str) -> bool:
    """True for the only links a plan may hold: http, https and mailto."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


class MarkdownTooDeep(Exception):
    """The parser reached its nesting limit with text left: it would drop that text.

    A signal between the parser and its callers, never shown: each catches it and answers
    (the validator with a problem, the renderers with the text as plain paragraphs).
    """


def _guarded(tokenize: Any) -> Any:
    """The block tokenizer, raising MarkdownTooDeep where markdown-it would skip the rest of a
    container nested beyond `maxNesting` (its own test, at the start of a nested call)."""

    def run(state: StateBlock, start: int, end: int) -> None:
        if state.level >= state.md.options.maxNesting:
            line = state.skipEmptyLines(start)
            if line < end and state.sCount[line] >= state.blkIndent:
                raise MarkdownTooDeep
        tokenize(state, start, end)

    return run


def new_parser() -> MarkdownIt:
    """A parser with the plan text's settings; each caller adds its own render rules."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False, "linkify": False})
    md.disable(["heading", "lheading"])
    md.validateLink = is_safe_link  # type: ignore[method-assign]
    md.block.tokenize = _guarded(md.block.tokenize)  # type: ignore[method-assign]
    return md


@cache
def _parser() -> MarkdownIt:
    return new_parser()


def too_deep(text: str) -> bool:
    """True when the text's lists or block quotes nest too deep to be laid out as Markdown
    (deeper than nine levels of lists, or nineteen of quotes)."""
    try:
        _parser().parse(text)
    except MarkdownTooDeep:
        return True
    return False
