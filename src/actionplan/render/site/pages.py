"""The site's pages written: a member's (its page, its plans' pages, their downloads) and the
home page with its pages by country and by OGP value."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actionplan.fsutil import write_atomic
from actionplan.merge import Plan
from actionplan.pipeline import documents as docs
from actionplan.pipeline.project import PlanTarget, Settings
from actionplan.render.html import View, document_view, environment
from actionplan.render.labels import babel_locale
from actionplan.render.site.context import Summary, current, git_updated, summarize
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
    pages = set(docs.site_plan_pages(target))
    for stale in sorted(folder.rglob("*")):
        if stale.is_file() and stale not in wanted and stale not in pages:
            stale.unlink()


def write_member(settings: Settings, shown: Shown) -> None:
    """A member's page, each of its plans' pages per language, and their downloads."""
    summaries = []
    for target, plan in shown:
        summary = summarize(plan, git_updated(settings.root, target.inputs()))
        summaries.append(summary)
        _copy_downloads(target)
        for lang, page in zip(plan.member.languages, docs.site_plan_pages(target), strict=True):
            view = document_view(plan, lang, settings.templates)
            html = _render(
                settings,
                "plan.html.j2",
                view,
                "../../",
                summary=summary,
                downloads=_downloads(target, plan, lang),
                feed=f"{plan.member.id}-{plan.cycle}.atom",
            )
            write_atomic(page, html)
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
