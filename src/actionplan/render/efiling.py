"""E-filing payloads: each form's answers keyed by question number, as JSON and HTML fragments.

Every form the plan fills in has one: the vision and each commitment (the action plan), each
commitment's progress update, and each assessment. The numbering, and how each answer shows,
live in `data/forms.yaml`; this module only follows it. The JSON carries every language of
every answer as data; the HTML fragment holds each answer rendered in each language, ready to
paste into the online form's rich-text fields. `manifest.json` lists every file with its sha256.

Every part of a form is in both, answered or not (`answered: false`, "(no answer)"), and the
parts without a question number stand apart (`unnumbered`, "Other parts of the form"). Each
question says whether a public source attests its number (`attested`, `source`); the fragment
marks an assumed number (`1*.`) and explains the mark once. Every word the fragment adds
(labels, enum values, yes and no, dates) is in the reader's language.

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
from actionplan.fsutil import shown
from actionplan.layout import LANGUAGE
from actionplan.loader import load_file
from actionplan.render.labels import Labels, babel_locale, load_labels, text_direction
from actionplan.render.markdown import render_block
from actionplan.status import CommitmentStatus, flags_of

if TYPE_CHECKING:
    from actionplan.merge import Plan

FORMS_FILE = Path(__file__).resolve().parent.parent / "data" / "forms.yaml"
ASSUMED_MARK = "*"
"""What follows an assumed question number in a fragment (`1*.`), explained once at its top."""
Form = tuple[str, str, dict[str, Any], dict[str, Any]]
"""(form, file name stem, data, what the payload's header adds for it)."""


@cache
def _forms() -> Mapping[str, Any]:
    doc, problems = load_file(FORMS_FILE)
    if problems or not isinstance(doc.data, dict):
        raise RenderError(f"{shown(FORMS_FILE)}: cannot read the form numbering")
    wrong = numbering_problems(doc.data)
    if wrong:
        raise RenderError(f"{shown(FORMS_FILE)}: " + "; ".join(wrong))
    return doc.data


def numbering_problems(spec: Mapping[str, Any]) -> list[str]:
    """What is wrong with the numbered questions of forms.yaml: each says whether its number is
    attested, names one of `sources`, and lists its parts."""
    sources = spec.get("sources") or {}
    wrong = []
    for form, body in spec.items():
        if not isinstance(body, dict) or "questions" not in body:
            continue
        for number, question in body["questions"].items():
            where = f"{form}.questions.{number}"
            if not isinstance(question, dict) or not isinstance(question.get("attested"), bool):
                wrong.append(f"{where}: `attested` must be true or false")
            elif question.get("source") not in sources:
                wrong.append(f"{where}: `source` must name one of `sources`")
            elif not question.get("parts"):
                wrong.append(f"{where}: `parts` lists no answer")
    return wrong


@dataclass(frozen=True)
class Question:
    """One part of a form: an answer to a numbered question, or an unnumbered part."""

    number: str
    """The question's number; for an unnumbered part, its name in forms.yaml."""
    field: str
    label: str
    how: str | None = None
    """How the answer shows in the fragment (forms.yaml's `as`)."""
    numbered: bool = True
    attested: bool = False
    """Whether a public source gives the number (forms.yaml's `attested`)."""
    source: str | None = None


@cache
def questions(form: str) -> tuple[Question, ...]:
    """The parts of one form in order: the numbered questions' first, then the unnumbered."""
    spec = _forms()[form]
    sources = _forms()["sources"]
    found = [
        Question(
            number,
            item["field"],
            item["label"],
            item.get("as"),
            attested=question["attested"],
            source=" ".join(str(sources[question["source"]]).split()),
        )
        for number, question in spec["questions"].items()
        for item in question["parts"]
    ]
    found += [
        Question(name, item["field"], item["label"], item.get("as"), numbered=False)
        for name, item in spec["unnumbered"].items()
    ]
    return tuple(found)


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
    """The JSON payload: `answers` keyed by question number, each a list of its parts, then the
    `unnumbered` parts by name. Every part of the form is there: one left blank has
    `answered: false` and a null `answer`; a numbered one says whether its number is attested."""
    answers: dict[str, list[dict[str, Any]]] = {}
    unnumbered: dict[str, dict[str, Any]] = {}
    for q in questions(form):
        value = field_value(data, q.field)
        part: dict[str, Any] = {"field": q.field, "question": dict(question_text(q.label))}
        if q.numbered:
            part |= {"attested": q.attested, "source": q.source}
        part |= {"answered": value is not None, "answer": value}
        if q.numbered:
            answers.setdefault(q.number, []).append(part)
        else:
            unnumbered[q.number] = part
    return {**header, "form": form, "answers": answers, "unnumbered": unnumbered}


def block_attrs(lang: str) -> str:
    """` lang=".."`, and ` dir="rtl"` for a right-to-left language, for a block of a fragment."""
    return f' lang="{escape(lang)}"' + (' dir="rtl"' if text_direction(lang) == "rtl" else "")


@dataclass(frozen=True)
class _Answer:
    """Renders answers as HTML for a reader of one language (`labels.lang`): every word the
    project adds (labels, enum values, yes and no, "none") from the reader's catalogue, marked
    with its language when the catalogue is not the reader's; dates by Babel."""

    labels: Labels
    primary: str

    def html(self, value: Any, how: str | None) -> str:
        if value is None:
            return ""
        kind, _, arg = (how or "text").partition(" ")
        render: Callable[[Any, str], str] = getattr(self, "_" + kind.replace("-", "_"))
        return render(value, arg)

    def word(self, key: str, count: int | None = None, **values: object) -> str:
        """A label as inline HTML (in its plural form for `count` when given), marked with the
        catalogue's language where it is not the reader's (a language without a catalogue
        reads English words)."""
        if count is None:
            text = escape(self.labels.text(key, **values))
        else:
            text = escape(self.labels.plural(key, count, **values))
        return f"<span{self.label_attrs}>{text}</span>" if self.labels.fallback else text

    @property
    def label_attrs(self) -> str:
        """The attributes of an element holding a label: its language when a fallback's."""
        return block_attrs(self.labels.catalogue) if self.labels.fallback else ""

    def no_answer(self) -> str:
        return f'<p class="no-answer">{self.word("efiling.no_answer")}</p>'

    def _text(self, value: Any, _arg: str) -> str:
        """Markdown, a text in the reader's language, or a list of them."""
        if isinstance(value, list):
            if not value:
                return f"<p>{self.word('document.none')}</p>"
            return "<ul>" + "".join(f"<li>{self._text(v, '')}</li>" for v in value) + "</ul>"
        if isinstance(value, dict):
            if not _is_localized(value):
                raise RenderError(f"{shown(FORMS_FILE)}: a mapping shown as text needs an `as`")
            text = (
                value.get(self.labels.lang) or value.get(self.primary) or next(iter(value.values()))
            )
            return render_block(str(text))
        return render_block(str(value))

    def _code(self, value: Any, _arg: str) -> str:
        return f"<code>{escape(str(value))}</code>"

    def _date(self, value: Any, _arg: str) -> str:
        return escape(self.labels.date(dt.date.fromisoformat(str(value))))

    def _yes_no(self, value: Any, _arg: str) -> str:
        return self.word("boolean.true" if value else "boolean.false")

    def _enum(self, value: Any, group: str) -> str:
        return self.word(f"enum.{group}.{value}")

    def _flags(self, value: Any, _arg: str) -> str:
        if not value:
            return self.word("document.none")
        return "; ".join(self.word(f"flag.{name}") for name in value)

    def _evidence(self, value: Any, _arg: str) -> str:
        if not value:
            return ""
        links = "".join(
            f'<li><a href="{escape(e["url"])}">{escape(e["title"])}</a></li>' for e in value
        )
        return f"<ul>{links}</ul>"

    def _assessment_status(self, value: Any, _arg: str) -> str:
        return self.word(f"efiling.assessment_{value}")

    def _record_evidence(self, value: Any, _arg: str) -> str:
        """A requirement's evidence: each fact with its label, then the files."""
        rows = [
            f"<dt{self.label_attrs}>{escape(self.labels.text('record_evidence.fact.' + name))}</dt>"
            f"<dd>{self._fact(fact, name)}</dd>"
            for name, fact in value["facts"].items()
        ]
        files = "".join(f"<li><code>{escape(path)}</code></li>" for path in value["files"])
        rows.append(
            f"<dt{self.label_attrs}>{escape(self.labels.text('record_evidence.files'))}</dt>"
        )
        rows.append(f"<dd><ul>{files}</ul></dd>")
        return "<dl>" + "".join(rows) + "</dl>"

    def _fact(self, fact: Any, name: str) -> str:
        """One fact: a count, a date, a name, counts by kind, people or late papers."""
        if isinstance(fact, bool):
            return self._yes_no(fact, "")
        if isinstance(fact, int):
            return escape(str(fact))
        if isinstance(fact, str):
            return self._date(fact, "") if _is_date(fact) else escape(fact)
        if _is_localized(fact):
            return self._text(fact, "")
        if isinstance(fact, dict):
            group = _FACT_GROUPS.get(name, "")
            return "; ".join(f"{self._kind(group, key)}: {n}" for key, n in fact.items())
        if not fact:
            return self.word("document.none")
        return "<ul>" + "".join(f"<li>{self._fact_item(item)}</li>" for item in fact) + "</ul>"

    def _kind(self, group: str, key: str) -> str:
        """A kind a fact counts by, by its label; a kind without one as its value."""
        if f"enum.{group}.{key}" in self.labels.entries:
            return self.word(f"enum.{group}.{key}")
        return escape(key)

    def _fact_item(self, item: Any) -> str:
        if isinstance(item, dict) and "paper" in item:
            days = {k: self.labels.date(dt.date.fromisoformat(item[k])) for k in _PAPER_DAYS}
            return self.word("record_evidence.late_paper", **(item | days))
        if isinstance(item, dict):
            org = item.get("organization")
            name = f"{item['name']} ({org})" if org and org != item["name"] else item["name"]
            return escape(str(name))
        return escape(str(item))

    def _completion(self, value: Any, _arg: str) -> str:
        if not value.get("counted"):
            return self.word("progress_report.nothing_counted")
        complete = value["complete"]
        words = self.word(
            "progress_report.completion_value",
            complete,
            complete=complete,
            counted=value["counted"],
        )
        share = format_percent(value["percent"] / 100, locale=babel_locale(self.labels.lang))
        return f"{escape(str(share))} – {words}"

    def _record(self, value: Any, name: str) -> str:
        rows = [
            f"<dt{self.label_attrs}>{escape(self.labels.text(col['label']))}</dt>"
            f"<dd>{self.html(value.get(col['key']), col.get('as'))}</dd>"
            for col in _forms()["records"][name]
            if value.get(col["key"]) is not None
        ]
        return "<dl>" + "".join(rows) + "</dl>"

    def _table(self, value: Any, name: str) -> str:
        if not value:
            return f"<p>{self.word('document.none')}</p>"
        columns = _forms()["records"][name]
        head = "".join(
            f'<th scope="col"{self.label_attrs}>{escape(self.labels.text(c["label"]))}</th>'
            for c in columns
        )
        body = "".join(
            "<tr>"
            + "".join(f"<td>{self.html(row.get(c['key']), c.get('as'))}</td>" for c in columns)
            + "</tr>"
            for row in value
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_PAPER_DAYS = ("published", "meeting_date")
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
    """The HTML fragment of a form: a note on assumed question numbers when it has any, one
    section per numbered question's part, then the unnumbered parts apart under a heading of
    their own. Each section has one block per language (the readers', the plan's languages in
    order), its heading marked with the language of its catalogue (English for a language
    without one); a part left blank says so."""
    qs = questions(form)
    parts: list[str] = []
    if any(not q.attested for q in qs if q.numbered):
        note = 'class="numbering-note"'
        parts += _once(readers, "p", note, "efiling.assumed_numbers", mark=ASSUMED_MARK)
    parts += [_section(q, field_value(data, q.field), readers) for q in qs if q.numbered]
    others = [_section(q, field_value(data, q.field), readers) for q in qs if not q.numbered]
    if others:
        parts.append('<section class="unnumbered">')
        parts += _once(readers, "h3", "", "efiling.other_parts")
        parts += [*others, "</section>"]
    return "\n".join(parts) + "\n"


def _once(
    readers: Mapping[str, _Answer], tag: str, attrs: str, key: str, **values: object
) -> list[str]:
    """A label as an element per catalogue of the readers (once, however many share it)."""
    catalogues = {r.labels.catalogue: r.labels for r in readers.values()}
    space = " " + attrs if attrs else ""
    return [
        f"<{tag}{space}{block_attrs(cat)}>{escape(labels.text(key, **values))}</{tag}>"
        for cat, labels in catalogues.items()
    ]


def _section(q: Question, value: Any, readers: Mapping[str, _Answer]) -> str:
    """One part of a form: its heading and answer in each reader's language."""
    if q.numbered:
        attested = "true" if q.attested else "false"
        attrs = f'data-question="{escape(q.number)}" data-attested="{attested}"'
        level, prefix = "h3", f"{q.number}{'' if q.attested else ASSUMED_MARK}. "
    else:
        attrs, level, prefix = f'data-part="{escape(q.number)}"', "h4", ""
    answered = "true" if value is not None else "false"
    out = [f'<section {attrs} data-field="{escape(q.field)}" data-answered="{answered}">']
    for lang, reader in readers.items():
        title = escape(prefix + _wording(q, reader, readers))
        answer = reader.html(value, q.how) if value is not None else reader.no_answer()
        out.append(f"<{level}{block_attrs(reader.labels.catalogue)}>{title}</{level}>")
        out.append(f"<div{block_attrs(lang)}>{answer}</div>")
    out.append("</section>")
    return "\n".join(out)


def _wording(q: Question, reader: _Answer, readers: Mapping[str, _Answer]) -> str:
    """A question's wording: an empty label falls back to English, then the field."""
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
