"""The load stage: YAML 1.2 scalars, positions, and every hostile input reported, never raised."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import _ruamel_yaml
import pytest

from actionplan import loader
from actionplan.loader import Document, Position, load_file, load_text, resolve_plain
from actionplan.problems import Problem


def load(text: str) -> tuple[Document, list[Problem]]:
    return load_text(text, Path("t.yaml"), "t.yaml")


def rules(problems: list[Problem]) -> list[str]:
    return [p.rule for p in problems]


def where(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.rule) for p in problems]


# --- YAML 1.2 core schema --------------------------------------------------------------------


@pytest.mark.parametrize(
    "plain",
    ["no", "yes", "NO", "Yes", "on", "off", "y", "n", "Off", "YES"],
)
def test_yaml_11_booleans_stay_strings(plain: str) -> None:
    doc, problems = load(f"a: {plain}\n")
    assert problems == []
    assert doc.data == {"a": plain}


@pytest.mark.parametrize(
    "plain",
    ["2024-01-31", "2024-1-5", "2024-01-31T10:00:00Z", "12:30", "1_000", "0b101", "1.0.0", "0x"],
)
def test_dates_and_yaml_11_numbers_stay_strings(plain: str) -> None:
    doc, _ = load(f"a: {plain}\n")
    assert doc.data == {"a": plain}


@pytest.mark.parametrize(
    ("plain", "value"),
    [
        ("12", 12),
        ("-3", -3),
        ("+7", 7),
        ("012", 12),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.5", 1.5),
        ("-.5", -0.5),
        ("1e3", 1000.0),
        ("6.02E+23", 6.02e23),
        (".inf", math.inf),
        ("-.Inf", -math.inf),
        ("true", True),
        ("True", True),
        ("FALSE", False),
        ("~", None),
        ("null", None),
        ("Null", None),
    ],
)
def test_core_schema_scalars(plain: str, value: Any) -> None:
    doc, problems = load(f"a: {plain}\n")
    assert problems == []
    assert doc.data["a"] == value
    assert type(doc.data["a"]) is type(value)


def test_nan_and_empty_values() -> None:
    doc, _ = load("a: .nan\nb:\nc: ''\n")
    assert math.isnan(doc.data["a"])
    assert doc.data["b"] is None
    assert doc.data["c"] == ""


@pytest.mark.parametrize("text", ['a: "12"\n', "a: '12'\n", "a: !!str 12\n", "a: ! 12\n"])
def test_quoted_and_str_tagged_scalars_are_text(text: str) -> None:
    doc, problems = load(text)
    assert problems == []
    assert doc.data == {"a": "12"}


def test_block_scalars_are_text() -> None:
    doc, _ = load("a: |\n  no\n  yes\nb: >-\n  12\n  13\n")
    assert doc.data == {"a": "no\nyes\n", "b": "12 13"}


def test_resolve_plain_directly() -> None:
    assert resolve_plain("") is None
    assert resolve_plain("+.5") == 0.5
    assert resolve_plain(".") == "."
    assert resolve_plain("-") == "-"


# --- positions -------------------------------------------------------------------------------


def test_positions_are_one_based() -> None:
    doc, _ = load(
        "title: x\nperiod:\n  start: 2024-01-01\n  end: 2024-12-31\nlist:\n  - a\n  - b\n"
    )
    assert doc.keys[("title",)] == Position(1, 1)
    assert doc.values[("title",)] == Position(1, 8)
    assert doc.keys[("period", "end")] == Position(4, 3)
    assert doc.values[("period", "end")] == Position(4, 8)
    assert doc.values[("list", 1)] == Position(7, 5)
    assert doc.values[()] == Position(1, 1)


def test_positions_in_flow_style_and_after_crlf() -> None:
    doc, _ = load("# comment\r\na: {b: 1, c: [x, y]}\r\nd: z\r\n")
    assert doc.values[("a", "c", 1)] == Position(2, 18)
    assert doc.keys[("d",)] == Position(3, 1)
    assert doc.data == {"a": {"b": 1, "c": ["x", "y"]}, "d": "z"}


def test_position_lookups_fall_back_to_the_nearest_ancestor() -> None:
    doc, _ = load("a:\n  b: 1\n")
    assert doc.value_position(("a", "missing", 3)) == Position(2, 3)
    assert doc.key_position(("a", "b")) == Position(2, 3)
    assert doc.key_position(("a",)) == Position(1, 1)
    assert Document(Path("x"), None).value_position(("a",)) == Position(1, 1)
    assert Document(Path("x"), None).key_position(()) == Position(1, 1)


# --- problems --------------------------------------------------------------------------------


def test_duplicate_key_at_its_second_occurrence_and_first_value_kept() -> None:
    doc, problems = load("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert where(problems) == [(4, 3, "yaml-duplicate-key"), (5, 1, "yaml-duplicate-key")]
    assert "first given on line 3" in problems[0].message
    assert doc.data == {"a": 1, "b": {"c": 2}}


def test_anchors_and_aliases_are_errors_and_never_expanded() -> None:
    doc, problems = load("a: &x [1, 2]\nb: *x\n")
    assert where(problems) == [(1, 4, "yaml-anchor"), (2, 4, "yaml-alias")]
    assert doc.data == {"a": [1, 2], "b": None}


def test_alias_bomb_returns_quickly_without_expanding() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        prev, cur = chr(ord("a") + n - 1), chr(ord("a") + n)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    started = time.perf_counter()
    doc, problems = load("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 1.0
    assert set(rules(problems)) == {"yaml-anchor", "yaml-alias"}
    assert doc.data["j"] == [None] * 9  # nothing expanded: aliases load as nothing


def test_tags_other_than_str_are_errors() -> None:
    _, problems = load("a: !!int '3'\nb: !custom x\n!!float c: 1\nd: !!binary aGk=\n")
    assert where(problems) == [
        (1, 4, "yaml-tag"),
        (2, 4, "yaml-tag"),
        (3, 1, "yaml-tag"),
        (4, 4, "yaml-tag"),
    ]


def test_complex_keys_are_errors() -> None:
    doc, problems = load("? [a, b]\n: 1\n? {c: d}\n: 2\ne: 3\n")
    assert rules(problems) == ["yaml-complex-key", "yaml-complex-key"]
    assert doc.data == {"e": 3}


def test_multiple_documents() -> None:
    doc, problems = load("a: 1\n---\nb: 2\n---\n- c\n")
    assert where(problems) == [(3, 1, "yaml-multiple-documents"), (5, 1, "yaml-multiple-documents")]
    assert doc.data == {"a": 1}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_files(text: str) -> None:
    doc, problems = load(text)
    assert where(problems) == [(1, 1, "yaml-empty")]
    assert doc.data is None


def test_a_lone_document_marker_is_a_null_document_not_an_error() -> None:
    doc, problems = load("---\n")
    assert problems == []
    assert doc.data is None


def test_syntax_error_at_the_problem_mark() -> None:
    doc, problems = load("a: b\n  c: d\n")
    assert where(problems) == [(2, 4, "yaml-syntax")]
    assert problems[0].message.startswith("YAML syntax error: ")
    assert doc.data is None


def test_tab_indentation_gets_a_hint() -> None:
    _, problems = load("a:\n\tb: 1\n")
    assert where(problems) == [(2, 1, "yaml-syntax")]
    assert "indent with spaces" in problems[0].message


def test_deep_nesting_is_cut_off() -> None:
    _, problems = load("a: " + "[" * 100 + "]" * 100 + "\n")
    assert where(problems) == [(1, 68, "yaml-too-deep")]


def test_very_deep_nesting_returns_quickly() -> None:
    # libyaml's time grows with the square of the flow nesting depth (a million brackets, a
    # file under the size limit, took most of an hour): the loader stops at the first too-deep
    # node instead of reading on.
    started = time.perf_counter()
    doc, problems = load("[" * 1_000_000 + "]" * 1_000_000 + "\n")
    assert time.perf_counter() - started < 1.0
    assert where(problems) == [(1, 66, "yaml-too-deep")]
    assert doc.data is None


def test_too_many_values() -> None:
    text = "a:\n" + "  - x\n" * (loader.MAX_NODES + 10)
    _, problems = load(text)
    assert rules(problems) == ["yaml-too-large"]
    assert problems[0].line == loader.MAX_NODES  # the root and `a` count too


# --- files, bytes and encodings ---------------------------------------------------------------


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (loader.MAX_FILE_BYTES + 1) + b"\n")
    started = time.perf_counter()
    doc, problems = load_file(path, "big.yaml")
    assert time.perf_counter() - started < 1.0
    assert where(problems) == [(1, 1, "file-too-large")]
    assert doc.data is None


def test_non_utf8_byte_is_reported_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("a: 1\nb: ééé\nc: caf".encode() + b"\xe9\n")
    _, problems = load_file(path, "x.yaml")
    assert where(problems) == [(3, 7, "encoding")]
    assert "0xe9" in problems[0].message


def test_utf16_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("a: 1\n".encode("utf-16"))
    _, problems = load_file(path, "x.yaml")
    assert where(problems) == [(1, 1, "encoding")]
    assert "UTF-16" in problems[0].message


def test_nul_byte_is_reported_where_it_is(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\nbb: x\x00y\n")
    _, problems = load_file(path, "x.yaml")
    assert where(problems) == [(2, 6, "encoding")]


def test_bom_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: no\n")
    doc, problems = load_file(path, "x.yaml")
    assert problems == []
    assert doc.data == {"a": "no"}
    assert doc.keys[("a",)] == Position(1, 1)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    doc, problems = load_file(path, "x.yaml")
    assert where(problems) == [(1, 1, "file-unreadable")]
    assert "Permission denied" in problems[0].message
    assert doc.data is None


def test_display_name_is_relative_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    assert loader.display_name(tmp_path / "sub" / "x.yaml") == "sub/x.yaml"
    assert loader.display_name(Path("/elsewhere/x.yaml")) == "/elsewhere/x.yaml"


# --- the C parser ----------------------------------------------------------------------------


def test_the_loader_uses_libyamls_c_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    assert loader._Parser is _ruamel_yaml.CParser
    made: list[object] = []

    class Spy(_ruamel_yaml.CParser):  # type: ignore[misc]
        def __init__(self, stream: object) -> None:
            super().__init__(stream)
            made.append(self)

    monkeypatch.setattr(loader, "_Parser", Spy)
    doc, _ = load("a: 1\n")
    assert doc.data == {"a": 1}
    assert len(made) == 1
