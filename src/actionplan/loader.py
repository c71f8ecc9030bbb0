"""Load stage: YAML 1.2 files into plain data, with the line and column of every node.

The C event parser of ruamel.yaml (libyaml) does the tokenising; scalars are resolved here
by the YAML 1.2 core schema, so `no`, `yes` and dates stay strings. Anchors, aliases, tags
other than `!!str`, duplicate keys, bytes that are not UTF-8 and oversized input are reported as
problems with a position; nothing raises.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The C parser (libyaml, from ruamel.yaml.clib) is a hard dependency: the pure-Python parser is
# an order of magnitude slower, and the validator's speed is one of its promises.
from _ruamel_yaml import CParser as _Parser
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from actionplan.fsutil import display_name as display_name  # where it was, for its importers
from actionplan.problems import DataPath, Problem, Severity, json_path, problem

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_STR_TAGS = {"tag:yaml.org,2002:str", "!!str"}
# A plain scalar can only resolve to something other than text if it starts with one of these
# (null, booleans, numbers, infinities); a date-like scalar never does.
_SPECIAL_START = frozenset("~nNtTfF-+.0123456789")
_DATE_LIKE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_OPEN = (MappingStartEvent, SequenceStartEvent)
_CLOSE = (MappingEndEvent, SequenceEndEvent)


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


# Positions are immutable, so one instance serves every node at the same place in any file:
# a thousand files have their keys at the same few hundred lines and columns.
_POSITIONS: dict[tuple[int, int], Position] = {}
_POSITIONS_MAX = 1 << 16
_COMPOSE = object()  # _Builder.leaf's answer for a node it leaves to _Builder.node


def _position(line: int, column: int) -> Position:
    """The Position of a parser mark (0-based line and column)."""
    key = (line, column)
    pos = _POSITIONS.get(key)
    if pos is None:
        pos = Position(line + 1, column + 1)
        if len(_POSITIONS) < _POSITIONS_MAX:
            _POSITIONS[key] = pos
    return pos


@dataclass
class Document:
    """One loaded file: its data and where each value and each mapping key stands.

    A document loaded with `defer_positions` has `values` and `keys` empty until the first call
    of `value_position` or `key_position`, which records them: most files have no problem to
    place, and recording every position costs a quarter of the loading time."""

    path: Path
    data: Any
    values: dict[DataPath, Position] = field(default_factory=dict)
    keys: dict[DataPath, Position] = field(default_factory=dict)
    _pending: str | None = field(default=None, init=False, repr=False, compare=False)

    def _record_positions(self) -> None:
        text, self._pending = self._pending, None
        if text is not None:
            builder = _Builder(self.path, str(self.path))
            builder.run(_Parser(io.StringIO(text)))  # it loaded without a problem before
            self.values.update(builder.doc.values)
            self.keys.update(builder.doc.keys)

    def value_position(self, path: DataPath) -> Position:
        """Where the value at `path` starts; falls back to the nearest ancestor that exists."""
        if self._pending is not None:
            self._record_positions()
        for n in range(len(path), -1, -1):
            pos = self.values.get(path[:n])
            if pos is not None:
                return pos
        return Position(1, 1)

    def key_position(self, path: DataPath) -> Position:
        """Where the key holding `path` stands (or the value, for list items and the root)."""
        if self._pending is not None:
            self._record_positions()
        for n in range(len(path), -1, -1):
            pos = self.keys.get(path[:n]) or self.values.get(path[:n])
            if pos is not None:
                return pos
        return Position(1, 1)


def resolve_plain(value: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if (value and value[0] not in _SPECIAL_START) or _DATE_LIKE.fullmatch(value):
        return value  # the common case, text or a date: none of the patterns below can match
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT10.match(value):
        # Python refuses to convert more than 4300 digits (the conversion takes quadratic
        # time); a number that long is still a number, not text, so it stays one, as a float.
        return int(value) if len(value) <= 4000 else float(value)
    if _INT8.match(value):
        return int(value[2:], 8)
    if _INT16.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


class _TooDeep(Exception):
    """Stops the parse: libyaml's time grows with the square of the nesting depth, whether the
    nodes are built or only read past."""


class _Builder:
    """Turns the parser's event stream into data, positions and problems."""

    def __init__(self, path: Path, display: str) -> None:
        self.doc = Document(path=path, data=None)
        self.display = display
        self.problems: list[Problem] = []
        self.nodes = 0

    def problem(self, rule: str, mark: Any, path: DataPath, message: str) -> None:
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.problems.append(
            Problem(self.display, line, col, Severity.ERROR, rule, json_path(path), message)
        )

    def run(self, parser: Any) -> None:
        parser.get_event()  # StreamStart
        documents = 0
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is StreamEndEvent:
                break
            if kind is not DocumentStartEvent:  # pragma: no cover - the parser guarantees order
                continue
            documents += 1
            first = parser.get_event()
            if documents == 1:
                self.doc.data = self.node(parser, first, ())
            else:
                self.problem(
                    "yaml-multiple-documents",
                    first.start_mark,
                    (),
                    "a plan file holds one YAML document; remove the `---` and what follows "
                    "or move it to a file of its own",
                )
                self.skip(parser, first, (), 0)
            parser.get_event()  # DocumentEnd
        if documents == 0:
            self.problem("yaml-empty", None, (), "the file is empty")

    def skip(self, parser: Any, event: Any, path: DataPath, depth: int) -> None:
        """Read past the node `event` starts, which stands `depth` levels below the root."""
        level = 0  # the collections open inside the skipped node
        while True:
            if depth + level > MAX_DEPTH and not isinstance(event, _CLOSE):
                self.too_deep(event, path)
            level += isinstance(event, _OPEN)
            level -= isinstance(event, _CLOSE)
            if not level:
                return
            event = parser.get_event()

    def too_deep(self, event: Any, path: DataPath) -> None:
        self.problem(
            "yaml-too-deep", event.start_mark, path, f"nested more than {MAX_DEPTH} levels deep"
        )
        raise _TooDeep

    def check_node(self, event: Any, path: DataPath) -> bool:
        """Count the node and report anchors and tags; False means 'do not descend'."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            if self.nodes == MAX_NODES + 1:
                self.problem(
                    "yaml-too-large",
                    event.start_mark,
                    path,
                    f"more than {MAX_NODES} values in one file; split it up",
                )
            return False
        if len(path) > MAX_DEPTH:
            self.too_deep(event, path)
        if getattr(event, "anchor", None):
            self.anchor(event, path)
        if isinstance(event, _OPEN) and event.tag is not None:
            # The data does not depend on it, but a tag asks a YAML loader for an object of its
            # kind (`!!python/object`): a file that works here must not be dangerous elsewhere.
            self.problem(
                "yaml-tag",
                event.start_mark,
                path,
                f"the tag `{event.tag}` is not allowed; remove it (a mapping or a list takes "
                "no tag)",
            )
        return True

    def anchor(self, event: Any, path: DataPath) -> None:
        self.problem(
            "yaml-anchor",
            event.start_mark,
            path,
            f"anchor `&{event.anchor}`: anchors and aliases are not allowed in plan "
            "files; write the value out in full",
        )

    def node(self, parser: Any, event: Any, path: DataPath) -> Any:
        kind = type(event)
        if kind is AliasEvent:
            self.problem(
                "yaml-alias",
                event.start_mark,
                path,
                f"alias `*{event.anchor}`: anchors and aliases are not allowed in plan "
                "files; write the value out in full",
            )
            return None
        self.doc.values.setdefault(path, _position(event.start_mark.line, event.start_mark.column))
        if not self.check_node(event, path):
            self.skip(parser, event, path, len(path))
            return None
        if kind is ScalarEvent:
            return self.scalar(event, path)
        if kind is SequenceStartEvent:
            return self.sequence(parser, path)
        return self.mapping(parser, path)

    def scalar(self, event: Any, path: DataPath) -> Any:
        tag = event.tag
        if tag is not None and tag != "!":
            if tag in _STR_TAGS:
                return event.value
            self.problem(
                "yaml-tag",
                event.start_mark,
                path,
                f"the tag `{tag}` is not allowed; remove it (quote the value to make it text)",
            )
            return event.value
        if event.style or (tag == "!"):  # quoted, literal or folded: always text
            return event.value
        return resolve_plain(event.value)

    def sequence(self, parser: Any, path: DataPath) -> list[Any]:
        items: list[Any] = []
        get_event = parser.get_event
        deep = len(path) + 1 > MAX_DEPTH
        while True:
            event = get_event()
            if type(event) is SequenceEndEvent:
                return items
            child = (*path, len(items))
            value = self.leaf(event, child, deep)
            items.append(self.node(parser, event, child) if value is _COMPOSE else value)

    def leaf(self, event: Any, path: DataPath, deep: bool) -> Any:
        """`node`'s value for the common case, a plain untagged scalar without anchor, well
        within the limits, by a quicker path (same data, positions and problems); `_COMPOSE`
        for anything else, which takes `node`'s."""
        if (
            type(event) is not ScalarEvent
            or event.tag is not None
            or event.anchor
            or deep
            or self.nodes >= MAX_NODES
        ):
            return _COMPOSE
        self.nodes += 1
        mark = event.start_mark
        self.doc.values.setdefault(path, _position(mark.line, mark.column))
        return event.value if event.style else resolve_plain(event.value)

    def mapping(self, parser: Any, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        get_event = parser.get_event
        keys = self.doc.keys
        deep = len(path) + 1 > MAX_DEPTH
        while True:
            event = get_event()
            kind = type(event)
            if kind is MappingEndEvent:
                return result
            if kind is ScalarEvent and event.tag is None and not event.anchor:
                key: str | None = str(event.value)
            else:
                key = self.key(parser, event, path)
            value_event = get_event()
            if key is None:
                self.skip(parser, value_event, path, len(path) + 1)
                continue
            child = (*path, key)
            if key in result:
                first = keys[child]
                self.problem(
                    "yaml-duplicate-key",
                    event.start_mark,
                    child,
                    f"duplicate key `{key}` (first given on line {first.line}); keep one of them",
                )
                self.skip(parser, value_event, child, len(child))
                continue
            keys[child] = _position(event.start_mark.line, event.start_mark.column)
            value = self.leaf(value_event, child, deep)
            result[key] = self.node(parser, value_event, child) if value is _COMPOSE else value

    def key(self, parser: Any, event: Any, path: DataPath) -> str | None:
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor:
                self.anchor(event, path)
            if event.tag not in (None, "!") and event.tag not in _STR_TAGS:
                self.problem(
                    "yaml-tag",
                    event.start_mark,
                    path,
                    f"the tag `{event.tag}` is not allowed on a key",
                )
            return str(event.value)
        if kind is AliasEvent:
            self.problem(
                "yaml-alias",
                event.start_mark,
                path,
                f"alias `*{event.anchor}`: anchors and aliases are not allowed",
            )
            return None
        self.problem(
            "yaml-complex-key",
            event.start_mark,
            path,
            "a key must be plain text, not a list or a mapping",
        )
        self.skip(parser, event, path, len(path) + 1)
        return None


class _NotPlain(Exception):
    """Something the quick pass leaves to the full one."""


def _plain_data(text: str) -> Any:
    """The data of a file with nothing to report, without positions: the quick pass.

    Raises _NotPlain at anything the full pass would report or stop at (anchors, aliases, tags,
    complex or duplicate keys, no or several documents, the limits), and the parser's own
    exception at a syntax error; the full pass then loads the file again from the start."""
    parser = _Parser(io.StringIO(text))
    get_event = parser.get_event
    get_event()  # StreamStart
    if type(get_event()) is not DocumentStartEvent:
        raise _NotPlain  # an empty file
    nodes = [1]
    data = _plain_node(get_event, get_event(), 0, nodes)
    get_event()  # DocumentEnd
    if type(get_event()) is not StreamEndEvent or nodes[0] > MAX_NODES:
        raise _NotPlain
    return data


def _plain_node(get_event: Any, event: Any, depth: int, nodes: list[int]) -> Any:
    kind = type(event)
    if kind is ScalarEvent and event.tag is None and not event.anchor:
        return event.value if event.style else resolve_plain(event.value)
    if kind not in _OPEN or event.tag is not None or event.anchor:
        raise _NotPlain
    deep = depth + 1 > MAX_DEPTH
    if kind is SequenceStartEvent:
        items: list[Any] = []
        while True:
            event = get_event()
            kind = type(event)
            if kind is SequenceEndEvent:
                nodes[0] += len(items)
                return items
            if deep:
                raise _NotPlain
            items.append(_plain_node(get_event, event, depth + 1, nodes))
    result: dict[str, Any] = {}
    while True:
        event = get_event()
        kind = type(event)
        if kind is MappingEndEvent:
            nodes[0] += len(result)
            return result
        if kind is not ScalarEvent or event.tag is not None or event.anchor or deep:
            raise _NotPlain
        key = str(event.value)
        if key in result:
            raise _NotPlain
        result[key] = _plain_node(get_event, get_event(), depth + 1, nodes)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if line < len(lines) else ""


def _decode(raw: bytes, display: str) -> tuple[str | None, Problem | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        hint = (
            " (the file looks like UTF-16; save it as UTF-8)"
            if raw[:2] in (b"\xff\xfe", b"\xfe\xff")
            else "; save the file as UTF-8"
        )
        return None, Problem(
            display,
            line,
            column,
            Severity.ERROR,
            "encoding",
            "$",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8{hint}",
        )


def load_text(
    text: str, path: Path, display: str | None = None, *, defer_positions: bool = False
) -> tuple[Document, list[Problem]]:
    """Load YAML text; always returns a document (data may be None) and the problems found.

    With `defer_positions`, a file without problems is loaded by a quicker pass that leaves
    the positions to be recorded when first asked for (see Document)."""
    shown = display if display is not None else display_name(path)
    stand_ins = _stand_ins(text)
    if stand_ins:  # rare: positions are recorded at once rather than translated later
        doc, problems = _load(text.translate(stand_ins), path, shown, defer_positions=False)
        return _put_back(doc, problems, {new: old for old, new in stand_ins.items()})
    return _load(text, path, shown, defer_positions=defer_positions)


def _load(
    text: str, path: Path, shown: str, *, defer_positions: bool
) -> tuple[Document, list[Problem]]:
    if defer_positions and "\x00" not in text:
        try:
            data = _plain_data(text)
        except Exception:  # something to report: the full pass below finds it
            pass
        else:
            if "\\" not in text or next(_control_characters(data), None) is None:
                doc = Document(path=path, data=data)
                doc._pending = text
                return doc, []
    builder = _Builder(path, shown)
    if "\x00" in text:
        index = text.index("\x00")
        line = text[:index].count("\n") + 1
        column = index - text.rfind("\n", 0, index)
        return builder.doc, [
            Problem(
                shown,
                line,
                column,
                Severity.ERROR,
                "encoding",
                "$",
                "the file holds a NUL byte: it is not a text file",
            )
        ]
    try:
        builder.run(_Parser(io.StringIO(text)))
    except _TooDeep:
        builder.doc.data = None
    except Exception as exc:  # the parser's own errors carry the problem mark
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context = getattr(exc, "context", None)
        message = f"YAML syntax error: {reason}" + (f" ({context})" if context else "")
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            message += "; indent with spaces, YAML does not allow tabs there"
        builder.doc.data = None
        builder.problem("yaml-syntax", mark, (), message)
    if "\\" in text:  # only an escape in a double-quoted scalar can write a control character
        for where, is_key, char in _control_characters(builder.doc.data):
            pos = (builder.doc.key_position if is_key else builder.doc.value_position)(where)
            what = "key" if is_key else "text"
            builder.problems.append(
                Problem(
                    shown,
                    pos.line,
                    pos.column,
                    Severity.ERROR,
                    "control-character",
                    json_path(where),
                    f"the {what} holds the control character U+{ord(char):04X} (written as an "
                    "escape in quotes), which no document can show; remove it",
                )
            )
    return builder.doc, builder.problems


# libyaml reads NEL, LS and PS as line breaks, as YAML 1.1 did; YAML 1.2 made them ordinary
# characters. While libyaml reads a file holding them, characters the file does not hold stand in
# for them, so that they stay in the text and lines are counted at line feeds alone.
_OLD_BREAKS = "\x85\u2028\u2029"
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
# Ordinary characters to libyaml: the private use areas first, then the other planes and the CJK
# ideographs, more characters than a file within MAX_FILE_BYTES can hold.
_CANDIDATES = (
    range(0xE000, 0xF900),
    range(0xF0000, 0x10FFFE),
    range(0x10000, 0xF0000),
    range(0x3400, 0xD800),
)


def _stand_ins(text: str) -> dict[int, int]:
    """For each old line break the text holds, a character that neither the text nor one of its
    escapes (`\\uE000`) writes; empty when the text holds none, or no character is free."""
    present = [ord(c) for c in _OLD_BREAKS if c in text]
    if not present:
        return {}
    taken = {ord(c) for c in set(text)}
    taken.update(int(short or long, 16) for short, long in _ESCAPE.findall(text))
    free = (c for c in itertools.chain.from_iterable(_CANDIDATES) if c not in taken)
    chosen = list(itertools.islice(free, len(present)))
    return dict(zip(present, chosen, strict=True)) if len(chosen) == len(present) else {}


def _put_back(
    doc: Document, problems: list[Problem], table: dict[int, int]
) -> tuple[Document, list[Problem]]:
    """The document and problems with the stand-ins of `_stand_ins` translated back by `table`."""

    def path_back(path: DataPath) -> DataPath:
        return tuple(p.translate(table) if isinstance(p, str) else p for p in path)

    doc.data = _translated(doc.data, table)
    doc.values = {path_back(p): pos for p, pos in doc.values.items()}
    doc.keys = {path_back(p): pos for p, pos in doc.keys.items()}
    return doc, [
        p.replace(path=p.path.translate(table), message=p.message.translate(table))
        for p in problems
    ]


def _translated(data: Any, table: dict[int, int]) -> Any:
    if isinstance(data, str):
        return data.translate(table)
    if isinstance(data, dict):
        return {key.translate(table): _translated(value, table) for key, value in data.items()}
    if isinstance(data, list):
        return [_translated(value, table) for value in data]
    return data


# What an escape in a double-quoted scalar can write but no output can hold (XML forbids them,
# a terminal acts on them): the C0 controls but tab, line feed and carriage return, DEL, the
# C1 controls, and the noncharacters U+FFFE and U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _control_characters(data: Any, path: DataPath = ()) -> Iterator[tuple[DataPath, bool, str]]:
    """(path, is a key, character) for each key and text holding a control character."""
    if isinstance(data, str):
        found = _CONTROL.search(data)
        if found:
            yield path, False, found.group()
    elif isinstance(data, dict):
        for key, value in data.items():
            child = (*path, key)
            found = _CONTROL.search(key)
            if found:
                yield child, True, found.group()
            yield from _control_characters(value, child)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _control_characters(value, (*path, index))


def load_file(
    path: Path, display: str | None = None, *, defer_positions: bool = False
) -> tuple[Document, list[Problem]]:
    """Read and load one file, reporting size and encoding problems instead of raising."""
    shown = display if display is not None else display_name(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Document(path=path, data=None), [too_large(shown, size)]
        raw = path.read_bytes()
    except OSError as exc:
        unreadable = problem(
            "file-unreadable", shown, f"cannot read the file: {exc.strerror or exc}"
        )
        return Document(path=path, data=None), [unreadable]
    return load_bytes(raw, path, shown, defer_positions=defer_positions)


def too_large(shown: str, size: int) -> Problem:
    """The problem of a file of `size` bytes, over MAX_FILE_BYTES: it is not read."""
    return problem(
        "file-too-large",
        shown,
        f"the file is {size:,} bytes; a plan file may be at most {MAX_FILE_BYTES:,}",
    )


def load_bytes(
    raw: bytes, path: Path, display: str, *, defer_positions: bool = False
) -> tuple[Document, list[Problem]]:
    """Load a file's bytes, read from the disk or from elsewhere (a git revision) alike."""
    text, bad_bytes = _decode(raw, display)
    if text is None:
        return Document(path=path, data=None), [bad_bytes] if bad_bytes else []
    return load_text(text, path, display, defer_positions=defer_positions)
