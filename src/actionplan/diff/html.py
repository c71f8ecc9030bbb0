"""The diff as a standalone, accessible HTML page: templates/diff.html.j2.

Rendered in the sandboxed, autoescaping, strict Jinja2 environment of the action plan; word
diffs are `<ins>` and `<del>` with a visually hidden word for screen readers; every text not in
the page's language is marked with its own; the stylesheets are inlined, nothing is fetched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from actionplan.diff.model import FieldChange, PlanDiff, ProseDiff
from actionplan.diff.present import Presenter, is_translations
from actionplan.diff.words import PARAGRAPH, as_translations, join, tokens
from actionplan.model.common import LocalizedText
from actionplan.render.html import STYLESHEET, environment
from actionplan.render.labels import Labels, load_labels, text_direction

TEMPLATE = "diff.html.j2"
DIFF_STYLESHEET = "diff.css"


@dataclass(frozen=True)
class DiffView:
    """What the template calls."""

    p: Presenter

    @property
    def lang(self) -> str:
        return self.p.lang

    def lang_attrs(self, code: str) -> Markup:
        if code == self.lang:
            return Markup("")
        attrs = f' lang="{escape(code)}"'
        if text_direction(code) != text_direction(self.lang):
            attrs += f' dir="{text_direction(code)}"'
        return Markup(attrs)

    def label(self, key: str, **values: object) -> str:
        return self.p.text(key, **values)

    def plain(self, value: LocalizedText) -> Markup:
        """Plan text in the reader's language, marked with its language when another."""
        text, code = self.p.localized(value)
        if code == self.lang:
            return escape(text)
        return Markup(f"<span{self.lang_attrs(code)}>{escape(text)}</span>")

    def date(self, day: dt.date | None) -> Markup:
        if day is None:
            return Markup("—")
        return Markup(
            f'<time datetime="{day.isoformat()}">{escape(self.p.labels.date(day))}</time>'
        )

    def value(self, value: Any, path: str = "") -> Markup:
        """A changed value; a text in the reader's language, marked with its own."""
        if isinstance(value, dict) and is_translations(value):
            return self.plain(value)
        return escape(self.p.value(value, path))

    def words(self, prose: ProseDiff) -> Markup:
        """A word diff: kept words as they are, `<ins>` and `<del>` for the others."""
        inserted = escape(self.p.text("inserted"))
        deleted = escape(self.p.text("deleted"))
        parts = []
        for span in prose.spans:
            text = escape(span.text.replace(PARAGRAPH, "\n\n"))
            if span.op == "insert":
                parts.append(f'<ins><span class="visually-hidden">{inserted} </span>{text}</ins>')
            elif span.op == "delete":
                parts.append(f'<del><span class="visually-hidden">{deleted} </span>{text}</del>')
            else:
                parts.append(str(text))
        return Markup(" ".join(parts))

    def texts(self, change: FieldChange, lang: str) -> tuple[str, str]:
        """The old and new text of a changed prose field in one language."""
        old = as_translations(change.old, self.p.diff.old.languages[0])  # type: ignore[arg-type]
        new = as_translations(change.new, self.p.diff.new.languages[0])  # type: ignore[arg-type]
        return join(tokens(old.get(lang, ""))), join(tokens(new.get(lang, "")))


_CALLS = (
    "label",
    "plain",
    "date",
    "value",
    "words",
    "lang_attrs",
    "texts",
)


def _stylesheets(templates: Path) -> list[Markup]:
    sheets = []
    for name in (STYLESHEET, DIFF_STYLESHEET):
        path = templates / name
        if path.is_file():
            sheets.append(Markup(path.read_text(encoding="utf-8")))
    return sheets


def render_html(diff: PlanDiff, templates: Path, lang: str) -> str:
    """The diff as one HTML page with labels in `lang` (English when `lang` has no catalogue:
    the page is then in English, and the plan's texts are marked with their language)."""
    labels = load_labels(templates, lang)
    if labels.fallback:
        labels = Labels(lang=labels.catalogue, catalogue=labels.catalogue, entries=labels.entries)
    lang = labels.lang
    presenter = Presenter(diff, labels)
    view = DiffView(presenter)
    context: dict[str, Any] = {name: getattr(view, name) for name in _CALLS}
    context |= {
        "diff": diff,
        "lang": lang,
        "dir": text_direction(lang),
        "stylesheets": _stylesheets(templates),
        "summary": presenter.summary(),
        "title": presenter.title(),
        "compared": presenter.compared(),
        "section": presenter.section,
        "status": presenter.status,
        "days": presenter.days,
        "enum": presenter.labels.enum,
        "milestone_count": presenter.milestone_count,
        "statuses": presenter.statuses,
        "rewritten": presenter.rewritten,
        "rewritten_note": presenter.rewritten_note,
        "response_status": presenter.response_status,
        "record_enum": presenter.record_enum,
        "plural": presenter.plural,
    }
    return environment(templates).get_template(TEMPLATE).render(context)
