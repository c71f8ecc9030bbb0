"""Rules of the plan's approval (question 7) and of the assessments' dates, authors and
coverage, and of the member's responses to the inception assessment's recommendations.

Whether an approval counts is actionplan.approval's to say (it lifts the draft mark); these
rules report each of its faults where a team fixes it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from actionplan.approval import Fault, approval_faults, is_endorsed
from actionplan.model import Inception, Vision
from actionplan.problems import Problem, Severity
from actionplan.validate.cocreation import References
from actionplan.validate.plan import LoadedPlan
from actionplan.validate.schema import SourceFile


def check_approval_and_assessments(
    plan: LoadedPlan, refs: References, build_date: dt.date
) -> Iterator[Problem]:
    """The approval's rules, and the assessments' beyond what validate/rules.py checks."""
    if (vision := plan.vision_model) is not None and plan.vision is not None:
        yield from _approval(plan.vision, vision, build_date)
    yield from _assessment_dates(plan, build_date)
    yield from _evaluators(plan)
    inception, src = plan.inception_model(), plan.inception
    if inception is not None and src is not None:
        yield from _coverage(src, inception, refs)
        yield from _responses(src, inception, refs)


def _approval(src: SourceFile, vision: Vision, build_date: dt.date) -> Iterator[Problem]:
    approval = vision.approval
    if approval is None:
        return  # a draft: every output says so
    faults = approval_faults(vision, build_date)
    if Fault.NOT_FORMAL in faults:
        yield src.at(
            ("approval", "approved_by"),
            "approval-formal",
            "no approver is the executive or the council (`kind: executive` or `council`); the "
            "plan is approved formally by the mayor or the local council, and stays a draft "
            "until it is",
            key=True,
        )
    if Fault.IN_FUTURE in faults:
        yield src.at(
            ("approval", "date"),
            "approval-date",
            f"approved on {approval.date}, after today ({build_date}); the plan stays a draft "
            "until it is approved",
        )
    if Fault.AFTER_SUBMISSION in faults:
        yield src.at(
            ("approval", "date"),
            "approval-date",
            f"approved on {approval.date}, after the plan was submitted to OGP on "
            f"{vision.submitted}; a plan is approved before it is filed",
        )
    if not is_endorsed(vision):
        yield src.at(
            ("approval", "approved_by"),
            "approval-endorsement",
            "no approver is from civil society or the forum (`kind: civil-society` or `forum`); "
            "the plan is endorsed by non-government stakeholders (minimum requirement 3)",
            key=True,
            severity=Severity.WARNING,
        )


def _assessment_dates(plan: LoadedPlan, build_date: dt.date) -> Iterator[Problem]:
    dated: list[tuple[SourceFile, dt.date, str]] = []
    if (inception := plan.inception_model()) is not None and plan.inception is not None:
        dated.append((plan.inception, inception.date, "the inception assessment"))
    if (final := plan.final_model()) is not None and plan.final_summary is not None:
        dated.append((plan.final_summary, final.date, "the final summary"))
    commitments = plan.commitment_models()
    for src, end in plan.end_models():
        dated.append((src, end.date, "the end-of-commitment assessment"))
        target = commitments.get(end.commitment)
        if target is not None and end.date < (start := target[1].period.start):
            yield src.at(
                ("date",),
                "assessment-date",
                f"dated {end.date}, before commitment `{end.commitment}` starts on {start}; "
                "a commitment is assessed once it has been carried out",
            )
    for src, day, what in dated:
        if day > build_date:
            yield src.at(
                ("date",), "assessment-date", f"{what} is dated {day}, after today ({build_date})"
            )


def _evaluators(plan: LoadedPlan) -> Iterator[Problem]:
    member = plan.member_model
    if member is None:
        return
    body = member.monitoring_body.name
    authored: list[tuple[SourceFile, str]] = [(s, m.evaluator) for s, m in plan.end_models()]
    if (inception := plan.inception_model()) is not None and plan.inception is not None:
        authored.insert(0, (plan.inception, inception.evaluator))
    for src, evaluator in authored:
        if _same_name(evaluator, body):
            continue
        yield src.at(
            ("evaluator",),
            "assessment-evaluator",
            f"written by `{evaluator}`, not by the member's monitoring body `{body}` "
            "(member.yaml); assessments are the independent monitoring body's",
            severity=Severity.WARNING,
        )


def _same_name(a: str, b: str) -> bool:
    """Equal but for case and spacing: `Open Research  Institute` is the same body."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _coverage(src: SourceFile, inception: Inception, refs: References) -> Iterator[Problem]:
    # Only the commitments that loaded: a file that failed (or a folder named like one) has
    # its own problem, and is not a commitment the monitoring body could have assessed.
    loaded = refs.loaded
    assessed = {design.commitment for design in inception.commitments}
    missing = sorted(loaded - assessed)
    if not missing:
        return
    total = len(loaded)
    yield src.at(
        ("commitments",),
        "inception-coverage",
        f"the assessment covers {total - len(missing)} of the plan's {total} commitments; "
        f"not assessed: {', '.join(missing)}",
        key=True,
        severity=Severity.WARNING,
    )


def _responses(src: SourceFile, inception: Inception, refs: References) -> Iterator[Problem]:
    count = len(inception.recommendations)
    first: dict[int, int] = {}
    for index, answer in enumerate(inception.responses or []):
        at = ("responses", index)
        number = answer.recommendation
        if number > count:
            yield src.at(
                (*at, "recommendation"),
                "unresolved-reference",
                f"there is no recommendation {number}: the assessment makes {count} "
                "(they are numbered from 1, in the order of `recommendations`)",
            )
        elif number in first:
            yield src.at(
                (*at, "recommendation"),
                "duplicate-id",
                f"recommendation {number} is answered twice (first in response "
                f"{first[number] + 1}); answer it once",
            )
        first.setdefault(number, index)
        yield from refs.commitment_list(src, (*at, "commitments"), answer.commitments)
