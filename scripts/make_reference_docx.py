"""Build templates/reference.docx, the styles of every DOCX the pipeline writes.

Starts from pandoc's own reference document (`pandoc --print-default-data-file reference.docx`,
so every style pandoc uses exists) and sets, with python-docx:

- fonts: Noto Sans for Latin, Greek and Cyrillic, Noto Naskh Arabic for complex scripts;
- sizes and colours of the body text, the title and Heading 1-3;
- the "Table" style pandoc gives every table: a visible grid and a bold, shaded header row;
- "toc 2" and "toc 3" for the table of contents field (the nav's first level lists h2);
- A4 pages with 20-25 mm margins and "page / pages" in the footer.

Reproducible: the same pandoc and python-docx give the same bytes (the archive is normalised
like every DOCX output). Run from the repository root:

    python scripts/make_reference_docx.py            # writes templates/reference.docx
    python scripts/make_reference_docx.py --check    # exit 1 if the committed file differs
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import docx
import pypandoc
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from actionplan.render.docx import normalise_docx

TARGET = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
LATIN_FONT = "Noto Sans"
COMPLEX_FONT = "Noto Naskh Arabic"
INK = RGBColor(0x1B, 0x1F, 0x23)
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
GRID = "9AA5B1"
HEADER_FILL = "E8EDF3"
TEXT_WIDTH_TWIPS = 9638  # A4 (210 mm) less 2 x 20 mm margins
HEADINGS = {"Title": 26, "Heading 1": 20, "Heading 2": 15, "Heading 3": 12}


def pandoc_reference() -> bytes:
    """pandoc's default reference.docx, as shipped inside the pandoc binary."""
    command = [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"]
    return subprocess.run(command, check=True, capture_output=True).stdout


def set_fonts(element: docx.oxml.xmlchemy.BaseOxmlElement) -> None:
    """Explicit fonts on an rPr's rFonts, replacing the theme fonts."""
    fonts = element.get_or_add_rFonts()
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for script in ("ascii", "hAnsi", "eastAsia"):
        fonts.set(qn(f"w:{script}"), LATIN_FONT)
    fonts.set(qn("w:cs"), COMPLEX_FONT)


def style_defaults(document: docx.document.Document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(r_pr)
    for tag in ("w:sz", "w:szCs"):
        r_pr.find(qn(tag)).set(qn("w:val"), "21")  # half-points: 10.5 pt
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    set_fonts(normal.element.get_or_add_rPr())
    normal.font.color.rgb = INK
    for name in ("Body Text", "First Paragraph"):
        body = document.styles[name].paragraph_format
        body.space_before, body.space_after = Pt(0), Pt(6)
        body.line_spacing = 1.15


def style_headings(document: docx.document.Document) -> None:
    for name, size in HEADINGS.items():
        style = document.styles[name]
        style.font.name = LATIN_FONT
        set_fonts(style.element.get_or_add_rPr())
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = ACCENT
        style.paragraph_format.space_before = Pt(size * 0.8)
        style.paragraph_format.space_after = Pt(size * 0.3)
        style.paragraph_format.keep_with_next = True
    document.styles["Hyperlink"].font.color.rgb = RGBColor(0x1F, 0x5F, 0xAD)


def style_table(document: docx.document.Document) -> None:
    """The "Table" style: a 0.5 pt grid and a bold, shaded header row."""
    style = document.styles["Table"].element
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{GRID}"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    style.find(qn("w:tblPr")).append(
        parse_xml(f"<w:tblBorders {nsdecls('w')}>{borders}</w:tblBorders>")
    )
    for old in style.findall(qn("w:tblStylePr")):
        style.remove(old)
    style.append(
        parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'
            '<w:vAlign w:val="bottom"/></w:tcPr></w:tblStylePr>'
        )
    )


def style_toc(document: docx.document.Document) -> None:
    """ "toc 2" and "toc 3": the entries of the TOC field, with dot leaders to the page."""
    for level, indent in ((2, 0), (3, 340)):
        document.styles.element.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="TOC{level}">'
                f'<w:name w:val="toc {level}"/><w:basedOn w:val="Normal"/>'
                '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
                f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH_TWIPS}"/>'
                f'</w:tabs><w:spacing w:before="0" w:after="60"/><w:ind w:left="{indent}"/>'
                "</w:pPr></w:style>"
            )
        )


def page_setup(document: docx.document.Document) -> None:
    """A4, margins as the PDF's, and "page / pages" centred in the footer."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin = section.right_margin = Mm(20)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for field, tail in (("PAGE", " / "), ("NUMPAGES", "")):
        cached = "<w:r><w:t>1</w:t></w:r>"  # shown until the viewer computes the field
        footer._p.append(
            parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="{field}">{cached}</w:fldSimple>')
        )
        if tail:
            footer.add_run(tail)


def build() -> bytes:
    document = docx.Document(BytesIO(pandoc_reference()))
    style_defaults(document)
    style_headings(document)
    style_table(document)
    style_toc(document)
    page_setup(document)
    buffer = BytesIO()
    document.save(buffer)
    return normalise_docx(buffer.getvalue(), title="actionplan reference", lang="en", when=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    data = build()
    if args.check:
        same = args.output.is_file() and args.output.read_bytes() == data
        print(f"{args.output}: {'up to date' if same else 'differs: rebuild it'}")
        return 0 if same else 1
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
