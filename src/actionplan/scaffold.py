"""`actionplan new`: start a member, plan, commitment or progress log with files that validate.

Every file starts with a `# yaml-language-server: $schema=...` line pointing at the repository's
`schemas/` folder, so editors complete and check it while it is being filled in. Prose that the
team must write is a `TODO:` placeholder in each of the member's languages. Nothing is ever
overwritten, every file is written atomically and validated before success is reported; when
anything goes wrong, nothing is left behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pycountry
from pydantic import BaseModel, TypeAdapter

from actionplan.errors import ActionPlanError, ExitCode, UsageError
from actionplan.loader import display_name, load_file, load_text, resolve_plain
from actionplan.model import KINDS, Commitment, Member, Vision
from actionplan.model.common import LANG_PATTERN, SLUG_PATTERN, Url
from actionplan.model.schemas import schema_for
from actionplan.problem_report import format_problems
from actionplan.schemagen import render
from actionplan.validate.prose import bidi_control, describe_bidi
from actionplan.validate.rules import MAX_CONCURRENT, YEARS

# Every pattern is matched whole (`fullmatch`): `$` alone lets a final newline through, and
# `\d` alone takes any script's digits.
_SLUG = re.compile(SLUG_PATTERN)
_LANG = re.compile(LANG_PATTERN)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CYCLE = re.compile(r"[0-9]{4}-[0-9]{4}")
_COUNTRY = re.compile(r"[A-Z]{2}")
# Controls (a line break, an escape sequence) have no place in a one-line name or title.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SLUG_HELP = "lower-case letters, digits and hyphens, starting with a letter or digit"

# Placeholders, in the languages OGP Local members publish in most; English otherwise.
_TODO: dict[str, dict[str, str]] = {
    "plan-title": {
        "en": "TODO: title of the action plan",
        "fr": "TODO: titre du plan d'action",
        "es": "TODO: título del plan de acción",
        "pt": "TODO: título do plano de ação",
    },
    "long_term_vision": {
        "en": "TODO: describe the long-term vision for open government in your jurisdiction.",
        "fr": "TODO: décrire la vision à long terme du gouvernement ouvert sur votre territoire.",
        "es": "TODO: describir la visión a largo plazo del gobierno abierto en su jurisdicción.",
        "pt": "TODO: descrever a visão de longo prazo para o governo aberto na sua jurisdição.",
    },
    "challenges": {
        "en": "TODO: describe the challenges the plan addresses.",
        "fr": "TODO: décrire les défis auxquels le plan répond.",
        "es": "TODO: describir los desafíos que aborda el plan.",
        "pt": "TODO: descrever os desafios que o plano enfrenta.",
    },
    "objectives": {
        "en": "TODO: describe the objective and scope of the plan.",
        "fr": "TODO: décrire l'objectif et le périmètre du plan.",
        "es": "TODO: describir el objetivo y el alcance del plan.",
        "pt": "TODO: descrever o objetivo e o escopo do plano.",
    },
    "process": {
        "en": "TODO: describe how the plan was co-created: meetings, consultations, forum.",
        "fr": "TODO: décrire la co-création du plan (réunions, consultations, forum).",
        "es": "TODO: describir cómo se co-creó el plan: reuniones, consultas, foro.",
        "pt": "TODO: descrever como o plano foi cocriado: reuniões, consultas, fórum.",
    },
    "monitoring": {
        "en": "TODO: describe how the plan is followed and evaluated.",
        "fr": "TODO: décrire le suivi et l'évaluation du plan.",
        "es": "TODO: describir cómo se da seguimiento al plan y cómo se evalúa.",
        "pt": "TODO: descrever como o plano é acompanhado e avaliado.",
    },
    "commitment-title": {
        "en": "TODO: title of the commitment",
        "fr": "TODO: titre de l'engagement",
        "es": "TODO: título del compromiso",
        "pt": "TODO: título do compromisso",
    },
    "summary": {
        "en": "TODO: summarise the commitment in a few sentences.",
        "fr": "TODO: résumer l'engagement en quelques phrases.",
        "es": "TODO: resumir el compromiso en pocas frases.",
        "pt": "TODO: resumir o compromisso em poucas frases.",
    },
    "agency": {
        "en": "TODO: lead agency or department",
        "fr": "TODO: service ou direction pilote",
        "es": "TODO: institución o dependencia responsable",
        "pt": "TODO: órgão ou secretaria responsável",
    },
    "problem": {
        "en": "TODO: what problem does the commitment address?",
        "fr": "TODO: quel problème l'engagement traite-t-il ?",
        "es": "TODO: ¿qué problema aborda el compromiso?",
        "pt": "TODO: que problema o compromisso aborda?",
    },
    "causes": {
        "en": "TODO: what are the causes of the problem?",
        "fr": "TODO: quelles sont les causes du problème ?",
        "es": "TODO: ¿cuáles son las causas del problema?",
        "pt": "TODO: quais são as causas do problema?",
    },
    "status_quo": {
        "en": "TODO: what has been done so far, and where do things stand?",
        "fr": "TODO: qu'a-t-on fait jusqu'ici, et où en est-on ?",
        "es": "TODO: ¿qué se ha hecho hasta ahora y cuál es la situación actual?",
        "pt": "TODO: o que já foi feito e qual é a situação atual?",
    },
    "solution": {
        "en": "TODO: what does the commitment do about the problem?",
        "fr": "TODO: que fait l'engagement pour résoudre le problème ?",
        "es": "TODO: ¿qué hace el compromiso para resolver el problema?",
        "pt": "TODO: o que o compromisso faz para resolver o problema?",
    },
    "results": {
        "en": "TODO: what results are expected?",
        "fr": "TODO: quels résultats sont attendus ?",
        "es": "TODO: ¿qué resultados se esperan?",
        "pt": "TODO: que resultados são esperados?",
    },
    "transparency": {
        "en": "TODO: how does the commitment make government more transparent?",
        "fr": "TODO: en quoi l'engagement rend-il l'administration plus transparente ?",
        "es": "TODO: ¿cómo hace el compromiso que el gobierno sea más transparente?",
        "pt": "TODO: como o compromisso torna o governo mais transparente?",
    },
    "milestone-title": {
        "en": "TODO: first milestone",
        "fr": "TODO: premier jalon",
        "es": "TODO: primer hito",
        "pt": "TODO: primeiro marco",
    },
    "expected_output": {
        "en": "TODO: the verifiable output expected",
        "fr": "TODO: le livrable vérifiable attendu",
        "es": "TODO: el producto verificable esperado",
        "pt": "TODO: o produto verificável esperado",
    },
    "note": {
        "en": "TODO: say where this milestone stands.",
        "fr": "TODO: indiquer où en est ce jalon.",
        "es": "TODO: indicar en qué punto está este hito.",
        "pt": "TODO: indicar em que ponto está este marco.",
    },
    "point-of-contact": {
        "en": "TODO: name of the government point of contact",
        "fr": "TODO: nom du point de contact de l'administration",
        "es": "TODO: nombre del punto de contacto del gobierno",
        "pt": "TODO: nome do ponto de contato do governo",
    },
    "monitoring-body": {
        "en": "TODO: name of the independent monitoring body",
        "fr": "TODO: nom de l'organe de suivi indépendant",
        "es": "TODO: nombre del órgano de monitoreo independiente",
        "pt": "TODO: nome do órgão de monitoramento independente",
    },
    "contact": {
        "en": "TODO: name of the person responsible",
        "fr": "TODO: nom de la personne responsable",
        "es": "TODO: nombre de la persona responsable",
        "pt": "TODO: nome da pessoa responsável",
    },
    "translate": {
        "en": "TODO: translate",
        "fr": "TODO: traduire",
        "es": "TODO: traducir",
        "pt": "TODO: traduzir",
    },
}

_HINTS = {
    "member": "Fill in every TODO, then run `actionplan validate`.\n"
    "Optional: website; point_of_contact also takes role, organization, email, phone.",
    "vision": "Fill in every TODO, then run `actionplan validate`.\n"
    "Optional: foreword, alignment, coordination, approval (without it, outputs are drafts).",
    "commitment": "Fill in every TODO, then run `actionplan validate`.\n"
    "Optional: resources, risks, open_gov_challenge; ogp_values also takes accountability,\n"
    "participation and inclusion; a milestone also takes lead and stakeholders.",
    "progress": "Add an entry below the last one at each update, oldest first. Statuses:\n"
    "not-started, in-progress, complete, stalled, abandoned. An entry also takes\n"
    "evidence (a list of title and url) and reported_by.",
}


def _todo(key: str, lang: str) -> str:
    texts = _TODO[key]
    return texts.get(lang, texts["en"])


def _localized(languages: list[str], text: Callable[[str], str]) -> str | dict[str, str]:
    """One text for a single-language member, a mapping by language code otherwise."""
    if len(languages) == 1:
        return text(languages[0])
    return {lang: text(lang) for lang in languages}


def _placeholder(key: str, languages: list[str]) -> str | dict[str, str]:
    return _localized(languages, lambda lang: _todo(key, lang))


def _given(value: str, languages: list[str]) -> str | dict[str, str]:
    """A text the user gave (in the primary language), with translations still to do."""
    primary = languages[0]
    return _localized(
        languages,
        lambda lang: (
            value if lang == primary else f"{_todo('translate', lang)} ({primary}): {value}"
        ),
    )


# --- a small YAML writer: block style, conservative quoting ------------------------------------

_PLAIN = re.compile(r"^[\w][\w .,()/'’+-]*$")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        plain = (
            _PLAIN.fullmatch(value)
            and not value.endswith(" ")
            and resolve_plain(value) == value
            and value.lower() not in _YAML11_WORDS
            and not _DATE.fullmatch(value)
        )
        return value if plain else json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _lines(value: Any, indent: int) -> Iterator[str]:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                yield f"{pad}{key}:"
                yield from _lines(item, indent + 2)
            elif isinstance(item, list | dict):
                yield f"{pad}{key}: {'[]' if isinstance(item, list) else '{}'}"
            else:
                yield f"{pad}{key}: {_scalar(item)}"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list) and item:
                inner = list(_lines(item, indent + 2))
                yield f"{pad}- {inner[0][indent + 2 :]}"
                yield from inner[1:]
            elif isinstance(item, list | dict):
                yield f"{pad}- {'[]' if isinstance(item, list) else '{}'}"
            else:
                yield f"{pad}- {_scalar(item)}"
    else:
        yield f"{pad}{_scalar(value)}"


def _plain_data(value: Any) -> Any:
    """The data as the loader gives it back: dates are strings until the model parses them."""
    if isinstance(value, dict):
        return {k: _plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_data(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_yaml(data: dict[str, Any], schema_ref: str, comment: str = "") -> str:
    """The text of a plan file: the schema line, an optional comment, then the data."""
    head = [f"# yaml-language-server: $schema={schema_ref}"]
    head += [f"# {line}".rstrip() for line in comment.splitlines()]
    text = "\n".join([*head, *_lines(data, 0)]) + "\n"
    doc, problems = load_text(text, Path("<new>"), "<new>")
    for problem in problems:
        if problem.rule == "control-character":  # from an argument: a bad argument
            raise UsageError(f"a text given on the command line: {problem.message}")
    if problems or doc.data != _plain_data(data):  # the writer's own check: it reads back
        raise ActionPlanError("internal error: the YAML written does not read back as intended")
    return text


# --- writing: atomic, never over an existing file, undone as a whole on failure ----------------


def _refuse_existing(path: Path, hint: str = "; it is left as it is") -> None:
    if path.exists():
        raise UsageError(f"{display_name(path)} already exists{hint}")


@dataclass
class _Writes:
    root: Path
    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    def folder(self, path: Path) -> None:
        missing = [p for p in (path, *path.parents) if not p.exists()]
        for folder in reversed(missing):
            folder.mkdir()
            self.folders.append(folder)

    def write(self, path: Path, text: str) -> None:
        _refuse_existing(path)
        self.folder(path.parent)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            _refuse_existing(path)  # it may have appeared meanwhile: still never overwrite
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.files.append(path)

    def undo(self) -> None:
        for path in reversed(self.files):
            path.unlink(missing_ok=True)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()


def _schema_ref(w: _Writes, target: Path, kind: str) -> str:
    """Relative path from `target` to the repository's schema; the schema is written if absent."""
    schema = w.root / "schemas" / KINDS[kind].schema_file
    if not schema.exists():
        w.write(schema, render(schema_for(kind)))
    return Path(os.path.relpath(schema, target.parent)).as_posix()


def _write_new(root: Path, target: Path, kind: str, data: dict[str, Any]) -> int:
    """Write one new plan file of `kind` (and its schema when the repository has none)."""

    def make(w: _Writes) -> list[Path]:
        ref = _schema_ref(w, target, kind)
        w.write(target, to_yaml(data, ref, _HINTS[kind]))
        return [target]

    return _run(root, make)


def _check_written(paths: list[Path]) -> None:
    """Validate every new plan file as part of its plan; only its own problems count."""
    from actionplan.validate import validate_paths

    result = validate_paths(paths)
    sys.stderr.write(format_problems(result.problems, "text"))  # warnings are shown too
    if result.failed():
        raise ActionPlanError("the new file does not validate, so nothing was written")


def _run(root: Path, make: Callable[[_Writes], list[Path]]) -> int:
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder (--root is the repository's root)")
    w = _Writes(root)
    try:
        plan_files = make(w)
        _check_written(plan_files)
    except BaseException:
        w.undo()
        raise
    for path in w.files:
        print(f"wrote {display_name(path)}")
    return ExitCode.OK


# --- reading what is there ----------------------------------------------------------------------

_M = TypeVar("_M", bound=BaseModel)


def _read(path: Path, model: type[_M], what: str) -> _M:
    """A plan file the new one builds on; it must exist and pass its schema."""
    if not path.is_file():
        raise UsageError(f"{display_name(path)}: no such file; {what}")
    doc, problems = load_file(path)
    if not problems and isinstance(doc.data, dict):
        with contextlib.suppress(ValueError):
            return model.model_validate(doc.data)
    raise UsageError(
        f"{display_name(path)} does not validate; run `actionplan validate "
        f"{display_name(path)}` and fix it first"
    )


def _slug(value: str, what: str) -> str:
    if not _SLUG.fullmatch(value) or len(value) > 80:
        raise UsageError(f"{_shown(value)} is not a valid {what}: use {SLUG_HELP}")
    return value


def _shown(value: str) -> str:
    """An argument as it can be shown on one line: quoted, its invisible characters escaped."""
    return repr(value) if _CONTROL.search(value) or bidi_control(value) else f"`{value}`"


def _date(value: str, option: str) -> dt.date:
    day: dt.date | None = None
    if _DATE.fullmatch(value):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value)
    if day is None:
        raise UsageError(f"{option} {_shown(value)} is not a date written YYYY-MM-DD")
    if day.year not in YEARS:
        raise UsageError(
            f"{option} {value} is in year {day.year}; plans run within the years "
            f"{YEARS.start} to {YEARS.stop - 1}"
        )
    return day


def _line(value: str, option: str) -> str:
    """A name or title given on the command line: one line of visible text."""
    text = value.strip()
    if not text:
        raise UsageError(f"{option} must not be empty")
    if found := _CONTROL.search(text):
        raise UsageError(
            f"{option} {_shown(value)} holds the control character U+{ord(found[0]):04X}: it "
            "must be one line without control characters"
        )
    _no_bidi(text, option)
    return text


def _no_bidi(value: str, option: str) -> None:
    # `new` promises a file that validates with --strict, where this warning fails.
    char = bidi_control(value)
    if char:
        raise UsageError(
            f"{option} {_shown(value)} holds {describe_bidi(char)}; the documents set each "
            "text's direction themselves, so leave it out"
        )


def _plan_dir(root: Path, spec: str) -> tuple[Path, str]:
    """`MEMBER/CYCLE` (a leading `plans/` allowed) to the plan's folder."""
    parts = [p for p in spec.strip("/").split("/") if p]
    if parts and parts[0] == "plans":
        parts = parts[1:]
    if len(parts) != 2:
        raise UsageError(f"{_shown(spec)}: name the plan as MEMBER/CYCLE, e.g. paris/2024-2026")
    member, cycle = parts
    _slug(member, "member id")
    if not _CYCLE.fullmatch(cycle):
        raise UsageError(f"{_shown(cycle)} is not a cycle: a cycle is named YYYY-YYYY")
    plan = root / "plans" / member / cycle
    if not (plan / "vision.yaml").is_file():
        raise UsageError(
            f"{display_name(plan / 'vision.yaml')}: no such file; create the plan first with "
            f"`actionplan new plan {member} --start ... --end ... --term-end ...`"
        )
    return plan, member


def _member_file(root: Path, member: str) -> Member:
    return _read(
        root / "plans" / member / "member.yaml",
        Member,
        f"create the member first with `actionplan new member {member} ...`",
    )


# --- the values given on the command line ---------------------------------------------------------


def _country(value: str) -> str:
    # Upper-casing only ASCII: "ß".upper() is "SS", a country the user did not name.
    country = value.strip().upper() if value.isascii() else ""
    if not _COUNTRY.fullmatch(country) or pycountry.countries.get(alpha_2=country) is None:
        raise UsageError(f"{_shown(value)} is not an ISO 3166-1 alpha-2 country code (FR, GB, AR)")
    return country


def _languages(value: str) -> list[str]:
    codes = [code.strip() for code in value.split(",") if code.strip()]
    if not codes:
        raise UsageError("--languages needs at least one language code, the primary one first")
    for code in codes:
        if not code.isascii() or not _LANG.fullmatch(code.lower()):
            raise UsageError(f"{_shown(code)} is not an ISO 639-1 language code (en, fr, es, ...)")
        if pycountry.languages.get(alpha_2=code.lower()) is None:
            raise UsageError(f"`{code}` is not an ISO 639-1 language code (en, fr, es, ...)")
    languages = [code.lower() for code in codes]
    if len(set(languages)) != len(languages):
        raise UsageError(f"--languages lists a language twice: {value}")
    return languages


def _website(value: str) -> None:
    try:
        TypeAdapter(Url).validate_python(value)
        if _CONTROL.search(value):  # the pattern refuses spaces, not every control
            raise ValueError(value)
    except ValueError:  # pydantic's ValidationError is one
        raise UsageError(
            f"--website {_shown(value)} is not an http:// or https:// address"
        ) from None
    _no_bidi(value, "--website")


# --- the four kinds of file -----------------------------------------------------------------------
#
# Each `new_*` takes the values as given on the command line, unchecked (the messages name the
# options), checks them all before writing anything, and returns the exit code.


@dataclass(frozen=True)
class NewMember:
    root: Path
    id: str
    name: str
    country: str
    languages: str
    website: str | None = None


@dataclass(frozen=True)
class NewPlan:
    root: Path
    member: str
    start: str
    end: str
    term_end: str
    title: str | None = None


@dataclass(frozen=True)
class NewCommitment:
    root: Path
    plan: str
    id: str
    title: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class NewProgress:
    root: Path
    plan: str
    commitment: str
    milestone: str | None = None


def new_member(options: NewMember) -> int:
    root = options.root
    member_id = _slug(options.id, "member id")
    country = _country(options.country)
    languages = _languages(options.languages)
    name = _line(options.name, "--name")
    if options.website is not None:
        _website(options.website)
    primary = languages[0]
    data: dict[str, Any] = {
        "id": member_id,
        "name": _localized(languages, lambda _lang: name),
        "country": country,
        "languages": languages,
    }
    if options.website:
        data["website"] = options.website
    data["point_of_contact"] = {"name": _todo("point-of-contact", primary)}
    data["monitoring_body"] = {"name": _todo("monitoring-body", primary), "kind": "organization"}
    target = root / "plans" / member_id / "member.yaml"

    _refuse_existing(target)

    return _write_new(root, target, "member", data)


def new_plan(options: NewPlan) -> int:
    root = options.root
    member_id = _slug(options.member, "member id")
    start = _date(options.start, "--start")
    end = _date(options.end, "--end")
    term_end = _date(options.term_end, "--term-end")
    title = _line(options.title, "--title") if options.title is not None else None
    if start > end:
        raise UsageError(f"--end {end} is before --start {start}")
    if end > term_end:
        raise UsageError(
            f"the plan ends on {end}, after the term ends on {term_end}; "
            "a plan must end before the next election"
        )
    member = _member_file(root, member_id)
    languages = member.languages
    target = root / "plans" / member_id / f"{start.year:04d}-{end.year:04d}" / "vision.yaml"
    participants: list[dict[str, Any]] = [
        {"name": member.point_of_contact.name, "role": "government-point-of-contact"},
        {"name": member.monitoring_body.name, "role": "monitoring-body"},
    ]
    if member.point_of_contact.organization:
        participants[0]["organization"] = member.point_of_contact.organization
    data: dict[str, Any] = {
        "title": _given(title, languages) if title else _placeholder("plan-title", languages),
        "period": {"start": start, "end": end},
        "term_end": term_end,
        "long_term_vision": _placeholder("long_term_vision", languages),
        "challenges": _placeholder("challenges", languages),
        "objectives": _placeholder("objectives", languages),
        "co_creation": {
            "process": _placeholder("process", languages),
            "participants": participants,
        },
        "monitoring": _placeholder("monitoring", languages),
    }

    _refuse_existing(target)

    return _write_new(root, target, "vision", data)


def _busy_days(
    periods: list[tuple[dt.date, dt.date]], start: dt.date, end: dt.date
) -> dt.date | None:
    """The first day of [start, end] on which the most commitments allowed already run."""
    days = sorted({start} | {s for s, _ in periods if start <= s <= end})
    for day in days:
        if sum(s <= day <= e for s, e in periods) >= MAX_CONCURRENT:
            return day
    return None


def new_commitment(options: NewCommitment) -> int:
    root = options.root
    commitment_id = _slug(options.id, "commitment id")
    title = _line(options.title, "--title") if options.title is not None else None
    given_start = _date(options.start, "--start") if options.start is not None else None
    given_end = _date(options.end, "--end") if options.end is not None else None
    plan_dir, member_id = _plan_dir(root, options.plan)
    member = _member_file(root, member_id)
    vision = _read(plan_dir / "vision.yaml", Vision, "create the plan first")
    start = given_start or vision.period.start
    end = given_end or vision.period.end
    if start > end:
        raise UsageError(f"the commitment would end on {end}, before it starts on {start}")
    if start < vision.period.start or end > vision.period.end:
        raise UsageError(
            f"{start} to {end} is not within the plan's period, "
            f"{vision.period.start} to {vision.period.end}"
        )
    target = plan_dir / "commitments" / f"{commitment_id}.yaml"
    _refuse_existing(target)
    others: list[tuple[dt.date, dt.date]] = []
    for path in sorted((plan_dir / "commitments").glob("*.yaml")):
        doc, problems = load_file(path)
        with contextlib.suppress(ValueError):
            if not problems:
                c = Commitment.model_validate(doc.data)
                others.append((c.period.start, c.period.end))
    busy = _busy_days(others, start, end)
    if busy is not None:
        raise UsageError(
            f"on {busy}, {MAX_CONCURRENT} commitments are already being implemented, the most "
            "allowed at once; give this one a period with --start and --end that avoids that day"
        )
    languages = member.languages
    data: dict[str, Any] = {
        "id": commitment_id,
        "title": _given(title, languages) if title else _placeholder("commitment-title", languages),
        "summary": _placeholder("summary", languages),
        "period": {"start": start, "end": end},
        "lead": {
            "agency": _placeholder("agency", languages),
            "contact": {"name": _todo("contact", languages[0])},
        },
        "other_actors": {"government": [], "civil_society": [], "private_sector": [], "other": []},
        "problem": _placeholder("problem", languages),
        "causes": _placeholder("causes", languages),
        "status_quo": _placeholder("status_quo", languages),
        "solution": _placeholder("solution", languages),
        "results": _placeholder("results", languages),
        "ogp_values": {"transparency": _placeholder("transparency", languages)},
        "milestones": [
            {
                "id": "milestone-1",
                "title": _placeholder("milestone-title", languages),
                "expected_output": _placeholder("expected_output", languages),
                "start": start,
                "end": end,
            }
        ],
    }

    return _write_new(root, target, "commitment", data)


def new_progress(options: NewProgress) -> int:
    from actionplan.clock import build_date

    root = options.root
    commitment_id = _slug(options.commitment, "commitment id")
    if options.milestone is not None:
        _slug(options.milestone, "milestone id")
    plan_dir, member_id = _plan_dir(root, options.plan)
    member = _member_file(root, member_id)
    source = plan_dir / "commitments" / f"{commitment_id}.yaml"
    commitment = _read(
        source,
        Commitment,
        "create the commitment first with "
        f"`actionplan new commitment {options.plan} {commitment_id}`",
    )
    milestones = [m.id for m in commitment.milestones]
    milestone = options.milestone or milestones[0]
    if milestone not in milestones:
        raise UsageError(
            f"commitment `{commitment_id}` has no milestone `{milestone}`; "
            f"its milestones are {', '.join(milestones)}"
        )
    target = plan_dir / "progress" / f"{commitment_id}.yaml"
    _refuse_existing(target, "; add an entry at its end instead")
    data: dict[str, Any] = {
        "commitment": commitment_id,
        "entries": [
            {
                "date": build_date(),
                "milestone": milestone,
                "status": "not-started",
                "note": _placeholder("note", member.languages),
            }
        ],
    }

    return _write_new(root, target, "progress", data)
