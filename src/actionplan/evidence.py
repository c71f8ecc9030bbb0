"""The evidence the co-creation record holds for each minimum requirement.

The monitoring body answers each requirement of the inception assessment yes, no or partly
(handbook 1.1-1.6); the record (forum.yaml, the meetings, the consultations' contributions and
the plan's approval) holds facts that bear on four of them. Each requirement's evidence is
plain JSON data, `{"files": [...], "facts": {...}}`: the files it was read from (paths from the
repository's root, `plans/<member>/...`, sorted) and the facts, counted. A requirement the
record says nothing about (no forum.yaml, no meeting, no contribution) has no evidence: an
absent file is not a fact about the process, only about the repository.

The e-filing inception payload carries it beside the assessor's answer; the same data can be
shown wherever the requirements are set out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from actionplan.approval import ENDORSING_KINDS
from actionplan.model.cocreation import RESPONSE_STATUSES, SECTORS, Meeting

if TYPE_CHECKING:
    from actionplan.merge import Plan

Evidence = dict[str, Any]
"""`{"files": [path, ...], "facts": {name: value}}`."""


def meeting_date(meeting: Meeting) -> dt.date | None:
    """The meeting's date: `date`, else its id's date part; None when that is no real date
    (the validator reports it; the diff compares plans that break rules)."""
    if meeting.date is not None:
        return meeting.date
    try:
        return dt.date.fromisoformat(meeting.id[:10])
    except ValueError:
        return None


def _paths(plan: Plan) -> dict[str, str]:
    member = f"plans/{plan.member.id}"
    cycle = f"{member}/{plan.cycle}"
    return {"forum": f"{member}/forum.yaml", "vision": f"{cycle}/vision.yaml", "cycle": cycle}


def _forum_exists(plan: Plan) -> Evidence | None:
    forum = plan.forum
    if forum is None:
        return None
    paths = _paths(plan)
    meetings = [m for m in (plan.meetings or {}).values() if m.kind == "forum"]
    facts: dict[str, Any] = {"forum": forum.name}
    if forum.established is not None:
        facts["established"] = forum.established.isoformat()
    if forum.terms_of_reference is not None:
        facts["terms_of_reference"] = forum.terms_of_reference
    facts |= {"members": len(forum.members), "forum_meetings": len(meetings)}
    files = [paths["forum"], *(f"{paths['cycle']}/meetings/{m.id}.yaml" for m in meetings)]
    return {"files": sorted(files), "facts": facts}


def _forum_multi_stakeholder(plan: Plan) -> Evidence | None:
    forum = plan.forum
    if forum is None:
        return None
    sectors: Counter[str] = Counter(m.sector for m in forum.members)
    facts: dict[str, Any] = {
        "members": len(forum.members),
        "members_by_sector": {s: sectors[s] for s in SECTORS if sectors[s]},
        "non_government_members": len(forum.members) - sectors["government"],
    }
    if forum.co_chairs:
        facts["co_chairs"] = list(forum.co_chairs)
    return {"files": [_paths(plan)["forum"]], "facts": facts}


def _non_government_approval(plan: Plan) -> Evidence | None:
    approval = plan.vision.approval
    if approval is None:
        return None
    endorsers = [a for a in approval.approved_by if a.kind in ENDORSING_KINDS]
    facts: dict[str, Any] = {
        "approval_date": approval.date.isoformat(),
        "approvers": len(approval.approved_by),
        "endorsements": len(endorsers),
        "endorsed_by": [a.model_dump(mode="json") for a in endorsers],
    }
    return {"files": [_paths(plan)["vision"]], "facts": facts}


def _information_before_meetings(plan: Plan) -> Evidence | None:
    meetings = list((plan.meetings or {}).values())
    if not meetings:
        return None
    late: list[dict[str, str]] = []
    papers = on_time = 0
    for meeting in meetings:
        day = meeting_date(meeting)
        for paper in meeting.documents:
            papers += 1
            if day is not None and paper.published > day:
                late.append(
                    {
                        "meeting": meeting.id,
                        "paper": paper.title,
                        "published": paper.published.isoformat(),
                        "meeting_date": day.isoformat(),
                    }
                )
            else:
                on_time += 1
    facts: dict[str, Any] = {
        "meetings": len(meetings),
        "meetings_with_papers": sum(bool(m.documents) for m in meetings),
        "papers": papers,
        "papers_before_meeting": on_time,
        "papers_after_meeting": late,
        "minutes_published": sum(m.minutes is not None for m in meetings),
    }
    cycle = _paths(plan)["cycle"]
    return {"files": [f"{cycle}/meetings/{m.id}.yaml" for m in meetings], "facts": facts}


def _reasoned_response(plan: Plan) -> Evidence | None:
    consultations = list((plan.contributions or {}).values())
    if not consultations:
        return None
    items = [item for c in consultations for item in c.items]
    statuses: Counter[str] = Counter(
        item.response.status for item in items if item.response is not None
    )
    responded = sum(statuses.values())
    facts: dict[str, Any] = {
        "consultations": len(consultations),
        "contributions": len(items),
        "responded": responded,
        "unanswered": len(items) - responded,
        "responses_by_status": {s: statuses[s] for s in RESPONSE_STATUSES if statuses[s]},
    }
    cycle = _paths(plan)["cycle"]
    files = [f"{cycle}/contributions/{c.id}.yaml" for c in consultations]
    return {"files": files, "facts": facts}


_EVIDENCE: dict[str, Callable[[Plan], Evidence | None]] = {
    "forum-exists": _forum_exists,
    "forum-multi-stakeholder": _forum_multi_stakeholder,
    "non-government-approval": _non_government_approval,
    "information-before-meetings": _information_before_meetings,
    "reasoned-response": _reasoned_response,
}


def requirement_evidence(plan: Plan) -> dict[str, Evidence]:
    """The record's evidence for each requirement it holds some for, by requirement."""
    found = {name: of(plan) for name, of in _EVIDENCE.items()}
    return {name: evidence for name, evidence in found.items() if evidence is not None}
