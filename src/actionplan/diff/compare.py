"""The semantic diff of two merged plans: commitments and milestones matched by id."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from operator import attrgetter

from pydantic import BaseModel

from actionplan.diff.fields import FieldDiffer, Languages
from actionplan.diff.model import (
    SCHEMA_VERSION,
    ApprovalDiff,
    AssessmentChange,
    ChangeKind,
    CommitmentChanges,
    CommitmentDiff,
    CommitmentRef,
    FieldChange,
    MilestoneChange,
    MilestoneMove,
    MilestoneRef,
    ParticipantChange,
    ParticipantChanges,
    PlanDiff,
    PlanSide,
    ProgressEntryChange,
    ProgressEntryRef,
    StatusChange,
    Summary,
)
from actionplan.diff.record import (
    added_removed,
    compare_record,
    keyed,
    record_changed,
    record_summary,
)
from actionplan.merge import Plan
from actionplan.model import Commitment, ProgressLog
from actionplan.model.commitment import Milestone
from actionplan.model.progress import ProgressEntry, Status

_SETBACKS = frozenset({"stalled", "abandoned"})
_NAME = attrgetter("name")
_BEHIND_COMPLETE = frozenset({"in-progress", "not-started"})
_MILESTONE_DATES = frozenset({"id", "start", "end"})
_STATUS_ORDER: tuple[Status, ...] = (
    "not-started",
    "in-progress",
    "complete",
    "stalled",
    "abandoned",
)


def is_regression(old: Status | None, new: Status | None) -> bool:
    """Complete back to in progress or not started, or anything to stalled or abandoned."""
    if new is None or old == new:
        return False
    return (old == "complete" and new in _BEHIND_COMPLETE) or new in _SETBACKS


def side(plan: Plan, source: str, path: str, revision: str | None, commit: str | None) -> PlanSide:
    """How a plan is named in the diff."""
    return PlanSide(
        source=source,
        path=path,
        revision=revision,
        commit=commit,
        member=plan.member.id,
        cycle=plan.cycle,
        languages=list(plan.member.languages),
        title=plan.vision.title,
    )


def compare(old: Plan, new: Plan, old_side: PlanSide, new_side: PlanSide) -> PlanDiff:
    """Everything that differs between two plans, in the order the diff reports it."""
    return _Comparison(old, new).run(old_side, new_side)


def _commitment_ref(commitment: Commitment, log: ProgressLog | None) -> CommitmentRef:
    latest = latest_statuses(log)
    counts = Counter(latest[m.id][0] for m in commitment.milestones if m.id in latest)
    return CommitmentRef(
        id=commitment.id,
        title=commitment.title,
        start=commitment.period.start,
        end=commitment.period.end,
        milestones=len(commitment.milestones),
        statuses={status: counts[status] for status in _STATUS_ORDER if counts[status]},
    )


def _milestone_ref(milestone: Milestone, log: ProgressLog | None) -> MilestoneRef:
    found = latest_statuses(log).get(milestone.id)
    return MilestoneRef(
        id=milestone.id,
        title=milestone.title,
        start=milestone.start,
        end=milestone.end,
        status=found[0] if found else None,
    )


def _entry_ref(entry: ProgressEntry) -> ProgressEntryRef:
    return ProgressEntryRef(
        date=entry.date, milestone=entry.milestone, status=entry.status, note=entry.note
    )


def latest_statuses(log: ProgressLog | None) -> dict[str, tuple[Status, dt.date]]:
    """Each milestone's status: its latest entry's (entries are in date order)."""
    out: dict[str, tuple[Status, dt.date]] = {}
    if log is not None:
        for entry in log.entries:
            out[entry.milestone] = (entry.status, entry.date)
    return out


def _by_day(entry: ProgressEntry) -> tuple[dt.date, str]:
    return entry.date, entry.milestone


class _Comparison:
    def __init__(self, old: Plan, new: Plan) -> None:
        self.old, self.new = old, new
        self.cross_cycle = old.cycle != new.cycle
        order = tuple(dict.fromkeys([*new.member.languages, *old.member.languages]))
        self.fields = FieldDiffer(Languages(old.primary_language, new.primary_language, order))

    def run(self, old_side: PlanSide, new_side: PlanSide) -> PlanDiff:
        commitments = self.commitments()
        vision = self.fields.models(
            self.old.vision, self.new.vision, skip=frozenset({"approval", "co_creation"})
        )
        vision += self.fields.models(
            self.old.vision.co_creation,
            self.new.vision.co_creation,
            "co_creation",
            skip=frozenset({"participants"}),
        )
        approval = self.approval()
        participants = self.participants()
        member = self.fields.models(self.old.member, self.new.member)
        assessments = [] if self.cross_cycle else self.assessments()
        record = compare_record(self.old, self.new, self.fields, self.cross_cycle)
        summary = _summary(commitments, vision, approval, participants, member, assessments)
        summary = summary.model_copy(update=record_summary(record))
        identical = not (
            commitments.added
            or commitments.removed
            or commitments.changed
            or vision
            or approval
            or participants.added
            or participants.removed
            or participants.changed
            or member
            or assessments
            or record_changed(record)
        )
        return PlanDiff(
            schema_version=SCHEMA_VERSION,
            old=old_side,
            new=new_side,
            cross_cycle=self.cross_cycle,
            identical=identical,
            summary=summary,
            commitments=commitments,
            vision=vision,
            approval=approval,
            participants=participants,
            member=member,
            assessments=assessments,
            record=record,
        )

    def commitments(self) -> CommitmentChanges:
        before = {c.id: c for c in self.old.commitments}
        after = {c.id: c for c in self.new.commitments}
        changed, unchanged = [], []
        for cid, commitment in after.items():
            if cid not in before:
                continue
            found = self.commitment(before[cid], commitment)
            if found is None:
                unchanged.append(_commitment_ref(commitment, self.new.progress.get(cid)))
            else:
                changed.append(found)
        return CommitmentChanges(
            added=[
                _commitment_ref(c, self.new.progress.get(cid))
                for cid, c in after.items()
                if cid not in before
            ],
            removed=[
                _commitment_ref(c, self.old.progress.get(cid))
                for cid, c in before.items()
                if cid not in after
            ],
            changed=changed,
            unchanged=unchanged,
        )

    def commitment(self, old: Commitment, new: Commitment) -> CommitmentDiff | None:
        old_log, new_log = self.old.progress.get(old.id), self.new.progress.get(new.id)
        if old == new and old_log == new_log:
            return None
        fields = self.fields.models(old, new, skip=frozenset({"id", "milestones"}))
        before = {m.id: m for m in old.milestones}
        after = {m.id: m for m in new.milestones}
        moved, changed = [], []
        for mid, milestone in after.items():
            previous = before.get(mid)
            if previous is None or previous == milestone:
                continue
            if (previous.start, previous.end) != (milestone.start, milestone.end):
                moved.append(_move(previous, milestone))
            found = self.fields.models(previous, milestone, skip=_MILESTONE_DATES)
            if found:
                changed.append(MilestoneChange(id=mid, title=milestone.title, fields=found))
        statuses = self.statuses(old_log, new_log, before, after)
        progress = ([], [], []) if self.cross_cycle else self.progress(old_log, new_log)
        result = CommitmentDiff(
            id=new.id,
            title=new.title,
            fields=fields,
            milestones_added=[
                _milestone_ref(m, new_log) for i, m in after.items() if i not in before
            ],
            milestones_removed=[
                _milestone_ref(m, old_log) for i, m in before.items() if i not in after
            ],
            milestones_moved=moved,
            milestones_changed=changed,
            status_changes=statuses,
            progress_added=progress[0],
            progress_removed=progress[1],
            progress_changed=progress[2],
        )
        lists = (
            result.fields,
            result.milestones_added,
            result.milestones_removed,
            result.milestones_moved,
            result.milestones_changed,
            result.status_changes,
            *progress,
        )
        return result if any(lists) else None

    def statuses(
        self,
        old_log: ProgressLog | None,
        new_log: ProgressLog | None,
        before: dict[str, Milestone],
        after: dict[str, Milestone],
    ) -> list[StatusChange]:
        if old_log == new_log:
            return []
        old_status, new_status = latest_statuses(old_log), latest_statuses(new_log)
        out = []
        for mid, milestone in after.items():
            if mid not in before:
                continue
            was, now = old_status.get(mid), new_status.get(mid)
            old = was[0] if was else None
            new = now[0] if now else None
            if old == new:
                continue
            out.append(
                StatusChange(
                    milestone=mid,
                    title=milestone.title,
                    old=old,
                    new=new,
                    old_date=was[1] if was else None,
                    new_date=now[1] if now else None,
                    regression=is_regression(old, new),
                )
            )
        return out

    def progress(
        self, old_log: ProgressLog | None, new_log: ProgressLog | None
    ) -> tuple[list[ProgressEntryRef], list[ProgressEntryRef], list[ProgressEntryChange]]:
        if old_log == new_log:
            return [], [], []
        before = keyed(old_log.entries if old_log else [], _by_day)
        after = keyed(new_log.entries if new_log else [], _by_day)
        added, removed = added_removed(before, after, _entry_ref)
        changed = []
        for key, entry in after.items():
            previous = before.get(key)
            if previous is not None and previous != entry:
                found = self.fields.models(previous, entry, skip=frozenset({"date", "milestone"}))
                if found:
                    changed.append(
                        ProgressEntryChange(
                            date=entry.date, milestone=entry.milestone, fields=found
                        )
                    )
        return added, removed, changed

    def approval(self) -> ApprovalDiff | None:
        old, new = self.old.vision.approval, self.new.vision.approval
        if old == new:
            return None
        if old is None or new is None:
            return ApprovalDiff(change="added" if old is None else "removed", fields=[])
        fields = self.fields.models(old, new)
        return ApprovalDiff(change="changed", fields=fields) if fields else None

    def participants(self) -> ParticipantChanges:
        old = self.old.vision.co_creation.participants
        new = self.new.vision.co_creation.participants
        if old == new:
            return ParticipantChanges(added=[], removed=[], changed=[])
        before, after = keyed(old, _NAME), keyed(new, _NAME)
        changed = []
        for key, person in after.items():
            previous = before.get(key)
            if previous is not None and previous != person:
                fields = self.fields.models(previous, person, skip=frozenset({"name"}))
                if fields:
                    changed.append(ParticipantChange(name=person.name, fields=fields))
        return ParticipantChanges(
            added=[p for k, p in after.items() if k not in before],
            removed=[p for k, p in before.items() if k not in after],
            changed=changed,
        )

    def assessments(self) -> list[AssessmentChange]:
        out: list[AssessmentChange] = []
        pairs: list[tuple[str, BaseModel | None, BaseModel | None]] = [
            ("inception", self.old.inception, self.new.inception)
        ]
        ends = dict.fromkeys([*self.new.end_of_commitment, *self.old.end_of_commitment])
        pairs += [
            (
                f"end-of-commitment/{cid}",
                self.old.end_of_commitment.get(cid),
                self.new.end_of_commitment.get(cid),
            )
            for cid in ends
        ]
        pairs.append(("final-summary", self.old.final_summary, self.new.final_summary))
        for name, a, b in pairs:
            if a == b:
                continue
            if a is None or b is None:
                kind: ChangeKind = "added" if a is None else "removed"
                out.append(AssessmentChange(document=name, change=kind, fields=[]))
                continue
            fields = self.fields.models(a, b)
            if fields:
                out.append(AssessmentChange(document=name, change="changed", fields=fields))
        return out


def _move(old: Milestone, new: Milestone) -> MilestoneMove:
    return MilestoneMove(
        id=new.id,
        title=new.title,
        old_start=old.start,
        old_end=old.end,
        new_start=new.start,
        new_end=new.end,
        slip_days=(new.end - old.end).days,
        start_shift_days=(new.start - old.start).days,
    )


def _summary(
    commitments: CommitmentChanges,
    vision: list[FieldChange],
    approval: ApprovalDiff | None,
    participants: ParticipantChanges,
    member: list[FieldChange],
    assessments: list[AssessmentChange],
) -> Summary:
    changed = commitments.changed
    slips = [m.slip_days for c in changed for m in c.milestones_moved if m.slip_days > 0]
    statuses = [s for c in changed for s in c.status_changes]
    return Summary(
        commitments_added=len(commitments.added),
        commitments_removed=len(commitments.removed),
        commitments_changed=len(changed),
        commitments_unchanged=len(commitments.unchanged),
        milestones_added=sum(len(c.milestones_added) for c in changed),
        milestones_removed=sum(len(c.milestones_removed) for c in changed),
        milestones_moved=sum(len(c.milestones_moved) for c in changed),
        max_slip_days=max(slips) if slips else None,
        status_changes=len(statuses),
        status_regressions=sum(s.regression for s in statuses),
        vision_changes=len(vision),
        approval_changed=approval is not None,
        participant_changes=len(participants.added)
        + len(participants.removed)
        + len(participants.changed),
        member_changes=len(member),
        assessment_changes=len(assessments),
    )
