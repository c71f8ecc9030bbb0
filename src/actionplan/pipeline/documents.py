"""Which documents a plan has and the files each is made of and written to, at task creation.

Inputs are honest and outputs exist only once their data do:

- the action plan (`action-plan.<lang>.{html,pdf,docx}`) reads the member, the vision and the
  commitments, and the co-creation record it sums up (forum, roadmap, meetings,
  contributions); `plan.json` and the e-filing payloads read every file of the plan;
- the co-creation report (`co-creation-report.<lang>.{html,pdf,docx}`) exists once the plan
  has any record, and reads the same files as the action plan;
- the progress report (`progress-report.<lang>.{html,pdf,docx}`) exists once the plan has a
  progress log, and reads the filed files (member, vision, commitments) and the progress logs:
  a new progress entry rebuilds it, never the action plan, and a new meeting never it;
- each assessment (`assessments/<name>.<lang>.{html,pdf,docx}`, name `inception`,
  `end-of-commitment-<id>` or `final-summary`) exists once its file does, and reads the filed
  files and its own (the final summary also reads the end-of-commitment assessments, whose
  levels of completion it lists);
- the public site (`site/`): a task per member writes its page, each plan's page per language
  and copies of the files above (its file_dep, so it runs after them); the home page's task
  reads every plan's files and writes the home and its pages by country and by OGP value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from actionplan.layout import PlanFolder
from actionplan.pipeline.project import PlanTarget, member_codes

if TYPE_CHECKING:
    from actionplan.render.monitoring import AssessmentKind

FORMATS = ("html", "pdf", "docx")
ASSESSMENTS = "assessments"


def json_targets(target: PlanTarget) -> list[Path]:
    return [target.out_dir / "plan.json"]


def action_plan_targets(target: PlanTarget, ext: str) -> list[Path]:
    """The action plan in format `ext`, one file per language."""
    return [target.out_dir / f"action-plan.{lang}.{ext}" for lang in target.languages()]


def html_targets(target: PlanTarget) -> list[Path]:
    return action_plan_targets(target, "html")


def pdf_targets(target: PlanTarget) -> list[Path]:
    return action_plan_targets(target, "pdf")


def docx_targets(target: PlanTarget) -> list[Path]:
    return action_plan_targets(target, "docx")


def efiling_targets(target: PlanTarget) -> list[Path]:
    folder = target.out_dir / "efiling"
    names = ["vision"] + [f"commitment-{p.stem}" for p in target.folder.commitment_files()]
    names += efiling_names(target.folder)
    files = [folder / f"{name}.{ext}" for name in names for ext in ("json", "html")]
    return [*files, folder / "manifest.json"]


def efiling_names(folder: PlanFolder) -> list[str]:
    """Stems of the monitoring forms' e-filing files (`<stem>.json`, `<stem>.html`): each
    progress update, the inception assessment, each end-of-commitment one, the final summary."""
    names = [f"progress-{p.stem}" for p in folder.progress_files()]
    names += ["inception"] if folder.inception_file() else []
    names += [f"end-of-commitment-{p.stem}" for p in folder.end_of_commitment_files()]
    return names + (["final-summary"] if folder.final_summary_file() else [])


def progress_inputs(target: PlanTarget) -> list[Path]:
    """What the progress report is made of: the filed files and the progress logs."""
    return [*target.filed_inputs(), *target.folder.progress_files()]


def cocreation_targets(target: PlanTarget) -> list[Path]:
    """The co-creation report in every language and format; nothing without a record."""
    return _documents(target, "co-creation-report") if target.folder.co_creation_files() else []


def progress_targets(target: PlanTarget) -> list[Path]:
    """The progress report in every language and format; nothing without a progress log."""
    return _documents(target, "progress-report") if target.folder.progress_files() else []


def _documents(target: PlanTarget, stem: str) -> list[Path]:
    """A document (`stem`, a path below the plan's output folder) in every language and
    format."""
    out = target.out_dir
    return [out / f"{stem}.{lang}.{ext}" for lang in target.languages() for ext in FORMATS]


@dataclass(frozen=True)
class AssessmentDocument:
    """One assessment document of a plan, as doit sees it."""

    name: str
    """File name stem: inception, end-of-commitment-<id> or final-summary."""
    kind: AssessmentKind
    commitment: str | None
    inputs: tuple[Path, ...]


def assessment_documents(target: PlanTarget) -> list[AssessmentDocument]:
    """The plan's assessments whose files exist, with what each reads."""
    base = tuple(target.filed_inputs())
    folder = target.cycle_dir / ASSESSMENTS
    ends = target.folder.end_of_commitment_files()
    docs: list[AssessmentDocument] = []
    if (folder / "inception.yaml").is_file():
        docs.append(
            AssessmentDocument("inception", "inception", None, (*base, folder / "inception.yaml"))
        )
    for path in ends:
        docs.append(
            AssessmentDocument(
                f"end-of-commitment-{path.stem}", "end-of-commitment", path.stem, (*base, path)
            )
        )
    if (folder / "final-summary.yaml").is_file():
        final = folder / "final-summary.yaml"
        docs.append(
            AssessmentDocument("final-summary", "final-summary", None, (*base, final, *ends))
        )
    return docs


def assessment_targets(target: PlanTarget, doc: AssessmentDocument) -> list[Path]:
    return _documents(target, f"{ASSESSMENTS}/{doc.name}")


SITE = "site"
"""The public site's folder under build/, and the key of its shared dependencies."""
SITE_HOME = "index"
"""The name of the home page's task (a member's is the member's folder name)."""
OGP_VALUES = ("transparency", "accountability", "participation", "inclusion")
"""The OGP values the home page filters by, one page each (`value/<value>.html`)."""


def site_dir(target: PlanTarget) -> Path:
    """build/site/, beside the plans' folders in build/."""
    return target.out_dir.parent.parent / SITE


def site_downloads(target: PlanTarget) -> list[Path]:
    """The files doit builds for a plan that its site page offers (its file_dep): the same
    names as the families' targets, the member's languages read once."""
    langs, out, folder = target.languages(), target.out_dir, target.folder
    files = [out / "plan.json"]
    files += [out / f"action-plan.{lang}.{ext}" for ext in ("pdf", "docx") for lang in langs]
    stems = ["progress-report"] if folder.progress_files() else []
    stems += ["co-creation-report"] if folder.co_creation_files() else []
    stems += [f"{ASSESSMENTS}/{doc.name}" for doc in assessment_documents(target)]
    files += [out / f"{stem}.{lang}.{ext}" for stem in stems for lang in langs for ext in FORMATS]
    return files + efiling_targets(target)


def site_copy(target: PlanTarget, built: Path) -> Path:
    """Where the site holds a copy of a built file: the same path under build/site/."""
    return site_dir(target) / built.relative_to(target.out_dir.parent.parent)


def site_plan_pages(target: PlanTarget, langs: list[str] | None = None) -> list[Path]:
    """A plan's pages, one per language (`langs`, else the member's):
    build/site/<member>/<cycle>/index.<lang>.html."""
    folder = site_dir(target) / target.member_dir.name / target.cycle_dir.name
    langs = target.languages() if langs is None else langs
    return [folder / f"index.{lang}.html" for lang in langs]


COMMITMENT_PAGES = "commitments"
"""The folder of a plan's commitment pages in the site, beside its own pages."""


def site_commitment_pages(target: PlanTarget, langs: list[str] | None = None) -> list[Path]:
    """Each commitment's history page per language (`langs`, else the member's):
    build/site/<member>/<cycle>/commitments/<id>.<lang>.html, named after the commitment's
    file as the e-filing payloads are (validation holds the id to it)."""
    folder = site_dir(target) / target.member_dir.name / target.cycle_dir.name / COMMITMENT_PAGES
    langs = target.languages() if langs is None else langs
    stems = [path.stem for path in target.folder.commitment_files()]
    return [folder / f"{stem}.{lang}.html" for stem in stems for lang in langs]


def site_member_targets(plans: list[PlanTarget], downloads: list[list[Path]]) -> list[Path]:
    """A member's pages (its own, each plan's and each commitment's per language) and the
    copies of its plans' `downloads` (`site_downloads` of each)."""
    files = [site_dir(plans[0]) / plans[0].member_dir.name / "index.html"]
    for plan, built in zip(plans, downloads, strict=True):
        langs = plan.languages()
        files += site_plan_pages(plan, langs) + site_commitment_pages(plan, langs)
        files += [site_copy(plan, path) for path in built]
    return files


SITE_LANGUAGE = "en"
"""The language of the network's pages named without one (`index.html`, `country/<cc>.html`,
`value/<value>.html`): English, the catalogues' source, always written. Each other language of
the members has its own copy of each (`index.<lang>.html`, `country/<cc>.<lang>.html`...)."""


def site_network_page(name: str, lang: str) -> str:
    """A network page's path in build/site/ in `lang`: `name` (`index`, `country/fr`) with
    the language before `.html`, none for `SITE_LANGUAGE`."""
    return f"{name}.html" if lang == SITE_LANGUAGE else f"{name}.{lang}.html"


def site_network(plans: list[PlanTarget], build: Path) -> tuple[list[str], list[str]]:
    """The members' countries and the network's languages (`SITE_LANGUAGE` and every language
    of a member), as task creation reads them (`project.member_codes`): a member with problems
    counts for nothing (its validation fails, and the home page with it)."""
    countries, languages = set(), {SITE_LANGUAGE}
    for member_dir in dict.fromkeys(plan.member_dir for plan in plans):
        country, langs = member_codes(member_dir / "member.yaml", build)
        countries.update([country] if country else [])
        languages.update(langs)
    return sorted(countries), sorted(languages)


def site_home_targets(plans: list[PlanTarget], build: Path) -> list[Path]:
    """The home page, its stylesheet, and a page per country and per OGP value, each in every
    language of the network."""
    folder = build / SITE
    countries, languages = site_network(plans, build)
    names = ["index", *(f"country/{code.lower()}" for code in countries)]
    names += [f"value/{value}" for value in OGP_VALUES]
    pages = [folder / site_network_page(name, lang) for lang in languages for name in names]
    return [*pages, folder / "site.css"]


FEEDS = "feeds"
DATA = "data"
DATA_FILES = tuple(
    f"{table}{suffix}"
    for table in ("commitments", "milestones")
    for suffix in (".csv", ".json", ".schema.json", ".csv-metadata.json")
)
"""What `actionplan.render.opendata.files` writes, named at task creation without importing
it (it imports the models)."""
NETWORK = "network"
"""The name of the feed, and of the task, made of every plan."""


def feed_path(build: Path, plan: PlanTarget | None) -> Path:
    """`build/site/feeds/<member>-<cycle>.atom`, or `network.atom` for `None`."""
    name = NETWORK if plan is None else plan.name.replace("/", "-", 1)
    return build / SITE / FEEDS / f"{name}.atom"


def data_targets(build: Path) -> list[Path]:
    """The open data files under `build/site/data/`."""
    return [build / SITE / DATA / name for name in DATA_FILES]
