#!/usr/bin/env bash
# Benchmark of the commands that run on every commit or release day:
# `generate --check`, `doctor`, `plan` and `bump --dry-run`, each on a copy of the
# example repository, with the release build. They must stay in
# single-digit milliseconds. Not a timed test: run it by hand,
#   bash scripts/bench.sh [RUNS]
# and read the numbers. Uses hyperfine when installed, else a plain loop.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}

cargo build --release --quiet
bin=$PWD/target/release/pyrel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r examples/hello-pyo3 "$work/repo"
mkdir -p "$work/repo/.git"
printf '[remote "origin"]\n\turl = https://github.com/acme/hello-pyo3.git\n' >"$work/repo/.git/config"
(cd "$work/repo" && "$bin" init --yes >/dev/null 2>&1)

commands=(
  "generate --check"
  "doctor"
  "plan"
)
if "$bin" bump --help >/dev/null 2>&1; then
  commands+=("bump patch --dry-run")
fi

cd "$work/repo"
for c in "${commands[@]}"; do
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 10 --runs "$runs" -N --ignore-failure "$bin $c"
  else
    start=$(date +%s%N)
    for _ in $(seq "$runs"); do "$bin" $c >/dev/null 2>&1 || true; done
    end=$(date +%s%N)
    awk -v c="$c" -v t=$((end - start)) -v n="$runs" \
      'BEGIN { printf "pyrel %-20s %6.2f ms per run (mean of %d, process start included)\n", c, t / n / 1e6, n }'
  fi
done
