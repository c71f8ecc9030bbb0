"""actionplan.due: month arithmetic, each kind of due item, and the done / due / overdue /
upcoming boundaries, worked out by hand on the base plan of the cases (tests/cases/base).

The base plan: period 2024-01-01 to 2025-12-31, approved 2023-12-15, not filed (no
`submitted`); open-budget (2024-01-01 to 2025-06-30: portal complete on 2024-11-15,
monthly-data in progress since 2025-01-10), open-contracts (2024-03-01 to 2025-12-31) and
participatory-budget (2024-06-01 to 2025-12-31) without progress logs; an inception assessment
(2024-03-15), an end-of-commitment assessment of open-budget and a final summary.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from actionplan.due import (
    SOON_DAYS,
    DueItem,
    Kind,
    Record,
    State,
    add_months,
    due_items,
    pending,
    state_of,
)
from actionplan.merge import Plan
from actionplan.model import Contributions, ProgressLog
from helpers import BASE_PLAN, load_merged

D = dt.date


@pytest.fixture(scope="module")
def base() -> Plan:
    return load_merged(BASE_PLAN)


def record(plan: Plan, **changes: Any) -> Record:
    fields = {
        "vision": plan.vision,
        "commitments": plan.commitments,
        "progress": plan.progress,
        "inception": plan.inception,
        "end_of_commitment": plan.end_of_commitment,
        "final_summary": plan.final_summary,
        "contributions": plan.contributions,
    }
    return Record(**(fields | changes))


def of_kind(items: list[DueItem], kind: Kind) -> list[DueItem]:
    return [i for i in items if i.kind is kind]


def with_entries(plan: Plan, cid: str, *entries: tuple[str, str, str]) -> dict[str, ProgressLog]:
    """The plan's progress logs, with entries (date, milestone, status) added to `cid`'s."""
    old = plan.progress.get(cid)
    data = old.model_dump(mode="json") if old else {"commitment": cid, "entries": []}
    data["entries"] += [{"date": d, "milestone": m, "status": s} for d, m, s in entries]
    return {**plan.progress, cid: ProgressLog.model_validate(data)}


# --- months and states -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year: clamped to the 29th
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2025, 10, 31), 4, D(2026, 2, 28)),  # across the year, clamped
        (D(2023, 12, 20), 2, D(2024, 2, 20)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 3, 31), 1, D(2025, 4, 30)),
        (D(2025, 5, 15), 0, D(2025, 5, 15)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_the_month_end(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected


def test_state_boundaries() -> None:
    today = D(2026, 1, 1)
    assert state_of(D(2025, 12, 31), today) is State.OVERDUE  # passed: the day before
    assert state_of(today, today) is State.DUE  # on the day itself: not yet overdue
    assert state_of(today + dt.timedelta(days=SOON_DAYS), today) is State.DUE
    assert state_of(today + dt.timedelta(days=SOON_DAYS + 1), today) is State.UPCOMING
    assert state_of(D(2020, 1, 1), today, done=True) is State.DONE


# --- the base plan as it is ------------------------------------------------------------------


def test_the_base_plan_on_its_build_date(base: Plan) -> None:
    items = due_items(base, D(2026, 1, 1))
    # not filed: no inception due; open-budget not complete: no end-of-commitment due; no
    # commitment runs on 2026-01-01: no progress update; the final summary is written.
    assert [(i.kind, i.state, i.due) for i in items] == [
        (Kind.FINAL_SUMMARY, State.DONE, D(2025, 12, 31))
    ]
    assert items[0].done_on == D(2025, 12, 20)
    assert items[0].file == "assessments/final-summary.yaml"


def test_a_merged_plan_and_a_record_give_the_same_items(base: Plan) -> None:
    day = D(2025, 6, 1)
    assert due_items(base, day) == due_items(record(base), day)


# --- inception ---------------------------------------------------------------------------


def test_inception_is_due_two_months_after_submission(base: Plan) -> None:
    filed = base.vision.model_copy(update={"submitted": D(2024, 1, 10)})
    missing = record(base, vision=filed, inception=None)
    (on_day,) = of_kind(due_items(missing, D(2024, 3, 10)), Kind.INCEPTION)
    assert (on_day.due, on_day.state, on_day.since) == (D(2024, 3, 10), State.DUE, D(2024, 1, 10))
    (late,) = of_kind(due_items(missing, D(2024, 3, 11)), Kind.INCEPTION)
    assert late.state is State.OVERDUE
    assert late.file == "assessments/inception.yaml"
    (done,) = of_kind(due_items(record(base, vision=filed), D(2024, 3, 11)), Kind.INCEPTION)
    assert (done.state, done.done_on) == (State.DONE, D(2024, 3, 15))


def test_a_draft_inception_is_not_done(base: Plan) -> None:
    assert base.inception is not None
    filed = base.vision.model_copy(update={"submitted": D(2024, 1, 10)})
    draft = base.inception.model_copy(update={"status": "draft"})
    (item,) = of_kind(
        due_items(record(base, vision=filed, inception=draft), D(2024, 4, 1)), Kind.INCEPTION
    )
    assert (item.state, item.draft, item.done_on) == (State.OVERDUE, True, None)


def test_no_inception_is_due_before_the_plan_is_filed(base: Plan) -> None:
    assert of_kind(due_items(record(base, inception=None), D(2026, 1, 1)), Kind.INCEPTION) == []


# --- end of commitment -------------------------------------------------------------------


def test_end_of_commitment_one_month_after_the_last_milestone_is_complete(base: Plan) -> None:
    progress = with_entries(base, "open-budget", ("2025-06-20", "monthly-data", "complete"))
    missing = record(base, progress=progress, end_of_commitment={})
    (item,) = of_kind(due_items(missing, D(2025, 7, 20)), Kind.END_OF_COMMITMENT)
    assert (item.subject, item.since, item.due) == ("open-budget", D(2025, 6, 20), D(2025, 7, 20))
    assert item.state is State.DUE
    assert item.file == "assessments/end-of-commitment/open-budget.yaml"
    (late,) = of_kind(due_items(missing, D(2025, 7, 21)), Kind.END_OF_COMMITMENT)
    assert late.state is State.OVERDUE
    (done,) = of_kind(
        due_items(record(base, progress=progress), D(2025, 8, 1)), Kind.END_OF_COMMITMENT
    )
    assert (done.state, done.done_on) == (State.DONE, D(2025, 7, 15))


def test_an_abandoned_milestone_is_left_out_and_its_date_counts(base: Plan) -> None:
    # portal complete on 2024-11-15, monthly-data abandoned on 2025-01-31: complete then
    progress = with_entries(base, "open-budget", ("2025-01-31", "monthly-data", "abandoned"))
    items = due_items(record(base, progress=progress, end_of_commitment={}), D(2025, 3, 1))
    (item,) = of_kind(items, Kind.END_OF_COMMITMENT)
    assert (item.since, item.due, item.state) == (D(2025, 1, 31), D(2025, 2, 28), State.OVERDUE)


def test_nothing_is_due_for_a_commitment_all_abandoned_or_not_complete(base: Plan) -> None:
    progress = with_entries(
        base,
        "open-budget",
        ("2025-01-31", "portal", "abandoned"),
        ("2025-01-31", "monthly-data", "abandoned"),
    )
    items = due_items(record(base, progress=progress, end_of_commitment={}), D(2026, 1, 1))
    assert of_kind(items, Kind.END_OF_COMMITMENT) == []
    base_items = due_items(record(base, end_of_commitment={}), D(2026, 1, 1))
    assert of_kind(base_items, Kind.END_OF_COMMITMENT) == []  # monthly-data in progress


# --- final summary -------------------------------------------------------------------------


def test_final_summary_once_every_commitment_has_ended(base: Plan) -> None:
    missing = record(base, final_summary=None)
    (on_day,) = of_kind(due_items(missing, D(2025, 12, 31)), Kind.FINAL_SUMMARY)
    assert (on_day.due, on_day.state) == (D(2025, 12, 31), State.DUE)
    (late,) = of_kind(due_items(missing, D(2026, 1, 1)), Kind.FINAL_SUMMARY)
    assert late.state is State.OVERDUE
    (early,) = of_kind(due_items(missing, D(2025, 6, 1)), Kind.FINAL_SUMMARY)
    assert early.state is State.UPCOMING


def test_final_summary_of_a_plan_without_commitments_is_due_at_its_end(base: Plan) -> None:
    bare = record(base, commitments=[], progress={}, final_summary=None)
    (item,) = due_items(bare, D(2026, 1, 1))
    assert (item.kind, item.due) == (Kind.FINAL_SUMMARY, base.vision.period.end)


# --- progress updates ----------------------------------------------------------------------


def test_progress_every_four_months_while_a_commitment_runs(base: Plan) -> None:
    items = of_kind(due_items(base, D(2025, 6, 1)), Kind.PROGRESS_UPDATE)
    found = {i.subject: (i.since, i.due, i.state) for i in items}
    assert found == {
        "open-budget": (D(2025, 1, 10), D(2025, 5, 10), State.OVERDUE),  # latest entry
        "open-contracts": (D(2024, 3, 1), D(2024, 7, 1), State.OVERDUE),  # its start
        "participatory-budget": (D(2024, 6, 1), D(2024, 10, 1), State.OVERDUE),
    }
    assert {i.file for i in items} >= {"progress/open-contracts.yaml"}


def test_progress_boundaries_on_the_latest_entry(base: Plan) -> None:
    (due,) = [i for i in due_items(base, D(2025, 5, 10)) if i.subject == "open-budget"]
    assert due.state is State.DUE  # due on 2025-05-10 itself
    (upcoming,) = [i for i in due_items(base, D(2025, 3, 1)) if i.subject == "open-budget"]
    assert upcoming.state is State.UPCOMING  # 70 days ahead


def test_progress_counts_from_the_filing_when_later_than_the_start(base: Plan) -> None:
    filed = base.vision.model_copy(update={"submitted": D(2024, 5, 1)})
    items = of_kind(due_items(record(base, vision=filed), D(2024, 7, 1)), Kind.PROGRESS_UPDATE)
    (contracts,) = [i for i in items if i.subject == "open-contracts"]
    assert (contracts.since, contracts.due, contracts.state) == (
        D(2024, 5, 1),
        D(2024, 9, 1),
        State.UPCOMING,
    )


def test_no_progress_is_due_before_the_start_after_the_end_or_once_complete(base: Plan) -> None:
    assert of_kind(due_items(base, D(2024, 1, 1)), Kind.PROGRESS_UPDATE)[0].subject == "open-budget"
    assert of_kind(due_items(base, D(2026, 1, 1)), Kind.PROGRESS_UPDATE) == []
    progress = with_entries(base, "open-budget", ("2025-02-01", "monthly-data", "complete"))
    items = due_items(record(base, progress=progress), D(2025, 6, 15))
    assert "open-budget" not in {i.subject for i in of_kind(items, Kind.PROGRESS_UPDATE)}


# --- contributions -----------------------------------------------------------------------------


def consultation(*responses: bool, end: str | None = "2024-02-15") -> Contributions:
    items = [
        {"id": f"c{n}", "text": "More open data."}
        | (
            {"response": {"status": "accepted", "reason": "Done.", "date": "2024-03-01"}}
            if answered
            else {}
        )
        for n, answered in enumerate(responses, 1)
    ]
    data: dict[str, Any] = {"id": "online", "title": "Online", "channel": "email", "items": items}
    if end:
        data["open"] = {"start": "2024-01-15", "end": end}
    return Contributions.model_validate(data)


def test_responses_are_due_once_the_plan_is_approved(base: Plan) -> None:
    # approved on 2023-12-15; the consultation closed on 2024-02-15, later: due then
    items = due_items(
        record(base, contributions={"online": consultation(True, False, False)}), D(2024, 2, 1)
    )
    (item,) = of_kind(items, Kind.CONTRIBUTION_RESPONSE)
    assert (item.subject, item.due, item.state, item.items) == (
        "online",
        D(2024, 2, 15),
        State.DUE,
        ("c2", "c3"),
    )
    assert item.file == "contributions/online.yaml"
    no_close = record(base, contributions={"online": consultation(False, end=None)})
    (late,) = of_kind(due_items(no_close, D(2024, 1, 1)), Kind.CONTRIBUTION_RESPONSE)
    assert (late.due, late.state) == (D(2023, 12, 15), State.OVERDUE)


def test_answered_contributions_are_done_and_a_draft_plan_owes_none(base: Plan) -> None:
    answered = record(base, contributions={"online": consultation(True, True)})
    (item,) = of_kind(due_items(answered, D(2026, 1, 1)), Kind.CONTRIBUTION_RESPONSE)
    assert (item.state, item.done_on) == (State.DONE, D(2024, 3, 1))
    draft = record(
        base,
        vision=base.vision.model_copy(update={"approval": None}),
        contributions={"online": consultation(False)},
    )
    assert of_kind(due_items(draft, D(2026, 1, 1)), Kind.CONTRIBUTION_RESPONSE) == []


def test_pending_puts_overdue_first_then_by_date(base: Plan) -> None:
    items = due_items(record(base, final_summary=None), D(2025, 12, 15))
    order = [(i.state, i.due) for i in pending(items)]
    assert order == sorted(order, key=lambda t: (list(State).index(t[0]), t[1]))
    assert order[0][0] is State.OVERDUE and order[-1] == (State.DUE, D(2025, 12, 31))
    assert all(i.as_dict()["state"] != "done" for i in pending(items))
