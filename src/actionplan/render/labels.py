"""Labels of the outputs (headings, question wording, enum values, dates) in the reader's language.

The words live in catalogues, `templates/labels/<lang>.yaml`, never in template code. A
language without a catalogue falls back to the English labels; the plan's own text stays in the
plan's language. Dates and country names come from babel in the reader's locale.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from pydantic import BaseModel

from actionplan.errors import RenderError
from actionplan.fsutil import shown
from actionplan.loader import load_file
from actionplan.model.assessments import (
    CommitmentDesign,
    DidItOpenGovernment,
    EndOfCommitment,
    FinalSummary,
    Inception,
    RequirementCheck,
    ValueChange,
)
from actionplan.model.cocreation import (
    Activity,
    Contribution,
    Contributions,
    ForumMember,
    Meeting,
    Response,
)
from actionplan.model.commitment import OgpValues, OpenGovChallenge
from actionplan.model.member import MonitoringBody
from actionplan.model.progress import ProgressEntry
from actionplan.model.vision import Approver, Participant

FALLBACK = "en"
LABELS_FOLDER = "labels"
RTL_LANGUAGES = frozenset({"ar", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"})

# Each enum of the models, by the catalogue group (`enum.<group>.<value>`) that labels it.
ENUM_FIELDS: dict[str, tuple[type[BaseModel], str]] = {
    "role": (Participant, "role"),
    "approver_kind": (Approver, "kind"),
    "monitoring_kind": (MonitoringBody, "kind"),
    "challenge_area": (OpenGovChallenge, "area"),
    "status": (ProgressEntry, "status"),
    "rating": (ValueChange, "rating"),
    "completion": (EndOfCommitment, "completion"),
    "potential": (CommitmentDesign, "potential_for_results"),
    "public_influence": (Inception, "public_influence"),
    "met": (RequirementCheck, "met"),
    "requirement": (RequirementCheck, "requirement"),
    "sector": (ForumMember, "sector"),
    "phase": (Activity, "phase"),
    "meeting_kind": (Meeting, "kind"),
    "meeting_format": (Meeting, "format"),
    "channel": (Contributions, "channel"),
    "response_status": (Response, "status"),
    "assessment_status": (Inception, "status"),
}
# Other fields of the same Literal as a group's field, labelled by that group.
SHARED_ENUM_FIELDS: dict[str, tuple[tuple[type[BaseModel], str], ...]] = {
    "sector": ((Contribution, "sector"),),
    "phase": ((Meeting, "phase"),),
    "assessment_status": ((EndOfCommitment, "status"), (FinalSummary, "status")),
}
# Groups whose values are the field names of a model (one label per OGP value).
FIELD_GROUPS: dict[str, tuple[type[BaseModel], ...]] = {
    "ogp_value": (OgpValues, DidItOpenGovernment),
}


class LabelError(RenderError):
    """A catalogue that cannot be read, or a label that is missing from it or does not fit."""


def enum_values(model: type[BaseModel], field: str) -> tuple[str, ...]:
    """The values a Literal field of a model allows."""
    annotation = model.model_fields[field].annotation
    while typing.get_origin(annotation) is not Literal:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if not args:
            raise LabelError(f"{model.__name__}.{field} is not an enum")
        annotation = args[0]
    return tuple(str(v) for v in typing.get_args(annotation))


def enum_groups() -> dict[str, tuple[str, ...]]:
    """Every labelled enum group with its values."""
    groups = {group: enum_values(*where) for group, where in ENUM_FIELDS.items()}
    for group, models in FIELD_GROUPS.items():
        names: dict[str, None] = {}
        for model in models:
            names.update(dict.fromkeys(model.model_fields))
        groups[group] = tuple(names)
    return groups


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """A nested catalogue as dotted keys: `{"a": {"b": "x"}}` gives `{"a.b": "x"}`."""
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, name + "."))
        elif isinstance(value, str):
            out[name] = value
        else:
            raise LabelError(f"label `{name}` must be text, not {type(value).__name__}")
    return out


def catalogue_path(templates: Path, lang: str) -> Path:
    return templates / LABELS_FOLDER / f"{lang}.yaml"


def catalogue_languages(templates: Path) -> list[str]:
    """The languages that have a catalogue."""
    return sorted(p.stem for p in (templates / LABELS_FOLDER).glob("*.yaml"))


def load_catalogue(path: Path) -> dict[str, str]:
    """One catalogue file as dotted keys; read again only when the file changes."""
    return dict(_load_catalogue(path.resolve(), path.stat().st_mtime_ns))


@cache
def _load_catalogue(path: Path, mtime_ns: int) -> Mapping[str, str]:
    doc, problems = load_file(path)
    if problems:
        raise LabelError("; ".join(f"{p.file}:{p.line}:{p.column}: {p.message}" for p in problems))
    if not isinstance(doc.data, Mapping):
        raise LabelError(f"{shown(path)}: a label catalogue is a mapping")
    try:
        return flatten(doc.data)
    except LabelError as error:
        raise LabelError(f"{shown(path)}: {error}") from error


def text_direction(lang: str) -> Literal["ltr", "rtl"]:
    """The writing direction of a language."""
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


def babel_locale(lang: str) -> Locale:
    """The babel locale of a language, English when babel does not know it."""
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK)


@dataclass(frozen=True)
class Labels:
    """The labels of one document language (`lang`), from the catalogue of `catalogue`."""

    lang: str
    catalogue: str
    entries: Mapping[str, str]
    source: Path | None = None
    """The catalogue file, which messages about a label name."""

    @property
    def fallback(self) -> bool:
        """True when the labels are not in the document's language."""
        return self.catalogue != self.lang

    def text(self, key: str, **values: object) -> str:
        """The label `key`, with `{name}` placeholders filled from `values`."""
        try:
            label = self.entries[key]
        except KeyError:
            raise LabelError(f"{self._where()}: no label `{key}`") from None
        try:
            return label.format_map(values) if values else label
        except KeyError as error:  # a placeholder the renderer does not fill
            missing = f"{{{error.args[0]}}}"
            raise LabelError(f"{self._where()}: label `{key}`: no value for {missing}") from error
        except (ValueError, IndexError) as error:  # a brace that opens no placeholder
            raise LabelError(f"{self._where()}: label `{key}`: {error}") from error

    def _where(self) -> str:
        return shown(self.source) if self.source else f"the {self.catalogue} catalogue"

    def enum(self, group: str, value: str) -> str:
        """The label of one enum value."""
        return self.text(f"enum.{group}.{value}")

    def date(self, day: dt.date) -> str:
        """A date as the reader writes it: `1 September 2021`, `1 septembre 2021`."""
        return str(format_date(day, format="long", locale=babel_locale(self.lang)))

    def country(self, code: str) -> str:
        """A country's name in the reader's language."""
        return str(babel_locale(self.lang).territories.get(code, code))


def load_labels(templates: Path, lang: str) -> Labels:
    """The labels for a document in `lang`: its catalogue, or the English one."""
    path = catalogue_path(templates, lang)
    catalogue = lang if path.is_file() else FALLBACK
    source = catalogue_path(templates, catalogue)
    return Labels(lang=lang, catalogue=catalogue, entries=load_catalogue(source), source=source)
