"""Print one package of uv.lock as a pip requirement pinned by version and hashes.

Set-up uses it to install uv itself before uv can read its own lock:
`python scripts/lock_requirement.py uv > req.txt && pip install --require-hashes -r req.txt`.
With --version-only it prints the locked version alone. Standard library only (Python 3.11+).
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

LOCK = Path(__file__).resolve().parents[1] / "uv.lock"


def locked(name: str, lock: Path = LOCK) -> dict[str, Any]:
    """The lock's entry for a package, by its normalised name."""
    data = tomllib.loads(lock.read_text(encoding="utf-8"))
    wanted = name.lower().replace("_", "-")
    for package in data.get("package", []):
        if package["name"] == wanted:
            return dict(package)
    raise LookupError(f"{lock}: no package {name!r} in the lock")


def requirement(package: dict[str, Any]) -> str:
    """`name==version --hash=...` for every file of the package the lock records."""
    files = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
    hashes = sorted({f["hash"] for f in files})
    if not hashes:
        raise LookupError(f"the lock records no file hashes for {package['name']}")
    pins = " ".join(f"--hash={h}" for h in hashes)
    return f"{package['name']}=={package['version']} {pins}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package")
    parser.add_argument("--version-only", action="store_true")
    args = parser.parse_args(argv)
    try:
        package = locked(args.package)
        print(package["version"] if args.version_only else requirement(package))
    except (OSError, LookupError, tomllib.TOMLDecodeError) as error:
        print(f"lock_requirement: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
