"""Word-level diffs of prose: difflib on word tokens, paragraph breaks kept as tokens.

Whitespace inside a paragraph is not compared (re-wrapping a folded YAML text changes nothing);
a blank line (a Markdown paragraph break) is a token of its own, written back as a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher

from actionplan.diff.model import ProseDiff, WordSpan
from actionplan.model.common import LocalizedText

PARAGRAPH = "\n\n"
MIN_CUT = 5  # a run of kept words is cut only when that leaves out at least this many
_TOKEN = re.compile(r"\n[ \t]*\n\s*|\S+")


def tokens(text: str) -> list[str]:
    """The words of a text, and a PARAGRAPH token for each paragraph break between them."""
    out = [PARAGRAPH if token[0] == "\n" else token for token in _TOKEN.findall(text)]
    while out and out[0] == PARAGRAPH:
        out.pop(0)
    while out and out[-1] == PARAGRAPH:
        out.pop()
    return out


def join(words: Iterable[str]) -> str:
    """Tokens back into text: single spaces between words, a blank line for a paragraph break."""
    out: list[str] = []
    for word in words:
        if word == PARAGRAPH:
            out.append(PARAGRAPH)
        else:
            if out and out[-1] != PARAGRAPH:
                out.append(" ")
            out.append(word)
    return "".join(out)


def as_translations(value: LocalizedText | None, primary: str) -> dict[str, str]:
    """A localized text as a mapping from language to text; plain text is the primary's."""
    if value is None:
        return {}
    if isinstance(value, str):
        return {primary: value}
    return dict(value)


def word_spans(old: str, new: str) -> tuple[float, list[WordSpan]]:
    """The similarity of two texts (0 to 1) and their word diff as spans."""
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    spans: list[WordSpan] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            spans.append(WordSpan(op="equal", text=join(a[i1:i2])))
            continue
        if i2 > i1:
            spans.append(WordSpan(op="delete", text=join(a[i1:i2])))
        if j2 > j1:
            spans.append(WordSpan(op="insert", text=join(b[j1:j2])))
    return round(matcher.ratio(), 3), spans


def prose_diffs(
    old: LocalizedText | None,
    new: LocalizedText | None,
    old_primary: str,
    new_primary: str,
    order: Iterable[str] = (),
) -> list[ProseDiff]:
    """A word diff for each language whose text differs, languages in `order` first."""
    before = as_translations(old, old_primary)
    after = as_translations(new, new_primary)
    languages = dict.fromkeys([*order, *after, *before])
    out = []
    for lang in languages:
        a, b = before.get(lang), after.get(lang)
        if a is None and b is None:
            continue
        if a is not None and b is not None and tokens(a) == tokens(b):
            continue
        similarity, spans = word_spans(a or "", b or "")
        out.append(ProseDiff(lang=lang, similarity=similarity, spans=spans))
    return out


def same_prose(old: LocalizedText | None, new: LocalizedText | None, primary: str) -> bool:
    """True when two texts have the same words in every language (whitespace aside)."""
    a, b = as_translations(old, primary), as_translations(new, primary)
    return a.keys() == b.keys() and all(tokens(a[k]) == tokens(b[k]) for k in a)


def elide(spans: list[WordSpan], context: int) -> Iterator[WordSpan | None]:
    """The spans with long kept runs cut to `context` words each side; None marks a cut."""
    last = len(spans) - 1
    for index, span in enumerate(spans):
        if span.op != "equal":
            yield span
            continue
        words = tokens(span.text)
        keep_head = context if index > 0 else 0
        keep_tail = context if index < last else 0
        if len(words) < keep_head + keep_tail + MIN_CUT:
            yield span
            continue
        if keep_head:
            yield WordSpan(op="equal", text=join(words[:keep_head]))
        yield None
        if keep_tail:
            yield WordSpan(op="equal", text=join(words[-keep_tail:]))
