"""The repository's own promises: the README's two commands, CI, pre-commit and the workflows."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from actionplan import schemagen
from actionplan.cli.parser import build_parser

REPO = Path(__file__).resolve().parents[2]
SETUP_COMMAND = "bash scripts/setup.sh && .venv/bin/doit"
TEST_COMMAND = ".venv/bin/python -m pytest"
APT_PACKAGES = [
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "fonts-noto-core",
    "fonts-dejavu-core",
    "poppler-utils",
    "chromium",
    "libatomic1",
]


def load_yaml(relative: str) -> Any:
    """YAML 1.2, as GitHub and pre-commit read it (`on:` is a key, not `true`)."""
    return YAML(typ="safe").load((REPO / relative).read_text(encoding="utf-8"))


def code_blocks(markdown: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in markdown.splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
            else:
                blocks.append(current)
                current = None
        elif current is not None:
            current.append(line)
    return blocks


def readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_first_block_holds_exactly_the_two_commands() -> None:
    first = code_blocks(readme())[0]
    assert [line for line in first if line.strip()] == [SETUP_COMMAND, TEST_COMMAND]
    assert first == [SETUP_COMMAND, TEST_COMMAND], "nothing else in the block, not even blanks"


def test_readme_first_block_comes_after_one_paragraph() -> None:
    before = readme().split("```", 1)[0]
    paragraphs = [p for p in re.split(r"\n\s*\n", before) if p.strip()]
    assert len(paragraphs) == 2 and paragraphs[0].startswith("# "), paragraphs


def test_readme_names_only_real_commands() -> None:
    actions = build_parser()._actions
    choices = {c for a in actions if isinstance(a, argparse._SubParsersAction) for c in a.choices}
    named = set(re.findall(r"\bactionplan (?!-)([a-z]+)\b", readme()))
    named -= {"keeps"}  # prose: "`actionplan` keeps OGP Local action plans as data"
    assert named and named <= choices, named - choices


def test_ci_run_runs_the_readme_commands() -> None:
    path = REPO / ".ci" / "run"
    assert os.access(path, os.X_OK)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    lines = [line.strip() for line in text.splitlines()]
    assert "bash scripts/setup.sh" in lines
    assert TEST_COMMAND in lines, "the README's test command, verbatim, as a command of its own"
    assert lines.index("bash scripts/setup.sh") < lines.index(TEST_COMMAND)
    assert lines[-1] == TEST_COMMAND, "pytest's exit status (5 for no tests too) is the script's"


@pytest.mark.parametrize("script", ["scripts/setup.sh", ".ci/run"])
def test_shell_scripts_parse(script: str) -> None:
    done = subprocess.run(["bash", "-n", str(REPO / script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_setup_script_installs_what_the_build_needs() -> None:
    text = (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "set -euo pipefail" in text and "DEBIAN_FRONTEND=noninteractive" in text
    for package in APT_PACKAGES:
        assert re.search(rf"(?<![\w.-]){re.escape(package)}(?![\w.-])", text), package
    assert "--no-install-recommends" in text
    # Everything Python comes from the lock into .venv; nothing touches the system's Python.
    assert "uv sync --locked --extra test" in text
    assert "--require-hashes" in text
    assert "--break-system-packages" not in text and "pip install -e" not in text
    # Node.js comes from a locked wheel, and npm installs only what a lock file pins by hash:
    # neither Debian's Node.js nor its npm (hundreds of packages) is installed.
    apt = text[text.index("packages=(") : text.index(")", text.index("packages=("))]
    assert "npm" not in apt and "nodejs" not in apt
    assert "ci --ignore-scripts" in text and "NODE_OPTIONS=--use-system-ca" in text
    assert (REPO / "tests" / "node" / "package-lock.json").is_file()


def test_pre_commit_hook() -> None:
    hooks = load_yaml(".pre-commit-hooks.yaml")
    hook = next(h for h in hooks if h["id"] == "actionplan-validate")
    assert hook["entry"] == "actionplan validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert files.search("plans/paris/2024-2026/commitments/budget.yaml")
    assert files.search("plans/paris/member.yml")
    assert not files.search("README.md") and not files.search("schemas/member.schema.json")


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_validate_workflow() -> None:
    workflow = load_yaml(".github/workflows/validate.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    steps = _steps(workflow)
    python = next(s for s in steps if str(s.get("uses", "")).startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"
    runs = [str(s.get("run", "")) for s in steps]
    assert any("uv sync --locked" in r and "--require-hashes" in r for r in runs)
    assert any(r.strip() == "actionplan validate --format github" for r in runs)


def test_ci_workflow_runs_ci_run() -> None:
    workflow = load_yaml(".github/workflows/ci.yml")
    assert {"push", "pull_request"} <= set(workflow["on"])
    assert any(str(s.get("run", "")).strip() == "bash .ci/run" for s in _steps(workflow))


def test_pages_workflow_deploys_only_a_good_build() -> None:
    workflow = load_yaml(".github/workflows/pages.yml")
    assert set(workflow["on"]["push"]) == {"branches"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [str(s.get("run", "")).strip() for s in build["steps"]]
    assert SETUP_COMMAND in runs
    uses = [str(s.get("uses", "")) for s in build["steps"]]
    upload = build["steps"][uses.index(next(u for u in uses if "upload-pages-artifact" in u))]
    assert upload["with"]["path"] == "build/site"
    # The upload comes after the build: a failed step ends the job before it.
    assert uses.index(upload["uses"]) > runs.index(SETUP_COMMAND)
    assert "if" not in upload and "continue-on-error" not in str(build)
    assert deploy["needs"] == "build" and "if" not in deploy
    assert str(deploy["steps"][-1]["uses"]).startswith("actions/deploy-pages@")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


def test_committed_schemas_match_the_models() -> None:
    assert schemagen.drift(REPO / "schemas") == [], "run `actionplan schemas` and commit"


def test_sharded_build_workflow() -> None:
    workflow = load_yaml(".github/workflows/build-sharded.yml")
    jobs = workflow["jobs"]
    shards = jobs["shard"]["strategy"]["matrix"]["shard"]
    assert len(shards) >= 2 and shards == list(range(1, len(shards) + 1))
    epoch = "${{ needs.date.outputs.epoch }}"  # one build date for every job: the same bytes
    assert jobs["shard"]["env"]["SOURCE_DATE_EPOCH"] == jobs["merge"]["env"]["SOURCE_DATE_EPOCH"]
    assert jobs["shard"]["env"]["SOURCE_DATE_EPOCH"] == epoch
    assert jobs["shard"]["container"] == jobs["merge"]["container"] == "debian:12"
    build = next(s for s in jobs["shard"]["steps"] if s.get("env", {}).get("ACTIONPLAN_SHARD"))
    assert build["env"]["ACTIONPLAN_SHARD"] == f"${{{{ matrix.shard }}}}/{len(shards)}"
    assert build["run"].strip() == ".venv/bin/doit"
    uploads = [s for s in jobs["shard"]["steps"] if str(s.get("uses", "")).startswith("actions/up")]
    assert {"build/", "!build/site/"} <= set(uploads[0]["with"]["path"].split())
    assert set(jobs["merge"]["needs"]) == {"date", "shard"}
    merge = jobs["merge"]["steps"]
    downloads = [s["with"] for s in merge if str(s.get("uses", "")).startswith("actions/down")]
    assert {"pattern": "build-shard-*", "path": "build/", "merge-multiple": True} in downloads
    runs = [str(s.get("run", "")).strip() for s in merge]
    assert any("INSERT OR REPLACE INTO doit" in r for r in runs), "the shards' records merged"
    assert runs[-1] == ".venv/bin/doit" or ".venv/bin/doit" in runs
