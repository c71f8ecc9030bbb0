"""The table of document families: one row per doit family, all that dodo.py builds.

A row names the family (the doit task family), the documents it has for a plan (what each
reads and writes: `actionplan.pipeline.documents`), the files they depend on besides the
plan's (a key of `actionplan.pipeline.deps.dependencies`) and its renderer (an action of
`actionplan.pipeline.actions`). A new document (the co-creation report, the public site) is one
more row and one more `task_*` line in dodo.py. The public site's pages are made of several
plans (a member's, or all of them for the home page): its row lists them as `network`
documents, one task per member and one for the home page.

The cut into tasks, kept from before the table: the action plan is three families, one per
format (`html`, `pdf`, `docx`), because its formats depend on different files (print.css for
the PDF, the reference DOCX for Word, each renderer's own code), so a change to one
rebuilds that format alone, and `doit -n 2` runs a plan's PDF and DOCX side by side. What the
cut repeats is cheap: measured on paris/2024-2026 (two languages, a loaded machine), validating
and merging the plan takes about 20 ms and its print HTML 35 ms a language, where its PDF task
takes 8 s and its DOCX task 1.3 s. A monitoring document (the progress report, each
assessment) is one task writing its three formats, one template rendered in three media: a
change to the reference document or to one renderer rebuilds all three (seconds a document),
the price of one task per document. Measured as a whole (`benchmarks/cut.py`, CPU time of the
four example plans' action plans, median of 3): per format 12.83 s against 12.34 s for one
task a plan writing the three formats, 4 % more, for independent rebuilds and parallel formats.
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from doit.exceptions import TaskFailed

from actionplan.fsutil import shown
from actionplan.pipeline import actions, project
from actionplan.pipeline import documents as docs
from actionplan.pipeline.project import PlanTarget, Settings


@dataclass(frozen=True)
class Document:
    """One document of one plan: one task."""

    name: str
    """The sub-task's name: the plan's (`paris/2024-2026`), or the plan's and the document's."""
    inputs: list[Path]
    """The plan's files it reads; the family's shared dependencies are added to them."""
    targets: list[Path]
    args: tuple[object, ...] = ()
    """The renderer's arguments after the plan and the settings."""
    depends_on: str | None = None
    """The key of its shared dependencies when not the family's (an assessment's kind)."""
    plans: tuple[str, ...] = ()
    """The plans a document of several plans (a site page) shows: it waits for their
    validation. Empty for a plan's own document, which waits for its plan's."""
    every_plan: bool = False
    """It shows every plan (the site's home page): a sharded build, which lists some members
    only, leaves it to the build that merges the shards."""
    settings: tuple[tuple[str, str], ...] = ()
    """Values besides its files that change what it writes, joined to the build's settings:
    what it shows of git's history (the members' trees at HEAD: a commit reruns it though no
    file changed), the indexer's version."""


@dataclass(frozen=True)
class Family:
    """One row: a doit family, the documents it has in a plan, and the renderer writing them."""

    name: str
    renderer: Callable[..., TaskFailed | None]
    documents: Callable[[PlanTarget], Iterator[Document]]
    depends_on: str | None = field(default=None)
    """The key of `deps.dependencies` shared by its documents; None when each names its own."""
    network: Callable[[list[PlanTarget]], Iterator[Document]] | None = None
    """Its documents made of several plans (the site's pages), rendered from the settings and
    their arguments alone, where `documents` gives each plan's."""
    clean: Callable[[Any, bool], None] | None = None
    """What `doit clean` removes besides the targets (doit's clean action: the task, dryrun)."""


def _whole_plan(targets: Callable[[PlanTarget], list[Path]]) -> Callable[..., Iterator[Document]]:
    """One document per plan, made of all its files (plan.json, the e-filing payloads)."""

    def documents(plan: PlanTarget) -> Iterator[Document]:
        yield Document(plan.name, plan.inputs(), targets(plan))

    return documents


def _action_plan(ext: str) -> Callable[[PlanTarget], Iterator[Document]]:
    """The action plan in one format, made of the files filed with it."""

    def documents(plan: PlanTarget) -> Iterator[Document]:
        yield Document(plan.name, plan.action_plan_inputs(), docs.action_plan_targets(plan, ext))

    return documents


def _progress_report(plan: PlanTarget) -> Iterator[Document]:
    """The progress report, once the plan has a progress log."""
    if targets := docs.progress_targets(plan):
        yield Document(plan.name, docs.progress_inputs(plan), targets)


def _cocreation_report(plan: PlanTarget) -> Iterator[Document]:
    """The co-creation report, once the plan has a record (a forum, a roadmap, meetings or
    contributions)."""
    if targets := docs.cocreation_targets(plan):
        yield Document(plan.name, plan.action_plan_inputs(), targets)


def _assessments(plan: PlanTarget) -> Iterator[Document]:
    """Each assessment whose file exists, named after the plan and the assessment."""
    for doc in docs.assessment_documents(plan):
        targets = docs.assessment_targets(plan, doc)
        name = f"{plan.name}/{doc.name}"
        yield Document(name, list(doc.inputs), targets, (doc.name,), depends_on=doc.kind)


def _no_documents(_plan: PlanTarget) -> Iterator[Document]:
    yield from ()


def _site_pages(plans: list[PlanTarget]) -> Iterator[Document]:
    """A task per member (its pages and downloads: a change to it rebuilds them alone) and
    one for the home page, which shows every plan."""
    members: dict[Path, list[PlanTarget]] = {}
    for plan in plans:
        members.setdefault(plan.member_dir, []).append(plan)
    trees = project.git_trees(plans[0].member_dir.parent) if plans else {}
    for member_dir, own in members.items():
        downloads = [docs.site_downloads(plan) for plan in own]
        inputs = [path for plan in own for path in plan.inputs()]
        inputs += [path for built in downloads for path in built]
        names = tuple(plan.name for plan in own)
        targets = docs.site_member_targets(own, downloads)
        args = (member_dir.name, own)
        git = (("git", trees.get(member_dir.name, "")),)
        yield Document(member_dir.name, inputs, targets, args, plans=names, settings=git)
    if plans:
        inputs = [path for plan in plans for path in plan.inputs()]
        targets = docs.site_home_targets(plans, _build_dir(plans))
        names = tuple(plan.name for plan in plans)
        args = (docs.SITE_HOME, plans)
        git = (("git", " ".join(trees.get(plan.member, "") for plan in plans)),)
        yield Document(
            docs.SITE_HOME, inputs, targets, args, plans=names, every_plan=True, settings=git
        )


SEARCH_BUNDLE = "pagefind"
_BUNDLE_FILES = ("pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css")
SEARCH_FILES = (*(f"{SEARCH_BUNDLE}/{name}" for name in _BUNDLE_FILES), "site-search.js")
"""What `actionplan.render.site.search` writes under build/site/ that the pages load, named
without importing it (Pagefind's index files are named by their content's hash)."""
_SEARCH_CODE = Path(__file__).resolve().parents[1] / "render" / "site" / "search.py"


def _search_index(plans: list[PlanTarget]) -> Iterator[Document]:
    """The search index of the members' and plans' pages (`actionplan.render.site.search`),
    rebuilt when any of them changes."""
    if plans:
        site = _build_dir(plans) / docs.SITE
        members = dict.fromkeys(plan.member_dir.name for plan in plans)
        pages = [site / member / "index.html" for member in members]
        pages += [page for plan in plans for page in docs.site_plan_pages(plan)]
        script = _build_dir(plans).parent / "templates" / "site" / SEARCH_FILES[-1]
        inputs = [*pages, script, _SEARCH_CODE]
        targets = [site / name for name in SEARCH_FILES]
        names = tuple(plan.name for plan in plans)
        args = (site, pages)
        indexer = (("pagefind", _pagefind_version()),)
        yield Document(
            docs.NETWORK, inputs, targets, args, plans=names, every_plan=True, settings=indexer
        )


def _pagefind_version() -> str:
    """The installed Pagefind binary's version, from its package's dist-info folder (without
    importing it or importlib.metadata, which would slow task creation): an upgrade through
    uv.lock reindexes the site. Empty when it is not installed (the index task says so)."""
    spec = importlib.util.find_spec("pagefind_bin")
    folders = (spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        for info in sorted(Path(folder).parent.glob("pagefind_bin-*.dist-info")):
            return info.name.removeprefix("pagefind_bin-").removesuffix(".dist-info")
    return ""


def clean_search(task: Any, dryrun: bool) -> None:
    """doit clean: the whole search bundle (its index files are named by their content, so
    no target names them) and the new bundles a killed run left beside it."""
    if not task.targets:
        return
    site = Path(task.targets[-1]).parent  # build/site/site-search.js
    for folder in sorted([site / SEARCH_BUNDLE, *site.glob(f".{SEARCH_BUNDLE}-*")]):
        if folder.is_dir():
            print(f"{task.name} - removing folder '{shown(folder)}'")
            if not dryrun:
                shutil.rmtree(folder)


def search_action(settings: Settings, site: Path, pages: list[Path]) -> TaskFailed | None:
    """doit action: the search index; the indexer (and Pagefind) imported when it runs."""
    from actionplan.render.site.search import write_index

    return actions.reported(write_index)(settings.templates, site, pages)


def _build_dir(plans: list[PlanTarget]) -> Path:
    return plans[0].out_dir.parent.parent  # build/<member>/<cycle>


def _feeds(plans: list[PlanTarget]) -> Iterator[Document]:
    """A plan's Atom feed (its files only: a change to it rebuilds its feed alone), and the
    network's, of every plan."""
    for plan in plans:
        target = docs.feed_path(_build_dir(plans), plan)
        args = (plan.name, [plan])
        yield Document(plan.name, plan.inputs(), [target], args, plans=(plan.name,))
    if plans:
        inputs = [path for plan in plans for path in plan.inputs()]
        names = tuple(plan.name for plan in plans)
        target = docs.feed_path(_build_dir(plans), None)
        args = (docs.NETWORK, plans)
        yield Document(docs.NETWORK, inputs, [target], args, plans=names, every_plan=True)


def _open_data(plans: list[PlanTarget]) -> Iterator[Document]:
    """data/: every plan's commitments and milestones."""
    if plans:
        inputs = [path for plan in plans for path in plan.inputs()]
        names = tuple(plan.name for plan in plans)
        targets = docs.data_targets(_build_dir(plans))
        yield Document(docs.NETWORK, inputs, targets, (plans,), plans=names, every_plan=True)


FAMILIES = {
    family.name: family
    for family in (
        Family("json", actions.json_action, _whole_plan(docs.json_targets), "json"),
        Family("html", actions.html_action, _action_plan("html"), "html"),
        Family("pdf", actions.pdf_action, _action_plan("pdf"), "pdf"),
        Family("docx", actions.docx_action, _action_plan("docx"), "docx"),
        Family("efiling", actions.efiling_action, _whole_plan(docs.efiling_targets), "efiling"),
        Family("progress", actions.progress_action, _progress_report, "progress"),
        Family("assessments", actions.assessment_action, _assessments),
        Family("cocreation", actions.cocreation_action, _cocreation_report, "cocreation"),
        Family("feeds", actions.feed_action, _no_documents, "feeds", network=_feeds),
        Family("opendata", actions.data_action, _no_documents, "opendata", network=_open_data),
        Family("site", actions.site_action, _no_documents, "site", network=_site_pages),
        Family("search", search_action, _no_documents, network=_search_index, clean=clean_search),
    )
}
"""The document families in the order `doit` builds them by default."""
