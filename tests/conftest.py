"""What every test shares: the tools of the environment that runs the tests come first on PATH.

The README runs the suite as `.venv/bin/python -m pytest`, without activating the virtual
environment, so a test that starts `doit`, `ruff`, `uv` or `check-jsonschema` by name must find
the ones installed beside this interpreter, not whatever else the machine has.
"""

from __future__ import annotations

import os
import sysconfig

os.environ["PATH"] = os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")])
