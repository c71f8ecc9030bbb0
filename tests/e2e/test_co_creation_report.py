"""The co-creation report built by `doit` and read back (HTML, PDF, DOCX), its task's honest
inputs, and the action plan's summary of the record.

Two plans: the example paris/2024-2026 (a forum, a roadmap, six meetings, a consultation of
32 contributions) and a small case, the base repository with a record written here: hostile
text (a `<script>`, Markdown that must stay literal, Arabic), a paper published after its
meeting, a contribution awaiting a response, no approval (a draft).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import docx
import lxml.html
import pytest
from lxml.html import HtmlElement
from pypdf import PdfReader

from actionplan.merge import RECORD_SECTIONS, Plan, text_fields
from actionplan.model.assessments import REQUIREMENTS
from actionplan.pipeline import actions
from actionplan.pipeline.tasks import Build
from actionplan.render.cocreation import AWAITING, STATUS_ORDER
from actionplan.render.labels import load_labels
from browsers import axe, chromium, describe
from builds import BUILD_EPOCH, copy_repository, doit
from documents import phrases, skeleton
from helpers import BASE, ROOT, load_merged

PARIS = "paris/2024-2026"
CASE = "sample-city/2024-2025"
TEMPLATES = ROOT / "templates"
SCRIPT = "<script>alert('record')</script>"
MARKDOWN = "**Publish** the [budget](https://evil.example/x) and # not a heading"
ARABIC = "نطالب بنشر الميزانية كاملة"

FORUM = f"""\
name:
  en: Open Sample Forum
  fr: Forum ouvert de Sample
mandate:
  en: The forum *oversees* the co-creation of the plan.
  fr: Le forum *supervise* la co-création du plan.
established: 2023-01-10
members:
  - name: "Ada {SCRIPT} Martin"
    organization: City of Sample
    sector: government
    role: co-chair
  - name: Layla Haddad
    organization: جمعية الشفافية
    sector: civil-society
  - name: Sam Writer
    sector: academia
    from: 2023-02-01
co_chairs: ["Ada {SCRIPT} Martin"]
"""
ROADMAP = """\
target_submission: 2023-12-01
activities:
  - id: kick-off
    title: {en: Kick-off of the co-creation, fr: Lancement de la co-création}
    phase: prepare
    start: 2023-09-01
    end: 2023-09-30
    owner: City of Sample
    channels: [city website, newsletter]
"""
KICK_OFF = """\
id: 2023-09-15-kick-off
title: {en: Kick-off forum meeting, fr: Réunion de lancement du forum}
phase: prepare
kind: forum
format: hybrid
attendance: {total: 21, government: 6, civil_society: 9, community: 6}
documents:
  - title: Draft roadmap
    url: https://example.org/roadmap.pdf
    published: 2023-09-01
  - title: Late briefing note
    url: https://example.org/briefing.pdf
    published: 2023-09-20
minutes: {url: "https://example.org/minutes.pdf", published: 2023-09-25}
summary:
  en: The forum adopted the roadmap.
  fr: Le forum a adopté la feuille de route.
commitments: [open-budget]
"""
WORKSHOP = """\
id: 2023-10-10-workshop
title: {en: Budget workshop, fr: Atelier sur le budget}
phase: discover
kind: workshop
format: in-person
"""
CONSULTATION = f"""\
id: consultation
title: {{en: Online consultation, fr: Consultation en ligne}}
channel: online-platform
open: {{start: 2023-09-15, end: 2023-10-31}}
url: https://example.org/consultation
items:
  - id: c-1
    date: 2023-09-16
    author: Open Data Group
    sector: civil-society
    text: "{MARKDOWN}\\n\\n{SCRIPT}"
    commitments: [open-budget]
    response:
      status: accepted
      reason: {{en: The portal milestone publishes it., fr: Le jalon du portail le publie.}}
      date: 2023-11-02
      milestones: [{{commitment: open-budget, milestone: portal}}]
  - id: c-2
    date: 2023-09-20
    language: ar
    text: "{ARABIC}"
    response:
      status: not-accepted
      reason:
        en: Outside the city's powers for now.
        fr: Hors des compétences de la ville pour l'instant.
  - id: c-3
    date: 2023-10-01
    sector: community
    text: Please hold meetings in the evening.
  - id: c-4
    text: Open the contracts register.
    response:
      status: partially-accepted
      reason:
        en: Contracts above the threshold only.
        fr: Seulement les marchés au-dessus du seuil.
      commitments: [open-contracts]
"""


def _record(plans: Path) -> None:
    member = plans / "sample-city"
    cycle = member / "2024-2025"
    (member / "forum.yaml").write_text(FORUM, encoding="utf-8")
    (cycle / "roadmap.yaml").write_text(ROADMAP, encoding="utf-8")
    (cycle / "meetings").mkdir()
    (cycle / "meetings" / "2023-09-15-kick-off.yaml").write_text(KICK_OFF, encoding="utf-8")
    (cycle / "meetings" / "2023-10-10-workshop.yaml").write_text(WORKSHOP, encoding="utf-8")
    (cycle / "contributions").mkdir()
    (cycle / "contributions" / "consultation.yaml").write_text(CONSULTATION, encoding="utf-8")
    vision = cycle / "vision.yaml"
    text = vision.read_text(encoding="utf-8")
    vision.write_text(text[: text.index("approval:")], encoding="utf-8")  # a draft


@pytest.fixture(scope="module")
def case_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base repository with a record, built whole (every family) by `doit`."""
    root = copy_repository(tmp_path_factory.mktemp("record") / "repo", BASE / "plans")
    _record(root / "plans")
    doit(root)
    return root


@pytest.fixture(scope="module")
def paris_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repository(tmp_path_factory.mktemp("paris") / "repo")
    doit(root, f"cocreation:{PARIS}")
    return root


def merged(root: Path, name: str) -> Plan:
    import datetime as dt

    day = dt.datetime.fromtimestamp(int(BUILD_EPOCH), dt.UTC).date()
    return actions.action_plan_only(load_merged(root / "plans" / name, day))


DOCUMENTS = [(PARIS, "fr"), (PARIS, "en"), (CASE, "en"), (CASE, "fr")]


def _repo(request: pytest.FixtureRequest, name: str) -> Path:
    root: Path = request.getfixturevalue("paris_repo" if name == PARIS else "case_repo")
    return root


def html_text(path: Path) -> str:
    return str(lxml.html.parse(str(path)).getroot().text_content())


def pdf_text(path: Path) -> str:
    command = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


READERS = {"html": html_text, "pdf": pdf_text, "docx": docx_text}


def missing_record(plan: Plan, lang: str, text: str) -> list[str]:
    """The record's texts (forum, roadmap, meetings, contributions) that `text` lacks."""
    found = skeleton(text)
    return [
        f"{field.path}: {part[:60]!r}"
        for field in text_fields(plan, lang, RECORD_SECTIONS)
        for part in phrases(field)
        if skeleton(part) not in found
    ]


@pytest.mark.parametrize("ext", READERS)
@pytest.mark.parametrize(("name", "lang"), DOCUMENTS, ids=[f"{n}/{lang}" for n, lang in DOCUMENTS])
def test_every_text_of_the_record_is_in_each_format(
    request: pytest.FixtureRequest, name: str, lang: str, ext: str
) -> None:
    root = _repo(request, name)
    plan = merged(root, name)
    assert text_fields(plan, lang, RECORD_SECTIONS)  # the record is there to be found
    path = root / "build" / name / f"co-creation-report.{lang}.{ext}"
    assert missing_record(plan, lang, READERS[ext](path)) == []


def parse(path: Path) -> HtmlElement:
    return lxml.html.parse(str(path)).getroot()


@pytest.mark.parametrize("name", [PARIS, CASE])
def test_contributions_are_grouped_by_response_status(
    request: pytest.FixtureRequest, name: str
) -> None:
    root = _repo(request, name)
    plan = merged(root, name)
    page = parse(root / "build" / name / "co-creation-report.en.html")
    for consultation in (plan.contributions or {}).values():
        groups = page.xpath(f'//section[@id="consultation-{consultation.id}"]/section')
        statuses = [g.get("id").removeprefix(f"consultation-{consultation.id}-") for g in groups]
        expected = {i.response.status if i.response else AWAITING for i in consultation.items}
        assert statuses == [s for s in (*STATUS_ORDER, AWAITING) if s in expected]
        for group, status in zip(groups, statuses, strict=True):
            shown = [a.get("id").rsplit("-", 1)[-1] for a in group.xpath(".//article")]
            wanted = [
                i.id.rsplit("-", 1)[-1]
                for i in consultation.items
                if (i.response.status if i.response else AWAITING) == status
            ]
            assert shown == wanted


def test_the_case_groups_in_the_order_taken_up_first_awaiting_last(case_repo: Path) -> None:
    page = parse(case_repo / "build" / CASE / "co-creation-report.en.html")
    headings = [h.text_content() for h in page.xpath('//section[@id="consultations"]//h4')]
    assert headings == [
        "Accepted (1)",
        "Partially accepted (1)",
        "Not accepted (1)",
        "Awaiting a response (1)",
    ]


def requirement_pages(path: Path, lang: str) -> dict[str, int]:
    """The page each requirement's heading stands on, found by its number label."""
    labels = load_labels(TEMPLATES, lang)
    pages = [skeleton(page.extract_text()) for page in PdfReader(path).pages]
    found = {}
    for number, name in enumerate(REQUIREMENTS, start=1):
        mark = skeleton(labels.text("cocreation_report.requirement_number", number=number))
        title = skeleton(labels.enum("requirement", name))
        (page,) = [i for i, text in enumerate(pages) if mark in text and title in text]
        found[name] = page
    return found


@pytest.mark.parametrize(("name", "lang"), [(PARIS, "fr"), (CASE, "en")])
def test_a_page_per_minimum_requirement(
    request: pytest.FixtureRequest, name: str, lang: str
) -> None:
    path = _repo(request, name) / "build" / name / f"co-creation-report.{lang}.pdf"
    pages = requirement_pages(path, lang)
    assert len(set(pages.values())) == 6
    assert list(pages.values()) == sorted(pages.values())


def test_the_requirement_pages_set_out_the_evidence(paris_repo: Path) -> None:
    page = parse(paris_repo / "build" / PARIS / "co-creation-report.en.html")

    def section(name: str) -> str:
        (found,) = page.xpath(f'//section[@id="requirement-{name}"]')
        return re.sub(r"\s+", " ", found.text_content())

    approval = section("non-government-approval")
    assert "Collectif Données Citoyennes" in approval and "Multi-stakeholder forum" in approval
    assert "Conseil de Paris" not in approval.split("Approvers from civil society")[1]
    assert "Members by sector" in section("forum-multi-stakeholder")
    assert "Contributions received 32" in section("reasoned-response")
    repository = section("repository-published")
    assert "What it cannot show" in repository and "https://idee.paris.fr" in repository
    assert "plans/paris/forum.yaml" in section("forum-exists")


def test_a_paper_published_after_its_meeting_is_flagged(case_repo: Path) -> None:
    folder = case_repo / "build" / CASE
    for ext, reader in READERS.items():
        text = skeleton(reader(folder / f"co-creation-report.en.{ext}"))
        assert skeleton("Late briefing note") in text
        assert skeleton("published 5 days after the meeting") in text, ext
        assert skeleton("publié 5 jours après la réunion") in skeleton(
            reader(folder / f"co-creation-report.fr.{ext}")
        )
    page = parse(folder / "co-creation-report.en.html")
    (flag,) = page.xpath('//*[@class="late-paper"]')
    assert "Late briefing note" in flag.getparent().text_content()


def test_a_draft_plan_is_marked_as_such(case_repo: Path, paris_repo: Path) -> None:
    for root, name, draft in ((case_repo, CASE, True), (paris_repo, PARIS, False)):
        folder = root / "build" / name
        page = parse(folder / "co-creation-report.en.html")
        assert ("is-draft" in page.xpath("//body")[0].get("class")) is draft
        assert bool(page.xpath('//*[@class="draft-banner"]')) is draft
        first = PdfReader(folder / "co-creation-report.en.pdf").pages[0].extract_text()
        assert ("draft" in first.lower()) is draft
        banner = "The action plan has not been approved yet."
        assert (banner in docx_text(folder / "co-creation-report.en.docx")) is draft


def test_text_as_received_is_escaped_and_literal(case_repo: Path) -> None:
    folder = case_repo / "build" / CASE
    html = (folder / "co-creation-report.en.html").read_text(encoding="utf-8")
    page = parse(folder / "co-creation-report.en.html")
    assert page.xpath("//script") == []
    assert "evil.example" not in "".join(page.xpath("//a/@href"))
    (received,) = page.xpath(
        '//article[@id="contribution-consultation-c-1"]//div[@class="received-text"]'
    )
    text = received.text_content()
    assert MARKDOWN in text and SCRIPT in text  # as written: no bold, no link, no heading
    assert received.xpath(".//strong | .//a | .//h1") == []
    assert "&lt;script&gt;" in html
    (arabic,) = page.xpath(
        '//article[@id="contribution-consultation-c-2"]//div[@class="received-text"]'
    )
    assert (arabic.get("lang"), arabic.get("dir")) == ("ar", "rtl")
    assert ARABIC in arabic.text_content()
    for ext in ("pdf", "docx"):
        text = READERS[ext](folder / f"co-creation-report.en.{ext}")
        assert skeleton(MARKDOWN) in skeleton(text) and skeleton(SCRIPT) in skeleton(text)


def test_anonymous_input_and_the_response_shaping_the_plan(case_repo: Path) -> None:
    page = parse(case_repo / "build" / CASE / "co-creation-report.en.html")
    (c2,) = page.xpath('//article[@id="contribution-consultation-c-2"]')
    assert "Anonymous" in c2.text_content()
    (c1,) = page.xpath('//article[@id="contribution-consultation-c-1"]')
    shaped = c1.xpath('.//div[@class="response"]')[0].text_content()
    assert "Commitment 1:" in shaped or "Commitment" in shaped
    links = c1.xpath('.//div[@class="response"]//a/@href')
    assert any(h.startswith("action-plan.en.html#commitment-open-budget") for h in links)


def test_the_action_plan_sums_the_record_up(case_repo: Path) -> None:
    folder = case_repo / "build" / CASE
    page = parse(folder / "action-plan.en.html")
    (summary,) = page.xpath('//dl[contains(@class, "record-summary")]')
    facts = dict(
        zip(
            [dt.text_content() for dt in summary.xpath("dt")],
            [re.sub(r"\s+", " ", dd.text_content()) for dd in summary.xpath("dd")],
            strict=True,
        )
    )
    assert facts == {
        "Meetings held": "2 (Prepare: 1; Discover and define: 1)",
        "People reached": "21, the attendance recorded at the meetings",
        "Contributions received": "4",
        "Contributions taken up": "2, accepted in full or in part",
        "Forum": "Open Sample Forum",
        "Members of the forum": "3 (Government: 1; Civil society: 1; Academia: 1)",
    }
    assert page.xpath('//a[@href="co-creation-report.en.html"]')
    pdf = folder / "action-plan.en.pdf"
    assert "co-creation-report.en.pdf" in pdf_text(pdf)
    assert b"file://" not in pdf.read_bytes()
    for ext in ("pdf", "docx"):
        assert b"file://" not in (folder / f"co-creation-report.en.{ext}").read_bytes()


# The build: the task, its inputs, and what a change rebuilds.


def family(root: Path, name: str) -> dict[str, dict[str, Any]]:
    return {task["name"]: task for task in Build.at(root).family(name)}


def test_the_task_exists_only_when_a_plan_has_a_record(tmp_path: Path) -> None:
    assert sorted(family(ROOT, "cocreation")) == [
        "buenos-aires/2026-2027",
        "paris/2021-2023",  # forum.yaml is the member's, so every cycle of Paris has a record
        PARIS,
        "scotland/2023-2025",
    ]
    bare = copy_repository(tmp_path / "bare", BASE / "plans")
    assert family(bare, "cocreation") == {}
    (bare / "plans" / "sample-city" / "2024-2025" / "roadmap.yaml").write_text(ROADMAP)
    (task,) = family(bare, "cocreation").values()
    assert sorted(Path(t).name for t in task["targets"]) == [
        f"co-creation-report.{lang}.{ext}"
        for lang in ("en", "fr")
        for ext in ("docx", "html", "pdf")
    ]


def plan_files(task: dict[str, Any]) -> set[str]:
    return {Path(d).relative_to(ROOT).as_posix() for d in task["file_dep"] if "/plans/" in d}


def test_honest_inputs_a_meeting_is_read_by_the_report_and_the_action_plan_only() -> None:
    meeting = f"plans/{PARIS}/meetings/2023-04-12-forum-lancement.yaml"
    forum = "plans/paris/forum.yaml"
    report = family(ROOT, "cocreation")[PARIS]
    assert {meeting, forum, f"plans/{PARIS}/roadmap.yaml"} <= plan_files(report)
    assert f"plans/{PARIS}/contributions/consultation-2023.yaml" in plan_files(report)
    assert not any("/progress/" in p or "/assessments/" in p for p in plan_files(report))
    assert any(d.endswith("templates/_record_meetings.html.j2") for d in report["file_dep"])
    for name in ("html", "pdf", "docx"):
        assert {meeting, forum} <= plan_files(family(ROOT, name)[PARIS])
    assert meeting not in plan_files(family(ROOT, "progress")[PARIS])
    for task in family(ROOT, "assessments").values():
        assert not any("/meetings/" in p or "forum.yaml" in p for p in plan_files(task))


def test_record_fields_are_the_merge_record() -> None:
    assert set(actions.RECORD) == RECORD_SECTIONS


def status(root: Path) -> dict[str, str]:
    """`doit list --status --all`: each task's R (would run) or U (up to date)."""
    out = doit(root, "list", "--status", "--all").stdout
    return {line.split()[1]: line.split()[0] for line in out.splitlines() if line.strip()}


def test_doit_twice_does_nothing_and_a_meeting_rebuilds_the_report_and_the_plan(
    case_repo: Path,
) -> None:
    again = doit(case_repo).stdout
    assert [line for line in again.splitlines() if line.startswith(".")] == []
    meeting = case_repo / "plans" / CASE / "meetings" / "2023-10-10-workshop.yaml"
    meeting.write_text(meeting.read_text() + "attendance: {total: 12}\n")
    rerun = {name for name, flag in status(case_repo).items() if flag == "R"}
    assert {f"cocreation:{CASE}", f"html:{CASE}", f"pdf:{CASE}", f"docx:{CASE}"} <= rerun
    assert f"progress:{CASE}" not in rerun
    assert not any(name.startswith("assessments:") for name in rerun)


# In the browser: the report's HTML opens clean and passes axe-core, as test_browser.py checks
# the action plan's (tests/browsers.py: Debian's Chromium, the locked package's axe.min.js).


@pytest.mark.parametrize(("name", "lang"), [(PARIS, "fr"), (CASE, "en")])
def test_the_report_is_accessible_in_chromium(
    request: pytest.FixtureRequest, name: str, lang: str
) -> None:
    path = _repo(request, name) / "build" / name / f"co-creation-report.{lang}.html"
    errors: list[str] = []
    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_context(offline=True).new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri(), wait_until="load")
        blocking, _ = axe(page)
    assert errors == [] and requests == [path.as_uri()]
    assert blocking == [], describe(blocking)
