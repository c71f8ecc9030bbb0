"""DOCX output: the action plan's HTML converted by pandoc with the project's reference document.

- Styles come from `templates/reference.docx` (built by `scripts/make_reference_docx.py`):
  h1-h3 become Word's Heading 1-3, lists are Word lists, tables use the grid style "Table"
  with a header row repeated on every page.
- pandoc runs with `--sandbox`: it reads nothing but its input and the reference document and
  never touches the network (no image, iframe or file of a plan's text is fetched or embedded).
- The HTML's `<nav>` table of contents becomes a Word TOC field (prefilled with the nav's
  entries, updated with page numbers by Word on opening); `<main>` is unwrapped because pandoc
  would otherwise drop everything outside it (the cover); `<style>`, `<script>` and the
  head's metadata leave no trace (no title block repeats the cover's title).
- `data/docx.lua` (the pandoc filter) and `finish_part` do what pandoc leaves out for Word and
  LibreOffice: columns as wide as their content (no word broken mid-word at A4), tables at
  9.5 pt with lists indented 5 mm in cells; a right-to-left document's tables mirrored
  (`w:bidiVisual`) and its contents right to left; a heading's or a cell's language kept on it
  (`w:lang`, `w:bidi` for a right-to-left one), text in the other direction bounded by marks of
  its own so that its punctuation stays on its side.
- Same input, same bytes: the archive's entries are sorted with one fixed timestamp, and
  `docProps/core.xml` carries the title, the language and, only when SOURCE_DATE_EPOCH is set,
  its dates.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Callable
from functools import partial
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import pypandoc

from actionplan.clock import source_datetime
from actionplan.errors import RenderError
from actionplan.fsutil import write_atomic
from actionplan.render.labels import RTL_LANGUAGES

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The timestamp of every archive entry when SOURCE_DATE_EPOCH is unset (ZIP's earliest)."""

_MAIN_TAG = re.compile(r"<(/?)main\b", re.IGNORECASE)
_NAV_OPEN = re.compile(r"<nav\b[^>]*>", re.IGNORECASE)
_NAV_CLOSE = re.compile(r"</nav\s*>", re.IGNORECASE)
_RTL_DOCUMENT = re.compile(r"<html\b[^>]*\bdir\s*=\s*[\"']?rtl\b", re.IGNORECASE)
TOC_CLASS = "actionplan-toc"

LUA_FILTER = Path(__file__).resolve().parents[1] / "data" / "docx.lua"
"""The pandoc filter: metadata, languages and directions, column widths, the TOC field."""


def write_docx(html: str, target: Path, *, reference_doc: Path, title: str, lang: str) -> None:
    """Convert `html` to DOCX with `reference_doc`'s styles and write it to `target` atomically.

    Raises RenderError when pandoc fails or the reference document is missing.
    """
    if not reference_doc.is_file():
        raise RenderError(f"cannot render the DOCX {target}: no reference document {reference_doc}")
    try:
        data = render_docx(html, reference_doc=reference_doc, title=title, lang=lang)
    except (RuntimeError, OSError, zipfile.BadZipFile) as error:
        raise RenderError(f"cannot render the DOCX {target}: {error}") from error
    try:
        write_atomic(target, data)
    except OSError as error:
        raise RenderError(f"cannot write {target}: {error}") from error


def render_docx(html: str, *, reference_doc: Path, title: str, lang: str) -> bytes:
    """The normalised DOCX bytes of `html`; see `write_docx`."""
    rtl = bool(_RTL_DOCUMENT.search(html))
    with tempfile.TemporaryDirectory(prefix="actionplan-docx-") as folder:
        output = Path(folder) / "out.docx"
        args = [
            f"--reference-doc={reference_doc.resolve()}",
            f"--lua-filter={LUA_FILTER}",
            f"--metadata=lang:{lang}",
            f"--metadata=actionplan-rtl:{','.join(sorted(RTL_LANGUAGES))}",
        ]
        if rtl:
            args.append("--metadata=dir:rtl")
        pypandoc.convert_text(
            prepare_html(html),
            "docx",
            format="html",
            outputfile=str(output),
            extra_args=args,
            sandbox=True,
        )
        data = output.read_bytes()
    return normalise_docx(
        data, title=title, lang=lang, when=source_datetime(), finish=partial(finish_part, rtl=rtl)
    )


def prepare_html(html: str) -> str:
    """Unwrap `<main>` (pandoc reads only its content) and mark the `<nav>` for the filter.

    Plan text reaches the HTML escaped, so these tags can only come from the templates.
    """
    html = _MAIN_TAG.sub(r"<\1div", html)
    html = _NAV_OPEN.sub(f'<div class="{TOC_CLASS}">', html)
    return _NAV_CLOSE.sub("</div>", html)


def normalise_docx(
    data: bytes,
    *,
    title: str,
    lang: str,
    when: dt.datetime | None,
    finish: Callable[[str, bytes], bytes] | None = None,
) -> bytes:
    """Rewrite a DOCX archive so that its bytes depend on its content alone; `finish` rewrites
    an entry's payload, given its name."""
    stamp = max(when.timetuple()[:6], ZIP_EPOCH) if when else ZIP_EPOCH
    core = core_properties(title=title, lang=lang, when=when)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as sink:
        for name in sorted(source.namelist()):
            payload = core if name == "docProps/core.xml" else source.read(name)
            if finish is not None:
                payload = finish(name, payload)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            sink.writestr(info, payload, compresslevel=9)
    return out.getvalue()


_TABLE_PROPERTIES = re.compile(rb"<w:tblPr>(?:<w:tblStyle\b[^>]*/>)?")
_RUN_LANGUAGE = re.compile(rb'<w:lang w:val="([A-Za-z]+)(-[A-Za-z0-9-]+)?" ?/>')
_CELL = re.compile(rb"<w:tc>.*?</w:tc>", re.DOTALL)
_LIST_PARAGRAPH = re.compile(
    rb'(<w:numPr><w:ilvl w:val="(\d)" />.*?</w:numPr>(?:<w:bidi />)?)</w:pPr>'
)
_TABLE_STYLE = re.compile(
    rb'(<w:style [^>]*w:styleId="Table"[^>]*>(?:(?!</w:style>|<w:rPr>).)*?)<w:tblPr>', re.DOTALL
)
CELL_LIST_INDENT = 284
"""Twips (5 mm) a list level indents in a table cell, where pandoc's 720 would take a narrow
column's room; the Lua filter counts with it."""
TABLE_TEXT_SIZE = 19
"""Half-points: tables are set at 9.5 pt, as print.css sets them in the PDF."""


def finish_part(name: str, payload: bytes, *, rtl: bool) -> bytes:
    """What pandoc leaves out: in the body, see `finish_body`; in the styles, the tables' text
    size (a table style's run properties, which Word and LibreOffice apply under the
    paragraph styles that do not set a size)."""
    if name == "word/document.xml":
        return finish_body(payload, rtl=rtl)
    if name == "word/styles.xml":
        size = f'<w:rPr><w:sz w:val="{TABLE_TEXT_SIZE}" /><w:szCs w:val="{TABLE_TEXT_SIZE}" />'
        return _TABLE_STYLE.sub(
            lambda found: found.group(1) + size.encode() + b"</w:rPr><w:tblPr>", payload, count=1
        )
    return payload


def finish_body(body: bytes, *, rtl: bool) -> bytes:
    """A right-to-left document's tables run right to left (`w:bidiVisual`, after the table's
    style as the schema orders it); a list in a table cell indents by `CELL_LIST_INDENT`; a run
    in a right-to-left language names it as Word reads a complex script's language (`w:bidi`)."""
    if rtl:
        body = _TABLE_PROPERTIES.sub(lambda found: found.group(0) + b"<w:bidiVisual />", body)
    body = _CELL.sub(lambda cell: _LIST_PARAGRAPH.sub(_cell_list_indent, cell.group(0)), body)
    return _RUN_LANGUAGE.sub(_run_language, body)


def _cell_list_indent(found: re.Match[bytes]) -> bytes:
    start = CELL_LIST_INDENT * (int(found.group(2)) + 1)
    indent = f'<w:ind w:left="{start}" w:hanging="{CELL_LIST_INDENT}" />'
    return found.group(1) + indent.encode() + b"</w:pPr>"


def _run_language(found: re.Match[bytes]) -> bytes:
    code = found.group(1).decode("ascii").lower()
    if code not in RTL_LANGUAGES:
        return found.group(0)
    tag = found.group(1) + (found.group(2) or b"")
    return b'<w:lang w:val="' + tag + b'" w:bidi="' + tag + b'" />'


def core_properties(*, title: str, lang: str, when: dt.datetime | None) -> bytes:
    """docProps/core.xml: title and language, and the dates only when they are reproducible."""
    dates = ""
    if when:
        iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        dates = "".join(
            f'<dcterms:{tag} xsi:type="dcterms:W3CDTF">{iso}</dcterms:{tag}>'
            for tag in ("created", "modified")
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:language>{escape(lang)}</dc:language>"
        f"{dates}</cp:coreProperties>"
    ).encode()
