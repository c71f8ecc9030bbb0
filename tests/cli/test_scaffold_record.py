"""`actionplan new forum|roadmap|meeting|contributions`: the co-creation record's files, each
valid as written, in the member's languages, never over an existing file."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from actionplan.loader import load_file
from actionplan.model import Forum, Meeting, Roadmap
from actionplan.model.cocreation import PHASES
from helpers import run_main as run

MEMBER = ["new", "member", "lyon", "--name", "Lyon", "--country", "FR", "--languages", "fr,en"]
PLAN = ["new", "plan", "lyon", "--start", "2025-01-01", "--end", "2026-12-31"]
PLAN += ["--term-end", "2026-12-31"]
CYCLE = "lyon/2025-2026"
PLAN_DIR = "plans/lyon/2025-2026"
FORUM = ["new", "forum", "lyon"]
ROADMAP = ["new", "roadmap", CYCLE]
MEETING = ["new", "meeting", CYCLE, "--date", "2024-10-15", "--slug", "forum-lancement"]
MEETING_FILE = f"{PLAN_DIR}/meetings/2024-10-15-forum-lancement.yaml"
CONTRIBUTIONS = [
    "new",
    "contributions",
    CYCLE,
    "atelier",
    "--meeting",
    "2024-10-15-forum-lancement",
]
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


@pytest.fixture
def lyon(new_repo: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    for args in (MEMBER, PLAN):
        assert run(args, capsys)[0] == 0
    return new_repo


def data_of(path: Path) -> dict[str, object]:
    doc, problems = load_file(path)
    assert not problems and isinstance(doc.data, dict)
    return doc.data


def assert_valid(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["validate", "--strict", "plans"], capsys)
    assert (code, out) == (0, ""), out + err


def assert_schema_line(path: Path, kind: str) -> None:
    match = SCHEMA_LINE.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match and match[1].endswith(f"/schemas/{kind}.schema.json"), path
    assert (path.parent / match[1]).resolve().is_file()


def test_each_record_file_validates_as_written(
    lyon: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args, target, kind in (
        (FORUM, "plans/lyon/forum.yaml", "forum"),
        (ROADMAP, f"{PLAN_DIR}/roadmap.yaml", "roadmap"),
        (MEETING, MEETING_FILE, "meeting"),
        (CONTRIBUTIONS, f"{PLAN_DIR}/contributions/atelier.yaml", "contributions"),
    ):
        code, out, err = run(args, capsys)
        assert code == 0, err
        assert out == f"wrote {target}\n"
        assert_schema_line(lyon / target, kind)
        assert_valid(capsys)
    forum = Forum.model_validate(data_of(lyon / "plans/lyon/forum.yaml"))
    assert {m.sector for m in forum.members} == {"government", "civil-society"}
    assert isinstance(forum.name, dict) and sorted(forum.name) == ["en", "fr"]
    contributions = data_of(lyon / f"{PLAN_DIR}/contributions/atelier.yaml")
    assert contributions["channel"] == "meeting" and contributions["items"] == []
    assert contributions["meeting"] == "2024-10-15-forum-lancement"


def test_the_roadmap_has_one_activity_per_phase_before_and_during_the_plan(
    lyon: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(ROADMAP, capsys)[0] == 0
    roadmap = Roadmap.model_validate(data_of(lyon / f"{PLAN_DIR}/roadmap.yaml"))
    assert [a.phase for a in roadmap.activities] == list(PHASES)
    assert str(roadmap.target_submission) == "2024-12-31"
    co_creation = roadmap.activities[:4]
    assert all(a.end < roadmap.activities[4].start for a in co_creation)
    assert all(a.end < b.start for a, b in itertools.pairwise(co_creation))
    assert roadmap.activities[-1].end == roadmap.activities[4].end


@pytest.mark.parametrize(
    ("day", "phase"),
    [("2024-10-01", "draft"), ("2025-06-01", "implement"), ("2027-02-01", "learn")],
)
def test_a_meetings_phase_follows_the_plans_period(
    lyon: Path, day: str, phase: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["new", "meeting", CYCLE, "--date", day, "--slug", "forum"], capsys)
    assert code == 0, err
    meeting = Meeting.model_validate(data_of(lyon / f"{PLAN_DIR}/meetings/{day}-forum.yaml"))
    assert (meeting.id, str(meeting.date), meeting.phase) == (f"{day}-forum", day, phase)
    assert (meeting.kind, meeting.format) == ("forum", "in-person")


def test_a_meetings_phase_follows_the_roadmap_and_the_options(
    lyon: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(ROADMAP, capsys)[0] == 0
    assert run(MEETING, capsys)[0] == 0  # 2024-10-15: the roadmap's discover phase
    assert data_of(lyon / MEETING_FILE)["phase"] == "discover"
    args = ["new", "meeting", CYCLE, "--date", "2025-02-03", "--slug", "atelier"]
    args += ["--kind", "workshop", "--phase", "draft", "--format", "online"]
    assert run([*args, "--title", "Atelier budget"], capsys)[0] == 0
    data = data_of(lyon / f"{PLAN_DIR}/meetings/2025-02-03-atelier.yaml")
    assert (data["kind"], data["phase"], data["format"]) == ("workshop", "draft", "online")
    assert data["title"] == {"fr": "Atelier budget", "en": "TODO: translate (fr): Atelier budget"}
    assert_valid(capsys)


def test_a_single_language_member_gets_plain_text(
    new_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    york = ["new", "member", "york", "--name", "York", "--country", "GB", "--languages", "en"]
    plan = ["new", "plan", "york", "--start", "2025-01-01", "--end", "2025-12-31"]
    for args in (york, [*plan, "--term-end", "2026-05-01"], ["new", "forum", "york"]):
        assert run(args, capsys)[0] == 0
    text = (new_repo / "plans/york/forum.yaml").read_text(encoding="utf-8")
    assert 'name: "TODO: name of the multi-stakeholder forum"\n' in text
    args = ["new", "contributions", "york/2025-2025", "survey", "--title", "Open York survey"]
    assert run([*args, "--channel", "survey"], capsys)[0] == 0
    data = data_of(new_repo / "plans/york/2025-2025/contributions/survey.yaml")
    assert (data["title"], data["channel"]) == ("Open York survey", "survey")
    assert_valid(capsys)


def test_never_overwrites(lyon: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args, target in (
        (FORUM, "plans/lyon/forum.yaml"),
        (ROADMAP, f"{PLAN_DIR}/roadmap.yaml"),
        (MEETING, MEETING_FILE),
        (CONTRIBUTIONS, f"{PLAN_DIR}/contributions/atelier.yaml"),
    ):
        assert run(args, capsys)[0] == 0
        (lyon / target).write_text("edited by hand\n", encoding="utf-8")
        code, out, err = run(args, capsys)
        assert (code, out) == (2, "") and "already exists" in err
        assert (lyon / target).read_text(encoding="utf-8") == "edited by hand\n"


BAD_INPUT = {
    "forum of an unknown member": (["new", "forum", "nobody"], "no such file"),
    "forum with a bad member id": (["new", "forum", "Lyon!"], "not a valid member id"),
    "roadmap of an unknown plan": (["new", "roadmap", "lyon/2030-2031"], "no such file"),
    "meeting with a bad slug": ([*MEETING[:-1], "Forum_1"], "not a valid meeting slug"),
    "meeting with a bad date": ([*MEETING[:4], "2024-02-30", *MEETING[5:]], "not a date"),
    "meeting in year 3000": ([*MEETING[:4], "3000-01-01", *MEETING[5:]], "1900 to 2999"),
    "meeting of an unknown kind": ([*MEETING, "--kind", "party"], "--kind `party`"),
    "meeting of an unknown phase": ([*MEETING, "--phase", "done"], "--phase `done`"),
    "meeting of an unknown format": ([*MEETING, "--format", "radio"], "--format `radio`"),
    "meeting with a title on two lines": ([*MEETING, "--title", "a\nb"], "control character"),
    "meeting of a plan badly named": (
        ["new", "meeting", "lyon-2025", *MEETING[3:]],
        "MEMBER/CYCLE",
    ),
    "contributions with a bad id": (["new", "contributions", CYCLE, "Atelier"], "consultation id"),
    "contributions at a missing meeting": (CONTRIBUTIONS, "create the meeting first"),
    "contributions at a bad meeting id": (
        [*CONTRIBUTIONS[:-1], "forum-lancement"],
        "not a meeting id",
    ),
    "contributions at a meeting without its id": (
        ["new", "contributions", CYCLE, "atelier", "--channel", "meeting"],
        "needs --meeting",
    ),
    "contributions of an unknown channel": (
        ["new", "contributions", CYCLE, "atelier", "--channel", "fax"],
        "--channel `fax`",
    ),
}


@pytest.mark.parametrize(("args", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_exits_2_and_writes_nothing(
    lyon: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.relative_to(lyon) for p in lyon.rglob("*"))
    code, out, err = run(args, capsys)
    assert (code, out) == (2, "")
    assert message in err, err
    assert sorted(p.relative_to(lyon) for p in lyon.rglob("*")) == before
