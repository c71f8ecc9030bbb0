"""E-filing payloads: each form's answers keyed by question number, as JSON and HTML fragments.

The numbering lives in `data/forms.yaml`; this module only follows it. The JSON carries every
language of every answer; the HTML fragment holds each answer rendered, ready to paste into
the online form's rich-text fields.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from actionplan.errors import RenderError
from actionplan.loader import load_file
from actionplan.merge import Plan
from actionplan.render.labels import load_labels, text_direction
from actionplan.render.markdown import render_block

_LANG = re.compile(r"^[a-z]{2}$")
FORMS_FILE = Path(__file__).resolve().parent.parent / "data" / "forms.yaml"


@dataclass(frozen=True)
class Question:
    number: str
    field: str
    label: str


@cache
def questions(form: str) -> tuple[Question, ...]:
    """The questions of one form in order: numbered ones first, then the unnumbered parts."""
    doc, problems = load_file(FORMS_FILE)
    if problems or not isinstance(doc.data, dict):
        raise RenderError(f"{FORMS_FILE}: cannot read the form numbering")
    spec = doc.data[form]
    out = [
        Question(number, item["field"], item["label"])
        for number, items in spec["questions"].items()
        for item in items
    ]
    out += [Question(key, item["field"], item["label"]) for key, item in spec["unnumbered"].items()]
    return tuple(out)


def field_value(data: Mapping[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def form_payload(
    form: str,
    data: Mapping[str, Any],
    header: Mapping[str, Any],
    question_text: Callable[[str], Mapping[str, str]],
) -> dict[str, Any]:
    """The JSON payload: `answers` keyed by question number, each a list of its parts."""
    answers: dict[str, list[dict[str, Any]]] = {}
    for q in questions(form):
        value = field_value(data, q.field)
        if value is None:
            continue
        answers.setdefault(q.number, []).append(
            {"field": q.field, "question": dict(question_text(q.label)), "answer": value}
        )
    return {**header, "form": form, "answers": answers}


def block_attrs(lang: str) -> str:
    """` lang=".."`, and ` dir="rtl"` for a right-to-left language, for a block of a fragment."""
    return f' lang="{escape(lang)}"' + (' dir="rtl"' if text_direction(lang) == "rtl" else "")


def fragment(
    form: str,
    data: Mapping[str, Any],
    languages: list[str],
    question_text: Callable[[str], Mapping[str, str]],
    markdown: Callable[[str], str],
    label_langs: Mapping[str, str] | None = None,
) -> str:
    """The HTML fragment: one section per question, one block per language.

    `label_langs` gives, per language, the language of its question wording (English for a
    language without a catalogue); the wording's heading is marked with it.
    """
    parts: list[str] = []
    for q in questions(form):
        value = field_value(data, q.field)
        if value is None:
            continue
        wording = question_text(q.label)
        parts.append(f'<section data-question="{escape(q.number)}" data-field="{escape(q.field)}">')
        for lang in languages:
            title = escape(wording.get(lang) or wording.get("en", q.field))
            heading = block_attrs((label_langs or {}).get(lang, lang))
            parts.append(f"<h3{heading}>{escape(q.number)}. {title}</h3>")
            parts.append(
                f"<div{block_attrs(lang)}>{_answer_html(value, lang, languages, markdown)}</div>"
            )
        parts.append("</section>")
    return "\n".join(parts) + "\n"


def _answer_html(
    value: Any, lang: str, languages: list[str], markdown: Callable[[str], str]
) -> str:
    if isinstance(value, str):
        return markdown(value)
    if _is_localized(value):
        text = value.get(lang) or value.get(languages[0]) or next(iter(value.values()))
        return markdown(text)
    if isinstance(value, list):
        if not value:
            return "<p>—</p>"
        items = "".join(f"<li>{_answer_html(v, lang, languages, markdown)}</li>" for v in value)
        return f"<ul>{items}</ul>"
    if isinstance(value, dict):
        rows = "".join(
            f"<li><strong>{escape(str(k).replace('_', ' ').capitalize())}</strong>: "
            f"{_answer_html(v, lang, languages, markdown)}</li>"
            for k, v in value.items()
            if v not in (None, [], {})
        )
        return f"<ul>{rows}</ul>"
    return f"<p>{escape(str(value))}</p>"


def _is_localized(value: object) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(_LANG.match(str(k)) and isinstance(v, str) for k, v in value.items())
    )


def payloads(plan: Plan, templates: Path) -> dict[str, str]:
    """Every e-filing file of the action plan, by name, manifest included."""
    languages = list(plan.member.languages)
    catalogues = {lang: load_labels(templates, lang) for lang in languages}

    def question_text(label: str) -> dict[str, str]:
        return {lang: labels.text(label) for lang, labels in catalogues.items()}

    header: dict[str, Any] = {
        "member": plan.member.id,
        "cycle": plan.cycle,
        "languages": languages,
        "draft": plan.draft,
    }
    forms: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
        ("vision", "vision", plan.vision.model_dump(mode="json", exclude_none=True), header)
    ]
    for c in plan.commitments:
        data = c.model_dump(mode="json", exclude_none=True)
        forms.append(("commitment", f"commitment-{c.id}", data, {**header, "commitment": c.id}))
    files: dict[str, str] = {}
    for form, name, data, head in forms:
        files[f"{name}.json"] = to_json(form_payload(form, data, head, question_text))
        files[f"{name}.html"] = fragment(
            form,
            data,
            languages,
            question_text,
            render_block,
            {lang: labels.catalogue for lang, labels in catalogues.items()},
        )
    files["manifest.json"] = manifest(files)
    return files


def manifest(files: Mapping[str, str]) -> str:
    """manifest.json: every payload file with its size and sha256."""
    entries = [
        {"path": name, "bytes": len(text.encode("utf-8")), "sha256": _sha256(text)}
        for name, text in sorted(files.items())
    ]
    return to_json({"files": entries})
