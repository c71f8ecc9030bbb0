"""The pull-request comment script, for the plan-diff workflow:

    python -m actionplan.diff.pr --base origin/main [--out build/plan-diff] > comment.md

Only an entry point: its line is read in `cli/pr.py`, the comment is made in `comment.py`.
"""

from __future__ import annotations

import os

if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    from actionplan.cli.pr import main

    raise SystemExit(main())
