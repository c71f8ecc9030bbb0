"""Atom 1.0 feeds of the public site: one per plan (`feeds/<member>-<cycle>.atom`) and one for
the network (`feeds/network.atom`), of what a follower of a plan wants to hear about: a new
plan, each progress entry, each meeting, each assessment.

Every entry's date is a day of the plan's files, so the feeds are the same bytes for the same
files and build date. Only what has happened by the build date is an entry: a meeting planned
for next month is news once it has been held. Ids are tag URIs (RFC 4151) under the project's
site, made of the plan's key and the item's own ids, so an entry keeps its id across builds
and a reader never sees it twice. Links are relative to the feed (`../<member>/<cycle>/...`),
so the site can be served from any address.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from actionplan import __version__
from actionplan.merge import Plan, localized
from actionplan.model.common import LocalizedText
from actionplan.render.labels import Labels, load_labels
from actionplan.render.markdown import render_block, to_text

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TAG_AUTHORITY = "tag:ogp-local.github.io,2025:actionplan"
"""The tag URIs' authority: the project's site (the schemas' `$id` are under it too)."""
NETWORK = "network"
FEEDS = "feeds"


def feed_name(plan_key: str) -> str:
    """The file of a plan's feed under `feeds/`: `<member>-<cycle>.atom`."""
    return plan_key.replace("/", "-", 1) + ".atom"


@dataclass(frozen=True)
class Entry:
    """One entry, in its plan's primary language."""

    id: str
    day: dt.date
    title: str
    summary: str
    lang: str
    author: str
    links: tuple[tuple[str, str], ...]
    """(language, page) of each language's plan page, the primary language first."""
    category: str
    content: str = ""
    """HTML (from the plan's Markdown, raw HTML escaped), or nothing."""


class _Writer:
    """The entries of one plan, with its labels and texts in its primary language."""

    def __init__(self, plan: Plan, templates: Path) -> None:
        self.plan = plan
        self.lang = plan.primary_language
        self.labels: Labels = load_labels(templates, self.lang)
        self.author = self.text(plan.member.name)
        self.links = tuple(
            (lang, f"../{plan.key}/index.{lang}.html") for lang in plan.member.languages
        )

    def text(self, value: LocalizedText) -> str:
        return to_text(localized(value, self.lang, self.lang)[0])

    def entry(self, path: str, day: dt.date, title: str, summary: str, kind: str) -> Entry:
        return Entry(
            id=f"{TAG_AUTHORITY}:{self.plan.key}/{path}",
            day=day,
            title=title,
            summary=summary,
            lang=self.lang,
            author=self.author,
            links=self.links,
            category=kind,
        )


def plan_entries(plan: Plan, templates: Path) -> list[Entry]:
    """Every entry of one plan dated on or before the build date, newest first."""
    writer = _Writer(plan, templates)
    found = [
        *_new_plan(writer),
        *_progress(writer),
        *_meetings(writer),
        *_assessments(writer),
    ]
    return ordered(e for e in found if e.day <= plan.build_date)


def ordered(entries: Iterable[Entry]) -> list[Entry]:
    """Newest first; entries of one day by id, so the order never depends on the input's."""
    by_id = sorted(entries, key=lambda e: e.id)
    return sorted(by_id, key=lambda e: e.day, reverse=True)


def _new_plan(w: _Writer) -> Iterator[Entry]:
    vision = w.plan.vision
    approval = vision.approval.date if vision.approval else None
    day = vision.submitted or approval or vision.period.start
    summary = w.text(vision.objectives)
    yield w.entry("plan", day, w.text(vision.title), summary, "plan")


def _progress(w: _Writer) -> Iterator[Entry]:
    for commitment in w.plan.commitments:
        log = w.plan.progress.get(commitment.id)
        milestones = {m.id: w.text(m.title) for m in commitment.milestones}
        seen: dict[tuple[str, dt.date], int] = {}
        for item in log.entries if log else []:
            # By milestone and day, not by place in the log: an entry inserted above keeps
            # the ids of those below it.
            key = (item.milestone, item.date)
            seen[key] = seen.get(key, 0) + 1
            status = w.labels.enum("status", item.status)
            title = f"{milestones.get(item.milestone, item.milestone)}: {status}"
            path = f"progress/{commitment.id}/{item.milestone}/{item.date}/{seen[key]}"
            found = w.entry(path, item.date, title, w.text(commitment.title), "progress")
            if item.note is not None:
                note = localized(item.note, w.lang, w.lang)[0]
                found = _with_content(found, render_block(note))
            yield found


def _with_content(entry: Entry, content: str) -> Entry:
    return Entry(**{**entry.__dict__, "content": content})


def _meetings(w: _Writer) -> Iterator[Entry]:
    for meeting_id, meeting in (w.plan.meetings or {}).items():
        day = meeting.date or dt.date.fromisoformat(meeting_id[:10])
        title = f"{w.labels.enum('meeting_kind', meeting.kind)}: {w.text(meeting.title)}"
        summary = w.text(meeting.summary) if meeting.summary else title
        yield w.entry(f"meeting/{meeting_id}", day, title, summary, "meeting")


def _assessments(w: _Writer) -> Iterator[Entry]:
    plan, labels = w.plan, w.labels
    if plan.inception is not None:
        title = labels.text("assessment.inception_kind")
        yield w.entry("inception", plan.inception.date, title, title, "assessment")
    titles = {c.id: w.text(c.title) for c in plan.commitments}
    for commitment, found in plan.end_of_commitment.items():
        title = f"{labels.text('assessment.end_of_commitment_kind')}: {titles[commitment]}"
        summary = w.text(found.completion_explanation)
        yield w.entry(f"end-of-commitment/{commitment}", found.date, title, summary, "assessment")
    if plan.final_summary is not None:
        title = labels.text("assessment.final_summary_kind")
        yield w.entry("final-summary", plan.final_summary.date, title, title, "assessment")


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _element(parent: ET.Element, tag: str, text: str = "", **attributes: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text:
        child.text = text
    return child


@dataclass(frozen=True)
class FeedHead:
    """What a feed says of itself: its id, title, language, author and links."""

    id: str
    title: str
    lang: str
    self_href: str
    author: str = ""
    """The feed's author; empty when each entry names its own (the network's)."""
    alternate: str = ""


def atom(head: FeedHead, entries: Sequence[Entry], build_date: dt.date) -> bytes:
    """The feed as Atom 1.0 bytes; updated is its newest entry's day, or the build date."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: head.lang})
    _element(feed, "id", head.id)
    _element(feed, "title", head.title)
    _element(feed, "updated", _timestamp(max((e.day for e in entries), default=build_date)))
    if head.author:
        _element(_element(feed, "author"), "name", head.author)
    _element(feed, "link", rel="self", type="application/atom+xml", href=head.self_href)
    if head.alternate:
        _element(feed, "link", rel="alternate", type="text/html", href=head.alternate)
    _element(feed, "generator", "actionplan", version=__version__)
    for entry in entries:
        _entry(feed, entry, with_author=not head.author)
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _entry(feed: ET.Element, entry: Entry, *, with_author: bool) -> None:
    element = _element(feed, "entry", **{XML_LANG: entry.lang})
    _element(element, "id", entry.id)
    _element(element, "title", entry.title)
    _element(element, "updated", _timestamp(entry.day))
    if with_author:
        _element(_element(element, "author"), "name", entry.author)
    for lang, href in entry.links:
        _element(element, "link", rel="alternate", type="text/html", hreflang=lang, href=href)
    _element(element, "category", term=entry.category)
    _element(element, "summary", entry.summary)
    if entry.content:
        _element(element, "content", entry.content, type="html")


def plan_feed(plan: Plan, templates: Path) -> bytes:
    """The feed of one plan, in its primary language."""
    writer = _Writer(plan, templates)
    head = FeedHead(
        id=f"{TAG_AUTHORITY}:{plan.key}",
        title=f"{writer.author}: {writer.text(plan.vision.title)}",
        lang=writer.lang,
        self_href=feed_name(plan.key),
        author=writer.author,
        alternate=writer.links[0][1],
    )
    return atom(head, plan_entries(plan, templates), plan.build_date)


def network_feed(plans: Sequence[Plan], templates: Path, build_date: dt.date) -> bytes:
    """The feed of every plan's entries, each in its plan's language, newest first."""
    entries = ordered(e for plan in plans for e in plan_entries(plan, templates))
    head = FeedHead(
        id=f"{TAG_AUTHORITY}:{NETWORK}",
        title="OGP Local action plans",
        lang="en",
        self_href=f"{NETWORK}.atom",
        alternate="../index.html",
    )
    return atom(head, entries, build_date)
