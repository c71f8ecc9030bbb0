"""Helpers shared by the tests: case folders merged over the base repository, the CLI in-process,
the example plans validated and merged, golden files, copies of this repository to change.

A case folder (`tests/cases/valid/<case>/` or `tests/cases/invalid/<case>/`) overlays the
complete valid repository of `tests/cases/base/`:

- files under the case's `plans/` (and `locales/`, label catalogues) replace or add files of
  the base;
- `delete.txt` lists paths (relative to the repository root) to remove, files or folders;
- `expected.txt` lists, one a line, the problems the case must report, each written
  `FILE:LINE:COL: SEVERITY [RULE]`, optionally followed by the start of the message
  (` ... ` stands for any text); lines starting with `#` are comments;
- `case.txt` holds options, one a line:
  `strict` (warnings only: exit 0 without --strict, 1 with it),
  `partial` (other problems may be reported besides the expected ones),
  `build-date YYYY-MM-DD` (SOURCE_DATE_EPOCH; default 2026-01-01),
  `append FILE COUNT TEXT` (append the line TEXT COUNT times to FILE, for big inputs).

Run `python tests/helpers.py tests/cases/invalid/<case>` to see what a case reports.

Golden files (`tests/golden/<name>`) hold outputs compared byte for byte: `check_golden` is the
one comparison, and `UPDATE_GOLDEN=1` rewrites them after a deliberate change (read the
difference before committing it). Fixtures live in `conftest.py`; this module holds plain
functions and constants, so that no test module imports another.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from actionplan.cli import main
from actionplan.merge import Plan, merge
from actionplan.validate import validate_paths
from actionplan.validate.files import discover

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
GOLDEN = TESTS / "golden"
CASES = TESTS / "cases"
BASE = CASES / "base"
DEFAULT_BUILD_DATE = dt.date(2026, 1, 1)
# the day the `actionplan new` tests write their files on (conftest's new_repo)
SCAFFOLD_DATE = dt.date(2025, 3, 15)
BASE_PLAN = BASE / "plans" / "sample-city" / "2024-2025"
GOLDEN_PLAN = ROOT / "plans" / "paris" / "2021-2023"
PREFIX = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning) "
    r"\[(?P<rule>[a-z0-9-]+)\]"
)


def epoch_of(day: dt.date) -> str:
    """SOURCE_DATE_EPOCH for midnight UTC of `day`."""
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))


EPOCH = epoch_of(DEFAULT_BUILD_DATE)


def plan_dirs() -> list[Path]:
    """Every plan under plans/ and the base plan of the test cases."""
    found = [BASE_PLAN]
    if (ROOT / "plans").is_dir():
        found += [f.cycle_dir for f in discover(ROOT / "plans") if f.cycle_dir is not None]
    return found


PLAN_DIRS = plan_dirs()
PLAN_DIR_IDS = [f"{p.parent.name}/{p.name}" for p in PLAN_DIRS]


def load_merged(cycle_dir: Path, today: dt.date = DEFAULT_BUILD_DATE) -> Plan:
    """Validate one plan folder (it must be valid) and merge it, as it stood on `today`: an
    assessment dated after that day (`assessment-date`) was not written yet, so it is left out
    (Scotland's final summary, 2026-02-20, on the tests' new year's day)."""
    result = validate_paths([cycle_dir], today=today)
    (loaded,) = result.plans
    later = {p.file for p in result.problems if p.rule == "assessment-date"}
    errors = [p for p in result.problems if p.severity == "error" and p.file not in later]
    assert errors == [], errors
    if loaded.inception and loaded.inception.display in later:
        loaded.inception = None
    if loaded.final_summary and loaded.final_summary.display in later:
        loaded.final_summary = None
    loaded.end_of_commitment = [s for s in loaded.end_of_commitment if s.display not in later]
    return merge(loaded, today=today)


def as_of(cycle_dir: Path, tmp: Path, day: dt.date) -> Path:
    """A copy of a plan (its member folder) as it stood on `day`: the assessments dated after
    it and the meetings held after it were not written yet, so they are left out (the build's
    rules would reject them). Returns the copy's plan folder."""
    member = Path(shutil.copytree(cycle_dir.parent, tmp / "plans" / cycle_dir.parent.name))
    plan = member / cycle_dir.name
    for path in [*(plan / "assessments").rglob("*.yaml"), *(plan / "meetings").glob("*.yaml")]:
        found = re.search(r"^date: *\"?(\d{4}-\d{2}-\d{2})", path.read_text(encoding="utf-8"), re.M)
        written = found.group(1) if found else path.name[:10]
        if dt.date.fromisoformat(written) > day:
            path.unlink()
    return plan


@dataclass
class Append:
    file: str
    count: int
    text: str


@dataclass
class Case:
    path: Path
    expected: list[str] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)
    strict: bool = False
    partial: bool = False
    build_date: dt.date = DEFAULT_BUILD_DATE
    appends: list[Append] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @classmethod
    def load(cls, path: Path) -> Case:
        case = cls(
            path, expected=_lines(path / "expected.txt"), deletions=_lines(path / "delete.txt")
        )
        for line in _lines(path / "case.txt"):
            case.apply_option(line)
        return case

    def apply_option(self, line: str) -> None:
        word, _, rest = line.partition(" ")
        if word == "strict":
            self.strict = True
        elif word == "partial":
            self.partial = True
        elif word == "build-date":
            self.build_date = dt.date.fromisoformat(rest.strip())
        elif word == "append":
            file, count, text = rest.split(" ", 2)
            self.appends.append(Append(file, int(count), text))
        else:
            raise ValueError(f"{self.path}/case.txt: unknown option {line!r}")


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def case_dirs(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def build_repo(case: Case, dest: Path) -> Path:
    """Copy the base repository to `dest`, then overlay the case; returns `dest`."""
    shutil.copytree(BASE, dest)
    for folder in ("plans", "locales"):  # the plans, the repository's own label catalogues
        overlay = case.path / folder
        if overlay.is_dir():
            shutil.copytree(overlay, dest / folder, dirs_exist_ok=True)
    for relative in case.deletions:
        target = dest / relative
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    for append in case.appends:
        with (dest / append.file).open("a", encoding="utf-8") as handle:
            handle.write((append.text + "\n") * append.count)
    return dest


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


def run_cli(args: list[str], cwd: Path, build_date: dt.date | None = DEFAULT_BUILD_DATE) -> Run:
    """Run `actionplan ARGS` in-process in `cwd`, with SOURCE_DATE_EPOCH set to `build_date`."""
    out, err = io.StringIO(), io.StringIO()
    old_cwd, old_epoch = os.getcwd(), os.environ.get("SOURCE_DATE_EPOCH")
    try:
        os.chdir(cwd)
        if build_date is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch_of(build_date)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as exc:  # argparse exits on bad arguments
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None) * 2
    finally:
        os.chdir(old_cwd)
        if old_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_epoch
    return Run(int(code), out.getvalue(), err.getvalue())


def copy_example_plan(dest: Path, plan: str, *folders: str) -> Path:
    """Copy one example plan (`member/cycle`) with its member file into `dest`, with `folders`
    of this repository (`schemas`, `templates`) beside plans/; returns `dest`."""
    member = plan.split("/")[0]
    (dest / "plans" / member).mkdir(parents=True)
    shutil.copy(ROOT / "plans" / member / "member.yaml", dest / "plans" / member / "member.yaml")
    shutil.copytree(ROOT / "plans" / plan, dest / "plans" / plan)
    for name in folders:
        shutil.copytree(ROOT / name, dest / name)
    return dest


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file at `path` with `new`; `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def matches(line: str, expected: str) -> bool:
    """True when `line` starts with `expected`; ` ... ` in `expected` stands for any text."""
    first, *rest = expected.split(" ... ")
    return line.startswith(first) and all(part in line for part in rest)


def prefixes(lines: list[str]) -> list[str]:
    """The `FILE:LINE:COL: SEVERITY [RULE]` part of each report line (or the line itself)."""
    return [m.group(0) if (m := PREFIX.match(line)) else line for line in lines]


def check_golden(name: str, text: str) -> None:
    """Compare `text` with tests/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead.

    A golden file that does not exist yet is written and the test fails: a new golden output is
    read by someone before it is trusted.
    """
    path = GOLDEN / name
    update = bool(os.environ.get("UPDATE_GOLDEN"))
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        if not update:
            pytest.fail(f"{path} did not exist and was written: check it, then run again")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from its golden file; if the change is intended, run its test "
        "with UPDATE_GOLDEN=1"
    )


def _show(case_dir: Path) -> None:
    case = Case.load(case_dir)
    with tempfile.TemporaryDirectory() as tmp:
        repo = build_repo(case, Path(tmp) / "repo")
        result = run_cli(["validate"], repo, case.build_date)
    print(result.out, end="")
    print(f"exit {result.code}; {result.err.strip()}")


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        _show(Path(argument))


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`actionplan ARGS` in this process: its exit code, standard output and error."""
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err
