#!/usr/bin/env bash
# Install the pinned validators and build tools (scripts/tools-requirements.txt)
# into .tools/venv. Idempotent: does nothing when the venv already matches.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.tools/venv
req=scripts/tools-requirements.txt
stamp="$venv/.requirements"

if [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
  exit 0
fi
echo "setup-tools: installing $(grep -cvE '^\s*(#|$)' "$req") pinned tools into $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
cp "$req" "$stamp"
