#!/usr/bin/env bash
# The one test command: installs the pinned tools, then runs every test,
# including those that drive actionlint, zizmor, maturin, build and twine.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-tools.sh
export PYREL_TOOLS="$PWD/.tools/venv/bin"

cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked -- --include-ignored --skip _agree_with_
# The backend oracle prints the table of what it covered.
cargo test --locked --test oracle -- --include-ignored --nocapture
