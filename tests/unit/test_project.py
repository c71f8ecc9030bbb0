"""`actionplan.pipeline.project`: what task creation reads of the plans, and how cheaply."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from actionplan.pipeline import project
from helpers import ROOT


@pytest.fixture(autouse=True)
def fresh_memory() -> None:
    """Each test starts with nothing remembered in the process, as a new `doit` does."""
    project._member_codes.clear()


def member(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plans" / "lyon" / "member.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MEMBER = "id: lyon\ncountry: FR\nlanguages: [fr, en, fr]\n"


def test_a_member_names_its_country_and_its_languages_once_each(tmp_path: Path) -> None:
    codes = project.member_codes(member(tmp_path, MEMBER), tmp_path / "build")
    assert codes == ("FR", ["fr", "en"])


def test_codes_that_would_name_files_outside_build_are_not_taken(tmp_path: Path) -> None:
    path = member(tmp_path, "country: ../x\nlanguages: ['../..', en]\n")
    assert project.member_codes(path, tmp_path / "build") == ("", ["en"])


def test_a_file_with_problems_or_none_names_nothing(tmp_path: Path) -> None:
    build = tmp_path / "build"
    assert project.member_codes(member(tmp_path, "languages: [en\n"), build) == ("", [])
    assert project.member_codes(tmp_path / "absent.yaml", build) == ("", [])


def test_an_edit_is_read_again_and_the_cache_in_build_follows(tmp_path: Path) -> None:
    build = tmp_path / "build"
    path = member(tmp_path, MEMBER)
    project.member_codes(path, build)
    path.write_text(MEMBER.replace("[fr, en, fr]", "[en]"), encoding="utf-8")
    assert project.member_codes(path, build) == ("FR", ["en"])
    kept = json.loads((build / project.MEMBER_CODES_CACHE).read_text(encoding="utf-8"))
    assert sorted(kept.values()) == [["FR", ["en"]], ["FR", ["fr", "en"]]]


def test_a_damaged_cache_is_read_as_empty(tmp_path: Path) -> None:
    build = tmp_path / "build"
    (build / "cache").mkdir(parents=True)
    (build / project.MEMBER_CODES_CACHE).write_text('{"x": [1, 2], "y"', encoding="utf-8")
    assert project.member_codes(member(tmp_path, MEMBER), build) == ("FR", ["fr", "en"])


def test_a_build_folder_linked_out_of_the_repository_gets_no_cache(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "cache").mkdir(parents=True)
    build = tmp_path / "build"
    build.mkdir()
    (build / "cache").symlink_to(elsewhere / "cache")
    assert project.member_codes(member(tmp_path, MEMBER), build) == ("FR", ["fr", "en"])
    assert not list((elsewhere / "cache").iterdir())


def test_listing_the_tasks_a_second_time_loads_no_yaml_parser(tmp_path: Path) -> None:
    """The member.yaml files are kept by hash in build/, so a second `doit list` parses none
    and never imports ruamel.yaml: task creation stays fast with many members."""
    build = tmp_path / "build"
    driver = (
        "import sys\n"
        "from pathlib import Path\n"
        "from actionplan.layout import plan_folders\n"
        "from actionplan.pipeline.project import member_codes\n"
        f"build = Path({str(build)!r})\n"
        f"for folder in plan_folders(Path({str(ROOT / 'plans')!r})):\n"
        "    member_codes(folder.member_dir / 'member.yaml', build)\n"
        "print('ruamel.yaml' in sys.modules)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", driver], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]
