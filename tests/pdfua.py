"""A PDF/UA-1 check built on pikepdf: what a screen reader and a PDF/UA checker read in a PDF.

`problems` lists what the file lacks (empty when it passes): the document's `/Lang`,
`/MarkInfo /Marked true`, a structure tree, `/ViewerPreferences /DisplayDocTitle true`, the
PDF/UA identifier (`pdfuaid:part` 1) and a title in the XMP metadata, a `/Scope` (Column, Row or
Both) on every table header cell, and a well-formed language tag on every element that has one.
`languages` counts the structure elements by the language they are read in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pikepdf

SCOPES = {"/Column", "/Row", "/Both"}
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"
DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def open_pdf(source: Path | bytes) -> pikepdf.Pdf:
    return pikepdf.open(BytesIO(source) if isinstance(source, bytes) else source)


def problems(source: Path | bytes) -> list[str]:
    with open_pdf(source) as pdf:
        found = _document_problems(pdf)
        for element, lang in elements(pdf):
            found += _element_problems(element, lang)
    return found


def _document_problems(pdf: pikepdf.Pdf) -> list[str]:
    root = pdf.Root
    found = []
    if not LANGUAGE_TAG.match(str(root.get("/Lang", ""))):
        found.append("the document has no /Lang")
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        found.append("the document is not /Marked")
    if "/StructTreeRoot" not in root:
        found.append("the document has no structure tree")
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        found.append("the viewer is not told to display the title")
    meta = pdf.open_metadata()
    if meta.get(PDFUA_PART) != "1":
        found.append("the XMP metadata lacks pdfuaid:part 1")
    if not meta.get(DC_TITLE):
        found.append("the XMP metadata lacks dc:title")
    return found


def _element_problems(element: pikepdf.Dictionary, lang: str) -> list[str]:
    found = []
    if "/Lang" in element and not LANGUAGE_TAG.match(str(element.Lang)):
        found.append(f"{element.objgen}: /Lang {str(element.Lang)!r} is no language tag")
    if element.get("/S") == "/TH":
        scopes = [str(a.get("/Scope")) for a in attribute_objects(element)]
        if not SCOPES.intersection(scopes):
            found.append(f"{element.objgen}: a /TH without /Scope ({lang})")
    return found


def attribute_objects(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    attributes = element.get("/A")
    if isinstance(attributes, pikepdf.Dictionary):
        return [attributes]
    if isinstance(attributes, pikepdf.Array):
        return [a for a in attributes if isinstance(a, pikepdf.Dictionary)]
    return []


def elements(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, str]]:
    """Every structure element under the root, with the language it is read in (its own
    /Lang, else its parent's, else the document's)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack = [(kid, str(pdf.Root.get("/Lang", ""))) for kid in reversed(_kids(root))]
    while stack:
        element, inherited = stack.pop()
        lang = str(element.get("/Lang", inherited))
        yield element, lang
        stack.extend((kid, lang) for kid in reversed(_kids(element)))


def _kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    items = [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [k for k in items if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def languages(source: Path | bytes) -> Counter[str]:
    """How many structure elements carry their own /Lang, by language."""
    with open_pdf(source) as pdf:
        return Counter(str(e.Lang) for e, _ in elements(pdf) if "/Lang" in e)


def header_cells(source: Path | bytes) -> Counter[str]:
    """The table header cells by scope ('' for none)."""
    with open_pdf(source) as pdf:
        return Counter(
            next((str(a.Scope) for a in attribute_objects(e) if "/Scope" in a), "")
            for e, _ in elements(pdf)
            if e.get("/S") == "/TH"
        )
