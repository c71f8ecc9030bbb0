"""Computed statuses: what the progress logs say about each milestone and commitment on a day.

"Today" is the build date (`actionplan.clock.build_date()`, the UTC date of
SOURCE_DATE_EPOCH when it is set), so the same files and the same build date always give the
same statuses. The results are models, so they go into `plan.json` (the merged plan's `status`).

Definitions, for a milestone on `today`:

- **status**: the status of its latest entry in the progress log (entries are in date order;
  of two entries on the same day the later in the file wins); `not-started` without entries.
- **late**: its end date has passed (`end < today`) and its status is neither `complete` nor
  `abandoned`.
- **stalled**: its status is `stalled`.
- **stale** ("no update for more than four months", the handbook's publication rhythm): its
  status is neither `complete` nor `abandoned`, and its *last news* is older than four calendar
  months before today (`last news < today - 4 months`, the day of the month kept, or the month's
  last day when it has fewer days: on 2026-01-01 the limit is 2025-09-01, so an update of
  2025-09-01 is not stale and one of 2025-08-31 is). Its last news is the date of its latest
  entry; without entries it is the milestone's start date, so a milestone that started more
  than four months ago and was never reported on is stale, and one that has not started yet,
  or started less than four months ago, is not.

A commitment's completion (FORMAT.md) is the share of its milestones that are complete,
abandoned milestones left out of the count: `complete / (milestones - abandoned)`. When every
milestone is abandoned nothing is counted and the share is absent.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Annotated, ClassVar

from pydantic import ConfigDict, Field, StrictBool, StrictInt

from actionplan.model.commitment import Commitment, Milestone
from actionplan.model.common import Closed, IsoDate, Slug
from actionplan.model.progress import ProgressEntry, ProgressLog, Status

STALE_MONTHS = 4
"""Months without an update after which a milestone is flagged (the handbook's rhythm)."""
DONE: frozenset[str] = frozenset({"complete", "abandoned"})
"""Statuses that end a milestone: never late, never stale."""
FLAGS = ("late", "stalled", "stale")
"""The flags a monitor looks for, in the order the reports show them."""

Count = Annotated[StrictInt, Field(ge=0)]


class HistoryEntry(Closed):
    """One entry of a milestone's history: the status it was given, and when."""

    # The docstring is the schema's description; the name is the one plan.schema.json has
    # always published (the class was first called StatusChange, like the diff's).
    SCHEMA_NAME: ClassVar[str] = "StatusChange"
    model_config = ConfigDict(title=SCHEMA_NAME)

    date: IsoDate
    """Date of the progress entry."""
    status: Status
    """The status the entry gave the milestone."""


class MilestoneStatus(Closed):
    """One milestone's status on the build date, its history and its flags."""

    milestone: Slug
    """Id of the milestone."""
    status: Status
    """Its latest entry's status; not-started without entries."""
    updated: IsoDate | None = None
    """Date of its latest entry; absent without entries."""
    history: list[HistoryEntry] = []
    """Every entry about it, oldest first."""
    late: StrictBool
    """Its end date has passed and it is neither complete nor abandoned."""
    stalled: StrictBool
    """Its status is stalled."""
    stale: StrictBool
    """No update for more than four months (see actionplan.status for the exact rule)."""


class Completion(Closed):
    """A commitment's completion: complete milestones over milestones not abandoned."""

    milestones: Count
    """Number of milestones."""
    complete: Count
    """Milestones complete."""
    abandoned: Count
    """Milestones abandoned: left out of the count."""
    counted: Count
    """Milestones counted: all but the abandoned ones."""
    share: Annotated[float, Field(ge=0, le=1)] | None = None
    """complete / counted, from 0 to 1; absent when every milestone is abandoned."""
    percent: Annotated[StrictInt, Field(ge=0, le=100)] | None = None
    """The share as a whole percentage, rounded half up; absent with the share."""


class CommitmentStatus(Closed):
    """One commitment's completion and the status of each of its milestones."""

    commitment: Slug
    """Id of the commitment."""
    completion: Completion
    """Share of its milestones complete."""
    updated: IsoDate | None = None
    """Date of the latest entry of its progress log; absent without one."""
    milestones: list[MilestoneStatus]
    """Each milestone, in the commitment's order."""


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier, or that month's last day if shorter."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def milestone_status(
    milestone: Milestone, entries: Sequence[ProgressEntry], today: dt.date
) -> MilestoneStatus:
    """The status of one milestone on `today`, from its own entries (oldest first)."""
    history = [HistoryEntry(date=e.date, status=e.status) for e in entries]
    current: Status = history[-1].status if history else "not-started"
    updated = history[-1].date if history else None
    open_ = current not in DONE
    last_news = updated or milestone.start
    stale = open_ and last_news <= today and last_news < months_before(today, STALE_MONTHS)
    return MilestoneStatus(
        milestone=milestone.id,
        status=current,
        updated=updated,
        history=history,
        late=open_ and milestone.end < today,
        stalled=current == "stalled",
        stale=stale,
    )


def completion(statuses: Sequence[MilestoneStatus]) -> Completion:
    """Complete milestones over milestones not abandoned (FORMAT.md)."""
    complete = sum(s.status == "complete" for s in statuses)
    abandoned = sum(s.status == "abandoned" for s in statuses)
    counted = len(statuses) - abandoned
    share = complete / counted if counted else None
    percent = (200 * complete + counted) // (2 * counted) if counted else None
    return Completion(
        milestones=len(statuses),
        complete=complete,
        abandoned=abandoned,
        counted=counted,
        share=share,
        percent=percent,
    )


def commitment_status(
    commitment: Commitment, log: ProgressLog | None, today: dt.date
) -> CommitmentStatus:
    """One commitment's completion and milestone statuses on `today`."""
    entries = log.entries if log is not None else []
    milestones = [
        milestone_status(m, [e for e in entries if e.milestone == m.id], today)
        for m in commitment.milestones
    ]
    return CommitmentStatus(
        commitment=commitment.id,
        completion=completion(milestones),
        updated=entries[-1].date if entries else None,
        milestones=milestones,
    )


def plan_status(
    commitments: Sequence[Commitment], progress: Mapping[str, ProgressLog], today: dt.date
) -> dict[str, CommitmentStatus]:
    """Every commitment's status on `today`, by commitment id, in the commitments' order."""
    return {c.id: commitment_status(c, progress.get(c.id), today) for c in commitments}


def flags_of(status: MilestoneStatus) -> list[str]:
    """The flags a milestone carries, in the order of FLAGS."""
    return [name for name in FLAGS if getattr(status, name)]
