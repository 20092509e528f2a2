# Inside the container (POSIX sh: Alpine has no bash): install the wheel
# built above from $WHEELS, never an index copy, into a fresh venv, and run
# the smoke test outside any source tree.
set -eu
venv="${TMPDIR:-/tmp}/smoke"
python -m venv "$venv"
PATH="$venv/bin:$PATH"
export PATH
python -m pip install --disable-pip-version-check --no-index --no-deps --only-binary=:all: --find-links "$WHEELS" "$PACKAGE"
if [ "$SMOKE_DEPS" = "true" ]; then
  python -m pip install --disable-pip-version-check --find-links "$WHEELS" "$PACKAGE"
fi
cd "${TMPDIR:-/tmp}"
python -c 'import platform; print("Smoke test on", platform.machine(), platform.python_version(), platform.libc_ver())'
if command -v bash >/dev/null 2>&1; then
  exec bash -euo pipefail -c "$SMOKE_TEST"
fi
exec sh -eu -c "$SMOKE_TEST"
