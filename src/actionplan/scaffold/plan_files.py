"""The plan's own files: a member, a plan's vision, a commitment, a progress log."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actionplan.clock import build_date
from actionplan.errors import UsageError
from actionplan.loader import load_file
from actionplan.model import Commitment, Member, Vision
from actionplan.scaffold.arguments import (
    Options,
    PlanOptions,
    check_slug,
    check_website,
    find_plan,
    one_line,
    parse_country,
    parse_date,
    parse_languages,
    read_member,
    read_valid,
)
from actionplan.scaffold.texts import given, localized, placeholder, todo
from actionplan.scaffold.writing import refuse_existing, write_new
from actionplan.validate.rules import MAX_CONCURRENT

# --- the four kinds of file -----------------------------------------------------------------------
#
# Each `new_*` takes the values as given on the command line, unchecked (the messages name the
# options), checks them all before writing anything, and returns the exit code.


@dataclass(frozen=True)
class NewMember(Options):
    id: str
    name: str
    country: str
    languages: str
    website: str | None = None


@dataclass(frozen=True)
class NewPlan(Options):
    member: str
    start: str
    end: str
    term_end: str
    title: str | None = None
    previous: str | None = None


@dataclass(frozen=True)
class NewCommitment(PlanOptions):
    id: str
    title: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class NewProgress(PlanOptions):
    commitment: str
    milestone: str | None = None


def new_member(options: NewMember) -> int:
    root = options.root
    member_id = check_slug(options.id, "member id")
    country = parse_country(options.country)
    languages = parse_languages(options.languages)
    name = one_line(options.name, "--name")
    if options.website is not None:
        check_website(options.website)
    primary = languages[0]
    data: dict[str, Any] = {
        "id": member_id,
        "name": localized(languages, lambda _lang: name),
        "country": country,
        "languages": languages,
    }
    if options.website:
        data["website"] = options.website
    data["point_of_contact"] = {"name": todo("point-of-contact", primary)}
    data["monitoring_body"] = {"name": todo("monitoring-body", primary), "kind": "organization"}
    target = root / "plans" / member_id / "member.yaml"

    refuse_existing(target)

    return write_new(root, target, "member", data)


@dataclass(frozen=True)
class NewVision:
    """A new plan's vision, checked and ready to write."""

    target: Path
    member: Member
    data: dict[str, Any]


def new_plan(options: NewPlan) -> int:
    vision = new_vision(options)
    refuse_existing(vision.target)
    return write_new(options.root, vision.target, "vision", vision.data)


def new_vision(options: NewPlan) -> NewVision:
    """The vision of the plan `options` describe, its values checked."""
    member_id = check_slug(options.member, "member id")
    start = parse_date(options.start, "--start")
    end = parse_date(options.end, "--end")
    term_end = parse_date(options.term_end, "--term-end")
    title = one_line(options.title, "--title") if options.title is not None else None
    if start > end:
        raise UsageError(f"--end {end} is before --start {start}")
    if end > term_end:
        raise UsageError(
            f"the plan ends on {end}, after the term ends on {term_end}; "
            "a plan must end before the next election"
        )
    member = read_member(options.root, member_id)
    languages = member.languages
    cycle = f"{start.year:04d}-{end.year:04d}"
    target = options.root / "plans" / member_id / cycle / "vision.yaml"
    participants: list[dict[str, Any]] = [
        {"name": member.point_of_contact.name, "role": "government-point-of-contact"},
        {"name": member.monitoring_body.name, "role": "monitoring-body"},
    ]
    if member.point_of_contact.organization:
        participants[0]["organization"] = member.point_of_contact.organization
    data: dict[str, Any] = {
        "title": given(title, languages) if title else placeholder("plan-title", languages),
        "period": {"start": start, "end": end},
        "term_end": term_end,
        "long_term_vision": placeholder("long_term_vision", languages),
        "challenges": placeholder("challenges", languages),
        "objectives": placeholder("objectives", languages),
        "co_creation": {
            "process": placeholder("process", languages),
            "participants": participants,
        },
        "monitoring": placeholder("monitoring", languages),
    }
    return NewVision(target, member, data)


def _busy_days(
    periods: list[tuple[dt.date, dt.date]], start: dt.date, end: dt.date
) -> dt.date | None:
    """The first day of [start, end] on which the most commitments allowed already run."""
    days = sorted({start} | {s for s, _ in periods if start <= s <= end})
    for day in days:
        if sum(s <= day <= e for s, e in periods) >= MAX_CONCURRENT:
            return day
    return None


def new_commitment(options: NewCommitment) -> int:
    root = options.root
    commitment_id = check_slug(options.id, "commitment id")
    title = one_line(options.title, "--title") if options.title is not None else None
    given_start = parse_date(options.start, "--start") if options.start is not None else None
    given_end = parse_date(options.end, "--end") if options.end is not None else None
    plan_dir, member_id = find_plan(root, options.plan)
    member = read_member(root, member_id)
    vision = read_valid(plan_dir / "vision.yaml", Vision, "create the plan first")
    start = given_start or vision.period.start
    end = given_end or vision.period.end
    if start > end:
        raise UsageError(f"the commitment would end on {end}, before it starts on {start}")
    if start < vision.period.start or end > vision.period.end:
        raise UsageError(
            f"{start} to {end} is not within the plan's period, "
            f"{vision.period.start} to {vision.period.end}"
        )
    target = plan_dir / "commitments" / f"{commitment_id}.yaml"
    refuse_existing(target)
    others: list[tuple[dt.date, dt.date]] = []
    for path in sorted((plan_dir / "commitments").glob("*.yaml")):
        doc, problems = load_file(path)
        with contextlib.suppress(ValueError):
            if not problems:
                c = Commitment.model_validate(doc.data)
                others.append((c.period.start, c.period.end))
    busy = _busy_days(others, start, end)
    if busy is not None:
        raise UsageError(
            f"on {busy}, {MAX_CONCURRENT} commitments are already being implemented, the most "
            "allowed at once; give this one a period with --start and --end that avoids that day"
        )
    languages = member.languages
    data: dict[str, Any] = {
        "id": commitment_id,
        "title": given(title, languages) if title else placeholder("commitment-title", languages),
        "summary": placeholder("summary", languages),
        "period": {"start": start, "end": end},
        "lead": {
            "agency": placeholder("agency", languages),
            "contact": {"name": todo("contact", languages[0])},
        },
        "other_actors": {"government": [], "civil_society": [], "private_sector": [], "other": []},
        "problem": placeholder("problem", languages),
        "causes": placeholder("causes", languages),
        "status_quo": placeholder("status_quo", languages),
        "solution": placeholder("solution", languages),
        "results": placeholder("results", languages),
        "ogp_values": {"transparency": placeholder("transparency", languages)},
        "milestones": [
            {
                "id": "milestone-1",
                "title": placeholder("milestone-title", languages),
                "expected_output": placeholder("expected_output", languages),
                "start": start,
                "end": end,
            }
        ],
    }

    return write_new(root, target, "commitment", data)


def new_progress(options: NewProgress) -> int:
    root = options.root
    commitment_id = check_slug(options.commitment, "commitment id")
    if options.milestone is not None:
        check_slug(options.milestone, "milestone id")
    plan_dir, member_id = find_plan(root, options.plan)
    member = read_member(root, member_id)
    source = plan_dir / "commitments" / f"{commitment_id}.yaml"
    commitment = read_valid(
        source,
        Commitment,
        "create the commitment first with "
        f"`actionplan new commitment {options.plan} {commitment_id}`",
    )
    milestones = [m.id for m in commitment.milestones]
    milestone = options.milestone or milestones[0]
    if milestone not in milestones:
        raise UsageError(
            f"commitment `{commitment_id}` has no milestone `{milestone}`; "
            f"its milestones are {', '.join(milestones)}"
        )
    target = plan_dir / "progress" / f"{commitment_id}.yaml"
    refuse_existing(target, "; add an entry at its end instead")
    data: dict[str, Any] = {
        "commitment": commitment_id,
        "entries": [
            {
                "date": build_date(),
                "milestone": milestone,
                "status": "not-started",
                "note": placeholder("note", member.languages),
            }
        ],
    }

    return write_new(root, target, "progress", data)
