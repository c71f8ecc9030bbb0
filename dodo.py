"""doit tasks: validate every plan under plans/ and build it into build/<member>/<cycle>/.

The tasks come from the table of document families (`actionplan.pipeline.families`); how a
task is made (inputs as read, no target outside build/, failures as messages, one run at a time
on the state file) is `actionplan.pipeline.tasks`'s and `actionplan.pipeline.state`'s business.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from actionplan.pipeline import state
from actionplan.pipeline.families import FAMILIES
from actionplan.pipeline.tasks import Build

BUILD = Build.at(Path(__file__).resolve().parent)
DOIT_CONFIG = {
    "default_tasks": ["validate", *FAMILIES],
    "verbosity": 1,
    "backend": state.BACKEND,
    "dep_file": str(BUILD.state_file),
    "codec_cls": state.state_codec(BUILD.state_file),  # doit's hook before it opens the file
}
Tasks = Iterator[dict[str, Any]]


def task_validate() -> Tasks:
    """Validate each plan's files against the schemas and the rules across files."""
    yield from BUILD.validate()


def task_json() -> Tasks:
    """Write plan.json, the merged plan in every language."""
    yield from BUILD.family("json")


def task_html() -> Tasks:
    """Render the action plan as HTML in each of the member's languages."""
    yield from BUILD.family("html")


def task_pdf() -> Tasks:
    """Render the action plan as PDF/UA in each language, plan.json attached."""
    yield from BUILD.family("pdf")


def task_docx() -> Tasks:
    """Render the action plan as DOCX in each language, styled by templates/reference.docx."""
    yield from BUILD.family("docx")


def task_efiling() -> Tasks:
    """Write the e-filing payloads (JSON and HTML per form) and their manifest."""
    yield from BUILD.family("efiling")


def task_progress() -> Tasks:
    """Render each plan's progress report (HTML, PDF, DOCX per language) once it has progress."""
    yield from BUILD.family("progress")


def task_assessments() -> Tasks:
    """Render each written assessment (HTML, PDF, DOCX per language) under assessments/."""
    yield from BUILD.family("assessments")


def task_cocreation() -> Tasks:
    """Render each plan's co-creation report (HTML, PDF, DOCX per language) once it has a record."""
    yield from BUILD.family("cocreation")


def task_site() -> Tasks:
    """Build the public site in build/site/: its pages, and all they link to (feeds, data, the
    search index)."""
    yield {"name": None, "doc": task_site.__doc__, "task_dep": ["feeds", "opendata", "search"]}
    yield from BUILD.family("site")


def task_search() -> Tasks:
    """Index the site's member and plan pages for its search box, in build/site/pagefind/."""
    yield from BUILD.family("search")


def task_feeds() -> Tasks:
    """Write the site's Atom feeds: one per plan and the network's, in build/site/feeds/."""
    yield from BUILD.family("feeds")


def task_opendata() -> Tasks:
    """Write the site's open data (commitments and milestones, CSV and JSON) in build/site/data/."""
    yield from BUILD.family("opendata")


def task_diff() -> dict[str, Any]:
    """Diff every plan against a git revision (--rev, default HEAD) into build/diff/."""
    return BUILD.diff()
