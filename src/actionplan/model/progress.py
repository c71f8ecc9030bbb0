"""progress/<id>.yaml: the progress log of one commitment."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import Field

from actionplan.model.common import (
    MAX_ENTRIES,
    MAX_ITEMS,
    Closed,
    Evidence,
    IsoDate,
    LocalizedText,
    PlainText,
    Slug,
)

Status = Literal["not-started", "in-progress", "complete", "stalled", "abandoned"]
STATUSES: tuple[str, ...] = get_args(Status)


class ProgressEntry(Closed):
    """One update on one milestone."""

    date: IsoDate
    """Date of the update; entries are in date order and none is in the future."""
    milestone: Slug
    """Id of the milestone updated."""
    status: Status
    """not-started, in-progress, complete, stalled or abandoned."""
    note: LocalizedText | None = None
    """What happened."""
    evidence: Annotated[list[Evidence], Field(max_length=MAX_ITEMS)] = []
    """Documents or pages that show it."""
    reported_by: PlainText | None = None
    """Who reported the update."""


class ProgressLog(Closed):
    """The progress log of one commitment, oldest entry first."""

    commitment: Slug
    """Id of the commitment; equals the file name."""
    entries: Annotated[list[ProgressEntry], Field(min_length=1, max_length=MAX_ENTRIES)]
    """Updates, oldest first."""
