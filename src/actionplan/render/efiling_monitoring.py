"""E-filing payloads of the monitoring forms: each commitment's progress update and each
assessment, as JSON keyed by question number and as HTML fragments, like the action plan's.

The numbering and how each answer shows live in `data/forms.yaml` (forms `progress`,
`inception`, `end_of_commitment`, `final_summary` and their `records`). The data of a form:

- progress update (`progress-<id>`): the commitment's `title`, `as_of` (the build date), its
  `completion` (actionplan.status.Completion) and `milestones`, each with its `number`
  (`2.1`), `title`, current `status`, `updated` (date of its latest entry), `note` (that
  entry's), `evidence` (every entry's, once each) and `flags`;
- inception: the assessment, `requirements` keyed by requirement, each design with its
  commitment's `title`;
- end of commitment (`end-of-commitment-<id>`): the assessment and the commitment's `title`;
- final summary: the assessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from babel.numbers import format_percent

from actionplan.errors import RenderError
from actionplan.loader import load_file
from actionplan.merge import Plan
from actionplan.render.efiling import FORMS_FILE, block_attrs, field_value, form_payload, to_json
from actionplan.render.labels import Labels, babel_locale, load_labels
from actionplan.render.markdown import render_block
from actionplan.status import CommitmentStatus, flags_of


@cache
def _forms() -> Mapping[str, Any]:
    doc, problems = load_file(FORMS_FILE)
    if problems or not isinstance(doc.data, dict):
        raise RenderError(f"{FORMS_FILE}: cannot read the form numbering")
    return doc.data


def _items(form: str) -> list[tuple[str, Mapping[str, Any]]]:
    """(number or name, item) of every question of a form, in order."""
    spec = _forms()[form]
    out = [(number, item) for number, items in spec["questions"].items() for item in items]
    return out + list(spec["unnumbered"].items())


@dataclass(frozen=True)
class _Answer:
    """Renders answers as HTML for a reader of one language."""

    labels: Labels
    primary: str

    def html(self, value: Any, how: str | None) -> str:
        if value is None:
            return ""
        kind, _, arg = (how or "text").partition(" ")
        render: Callable[[Any, str], str] = getattr(self, "_" + kind.replace("-", "_"))
        return render(value, arg)

    def _text(self, value: Any, _arg: str) -> str:
        if isinstance(value, list):
            if not value:
                return f"<p>{escape(self.labels.text('document.none'))}</p>"
            return "<ul>" + "".join(f"<li>{self._text(v, '')}</li>" for v in value) + "</ul>"
        if isinstance(value, dict):
            text = (
                value.get(self.labels.lang) or value.get(self.primary) or next(iter(value.values()))
            )
            return render_block(str(text))
        return render_block(str(value))

    def _date(self, value: Any, _arg: str) -> str:
        return escape(self.labels.date(dt.date.fromisoformat(str(value))))

    def _yes_no(self, value: Any, _arg: str) -> str:
        return escape(self.labels.text("boolean.true" if value else "boolean.false"))

    def _enum(self, value: Any, group: str) -> str:
        return escape(self.labels.enum(group, str(value)))

    def _flags(self, value: Any, _arg: str) -> str:
        names = [self.labels.text(f"flag.{name}") for name in value]
        return escape("; ".join(names) if names else self.labels.text("document.none"))

    def _evidence(self, value: Any, _arg: str) -> str:
        if not value:
            return ""
        links = "".join(
            f'<li><a href="{escape(e["url"])}">{escape(e["title"])}</a></li>' for e in value
        )
        return f"<ul>{links}</ul>"

    def _completion(self, value: Any, _arg: str) -> str:
        if not value.get("counted"):
            return escape(self.labels.text("progress_report.nothing_counted"))
        words = self.labels.text(
            "progress_report.completion_value",
            complete=value["complete"],
            counted=value["counted"],
        )
        share = format_percent(value["percent"] / 100, locale=babel_locale(self.labels.lang))
        return f"{escape(str(share))} – {escape(words)}"

    def _record(self, value: Any, name: str) -> str:
        rows = [
            f"<dt>{escape(self.labels.text(col['label']))}</dt>"
            f"<dd>{self.html(value.get(col['key']), col.get('as'))}</dd>"
            for col in _forms()["records"][name]
            if value.get(col["key"]) is not None
        ]
        return "<dl>" + "".join(rows) + "</dl>"

    def _table(self, value: Any, name: str) -> str:
        columns = _forms()["records"][name]
        head = "".join(
            f'<th scope="col">{escape(self.labels.text(c["label"]))}</th>' for c in columns
        )
        body = "".join(
            "<tr>"
            + "".join(f"<td>{self.html(row.get(c['key']), c.get('as'))}</td>" for c in columns)
            + "</tr>"
            for row in value
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def fragment(form: str, data: Mapping[str, Any], plan: Plan, templates: Path) -> str:
    """The HTML fragment of a monitoring form: one section per question, one block a language."""
    parts: list[str] = []
    languages = list(plan.member.languages)
    readers = {lang: _Answer(load_labels(templates, lang), languages[0]) for lang in languages}
    for number, item in _items(form):
        value = field_value(data, item["field"])
        if value is None:
            continue
        parts.append(
            f'<section data-question="{escape(number)}" data-field="{escape(item["field"])}">'
        )
        for lang, reader in readers.items():
            title = escape(reader.labels.text(item["label"]))
            heading = block_attrs(reader.labels.catalogue)
            parts.append(f"<h3{heading}>{escape(number)}. {title}</h3>")
            parts.append(f"<div{block_attrs(lang)}>{reader.html(value, item.get('as'))}</div>")
        parts.append("</section>")
    return "\n".join(parts) + "\n"


def progress_data(plan: Plan, status: CommitmentStatus) -> dict[str, Any]:
    """The progress update of one commitment, as the form's data."""
    number = [c.id for c in plan.commitments].index(status.commitment) + 1
    commitment = next(c for c in plan.commitments if c.id == status.commitment)
    log = plan.progress.get(commitment.id)
    entries = log.entries if log is not None else []
    milestones = []
    for index, (ms, st) in enumerate(zip(commitment.milestones, status.milestones, strict=True)):
        own = [e for e in entries if e.milestone == ms.id]
        evidence = {ev.url: ev.model_dump(mode="json") for entry in own for ev in entry.evidence}
        row: dict[str, Any] = {
            "milestone": ms.id,
            "number": f"{number}.{index + 1}",
            "title": ms.title,
            "status": st.status,
            "updated": st.updated.isoformat() if st.updated else None,
            "note": own[-1].note if own and own[-1].note is not None else None,
            "evidence": list(evidence.values()),
            "flags": flags_of(st),
        }
        milestones.append({k: v for k, v in row.items() if v is not None})
    return {
        "commitment": commitment.id,
        "title": commitment.title,
        "as_of": plan.build_date.isoformat(),
        "completion": status.completion.model_dump(mode="json", exclude_none=True),
        "milestones": milestones,
    }


def _forms_of(plan: Plan) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(form, file name, data, header extra) of every monitoring form the plan has."""
    titles = {c.id: c.title for c in plan.commitments}
    out = [
        ("progress", f"progress-{cid}", progress_data(plan, plan.status[cid]), {"commitment": cid})
        for cid in plan.progress
    ]
    if plan.inception is not None:
        data = plan.inception.model_dump(mode="json", exclude_none=True)
        data["requirements"] = {r.pop("requirement"): r for r in data["requirements"]}
        for design in data["commitments"]:
            design["title"] = titles[design["commitment"]]
        out.append(("inception", "inception", data, {}))
    for cid, end in plan.end_of_commitment.items():
        data = end.model_dump(mode="json", exclude_none=True) | {"title": titles[cid]}
        out.append(("end_of_commitment", f"end-of-commitment-{cid}", data, {"commitment": cid}))
    if plan.final_summary is not None:
        data = plan.final_summary.model_dump(mode="json", exclude_none=True)
        out.append(("final_summary", "final-summary", data, {}))
    return out


def payload_names(progress: list[str], inception: bool, ends: list[str], final: bool) -> list[str]:
    """The stems of the monitoring payload files, for doit's targets."""
    names = [f"progress-{cid}" for cid in progress]
    names += ["inception"] if inception else []
    names += [f"end-of-commitment-{cid}" for cid in ends]
    return names + (["final-summary"] if final else [])


def payloads(plan: Plan, templates: Path) -> dict[str, str]:
    """Every monitoring e-filing file of the plan, by name (the manifest is the caller's)."""
    languages = list(plan.member.languages)
    catalogues = {lang: load_labels(templates, lang) for lang in languages}

    def question_text(label: str) -> dict[str, str]:
        return {lang: labels.text(label) for lang, labels in catalogues.items()}

    header = {
        "member": plan.member.id,
        "cycle": plan.cycle,
        "languages": languages,
        "draft": plan.draft,
    }
    files: dict[str, str] = {}
    for form, name, data, extra in _forms_of(plan):
        payload = form_payload(form, data, header | extra, question_text)
        files[f"{name}.json"] = to_json(payload)
        files[f"{name}.html"] = fragment(form, data, plan, templates)
    return files
