"""`actionplan new plan MEMBER --from PREVIOUS_CYCLE`: the next plan carries the commitments
not complete (ids and text kept, dates to fill), lists the recommendations to answer, validates,
and never writes over a file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from actionplan.loader import load_file
from actionplan.model import Commitment, Vision
from builds import BUILD_EPOCH, doit
from helpers import DEFAULT_BUILD_DATE, ROOT, copy_example_plan, epoch_of
from helpers import run_main as run

PREVIOUS = "plans/sample-city/2024-2025"
NEW = "plans/sample-city/2026-2027"
FROM = ["new", "plan", "sample-city", "--from", "2024-2025"]
FROM += ["--start", "2026-02-01", "--end", "2027-12-31", "--term-end", "2028-03-31"]
TO_FILL = "# TODO: dates to fill (was "


def progress(milestones: dict[str, str], commitment: str) -> str:
    entries = "".join(
        f"  - date: 2025-06-0{n}\n    milestone: {m}\n    status: {s}\n"
        for n, (m, s) in enumerate(milestones.items(), 1)
    )
    return f"commitment: {commitment}\nentries:\n{entries}"


@pytest.fixture
def city(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The base repository where, on 2026-01-01, participatory-budget is complete, open-contracts'
    one milestone abandoned and open-budget half done (portal complete, monthly-data not)."""
    folder = repo / PREVIOUS / "progress"
    done = progress({"proposals": "complete", "vote": "complete"}, "participatory-budget")
    (folder / "participatory-budget.yaml").write_text(done, encoding="utf-8")
    dropped = progress({"ocds-feed": "abandoned"}, "open-contracts")
    (folder / "open-contracts.yaml").write_text(dropped, encoding="utf-8")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(DEFAULT_BUILD_DATE))
    return repo


def model(path: Path, kind: type[Commitment] | type[Vision]) -> Commitment | Vision:
    doc, problems = load_file(path)
    assert not problems, problems
    return kind.model_validate(doc.data)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_carries_what_is_not_complete(city: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(FROM, capsys)
    assert code == 0, err
    wrote = [line for line in out.splitlines() if line.startswith("wrote plans/")]
    assert wrote == [f"wrote {NEW}/vision.yaml", f"wrote {NEW}/commitments/open-budget.yaml"]
    assert (
        "  carried open-budget: milestone `monthly-data`; left milestone `portal` (complete)" in out
    )
    assert "  left participatory-budget: complete: 2 of 2 milestones complete" in out
    assert "  left open-contracts: every milestone abandoned (1 of 1)" in out
    assert "dates to fill" in out
    code, out, err = run(["validate", "--strict", NEW], capsys)
    assert (code, out) == (0, ""), out + err


def test_the_carried_commitment_keeps_its_id_and_text(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(FROM, capsys)[0] == 0
    old = model(city / PREVIOUS / "commitments/open-budget.yaml", Commitment)
    new = model(city / NEW / "commitments/open-budget.yaml", Commitment)
    assert isinstance(old, Commitment) and isinstance(new, Commitment)
    kept = {"period", "milestones"}
    assert new.model_dump(exclude=kept) == old.model_dump(exclude=kept)
    assert [m.id for m in new.milestones] == ["monthly-data"]
    assert new.milestones[0].model_dump(exclude={"start", "end"}) == old.milestones[1].model_dump(
        exclude={"start", "end"}
    )
    assert (str(new.period.start), str(new.period.end)) == ("2026-02-01", "2027-12-31")
    text = (city / NEW / "commitments/open-budget.yaml").read_text(encoding="utf-8")
    dated = [line for line in text.splitlines() if line.strip().startswith(("start:", "end:"))]
    assert len(dated) == 4 and all(TO_FILL in line for line in dated)
    assert "  start: 2026-02-01  # TODO: dates to fill (was 2024-01-01)" in text
    assert "Left in plans/sample-city/2024-2025: milestone `portal` (complete)." in text


def test_the_recommendations_to_answer_are_listed(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(FROM, capsys)
    assert code == 0
    vision = (city / NEW / "vision.yaml").read_text(encoding="utf-8")
    head = vision.split("\ntitle:")[0]
    assert "# Recommendations to answer, from plans/sample-city/2024-2025:" in head
    assert "#   final summary of 2025-12-20:\n#     1. Fewer, bigger commitments." in head
    assert "1. Send papers a week before meetings. (no response recorded)" in head
    assert "Fewer, bigger commitments." in out and "Send papers a week before meetings." in out
    new = model(city / NEW / "vision.yaml", Vision)
    assert isinstance(new, Vision) and str(new.period.start) == "2026-02-01"


def test_more_than_five_carried_take_turns(
    new_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    member = ["new", "member", "lyon", "--name", "Lyon", "--country", "FR", "--languages", "fr"]
    plan = ["new", "plan", "lyon", "--start", "2023-01-01", "--end", "2024-12-31"]
    assert run(member, capsys)[0] == 0
    assert run([*plan, "--term-end", "2024-12-31"], capsys)[0] == 0
    halves = (["--end", "2023-12-31"], ["--start", "2024-01-01"])
    for n in range(7):
        args = ["new", "commitment", "lyon/2023-2024", f"c{n}", *halves[n // 5]]
        assert run(args, capsys)[0] == 0, n
    args = ["new", "plan", "lyon", "--from", "2023-2024", "--start", "2025-01-01"]
    code, out, err = run([*args, "--end", "2026-12-31", "--term-end", "2026-12-31"], capsys)
    assert code == 0, err
    assert "in 2 turns of at most 5 at once" in out
    assert len(list((new_repo / "plans/lyon/2025-2026/commitments").glob("*.yaml"))) == 7
    code, out, err = run(["validate", "--strict", "plans/lyon/2025-2026"], capsys)
    assert (code, out) == (0, ""), out + err


@pytest.mark.parametrize(
    ("previous", "start", "message"),
    [
        ("2024-25", "2026-02-01", "`2024-25` is not a cycle"),
        ("2024-2025\n", "2026-02-01", "is not a cycle"),
        ("2019-2020", "2026-02-01", "the cycles of `sample-city` are: 2024-2025"),
        ("2024-2025", "2025-06-01", "the previous plan runs until 2025-12-31"),
    ],
)
def test_a_bad_previous_cycle_exits_2_and_writes_nothing(
    city: Path, previous: str, start: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(city)
    args = [*FROM[:4], previous, "--start", start, *FROM[7:]]
    code, out, err = run(args, capsys)
    assert (code, out) == (2, "")
    assert message in err, err
    assert tree(city) == before


def test_a_previous_plan_that_does_not_validate_is_named(
    city: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = city / PREVIOUS / "commitments/open-budget.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "typo: 1\n", encoding="utf-8")
    before = tree(city)
    code, out, err = run(FROM, capsys)
    assert (code, out) == (2, "")
    assert "schema-unknown-key" in err and "does not validate" in err
    assert tree(city) == before


def test_nothing_is_clobbered(city: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = city / NEW / "commitments/open-budget.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("edited by hand\n", encoding="utf-8")
    code, out, err = run(FROM, capsys)
    assert (code, out) == (2, "") and "already exists" in err
    assert target.read_text(encoding="utf-8") == "edited by hand\n"
    assert not (city / NEW / "vision.yaml").exists()
    target.unlink()
    assert run(FROM, capsys)[0] == 0
    before = tree(city)
    code, out, err = run(FROM, capsys)
    assert (code, out) == (2, "") and f"{NEW}/vision.yaml already exists" in err
    assert tree(city) == before


def test_the_scotland_example_carries_into_its_next_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example_plan(tmp_path / "repo", "scotland/2023-2025", "schemas")
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1772323200")  # 2026-03-01
    args = ["new", "plan", "scotland", "--from", "2023-2025", "--start", "2026-09-01"]
    code, out, err = run([*args, "--end", "2028-08-31", "--term-end", "2031-05-01"], capsys)
    assert code == 0, err
    carried = sorted(p.stem for p in (root / "plans/scotland/2026-2028/commitments").iterdir())
    assert carried == ["fiscal-transparency", "land-ownership-transparency"]
    assert "  left climate-assembly-response: complete" in out
    vision = (root / "plans/scotland/2026-2028/vision.yaml").read_text(encoding="utf-8")
    assert "Carry the RCI bulk data milestone into the next plan" in vision
    code, out, err = run(["validate", "--strict", "plans/scotland/2026-2028"], capsys)
    assert (code, out) == (0, ""), out + err


def test_the_new_plan_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_example_plan(tmp_path / "repo", "scotland/2023-2025", "schemas", "templates")
    shutil.copy(ROOT / "dodo.py", root / "dodo.py")
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    args = ["new", "plan", "scotland", "--from", "2023-2025", "--start", "2026-09-01"]
    assert run([*args, "--end", "2028-08-31", "--term-end", "2031-05-01"], capsys)[0] == 0
    tasks = [f"{task}:scotland/2026-2028" for task in ("json", "html", "docx", "efiling")]
    doit(root, *tasks)
    built = root / "build/scotland/2026-2028"
    plan = json.loads((built / "plan.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in plan["commitments"]] == [
        "fiscal-transparency",
        "land-ownership-transparency",
    ]
    assert plan["draft"] is True
    assert (built / "action-plan.en.html").is_file() and (built / "action-plan.en.docx").is_file()
