"""Benchmark: how the action plan is cut into doit tasks, per format against per document.

Run it from the repository root::

    .venv/bin/python benchmarks/cut.py              # the example plans, 3 runs each
    .venv/bin/python benchmarks/cut.py --repeat 5

Today the action plan is three tasks a plan (`html`, `pdf`, `docx`: per format), each loading,
validating and merging the plan and rendering its print HTML again; a monitoring document is
one task writing its three formats (per document). This measures, on the example plans, the
CPU time (this process and the pandoc it starts) of:

  per format    html_action, pdf_action and docx_action, as the three tasks run them;
  per document  one call that validates and merges once, renders the HTML once a language
                and writes the three files from it (the HTML for Word rendered apart, as
                docx_action does).

It prints the median of each and their ratio: what per format costs in a whole build, against
what it buys (a change of print.css or of the reference DOCX rebuilds one format, and
`doit -n 2` runs one plan's PDF and DOCX side by side). CPU time, not wall time, so the figures
hold on a machine busy with other work. It is a measurement: it exits 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EPOCH = "1780000000"  # 2026-05-28, the build date of the tests of the example plans


def cpu_seconds() -> float:
    """CPU time of this process and of the children it waited for (pandoc)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(run: Callable[[], None]) -> tuple[float, float]:
    """CPU and wall seconds of one call."""
    cpu, wall = cpu_seconds(), time.perf_counter()
    run()
    return cpu_seconds() - cpu, time.perf_counter() - wall


def per_format(targets: list, settings: object) -> None:
    from actionplan.pipeline import actions

    for target in targets:
        for action in (actions.html_action, actions.pdf_action, actions.docx_action):
            assert action(target, settings) is None, action.__name__


def per_document(targets: list, settings: object) -> None:
    from actionplan.merge import plan_json
    from actionplan.pipeline import actions
    from actionplan.render.docx import write_docx
    from actionplan.render.html import render_action_plan
    from actionplan.render.pdf import write_pdf

    for target in targets:
        document = actions.action_plan_only(actions.merged(target))
        attachment = ("plan.json", plan_json(document).encode("utf-8"), "plan.json")
        for lang in document.member.languages:
            html = render_action_plan(document, lang, settings.templates, for_print=True)
            (target.out_dir / f"action-plan.{lang}.html").write_text(html, encoding="utf-8")
            name = actions.title(document, lang)
            write_pdf(
                html,
                target.out_dir / f"action-plan.{lang}.pdf",
                title=name,
                lang=lang,
                attachments=[attachment],
                base_dir=settings.root,
            )
            word = render_action_plan(document, lang, settings.templates, for_print=False)
            write_docx(
                word,
                target.out_dir / f"action-plan.{lang}.docx",
                reference_doc=settings.reference_docx,
                title=name,
                lang=lang,
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    from actionplan.pipeline import project

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("plans", "templates", "schemas"):
            shutil.copytree(REPO / name, root / name)
        settings = project.Settings(root)
        targets = list(project.plans(settings))
        for target in targets:
            target.out_dir.mkdir(parents=True, exist_ok=True)
        per_document(targets, settings)  # warm: imports, fonts, caches
        results: dict[str, list[tuple[float, float]]] = {"per format": [], "per document": []}
        for _ in range(args.repeat):
            results["per format"].append(measure(lambda: per_format(targets, settings)))
            results["per document"].append(measure(lambda: per_document(targets, settings)))
    print(f"{len(targets)} plans, {args.repeat} runs each, median CPU (wall) seconds:")
    medians = {}
    for name, runs in results.items():
        cpu = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        medians[name] = cpu
        print(f"  {name:13} {cpu:7.2f} CPU ({wall:.2f} wall)")
    ratio = medians["per format"] / medians["per document"]
    print(f"per format / per document: {ratio:.3f} (the repeated loading and HTML rendering)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
