"""The action plan as HTML: one self-contained document per language, from Jinja2 templates.

Templates run in a sandbox with autoescaping and `StrictUndefined`; plan text goes through the
Markdown renderer (raw HTML shown as text); labels come from the catalogues. The stylesheet is
inlined, so the file opens on its own and never fetches anything.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import jinja2.runtime
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from actionplan.approval import Fault, approval_faults
from actionplan.merge import Plan, localized
from actionplan.model.common import LocalizedText, Period
from actionplan.render.bidi import running_text
from actionplan.render.includes import walk
from actionplan.render.labels import (
    Labels,
    catalogue_files,
    enum_groups,
    load_labels,
    text_direction,
)
from actionplan.render.markdown import render_block, render_inline, to_text

ACTION_PLAN = "action-plan.html.j2"
STYLESHEET = "style.css"
PRINT_STYLESHEET = "print.css"


@cache
def _environment(templates: Path) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # `{% trans %}key{% endtrans %}` and `gettext`/`ngettext` read the catalogue of the
    # document being rendered (its View), so one environment serves every language.
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, key: str) -> Markup:
    view: View = context["view"]
    return view.i18n(view.labels.text(key))


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, key: str, _plural: str, n: int) -> Markup:
    view: View = context["view"]
    return view.i18n(view.labels.form(key, n))


def environment(templates: Path) -> SandboxedEnvironment:
    """The sandboxed, autoescaping, strict Jinja2 environment of a templates folder."""
    return _environment(templates.resolve())


def template_dependencies(templates: Path, name: str) -> list[Path]:
    """The template `name` and every template it extends, includes or imports, recursively."""
    env = environment(templates)
    assert env.loader is not None
    loader = env.loader

    def referenced(current: str) -> list[str]:
        source, _, _ = loader.get_source(env, current)
        names = list(jinja2.meta.find_referenced_templates(env.parse(source)))
        if None in names:
            raise ValueError(f"{current}: a template named at run time cannot be tracked")
        return [ref for ref in names if ref is not None]

    return [templates / item for item in walk(name, referenced)]


def html_dependencies(templates: Path, name: str = ACTION_PLAN) -> list[Path]:
    """Every file a rendering reads: templates, stylesheets and label catalogues (file_dep)."""
    files = template_dependencies(templates, name)
    files += [templates / STYLESHEET]
    if (templates / PRINT_STYLESHEET).is_file():
        files.append(templates / PRINT_STYLESHEET)
    files += catalogue_files(templates)
    return files


class LabelMarkup(Markup):
    """A label as HTML, already marked with its catalogue's language."""

    __slots__ = ()


@dataclass(frozen=True)
class View:
    """What templates call: labels, dates and plan text, each marked with its language."""

    plan: Plan
    labels: Labels
    lang: str
    primary: str
    dir: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dir", text_direction(self.lang))

    def lang_attrs(self, code: str) -> Markup:
        """` lang=".." dir=".."` for content not in the document's language."""
        if code == self.lang:
            return Markup("")
        attrs = f' lang="{escape(code)}"'
        if text_direction(code) != self.dir:
            attrs += f' dir="{text_direction(code)}"'
        return Markup(attrs)

    def _span(self, code: str, html: str) -> Markup:
        if code == self.lang:
            return Markup(html)
        return Markup(f"<span{self.lang_attrs(code)}>{html}</span>")

    def label(self, key: str, **values: object) -> Markup:
        """A label as HTML, marked English when the document's language has no catalogue.

        Values filled in (dates, numbers) are in the document's language, and marked so.
        """
        html = escape(self.labels.text(key))
        if values:
            html = html.format_map({name: self._filled(v) for name, v in values.items()})
        return LabelMarkup(self._span(self.labels.catalogue, html))

    def _filled(self, value: object) -> Markup:
        if isinstance(value, LabelMarkup):  # a label in a label keeps its catalogue's language
            return value
        if not self.labels.fallback:
            return escape(value)
        return Markup(f'<span lang="{escape(self.lang)}" dir="{self.dir}">{escape(value)}</span>')

    def plural(self, key: str, n: int, /, **values: object) -> Markup:
        """A label that depends on the count `n`, in the form its language gives `n`."""
        html = escape(self.labels.form(key, n))
        if values:
            html = html.format_map({name: self._filled(v) for name, v in values.items()})
        return LabelMarkup(self._span(self.labels.catalogue, html))

    def i18n(self, text: str) -> Markup:
        """A label as Jinja's i18n extension formats it (`%(name)s`, escaped values): the
        label's `{name}` placeholders rewritten so, its text escaped and marked."""
        parts = []
        for literal, name, _spec, _conv in string.Formatter().parse(text):
            parts.append(str(escape(literal)).replace("%", "%%"))
            if name is not None:
                parts.append(f"%({name})s")
        return Markup(self._span(self.labels.catalogue, "".join(parts)))

    def label_text(self, key: str, **values: object) -> str:
        """A label as plain text (for `<title>` and attributes)."""
        return self.labels.text(key, **values)

    def enum(self, group: str, value: str) -> Markup:
        return self._span(self.labels.catalogue, str(escape(self.labels.enum(group, value))))

    def yes_no(self, flag: bool) -> Markup:
        return self.label("boolean.true" if flag else "boolean.false")

    def date(self, day: dt.date) -> str:
        return self.labels.date(day)

    def country(self, code: str) -> str:
        return self.labels.country(code)

    def period(self, span: Period) -> Markup:
        return self.range(span.start, span.end)

    def range(self, start: dt.date, end: dt.date) -> Markup:
        """Two dates as a range (`document.period`), the start first in reading order, also
        right to left: the range an isolate in the document's direction, each date one too,
        the label's words marked with their catalogue's language when it is not the
        document's (English `to` between Arabic dates)."""
        label = self.labels.text("document.period", start="{start}", end="{end}")
        days = {"start": start, "end": end}
        pieces = []
        for literal, name, _spec, _conv in string.Formatter().parse(label):
            pieces.append(self._words(literal))
            if name is not None:
                day = self.date(days[name])
                pieces.append(Markup('<bdi dir="{}">{}</bdi>').format(self.dir, day))
        html = Markup("").join(pieces)
        return LabelMarkup(Markup('<span class="range" dir="{}">{}</span>').format(self.dir, html))

    def _words(self, text: str) -> Markup:
        """Words of a label, spaces around them left outside their language's element."""
        words = text.strip()
        if not words or not self.labels.fallback:
            return escape(text)
        head, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        lang = escape(self.labels.catalogue)
        return Markup('{}<span lang="{}">{}</span>{}').format(head, lang, words, tail)

    def running(self, html: Markup) -> Markup:
        """` data-running="..."`: the text of `html` for the PDF's running header, whose
        strings are text only: each element with `dir` becomes an isolate (`bidi`)."""
        return Markup(' data-running="{}"').format(running_text(escape(html)))

    def inline(self, value: LocalizedText) -> Markup:
        """Plan text inside a line (titles, names, table cells)."""
        text, code = localized(value, self.lang, self.primary)
        return self._span(code, render_inline(text))

    def prose(self, value: LocalizedText) -> Markup:
        """Plan text as blocks: paragraphs, lists."""
        text, code = localized(value, self.lang, self.primary)
        return Markup(f'<div class="prose"{self.lang_attrs(code)}>\n{render_block(text)}</div>')

    def plain(self, value: LocalizedText) -> str:
        """Plan text without markup, for `<title>`."""
        return to_text(localized(value, self.lang, self.primary)[0])

    def plain_span(self, value: LocalizedText) -> Markup:
        """Plan text without markup but with its language, for links (no link in a link)."""
        text, code = localized(value, self.lang, self.primary)
        return self._span(code, str(escape(to_text(text))))

    def draft_reason(self) -> Markup:
        """Why an approval the plan has does not lift the draft mark; empty when it has none
        (the draft notice says so) or when it counts."""
        plan = self.plan
        approval = plan.vision.approval
        if approval is None or not plan.draft:
            return Markup("")
        dates = {Fault.IN_FUTURE: plan.build_date, Fault.AFTER_SUBMISSION: plan.vision.submitted}
        reasons = []
        for fault in approval_faults(plan.vision, plan.build_date):
            key = f"document.approval_{fault.value.replace('-', '_')}"
            day = dates.get(fault)
            reasons.append(self.label(key) if day is None else self.label(key, date=self.date(day)))
        text = self.label(
            "document.approval_not_counted",
            date=self.date(approval.date),
            reasons=LabelMarkup(Markup("; ").join(reasons)),
        )
        return Markup('<p class="draft-reason">{}</p>').format(text)


def _stylesheets(templates: Path, for_print: bool) -> list[Markup]:
    names = [STYLESHEET] + ([PRINT_STYLESHEET] if for_print else [])
    sheets = []
    for name in names:
        path = templates / name
        if path.is_file():
            sheets.append(Markup(path.read_text(encoding="utf-8")))
    return sheets


_HELPERS = (
    "label",
    "plural",
    "label_text",
    "enum",
    "yes_no",
    "date",
    "period",
    "range",
    "running",
    "inline",
    "prose",
    "plain",
    "plain_span",
    "lang_attrs",
    "country",
    "draft_reason",
)


def _context(plan: Plan, view: View) -> dict[str, Any]:
    numbers = {c.id: index for index, c in enumerate(plan.commitments, start=1)}
    helpers = {name: getattr(view, name) for name in _HELPERS}
    return helpers | {
        "view": view,
        "plan": plan,
        "lang": view.lang,
        "dir": view.dir,
        "commitment_by_id": {c.id: c for c in plan.commitments},
        "number_of": numbers,
        "milestone_titles": {c.id: {m.id: m.title for m in c.milestones} for c in plan.commitments},
        "ogp_values": enum_groups()["ogp_value"],
        "actor_groups": ("government", "civil_society", "private_sector", "other"),
    }


def render_action_plan(plan: Plan, lang: str, templates: Path, for_print: bool = False) -> str:
    """The action plan in `lang` as one HTML document; with `for_print`, the print CSS too."""
    view = View(
        plan=plan, labels=load_labels(templates, lang), lang=lang, primary=plan.primary_language
    )
    template = environment(templates).get_template(ACTION_PLAN)
    context = _context(plan, view)
    context["stylesheets"] = _stylesheets(templates, for_print)
    return template.render(context)


def document_view(plan: Plan, lang: str, templates: Path) -> View:
    """The helpers a document template of `plan` in `lang` calls."""
    return View(
        plan=plan, labels=load_labels(templates, lang), lang=lang, primary=plan.primary_language
    )


def render_template(
    name: str,
    view: View,
    templates: Path,
    *,
    for_print: bool = False,
    extra: dict[str, Any] | None = None,
    stylesheets: tuple[str, ...] = (),
) -> str:
    """Any document template (progress report, assessments) with the action plan's context
    and helpers, plus `extra`; `stylesheets` (files of `templates`) are inlined after
    style.css; with `for_print`, the print CSS too, last."""
    context = _context(view.plan, view) | (extra or {})
    sheets = _stylesheets(templates, for_print)
    own = [Markup((templates / n).read_text(encoding="utf-8")) for n in stylesheets]
    context["stylesheets"] = sheets[:1] + own + sheets[1:]
    context["for_print"] = for_print
    return environment(templates).get_template(name).render(context)
