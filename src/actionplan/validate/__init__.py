"""Validate stage: schema per file, then rules across the files of each plan."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from actionplan.clock import build_date
from actionplan.problems import Problem, Problems, Severity
from actionplan.validate.files import PlanFiles, discover, repository_root

# The checks load the models, the schemas and the YAML parser: imported where a plan is checked,
# so that a run whose plans all come from the cache starts with the standard library alone.
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (cli/parser.py)
if TYPE_CHECKING:
    from actionplan.validate.cache import Cache
    from actionplan.validate.plan import LoadedPlan, PlanSource


class Result:
    """A plain class, not a dataclass, as in problems.py: a run from the cache loads neither."""

    def __init__(self, problems: list[Problem], plans: list[LoadedPlan], cached: int = 0) -> None:
        self.problems = problems
        self.plans = plans
        self.cached = cached  # plans whose problems came from the cache (not loaded nor in plans)

    @property
    def checked(self) -> int:
        return len(self.plans) + self.cached

    def failed(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)


def validate_plan(
    files: PlanFiles, today: dt.date | None = None, source: PlanSource | None = None
) -> tuple[LoadedPlan, list[Problem]]:
    """Load one plan (from its folders, or from `source`), check every file against its
    schema, then the rules across files."""
    from actionplan.validate.limits import check_limits
    from actionplan.validate.plan import load_plan
    from actionplan.validate.prose import check_prose
    from actionplan.validate.rules import check_plan
    from actionplan.validate.translations import check_languages

    plan, problems = load_plan(files, source)
    problems += check_plan(plan, today or build_date())
    problems += check_languages(plan)
    problems += check_prose(plan)
    problems += check_limits(plan)
    if files.only:
        shown = {p.display for p in plan.sources() if p.path in files.only}
        shown |= {str(p) for p in files.only}
        problems = [p for p in problems if p.file in shown]
    return plan, problems


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, restoring its state afterwards.

    Loading builds hundreds of thousands of small objects (data, paths, positions) that all stay
    alive until the end of the run and hold no reference cycles; every collection would walk
    them all again, which took a third of the time of validating a thousand-file repository.
    Reference counting still frees whatever is dropped; cyclic garbage waits for the next full
    collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Everything allocated meanwhile is still in the youngest generation, which the next
        # collection would walk in full; move it to the oldest, walked only now and then
        # (unless the caller keeps objects frozen itself: those stay as they are).
        if not gc.get_freeze_count():
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def validate_paths(
    paths: Iterable[Path],
    *,
    strict: bool = False,
    today: dt.date | None = None,
    cache: Cache | None = None,
) -> Result:
    """Validate every plan under the given paths; problems come sorted, errors first. With a
    `cache`, a plan whose files are as in a former run (on its date) is not checked again."""
    paths = list(paths)
    collected = Problems()
    plans: list[LoadedPlan] = []
    seen: set[tuple[str, str | None]] = set()
    with _gc_paused():
        for path in paths:
            for files in discover(path):
                key = files.identity()
                if key in seen and not files.only:
                    collected.extend(files.problems)  # what stands beside it, maybe told once
                    continue
                seen.add(key)
                if cache is not None:
                    loaded, problems = cache.run(files, validate_plan)
                else:
                    loaded, problems = validate_plan(files, today)
                plans.extend([loaded] if loaded is not None else [])
                collected.extend(problems)
    roots = {root.resolve(): root for p in paths if (root := repository_root(p)) is not None}
    for root in roots.values():  # the repository's own label catalogues, once
        collected.extend(cache.catalogues(root) if cache else _catalogues(root))
    items = collected.sorted()
    if strict:
        items = sorted((p.replace(severity=Severity.ERROR) for p in items), key=Problem.sort_key)
    return Result(items, plans, cache.hits if cache else 0)


def _catalogues(root: Path) -> list[Problem]:
    from actionplan.validate.catalogues import check_catalogues

    return check_catalogues(root)
