"""Hostile YAML against the loader, kept fixed: what an adversarial review found.

- Deep nesting where the loader skips a node (a complex key, a second document, the values
  after the value limit) took time quadratic in the depth in every command that reads plan
  files: a 100 KB file took half a minute, a 1 MB file more than ten.
- U+0085, U+2028 and U+2029 are ordinary characters in YAML 1.2; libyaml took them for line
  breaks (YAML 1.1), which gave false syntax errors and shifted every later line number.
- A tag on a mapping or a list (`!!python/object`) was accepted without a word.
"""

from __future__ import annotations

import shutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

from actionplan import loader
from actionplan.loader import MAX_DEPTH, load_text
from actionplan.problems import Problem
from helpers import BASE, run_cli

PLAN = "plans/sample-city/2024-2025"
TARGET = f"{PLAN}/assessments/final-summary.yaml"
KB = 1024
SIZES = {"100k": 100 * KB, "1M": 1024 * KB}
# A linear pass over a megabyte takes well under a second; the quadratic one took minutes.
SLACK_SECONDS = 5.0


class _TooSlow(BaseException):
    """Raised by the alarm: a BaseException, so that no `except Exception` swallows it."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Abort the block after `seconds`: a quadratic pass would otherwise run for minutes."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _TooSlow(f"still running after {seconds:.1f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timed(seconds: float, action: Callable[[], object]) -> float:
    started = time.perf_counter()
    try:
        with deadline(seconds):
            action()
    except _TooSlow as exc:
        pytest.fail(str(exc))
    return time.perf_counter() - started


def where(problems: list[Problem]) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.rule) for p in problems]


# --- deep nesting: every input is read or refused in time linear in its size -----------------

# The node past the limit stands MAX_DEPTH + 1 levels below the root.
_PAST = MAX_DEPTH + 1
# The tests lower the value limit, so that the values before it do not outweigh the nesting
# after it; one test keeps the real one.
SMALL_LIMIT = 1000


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_NODES", SMALL_LIMIT)


def _shape(name: str, size: int) -> str:
    """About `size` bytes of hostile YAML of the named shape."""
    if name == "flow-list":
        return "a: " + "[" * size
    if name == "block-list":
        return "- " * (size // 2) + "x\n"
    if name == "flow-mapping":
        return "{a: " * (size // 4) + "x" + "}" * (size // 4) + "\n"
    if name == "deep-key":
        return "? " + "[" * (size // 2) + "]" * (size // 2) + "\n: x\n"
    if name == "deep-block-key":
        return "? " + "- " * (size // 2) + "x\n: x\n"
    if name == "second-document":
        return "a: 1\n---\n" + "[" * (size // 2) + "]" * (size // 2) + "\n"
    if name == "second-block-document":
        return "a: 1\n---\n" + "- " * (size // 2) + "x\n"
    if name == "duplicate-key":
        return "a: 1\na: " + "[" * size
    if name == "after-the-limit":
        return "[" + "x," * (loader.MAX_NODES + 1) + "[" * size
    raise AssertionError(name)


def expected(name: str) -> list[tuple[int, int, str]]:
    if name != "after-the-limit":
        return EXPECTED[name]
    # The root list and its first MAX_NODES - 1 items fill the limit; `x,` is two columns.
    return [
        (1, 2 + 2 * (loader.MAX_NODES - 1), "yaml-too-large"),
        (1, 2 + 2 * (loader.MAX_NODES + 1) + MAX_DEPTH, "yaml-too-deep"),
    ]


EXPECTED: dict[str, list[tuple[int, int, str]]] = {
    "flow-list": [(1, 4 + MAX_DEPTH, "yaml-too-deep")],
    "block-list": [(1, 1 + 2 * _PAST, "yaml-too-deep")],
    "flow-mapping": [(1, 1 + 4 * _PAST, "yaml-too-deep")],
    "deep-key": [(1, 3, "yaml-complex-key"), (1, 3 + MAX_DEPTH, "yaml-too-deep")],
    "deep-block-key": [(1, 3, "yaml-complex-key"), (1, 3 + 2 * MAX_DEPTH, "yaml-too-deep")],
    "second-document": [(3, 1, "yaml-multiple-documents"), (3, 1 + _PAST, "yaml-too-deep")],
    "second-block-document": [
        (3, 1, "yaml-multiple-documents"),
        (3, 1 + 2 * _PAST, "yaml-too-deep"),
    ],
    "duplicate-key": [(2, 1, "yaml-duplicate-key"), (2, 4 + MAX_DEPTH, "yaml-too-deep")],
}
SHAPES = [*EXPECTED, "after-the-limit"]


def _baseline(name: str, action: Callable[[str], object]) -> float:
    """How long `action` takes on the shape nested just past the limit: the fixed costs."""
    return timed(60, lambda: action(_shape(name, 4 * _PAST)))


def _load_problems(defer: bool) -> Callable[[str], list[Problem]]:
    def load(text: str) -> list[Problem]:
        return load_text(text, Path("t.yaml"), "t.yaml", defer_positions=defer)[1]

    return load


@pytest.mark.usefixtures("small_limit")
@pytest.mark.parametrize("defer", [False, True], ids=["positions", "deferred"])
@pytest.mark.parametrize("name", SHAPES)
def test_deep_nesting_is_refused_in_linear_time(name: str, defer: bool) -> None:
    load = _load_problems(defer)
    assert where(load(_shape(name, 4 * _PAST))) == expected(name)
    bound = SLACK_SECONDS + 20 * _baseline(name, load)
    for size in SIZES.values():
        text = _shape(name, size)
        problems: list[Problem] = []
        timed(bound, lambda: problems.extend(load(text)))  # noqa: B023 - called at once
        assert where(problems) == expected(name)


def test_deep_nesting_after_the_real_value_limit_is_refused_in_linear_time() -> None:
    load = _load_problems(defer=True)
    bound = SLACK_SECONDS + 20 * _baseline("after-the-limit", load)
    problems: list[Problem] = []
    timed(bound, lambda: problems.extend(load(_shape("after-the-limit", SIZES["1M"]))))
    assert where(problems) == expected("after-the-limit")


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the base repository and a copy of its plan outside it, left valid."""
    root = tmp_path_factory.mktemp("hostile")
    repo = Path(shutil.copytree(BASE, root / "repo"))
    old = Path(shutil.copytree(BASE, root / "old")) / PLAN
    return repo, old


def _expected_lines(name: str) -> list[str]:
    return [f"{TARGET}:{line}:{col}: error [{rule}]" for line, col, rule in expected(name)]


def _check_validate(repo: Path, name: str) -> None:
    result = run_cli(["validate"], repo)
    assert result.code == 1, result.out + result.err
    assert [line.split(" ", 3)[:3] for line in result.lines] == [
        line.split(" ") for line in _expected_lines(name)
    ], result.out


def _check_diff(repo: Path, old: Path, name: str) -> None:
    result = run_cli(["diff", str(old), PLAN], repo)
    assert result.code == 2, result.out + result.err
    assert all(line in result.err for line in _expected_lines(name)), result.err


def _check_textconv(repo: Path, name: str) -> None:
    result = run_cli(["textconv", TARGET], repo)
    assert result.code == 0, result.err
    assert result.out == (repo / TARGET).read_text(encoding="utf-8")  # shown as it is


@pytest.mark.usefixtures("small_limit")
@pytest.mark.parametrize("command", ["validate", "diff", "textconv"])
@pytest.mark.parametrize("name", SHAPES)
def test_commands_refuse_deep_nesting_in_linear_time(
    repos: tuple[Path, Path], name: str, command: str
) -> None:
    repo, old = repos
    target = repo / TARGET
    original = target.read_text(encoding="utf-8")

    def run(text: str) -> None:
        target.write_text(text, encoding="utf-8")
        if command == "validate":
            _check_validate(repo, name)
        elif command == "diff":
            _check_diff(repo, old, name)
        else:
            _check_textconv(repo, name)

    try:
        bound = SLACK_SECONDS + 20 * _baseline(name, run)
        for size in SIZES.values():
            timed(bound, lambda: run(_shape(name, size)))  # noqa: B023 - called at once
    finally:
        target.write_text(original, encoding="utf-8")


# --- U+0085, U+2028, U+2029: text in YAML 1.2, not line breaks ----------------------------------

SEPARATORS = {"NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}
LATER_ERROR = "b: 1\nc: d: e\n"  # a syntax error on the line after the one under test


def _load(text: str) -> tuple[object, list[tuple[int, int, str]]]:
    doc, problems = load_text(text, Path("t.yaml"), "t.yaml")
    return doc.data, where(problems)


@pytest.mark.parametrize("char", SEPARATORS.values(), ids=SEPARATORS.keys())
@pytest.mark.parametrize(
    ("template", "value"),
    [
        ("a: x{c}y\n", "x{c}y"),
        ("a: {c}x {c}\n", "{c}x {c}"),
        ("a: 'x{c}y'\n", "x{c}y"),
        ('a: "x{c}y"\n', "x{c}y"),
        ("a: |\n  x{c}y\n", "x{c}y\n"),
        ("a: >\n  x{c}\n  y\n", "x{c} y\n"),
        ("a: [x{c}y]\n", ["x{c}y"]),
        ("# x{c}y: z\na: 1\n", 1),
    ],
    ids=["plain", "plain-edges", "single", "double", "literal", "folded", "flow", "comment"],
)
def test_yaml_11_line_breaks_are_text(template: str, value: object, char: str) -> None:
    text = template.replace("{c}", char)
    expected = [v.replace("{c}", char) for v in value] if isinstance(value, list) else value
    if isinstance(expected, str):
        expected = expected.replace("{c}", char)
    assert _load(text) == ({"a": expected}, [])
    lines = text.count("\n")
    _, problems = _load(text + LATER_ERROR)
    assert problems == [(lines + 2, 5, "yaml-syntax")]


@pytest.mark.parametrize("char", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_yaml_11_line_breaks_in_keys_and_positions(char: str) -> None:
    doc, problems = load_text(f"k{char}ey: 1\nb: [x{char}, y]\nb: 2\n", Path("t.yaml"), "t.yaml")
    assert where(problems) == [(3, 1, "yaml-duplicate-key")]
    assert doc.data == {f"k{char}ey": 1, "b": [f"x{char}", "y"]}
    assert doc.value_position(("b", 1)).line == 2
    assert doc.key_position((f"k{char}ey",)).line == 1
    assert doc.value_position(("b", 1)).column == 9


def test_stand_ins_for_the_separators_never_take_a_real_characters_place() -> None:
    # Whatever characters stand in for the separators while libyaml reads, neither the
    # characters of the file nor those its escapes write are turned into separators.
    private = "".join(chr(c) for c in range(0xE000, 0xE010))
    escapes = "".join(f"\\u{c:04X}" for c in range(0xE010, 0xE020))
    text = f'a: "\u2028{private}{escapes}"\n'
    data, problems = _load(text)
    assert problems == []
    written = "".join(chr(c) for c in range(0xE010, 0xE020))
    assert data == {"a": f"\u2028{private}{written}"}


def test_an_escaped_nel_is_still_a_control_character_a_written_one_is_text() -> None:
    data, problems = _load('a: "x\\Ny"\nb: x\x85y\n')
    assert problems == [(1, 4, "control-character")]
    assert data == {"a": "x\x85y", "b": "x\x85y"}


@pytest.mark.parametrize("char", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_validate_reports_after_a_separator_at_the_right_line(repo: Path, char: str) -> None:
    target = repo / TARGET
    text = target.read_text(encoding="utf-8")
    text = text.replace("recommendations:", f"# a note{char}on two lines\nrecommendations:", 1)
    target.write_text(text, encoding="utf-8")
    assert run_cli(["validate"], repo).code == 0
    target.write_text(text + "extra: 1\n", encoding="utf-8")
    result = run_cli(["validate"], repo)
    line = text.count("\n") + 1
    assert result.lines[0].startswith(f"{TARGET}:{line}:1: error [schema-unknown-key]"), result.out


# --- tags on mappings and lists ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!python/object\n  b: 1\n", [(1, 4, "yaml-tag")]),
        ("a: !!python/object:os.system {b: 1}\n", [(1, 4, "yaml-tag")]),
        ("a:\n  - !!set {x: 1}\n  - !custom [1]\n", [(2, 5, "yaml-tag"), (3, 5, "yaml-tag")]),
        ("!!omap\n- a: 1\n", [(1, 1, "yaml-tag")]),
        ("--- !!map\na: 1\n", [(1, 5, "yaml-tag")]),
        ("a: !!seq [1]\n", [(1, 4, "yaml-tag")]),
        ("a: !<tag:example.com,2000:x> []\n", [(1, 4, "yaml-tag")]),
    ],
)
def test_tags_on_mappings_and_lists_are_errors(text: str, expected: list[object]) -> None:
    for defer in (False, True):
        _, problems = load_text(text, Path("t.yaml"), "t.yaml", defer_positions=defer)
        assert where(problems) == expected
        assert all("is not allowed" in p.message for p in problems)


def test_a_tag_on_a_list_is_reported_by_validate(repo: Path) -> None:
    target = repo / TARGET
    text = target.read_text(encoding="utf-8").replace("lessons:\n", "lessons: !!python/tuple\n")
    target.write_text(text, encoding="utf-8")
    result = run_cli(["validate"], repo)
    assert result.code == 1
    assert result.lines == [
        f"{TARGET}:5:10: error [yaml-tag] the tag `tag:yaml.org,2002:python/tuple` is not "
        + result.lines[0].split(" is not ", 1)[1]
    ], result.out


# --- an anchor on a key ---------------------------------------------------------------------------


def test_an_anchor_on_a_key_is_an_anchor_and_the_key_is_kept() -> None:
    data, problems = _load("&k a: 1\nb: 2\n")
    assert problems == [(1, 1, "yaml-anchor")]
    assert data == {"a": 1, "b": 2}
