#!/usr/bin/env bash
# Mutation testing (cargo-mutants) of the modules whose mistakes ship broken
# releases: version spelling, bump's edits, inspect of pyproject/Cargo, the
# plan of writes and apply. Not part of scripts/test.sh or CI: it rebuilds
# pyrel once per mutant (hours on a small machine). The score per module is
# recorded in README.md ("Mutation testing").
#
#   bash scripts/mutants.sh               # every module below
#   bash scripts/mutants.sh version bump  # some of them
#
# cargo-mutants is installed from crates.io into .tools/cargo (pinned below).
# Results: mutants.out/<module>/ (caught.txt, missed.txt, timeout.txt,
# unviable.txt, outcomes.json). Each module runs only the tests that can
# reach it (unit tests by module path, integration tests by name), with few
# property-test cases, to keep a run in minutes per module rather than hours.
set -euo pipefail
cd "$(dirname "$0")/.."

version=27.1.0
root=.tools/cargo
if ! "$root/bin/cargo-mutants" mutants --version 2>/dev/null | grep -q "$version"; then
  echo "mutants: installing cargo-mutants $version into $root" >&2
  cargo install --locked --quiet "cargo-mutants@$version" --root "$root"
fi

# Property tests: a few cases per mutant (the full suite runs thousands).
export PYREL_PROPTEST_CASES="${PYREL_PROPTEST_CASES:-24}"
export CARGO_PROFILE_DEV_DEBUG=0
# One target dir for every run (cargo-mutants builds a copy of the tree):
# the dependencies are compiled once, not once per module.
export CARGO_TARGET_DIR="$PWD/target/mutants"
timeout="${MUTANTS_TIMEOUT:-300}"
jobs="${MUTANTS_JOBS:-1}"

bump_tests=(--test bump -- bump:: version:: bump_every refusals_write_nothing vcs_versions real_cargo_lock edgequake)
safety_tests=(--test safety --test pins -- plan:: apply:: hand_edited a_foreign_workflow deleted_file dry_run pyproject_merge line_endings bad_input unreadable unchanged_files crlf pins_older)

count() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }

# run NAME FILE... -- CARGO-TEST-ARGS... (after --lib: the unit tests)
run() {
  local name=$1; shift
  local files=()
  while [ "$1" != "--" ]; do files+=(--file "$1"); shift; done
  shift
  echo "mutants: $name (${files[*]})" >&2
  mkdir -p "mutants.out/$name"
  # Exit 2 means some mutants survived; they are counted below.
  "$root/bin/cargo-mutants" mutants "${files[@]}" \
    --timeout "$timeout" --jobs "$jobs" --output "mutants.out/$name" \
    -- --lib "$@" || true
  local out="mutants.out/$name/mutants.out"
  echo "mutants: $name: caught $(count "$out/caught.txt"), missed $(count "$out/missed.txt"), timeout $(count "$out/timeout.txt"), unviable $(count "$out/unviable.txt")" >&2
}

module() {
  case "$1" in
    version) run version src/version.rs -- "${bump_tests[@]}" ;;
    bump) run bump src/bump/edit.rs src/bump/lock.rs src/bump/mod.rs -- "${bump_tests[@]}" ;;
    inspect) run inspect src/inspect/pyproject.rs src/inspect/cargo.rs -- \
      --test fixtures -- inspect:: init_then_check changed_config ;;
    plan) run plan src/plan.rs -- "${safety_tests[@]}" ;;
    apply) run apply src/apply.rs -- "${safety_tests[@]}" ;;
    *) echo "mutants: unknown module $1 (version, bump, inspect, plan, apply)" >&2; exit 2 ;;
  esac
}

if [ $# -eq 0 ]; then set -- version bump inspect plan apply; fi
for m in "$@"; do module "$m"; done
