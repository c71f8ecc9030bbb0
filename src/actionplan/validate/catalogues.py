"""A plans repository's own label catalogues (`locales/<lang>/LC_MESSAGES/actionplan.po`),
checked against the English catalogue the templates come with.

A catalogue that lacks labels still builds (those labels read in English), so that is a
warning; one that a build could not use (a PO file Babel cannot read, a placeholder the
English label does not have, plural forms where English has none or the other way round) is
an error, reported here rather than as a failed build.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from pathlib import Path

from actionplan.loader import display_name
from actionplan.problems import Problem, Severity, problem
from actionplan.render.labels import (
    FALLBACK,
    LOCALES_FOLDER,
    Entry,
    LabelError,
    Plural,
    catalogue_languages,
    catalogue_path,
    load_catalogue,
)

SOURCE_TEMPLATES = Path(__file__).resolve().parents[3] / "templates"


def check_catalogues(root: Path) -> list[Problem]:
    """Every catalogue of the repository's `locales` folder against the English one."""
    folder = root / LOCALES_FOLDER
    if not folder.is_dir():
        return []
    templates = root / "templates"
    if not catalogue_path(templates / LOCALES_FOLDER, FALLBACK).is_file():
        templates = SOURCE_TEMPLATES
    english = load_catalogue(catalogue_path(templates / LOCALES_FOLDER, FALLBACK))
    problems: list[Problem] = []
    for lang in catalogue_languages(folder):
        problems += check_catalogue(catalogue_path(folder, lang), english)
    return problems


def check_catalogue(path: Path, english: Mapping[str, Entry]) -> list[Problem]:
    """One catalogue's problems: unreadable, labels that do not fit, labels missing."""
    shown = display_name(path)
    try:
        entries = load_catalogue(path)
    except LabelError as error:
        return [problem("catalogue-invalid", shown, str(error).removeprefix(f"{shown}: "))]
    problems = [
        problem("catalogue-invalid", shown, f"label `{key}`: {why}")
        for key, value in entries.items()
        if (why := _misfit(value, english.get(key)))
    ]
    missing = [key for key in english if key not in entries]
    if missing:
        message = (
            f"{len(missing)} of the {len(english)} labels missing (they read in English): "
            + ", ".join(missing)
        )
        problems.append(
            Problem(shown, 1, 1, Severity.WARNING, "catalogue-missing-label", "$", message)
        )
    return problems


def _misfit(value: Entry, source: Entry | None) -> str | None:
    """Why a label cannot stand for the English one (None when it can)."""
    if source is None:
        return "not an English label, so no document shows it"
    if isinstance(value, Plural) != isinstance(source, Plural):
        return (
            "plural forms where English has none"
            if isinstance(value, Plural)
            else ("English has plural forms (msgid_plural) here")
        )
    wanted = set().union(*(placeholders(t) for t in _texts(source)))
    for text in _texts(value):
        try:
            extra = placeholders(text) - wanted
        except ValueError as error:
            return f"{error} in {text!r}"
        if extra:
            return "no value for " + ", ".join(f"{{{name}}}" for name in sorted(extra))
    return None


def _texts(entry: Entry) -> list[str]:
    return list(entry.forms.values()) if isinstance(entry, Plural) else [entry]


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders of a label (ValueError for a brace that opens none)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
