"""What is due, as of a day, for one plan: the monitoring body's assessments, the progress
updates and the reasoned responses to the public's input (FORMAT.md, "due dates").

Pure functions over the models: `due_items(record, today)` takes anything that has the merged
`Plan`'s fields (`vision`, `commitments`, `progress`, `inception`, `end_of_commitment`,
`final_summary`, `contributions`), so the validator (from the models of the files that passed
their schemas) and `actionplan status` read the same dates.

Months are calendar months: the same day of the month N months later, or that month's last
day when it has fewer days (2024-01-31 plus one month is 2024-02-29, 2025-01-31 plus one
month 2025-02-28), the arithmetic of `actionplan.status`.

What is due, and from when:

- **inception**: the inception assessment, two months after `vision.submitted` (nothing is
  due before the plan is filed).
- **end-of-commitment**: one month after the commitment's last milestone is complete: the day
  its completion (`actionplan.status`, abandoned milestones left out) reaches every milestone
  counted, that is the date of the latest entry of its milestones. A commitment whose
  milestones are all abandoned is never complete, so nothing is due for it.
- **final-summary**: once every commitment has ended: on the last day of the commitment that
  ends last (of the plan's period when it has none).
- **progress-update**: every four months while a commitment runs (its period holds the day and
  its milestones are not all complete or abandoned): four months after its latest progress
  entry, or, before any, after the later of its start and the day the plan went into effect
  (`submitted`, else the approval's date).
- **contribution-response**: once the plan's approval counts (`actionplan.approval`), every
  contribution of a consultation has its reasoned response, due on the approval's date or the
  day the consultation closed (`open.end`), whichever is later. One item per consultation.

An item's state on `today`: `done` when the file holds it (an assessment whose `status` is
`draft` is not done yet: it is still being discussed), `overdue` when its due date has passed
(`due < today`), `due` when it falls on today or within the next `SOON_DAYS` days, and
`upcoming` after that. Only `overdue` items are warnings of the validator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from actionplan.approval import is_approved
from actionplan.layout import (
    ASSESSMENTS,
    CONTRIBUTIONS,
    END_OF_COMMITMENT,
    FINAL_SUMMARY_FILE,
    INCEPTION_FILE,
    PROGRESS,
)
from actionplan.model import (
    Commitment,
    Contributions,
    EndOfCommitment,
    FinalSummary,
    Inception,
    ProgressLog,
    Vision,
)
from actionplan.status import STALE_MONTHS, CommitmentStatus, months_before, plan_status

INCEPTION_MONTHS = 2
"""The inception assessment is due two months after the plan is filed."""
END_OF_COMMITMENT_MONTHS = 1
"""An end-of-commitment assessment is due one month after the commitment is complete."""
PROGRESS_MONTHS = STALE_MONTHS
"""A running commitment is reported on at least every four months (the handbook's rhythm)."""
SOON_DAYS = 30
"""An item due today or within this many days is `due`; later ones are `upcoming`."""


class Kind(StrEnum):
    """What is due."""

    INCEPTION = "inception"
    END_OF_COMMITMENT = "end-of-commitment"
    FINAL_SUMMARY = "final-summary"
    PROGRESS_UPDATE = "progress-update"
    CONTRIBUTION_RESPONSE = "contribution-response"


class State(StrEnum):
    """Where an item stands on the day asked about, in the order a reader wants them."""

    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"
    DONE = "done"


STATE_ORDER = {state: index for index, state in enumerate(State)}


@dataclass(frozen=True)
class DueItem:
    """One thing due for a plan: what, by when, where it is (to be) written, and its state."""

    kind: Kind
    subject: str | None
    """The commitment (end-of-commitment, progress-update) or consultation it is about."""
    due: dt.date
    state: State
    file: str
    """Where it is written, relative to the plan folder (`assessments/inception.yaml`)."""
    since: dt.date
    """The day the due date counts from (submission, completion, last entry...)."""
    done_on: dt.date | None = None
    """The date of what fulfils it (the assessment's, the latest response's), once done."""
    draft: bool = False
    """An assessment is written but still a draft."""
    items: tuple[str, ...] = field(default=())
    """The contributions still without a response (contribution-response only)."""

    def as_dict(self) -> dict[str, object]:
        """The item as JSON data: every key always present, dates as YYYY-MM-DD."""
        return {
            "kind": str(self.kind),
            "subject": self.subject,
            "due": self.due.isoformat(),
            "state": str(self.state),
            "file": self.file,
            "since": self.since.isoformat(),
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "draft": self.draft,
            "items": list(self.items),
        }


class PlanRecord(Protocol):
    """What due dates are worked out from: the merged `Plan` is one, and so is `Record`."""

    @property
    def vision(self) -> Vision: ...
    @property
    def commitments(self) -> Sequence[Commitment]: ...
    @property
    def progress(self) -> Mapping[str, ProgressLog]: ...
    @property
    def inception(self) -> Inception | None: ...
    @property
    def end_of_commitment(self) -> Mapping[str, EndOfCommitment]: ...
    @property
    def final_summary(self) -> FinalSummary | None: ...
    @property
    def contributions(self) -> Mapping[str, Contributions] | None: ...


@dataclass(frozen=True)
class Record:
    """A plan's models gathered by hand (from a plan that may not merge), for `due_items`."""

    vision: Vision
    commitments: Sequence[Commitment] = ()
    progress: Mapping[str, ProgressLog] = field(default_factory=dict)
    inception: Inception | None = None
    end_of_commitment: Mapping[str, EndOfCommitment] = field(default_factory=dict)
    final_summary: FinalSummary | None = None
    contributions: Mapping[str, Contributions] | None = None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, or that month's last day if shorter."""
    return months_before(day, -months)


def state_of(due: dt.date, today: dt.date, *, done: bool = False) -> State:
    """done, overdue (`due < today`), due (by `today + SOON_DAYS`) or upcoming."""
    if done:
        return State.DONE
    if due < today:
        return State.OVERDUE
    if due <= today + dt.timedelta(days=SOON_DAYS):
        return State.DUE
    return State.UPCOMING


def due_items(record: PlanRecord, today: dt.date) -> list[DueItem]:
    """Everything due for the plan on `today`, done or not: the inception assessment, then
    each commitment's progress updates and end-of-commitment assessment, the responses to
    each consultation, the final summary."""
    statuses = plan_status(record.commitments, record.progress, today)
    items = list(inception_due(record, today))
    for commitment in record.commitments:
        status = statuses[commitment.id]
        items += progress_due(record.vision, commitment, status, today)
        items += end_of_commitment_due(record, status, today)
    items += responses_due(record, today)
    items += final_summary_due(record, today)
    return items


def inception_due(record: PlanRecord, today: dt.date) -> Iterator[DueItem]:
    """Two months after the plan was filed (`submitted`); nothing before."""
    submitted = record.vision.submitted
    if submitted is None:
        return
    due = add_months(submitted, INCEPTION_MONTHS)
    file = f"{ASSESSMENTS}/{INCEPTION_FILE}"
    yield _assessment(Kind.INCEPTION, None, (submitted, due), file, record.inception, today)


def _assessment(
    kind: Kind,
    subject: str | None,
    since_due: tuple[dt.date, dt.date],
    file: str,
    found: Inception | EndOfCommitment | FinalSummary | None,
    today: dt.date,
) -> DueItem:
    """An assessment due on a day, counted from `since`: done once `found` is written and
    final (a draft is not done)."""
    since, due = since_due
    done = found is not None and found.status != "draft"
    return DueItem(
        kind,
        subject,
        due,
        state_of(due, today, done=done),
        file,
        since=since,
        done_on=found.date if found is not None and done else None,
        draft=found is not None and not done,
    )


def completed_on(status: CommitmentStatus) -> dt.date | None:
    """The day a commitment's last milestone was done (complete or abandoned), when every
    milestone counted is complete; None while one is open, or when all are abandoned."""
    completion = status.completion
    if not completion.counted or completion.complete != completion.counted:
        return None
    return max((m.updated for m in status.milestones if m.updated is not None), default=None)


def end_of_commitment_due(
    record: PlanRecord, status: CommitmentStatus, today: dt.date
) -> Iterator[DueItem]:
    """One month after the commitment is complete."""
    completed = completed_on(status)
    if completed is None:
        return
    due = add_months(completed, END_OF_COMMITMENT_MONTHS)
    cid = status.commitment
    file = f"{ASSESSMENTS}/{END_OF_COMMITMENT}/{cid}.yaml"
    found = record.end_of_commitment.get(cid)
    yield _assessment(Kind.END_OF_COMMITMENT, cid, (completed, due), file, found, today)


def final_summary_due(record: PlanRecord, today: dt.date) -> Iterator[DueItem]:
    """On the day the last commitment ends (the plan's last day when it has none)."""
    ends = [c.period.end for c in record.commitments] or [record.vision.period.end]
    due = max(ends)
    file = f"{ASSESSMENTS}/{FINAL_SUMMARY_FILE}"
    yield _assessment(Kind.FINAL_SUMMARY, None, (due, due), file, record.final_summary, today)


def in_effect(vision: Vision) -> dt.date | None:
    """The day the plan went into effect: filed with OGP, else approved; None for neither."""
    if vision.submitted is not None:
        return vision.submitted
    return vision.approval.date if vision.approval is not None else None


def progress_due(
    vision: Vision, commitment: Commitment, status: CommitmentStatus, today: dt.date
) -> Iterator[DueItem]:
    """The next progress update of a running commitment: four months after the latest entry
    of its log, or after it started (and the plan went into effect) when it has none."""
    period = commitment.period
    finished = all(m.status in ("complete", "abandoned") for m in status.milestones)
    if not period.start <= today <= period.end or finished:
        return
    effect = in_effect(vision)
    since = max(period.start, effect) if effect is not None else period.start
    if status.updated is not None and status.updated > since:
        since = status.updated
    due = add_months(since, PROGRESS_MONTHS)
    yield DueItem(
        Kind.PROGRESS_UPDATE,
        commitment.id,
        due,
        state_of(due, today),
        f"{PROGRESS}/{commitment.id}.yaml",
        since=since,
    )


def responses_due(record: PlanRecord, today: dt.date) -> Iterator[DueItem]:
    """Once the plan's approval counts: a reasoned response to every contribution."""
    vision = record.vision
    if not record.contributions or vision.approval is None or not is_approved(vision, today):
        return
    for cid in sorted(record.contributions):
        consultation = record.contributions[cid]
        closed = consultation.open.end if consultation.open is not None else None
        due = max(vision.approval.date, closed) if closed else vision.approval.date
        open_ = tuple(item.id for item in consultation.items if item.response is None)
        answered = [i.response.date for i in consultation.items if i.response and i.response.date]
        yield DueItem(
            Kind.CONTRIBUTION_RESPONSE,
            cid,
            due,
            state_of(due, today, done=not open_),
            f"{CONTRIBUTIONS}/{cid}.yaml",
            since=vision.approval.date,
            done_on=max(answered, default=None) if not open_ else None,
            items=open_,
        )


def pending(items: Sequence[DueItem]) -> list[DueItem]:
    """The items not done, overdue first, then by due date, kind and subject."""
    return sorted(
        (item for item in items if item.state is not State.DONE),
        key=lambda i: (STATE_ORDER[i.state], i.due, str(i.kind), i.subject or ""),
    )
