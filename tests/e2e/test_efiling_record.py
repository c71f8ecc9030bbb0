"""The e-filing payloads and the co-creation record: the inception form's evidence per minimum
requirement (read back from the JSON and from the HTML fragment), the filing date, and a draft
assessment's payload marked as a draft."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import lxml.html
import pytest

from actionplan.render.efiling import payloads
from helpers import BASE, ROOT, load_merged, replace_in

PLAN = Path("plans/sample-city/2024-2025")
TEMPLATES = ROOT / "templates"
FORUM = """\
name: {en: Open Sample Forum, fr: Forum Sample ouverte}
mandate: {en: Oversees the co-creation., fr: Suit la co-création.}
established: 2023-01-15
members:
  - {name: Ada Martin, organization: City of Sample, sector: government}
  - {name: Léa Dubois, organization: Sample Citizens, sector: civil-society}
  - {name: Omar Haddad, sector: academia}
  - {name: Jo Petit, sector: civil-society}
co_chairs: [Ada Martin, Léa Dubois]
"""
MEETING = """\
id: {id}
title: {{en: A meeting, fr: Une réunion}}
phase: draft
kind: {kind}
format: online
documents:
  - {{title: On time, url: "https://example.org/a-{id}", published: {on_time}}}
  - {{title: Late, url: "https://example.org/b-{id}", published: {late}}}
"""
CONTRIBUTIONS = """\
id: consultation
title: {en: Consultation, fr: Consultation}
channel: online-platform
items:
  - id: A-1
    text: Publish more.
    response: {status: accepted, reason: {en: Done., fr: Fait.}}
  - id: A-2
    text: Publish everything.
    response: {status: not-accepted, reason: {en: Not now., fr: Pas maintenant.}}
  - id: A-3
    text: Stream meetings.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    plan = root / PLAN
    (plan.parent / "forum.yaml").write_text(FORUM, encoding="utf-8")
    (plan / "meetings").mkdir()
    for mid, kind, on_time, late in (
        ("2023-06-10-forum", "forum", "2023-06-01", "2023-06-10"),
        ("2023-09-20-workshop", "workshop", "2023-09-13", "2023-09-25"),
    ):
        text = MEETING.format(id=mid, kind=kind, on_time=on_time, late=late)
        (plan / "meetings" / f"{mid}.yaml").write_text(text, encoding="utf-8")
    (plan / "contributions").mkdir()
    (plan / "contributions" / "consultation.yaml").write_text(CONTRIBUTIONS, encoding="utf-8")
    return root


def inception(root: Path) -> tuple[dict, str]:
    files = payloads(load_merged(root / PLAN), TEMPLATES)
    return json.loads(files["inception.json"]), files["inception.html"]


def evidence(payload: dict, number: str) -> dict:
    answer: dict = payload["answers"][number][0]["answer"]
    return answer["evidence"]


def test_each_requirement_carries_the_records_evidence(repo: Path) -> None:
    payload, _ = inception(repo)
    forum = evidence(payload, "1.1")
    assert forum["facts"]["members"] == 4 and forum["facts"]["forum_meetings"] == 1
    assert forum["files"] == [
        "plans/sample-city/2024-2025/meetings/2023-06-10-forum.yaml",
        "plans/sample-city/forum.yaml",
    ]
    stakeholders = evidence(payload, "1.2")["facts"]
    assert stakeholders["members_by_sector"] == {"government": 1, "civil-society": 2, "academia": 1}
    assert stakeholders["non_government_members"] == 3
    approval = evidence(payload, "1.3")
    assert approval["facts"]["endorsements"] == 1
    assert approval["facts"]["endorsed_by"][0]["kind"] == "forum"
    assert approval["files"] == ["plans/sample-city/2024-2025/vision.yaml"]
    assert "evidence" not in payload["answers"]["1.4"][0]["answer"]  # nothing in the record
    papers = evidence(payload, "1.5")["facts"]
    # a paper published on the meeting's day is in time; the workshop's second one is late
    assert (papers["papers"], papers["papers_before_meeting"]) == (4, 3)
    assert papers["papers_after_meeting"] == [
        {
            "meeting": "2023-09-20-workshop",
            "paper": "Late",
            "published": "2023-09-25",
            "meeting_date": "2023-09-20",
        }
    ]
    responses = evidence(payload, "1.6")
    assert responses["facts"] == {
        "consultations": 1,
        "contributions": 3,
        "responded": 2,
        "unanswered": 1,
        "responses_by_status": {"accepted": 1, "not-accepted": 1},
    }
    assert responses["files"] == ["plans/sample-city/2024-2025/contributions/consultation.yaml"]
    # the assessor's own answer is kept beside it
    assert payload["answers"]["1.6"][0]["answer"]["met"]


def test_the_fragment_shows_the_same_evidence_in_each_language(repo: Path) -> None:
    _, fragment = inception(repo)
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    (section,) = root.xpath('//section[@data-question="1.6"]')
    blocks = {
        div.get("lang"): " ".join(" ".join(div.itertext()).split())
        for div in section.findall("div")
    }
    assert set(blocks) == {"en", "fr"}
    assert "Evidence in the co-creation record" in blocks["en"]
    assert "Contributions without a response 1" in blocks["en"]
    assert "Contributions sans réponse 1" in blocks["fr"]
    assert "plans/sample-city/2024-2025/contributions/consultation.yaml" in blocks["fr"]
    (late,) = root.xpath('//section[@data-question="1.5"]/div[@lang="en"]')
    assert "Late (2023-09-20-workshop): published on September 25, 2023" in " ".join(
        late.itertext()
    )


def test_a_plan_without_a_record_has_no_evidence() -> None:
    payload, fragment = inception(BASE)
    for number in ("1.1", "1.2", "1.5", "1.6"):
        assert "evidence" not in payload["answers"][number][0]["answer"]
    assert "evidence" in payload["answers"]["1.3"][0]["answer"]  # the approval is in the vision
    assert fragment.count("Evidence in the co-creation record") == 1  # 1.3's, in English
    assert fragment.count("Éléments du registre de co-création") == 1  # and in French


def test_the_filing_date_and_the_assessment_status(repo: Path) -> None:
    vision = repo / PLAN / "vision.yaml"
    vision.write_text(vision.read_text(encoding="utf-8") + "submitted: 2023-12-20\n", "utf-8")
    replace_in(
        repo / PLAN / "assessments" / "inception.yaml",
        "date: 2024-03-15\n",
        "date: 2024-03-15\nstatus: draft\n",
    )
    files = payloads(load_merged(repo / PLAN), TEMPLATES)
    filed = json.loads(files["vision.json"])
    assert filed["submitted"] == "2023-12-20"
    assert filed["unnumbered"]["submitted"]["answer"] == "2023-12-20"
    draft = json.loads(files["inception.json"])
    assert (draft["draft"], draft["status"]) == (True, "draft")
    assert draft["unnumbered"]["status"]["answer"] == "draft"
    assert "Draft, being discussed with stakeholders" in files["inception.html"]
    final = json.loads(files["final-summary.json"])
    assert (final["draft"], final["status"]) == (False, "final")
    assert json.loads(files["commitment-open-budget.json"])["draft"] is False


def test_payloads_are_byte_identical_run_to_run(repo: Path) -> None:
    first = payloads(load_merged(repo / PLAN), TEMPLATES)
    second = payloads(load_merged(repo / PLAN), TEMPLATES)
    assert first == second
    listed = {entry["path"] for entry in json.loads(first["manifest.json"])["files"]}
    assert listed == set(first) - {"manifest.json"}
