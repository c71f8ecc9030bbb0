"""The co-creation record: a member's forum, and a plan's roadmap, meetings and consultations.

Like the plan's own files, each is written in the member's languages with `TODO:` placeholders,
validated as part of its plan, and never over an existing file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from actionplan.errors import UsageError
from actionplan.loader import display_name, load_file
from actionplan.model import Roadmap, Vision
from actionplan.model.cocreation import MEETING_ID, Channel, MeetingKind, Phase
from actionplan.scaffold.arguments import (
    Options,
    PlanOptions,
    check_slug,
    find_plan,
    one_line,
    parse_date,
    read_member,
    read_valid,
    shown,
)
from actionplan.scaffold.texts import given, placeholder, todo
from actionplan.scaffold.writing import refuse_existing, write_new

MEETING_KINDS: tuple[str, ...] = get_args(MeetingKind)
PHASES: tuple[str, ...] = get_args(Phase)
CHANNELS: tuple[str, ...] = get_args(Channel)
FORMATS = ("in-person", "online", "hybrid")
_MEETING_ID = re.compile(MEETING_ID.strip("^$").replace(r"\d", "[0-9]"))
# The proposed roadmap: four phases of co-creation in the months before the plan starts, the
# learning phase over the plan's last months.
_CO_CREATION_DAYS = 30
_LEARN_DAYS = 60


@dataclass(frozen=True)
class NewForum(Options):
    member: str


@dataclass(frozen=True)
class NewRoadmap(PlanOptions):
    """Nothing but the plan: the roadmap is drawn from its period and its member's languages."""


@dataclass(frozen=True)
class NewMeeting(PlanOptions):
    date: str
    slug: str
    kind: str = "forum"
    phase: str | None = None
    format: str = "in-person"
    title: str | None = None


@dataclass(frozen=True)
class NewContributions(PlanOptions):
    id: str
    meeting: str | None = None
    channel: str | None = None
    title: str | None = None


def new_forum(options: NewForum) -> int:
    member_id = check_slug(options.member, "member id")
    member = read_member(options.root, member_id)
    target = options.root / "plans" / member_id / "forum.yaml"
    refuse_existing(target)
    languages = member.languages
    contact: dict[str, Any] = {"name": member.point_of_contact.name}
    if member.point_of_contact.organization:
        contact["organization"] = member.point_of_contact.organization
    contact["sector"] = "government"
    members = [
        contact,
        {"name": todo("civil-society-member", languages[0]), "sector": "civil-society"},
    ]
    data: dict[str, Any] = {
        "name": placeholder("forum-name", languages),
        "mandate": placeholder("mandate", languages),
        "members": members,
    }
    return write_new(options.root, target, "forum", data)


def new_roadmap(options: NewRoadmap) -> int:
    plan_dir, member_id = find_plan(options.root, options.plan)
    member = read_member(options.root, member_id)
    vision = read_valid(plan_dir / "vision.yaml", Vision, "create the plan first")
    target = plan_dir / "roadmap.yaml"
    refuse_existing(target)
    start, end = vision.period.start, vision.period.end
    days = dt.timedelta(days=_CO_CREATION_DAYS)
    first = start - 4 * days
    spans = [(first + n * days, first + (n + 1) * days - dt.timedelta(days=1)) for n in range(4)]
    spans += [(start, end), (max(start, end - dt.timedelta(days=_LEARN_DAYS)), end)]
    activities = [
        {
            "id": phase,
            "title": placeholder("activity", member.languages),
            "phase": phase,
            "start": span[0],
            "end": span[1],
        }
        for phase, span in zip(PHASES, spans, strict=True)
    ]
    data = {"target_submission": start - dt.timedelta(days=1), "activities": activities}
    return write_new(options.root, target, "roadmap", data)


def new_meeting(options: NewMeeting) -> int:
    day = parse_date(options.date, "--date")
    slug = check_slug(options.slug, "meeting slug")
    _choice(options.kind, MEETING_KINDS, "--kind")
    _choice(options.format, FORMATS, "--format")
    if options.phase is not None:
        _choice(options.phase, PHASES, "--phase")
    title = one_line(options.title, "--title") if options.title is not None else None
    plan_dir, member_id = find_plan(options.root, options.plan)
    member = read_member(options.root, member_id)
    vision = read_valid(plan_dir / "vision.yaml", Vision, "create the plan first")
    meeting_id = f"{day.isoformat()}-{slug}"
    target = plan_dir / "meetings" / f"{meeting_id}.yaml"
    refuse_existing(target)
    languages = member.languages
    data: dict[str, Any] = {
        "id": meeting_id,
        "date": day,
        "title": given(title, languages) if title else placeholder("meeting-title", languages),
        "phase": options.phase or _phase_on(day, vision, plan_dir / "roadmap.yaml"),
        "kind": options.kind,
        "format": options.format,
        "summary": placeholder("meeting-summary", languages),
    }
    return write_new(options.root, target, "meeting", data)


def _choice(value: str, allowed: tuple[str, ...], option: str) -> None:
    if value not in allowed:
        raise UsageError(f"{option} {shown(value)} is not one of {', '.join(allowed)}")


def _phase_on(day: dt.date, vision: Vision, roadmap_path: Path) -> str:
    """The phase of the roadmap's first activity on `day`; otherwise from the plan's period:
    drafting before it starts, implementation while it runs, learning after."""
    if roadmap_path.is_file():
        doc, problems = load_file(roadmap_path)
        if not problems and isinstance(doc.data, dict):
            try:
                roadmap = Roadmap.model_validate(doc.data)
            except ValueError:  # a roadmap being written: the period decides
                roadmap = None
            for activity in roadmap.activities if roadmap else []:
                if activity.start <= day <= activity.end:
                    return activity.phase
    if day < vision.period.start:
        return "draft"
    return "implement" if day <= vision.period.end else "learn"


def new_contributions(options: NewContributions) -> int:
    consultation = check_slug(options.id, "consultation id")
    if options.meeting is not None and not _MEETING_ID.fullmatch(options.meeting):
        raise UsageError(
            f"--meeting {shown(options.meeting)} is not a meeting id: YYYY-MM-DD-slug, "
            "the name of a file in the plan's meetings/ folder"
        )
    channel = options.channel or ("meeting" if options.meeting else "online-platform")
    _choice(channel, CHANNELS, "--channel")
    if channel == "meeting" and options.meeting is None:
        raise UsageError("--channel meeting needs --meeting, the id of the meeting")
    title = one_line(options.title, "--title") if options.title is not None else None
    plan_dir, member_id = find_plan(options.root, options.plan)
    member = read_member(options.root, member_id)
    if options.meeting is not None:
        meeting = plan_dir / "meetings" / f"{options.meeting}.yaml"
        if not meeting.is_file():
            raise UsageError(
                f"{display_name(meeting)}: no such file; create the meeting first with "
                f"`actionplan new meeting {options.plan} --date ... --slug ...`"
            )
    target = plan_dir / "contributions" / f"{consultation}.yaml"
    refuse_existing(target)
    languages = member.languages
    data: dict[str, Any] = {
        "id": consultation,
        "title": given(title, languages) if title else placeholder("consultation-title", languages),
        "channel": channel,
    }
    if options.meeting is not None:
        data["meeting"] = options.meeting
    data["items"] = []
    return write_new(options.root, target, "contributions", data)
