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
- Same input, same bytes: the archive's entries are sorted with one fixed timestamp, and
  `docProps/core.xml` carries the title, the language and, only when SOURCE_DATE_EPOCH is set,
  its dates.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import pypandoc

from actionplan.clock import source_datetime
from actionplan.errors import RenderError
from actionplan.fsutil import write_atomic

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The timestamp of every archive entry when SOURCE_DATE_EPOCH is unset (ZIP's earliest)."""

_MAIN_TAG = re.compile(r"<(/?)main\b", re.IGNORECASE)
_NAV_OPEN = re.compile(r"<nav\b[^>]*>", re.IGNORECASE)
_NAV_CLOSE = re.compile(r"</nav\s*>", re.IGNORECASE)
_RTL_DOCUMENT = re.compile(r"<html\b[^>]*\bdir\s*=\s*[\"']?rtl\b", re.IGNORECASE)
TOC_CLASS = "actionplan-toc"

LUA_FILTER = r"""
-- Keep only the language and direction of the HTML's metadata: no title block, no author.
function Meta(meta)
  return pandoc.Meta({ lang = meta.lang, dir = meta.dir })
end

local function xml(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function collect(blocks, level, out)
  for _, block in ipairs(blocks) do
    if block.t == "BulletList" or block.t == "OrderedList" then
      for _, item in ipairs(block.content) do
        for _, part in ipairs(item) do
          if part.t == "Plain" or part.t == "Para" then
            local target = nil
            part:walk({ Link = function(link) target = target or link.target end })
            table.insert(out, { level = level, text = pandoc.utils.stringify(part),
                                anchor = target and target:match("^#(.+)$") })
          end
        end
        collect(item, level + 1, out)
      end
    elseif block.t == "Div" then
      collect(block.content, level, out)
    end
  end
end

local function entry_runs(entry)
  local run = '<w:r><w:t xml:space="preserve">' .. xml(entry.text) .. '</w:t></w:r>'
  if entry.anchor then
    return '<w:hyperlink w:anchor="' .. xml(entry.anchor) .. '" w:history="1">' .. run
      .. '</w:hyperlink>'
  end
  return run
end

-- Nav level n lists headings of level n+1 (h1 is the title), styled "toc n+1" as Word does.
local function toc_field(entries)
  local depth = 1
  for _, entry in ipairs(entries) do depth = math.max(depth, entry.level) end
  local begin = '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
    .. '<w:r><w:instrText xml:space="preserve"> TOC \\o "2-' .. (depth + 1)
    .. '" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
  local finish = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
  if #entries == 0 then return '<w:p>' .. begin .. finish .. '</w:p>' end
  local paragraphs = {}
  for i, entry in ipairs(entries) do
    table.insert(paragraphs, '<w:p><w:pPr><w:pStyle w:val="TOC' .. (entry.level + 1)
      .. '"/></w:pPr>' .. (i == 1 and begin or '') .. entry_runs(entry)
      .. (i == #entries and finish or '') .. '</w:p>')
  end
  return table.concat(paragraphs)
end

function Div(div)
  if not div.classes:includes("@TOC_CLASS@") then return nil end
  local blocks = {}
  for _, block in ipairs(div.content) do
    if block.t == "Header" then
      table.insert(blocks, pandoc.Div({ pandoc.Para(block.content) },
                                      { ["custom-style"] = "TOC Heading" }))
      break
    end
  end
  local entries = {}
  collect(div.content, 1, entries)
  table.insert(blocks, pandoc.RawBlock("openxml", toc_field(entries)))
  return blocks
end
""".replace("@TOC_CLASS@", TOC_CLASS)


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
    with tempfile.TemporaryDirectory(prefix="actionplan-docx-") as folder:
        lua, output = Path(folder) / "actionplan.lua", Path(folder) / "out.docx"
        lua.write_text(LUA_FILTER, encoding="utf-8")
        args = [
            f"--reference-doc={reference_doc.resolve()}",
            f"--lua-filter={lua}",
            f"--metadata=lang:{lang}",
        ]
        if _RTL_DOCUMENT.search(html):
            args.append("--metadata=dir:rtl")
        pypandoc.convert_text(
            prepare_html(html),
            "docx",
            format="html",
            outputfile=str(output),
            extra_args=args,
            sandbox=True,
        )
        return normalise_docx(output.read_bytes(), title=title, lang=lang, when=source_datetime())


def prepare_html(html: str) -> str:
    """Unwrap `<main>` (pandoc reads only its content) and mark the `<nav>` for the filter.

    Plan text reaches the HTML escaped, so these tags can only come from the templates.
    """
    html = _MAIN_TAG.sub(r"<\1div", html)
    html = _NAV_OPEN.sub(f'<div class="{TOC_CLASS}">', html)
    return _NAV_CLOSE.sub("</div>", html)


def normalise_docx(data: bytes, *, title: str, lang: str, when: dt.datetime | None) -> bytes:
    """Rewrite a DOCX archive so that its bytes depend on its content alone."""
    stamp = max(when.timetuple()[:6], ZIP_EPOCH) if when else ZIP_EPOCH
    core = core_properties(title=title, lang=lang, when=when)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as sink:
        for name in sorted(source.namelist()):
            payload = core if name == "docProps/core.xml" else source.read(name)
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            sink.writestr(info, payload, compresslevel=9)
    return out.getvalue()


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
