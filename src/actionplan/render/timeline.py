"""The timeline: a Gantt chart of the commitments and milestones over the plan period.

Drawn by this module, not by a charting library: the plan becomes a list of shapes
(`Rect`, `Line`, `Text`) in a fixed coordinate space, which `svg()` writes as inline SVG for the
HTML and the PDF and `actionplan.render.raster.png()` paints as a PNG for the DOCX. Nothing is
fetched, nothing runs in the reader, and the same plan on the same build date always gives the
same shapes, so the same bytes.

Each milestone's bar is coloured by its status on the build date (a legend names the colours);
a late milestone has a red outline; a vertical line marks the build date (at the edge, with a
note, when the build date lies outside the plan period). The chart carries `role="img"`, a
`<title>` and a `<desc>`; `rows()` gives the text alternative, one row per bar.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from babel.dates import format_date

from actionplan.merge import Plan, localized
from actionplan.model.progress import STATUSES
from actionplan.render.labels import Labels, babel_locale
from actionplan.render.markdown import to_text
from actionplan.status import flags_of

WIDTH = 760
LABEL_WIDTH = 250
RIGHT = 14
AXIS_TOP = 30
ROW = 21
FONT = 11
FONT_FAMILY = "Noto Sans, DejaVu Sans, Arial, sans-serif"
CHAR_WIDTH = {False: 0.58, True: 0.68}
"""Average glyph width in em (regular, bold), to shorten labels that would not fit."""

COLOURS = {
    "not-started": "#c4cbd3",
    "in-progress": "#0072b2",
    "complete": "#009e73",
    "stalled": "#e69f00",
    "abandoned": "#5f5f5f",
}
"""Status colours (Okabe-Ito, told apart with colour-blindness), also in the legend."""
COMMITMENT = "#1f3a5f"
LATE = "#b00020"
GRID = "#e3e7ec"
INK = "#1b1f23"
MUTED = "#4a5560"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None
    stroke_width: float = 0


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float = 1
    dash: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    size: float = FONT
    anchor: str = "start"
    bold: bool = False
    fill: str = INK
    lang: str | None = None


Shape = Rect | Line | Text


@dataclass(frozen=True)
class Bar:
    """One row of the chart: a commitment (level 0) or one of its milestones (level 1)."""

    label: str
    lang: str
    start: dt.date
    end: dt.date
    level: int
    status: str | None = None
    late: bool = False
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """The shapes of one timeline and what a reader who cannot see it is told instead."""

    width: float
    height: float
    title: str
    desc: str
    shapes: tuple[Shape, ...]
    bars: tuple[Bar, ...]

    @property
    def needs_layout(self) -> bool:
        """True when a text of the chart needs shaping or reordering (see `needs_layout`)."""
        return any(isinstance(s, Text) and needs_layout(s.text) for s in self.shapes)


def needs_layout(text: str) -> bool:
    """True for text that cannot be drawn letter by letter: right-to-left letters (Arabic,
    Hebrew) or combining marks (Indic scripts, Thai, decomposed accents). WeasyPrint draws SVG
    text one letter at a time, unshaped and left to right, so such a chart goes to the PDF as
    a PNG (`actionplan.render.raster`), laid out by libraqm."""
    return any(
        unicodedata.bidirectional(c) in ("R", "AL") or unicodedata.category(c).startswith("M")
        for c in text
    )


def bars(plan: Plan, lang: str, labels: Labels) -> list[Bar]:
    """The chart's rows in the plan's order: each commitment, then its milestones."""
    out: list[Bar] = []
    for number, c in enumerate(plan.commitments, start=1):
        title, code = localized(c.title, lang, plan.primary_language)
        heading = labels.text("commitment.heading", number=number)
        out.append(Bar(f"{heading} {to_text(title)}", code, c.period.start, c.period.end, 0))
        status = plan.status.get(c.id)
        by_id = {m.milestone: m for m in status.milestones} if status else {}
        for index, m in enumerate(c.milestones, start=1):
            text, code = localized(m.title, lang, plan.primary_language)
            ms = by_id.get(m.id)
            flags = tuple(flags_of(ms)) if ms else ()
            out.append(
                Bar(
                    f"{number}.{index} {to_text(text)}",
                    code,
                    m.start,
                    m.end,
                    1,
                    ms.status if ms else "not-started",
                    bool(ms and ms.late),
                    flags,
                )
            )
    return out


def chart(plan: Plan, lang: str, labels: Labels) -> Chart:
    """The timeline of a plan for a reader of `lang`, on the plan's build date."""
    rows = bars(plan, lang, labels)
    period = plan.vision.period
    scale = _Scale(period.start, period.end)
    top = AXIS_TOP + 10
    bottom = top + ROW * len(rows)
    shapes: list[Shape] = [*_axis(scale, lang, top, bottom)]
    for index, bar in enumerate(rows):
        shapes += _row(scale, bar, top + ROW * index, lang)
    shapes += _today(scale, plan.build_date, labels, top - 4, bottom)
    legend, height = _legend(labels, bottom + 18)
    shapes += legend
    desc = labels.text(
        "timeline.desc",
        commitments=len(plan.commitments),
        milestones=sum(len(c.milestones) for c in plan.commitments),
        start=labels.date(period.start),
        end=labels.date(period.end),
        date=labels.date(plan.build_date),
    )
    return Chart(WIDTH, height, labels.text("timeline.title"), desc, tuple(shapes), tuple(rows))


@dataclass(frozen=True)
class _Scale:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def x(self, day: dt.date) -> float:
        """The left edge of `day` (the right edge of the day before)."""
        span = WIDTH - RIGHT - LABEL_WIDTH
        return LABEL_WIDTH + span * (day - self.start).days / self.days

    def x_end(self, day: dt.date) -> float:
        return self.x(day + dt.timedelta(days=1))


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    day, out = dt.date(start.year, start.month, 1), []
    while day <= end:
        if day >= start:
            out.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def _axis(scale: _Scale, lang: str, top: float, bottom: float) -> list[Shape]:
    """Month ticks and labels (every 1, 2, 3 or 6 months, as room allows) and years."""
    months = _month_starts(scale.start, scale.end)
    per_month = (scale.x(scale.end) - scale.x(scale.start)) / max(len(months), 1)
    step = next((s for s in (1, 2, 3, 6) if per_month * s >= 34), 12)
    locale = babel_locale(lang)
    shapes: list[Shape] = []
    years = [scale.start] + [d for d in months if d.month == 1 and d != scale.start]
    texts: list[Shape] = []
    for day in months:
        x = scale.x(day)
        if day.month != 1 and day != scale.start:  # years and the start have their line
            shapes.append(Line(x, AXIS_TOP + 3, x, bottom, GRID))
        if (day.month - 1) % step == 0:
            name = str(format_date(day, "MMM", locale=locale))
            texts.append(Text(x + 2, AXIS_TOP, name, size=9, fill=MUTED))
    for day in years:
        x = scale.x(day)
        shapes.append(Line(x, 4, x, bottom, MUTED if day.month == 1 else GRID))
        texts.append(Text(x + 3, 13, str(day.year), bold=True))
    shapes.append(Line(LABEL_WIDTH, top - 4, WIDTH - RIGHT, top - 4, MUTED))
    return shapes + texts


def _fit(text: str, room: float, size: float, bold: bool) -> str:
    chars = int(room / (size * CHAR_WIDTH[bold]))
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "…"


def _row(scale: _Scale, bar: Bar, y: float, lang: str) -> list[Shape]:
    indent = 4 + 12 * bar.level
    label = _fit(bar.label, LABEL_WIDTH - indent - 8, FONT, bar.level == 0)
    code = None if bar.lang == lang else bar.lang
    text = Text(indent, y + 14, label, bold=bar.level == 0, lang=code)
    x1, x2 = scale.x(max(bar.start, scale.start)), scale.x_end(min(bar.end, scale.end))
    if bar.level == 0:
        return [text, Rect(x1, y + 7, x2 - x1, 8, COMMITMENT)]
    colour = COLOURS[bar.status or "not-started"]
    if bar.late:
        return [text, Rect(x1, y + 4, x2 - x1, 13, colour, LATE, 2)]
    return [text, Rect(x1, y + 4, x2 - x1, 13, colour)]


def _today(scale: _Scale, today: dt.date, labels: Labels, top: float, bottom: float) -> list[Shape]:
    """The build-date marker; at the nearer edge when the build date is outside the period."""
    label = labels.text("timeline.today", date=labels.date(today))
    if today < scale.start or today > scale.end:
        x = scale.x(scale.start) if today < scale.start else scale.x_end(scale.end)
        label = labels.text("timeline.today_outside", date=labels.date(today))
    else:
        x = (scale.x(today) + scale.x_end(today)) / 2
    anchor = "end" if x > WIDTH - 160 else "start" if x < LABEL_WIDTH + 160 else "middle"
    nudge = {"end": -3, "start": 3, "middle": 0}[anchor]
    return [
        Line(x, top, x, bottom + 4, LATE, 1.5, dash=True),
        Text(x + nudge, bottom + 14, label, size=9, anchor=anchor, bold=True, fill=LATE),
    ]


def _legend(labels: Labels, y: float) -> tuple[list[Shape], float]:
    """Swatches with their labels, wrapped to the chart's width; returns the chart's height."""
    items: list[tuple[Rect, str]] = [(Rect(0, 0, 14, 8, COMMITMENT), "timeline.commitment")]
    items += [(Rect(0, 0, 14, 11, COLOURS[s]), f"enum.status.{s}") for s in STATUSES]
    items.append((Rect(0, 0, 14, 11, "#ffffff", LATE, 2), "timeline.late"))
    shapes: list[Shape] = []
    x, line = 4.0, y + 8
    for swatch, key in items:
        text = labels.text(key)
        width = 20 + len(text) * FONT * CHAR_WIDTH[False] + 16
        if x + width > WIDTH - RIGHT and x > 4:
            x, line = 4.0, line + 18
        top = line - 4 - swatch.h / 2
        shapes.append(
            Rect(x, top, swatch.w, swatch.h, swatch.fill, swatch.stroke, swatch.stroke_width)
        )
        shapes.append(Text(x + 20, line, text))
        x += width
    return shapes, line + 10


def _num(value: float) -> str:
    text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _svg_shape(shape: Shape) -> str:
    if isinstance(shape, Rect):
        stroke = (
            f' stroke="{shape.stroke}" stroke-width="{_num(shape.stroke_width)}"'
            if shape.stroke
            else ""
        )
        return (
            f'<rect x="{_num(shape.x)}" y="{_num(shape.y)}" width="{_num(shape.w)}" '
            f'height="{_num(shape.h)}" fill="{shape.fill}"{stroke}/>'
        )
    if isinstance(shape, Line):
        dash = ' stroke-dasharray="4 3"' if shape.dash else ""
        return (
            f'<line x1="{_num(shape.x1)}" y1="{_num(shape.y1)}" x2="{_num(shape.x2)}" '
            f'y2="{_num(shape.y2)}" stroke="{shape.stroke}" '
            f'stroke-width="{_num(shape.width)}"{dash}/>'
        )
    weight = ' font-weight="bold"' if shape.bold else ""
    lang = f" lang={quoteattr(shape.lang)}" if shape.lang else ""
    return (
        f'<text x="{_num(shape.x)}" y="{_num(shape.y)}" font-size="{_num(shape.size)}" '
        f'text-anchor="{shape.anchor}" fill="{shape.fill}"{weight}{lang}>'
        f"{escape(shape.text)}</text>"
    )


def svg(drawing: Chart, id_prefix: str = "timeline") -> str:
    """The chart as inline SVG: `role="img"` named by its `<title>` and `<desc>`.

    The shapes are placed left to right, so the SVG says `direction="ltr"`: in a right-to-left
    document it would otherwise inherit `rtl`, and every `text-anchor` would flip.
    """
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" role="img" '
        f'viewBox="0 0 {_num(drawing.width)} {_num(drawing.height)}" '
        f'width="{_num(drawing.width)}" height="{_num(drawing.height)}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family="{FONT_FAMILY}" direction="ltr">'
    )
    body = [
        head,
        f'<title id="{id_prefix}-title">{escape(drawing.title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(drawing.desc)}</desc>',
        f'<rect x="0" y="0" width="{_num(drawing.width)}" height="{_num(drawing.height)}" '
        'fill="#ffffff"/>',
        *(_svg_shape(shape) for shape in drawing.shapes),
        "</svg>",
    ]
    return "\n".join(body)
