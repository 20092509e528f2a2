#!/usr/bin/env bash
# Install the pinned validators and build tools (scripts/tools-requirements.txt)
# into .tools/venv. Idempotent: does nothing when the venv already matches.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.tools/venv
req=scripts/tools-requirements.txt
stamp="$venv/.requirements"

# zsh and fish, to check that the generated completions load (tests/shell.rs).
# Debian packages; installed only when missing, so this is a no-op after once.
if ! command -v zsh >/dev/null || ! command -v fish >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "setup-tools: installing zsh and fish (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends zsh fish >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends zsh fish >/dev/null; }
  else
    echo "setup-tools: zsh/fish missing and apt-get unavailable (or not root): install them; tests/shell.rs needs them" >&2
  fi
fi

if [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
  exit 0
fi
echo "setup-tools: installing $(grep -cvE '^\s*(#|$)' "$req") pinned tools into $venv" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
cp "$req" "$stamp"
