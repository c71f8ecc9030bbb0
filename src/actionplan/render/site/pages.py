"""The site's pages written: a member's (its page, its plans' pages, their downloads) and the
home page with its pages by country and by OGP value."""

from __future__ import annotations

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
from actionplan.render.labels import babel_locale
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

HOME_LANGUAGE = "en"
"""The home page's language: it lists members of every language (each name marked with its)."""
STYLESHEET = "site.css"
FORMATS = ("pdf", "docx", "html")

Shown = list[tuple[PlanTarget, Plan]]


def _render(settings: Settings, name: str, view: View, root: str, **context: Any) -> str:
    template = environment(settings.templates / "site").get_template(name)
    names = {code: _language_name(code) for code in view.plan.member.languages}
    shared = {"flags": FLAGS, "ogp_values": docs.OGP_VALUES, "language_names": names}
    return template.render(view=view, lang=view.lang, dir=view.dir, root=root, **shared, **context)


def _language_name(code: str) -> str:
    """A language's name in itself (`français`, `العربية`), as language menus show them."""
    name = babel_locale(code).get_display_name(code)
    return name or code


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
    """A member on the home page: its current plan, summed up, in the home's language."""

    view: View
    summary: Summary


def write_home(settings: Settings, shown: Shown) -> None:
    """The home page, its stylesheet, and its pages by country and by OGP value."""
    site = docs.site_dir(shown[0][0])
    members: dict[str, list[Summary]] = {}
    for target, plan in shown:
        summary = summarize(plan, git_updated(settings.root, target.inputs()))
        members.setdefault(plan.member.id, []).append(summary)
    rows = []
    for summaries in members.values():
        plan = current(summaries).plan
        view = document_view(plan, HOME_LANGUAGE, settings.templates)
        rows.append(Row(view, current(summaries)))
    rows.sort(key=lambda row: (row.summary.plan.member.country, row.summary.plan.member.id))
    view = rows[0].view
    countries = sorted({row.summary.plan.member.country for row in rows})
    filters = {"countries": countries, "values": docs.OGP_VALUES}

    def page(path: Path, root: str, chosen: list[Row], **heading: str) -> None:
        html = _render(settings, "home.html.j2", view, root, rows=chosen, **filters, **heading)
        write_atomic(path, html)

    page(site / "index.html", "", rows)
    for code in countries:
        chosen = [row for row in rows if row.summary.plan.member.country == code]
        page(site / "country" / f"{code.lower()}.html", "../", chosen, country=code)
    for value in docs.OGP_VALUES:
        chosen = [row for row in rows if value in row.summary.values]
        page(site / "value" / f"{value}.html", "../", chosen, value=value)
    write_atomic(site / STYLESHEET, (settings.templates / "site" / STYLESHEET).read_bytes())
