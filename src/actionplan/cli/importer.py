"""`actionplan import decidim`: a Decidim proposals export into a contributions file (see
`importing.py`, which does the work, and `decidim.py`, which reads the export)."""

from __future__ import annotations

import argparse

from actionplan.cli.common import add_root, options_from

HELP = "bring a consultation's input from another platform into the plan"
DESCRIPTION = "Write a plan's contributions file from another platform's export."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The one source of `import`, `decidim`, and its arguments."""
    sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
    decidim = sources.add_parser(
        "decidim",
        help="a Decidim proposals export (JSON or CSV) into contributions/ID.yaml",
        description="Write plans/MEMBER/CYCLE/contributions/ID.yaml from a Decidim proposals "
        "export, JSON or CSV as Decidim writes them: one item per proposal, the official "
        "answer of accepted and rejected ones as their response. Run it again on a newer "
        "export to merge: responses already in the file are kept.",
    )
    decidim.add_argument("export", metavar="EXPORT", help="the export file (.json or .csv)")
    decidim.add_argument(
        "--into", required=True, metavar="MEMBER/CYCLE", help="the plan, e.g. paris/2024-2026"
    )
    decidim.add_argument(
        "--id", required=True, metavar="ID", help="the consultation's id, a slug: the file name"
    )
    decidim.add_argument(
        "--title", help="the consultation's title in the primary language (default: ID)"
    )
    decidim.add_argument(
        "--overwrite-responses",
        action="store_true",
        help="replace responses in the file with Decidim's answers (kept by default)",
    )
    decidim.add_argument(
        "--keep-withdrawn",
        action="store_true",
        help="import proposals their authors withdrew too (left out by default)",
    )
    add_root(decidim)
    decidim.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from actionplan.importing import ImportDecidim, import_decidim

    return import_decidim(options_from(ImportDecidim, args))
