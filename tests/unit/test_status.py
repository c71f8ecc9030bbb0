"""Computed statuses, against the tables of `expected_status.py`: every number there was worked
out by reading the example plans' YAML by hand (progress logs and milestone dates), never by
calling actionplan.status."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from actionplan.merge import Plan, plan_json
from actionplan.model.commitment import Milestone
from actionplan.model.progress import ProgressEntry
from actionplan.status import milestone_status, months_before
from expected_status import (
    FLAG_LETTERS,
    NEW_YEAR,
    PARIS_1,
    PARIS_2,
    PARIS_2021_2023,
    PARIS_2024_2026,
    SCOTLAND,
    SCOTLAND_2026,
    SCOTLAND_AUTUMN_2024,
    Expected,
)
from helpers import as_of, load_merged


def cut_logs(cycle: Path, tmp: Path, day: dt.date) -> Path:
    """A copy of a plan as it stood on `day` (`helpers.as_of`), its progress logs stopping
    there too (entries after it dropped)."""
    plan = as_of(cycle, tmp, day)
    yaml = YAML()
    for path in (plan / "progress").glob("*.yaml"):
        data: Any = yaml.load(path)
        data["entries"] = [
            e for e in data["entries"] if dt.date.fromisoformat(str(e["date"])) <= day
        ]
        if data["entries"]:
            yaml.dump(data, path)
        else:
            path.unlink()
    return plan


def check(plan: Plan, expected: Expected) -> None:
    assert list(plan.status) == [c.id for c in plan.commitments]
    assert set(plan.status) == set(expected)
    for cid, ((complete, counted, abandoned, percent), milestones) in expected.items():
        status = plan.status[cid]
        c = status.completion
        assert (c.complete, c.counted, c.abandoned, c.percent) == (
            complete,
            counted,
            abandoned,
            percent,
        ), cid
        assert c.share == (complete / counted if counted else None), cid
        by_id = {m.milestone: m for m in status.milestones}
        for mid, (state, letters) in milestones.items():
            flags = {FLAG_LETTERS[letter] for letter in letters}
            got = by_id[mid]
            assert got.status == state, (cid, mid)
            assert {f for f in FLAG_LETTERS.values() if getattr(got, f)} == flags, (cid, mid)


@pytest.mark.parametrize(
    ("cycle", "expected"),
    [(SCOTLAND, SCOTLAND_2026), (PARIS_1, PARIS_2021_2023), (PARIS_2, PARIS_2024_2026)],
    ids=["scotland", "paris-2021-2023", "paris-2024-2026"],
)
def test_example_plans_on_new_year_2026(cycle: Path, expected: Expected) -> None:
    check(load_merged(cycle, NEW_YEAR), expected)


def test_scotland_in_autumn_2024(tmp_path: Path) -> None:
    day = dt.date(2024, 10, 1)
    check(load_merged(cut_logs(SCOTLAND, tmp_path, day), day), SCOTLAND_AUTUMN_2024)


def test_late_and_stale_move_with_the_build_date() -> None:
    """On 2026-03-01 the limit is 2025-11-01: land-ownership's stalled bulk data (2025-12-15)
    stays fresh, the Paris housing observers (2025-12-15) too; Paris's last climate milestone
    (due 2026-02-28) is now late."""
    day = dt.date(2026, 3, 1)
    scotland = load_merged(SCOTLAND, day).status["land-ownership-transparency"]
    bulk = next(m for m in scotland.milestones if m.milestone == "bulk-data")
    assert (bulk.late, bulk.stalled, bulk.stale) == (True, True, False)
    paris = load_merged(PARIS_2, day).status["donnees-climat"]
    assert [m.late for m in paris.milestones] == [True, True, True]


def test_history_lists_every_entry_of_the_milestone_in_order() -> None:
    status = load_merged(SCOTLAND, NEW_YEAR).status["fiscal-transparency"]
    spend = next(m for m in status.milestones if m.milestone == "spend-standard")
    assert [(h.date.isoformat(), h.status) for h in spend.history] == [
        ("2023-09-11", "not-started"),
        ("2024-06-10", "in-progress"),
        ("2024-12-09", "stalled"),
        ("2025-06-30", "in-progress"),
    ]
    assert spend.updated == dt.date(2025, 6, 30)
    assert status.updated == dt.date(2025, 6, 30)


def test_plan_json_carries_the_statuses() -> None:
    data = json.loads(plan_json(load_merged(PARIS_1, NEW_YEAR)))
    agendas = data["status"]["agendas-elus"]
    assert agendas["completion"] == {
        "milestones": 3,
        "complete": 1,
        "abandoned": 2,
        "counted": 1,
        "share": 1.0,
        "percent": 100,
    }
    keys = list(data)
    assert keys.index("end_of_commitment") < keys.index("status") < keys.index("draft")
    explication = data["status"]["budget-participatif"]["milestones"][2]
    assert explication["milestone"] == "explication-retards"
    assert (explication["late"], explication["stalled"], explication["stale"]) == (
        True,
        False,
        True,
    )


def _milestone(start: str, end: str) -> Milestone:
    return Milestone.model_validate(
        {"id": "m", "title": "M", "expected_output": "Out", "start": start, "end": end}
    )


def _entry(day: str, status: str) -> ProgressEntry:
    return ProgressEntry.model_validate({"date": day, "milestone": "m", "status": status})


def test_boundaries_of_late_and_stale() -> None:
    today = dt.date(2026, 1, 1)
    due_today = milestone_status(_milestone("2025-01-01", "2026-01-01"), [], today)
    assert not due_today.late  # the end date has not passed yet
    due_yesterday = milestone_status(_milestone("2025-01-01", "2025-12-31"), [], today)
    assert due_yesterday.late and due_yesterday.stale
    exactly_four = milestone_status(
        _milestone("2025-01-01", "2026-06-30"), [_entry("2025-09-01", "in-progress")], today
    )
    assert not exactly_four.stale
    one_day_more = milestone_status(
        _milestone("2025-01-01", "2026-06-30"), [_entry("2025-08-31", "in-progress")], today
    )
    assert one_day_more.stale
    not_started_yet = milestone_status(_milestone("2026-02-01", "2026-06-30"), [], today)
    assert not (not_started_yet.late or not_started_yet.stale or not_started_yet.stalled)
    for done in ("complete", "abandoned"):
        closed = milestone_status(
            _milestone("2024-01-01", "2024-06-30"), [_entry("2024-02-01", done)], today
        )
        assert not (closed.late or closed.stale), done


def test_same_day_entries_the_later_in_the_file_wins() -> None:
    entries = [_entry("2025-12-01", "stalled"), _entry("2025-12-01", "in-progress")]
    status = milestone_status(_milestone("2025-01-01", "2026-06-30"), entries, NEW_YEAR)
    assert status.status == "in-progress" and not status.stalled


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-01-01", "2025-09-01"),
        ("2025-06-30", "2025-02-28"),
        ("2024-06-30", "2024-02-29"),  # leap year
        ("2025-03-31", "2024-11-30"),
        ("2025-04-15", "2024-12-15"),
    ],
)
def test_months_before(day: str, expected: str) -> None:
    assert months_before(dt.date.fromisoformat(day), 4) == dt.date.fromisoformat(expected)
