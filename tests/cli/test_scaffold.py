"""`actionplan new`: every file it writes validates, names its schema, and nothing is clobbered."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run_main as run

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(?P<ref>\S+)$")

MEMBER = ["new", "member", "lyon", "--name", "Lyon", "--country", "FR", "--languages", "fr,en"]
PLAN = ["new", "plan", "lyon", "--start", "2025-01-01", "--end", "2026-12-31"]
PLAN += ["--term-end", "2026-12-31"]
COMMITMENT = ["new", "commitment", "lyon/2025-2026", "budget-ouvert"]
PROGRESS = ["new", "progress", "lyon/2025-2026", "budget-ouvert"]

MEMBER_FILE = "plans/lyon/member.yaml"
VISION_FILE = "plans/lyon/2025-2026/vision.yaml"
COMMITMENT_FILE = "plans/lyon/2025-2026/commitments/budget-ouvert.yaml"
PROGRESS_FILE = "plans/lyon/2025-2026/progress/budget-ouvert.yaml"


def wrote(out: str) -> list[str]:
    return [line.removeprefix("wrote ") for line in out.splitlines()]


def assert_schema_line(path: Path, kind: str) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{path}: first line is {first!r}"
    ref = match["ref"]
    assert not Path(ref).is_absolute() and ref.endswith(f"/schemas/{kind}.schema.json")
    assert (path.parent / ref).resolve().is_file(), f"{path}: {ref} does not resolve"


def assert_validates(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["validate", "--strict", path], capsys)
    assert code == 0, out + err
    assert out == ""


def test_member_plan_commitment_progress(
    new_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args, target, kind in (
        (MEMBER, MEMBER_FILE, "member"),
        (PLAN, VISION_FILE, "vision"),
        (COMMITMENT, COMMITMENT_FILE, "commitment"),
        (PROGRESS, PROGRESS_FILE, "progress"),
    ):
        code, out, err = run(args, capsys)
        assert code == 0, err
        assert wrote(out) == [target], out
        assert_schema_line(new_repo / target, kind)
        assert_validates(target, capsys)
    # the whole plan validates, warnings included (every language has its placeholder)
    code, out, err = run(["validate", "--strict", "plans"], capsys)
    assert (code, out) == (0, ""), out + err

    member = (new_repo / MEMBER_FILE).read_text(encoding="utf-8")
    assert "  fr: Lyon\n  en: Lyon\n" in member
    commitment = (new_repo / COMMITMENT_FILE).read_text(encoding="utf-8")
    assert '  fr: "TODO: ' in commitment and '  en: "TODO: ' in commitment
    assert "transparency:" in commitment
    assert commitment.count("start: 2025-01-01") == 2  # the commitment and its one milestone
    progress = (new_repo / PROGRESS_FILE).read_text(encoding="utf-8")
    assert "date: 2025-03-15" in progress  # SOURCE_DATE_EPOCH is today
    assert "status: not-started" in progress
    assert "milestone: milestone-1" in progress


def test_single_language_member_gets_plain_text(
    new_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["new", "member", "york", "--name", "York", "--country", "gb", "--languages", "en"]
    assert run(args, capsys)[0] == 0
    text = (new_repo / "plans/york/member.yaml").read_text(encoding="utf-8")
    assert "name: York\n" in text and "country: GB\n" in text
    args = ["new", "plan", "york", "--start", "2025-01-01", "--end", "2025-12-31"]
    assert run([*args, "--term-end", "2026-05-01", "--title", "Open York"], capsys)[0] == 0
    vision = (new_repo / "plans/york/2025-2025/vision.yaml").read_text(encoding="utf-8")
    assert "title: Open York\n" in vision
    assert 'challenges: "TODO: ' in vision
    assert_validates("plans", capsys)


def test_without_schemas_folder_the_schema_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "elsewhere"
    root.mkdir()
    code, out, err = run([*MEMBER, "--root", str(root)], capsys)
    assert code == 0, err
    member = root / MEMBER_FILE
    assert_schema_line(member, "member")
    assert (root / "schemas/member.schema.json").is_file()
    assert len(wrote(out)) == 2
    monkeypatch.chdir(root)
    assert_validates("plans", capsys)


def test_never_overwrites(new_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(MEMBER, capsys)[0] == 0
    before = (new_repo / MEMBER_FILE).read_bytes()
    code, out, err = run(MEMBER, capsys)
    assert code == 2 and out == ""
    assert "already exists" in err
    assert (new_repo / MEMBER_FILE).read_bytes() == before
    assert run(PLAN, capsys)[0] == 0
    assert run(COMMITMENT, capsys)[0] == 0
    (new_repo / COMMITMENT_FILE).write_text("edited by hand\n", encoding="utf-8")
    assert run(COMMITMENT, capsys)[0] == 2
    assert (new_repo / COMMITMENT_FILE).read_text(encoding="utf-8") == "edited by hand\n"


DATES = ["--start", "2025-01-01", "--end", "2025-12-31", "--term-end", "2026-01-01"]
BAD_INPUT = {
    "member-slug": ["new", "member", "Bad_Slug", "--name", "X", "--country", "FR"],
    "member-country": ["new", "member", "ok", "--name", "X", "--country", "XX"],
    "member-language": ["new", "member", "ok", "--name", "X", "--country", "FR", "--languages=zz"],
    "plan-unknown-member": ["new", "plan", "nobody", *DATES],
    "plan-slug": ["new", "plan", "Lyon!", *DATES],
    "commitment-unknown-plan": ["new", "commitment", "nobody/2025-2026", "x"],
    "commitment-plan-name": ["new", "commitment", "lyon-2025", "x"],
    "progress-unknown-plan": ["new", "progress", "nobody/2025-2026", "x"],
}


@pytest.mark.parametrize("args", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_exits_2_and_writes_nothing(
    new_repo: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    if args[1] == "member" and not any(a.startswith("--languages") for a in args):
        args = [*args, "--languages", "fr"]
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert err.strip(), "a message says what is wrong"
    assert sorted(p.name for p in (new_repo / "plans").iterdir()) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--start", "2025-02-30"], "not a date"),
        (["--start", "2025-1-1"], "not a date"),
        (["--end", "2024-12-31"], "before"),
        (["--term-end", "2026-06-30"], "term ends"),
    ],
)
def test_bad_plan_dates(
    new_repo: Path, extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(MEMBER, capsys)[0] == 0
    args = ["new", "plan", "lyon", "--start", "2025-01-01", "--end", "2026-12-31"]
    args += ["--term-end", "2026-12-31"]
    for option, value in zip(extra[::2], extra[1::2], strict=True):
        args[args.index(option) + 1] = value
    code, out, err = run(args, capsys)
    assert code == 2 and out == "" and message in err
    assert sorted(p.name for p in (new_repo / "plans/lyon").iterdir()) == ["member.yaml"]


def test_commitment_checks(new_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(MEMBER, capsys)[0] == 0
    assert run(PLAN, capsys)[0] == 0
    code, _, err = run([*COMMITMENT, "--start", "2024-06-01"], capsys)
    assert code == 2 and "within the plan" in err
    code, _, err = run(["new", "commitment", "lyon/2025-2026", "Budget"], capsys)
    assert code == 2 and "not a valid commitment id" in err
    for n in range(5):
        assert run(["new", "commitment", "lyon/2025-2026", f"c{n}"], capsys)[0] == 0
    code, out, err = run(COMMITMENT, capsys)
    assert code == 2 and out == "" and "being implemented" in err
    assert not (new_repo / COMMITMENT_FILE).exists()
    assert_validates("plans", capsys)


def test_progress_checks(new_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (MEMBER, PLAN, COMMITMENT):
        assert run(args, capsys)[0] == 0
    code, _, err = run([*PROGRESS, "--milestone", "m9"], capsys)
    assert code == 2 and "milestone-1" in err
    code, _, err = run(["new", "progress", "lyon/2025-2026", "unknown"], capsys)
    assert code == 2 and "no such file" in err
    assert not (new_repo / "plans/lyon/2025-2026/progress").exists()


def test_a_member_that_does_not_validate_is_named(
    new_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(MEMBER, capsys)[0] == 0
    path = new_repo / MEMBER_FILE
    path.write_text(path.read_text(encoding="utf-8") + "typo: 1\n", encoding="utf-8")
    code, out, err = run(PLAN, capsys)
    assert code == 2 and out == ""
    assert MEMBER_FILE in err and "does not validate" in err


def test_a_file_that_fails_validation_is_taken_back(
    new_repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from actionplan import validate
    from actionplan.problems import Problem, Severity

    def failing(paths: list[Path], **_: object) -> validate.Result:
        problem = Problem(str(paths[0]), 1, 1, Severity.ERROR, "test", "$", "made to fail")
        return validate.Result([problem], [])

    monkeypatch.setattr(validate, "validate_paths", failing)
    code, out, err = run(MEMBER, capsys)
    assert code == 1 and out == ""
    assert "made to fail" in err and "nothing was written" in err
    assert list((new_repo / "plans").iterdir()) == []
    assert not list(new_repo.rglob("*.tmp"))


def test_console_script(new_repo: Path) -> None:
    """The installed command, end to end, as a team member would run it."""
    command = [sys.executable, "-m", "actionplan"]
    for args in (MEMBER, PLAN, COMMITMENT, PROGRESS, ["validate", "--strict"]):
        done = subprocess.run([*command, *args], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
