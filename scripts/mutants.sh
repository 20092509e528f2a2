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
export PYREL_FUZZ_CASES="${PYREL_FUZZ_CASES:-64}"
export CARGO_PROFILE_DEV_DEBUG=0
# One target dir for every run (cargo-mutants builds a copy of the tree):
# the dependencies are compiled once, not once per module.
# MUTANTS_TARGET_DIR lets two runs go side by side without waiting on
# each other's cargo lock.
export CARGO_TARGET_DIR="${MUTANTS_TARGET_DIR:-$PWD/target/mutants}"
# A mutant that loops forever is stopped at 3x the unmutated tests' time
# (at least a minute), or at MUTANTS_TIMEOUT seconds when set.
if [ -n "${MUTANTS_TIMEOUT:-}" ]; then
  limit=(--timeout "$MUTANTS_TIMEOUT")
else
  limit=(--timeout-multiplier 3 --minimum-test-timeout 60)
fi
jobs="${MUTANTS_JOBS:-1}"

# Tests that reach each module: the test targets (given to every cargo
# command cargo-mutants runs, so each mutant builds only these, not all the
# integration tests) and name filters for the test binaries.
bump_targets=(--lib --test bump)
bump_filters=(bump:: version:: python_floor bump_every refusals_write_nothing vcs_versions real_cargo_lock edgequake)
# (Filters are substrings: `plan::` would also run build_plan's slow tests,
# `inspect::` the workflow reader's; neither reaches these modules.)
inspect_filters=(inspect::detect_tests inspect::fuzz inspect::tests inspect::backend inspect::abi3 inspect::bindings inspect::setuptools_rust init_then_check changed_config)
safety_targets=(--lib --test safety --test pins)
safety_filters=(apply::tests hand_edited a_foreign_workflow deleted_file dry_run pyproject_merge line_endings bad_input unreadable unchanged_files crlf pins_older unreplaceable a_directory_in_the_way concurrent latin1_version undecodable_version)

count() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }

# run NAME FILE... -- TARGET... -- FILTER...
run() {
  local name=$1; shift
  local files=() targets=()
  while [ "$1" != "--" ]; do files+=(--file "$1"); shift; done
  shift
  while [ "$1" != "--" ]; do targets+=(--cargo-arg="$1"); shift; done
  shift
  echo "mutants: $name (${files[*]})" >&2
  mkdir -p "mutants.out/$name"
  # Exit 2 means some mutants survived; they are counted below.
  "$root/bin/cargo-mutants" mutants "${files[@]}" "${targets[@]}" \
    "${limit[@]}" --jobs "$jobs" --output "mutants.out/$name" \
    -- -- "$@" || true
  local out="mutants.out/$name/mutants.out"
  echo "mutants: $name: caught $(count "$out/caught.txt"), missed $(count "$out/missed.txt"), timeout $(count "$out/timeout.txt"), unviable $(count "$out/unviable.txt")" >&2
}

module() {
  case "$1" in
    version) run version src/version.rs -- "${bump_targets[@]}" -- "${bump_filters[@]}" ;;
    bump) run bump src/bump/edit.rs src/bump/lock.rs src/bump/mod.rs -- "${bump_targets[@]}" -- "${bump_filters[@]}" ;;
    inspect) run inspect src/inspect/pyproject.rs src/inspect/cargo.rs -- \
      --lib --test fixtures -- "${inspect_filters[@]}" ;;
    plan) run plan src/plan.rs -- "${safety_targets[@]}" -- "${safety_filters[@]}" ;;
    apply) run apply src/apply.rs -- "${safety_targets[@]}" -- "${safety_filters[@]}" ;;
    *) echo "mutants: unknown module $1 (version, bump, inspect, plan, apply)" >&2; exit 2 ;;
  esac
}

if [ $# -eq 0 ]; then set -- version bump inspect plan apply; fi
for m in "$@"; do module "$m"; done
