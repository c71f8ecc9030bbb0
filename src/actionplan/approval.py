"""Whether a plan is approved: what lifts the draft mark, and what the approval rules check.

The handbook (3.3) asks for formal approval by the mayor or the local council (question 7): an
approval counts once it names an approver of kind `executive` or `council`, is dated on or
before the build date, and not after the plan was filed (`submitted`). Endorsement by civil
society or the forum is asked for too, but its absence is a warning, not a draft.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from actionplan.model.vision import Vision

FORMAL_KINDS = frozenset({"executive", "council"})
"""Approvers whose approval is the formal approval the handbook asks for."""
ENDORSING_KINDS = frozenset({"civil-society", "forum"})
"""Approvers whose approval is a non-government endorsement."""


class Fault(StrEnum):
    """Why an approval does not count."""

    MISSING = "missing"
    """The vision has no `approval`."""
    NOT_FORMAL = "not-formal"
    """No approver is the executive or the council."""
    IN_FUTURE = "in-future"
    """Dated after the build date."""
    AFTER_SUBMISSION = "after-submission"
    """Dated after `submitted`."""


def approval_faults(vision: Vision, build_date: dt.date) -> list[Fault]:
    """Why the plan's approval does not count; empty when it does."""
    approval = vision.approval
    if approval is None:
        return [Fault.MISSING]
    faults = []
    if not any(a.kind in FORMAL_KINDS for a in approval.approved_by):
        faults.append(Fault.NOT_FORMAL)
    if approval.date > build_date:
        faults.append(Fault.IN_FUTURE)
    if vision.submitted is not None and approval.date > vision.submitted:
        faults.append(Fault.AFTER_SUBMISSION)
    return faults


def is_approved(vision: Vision, build_date: dt.date) -> bool:
    """True when the approval counts: only then is the draft mark lifted."""
    return not approval_faults(vision, build_date)


def is_endorsed(vision: Vision) -> bool:
    """True when a non-government approver (civil society, the forum) endorsed the plan."""
    approval = vision.approval
    return approval is not None and any(a.kind in ENDORSING_KINDS for a in approval.approved_by)
