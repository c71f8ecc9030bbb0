"""PDF/UA finishing: what WeasyPrint's tagged PDF lacks, added to its structure tree.

WeasyPrint (70) writes a tagged PDF/UA-1 file but drops two facts the HTML states:

- a table header cell's `scope`: its `/TH` elements carry `/A << /O /Table >>` with no `/Scope`,
  although PDF/UA-1 (ISO 14289-1, 7.5) wants every header cell to say what it heads;
- the language of an element (`lang`): only the catalogue has `/Lang`, so a screen reader reads
  an English label inside a Greek plan with a Greek voice.

The HTML facts exist only while WeasyPrint builds the structure tree, from the boxes it laid
out, so `record_html_facts` wraps the function that turns a box into structure elements and
copies the box's language (`lang`, inherited as in CSS) and a header cell's `scope` onto each
element it yields. `finish` then opens the written PDF with pikepdf, keeps `/Lang` only where
an element's language differs from the one it inherits (the document's `/Lang` at the top),
gives every `/TH` still without a scope one from its place in the table, and saves the file
deterministically: same input, same bytes, the file identifier a hash of the content.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pikepdf
import pydyf  # type: ignore[import-untyped]
import weasyprint.pdf.tags as weasy_tags

COLUMN = pikepdf.Name("/Column")
ROW = pikepdf.Name("/Row")
_STRUCT_ELEM = pikepdf.Name("/StructElem")
_TABLE, _THEAD, _TR, _TH = (pikepdf.Name(n) for n in ("/Table", "/THead", "/TR", "/TH"))
_SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}
_HOOKED = "_actionplan_html_facts"


def record_html_facts() -> None:
    """Make WeasyPrint copy each box's language and a header cell's scope onto the structure
    elements it builds. Idempotent; done once per process, so it never races with a build."""
    original = weasy_tags._build_box_tree
    if getattr(original, _HOOKED, False):
        return

    def build_box_tree(box: Any, *args: Any) -> Iterator[Any]:
        for element in original(box, *args):
            _copy_facts(box, element)
            yield element

    setattr(build_box_tree, _HOOKED, True)
    weasy_tags._build_box_tree = build_box_tree


def _copy_facts(box: Any, element: Any) -> None:
    # The boxes of <html>, <body> and the page pass their children's elements on: the first box
    # to yield an element is the one it was built for.
    if "Lang" in element:
        return
    style = getattr(box, "style", None)
    lang = style["lang"] if style is not None else None
    if lang:
        element["Lang"] = pydyf.String(lang)
    html = getattr(box, "element", None)
    if element.get("S") == "/TH" and html is not None:
        scope = _SCOPES.get((html.get("scope") or "").strip().lower())
        attributes = element.get("A")
        if scope and attributes is not None:
            attributes["Scope"] = scope


def finish(data: bytes, *, lang: str) -> bytes:
    """`data` (a tagged PDF) with minimal `/Lang` on its structure elements and a `/Scope` on
    every table header cell, saved reproducibly."""
    with pikepdf.open(BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if isinstance(root, pikepdf.Dictionary):
            _finish_tree(root, str(pdf.Root.get("/Lang", lang)))
        out = BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            linearize=False,
        )
    return out.getvalue()


def _finish_tree(root: pikepdf.Dictionary, lang: str) -> None:
    """Finish every structure element under `root`, parents first (an element's language is
    what it inherits unless it says otherwise). Iterative: trees can be deeper than Python's
    recursion."""
    stack = [(kid, lang) for kid in reversed(_kids(root))]
    seen: set[tuple[int, int]] = set()
    while stack:
        element, inherited = stack.pop()
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        own = _finish_element(element, inherited)
        stack.extend((kid, own) for kid in reversed(_kids(element)))


def _kids(element: pikepdf.Object) -> list[pikepdf.Dictionary]:
    kids = element.get("/K")
    items = [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and _is_element(kid)]


def _is_element(obj: pikepdf.Dictionary) -> bool:
    # Marked-content and object references (/MCR, /OBJR) are kids too, but not elements.
    return "/S" in obj and obj.get("/Type", _STRUCT_ELEM) == _STRUCT_ELEM


def _finish_element(element: pikepdf.Dictionary, inherited: str) -> str:
    own = str(element.get("/Lang", inherited))
    if own.lower() == inherited.lower():
        if "/Lang" in element:
            del element["/Lang"]
        own = inherited
    if element.get("/S") == _TH:
        _give_scope(element)
    return own


def _give_scope(cell: pikepdf.Dictionary) -> None:
    table = _table_attributes(cell)
    if "/Scope" not in table:
        table.Scope = scope_from_position(cell)


def _table_attributes(cell: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """The cell's attribute object of the Table owner, made when it has none; any other
    attribute objects (/A can be one or an array of them) are kept."""
    attributes = cell.get("/A")
    others = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    found = [a for a in others if isinstance(a, pikepdf.Dictionary) and a.get("/O") == _TABLE]
    if found:
        return found[0]
    table = pikepdf.Dictionary(O=_TABLE)
    kept = [a for a in others if a is not None]
    cell.A = pikepdf.Array([table, *kept]) if kept else table
    return table


def scope_from_position(cell: pikepdf.Dictionary) -> pikepdf.Name:
    """What a header cell without an HTML `scope` heads: a cell of a THead, or of the first row
    of a table, heads its column; the first cell of any other row heads its row."""
    row = cell.get("/P")
    if not isinstance(row, pikepdf.Dictionary):
        return COLUMN
    group = row.get("/P")
    if not isinstance(group, pikepdf.Dictionary) or group.get("/S") == _THEAD:
        return COLUMN
    cells = _kids(row)
    if not cells or cells[0].objgen != cell.objgen:
        return COLUMN
    return COLUMN if _is_first_row(row, group) else ROW


def _is_first_row(row: pikepdf.Dictionary, group: pikepdf.Dictionary) -> bool:
    table = group if group.get("/S") == _TABLE else group.get("/P")
    if not isinstance(table, pikepdf.Dictionary):
        return True
    for part in _kids(table):
        rows = [r for r in ([part] if part.get("/S") == _TR else _kids(part)) if r.get("/S") == _TR]
        if rows:
            return bool(rows[0].objgen == row.objgen)
    return True
