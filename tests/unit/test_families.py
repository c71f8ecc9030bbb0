"""`actionplan.pipeline.families`: what a document reruns on besides its files."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from actionplan.pipeline.families import FAMILIES, _pagefind_version
from actionplan.pipeline.tasks import Build
from builds import copy_repository


def test_the_indexers_version_is_the_installed_one() -> None:
    assert _pagefind_version() == importlib.metadata.version("pagefind_bin")


def test_the_index_reruns_on_another_pagefind(tmp_path: Path) -> None:
    """Upgrading Pagefind (through uv.lock) changes the index task's settings, so doit
    reindexes though no page changed."""
    build = Build.at(copy_repository(tmp_path / "repo"))
    (task,) = [t for t in build.family("search") if t["name"] == "network"]
    config = task["uptodate"][0].config
    assert config["pagefind"] == _pagefind_version() != ""
    assert set(config) == {*build.config, "pagefind"}
    assert "search" in FAMILIES
