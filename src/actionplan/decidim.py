"""A Decidim proposals export, JSON or CSV, read into plain proposals.

Decidim writes both formats from one serializer (decidim-proposals' `ProposalSerializer`): JSON
is its hashes as they are; CSV flattens nested keys with `/` (`title/fr`, `author/name`), joins
lists with `, `, writes times with `Time#to_s` (`2024-03-12 10:15:00 +0100`, where JSON has
`2024-03-12T10:15:00.000+01:00`) and puts a `'` before a text that starts with `=`, `+`, `-` or
`@` (against formula injection). Both are brought back to the same nested record here, so that
the two exports of the same proposals read as the same proposals.

Older Decidim versions export bodies as HTML, newer ones as plain text; answers are always HTML.
A value that holds a tag is read as HTML (`plain_text`): tags dropped, entities unescaped,
paragraphs and line breaks kept. Machine translations (`machine_translations`) are not what the
author wrote and are left out.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from actionplan.errors import ActionPlanError

# Tags that end a paragraph, and the one that ends a line.
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "header", "footer", "blockquote", "pre", "ul", "ol"}
    | {"dl", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "figure", "figcaption"}
)
_HIDDEN = frozenset({"script", "style", "template", "head", "title"})
# HTML's own white space: a no-break space is part of the text (French typography uses it).
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
# What no output could show and the loader refuses in a file (C0 and C1 controls but for the
# line break and the tab, and the non-characters).
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_LOCALE = re.compile(r"[a-z]{2}(?:[-_][A-Za-z0-9]{2,8})*")
_DAY = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ]|$)")
_FORMULA_GUARD = re.compile(r"'(?=[=+\-@])")
_MACHINE = "machine_translations"
_TRUE = {"true", "1", "yes", "t"}


class _TextParser(HTMLParser):
    """HTML to plain text: paragraphs as blank lines, `<br>` as a line break, list items as
    `- ` lines, a link's address after its words when they differ."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href"))
            self.out.append("\x00")  # where the link's words start, replaced in handle_endtag

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.out.append("\n\n")
        elif tag == "a" and self.links:
            self._close_link(self.links.pop())

    def _close_link(self, href: str | None) -> None:
        start = max(i for i, piece in enumerate(self.out) if piece == "\x00")
        words = "".join(self.out[start + 1 :]).strip()
        self.out[start] = ""
        if href and re.match(r"https?://", href) and href not in (words, words.rstrip("/")):
            self.out.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.append(_HTML_SPACE.sub(" ", data))

    def text(self) -> str:
        return "".join(piece for piece in self.out if piece != "\x00")


def plain_text(value: str) -> str:
    """A Decidim text as plain text: HTML read when it holds a tag, lines trimmed, at most one
    blank line between paragraphs, controls dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _TAG_LIKE.search(value):
        parser = _TextParser()
        parser.feed(value)
        parser.close()
        value = parser.text()
    value = _CONTROL.sub("", value)
    lines = [line.strip(" \t") for line in value.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


@dataclass(frozen=True)
class Proposal:
    """One proposal as the import needs it; texts plain, keyed by Decidim locale."""

    decidim_id: int
    reference: str | None
    published: dt.date | None
    authors: str | None
    official: bool
    titles: dict[str, str]
    bodies: dict[str, str]
    state: str
    withdrawn: bool
    answers: dict[str, str]
    answered: dt.date | None
    url: str | None


@dataclass
class Export:
    """The proposals of an export, in its order, and what was noticed reading it."""

    path: Path
    kind: str
    proposals: list[Proposal] = field(default_factory=list)
    space_url: str | None = None
    has_authors: bool = True


class ExportError(ActionPlanError):
    """An export that cannot be read; every problem found is in the message, one a line."""

    def __init__(self, shown: str, problems: list[str]) -> None:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(
            f"{shown}: not a Decidim proposals export ({count}):\n" + "\n".join(problems)
        )
        self.problems = problems


# --- the two formats to one nested record ----------------------------------------------------


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ExportError(
            shown, [f"{shown}:{line}:{column}: not UTF-8 text (byte 0x{raw[exc.start]:02x})"]
        ) from exc


def _json_records(text: str, shown: str) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportError(
            shown, [f"{shown}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}"]
        ) from exc
    except RecursionError as exc:
        raise ExportError(shown, [f"{shown}: nested too deeply to be an export"]) from exc
    if not isinstance(data, list):
        raise ExportError(shown, [f"{shown}: a list of proposals was expected, not {_kind(data)}"])
    for index, record in enumerate(data, 1):
        yield f"{shown}: proposal {index}", record


def _delimiter(header: str) -> str:
    # Decidim's default is `;` (Decidim.default_csv_col_sep); an instance may set another.
    return max((";", ",", "\t"), key=header.count)


def _csv_records(text: str, shown: str) -> Iterator[tuple[str, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        header = next(reader, None)
        if not header:
            raise ExportError(shown, [f"{shown}:1: empty: no header row"])
        columns = _columns(header, shown)
        for row in reader:
            where = f"{shown}:{reader.line_num}"
            if len(row) != len(header):
                if not any(row):
                    continue
                raise ExportError(
                    shown, [f"{where}: {len(row)} fields where the header has {len(header)}"]
                )
            yield where, _unflatten(columns, row)
    except csv.Error as exc:
        raise ExportError(shown, [f"{shown}:{reader.line_num}: not CSV: {exc}"]) from exc


def _columns(header: list[str], shown: str) -> list[list[str]]:
    problems: list[str] = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(f"{shown}:1: the column `{name}` is named twice")
        seen.add(name)
    for name in header:
        parts = name.split("/")
        prefixes = {"/".join(parts[:i]) for i in range(1, len(parts))}
        problems += [f"{shown}:1: the column `{name}` clashes with `{p}`" for p in prefixes & seen]
    required = [c for c in ("id", "body", "state") if not _has_column(seen, c)]
    problems += [f"{shown}:1: no `{c}` column (nor `{c}/...`)" for c in required]
    if problems:
        raise ExportError(shown, problems)
    return [name.split("/") for name in header]


def _has_column(columns: set[str], name: str) -> bool:
    return name in columns or any(c.startswith(name + "/") for c in columns)


def _unflatten(columns: list[list[str]], row: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for parts, cell in zip(columns, row, strict=True):
        node = record
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        # An empty cell is how CSV writes Ruby's nil (and an empty text, the same to us).
        node[parts[-1]] = (cell[1:] if _FORMULA_GUARD.match(cell) else cell) or None
    return record


def _kind(value: Any) -> str:
    names: dict[type, str] = {dict: "a mapping", list: "a list", str: "a text"}
    return names.get(type(value), type(value).__name__)


# --- one nested record to a proposal --------------------------------------------------------


@dataclass
class _Reader:
    """Reads the fields of one record, noting what is wrong where."""

    where: str
    record: dict[str, Any]
    problems: list[str]

    def fault(self, message: str) -> None:
        self.problems.append(f"{self.where}: {message}")

    def get(self, *keys: str) -> Any:
        node: Any = self.record
        for key in keys:
            node = node.get(key) if isinstance(node, dict) else None
        return node

    def text(self, *keys: str) -> str | None:
        value = self.get(*keys)
        if isinstance(value, list):  # JSON's list is CSV's `a, b`
            value = ", ".join(str(v) for v in value if v is not None)
        if isinstance(value, bool | dict):
            self.fault(f"`{'/'.join(keys)}` is {_kind(value)}, not a text")
            return None
        text = "" if value is None else str(value).strip()
        return text or None

    def flag(self, key: str) -> bool:
        value = self.get(key)
        return value is True or (isinstance(value, str) and value.strip().lower() in _TRUE)

    def day(self, key: str) -> dt.date | None:
        value = self.text(key)
        if value is None:
            return None
        found = _DAY.match(value)
        if found:
            with contextlib.suppress(ValueError):
                return dt.date.fromisoformat(found.group(1))
        self.fault(f"`{key}` is `{value}`, not a date and time")
        return None

    def locales(self, key: str) -> dict[str, str]:
        """A translatable text: its locales in the record's order, plain, empty ones left out.
        A bare text (older exports) is under the locale `""`: the plan's primary language."""
        value = self.get(key)
        if isinstance(value, str):
            value = {"": value}
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fault(f"`{key}` is {_kind(value)}, not a text by locale")
            return {}
        texts: dict[str, str] = {}
        for locale, text in value.items():
            if locale == _MACHINE or text is None:
                continue
            if (locale and not _LOCALE.fullmatch(locale)) or not isinstance(text, str):
                self.fault(f"`{key}/{locale}` is not a text in a locale such as `fr`")
            elif plain := plain_text(text):
                texts[locale] = plain
        return texts


def _proposal(reader: _Reader) -> Proposal | None:
    if not isinstance(reader.record, dict):
        reader.fault(f"a proposal is a mapping, not {_kind(reader.record)}")
        return None
    raw_id = reader.text("id")
    if raw_id is None or not raw_id.isdecimal() or not raw_id.isascii():
        reader.fault(f"`id` is {f'`{raw_id}`' if raw_id else 'missing'}, not a Decidim id")
        return None
    bodies = reader.locales("body")
    if not bodies:
        reader.fault("the proposal has no body in any locale")
    urls = reader.text("author", "url") or ""
    state = (reader.text("state") or "").lower()
    return Proposal(
        decidim_id=int(raw_id),
        reference=reader.text("reference"),
        published=reader.day("published_at"),
        authors=reader.text("author", "name"),
        official=bool(urls) and all(_is_root(u) for u in urls.split(", ")),
        titles=reader.locales("title"),
        bodies=bodies,
        state=state,
        withdrawn=state == "withdrawn" or reader.flag("withdrawn"),
        answers=reader.locales("answer"),
        answered=reader.day("answered_at"),
        url=reader.text("url"),
    )


def _is_root(url: str) -> bool:
    """Decidim gives an official proposal's author (the organization) its site's root."""
    return re.fullmatch(r"https?://[^/\s]+/?", url.strip()) is not None


def read_export(path: Path, shown: str) -> Export:
    """Every proposal of the export at `path` (already known to be a regular file), or an
    ExportError that lists every problem found; `shown` is how messages name the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(shown, [f"{shown}: cannot read: {exc.strerror or exc}"]) from exc
    text = _decode(raw, shown)
    kind = _format(path, text)
    records = _json_records(text, shown) if kind == "json" else _csv_records(text, shown)
    export = Export(path, kind)
    problems: list[str] = []
    seen_author = False
    for where, record in records:
        reader = _Reader(where, record, problems)
        proposal = _proposal(reader)
        seen_author |= isinstance(record, dict) and "author" in record
        export.space_url = export.space_url or reader.text("participatory_space", "url")
        if proposal is not None:
            export.proposals.append(proposal)
    _check_unique(export, shown, problems)
    if problems:
        raise ExportError(shown, problems)
    export.has_authors = seen_author or not export.proposals
    return export


def _format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".json", ".csv"):
        return suffix[1:]
    return "json" if text.lstrip()[:1] in ("[", "{") else "csv"


def _check_unique(export: Export, shown: str, problems: list[str]) -> None:
    ids: set[int] = set()
    for proposal in export.proposals:
        if proposal.decidim_id in ids:
            problems.append(f"{shown}: the proposal id {proposal.decidim_id} is given twice")
        ids.add(proposal.decidim_id)
