"""The diff of the co-creation record: the forum's members, the roadmap's activities, meetings
matched by id, consultations by id and their contributions by id within a consultation.

A contribution's response status is reported on its own, first (`PAR-12: not-accepted →
accepted`): it is what a monitor and the people who wrote in look for. The forum belongs to the
member, so it is compared between cycles too; the roadmap, meetings and consultations belong to
their cycle and are compared only between revisions of the same plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter
from typing import Any, TypeVar

from pydantic import BaseModel

from actionplan.diff.fields import FieldDiffer
from actionplan.diff.model import (
    ActivityRef,
    ConsultationChanges,
    ConsultationDiff,
    ConsultationRef,
    ContributionChange,
    ContributionRef,
    FieldChange,
    ForumDiff,
    ForumMemberRef,
    MeetingChanges,
    MeetingRef,
    RecordDiff,
    RecordItemChange,
    ResponseChange,
    RoadmapDiff,
)
from actionplan.evidence import meeting_date
from actionplan.merge import Plan
from actionplan.model import Contributions, Forum, Meeting, Roadmap
from actionplan.model.cocreation import Activity, Contribution, ForumMember

_T = TypeVar("_T")
_R = TypeVar("_R")
_K = TypeVar("_K")
_M = TypeVar("_M", bound=BaseModel)
_Part = Forum | Roadmap
_ID = attrgetter("id")
_NO_MEETINGS = MeetingChanges(added=[], removed=[], changed=[])
_NO_CONSULTATIONS = ConsultationChanges(added=[], removed=[], changed=[])


def compare_record(old: Plan, new: Plan, fields: FieldDiffer, cross_cycle: bool) -> RecordDiff:
    """What changed in the record; the cycle's parts only between plans of the same cycle."""
    differ = _RecordDiffer(fields)
    forum = differ.forum(old.forum, new.forum)
    if cross_cycle:
        return RecordDiff(forum=forum, meetings=_NO_MEETINGS, consultations=_NO_CONSULTATIONS)
    return RecordDiff(
        forum=forum,
        roadmap=differ.roadmap(old.roadmap, new.roadmap),
        meetings=differ.meetings(old.meetings or {}, new.meetings or {}),
        consultations=differ.consultations(old.contributions or {}, new.contributions or {}),
    )


def record_changed(record: RecordDiff) -> bool:
    """True when anything in the record differs."""
    meetings, consultations = record.meetings, record.consultations
    return bool(
        record.forum
        or record.roadmap
        or meetings.added
        or meetings.removed
        or meetings.changed
        or consultations.added
        or consultations.removed
        or consultations.changed
    )


def record_summary(record: RecordDiff) -> dict[str, int | bool]:
    """The record's counts for the diff's summary (model.Summary's record fields)."""
    forum, meetings, consultations = record.forum, record.meetings, record.consultations
    changed = consultations.changed
    return {
        "forum_changed": forum is not None,
        "forum_members_added": len(forum.members_added) if forum else 0,
        "forum_members_removed": len(forum.members_removed) if forum else 0,
        "roadmap_changed": record.roadmap is not None,
        "meetings_added": len(meetings.added),
        "meetings_removed": len(meetings.removed),
        "meetings_changed": len(meetings.changed),
        "consultations_added": len(consultations.added),
        "consultations_removed": len(consultations.removed),
        "contributions_added": sum(len(c.contributions_added) for c in changed),
        "contributions_removed": sum(len(c.contributions_removed) for c in changed),
        "contributions_changed": sum(len(c.contributions_changed) for c in changed),
        "responses_changed": sum(len(c.responses) for c in changed),
    }


def keyed(items: Iterable[_T], key: Callable[[_T], _K]) -> dict[tuple[_K, int], _T]:
    """Items by key, and n-th of that key should two share one (the validator reports it): how
    the same item is found in two revisions."""
    seen: Counter[_K] = Counter()
    out = {}
    for item in items:
        name = key(item)
        out[(name, seen[name])] = item
        seen[name] += 1
    return out


def added_removed(
    before: Mapping[_K, _T], after: Mapping[_K, _T], ref: Callable[[_T], _R]
) -> tuple[list[_R], list[_R]]:
    """The refs of the items only `after` has (added), and of those only `before` has."""
    added = [ref(item) for key, item in after.items() if key not in before]
    return added, [ref(item) for key, item in before.items() if key not in after]


def _member_ref(member: ForumMember) -> ForumMemberRef:
    return ForumMemberRef(name=member.name, organization=member.organization, sector=member.sector)


def _activity_ref(activity: Activity) -> ActivityRef:
    return ActivityRef.model_validate(activity, from_attributes=True)  # the fields it shares


def _meeting_ref(meeting: Meeting) -> MeetingRef:
    return MeetingRef(
        id=meeting.id,
        title=meeting.title,
        date=meeting_date(meeting),
        phase=meeting.phase,
        kind=meeting.kind,
        attendance=meeting.attendance.total if meeting.attendance else None,
    )


def _consultation_ref(consultation: Contributions) -> ConsultationRef:
    return ConsultationRef(
        id=consultation.id,
        title=consultation.title,
        channel=consultation.channel,
        contributions=len(consultation.items),
        responded=sum(item.response is not None for item in consultation.items),
    )


def _contribution_ref(item: Contribution) -> ContributionRef:
    return ContributionRef(
        id=item.id,
        date=item.date,
        author=item.author,
        text=item.text,
        status=item.response.status if item.response else None,
    )


def _response_change(old: Contribution, new: Contribution) -> ResponseChange | None:
    was = old.response.status if old.response else None
    now = new.response.status if new.response else None
    if was == now:
        return None
    shown = new.response or old.response
    return ResponseChange(
        item=new.id,
        old=was,
        new=now,
        date=shown.date if shown else None,
        reason=shown.reason if shown else None,
    )


class _RecordDiffer:
    def __init__(self, fields: FieldDiffer) -> None:
        self.fields = fields

    def forum(self, old: Forum | None, new: Forum | None) -> ForumDiff | None:
        if old == new:
            return None
        return ForumDiff(**self._part(old, new, "members", "name", "name", _member_ref))

    def roadmap(self, old: Roadmap | None, new: Roadmap | None) -> RoadmapDiff | None:
        if old == new:
            return None
        return RoadmapDiff(**self._part(old, new, "activities", "id", "title", _activity_ref))

    def _part(
        self,
        old: _Part | None,
        new: _Part | None,
        items: str,
        key: str,
        title: str,
        ref: Callable[[Any], BaseModel],
    ) -> dict[str, Any]:
        """The forum's or the roadmap's diff, as ForumDiff's or RoadmapDiff's fields: whether it
        came or went, its own fields, and its list of `items` matched by their `key`."""
        before = keyed(getattr(old, items) if old else [], attrgetter(key))
        after = keyed(getattr(new, items) if new else [], attrgetter(key))
        added, removed = added_removed(before, after, ref)
        fields = (
            []
            if old is None or new is None
            else self.fields.models(old, new, skip=frozenset({items}))
        )
        return {
            "change": "added" if old is None else "removed" if new is None else "changed",
            "fields": fields,
            f"{items}_added": added,
            f"{items}_removed": removed,
            f"{items}_changed": self._changes(before, after, key, title),
        }

    def meetings(self, old: dict[str, Meeting], new: dict[str, Meeting]) -> MeetingChanges:
        if old == new:
            return _NO_MEETINGS
        added, removed = added_removed(old, new, _meeting_ref)
        changed = self._changes(old, new, "id", "title")
        return MeetingChanges(added=added, removed=removed, changed=changed)

    def _changes(
        self,
        before: Mapping[_K, _M],
        after: Mapping[_K, _M],
        key: str,
        title: str,
    ) -> list[RecordItemChange]:
        """Each item in both that differs: what changed but its `key`, under its `key` and its
        `title` (a forum member's are both its name)."""
        changed = []
        for k, item in after.items():
            previous = before.get(k)
            if previous is not None and previous != item:
                found = self.fields.models(previous, item, skip=frozenset({key}))
                ident, shown = str(getattr(item, key)), getattr(item, title)
                changed.append(RecordItemChange(id=ident, title=shown, fields=found))
        return changed

    def consultations(
        self, old: dict[str, Contributions], new: dict[str, Contributions]
    ) -> ConsultationChanges:
        if old == new:
            return _NO_CONSULTATIONS
        changed = []
        for cid, consultation in new.items():
            previous = old.get(cid)
            if previous is not None and previous != consultation:
                changed.append(self.consultation(previous, consultation))
        added, removed = added_removed(old, new, _consultation_ref)
        return ConsultationChanges(added=added, removed=removed, changed=changed)

    def consultation(self, old: Contributions, new: Contributions) -> ConsultationDiff:
        before, after = keyed(old.items, _ID), keyed(new.items, _ID)
        responses, changed = [], []
        for key, item in after.items():
            previous = before.get(key)
            if previous is None or previous == item:
                continue
            response = _response_change(previous, item)
            if response is not None:
                responses.append(response)
            found = self._contribution_fields(previous, item, response is not None)
            if found:
                changed.append(ContributionChange(item=item.id, fields=found))
        added, removed = added_removed(before, after, _contribution_ref)
        return ConsultationDiff(
            id=new.id,
            title=new.title,
            responses=responses,
            fields=self.fields.models(old, new, skip=frozenset({"id", "items"})),
            contributions_added=added,
            contributions_removed=removed,
            contributions_changed=changed,
        )

    def _contribution_fields(
        self, old: Contribution, new: Contribution, status_reported: bool
    ) -> list[FieldChange]:
        """The contribution's changes; a response given or withdrawn is the ResponseChange
        alone, a response whose status changed is shown without its `status` again."""
        found = self.fields.models(old, new, skip=frozenset({"id", "response"}))
        if old.response is not None and new.response is not None:
            skip = frozenset({"status"}) if status_reported else frozenset()
            found += self.fields.models(old.response, new.response, "response", skip=skip)
        return found
