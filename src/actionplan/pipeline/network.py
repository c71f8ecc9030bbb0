"""The site's outputs made of more than one plan, beside the table of families (which is per
plan): the Atom feeds (`doit feeds`: one task per plan, one for the network) and the open data
(`doit opendata`), written under build/site/.

A plan's feed depends on its own files only; the network's feed and the open data on every
plan's, so a change to one member rebuilds its feed, the network feed and the data, and
nothing else. Each waits for the validation of the plans it reads and is never written from
an invalid plan. In a sharded build (`ACTIONPLAN_SHARD`), which lists only some members, the
network's outputs are left to the unsharded build that merges the shards: written from a
shard they would lack the others' plans.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actionplan.fsutil import write_atomic
from actionplan.pipeline.actions import merged, reported
from actionplan.pipeline.deps import PACKAGE_DIR
from actionplan.pipeline.project import PlanTarget, Settings

if TYPE_CHECKING:
    from actionplan.pipeline.tasks import Build

Task = dict[str, Any]
SITE = "site"
FEEDS = "feeds"
DATA = "data"
DATA_FILES = tuple(
    f"{table}{suffix}"
    for table in ("commitments", "milestones")
    for suffix in (".csv", ".json", ".schema.json", ".csv-metadata.json")
)
"""What `actionplan.render.opendata.files` writes, named at task creation without importing
it (it imports the models)."""
_FEED_CODE = ("render/feeds.py", "merge.py", "status.py", "render/labels.py", "render/markdown.py")
_DATA_CODE = ("render/opendata.py", "merge.py", "status.py", "render/markdown.py")


def feed_path(settings: Settings, plan: PlanTarget | None) -> Path:
    """`build/site/feeds/<member>-<cycle>.atom`, or `network.atom` for `None`."""
    name = "network" if plan is None else plan.name.replace("/", "-", 1)
    return settings.build_dir / SITE / FEEDS / f"{name}.atom"


def _code(settings: Settings, modules: Sequence[str], labels: bool) -> list[Path]:
    files = settings.schema_files() + [PACKAGE_DIR / name for name in modules]
    return files + settings.label_files() if labels else files


def _sharded(build: Build) -> bool:
    return getattr(build, "shard", None) is not None


def feeds(build: Build) -> Iterator[Task]:
    """The `feeds` tasks, or one failing with why the plans cannot be listed."""
    return build._listed(lambda: _feed_tasks(build))


def opendata(build: Build) -> Iterator[Task]:
    """The `opendata` task, or one failing with why the plans cannot be listed."""
    return build._listed(lambda: _data_tasks(build))


def _feed_tasks(build: Build) -> Iterator[Task]:
    """One task per plan writing its feed, and one writing the network's."""
    settings = build.settings
    code = _code(settings, _FEED_CODE, labels=True)
    for plan in build.plans:
        action = (plan_feed_action, [plan, settings])
        task = build._task(plan.name, action, plan.inputs() + code, [feed_path(settings, plan)])
        yield task | {"task_dep": [f"validate:{plan.name}"]}
    if not _sharded(build):
        inputs = [path for plan in build.plans for path in plan.inputs()] + code
        whole = (network_feed_action, [build.plans, settings])
        task = build._task("network", whole, inputs, [feed_path(settings, None)])
        yield task | {"task_dep": [f"validate:{plan.name}" for plan in build.plans]}


def _data_tasks(build: Build) -> Iterator[Task]:
    """One task writing data/ from every plan (none in a sharded build)."""
    if _sharded(build):
        return
    settings = build.settings
    inputs = [path for plan in build.plans for path in plan.inputs()]
    inputs += _code(settings, _DATA_CODE, labels=False)
    targets = [settings.build_dir / SITE / DATA / name for name in DATA_FILES]
    task = build._task("network", (data_action, [build.plans, settings]), inputs, targets)
    yield task | {"task_dep": [f"validate:{plan.name}" for plan in build.plans]}


@reported
def plan_feed_action(target: PlanTarget, settings: Settings) -> None:
    """doit action: the plan's Atom feed."""
    from actionplan.render.feeds import plan_feed

    write_atomic(feed_path(settings, target), plan_feed(merged(target), settings.templates))


@reported
def network_feed_action(targets: Sequence[PlanTarget], settings: Settings) -> None:
    """doit action: the network's Atom feed, every plan's entries."""
    from actionplan.clock import build_date
    from actionplan.render.feeds import network_feed

    plans = [merged(target) for target in targets]
    feed = network_feed(plans, settings.templates, build_date())
    write_atomic(feed_path(settings, None), feed)


@reported
def data_action(targets: Sequence[PlanTarget], settings: Settings) -> None:
    """doit action: data/, every plan's commitments and milestones with their documentation;
    every plan is read before the first file is written."""
    from actionplan.render.opendata import files

    written = files([merged(target) for target in targets])
    for name, data in written.items():
        write_atomic(settings.build_dir / SITE / DATA / name, data)
