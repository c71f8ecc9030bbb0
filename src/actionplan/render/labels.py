"""Labels of the outputs (headings, question wording, enum values, dates) in the reader's language.

The words live in gettext catalogues, never in template code: `templates/locales/<lang>/
LC_MESSAGES/actionplan.po`, read with Babel (no compiled .mo). Each msgid is a label's dotted
key (`section.vision`), the English catalogue is the source the others translate, and a label
that depends on a count has plural forms (`msgid_plural`, `msgstr[i]`), as many as CLDR gives
the language and in the order of Babel's `Plural-Forms`; `Labels.plural` picks the form by
CLDR's rule for the count. A plans repository may add catalogues of its own in
`locales/<lang>/LC_MESSAGES/actionplan.po` at its root (beside `templates/`): they win over the
templates' for their language. A label a catalogue lacks reads in English; a language without
any catalogue falls back to the English labels (`fallback_warning` says so), while the plan's
own text stays in the plan's language. Dates and country names come from Babel in the reader's
locale.
"""

from __future__ import annotations

import datetime as dt
import gettext
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po
from pydantic import BaseModel

from actionplan.errors import RenderError
from actionplan.fsutil import shown
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
LOCALES_FOLDER = "locales"
DOMAIN = "actionplan.po"
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
    """A nested mapping as dotted keys: `{"a": {"b": "x"}}` gives `{"a.b": "x"}`."""
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


@dataclass(frozen=True)
class Plural:
    """A label that depends on a count: its text per CLDR plural category (`one`, `other`...)."""

    forms: Mapping[str, str]

    def form(self, category: str) -> str:
        # A category the catalogue has no text for reads as `other`, as CLDR's fallback does.
        return self.forms.get(category) or self.forms["other"]


Entry = str | Plural


def catalogue_path(folder: Path, lang: str) -> Path:
    """Where the catalogue of `lang` stands in a locales folder (`templates/locales`, or a
    plans repository's own `locales`)."""
    return folder / lang / "LC_MESSAGES" / DOMAIN


def catalogue_languages(folder: Path) -> list[str]:
    """The languages that have a catalogue in a locales folder."""
    return sorted(p.parents[1].name for p in folder.glob(f"*/LC_MESSAGES/{DOMAIN}"))


def plural_categories(lang: str) -> tuple[str, ...]:
    """The CLDR category of each gettext plural form (`msgstr[i]`) of `lang`, in order: the
    forms and their order are Babel's `Plural-Forms` for the language."""
    plural = get_plural(babel_locale(lang))
    index = gettext.c2py(plural.plural_expr)
    locale = babel_locale(lang)
    found: dict[int, str] = {}
    for n in (*range(200), 1_000_000, 2_000_000):
        found.setdefault(index(n), str(locale.plural_form(n)))
    return tuple(found.get(i, "other") for i in range(plural.num_plurals))


def load_catalogue(path: Path) -> dict[str, Entry]:
    """One catalogue file by label key; read again only when the file changes."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as error:
        raise LabelError(f"{shown(path)}: cannot be read ({error.strerror})") from error
    return dict(_load_catalogue(path.resolve(), mtime))


@cache
def _load_catalogue(path: Path, mtime_ns: int) -> Mapping[str, Entry]:
    catalog = read_catalogue(path)
    categories = plural_categories(str(catalog.locale or path.parents[1].name))
    entries: dict[str, Entry] = {}
    for message in catalog:
        key = str(message.id[0] if isinstance(message.id, tuple | list) else message.id)
        if not key or message.fuzzy:  # the header; a fuzzy text is not a translation yet
            continue
        text = message.string
        if isinstance(text, tuple | list):
            # A form left empty is not translated yet: the label reads in English meanwhile.
            forms = dict(zip(categories, text, strict=False))
            if all(forms.values()) and "other" in forms:
                entries[key] = Plural(forms)
        elif text:
            entries[key] = str(text)
    return entries


def read_catalogue(path: Path) -> Catalog:
    """A PO file as Babel reads it; a file it cannot parse is an error naming the file."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except OSError as error:
        raise LabelError(f"{shown(path)}: cannot be read ({error.strerror})") from error
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        raise LabelError(f"{shown(path)}: not a PO catalogue: {error}") from error


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
    entries: Mapping[str, Entry]
    source: Path | None = None
    """The catalogue file, which messages about a label name."""

    @property
    def fallback(self) -> bool:
        """True when the labels are not in the document's language."""
        return self.catalogue != self.lang

    def text(self, key: str, **values: object) -> str:
        """The label `key`, with `{name}` placeholders filled from `values`."""
        label = self._entry(key)
        if isinstance(label, Plural):
            raise LabelError(f"{self._where()}: label `{key}` depends on a count (plural)")
        return self._filled(key, label, values)

    def form(self, key: str, n: int) -> str:
        """The text of the plural label `key` for the count `n`, placeholders unfilled: the
        form CLDR's plural rule of the catalogue's language gives `n`."""
        label = self._entry(key)
        if not isinstance(label, Plural):
            raise LabelError(f"{self._where()}: label `{key}` has no plural forms")
        return label.form(str(babel_locale(self.catalogue).plural_form(abs(n))))

    def plural(self, key: str, n: int, /, **values: object) -> str:
        """The plural label `key` in the form for the count `n` (ngettext), filled."""
        return self._filled(key, self.form(key, n), values)

    def _entry(self, key: str) -> Entry:
        try:
            return self.entries[key]
        except KeyError:
            raise LabelError(f"{self._where()}: no label `{key}`") from None

    def _filled(self, key: str, label: str, values: Mapping[str, object]) -> str:
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


def locale_folders(templates: Path) -> tuple[Path, Path]:
    """Where catalogues are looked for: the plans repository's own `locales` folder (beside
    `templates`, at the repository's root), then the catalogues that come with the templates."""
    return templates.parent / LOCALES_FOLDER, templates / LOCALES_FOLDER


def catalogue_files(templates: Path) -> list[Path]:
    """Every catalogue a document may read (what its build depends on)."""
    return sorted(p for folder in locale_folders(templates) for p in _catalogues_in(folder))


def _catalogues_in(folder: Path) -> list[Path]:
    return [catalogue_path(folder, lang) for lang in catalogue_languages(folder)]


def find_catalogues(templates: Path, lang: str) -> list[Path]:
    """The catalogues of `lang`, the repository's first: its words win over the templates'."""
    found = [catalogue_path(folder, lang) for folder in locale_folders(templates)]
    return [path for path in found if path.is_file()]


def load_labels(templates: Path, lang: str) -> Labels:
    """The labels for a document in `lang`: its catalogues over the English one (a label a
    catalogue lacks reads in English), or the English catalogue alone."""
    english = find_catalogues(templates, FALLBACK)
    if not english:
        raise LabelError(f"{shown(catalogue_path(templates / LOCALES_FOLDER, FALLBACK))}: missing")
    own = find_catalogues(templates, lang) if lang != FALLBACK else []
    entries: dict[str, Entry] = {}
    for path in [*reversed(english), *reversed(own)]:
        entries.update(load_catalogue(path))
    catalogue = lang if own else FALLBACK
    source = (own or english)[0]
    return Labels(lang=lang, catalogue=catalogue, entries=entries, source=source)


def fallback_warning(templates: Path, lang: str) -> str | None:
    """What a build says of a document language without a catalogue (None when it has one)."""
    if lang == FALLBACK or find_catalogues(templates, lang):
        return None
    own = catalogue_path(locale_folders(templates)[0], lang)
    return (
        f"no label catalogue for `{lang}`: the documents' headings and labels are in English "
        f"(add {shown(own)} to translate them)"
    )
