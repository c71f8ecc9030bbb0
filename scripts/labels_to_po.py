"""Convert label catalogues from the old YAML format to gettext PO files (a one-off, kept for
catalogues still written in YAML).

    .venv/bin/python scripts/labels_to_po.py [LANG ...] [--labels DIR] [--locales DIR]

reads `templates/labels/<lang>.yaml` (every one there when no LANG is given) and writes
`templates/locales/<lang>/LC_MESSAGES/actionplan.po`. The msgid of every message is the
label's dotted key (`section.vision`), so templates and code keep calling
`labels.text("section.vision")`; the msgstr is the text. A YAML mapping of CLDR plural
categories (`one: ..., other: ...`) becomes a plural message (`msgid_plural`, `msgstr[i]`) with
the language's forms as Babel's `Plural-Forms` numbers them. A form the YAML lacks is copied
from `other`, and so is a plain text where English has plural forms; such a message is marked
fuzzy: a translator's tool shows it to review, and the documents read it in English until then.
The output holds no date and follows the English catalogue's order, so it is reproducible.
Delete the YAML file once its PO file is committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from actionplan.loader import load_file
from actionplan.render.labels import (
    DOMAIN,
    Plural,
    catalogue_path,
    load_catalogue,
    plural_categories,
)

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
# Babel writes these dates in the header; a fixed one keeps the file reproducible.
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

Label = str | dict[str, str]


def labels_of(data: Mapping[str, Any], prefix: str = "") -> dict[str, Label]:
    """A nested YAML catalogue as dotted keys; a mapping of plural categories stays whole."""
    out: dict[str, Label] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and "other" in value and set(value) <= CATEGORIES:
            out[name] = {str(k): str(v) for k, v in value.items()}
        elif isinstance(value, Mapping):
            out.update(labels_of(value, name + "."))
        else:
            out[name] = str(value)
    return out


def read_yaml(path: Path) -> dict[str, Label]:
    doc, problems = load_file(path)
    if problems or not isinstance(doc.data, Mapping):
        sys.exit(f"{path}: " + "; ".join(p.message for p in problems) or "not a mapping")
    return labels_of(doc.data)


def english_labels(labels: Path, locales: Path) -> dict[str, Label]:
    """The English labels, from en.yaml while it exists, else from the English PO catalogue
    (the source of truth once converted)."""
    if (labels / "en.yaml").is_file():
        return read_yaml(labels / "en.yaml")
    entries = load_catalogue(catalogue_path(locales, "en"))
    return {k: dict(v.forms) if isinstance(v, Plural) else v for k, v in entries.items()}


def catalogue(lang: str, labels: dict[str, Label], english: dict[str, Label]) -> Catalog:
    """The PO catalogue of `lang`, its messages in the order of the English catalogue (keys
    English lacks last, so nothing is dropped)."""
    cat = Catalog(
        locale=Locale.parse(lang),
        domain=DOMAIN.removesuffix(".po"),
        project="actionplan",
        version="1",
        creation_date=EPOCH,
        revision_date=EPOCH,
        fuzzy=False,
        copyright_holder="the actionplan contributors",
        msgid_bugs_address="",
        last_translator="",
        language_team="",
    )
    categories = plural_categories(lang)
    for key in [*english, *(k for k in labels if k not in english)]:
        if key not in labels:
            continue
        value, source = labels[key], english.get(key)
        if isinstance(value, str) and not isinstance(source, dict):
            cat.add(key, value)
            continue
        forms = value if isinstance(value, dict) else {"other": value}
        strings = tuple(forms.get(c) or forms["other"] for c in categories)
        # `many` of French, Spanish, Portuguese (a million) reads as `other`; Arabic's does not.
        copied_ok = {"many"} if "few" not in categories else set()
        complete = all(c in forms or c in copied_ok for c in categories)
        cat.add((key, key), strings, flags=() if complete else ("fuzzy",))
    return cat


def po_text(cat: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, cat, width=0, no_location=True, omit_header=False)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("langs", nargs="*")
    parser.add_argument("--labels", type=Path, default=ROOT / "templates" / "labels")
    parser.add_argument("--locales", type=Path, default=ROOT / "templates" / "locales")
    args = parser.parse_args(argv)
    english = english_labels(args.labels, args.locales)
    langs = args.langs or sorted(p.stem for p in args.labels.glob("*.yaml"))
    for lang in langs:
        labels = read_yaml(args.labels / f"{lang}.yaml")
        target = catalogue_path(args.locales, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(po_text(catalogue(lang, labels, english)))
        print(f"{target}: {len(labels)} labels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
