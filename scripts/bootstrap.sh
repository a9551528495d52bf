#!/usr/bin/env bash
# Create the virtual environment and install the locked dependency set.
# constraints.txt pins every package, transitive ones included, so a fresh
# machine resolves exactly the set that was tested (and `pip check` is clean).
set -euo pipefail
venv="${1:-.venv}"
cd "$(dirname "$0")/.."
python="$(scripts/find-python.sh)"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pip==24.3.1"
PIP_CONSTRAINT=constraints.txt "$venv/bin/python" -m pip install --quiet \
  --disable-pip-version-check -c constraints.txt -e ".[dev]"
"$venv/bin/python" -m pip check
