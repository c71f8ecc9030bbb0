"""The timeline as a PNG, for the DOCX: the same shapes as the SVG, painted by Pillow.

pandoc cannot take inline SVG into a DOCX reliably (it needs rsvg-convert, which converts
with whatever fonts it finds), so the chart reaches Word as a picture. Pillow (already there
for WeasyPrint) paints `actionplan.render.timeline.Chart`'s shapes at twice their size with
a font of the system (DejaVu Sans or Noto Sans, from scripts/setup.sh's packages; Pillow's own
font otherwise) and its basic text layout, so the same chart gives the same bytes on every
run: no timestamp, no text chunk, only the resolution, which sets the picture's size in Word.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from actionplan.render.timeline import Chart, Line, Rect, Shape, Text, needs_layout

SCALE = 2
"""Pixels per unit of the chart: twice the SVG's size, sharp when printed."""
WIDTH_CM = 16.5
"""Width of the picture in the document (the text width of an A4 page with 2 cm margins)."""
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/noto"),
    Path("/usr/share/fonts/noto"),
)
FONT_FILES = {
    False: ("DejaVuSans.ttf", "NotoSans-Regular.ttf"),
    True: ("DejaVuSans-Bold.ttf", "NotoSans-Bold.ttf"),
}
ANCHORS = {"start": "ls", "middle": "ms", "end": "rs"}

FontType = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def font(size: int, bold: bool, complex_text: bool = False) -> FontType:
    """A system font of `size` pixels (bold or not); Pillow's own when none is found.

    With `complex_text` (Arabic, Hebrew, combining marks: `timeline.needs_layout`), the font
    lays text out with libraqm when Pillow has it (shaping and bidirectional order); the basic
    layout draws such text letter by letter, unjoined and left to right.
    """
    engine = ImageFont.Layout.BASIC
    if complex_text and features.check_feature("raqm"):
        engine = ImageFont.Layout.RAQM
    for name in FONT_FILES[bold]:
        for folder in FONT_DIRS:
            path = folder / name
            if path.is_file():
                return ImageFont.truetype(str(path), size, layout_engine=engine)
    return ImageFont.load_default(size)


def _paint(draw: ImageDraw.ImageDraw, shape: Shape) -> None:
    s = SCALE
    if isinstance(shape, Rect):
        box = (shape.x * s, shape.y * s, (shape.x + shape.w) * s - 1, (shape.y + shape.h) * s - 1)
        width = round(shape.stroke_width * s) if shape.stroke else 0
        draw.rectangle(box, fill=shape.fill, outline=shape.stroke, width=width)
    elif isinstance(shape, Line):
        _line(draw, shape)
    elif isinstance(shape, Text):
        face = font(round(shape.size * s), shape.bold, needs_layout(shape.text))
        raqm = getattr(face, "layout_engine", None) == ImageFont.Layout.RAQM
        draw.text(
            (shape.x * s, shape.y * s),
            shape.text,
            fill=shape.fill,
            font=face,
            anchor=ANCHORS[shape.anchor],
            direction="ltr" if raqm else None,
        )


def _line(draw: ImageDraw.ImageDraw, line: Line) -> None:
    s, width = SCALE, max(round(line.width * SCALE), 1)
    x1, y1, x2, y2 = line.x1 * s, line.y1 * s, line.x2 * s, line.y2 * s
    if not line.dash:
        draw.line((x1, y1, x2, y2), fill=line.stroke, width=width)
        return
    length = max(abs(x2 - x1), abs(y2 - y1))
    on, off, at = 4 * s, 3 * s, 0.0
    while at < length:
        stop = min(at + on, length)
        a, b = at / length, stop / length
        draw.line(
            (x1 + (x2 - x1) * a, y1 + (y2 - y1) * a, x1 + (x2 - x1) * b, y1 + (y2 - y1) * b),
            fill=line.stroke,
            width=width,
        )
        at = stop + off


def png(chart: Chart) -> bytes:
    """The chart as PNG bytes, deterministic for the same chart and fonts."""
    size = (round(chart.width * SCALE), round(chart.height * SCALE))
    image = Image.new("RGB", size, "#ffffff")
    draw = ImageDraw.Draw(image)
    for shape in chart.shapes:
        _paint(draw, shape)
    dpi = round(size[0] / (WIDTH_CM / 2.54))
    out = BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi), optimize=False, compress_level=9)
    return out.getvalue()
