"""PDF output: the print HTML laid out by WeasyPrint, tagged (PDF/UA-1), reproducible, offline.

The HTML comes from `actionplan.render.html.render_action_plan(..., for_print=True)`, which
inlines `templates/print.css`; this module adds no stylesheet of its own, so the print rules
are applied exactly once.

- Nothing is ever fetched from the network: `OfflineFetcher` serves `data:` URIs and `file:`
  URLs inside `<base_dir>/templates` only; anything else raises, WeasyPrint logs a warning and
  leaves the resource out, so a plan's text cannot make the renderer fetch anything.
- Same input, same bytes: the dates (document and attachments) come from SOURCE_DATE_EPOCH
  when it is set and are left out otherwise; the file identifier is a hash of the content.
- The document title and language are set from the arguments, not guessed from the HTML.
- What PDF/UA needs and WeasyPrint does not write (a header cell's scope, the language of an
  element in another language than the document's) is added by `actionplan.render.pdfua`.
- A word too long for a line wraps (style.css) and, in a table, never widens its column past
  the page: `breakable` gives long runs of letters `<wbr>` break opportunities (WeasyPrint's
  `overflow-wrap: anywhere` would do it, but takes minutes over a table of ordinary text).
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pydyf  # type: ignore[import-untyped]
from weasyprint import HTML, Attachment, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from actionplan.clock import source_datetime
from actionplan.errors import RenderError
from actionplan.fsutil import write_atomic
from actionplan.render import pdfua

PDF_VARIANT = "pdf/ua-1"
"""PDF/UA-1 (ISO 14289-1): tagged structure, /Lang, DisplayDocTitle, dc:title in XMP."""

TEMPLATES_DIR = "templates"


class OfflineFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves `data:` and local template files, nothing else."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            return self._fetch_file(url)
        raise ValueError(f"refusing to fetch {url!r}: the PDF renderer never uses the network")

    def _fetch_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise ValueError(f"refusing to fetch {url!r}: not a local file")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ValueError(f"refusing to fetch {url!r}: outside {self.root}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": mime})


def write_pdf(
    html: str,
    target: Path,
    *,
    title: str,
    lang: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    base_dir: Path,
) -> None:
    """Lay out `html` (with its print CSS inlined) and write it to `target` atomically.

    `attachments` are (file name, bytes, description), embedded as PDF file attachments.
    `base_dir` is the repository root: relative URLs resolve against it and only files under
    `base_dir/templates` may be read. Raises RenderError when anything fails.
    """
    try:
        data = render_pdf(html, title=title, lang=lang, attachments=attachments, base_dir=base_dir)
    except Exception as error:
        raise RenderError(f"cannot render the PDF {target}: {error}") from error
    try:
        write_atomic(target, data)
    except OSError as error:
        raise RenderError(f"cannot write {target}: {error}") from error


def render_pdf(
    html: str,
    *,
    title: str,
    lang: str,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    base_dir: Path,
) -> bytes:
    """The PDF bytes of `html`; see `write_pdf`."""
    fetcher = OfflineFetcher(base_dir / TEMPLATES_DIR)
    when = source_datetime()
    base_url = base_dir.resolve().as_uri() + "/"
    document = HTML(string=breakable(html), base_url=base_url, url_fetcher=fetcher).render()
    _set_metadata(document, title=title, lang=lang, when=when)
    files = [_attachment(item, fetcher, when) for item in attachments]
    pdfua.record_html_facts()
    pdf = document.write_pdf(
        pdf_variant=PDF_VARIANT,
        pdf_identifier=True,
        attachments=files,
        finisher=None if when else _drop_attachment_dates,
    )
    assert isinstance(pdf, bytes)
    return pdfua.finish(pdf, lang=lang)


# Text between tags, apart from what holds no flowing text (style sheets, titles, drawings).
_PIECES = re.compile(
    r"(<(style|script|title|svg)\b.*?</\2\s*>|<[^>]*>)|([^<]+)", re.DOTALL | re.IGNORECASE
)
_LONG_WORD = re.compile(r"(?:&#?\w+;|[^\s<>&]){40,}")
_WORD_UNIT = re.compile(r"&#?\w+;|[^\s<>&]")
BREAK_EVERY = 20


def breakable(html: str) -> str:
    """`html` with a `<wbr>` every BREAK_EVERY characters of each word of 40 or more, in text
    only (never in a tag, an entity, a style sheet or a drawing); the text itself is unchanged."""

    def split(word: re.Match[str]) -> str:
        units = _WORD_UNIT.findall(word.group())
        chunks = ("".join(units[i : i + BREAK_EVERY]) for i in range(0, len(units), BREAK_EVERY))
        return "<wbr>".join(chunks)

    def piece(match: re.Match[str]) -> str:
        text = match.group(3)
        return match.group(0) if text is None else _LONG_WORD.sub(split, text)

    return _PIECES.sub(piece, html)


def _set_metadata(document: Document, *, title: str, lang: str, when: dt.datetime | None) -> None:
    metadata = document.metadata
    metadata.title = title
    metadata.lang = lang
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else None
    metadata.created = stamp
    metadata.modified = stamp


def _attachment(
    item: tuple[str, bytes, str], fetcher: OfflineFetcher, when: dt.datetime | None
) -> Attachment:
    name, payload, description = item
    stamp = when or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return Attachment(
        file_obj=BytesIO(payload),
        url_fetcher=fetcher,
        name=name,
        description=description,
        created=stamp,
        modified=stamp,
        relationship="Data",
    )


def _drop_attachment_dates(_document: Document, pdf: pydyf.PDF) -> None:
    """Without SOURCE_DATE_EPOCH the attachments carry no dates (they are optional)."""
    for obj in pdf.objects:
        extra = getattr(obj, "extra", None)
        if isinstance(obj, pydyf.Stream) and extra and extra.get("Type") == "/EmbeddedFile":
            params = extra.get("Params", {})
            params.pop("CreationDate", None)
            params.pop("ModDate", None)
