"""The statuses of the example plans' milestones, worked out by hand from their YAML.

Every number here was found by reading the progress logs and milestone dates, never by calling
actionplan.status: `test_status.py` checks the computed statuses against these tables, and the
progress report's tests check that the report shows them.
"""

from __future__ import annotations

import datetime as dt

from helpers import ROOT

SCOTLAND = ROOT / "plans" / "scotland" / "2023-2025"
PARIS_1 = ROOT / "plans" / "paris" / "2021-2023"
PARIS_2 = ROOT / "plans" / "paris" / "2024-2026"
NEW_YEAR = dt.date(2026, 1, 1)

# Per commitment: (complete, counted, abandoned, percent); per milestone: (status, flags), the
# flags written l(ate), s(talled), o (no update for more than four months), "" for none.
Expected = dict[str, tuple[tuple[int, int, int, int | None], dict[str, tuple[str, str]]]]

SCOTLAND_2026: Expected = {
    "climate-assembly-response": (
        (3, 3, 0, 100),
        {
            "recommendations-tracker": ("complete", ""),
            "progress-report": ("complete", ""),
            "reconvened-assembly": ("complete", ""),
        },
    ),
    "fiscal-transparency": (
        (3, 4, 0, 75),
        {
            "linked-budget-data": ("complete", ""),
            "budget-explorer": ("complete", ""),
            # in progress since 2025-06-30, due 2025-06-30: late, and silent since September
            "spend-standard": ("in-progress", "lo"),
            "plain-language-guide": ("complete", ""),
        },
    ),
    "participation-framework": (
        (4, 4, 0, 100),
        {
            "framework-published": ("complete", ""),
            "lived-experience-payment": ("complete", ""),
            "policy-team-training": ("complete", ""),
            "compliance-report": ("complete", ""),
        },
    ),
    "land-ownership-transparency": (
        (2, 3, 0, 67),
        {
            "map-search": ("complete", ""),
            # stalled again on 2025-12-15 (recent), due 2025-09-30
            "bulk-data": ("stalled", "ls"),
            "community-guidance": ("complete", ""),
        },
    ),
}

# Scotland as it stood on 2024-10-01: the logs cut at that date.
SCOTLAND_AUTUMN_2024: Expected = {
    "climate-assembly-response": (
        (2, 3, 0, 67),
        {
            "recommendations-tracker": ("complete", ""),
            "progress-report": ("complete", ""),
            "reconvened-assembly": ("in-progress", ""),  # updated 2024-08-19, due 2024-12-20
        },
    ),
    "fiscal-transparency": (
        (2, 4, 0, 50),
        {
            "linked-budget-data": ("complete", ""),
            "budget-explorer": ("complete", ""),
            "spend-standard": ("in-progress", ""),  # updated 2024-06-10, limit 2024-06-01
            "plain-language-guide": ("not-started", "o"),  # started 2023-09-01, never reported
        },
    ),
    "participation-framework": (
        (2, 4, 0, 50),
        {
            "framework-published": ("complete", ""),
            "lived-experience-payment": ("complete", ""),
            "policy-team-training": ("not-started", "o"),  # started 2024-01-08, no entry yet
            "compliance-report": ("not-started", ""),  # reported 2024-09-02
        },
    ),
    "land-ownership-transparency": (
        (1, 3, 0, 33),
        {
            "map-search": ("complete", ""),  # complete on 2024-09-23
            "bulk-data": ("not-started", "o"),  # last said 2024-01-15
            "community-guidance": ("not-started", ""),  # started 2024-06-03, after the limit
        },
    ),
}

PARIS_2021_2023: Expected = {
    "budget-participatif": (
        (2, 3, 0, 67),
        {
            "referentiel-unique": ("complete", ""),
            "tableau-de-bord": ("complete", ""),
            "explication-retards": ("in-progress", "lo"),
        },
    ),
    "logement-social-transparent": (
        (2, 3, 0, 67),
        {
            "bilan-arrondissements": ("complete", ""),
            "donnees-anonymisees": ("complete", ""),
            "simulateur-cotation": ("stalled", "lso"),
        },
    ),
    "agendas-elus": (
        (1, 1, 2, 100),  # two of three abandoned: left out of the count
        {
            "charte-publication": ("complete", ""),
            "plateforme-agendas": ("abandoned", ""),
            "bilan-annuel": ("abandoned", ""),
        },
    ),
}

PARIS_2024_2026: Expected = {
    "assemblee-citoyenne": ((3, 3, 0, 100), {}),
    "budget-participatif": ((3, 3, 0, 100), {}),
    "logement-social-transparent": (
        (2, 3, 0, 67),
        {
            "simulateur-cotation": ("complete", ""),
            "donnees-anonymisees": ("complete", ""),
            "observateurs-commissions": ("in-progress", "l"),  # due 2025-12-31
        },
    ),
    "commande-publique-ouverte": (
        (2, 2, 1, 100),
        {
            "export-ocds": ("complete", ""),
            "indicateurs-alerte": ("complete", ""),
            "beneficiaires-effectifs": ("abandoned", ""),
        },
    ),
    "donnees-climat": (  # no progress log at all
        (0, 3, 0, 0),
        {
            "indicateurs-plan-climat": ("not-started", "lo"),
            "ilots-fraicheur": ("not-started", "lo"),
            "budget-vert": ("not-started", "o"),  # due 2026-02-28, started 2024-12-01
        },
    ),
}

FLAG_LETTERS = {"l": "late", "s": "stalled", "o": "stale"}
