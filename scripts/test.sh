#!/usr/bin/env bash
# The one test command: installs the pinned tools, then runs every test,
# including those that drive actionlint, zizmor, maturin, build and twine.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-tools.sh
export PYREL_TOOLS="$PWD/.tools/venv/bin"

cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
# The library's docs build without a warning (broken links, bad code blocks).
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --quiet
cargo test --locked -- --include-ignored --skip _agree_with_
# The backend oracle prints the table of what it covered.
cargo test --locked --test oracle -- --include-ignored --nocapture
# The crate as crates.io would receive it: the `include` list is complete
# and the packaged sources build (verified, not just listed). --allow-dirty
# only so that it runs in a working tree with uncommitted changes. Its own
# target dir: the packaged copy is the same crate, and building it into
# target/ would leave a stale target/debug/pyrel that cargo considers fresh.
cargo package --locked --allow-dirty --quiet --target-dir target/cargo-package
