"""The task dicts dodo.py yields: every family of the table, the validation, the diff.

Every task runs through `state.run` (inputs as read, messages not tracebacks) and reruns when
its inputs, its shared dependencies or the build's settings (`config_changed`) change; none
has a target outside build/ (a task whose target would land elsewhere fails and writes
nothing); `doit clean` removes its targets and the temporaries a killed run left. A creator
that cannot list its tasks (plans it cannot read, a template named at run time) yields one
task failing with the reason, where doit would print a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from doit.exceptions import TaskFailed
from doit.tools import config_changed

from actionplan.errors import ActionPlanError
from actionplan.fsutil import shown
from actionplan.layout import links_out
from actionplan.pipeline import diffs, project, state
from actionplan.pipeline.actions import describe, validate_action
from actionplan.pipeline.deps import dependencies
from actionplan.pipeline.families import FAMILIES, Family
from actionplan.pipeline.project import PlanTarget, Settings

Task = dict[str, Any]


@dataclass
class Build:
    """The repository at `root` as doit sees it, its plans listed once per `doit`."""

    settings: Settings
    plans: list[PlanTarget]
    unlisted: list[str]
    """Why the plans cannot be listed (a folder that cannot be read), or nothing."""
    config: dict[str, str] = field(default_factory=dict)

    shard: project.Shard | None = None
    """The shard `ACTIONPLAN_SHARD` selects: only its members' plans are listed."""

    @classmethod
    def at(cls, root: Path) -> Build:
        settings = Settings(root)
        try:
            chosen = project.shard()
            plans = [p for p in project.plans(settings) if chosen is None or chosen.holds(p.member)]
            unlisted: list[str] = []
        except (OSError, ActionPlanError) as error:
            chosen, plans, unlisted = None, [], [describe(error)]
        return cls(settings, plans, unlisted, project.config(settings), chosen)

    @property
    def state_file(self) -> Path:
        return self.settings.root / state.STATE_FILE

    def validate(self) -> Iterator[Task]:
        """One task per plan reporting every problem of its files."""
        return self._listed(self._validate)

    def family(self, name: str) -> Iterator[Task]:
        """The tasks of the family `name` of the table, one per document."""
        return self._listed(lambda: self._documents(FAMILIES[name]))

    def diff(self) -> Task:
        """The `diff` task (not from the table: it reads git, not files)."""
        plans = [(plan.member_dir, plan.cycle_dir) for plan in self.plans]
        return diffs.task(self.settings.root, plans, self.settings.templates)

    def _validate(self) -> Iterator[Task]:
        for link in links_out(self.settings.plans_dir):
            message = (
                f"{shown(link)}: error [symlink-outside] a symbolic link to a folder outside "
                "the plans folder, which is not followed; put the folder itself here"
            )
            name = str(link.relative_to(self.settings.plans_dir))
            yield {"name": name, "actions": [(state.refuse, [[message]])], "verbosity": 2}
        schemas = self.settings.schema_files()
        for plan in self.plans:
            task = self._task(plan.name, (validate_action, [plan]), plan.inputs() + schemas, [])
            yield task | {"verbosity": 2, "clean": []}

    def _documents(self, family: Family) -> Iterator[Task]:
        """Each document of each plan; the shared dependencies found once per key."""
        found: dict[str, list[Path]] = {}

        def shared(key: str) -> list[Path]:
            if key not in found:
                found[key] = dependencies(self.settings, key)
            return found[key]

        if family.depends_on is not None:
            shared(family.depends_on)  # even without plans: a broken template is reported
        for plan in self.plans:
            for doc in family.documents(plan):
                key = doc.depends_on or family.depends_on
                deps = doc.inputs + (shared(key) if key else [])
                action = (family.renderer, [plan, self.settings, *doc.args])
                task = self._task(doc.name, action, deps, doc.targets)
                yield task | {"task_dep": [f"validate:{plan.name}"]}
        for doc in family.network(self.plans) if family.network else ():
            if doc.every_plan and self.shard is not None:
                continue
            deps = doc.inputs + (shared(family.depends_on) if family.depends_on else [])
            action = (family.renderer, [self.settings, *doc.args])
            task = self._task(doc.name, action, deps, doc.targets, dict(doc.settings))
            if family.clean is not None:
                task["clean"] = [*task["clean"], family.clean]
            yield task | {"task_dep": [f"validate:{name}" for name in doc.plans]}

    def _listed(self, creator: Callable[[], Iterator[Task]]) -> Iterator[Task]:
        """`creator`'s tasks, or one task that fails with why they cannot be listed."""
        problems, tasks = self.unlisted, []
        if not problems:
            try:
                tasks = list(creator())
            except (ActionPlanError, OSError, ValueError) as error:
                problems = [describe(error)]
        if problems:
            messages = [f"cannot list the tasks: {problem}" for problem in problems]
            tasks = [{"name": "unlisted", "actions": [(state.refuse, [messages])]}]
        yield from tasks

    def _task(
        self,
        name: str,
        action: tuple[Callable[..., TaskFailed | None], list[Any]],
        inputs: Sequence[Path],
        targets: Sequence[Path],
        settings: dict[str, str] | None = None,
    ) -> Task:
        """A task that runs `action` on `inputs` into `targets`, or fails with a message,
        writing nothing, when a target lies outside build/; `settings` join the build's it
        reruns on (doit keeps one `config_changed` value per task)."""
        deps, outputs = [str(p) for p in inputs], [str(p) for p in targets]
        refused = project.outside_build(self.settings, targets)
        run = (state.refuse, [refused]) if refused else (state.run, [*action, deps, outputs])
        return {
            "name": name,
            "actions": [run],
            "file_dep": deps,
            "targets": [] if refused else outputs,
            "uptodate": [
                config_changed(self.config | (settings or {})),
                state.BuiltFrom(tuple(deps)),
            ],
            "clean": [state.clean],
        }
