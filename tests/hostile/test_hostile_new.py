"""Hostile input to `actionplan new` and invisible direction controls in plan texts.

Every argument of `new` is checked before anything is written (exit 2, a message, no file);
a plan's years stay within 1900..2999 so its folder is always YYYY-YYYY; bidi controls are an
error in an id (a slug) and a warning in a text, wherever they stand.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from actionplan.cli import main
from actionplan.model import KINDS
from actionplan.model.cocreation import MEETING_ID
from actionplan.model.common import SLUG_PATTERN
from actionplan.model.schemas import schema_for
from actionplan.validate import validate_paths
from actionplan.validate.prose import BIDI_CONTROLS, check_bidi
from helpers import BASE, SCAFFOLD_DATE, epoch_of, run_cli
from helpers import run_main as run

TODAY = SCAFFOLD_DATE
MEMBER = ["new", "member", "lyon", "--name", "Lyon", "--country", "FR", "--languages", "fr,en"]
PLAN = ["new", "plan", "lyon", "--start", "2025-01-01", "--end", "2026-12-31"]
PLAN += ["--term-end", "2026-12-31"]
RLO = "\u202e"


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    } | {p.relative_to(root).as_posix() + "/": b"" for p in root.rglob("*") if p.is_dir()}


@pytest.fixture
def lyon(new_repo: Path) -> Path:
    """A repository with member lyon, its 2025-2026 plan and one commitment, `budget`."""
    for args in (MEMBER, PLAN, ["new", "commitment", "lyon/2025-2026", "budget"]):
        assert main(args) == 0
    return new_repo


# --- every argument of every `new` command ------------------------------------------------------

_CYCLE = "lyon/2025-2026"
_YORK = ["new", "member", "york", "--name", "York", "--country", "GB", "--languages", "en"]
_NEXT = ["new", "plan", "lyon", "--start", "2027-01-01", "--end", "2028-12-31"]
_NEXT += ["--term-end", "2028-12-31"]  # a plan not yet there, so only the argument can fail
_BAD_ARGUMENTS: dict[str, list[str]] = {
    "member id with a newline": ["new", "member", "york\n", *_YORK[3:]],
    "member id with an override": ["new", "member", f"yo{RLO}rk", *_YORK[3:]],
    "member id with a tab": ["new", "member", "york\t", *_YORK[3:]],
    "name on two lines": [*_YORK[:4], "Yo\nrk", *_YORK[5:]],
    "name with an override": [*_YORK[:4], f"York{RLO}", *_YORK[5:]],
    "name with a control": [*_YORK[:4], "York\x1b[2J", *_YORK[5:]],
    "country folded to another": [*_YORK[:6], "ß", *_YORK[7:]],  # "ß".upper() is "SS"
    "country with an override": [*_YORK[:6], f"G{RLO}B", *_YORK[7:]],
    "language with an override": [*_YORK[:8], f"e{RLO}n"],
    "website with a newline": [*_YORK, "--website", "https://york.example/\n"],
    "website with an escape": [*_YORK, "--website", "https://york.example/\x1b[2J"],
    "website with an override": [*_YORK, "--website", f"https://york.example/{RLO}gro"],
    "plan member with a newline": ["new", "plan", "lyon\n", *_NEXT[3:]],
    "plan start with a newline": [*_NEXT[:4], "2027-01-01\n", *_NEXT[5:]],
    "plan start in Arabic-Indic digits": [*_NEXT[:4], "٢٠٢٧-٠١-٠١", *_NEXT[5:]],
    "plan end with a newline": [*_NEXT[:6], "2028-12-31\n", *_NEXT[7:]],
    "plan term end with a newline": [*_NEXT[:8], "2028-12-31\n"],
    "plan title with an override": [*_NEXT, "--title", f"Lyon {RLO}ouvert"],
    "plan title on two lines": [*_NEXT, "--title", "Lyon\nouvert"],
    "plan title of spaces only": [*_NEXT, "--title", "   "],
    "commitment plan with a newline": ["new", "commitment", f"{_CYCLE}\n", "open"],
    "commitment member with a newline": ["new", "commitment", "lyon\n/2025-2026", "open"],
    "commitment cycle in Arabic-Indic digits": ["new", "commitment", "lyon/٢٠٢٥-٢٠٢٦", "open"],
    "commitment id with a newline": ["new", "commitment", _CYCLE, "open\n"],
    "commitment id with an override": ["new", "commitment", _CYCLE, f"op{RLO}en"],
    "commitment id with an isolate": ["new", "commitment", _CYCLE, "open\u2066"],
    "commitment title with an override": ["new", "commitment", _CYCLE, "open", "--title", RLO],
    "commitment title on two lines": ["new", "commitment", _CYCLE, "open", "--title", "a\nb"],
    "commitment start with a newline": [
        *["new", "commitment", _CYCLE, "open", "--start", "2025-02-01\n"],
    ],
    "commitment end with a newline": ["new", "commitment", _CYCLE, "open", "--end", "2026-01-01\n"],
    "progress plan with a newline": ["new", "progress", f"{_CYCLE}\n", "budget"],
    "progress commitment with a newline": ["new", "progress", _CYCLE, "budget\n"],
    "progress commitment with an override": ["new", "progress", _CYCLE, f"bud{RLO}get"],
    "progress milestone with a newline": [
        *["new", "progress", _CYCLE, "budget", "--milestone", "milestone-1\n"],
    ],
    "progress milestone with a mark": [
        *["new", "progress", _CYCLE, "budget", "--milestone", "milestone-1\u200f"],
    ],
}


@pytest.mark.parametrize("args", _BAD_ARGUMENTS.values(), ids=_BAD_ARGUMENTS.keys())
def test_a_bad_argument_is_refused_before_anything_is_written(
    lyon: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(lyon)
    code, out, err = run(args, capsys)
    assert code == 2, out + err
    assert err.startswith("actionplan: ") and "internal error" not in err, err
    assert out == ""
    assert tree(lyon) == before


def test_the_same_commands_with_good_arguments_write_their_files(
    lyon: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """So that each refusal above is the bad argument's doing."""
    for args in (
        _YORK,
        [*_YORK[:2], "york-2", *_YORK[3:], "--website", "https://york.example/"],
        [*_NEXT, "--title", "Lyon ouvert"],
        ["new", "commitment", _CYCLE, "open", "--title", "Open", "--start", "2025-02-01"],
        ["new", "progress", _CYCLE, "budget", "--milestone", "milestone-1"],
    ):
        code, out, err = run(args, capsys)
        assert code == 0, err
        assert out.startswith("wrote ")


def test_the_message_names_the_argument_and_the_character(
    lyon: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["new", "commitment", _CYCLE, "open", "--title", f"a{RLO}b"], capsys)
    assert code == 2
    assert "--title" in err and "U+202E" in err and "RIGHT-TO-LEFT OVERRIDE" in err
    code, _, err = run(["new", "member", "york\n", *_YORK[3:]], capsys)
    assert code == 2
    assert "member id" in err and "\n" not in err.rstrip("\n"), err  # the newline is shown escaped


def test_a_trailing_newline_in_a_slug_gives_no_traceback(lyon: Path) -> None:
    """The real command in its own process: the slug that used to end in an internal error."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch_of(TODAY)}
    for args in (["new", "member", "york\n", *_YORK[3:]], ["new", "commitment", _CYCLE, "x\n"]):
        done = subprocess.run(
            [sys.executable, "-m", "actionplan", *args],
            cwd=lyon,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert not (lyon / "plans" / "york\n").exists()
    assert not (lyon / "plans/lyon/2025-2026/commitments/x\n.yaml").exists()


# --- years ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "term_end"),
    [
        ("0001-01-01", "0001-12-31", "0002-01-01"),
        ("0999-01-01", "0999-12-31", "0999-12-31"),
        ("1899-12-31", "1900-12-31", "1900-12-31"),
        ("2999-01-01", "3000-01-01", "3000-01-01"),
        ("2025-01-01", "2026-12-31", "3000-01-01"),
        ("9999-01-01", "9999-12-31", "9999-12-31"),
    ],
)
def test_new_plan_refuses_years_outside_1900_to_2999(
    lyon: Path, start: str, end: str, term_end: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(lyon / "plans/lyon/2025-2026")
    before = tree(lyon)
    args = ["new", "plan", "lyon", "--start", start, "--end", end, "--term-end", term_end]
    code, out, err = run(args, capsys)
    assert code == 2, out + err
    assert "1900" in err and "2999" in err, err
    assert tree(lyon) == before


def test_new_plan_takes_the_first_and_last_years_of_the_range(
    lyon: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for start, end in (("1900-01-01", "1900-12-31"), ("2999-01-01", "2999-12-31")):
        args = ["new", "plan", "lyon", "--start", start, "--end", end, "--term-end", end]
        code, out, err = run(args, capsys)
        assert code == 0, err
        folder = f"{start[:4]}-{end[:4]}"
        assert out == f"wrote plans/lyon/{folder}/vision.yaml\n"


def test_new_commitment_refuses_a_year_outside_the_range(
    lyon: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["new", "commitment", _CYCLE, "open", "--start", "0025-01-01"]
    code, _, err = run(args, capsys)
    assert code == 2 and "1900" in err, err


def _plan_in(root: Path, folder: str, start: str, end: str) -> Path:
    shutil.copytree(BASE, root)
    plan = root / "plans/sample-city" / folder
    (root / "plans/sample-city/2024-2025").rename(plan)
    vision = plan / "vision.yaml"
    text = vision.read_text(encoding="utf-8")
    text = text.replace("start: 2024-01-01\n  end: 2025-12-31", f"start: {start}\n  end: {end}")
    vision.write_text(text.replace("term_end: 2026-03-31", f"term_end: {end}"), encoding="utf-8")
    return plan


def test_a_plan_in_year_one_is_reported_not_built(tmp_path: Path) -> None:
    """The folder `1-1` that `new` used to write: the validator stops it before the build."""
    _plan_in(tmp_path / "repo", "1-1", "0001-01-01", "0001-12-31")
    result = run_cli(["validate"], tmp_path / "repo")
    assert result.code == 1, result.out + result.err
    assert "internal error" not in result.err
    rules = [line.split("[")[1].split("]")[0] for line in result.lines]
    assert "plan-years" in rules, result.out


def test_a_plan_in_year_one_is_diffed_with_its_problems_noted(tmp_path: Path) -> None:
    """`diff` goes on past the rules' problems: the merged plan's cycle is YYYY-YYYY too."""
    _plan_in(tmp_path / "repo", "1-1", "0001-01-01", "0001-12-31")
    plan = "plans/sample-city/1-1"
    result = run_cli(["diff", plan, plan], tmp_path / "repo")
    assert "internal error" not in result.err, result.err
    assert result.code == 0 and "[plan-years]" in result.err, result.err


def test_a_short_year_folder_is_never_suggested(tmp_path: Path) -> None:
    _plan_in(tmp_path / "repo", "2024-2025", "0999-01-01", "2025-12-31")
    result = run_cli(["validate"], tmp_path / "repo")
    assert result.code == 1
    assert "`999-2025`" not in result.out, result.out
    assert "[plan-years]" in result.out


def test_a_cycle_folder_in_other_digits_is_named_so(tmp_path: Path) -> None:
    plan = _plan_in(tmp_path / "repo", "٢٠٢٤-٢٠٢٥", "2024-01-01", "2025-12-31")
    result = run_cli(["validate", str(plan.parent)], tmp_path / "repo")
    assert result.code == 1
    assert "[cycle-folder]" in result.out and "(a cycle folder is named YYYY-YYYY)" in result.out


# --- bidi controls ------------------------------------------------------------------------------


def _id_fields(node: Any, defs: dict[str, Any], path: str = "$") -> Iterator[tuple[str, Any]]:
    """(path, schema) of every property that names a commitment, a milestone or a file's id."""
    if isinstance(node, dict):
        if "$ref" in node:
            yield from _id_fields(defs[node["$ref"].split("/")[-1]], defs, path)
            return
        for key, sub in node.get("properties", {}).items():
            if key in ("id", "commitment", "milestone"):
                yield f"{path}.{key}", sub
            yield from _id_fields(sub, defs, f"{path}.{key}")
        for key in ("items", "anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []) if key != "items" else [node.get("items")]:
                yield from _id_fields(sub, defs, path)


def _patterns(node: Any, defs: dict[str, Any]) -> list[str | None]:
    if "$ref" in node:
        return _patterns(defs[node["$ref"].split("/")[-1]], defs)
    if node.get("type") == "array":
        return _patterns(node["items"], defs)
    if "anyOf" in node:
        return [
            p for sub in node["anyOf"] if sub.get("type") != "null" for p in _patterns(sub, defs)
        ]
    return [node.get("pattern") if node.get("type") == "string" else "not a string"]


# Ids that are deliberately no plain slug, each still ASCII letters, digits and punctuation only:
# a meeting's starts with its date, a contribution keeps its platform's reference (PAR-PROP-12).
_OTHER_IDS = {
    ("meeting", "$.id"): MEETING_ID,
    ("contributions", "$.items.id"): r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
}


def test_every_id_and_reference_field_is_a_slug() -> None:
    found = []
    for kind in KINDS:
        schema = schema_for(kind)
        for path, sub in _id_fields(schema, schema.get("$defs", {})):
            patterns = _patterns(sub, schema.get("$defs", {}))
            found.append(f"{kind}:{path}")
            expected = _OTHER_IDS.get((kind, path), SLUG_PATTERN)
            assert patterns == [expected], f"{kind} {path}: {patterns}"
    assert len(found) >= 7, found  # member, commitment and milestone ids, four references


_ID_SPOTS = [
    ("member.yaml", "id: sample-city", "id: sample-{c}city"),
    ("2024-2025/commitments/open-contracts.yaml", "id: open-contracts", "id: open-{c}contracts"),
    ("2024-2025/commitments/open-contracts.yaml", "- id: ocds-feed", "- id: ocds{c}-feed"),
    (
        "2024-2025/progress/open-budget.yaml",
        "commitment: open-budget",
        "commitment: open{c}-budget",
    ),
    ("2024-2025/progress/open-budget.yaml", "milestone: portal", "milestone: por{c}tal"),
    (
        "2024-2025/assessments/inception.yaml",
        "commitment: open-budget",
        "commitment: open-bu{c}dget",
    ),
    (
        "2024-2025/assessments/end-of-commitment/open-budget.yaml",
        "commitment: open-budget",
        "commitment: {c}open-budget",
    ),
]


@pytest.mark.parametrize(("file", "old", "new"), _ID_SPOTS, ids=[s[2] for s in _ID_SPOTS])
@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f"], ids=["rlo", "lri", "rlm"])
def test_a_bidi_control_in_an_id_is_an_error_at_the_id(
    repo: Path, file: str, old: str, new: str, char: str
) -> None:
    path = repo / "plans/sample-city" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    column = text.index(old) - text.rfind("\n", 0, text.index(old)) + old.index(":") + 2
    path.write_text(text.replace(old, new.format(c=char), 1), encoding="utf-8")
    result = run_cli(["validate", "--format", "json"], repo)
    assert result.code == 1, result.out
    problems = json.loads(result.out)
    here = [p for p in problems if p["file"].endswith(file) and p["line"] == line]
    assert any(
        p["severity"] == "error" and p["column"] == column and p["rule"].startswith("schema-")
        for p in here
    ), problems
    assert not any(p["rule"] == "bidi-control" for p in problems), problems  # no piling on


def test_every_bidi_control_in_a_text_is_a_warning_naming_it(repo: Path) -> None:
    path = repo / "plans/sample-city/2024-2025/commitments/open-contracts.yaml"
    text = path.read_text(encoding="utf-8")
    chars = sorted(BIDI_CONTROLS)
    assert {*"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"} == set(
        chars
    )
    lines = [f'    - name: "Supplier {i}\\u{ord(c):04x} {c}x"' for i, c in enumerate(chars)]
    text = text.replace("  other: []\n", "  other:\n" + "\n".join(lines) + "\n", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli(["validate", "--format", "json"], repo)
    assert result.code == 0, result.out
    warnings = json.loads(result.out)
    assert [w["rule"] for w in warnings] == ["bidi-control"] * len(chars)
    first = text[: text.index("Supplier 0")].count("\n") + 1
    for offset, (warning, char) in enumerate(zip(warnings, chars, strict=True)):
        assert warning["severity"] == "warning"
        assert (warning["line"], warning["column"]) == (first + offset, 13)
        assert f"U+{ord(char):04X}" in warning["message"]
        assert "direction" in warning["message"]
    strict = run_cli(["validate", "--strict"], repo)
    assert strict.code == 1


@pytest.mark.parametrize("char", sorted(BIDI_CONTROLS), ids=lambda c: f"U+{ord(c):04X}")
def test_each_bidi_control_alone_is_found(repo: Path, char: str) -> None:
    """Each one on its own, in a plain-text field of the member file (which files pass the
    quick check is decided per file)."""
    path = repo / "plans/sample-city/member.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: Ada Martin", f"name: Ada{char} Martin"), encoding="utf-8")
    result = run_cli(["validate"], repo)
    assert result.code == 0
    assert result.lines == [
        f"plans/sample-city/member.yaml:9:9: warning [bidi-control] the text holds "
        f"U+{ord(char):04X} ({unicodedata.name(char)}), an invisible control that changes the "
        "direction of the text around it; the documents set each text's direction from its "
        "language themselves, so remove it"
    ]


def test_a_plain_backslash_u_is_not_a_bidi_control(repo: Path) -> None:
    """Text that merely mentions the escape, as plain text or an escaped backslash."""
    path = repo / "plans/sample-city/2024-2025/commitments/open-contracts.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Publish every public contract.", "Publish \\u202e and \\\\u2066.", 1)
    path.write_text(text, encoding="utf-8")
    result = run_cli(["validate", "--strict"], repo)
    assert result.code == 0, result.out


def test_the_bidi_scan_keeps_validation_fast(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many texts, none with a control: the scan must not cost more than loading them."""
    path = repo / "plans/sample-city/2024-2025/commitments/open-contracts.yaml"
    text = path.read_text(encoding="utf-8")
    many = "".join(f"    - name: Supplier number {i} of the city\n" for i in range(20000))
    path.write_text(text.replace("  other: []\n", "  other:\n" + many, 1), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(TODAY))
    started = time.perf_counter()
    result = validate_paths([repo / "plans"])
    elapsed = time.perf_counter() - started
    # (the list may be over the size limits: the scan reads the data whatever its schema says)
    assert not any(p.rule == "bidi-control" for p in result.problems)
    started = time.perf_counter()
    for plan in result.plans:
        assert list(check_bidi(plan)) == []
    scan = time.perf_counter() - started
    assert scan < max(0.05, elapsed / 10), (scan, elapsed)
