"""The site's pages written: a member's (its page, its plans' pages, their downloads) and the
home page with its pages by country and by OGP value."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from actionplan.fsutil import write_atomic
from actionplan.layout import COMMITMENTS
from actionplan.merge import Plan
from actionplan.pipeline import documents as docs
from actionplan.pipeline.deps import SITE_RECORD_TEMPLATES
from actionplan.pipeline.project import PlanTarget, Settings
from actionplan.render import timeline
from actionplan.render.cocreation import record_helpers
from actionplan.render.html import View, document_view, environment, render_template
from actionplan.render.labels import babel_locale, load_labels, text_direction
from actionplan.render.site.context import (
    Edit,
    Summary,
    current,
    git_edits,
    git_updated,
    status_changes,
    summarize,
)
from actionplan.status import FLAGS

STYLESHEET = "site.css"
FORMATS = ("pdf", "docx", "html")

Shown = list[tuple[PlanTarget, Plan]]


def _render(settings: Settings, name: str, view: View, root: str, **context: Any) -> str:
    template = environment(settings.templates / "site").get_template(name)
    names = {code: _language_name(code) for code in view.plan.member.languages}
    shared = {"flags": FLAGS, "ogp_values": docs.OGP_VALUES, "language_names": names}
    shared["home"] = docs.site_network_page("index", view.lang)  # every page's language has one
    return template.render(view=view, lang=view.lang, dir=view.dir, root=root, **shared, **context)


def _language_name(code: str) -> str:
    """A language's name in itself (`français`, `العربية`), as language menus show them; in
    English for the few ISO codes CLDR has no locale of (`fj`), whose `get_display_name`
    raises."""
    return babel_locale(code).languages.get(code) or babel_locale("en").languages.get(code, code)


@dataclass(frozen=True)
class Download:
    """One file a plan page offers: its label key, its path beside the page, its format."""

    label: str
    href: str
    format: str
    subject: Any = None
    """The commitment an end-of-commitment assessment is about, or None."""

    @property
    def assessment(self) -> bool:
        return self.label.startswith("assessment.")


def _downloads(target: PlanTarget, plan: Plan, lang: str) -> list[Download]:
    """The plan's built files in `lang` (and plan.json, the e-filing manifest), as the site
    holds them beside the plan's pages."""
    items = [
        Download("site.download.action_plan", f"action-plan.{lang}.{f}", f) for f in FORMATS[:2]
    ]
    if docs.progress_targets(target):
        items += [
            Download("progress_report.kind", f"progress-report.{lang}.{f}", f) for f in FORMATS
        ]
    if docs.cocreation_targets(target):
        items += [
            Download("cocreation_report.kind", f"co-creation-report.{lang}.{f}", f) for f in FORMATS
        ]
    titles = {c.id: c.title for c in plan.commitments}
    for doc in docs.assessment_documents(target):
        key = f"assessment.{doc.kind.replace('-', '_')}_kind"
        subject = titles.get(doc.commitment) if doc.commitment else None
        href = f"{docs.ASSESSMENTS}/{doc.name}.{lang}"
        items += [Download(key, f"{href}.{f}", f, subject) for f in FORMATS]
    items.append(Download("site.download.data", "plan.json", "json"))
    return [*items, Download("site.download.efiling", "efiling/manifest.json", "json")]


def _copy_downloads(target: PlanTarget) -> None:
    """Copy the plan's built files into the site, and drop copies of files no longer built
    (a commitment removed, its e-filing payload gone)."""
    wanted = set()
    for built in docs.site_downloads(target):
        copy = docs.site_copy(target, built)
        wanted.add(copy)
        write_atomic(copy, built.read_bytes())
    folder = docs.site_dir(target) / target.member_dir.name / target.cycle_dir.name
    pages = set(docs.site_plan_pages(target)) | set(docs.site_commitment_pages(target))
    for stale in sorted(folder.rglob("*")):
        if stale.is_file() and stale not in wanted and stale not in pages:
            stale.unlink()


@dataclass(frozen=True)
class _OnThePage:
    """Where the record's partials link a commitment they name: to its heading on the plan
    page, where the co-creation report links to the action plan."""

    view: View

    def action_plan(self, cid: str) -> Markup:
        label = self.view.label("site.see_commitment")
        return Markup('<a class="plan-ref" href="#c-{}">{}</a>').format(cid, label)


def _record(settings: Settings, view: View) -> Markup:
    """The plan's meetings and consultations, each contribution with its response, with the
    co-creation report's own partials (templates/, not templates/site/)."""
    extra = {"links": _OnThePage(view), **record_helpers(view)}
    parts = [
        render_template(name, view, settings.templates, extra=extra)
        for name in SITE_RECORD_TEMPLATES
    ]
    return Markup("").join(Markup(part) for part in parts)


def _write_plan(settings: Settings, target: PlanTarget, plan: Plan, summary: Summary) -> None:
    """A plan's page and each of its commitments' history pages, in each of its languages."""
    langs = plan.member.languages
    ids = [c.id for c in plan.commitments]
    edits = git_edits(settings.root, target.cycle_dir / COMMITMENTS, ids)
    feed = f"{plan.member.id}-{plan.cycle}.atom"
    for lang, page in zip(langs, docs.site_plan_pages(target, langs), strict=True):
        view = document_view(plan, lang, settings.templates)
        drawing = timeline.chart(plan, lang, view.labels)
        html = _render(
            settings,
            "plan.html.j2",
            view,
            "../../",
            summary=summary,
            downloads=_downloads(target, plan, lang),
            feed=feed,
            chart=Markup(timeline.svg(drawing)),
            bars=drawing.bars,
            record=_record(settings, view),
        )
        write_atomic(page, html)
        _write_histories(settings, view, page.parent / docs.COMMITMENT_PAGES, edits, feed)


def _write_histories(
    settings: Settings, view: View, folder: Path, edits: dict[str, list[Edit]] | None, feed: str
) -> None:
    """Each commitment's history page in the view's language; `edits` None outside git."""
    plan = view.plan
    for number, commitment in enumerate(plan.commitments, start=1):
        html = _render(
            settings,
            "commitment.html.j2",
            view,
            "../../../",
            commitment=commitment,
            number=number,
            changes=status_changes(plan, commitment),
            edits=None if edits is None else edits[commitment.id],
            feed=feed,
        )
        write_atomic(folder / f"{commitment.id}.{view.lang}.html", html)


def write_member(settings: Settings, shown: Shown) -> None:
    """A member's page, each of its plans' pages per language, and their downloads."""
    summaries = []
    for target, plan in shown:
        summary = summarize(plan, git_updated(settings.root, target.inputs()))
        summaries.append(summary)
        _copy_downloads(target)
        _write_plan(settings, target, plan, summary)
    latest = current(summaries)
    plan = latest.plan
    view = document_view(plan, plan.primary_language, settings.templates)
    ordered = sorted(summaries, key=lambda s: s.plan.vision.period.start, reverse=True)
    html = _render(settings, "member.html.j2", view, "../", summaries=ordered, latest=latest)
    write_atomic(docs.site_dir(shown[0][0]) / plan.member.id / "index.html", html)


@dataclass(frozen=True)
class Row:
    """A member on a network page: its current plan, summed up, in the page's language."""

    view: View
    summary: Summary

    @property
    def page_language(self) -> str:
        """Its plan page's language: the row's when the plan has it, else its primary one."""
        plan = self.summary.plan
        return self.view.lang if self.view.lang in plan.member.languages else plan.primary_language

    @property
    def page(self) -> str:
        """Its plan's page, in `page_language`, from the site's root."""
        plan = self.summary.plan
        return f"{plan.member.id}/{plan.cycle}/index.{self.page_language}.html"

    @property
    def shows_period(self) -> bool:
        """Whether the period needs saying after the title: not when the title, as shown,
        names both of its years already (`... 2024-2026`)."""
        plan = self.summary.plan
        title = self.view.plain(plan.vision.title)
        years = (plan.vision.period.start.year, plan.vision.period.end.year)
        return not all(re.search(rf"(?<!\d){year}(?!\d)", title) for year in years)


def write_home(settings: Settings, shown: Shown) -> None:
    """The network's pages (the home page, its pages by country and by OGP value) in every
    language of its members, and the stylesheet."""
    site = docs.site_dir(shown[0][0])
    members: dict[str, list[Summary]] = {}
    for target, plan in shown:
        summary = summarize(plan, git_updated(settings.root, target.inputs()))
        members.setdefault(plan.member.id, []).append(summary)
    latest = [current(summaries) for summaries in members.values()]
    languages = sorted({docs.SITE_LANGUAGE, *(c for s in latest for c in s.plan.member.languages)})
    for lang in languages:
        _write_network(settings, site, lang, languages, latest)
    write_atomic(site / STYLESHEET, (settings.templates / "site" / STYLESHEET).read_bytes())


def _by_name(name: Callable[[str], str]) -> Callable[[str], tuple[str, str]]:
    """A sort key of codes by their names in a language: letters without their accents and
    case first (`Émirats` among the E), without a collation library; the code breaks ties."""

    def key(code: str) -> tuple[str, str]:
        letters = unicodedata.normalize("NFKD", name(code))
        return "".join(c for c in letters if not unicodedata.combining(c)).casefold(), code

    return key


def _write_network(
    settings: Settings, site: Path, lang: str, languages: list[str], latest: list[Summary]
) -> None:
    """The network's pages in `lang`, each linking to itself in the other `languages`."""
    labels = load_labels(settings.templates, lang)
    countries = sorted({s.plan.member.country for s in latest}, key=_by_name(labels.country))
    order = {code: n for n, code in enumerate(countries)}
    latest = sorted(latest, key=lambda s: (order[s.plan.member.country], s.plan.member.id))
    rows = [Row(View(s.plan, labels, lang, s.plan.primary_language), s) for s in latest]
    view = rows[0].view
    shared = {
        "countries": countries,
        "values": docs.OGP_VALUES,
        "network_languages": {code: _language_name(code) for code in languages},
        "network_page": docs.site_network_page,
        "direction": text_direction,
    }

    def page(name: str, chosen: list[Row], **heading: str) -> None:
        root = "../" if "/" in name else ""
        html = _render(
            settings, "home.html.j2", view, root, rows=chosen, page_name=name, **shared, **heading
        )
        write_atomic(site / docs.site_network_page(name, lang), html)

    page("index", rows)
    for code in countries:
        chosen = [row for row in rows if row.summary.plan.member.country == code]
        page(f"country/{code.lower()}", chosen, country=code)
    for value in docs.OGP_VALUES:
        chosen = [row for row in rows if value in row.summary.values]
        page(f"value/{value}", chosen, value=value)
