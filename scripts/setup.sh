#!/usr/bin/env bash
# Set up this project on Debian 12, as root: system packages, the Python package with its test
# tools, and axe-core for the accessibility tests. Safe to re-run: what is there is kept.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '==> %s\n' "$*"; }

# WeasyPrint's Pango and HarfBuzz, fonts for Latin, Greek and Arabic scripts, pdftotext, and a
# headless browser for the tests of the HTML outputs.
packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-noto-core fonts-dejavu-core
  poppler-utils chromium
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
# A bare Debian image may lack Python's pip, and npm when there is a package.json to install.
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
if [[ -f package.json ]] && ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: these Debian packages are missing: ${missing[*]}" >&2
    echo "setup: run this script as root to install them" >&2
    exit 1
  fi
  step "apt-get update"
  apt-get update -qq
  step "apt-get install ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  step "Debian packages already installed"
fi

step "pip install -e '.[test]'"
pip_args=(--quiet --disable-pip-version-check)
if [[ $(id -u) -eq 0 ]]; then
  pip_args+=(--root-user-action=ignore)
fi
# Debian's own Python refuses system-wide installs (PEP 668) unless told otherwise.
if python3 -c 'import sys, sysconfig, pathlib; sys.exit(not pathlib.Path(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED").exists())'; then
  pip_args+=(--break-system-packages)
fi
python3 -m pip install "${pip_args[@]}" -e '.[test]'

if [[ -f package.json ]]; then
  if [[ -f package-lock.json ]]; then
    step "npm ci (axe-core)"
    npm ci --no-audit --no-fund --loglevel=error
  else
    step "npm install (axe-core)"
    npm install --no-audit --no-fund --loglevel=error
  fi
fi

step "set-up done"
