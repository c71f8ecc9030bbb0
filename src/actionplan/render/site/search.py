"""The site's search index, built by Pagefind at build time into build/site/pagefind/.

One index for the whole site, whatever the pages' languages: Pagefind would otherwise write an
index per `lang` and search only the one of the page the reader is on, so the English home
could not find a word of the French plan. The index is forced to English (the home page's
language: its stemming, which leaves other scripts alone); the search box's own words come
from Pagefind UI's catalogue for the page's `lang`. Only the members' and the plans' pages are
indexed, each from its `<main data-pagefind-body>` (not the navigation every page repeats):
the home page and its filters list the same members again. A commitment's heading carries an
id, so a hit in a commitment or in one of its milestones links to it on the plan page.

The bundle is written into a new folder beside the old one, then swapped in, so a failed run
leaves the former index whole and no file of an old index lingers. Pagefind's bundle names its
index files by their content hash: the same pages give the same bytes.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

from actionplan.errors import ActionPlanError
from actionplan.fsutil import write_atomic

BUNDLE = "pagefind"
"""The bundle's folder under build/site/."""
SCRIPT = "site-search.js"
"""The script starting Pagefind UI in the search box, copied from templates/site/."""
LANGUAGE = "en"


class SearchIndexError(ActionPlanError):
    """Pagefind could not index the site's pages."""


def write_index(templates: Path, site: Path, pages: list[Path]) -> None:
    """Index `pages` (files under `site`) into `site`/pagefind/, and copy the script."""
    site.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-", dir=site))
    try:
        asyncio.run(_index(site, pages, fresh))
        _swap(fresh, site / BUNDLE)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    write_atomic(site / SCRIPT, (templates / "site" / SCRIPT).read_bytes())


async def _index(site: Path, pages: list[Path], out: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(force_language=LANGUAGE, keep_index_url=True, output_path=str(out))
    try:
        async with PagefindIndex(config) as index:
            for page in pages:
                url = "/" + page.relative_to(site).as_posix()
                await index.add_html_file(content=page.read_text(encoding="utf-8"), url=url)
    except Exception as error:  # Pagefind's service reports its errors as bare Exceptions
        raise SearchIndexError(f"{BUNDLE}: the search index was not built: {error}") from error


def _swap(fresh: Path, bundle: Path) -> None:
    """Put `fresh` where `bundle` is, the old bundle removed after."""
    old = bundle.with_name(f".{BUNDLE}-old")
    shutil.rmtree(old, ignore_errors=True)
    if bundle.exists():
        bundle.rename(old)
    fresh.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)
