"""E-filing payloads: each form's answers keyed by question number, as JSON and HTML fragments.

Every form the plan fills in has one: the vision and each commitment (the action plan), each
commitment's progress update, and each assessment. The numbering, and how each answer shows,
live in `data/forms.yaml`; this module only follows it. The JSON carries every language of
every answer as data; the HTML fragment holds each answer rendered in each language, ready to
paste into the online form's rich-text fields. `manifest.json` lists every file with its sha256.

The data of the monitoring forms:

- progress update (`progress-<id>`): the commitment's `title`, `as_of` (the build date), its
  `completion` (actionplan.status.Completion) and `milestones`, each with its `number`
  (`2.1`), `title`, current `status`, `updated` (date of its latest entry), `note` (that
  entry's), `evidence` (every entry's, once each) and `flags`;
- inception: the assessment, `requirements` keyed by requirement, each design with its
  commitment's `title`; beside the assessor's answer to a requirement, its `evidence`: what
  the co-creation record holds for it (actionplan.evidence: facts counted, and the files they
  come from);
- end of commitment (`end-of-commitment-<id>`): the assessment and the commitment's `title`;
- final summary: the assessment.

An assessment's `status` (draft or final, final when the file does not say) is in its data and
in its payload's header; a draft assessment's payload is marked `draft` like a draft plan's.
The header carries `submitted`, the date the plan was filed with OGP, once the vision has it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.numbers import format_percent

from actionplan.errors import RenderError
from actionplan.evidence import requirement_evidence
from actionplan.layout import LANGUAGE
from actionplan.loader import load_file
from actionplan.render.labels import Labels, babel_locale, load_labels, text_direction
from actionplan.render.markdown import render_block
from actionplan.status import CommitmentStatus, flags_of

if TYPE_CHECKING:
    from actionplan.merge import Plan

FORMS_FILE = Path(__file__).resolve().parent.parent / "data" / "forms.yaml"
ACTION_PLAN_FORMS = ("vision", "commitment")
"""The forms of the action plan, whose answers show as they are written (`plain`: no `as` in
forms.yaml, an empty list a dash); the monitoring forms' answers show as their `as` says."""
Form = tuple[str, str, dict[str, Any], dict[str, Any]]
"""(form, file name stem, data, what the payload's header adds for it)."""


@cache
def _forms() -> Mapping[str, Any]:
    doc, problems = load_file(FORMS_FILE)
    if problems or not isinstance(doc.data, dict):
        raise RenderError(f"{FORMS_FILE}: cannot read the form numbering")
    return doc.data


@dataclass(frozen=True)
class Question:
    number: str
    field: str
    label: str
    how: str | None = None
    """How the answer shows in the fragment (forms.yaml's `as`)."""


@cache
def questions(form: str) -> tuple[Question, ...]:
    """The questions of one form in order: numbered ones first, then the unnumbered parts."""
    spec = _forms()[form]
    items = [(number, item) for number, items in spec["questions"].items() for item in items]
    items += list(spec["unnumbered"].items())
    return tuple(Question(n, item["field"], item["label"], item.get("as")) for n, item in items)


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


@dataclass(frozen=True)
class _Answer:
    """Renders answers as HTML for a reader of one language (`labels.lang`)."""

    labels: Labels
    primary: str

    def html(self, value: Any, how: str | None) -> str:
        if value is None:
            return ""
        kind, _, arg = (how or "text").partition(" ")
        render: Callable[[Any, str], str] = getattr(self, "_" + kind.replace("-", "_"))
        return render(value, arg)

    def _plain(self, value: Any, _arg: str) -> str:
        """An action plan answer: Markdown, a text in the reader's language, or nested."""
        if isinstance(value, str):
            return render_block(value)
        if _is_localized(value):
            text = value.get(self.labels.lang) or value.get(self.primary)
            return render_block(text or next(iter(value.values())))
        if isinstance(value, list):
            if not value:
                return "<p>—</p>"
            return "<ul>" + "".join(f"<li>{self._plain(v, '')}</li>" for v in value) + "</ul>"
        if isinstance(value, dict):
            rows = "".join(
                f"<li><strong>{escape(str(k).replace('_', ' ').capitalize())}</strong>: "
                f"{self._plain(v, '')}</li>"
                for k, v in value.items()
                if v not in (None, [], {})
            )
            return f"<ul>{rows}</ul>"
        return f"<p>{escape(str(value))}</p>"

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

    def _assessment_status(self, value: Any, _arg: str) -> str:
        return escape(self.labels.text(f"efiling.assessment_{value}"))

    def _record_evidence(self, value: Any, _arg: str) -> str:
        """A requirement's evidence: each fact with its label, then the files."""
        rows = [
            f"<dt>{escape(self.labels.text('record_evidence.fact.' + name))}</dt>"
            f"<dd>{self._fact(fact, name)}</dd>"
            for name, fact in value["facts"].items()
        ]
        files = "".join(f"<li><code>{escape(path)}</code></li>" for path in value["files"])
        rows.append(f"<dt>{escape(self.labels.text('record_evidence.files'))}</dt>")
        rows.append(f"<dd><ul>{files}</ul></dd>")
        return "<dl>" + "".join(rows) + "</dl>"

    def _fact(self, fact: Any, name: str) -> str:
        """One fact: a count, a date, a name, counts by kind, people or late papers."""
        if isinstance(fact, bool | int):
            return escape(str(fact))
        if isinstance(fact, str):
            return self._date(fact, "") if _is_date(fact) else escape(fact)
        if _is_localized(fact):
            return self._text(fact, "")
        if isinstance(fact, dict):
            group = _FACT_GROUPS.get(name, "")
            shown = (self.labels.entries.get(f"enum.{group}.{key}", key) for key in fact)
            return escape("; ".join(f"{k}: {n}" for k, n in zip(shown, fact.values(), strict=True)))
        if not fact:
            return escape(self.labels.text("document.none"))
        return "<ul>" + "".join(f"<li>{self._fact_item(item)}</li>" for item in fact) + "</ul>"

    def _fact_item(self, item: Any) -> str:
        if isinstance(item, dict) and "paper" in item:
            days = {k: self._date(item[k], "") for k in ("published", "meeting_date")}
            return escape(self.labels.text("record_evidence.late_paper", **(item | days)))
        if isinstance(item, dict):
            org = item.get("organization")
            shown = f"{item['name']} ({org})" if org and org != item["name"] else item["name"]
            return escape(str(shown))
        return escape(str(item))

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


_FACT_GROUPS = {"members_by_sector": "sector", "responses_by_status": "response_status"}
"""The label groups of the kinds a fact counts by (`enum.sector.academia`); a kind without a
label shows as its value."""


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _is_localized(value: object) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(LANGUAGE.match(str(k)) and isinstance(v, str) for k, v in value.items())
    )


def fragment(form: str, data: Mapping[str, Any], readers: Mapping[str, _Answer]) -> str:
    """The HTML fragment of a form: one section per question, one block per language (the
    readers', the plan's languages in order), the wording's heading marked with the language
    of its catalogue (English for a language without one)."""
    plain = form in ACTION_PLAN_FORMS
    parts: list[str] = []
    for q in questions(form):
        value = field_value(data, q.field)
        if value is None:
            continue
        parts.append(f'<section data-question="{escape(q.number)}" data-field="{escape(q.field)}">')
        for lang, reader in readers.items():
            title = escape(_wording(q, reader, readers) if plain else reader.labels.text(q.label))
            answer = reader.html(value, "plain" if plain else q.how)
            parts.append(
                f"<h3{block_attrs(reader.labels.catalogue)}>{escape(q.number)}. {title}</h3>"
            )
            parts.append(f"<div{block_attrs(lang)}>{answer}</div>")
        parts.append("</section>")
    return "\n".join(parts) + "\n"


def _wording(q: Question, reader: _Answer, readers: Mapping[str, _Answer]) -> str:
    """An action plan question's wording: an empty label falls back to English, then the field."""
    english = readers["en"].labels.text(q.label) if "en" in readers else q.field
    return reader.labels.text(q.label) or english


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


def _action_plan_forms(plan: Plan) -> list[Form]:
    """The vision and each commitment."""
    out: list[Form] = [
        ("vision", "vision", plan.vision.model_dump(mode="json", exclude_none=True), {})
    ]
    for c in plan.commitments:
        data = c.model_dump(mode="json", exclude_none=True)
        out.append(("commitment", f"commitment-{c.id}", data, {"commitment": c.id}))
    return out


def _monitoring_forms(plan: Plan) -> list[Form]:
    """Each progress update and each assessment the plan has."""
    titles = {c.id: c.title for c in plan.commitments}
    out: list[Form] = [
        ("progress", f"progress-{cid}", progress_data(plan, plan.status[cid]), {"commitment": cid})
        for cid in plan.progress
    ]
    if plan.inception is not None:
        data = plan.inception.model_dump(mode="json", exclude_none=True)
        data["requirements"] = {r.pop("requirement"): r for r in data["requirements"]}
        for name, evidence in requirement_evidence(plan).items():
            if name in data["requirements"]:
                data["requirements"][name]["evidence"] = evidence
        for design in data["commitments"]:
            design["title"] = titles[design["commitment"]]
        out.append(("inception", "inception", *_assessment(plan, data, {})))
    for cid, end in plan.end_of_commitment.items():
        data = end.model_dump(mode="json", exclude_none=True) | {"title": titles[cid]}
        name = f"end-of-commitment-{cid}"
        out.append(("end_of_commitment", name, *_assessment(plan, data, {"commitment": cid})))
    if plan.final_summary is not None:
        data = plan.final_summary.model_dump(mode="json", exclude_none=True)
        out.append(("final_summary", "final-summary", *_assessment(plan, data, {})))
    return out


def _assessment(
    plan: Plan, data: dict[str, Any], extra: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An assessment's data and header: its status (final unless the file says draft), and a
    draft assessment's payload marked as a draft, as a draft plan's are."""
    status = data.setdefault("status", "final")
    return data, extra | {"status": status, "draft": plan.draft or status == "draft"}


def payloads(plan: Plan, templates: Path) -> dict[str, str]:
    """Every e-filing file of the plan, by name: a JSON payload and an HTML fragment per form,
    and the manifest of them all."""
    languages = list(plan.member.languages)
    catalogues = {lang: load_labels(templates, lang) for lang in languages}
    readers = {lang: _Answer(labels, languages[0]) for lang, labels in catalogues.items()}

    def question_text(label: str) -> dict[str, str]:
        return {lang: labels.text(label) for lang, labels in catalogues.items()}

    header: dict[str, Any] = {
        "member": plan.member.id,
        "cycle": plan.cycle,
        "languages": languages,
        "draft": plan.draft,
    }
    if plan.vision.submitted is not None:
        header["submitted"] = plan.vision.submitted.isoformat()
    files: dict[str, str] = {}
    for form, name, data, extra in _action_plan_forms(plan) + _monitoring_forms(plan):
        files[f"{name}.json"] = to_json(form_payload(form, data, header | extra, question_text))
        files[f"{name}.html"] = fragment(form, data, readers)
    files["manifest.json"] = manifest(files)
    return files


def manifest(files: Mapping[str, str]) -> str:
    """manifest.json: every payload file with its size and sha256."""
    entries = [
        {"path": name, "bytes": len(text.encode("utf-8")), "sha256": _sha256(text)}
        for name, text in sorted(files.items())
    ]
    return to_json({"files": entries})
