"""`actionplan import decidim`: a Decidim proposals export into `contributions/ID.yaml`.

The fixtures in `fixtures/decidim/` are the same eight proposals as Decidim exports them in
JSON and in CSV (`generate.py` writes both): French and Spanish, HTML with entities, accepted
and rejected with answers, evaluating, not answered, withdrawn, anonymous, official, and
accepted without an answer.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from actionplan.decidim import plain_text
from actionplan.validate import validate_paths
from helpers import run_main

FIXTURES = Path(__file__).parent / "fixtures" / "decidim"
JSON = FIXTURES / "proposals.json"
CSV = FIXTURES / "proposals.csv"
PLAN = "paris/2024-2025"
TARGET = Path("plans/paris/2024-2025/contributions/consultation.yaml")


@pytest.fixture
def paris(new_repo: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A repository with the member `paris` (French, then Spanish) and its 2024-2025 plan."""
    for line in (
        ["new", "member", "paris", "--name", "Paris", "--country", "FR", "--languages", "fr,es"],
        [
            *("new", "plan", "paris", "--start", "2024-01-01", "--end", "2025-12-31"),
            *("--term-end", "2026-03-31"),
        ],
    ):
        assert run_main(line, capsys)[0] == 0
    return new_repo


def run_import(
    capsys: pytest.CaptureFixture[str], export: Path, *extra: str
) -> tuple[int, str, str]:
    line = ["import", "decidim", str(export), "--into", PLAN, "--id", "consultation"]
    return run_main([*line, *extra], capsys)


def items(path: Path = TARGET) -> dict[str, dict]:
    from actionplan.loader import load_file

    doc, problems = load_file(path)
    assert problems == []
    return {item["id"]: item for item in doc.data["items"]}


def test_json_and_csv_import_to_the_same_bytes(
    paris: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_import(capsys, JSON, "--title", "Consultation 2024")[0] == 0
    from_json = TARGET.read_bytes()
    TARGET.unlink()
    assert run_import(capsys, CSV, "--title", "Consultation 2024")[0] == 0
    assert TARGET.read_bytes() == from_json
    assert from_json.startswith(
        b"# yaml-language-server: $schema=../../../../schemas/contributions.schema.json\n"
        b"id: consultation\ntitle: Consultation 2024\nchannel: online-platform\n"
    )


def test_the_file_validates_with_strict(paris: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_import(capsys, CSV)
    assert code == 0, err
    assert out.startswith(f"wrote {TARGET}: 8 proposals read, 7 items added")
    assert validate_paths([TARGET], strict=True).problems == []


def test_states_answers_and_authors(paris: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_import(capsys, JSON)
    assert code == 0
    got = items()
    assert list(got) == [  # oldest first; the withdrawn 1224 left out
        f"PAR-PROP-2024-03-{n}" for n in (1207, 1212, 1215, 1220, 1231, 1236, 1240)
    ]
    first = got["PAR-PROP-2024-03-1207"]
    assert first["date"] == "2024-03-04"
    assert first["author"] == "Camille Durand"
    assert first["response"] == {
        "status": "accepted",
        "reason": {
            "fr": "Proposition retenue\u00a0: elle rejoint l'engagement budget ouvert.",
            "es": "Propuesta aceptada: se suma al compromiso presupuesto abierto.",
        },
        "date": "2024-04-15",
    }
    assert got["PAR-PROP-2024-03-1212"]["response"]["status"] == "not-accepted"
    assert got["PAR-PROP-2024-03-1212"]["response"]["reason"].keys() == {"fr"}
    for unanswered in ("1215", "1220", "1231", "1240"):
        assert "response" not in got[f"PAR-PROP-2024-03-{unanswered}"]
    assert got["PAR-PROP-2024-03-1215"]["language"] == "es"
    assert "author" not in got["PAR-PROP-2024-03-1231"]  # anonymous
    official = got["PAR-PROP-2024-03-1236"]
    assert (official["author"], official["sector"], official["language"]) == (
        "Ville de Paris",
        "government",
        "fr",
    )
    assert "Open public procurement" not in TARGET.read_text()  # machine translations
    assert got["PAR-PROP-2024-03-1220"]["text"].startswith("+ de bancs")  # CSV's `'` undone
    assert "withdrawn by their authors, left out" in out and "PAR-PROP-2024-03-1224" in out
    assert "PAR-PROP-2024-03-1236: the body is also in es" in out
    assert "PAR-PROP-2024-03-1240: accepted without an answer" in out


def test_keep_withdrawn(paris: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_import(capsys, CSV, "--keep-withdrawn")[0] == 0
    assert "response" not in items()["PAR-PROP-2024-03-1224"]


def test_html_never_survives_into_the_text(paris: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_import(capsys, JSON)[0] == 0
    text = TARGET.read_text(encoding="utf-8")
    assert not re.search(r"</?(?:p|div|strong|em|ul|li|a|br|script)\b", text)
    assert "&eacute;" not in text and "&nbsp;" not in text and "alert" not in text
    got = items()
    assert got["PAR-PROP-2024-03-1212"]["text"] == (
        "Un registre des lobbys municipal\n\nNous demandons\u00a0:\n\n"
        "- un registre public des rendez-vous\u00a0;\n- les agendas des élu·es.\n\n"
        "Voir la HATVP (https://www.hatvp.fr/)."
    )
    # Entities that stand for < and > are text, and stay text.
    assert "<pour consulter>" in got["PAR-PROP-2024-03-1231"]["text"]


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a</p><p>b</p>", "a\n\nb"),
        ("a<br/>b", "a\nb"),
        ("<p>x &amp; y &lt;b&gt;</p>", "x & y <b>"),
        ("<style>p{}</style><p>ok</p>", "ok"),
        ("<p>  many \n spaces  </p>", "many spaces"),
        ("plain\r\n\r\n\r\n\r\npara", "plain\n\npara"),
        ("<p>ctrl\x07</p>", "ctrl"),
        ('<a href="javascript:x()">lien</a>', "lien"),
    ],
)
def test_plain_text(html: str, text: str) -> None:
    assert plain_text(html) == text


def test_reimport_keeps_responses_written_by_hand(
    paris: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_import(capsys, JSON)[0] == 0
    first = TARGET.read_bytes()
    assert run_import(capsys, CSV)[0] == 0
    assert TARGET.read_bytes() == first  # a re-import of the same proposals changes nothing
    edited = (
        TARGET.read_text(encoding="utf-8")
        .replace(
            "        fr: Retenue dans l'engagement marchés ouverts.",
            "        fr: Retenue, avec un calendrier revu par le forum. # à la main",
        )
        .replace("items:\n", "items:\n  # Saisies par l'équipe\n", 1)
    )
    edited += (
        "  - id: courriel-1\n    text: Une contribution reçue par courriel.\n"
        "    response:\n      status: already-covered\n      reason: Déjà prévu.\n"
    )
    edited = edited.replace(
        "      Traducir el presupuesto participativo «al español».\n",
        "      Traducir el presupuesto participativo «al español».\n"
        "    response:\n      status: partially-accepted\n      reason: En partie.\n",
    )
    TARGET.write_text(edited, encoding="utf-8")
    code, out, _err = run_import(capsys, JSON)
    assert code == 0
    assert TARGET.read_text(encoding="utf-8") == edited
    assert "1 responses in the file differ from Decidim's answer and were kept" in out
    assert "1 items are in the file but not in the export, kept: courriel-1" in out
    assert run_import(capsys, JSON, "--overwrite-responses")[0] == 0
    got = items()
    assert got["PAR-PROP-2024-03-1236"]["response"]["reason"]["fr"] == (
        "Retenue dans l'engagement marchés ouverts."
    )
    assert got["PAR-PROP-2024-03-1215"]["response"]["status"] == "partially-accepted"
    assert "# Saisies par l'équipe" in TARGET.read_text(encoding="utf-8")


def test_reimport_updates_what_was_received(
    paris: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run_import(capsys, JSON)[0] == 0
    data = json.loads(JSON.read_text(encoding="utf-8"))
    data[0]["body"]["fr"] = "<p>Corrigée.</p>"
    export = tmp_path / "later.json"
    export.write_text(json.dumps(data), encoding="utf-8")
    code, out, _err = run_import(capsys, export)
    assert code == 0
    assert "updated from the export: PAR-PROP-2024-03-1207 (text)" in out
    assert items()["PAR-PROP-2024-03-1207"]["text"].endswith("\n\nCorrigée.")


def _refused(paris: Path, capsys: pytest.CaptureFixture[str], export: Path) -> str:
    code, out, err = run_import(capsys, export)
    assert code == 1, err
    assert out == ""
    assert not TARGET.parent.exists()
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", b'[\n  {"id": 1,\n  "body": }\n]', "bad.json:3:11: not JSON: Expecting value"),
        ("map.json", b'{"id": 1}', "map.json: a list of proposals was expected, not a mapping"),
        ("noid.json", b'[{"body": {"fr": "x"}, "state": ""}]', "noid.json: proposal 1: `id` is"),
        ("nobody.json", b'[{"id": 3, "state": ""}]', "proposal 1: the proposal has no body"),
        ("cols.csv", b"id;title/fr;state\n1;t;\n", "cols.csv:1: no `body` column"),
        ("short.csv", b"id;body/fr;state\n1;b;;x\n", "short.csv:2: 4 fields where the header"),
        ("latin1.csv", "id;body/fr;state\n1;é;\n".encode("latin-1"), "latin1.csv:2:3: not UTF-8"),
        (
            "date.json",
            b'[{"id": 3, "body": {"fr": "x"}, "state": "", "published_at": "soon"}]',
            "`published_at` is `soon`, not a date and time",
        ),
    ],
)
def test_a_malformed_export_is_told_and_nothing_is_written(
    paris: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    name: str,
    content: bytes,
    message: str,
) -> None:
    export = tmp_path / name
    export.write_bytes(content)
    assert message in _refused(paris, capsys, export)


def test_every_problem_is_told(
    paris: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    export = tmp_path / "two.csv"
    export.write_text("id;body/fr;state\nx;a;\n2;;\n", encoding="utf-8")
    err = _refused(paris, capsys, export)
    assert "2 problems" in err
    assert "two.csv:2: `id` is `x`, not a Decidim id" in err
    assert "two.csv:3: the proposal has no body in any locale" in err


def test_a_file_that_does_not_validate_is_not_left(
    paris: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    export = tmp_path / "long.json"
    body = {"fr": "<p>" + "mot " * 6000 + "</p>"}
    export.write_text(json.dumps([{"id": 9, "body": body, "state": ""}]), encoding="utf-8")
    code, _out, err = run_import(capsys, export)
    assert code == 1
    assert "schema-too-long" in err and "was not written" in err
    assert not TARGET.exists()
    assert run_import(capsys, JSON)[0] == 0
    before = TARGET.read_bytes()
    assert run_import(capsys, export)[0] == 1
    assert TARGET.read_bytes() == before  # left as it was


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--id", "../escape"], "--id `../escape` is not a slug"),
        (["--id", "Consultation"], "--id `Consultation` is not a slug"),
        (["--into", "../../etc"], "name the plan as MEMBER/CYCLE"),
        (["--into", "paris/../../x"], "name the plan as MEMBER/CYCLE"),
        (["--into", "paris/2030-2031"], "no such plan"),
        (["--into", "lyon/2024-2025"], "no such plan"),
        (["--title", "deux\nlignes"], "--title must be one line"),
        (["--title", " "], "--title must be one line"),
    ],
)
def test_bad_arguments_exit_2_and_write_nothing(
    paris: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    line = ["import", "decidim", str(JSON), "--into", PLAN, "--id", "consultation"]
    line += ["--title", "Consultation"]
    for i in range(0, len(args), 2):
        line[line.index(args[i]) + 1] = args[i + 1]
    code, _out, err = run_main(line, capsys)
    assert code == 2
    assert message in err
    assert not TARGET.parent.exists()


def test_a_missing_export_exits_2(paris: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_import(capsys, paris / "nowhere.json")
    assert code == 2 and "no such file" in err


def test_refuses_to_write_outside_plans(
    paris: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, TARGET.parent)
    code, _out, err = run_import(capsys, JSON)
    assert code == 2
    assert "leads out of the plans folder" in err
    assert list(outside.iterdir()) == []


def test_a_broken_existing_file_is_left_alone(
    paris: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    TARGET.parent.mkdir()
    TARGET.write_text("id: consultation\nitems: &a [1]\n", encoding="utf-8")
    code, _out, err = run_import(capsys, JSON)
    assert code == 2 and "fix it first" in err
    assert TARGET.read_text(encoding="utf-8") == "id: consultation\nitems: &a [1]\n"
