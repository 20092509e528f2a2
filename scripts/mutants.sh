#!/usr/bin/env bash
# Mutation testing (cargo-mutants) of the modules whose mistakes ship broken
# releases: version spelling, bump's edits, inspect of pyproject/Cargo, the
# plan of writes and apply. Not part of scripts/test.sh or CI: it rebuilds
# pyrel once per mutant (hours on a small machine). The score per module is
# recorded in README.md ("Mutation testing").
#
#   bash scripts/mutants.sh               # every module below
#   bash scripts/mutants.sh version bump  # some of them
#   MUTANTS_RESUME=1 bash scripts/mutants.sh bump  # only what survived
#                                          # (or was not reached) last time
#   MUTANTS_SHUFFLE=1 ...                  # in random order
#
# cargo-mutants is installed from crates.io into .tools/cargo (pinned below).
# Results: mutants.out/<module>/{caught,missed,timeout,unviable}.txt over
# both passes (below), each pass's own in mutants.out/<module>/<pass>/, and
# cargo-mutants' logs and diffs in mutants.out/<module>/mutants.out/. Each
# module runs only the tests that can reach it, with few property-test and
# fuzz cases, to keep a run in minutes per module rather than hours.
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

# Each module runs in two passes. Pass 1: every mutant against the unit
# tests of the modules concerned (`--lib`: one compile of the crate per
# mutant, seconds of tests). Pass 2: only the survivors of pass 1, against
# the integration tests that reach the module as well (they run the pyrel
# binary on real fixtures: minutes per mutant). Targets go to every cargo
# command (so a mutant builds only those); filters are substrings of test
# names (`plan::` would also run build_plan's slow tests, so it is not one).
version_unit=(version:: python_floor bump::)
bump_unit=(bump:: version::tests)
bump_targets=(--lib --test bump)
bump_filters=(bump:: version:: python_floor bump_every refusals_write_nothing vcs_versions real_cargo_lock edgequake)
inspect_unit=(inspect::cargo:: inspect::pyproject:: inspect::detect_tests inspect::fuzz inspect::tests inspect::backend inspect::abi3 inspect::bindings inspect::setuptools_rust)
inspect_targets=(--lib --test fixtures)
inspect_filters=("${inspect_unit[@]}" init_then_check changed_config)
safety_unit=(apply::tests plan_tests)
safety_targets=(--lib --test safety --test pins)
safety_filters=("${safety_unit[@]}" hand_edited a_foreign_workflow deleted_file dry_run pyproject_merge line_endings bad_input unreadable unchanged_files crlf pins_older unreplaceable a_directory_in_the_way concurrent latin1_version undecodable_version)

count() { if [ -f "$1" ]; then grep -c . "$1"; else echo 0; fi; }

# pass NAME LABEL ITERATE FILE... -- TARGET... -- FILTER...
pass() {
  local name=$1 label=$2 iterate=$3; shift 3
  local files=() targets=() more=()
  while [ "$1" != "--" ]; do files+=(--file "$1"); shift; done
  shift
  while [ "$1" != "--" ]; do targets+=(--cargo-arg="$1"); shift; done
  shift
  if [ "$iterate" = yes ]; then more+=(--iterate); fi
  # A run stopped early (at a time limit) has then tested a random sample.
  if [ -n "${MUTANTS_SHUFFLE:-}" ]; then more+=(--shuffle); fi
  echo "mutants: $name, $label (${files[*]})" >&2
  mkdir -p "mutants.out/$name"
  # Exit 2 means some mutants survived; they are counted below.
  "$root/bin/cargo-mutants" mutants "${files[@]}" "${targets[@]}" "${more[@]}" \
    "${limit[@]}" --jobs "$jobs" --output "mutants.out/$name" \
    -- -- "$@" || true
  local out="mutants.out/$name/mutants.out" keep="mutants.out/$name/$label"
  rm -rf "$keep" && mkdir -p "$keep"
  for f in caught missed timeout unviable; do
    if [ -f "$out/$f.txt" ]; then cp "$out/$f.txt" "$keep/"; else : > "$keep/$f.txt"; fi
  done
}

# The score over every pass: caught in any pass, unviable in any pass, and
# missed / timed out in the last pass that tested them.
summary() {
  local name=$1 dir="mutants.out/$1"; shift
  local last="$dir/$1"; shift
  cat "$dir"/*/caught.txt | sort -u > "$dir/caught.all"
  cat "$dir"/*/unviable.txt | sort -u > "$dir/unviable.all"
  mv "$dir/caught.all" "$dir/caught.txt"; mv "$dir/unviable.all" "$dir/unviable.txt"
  sort -u "$last/missed.txt" > "$dir/missed.txt"
  sort -u "$last/timeout.txt" > "$dir/timeout.txt"
  local c m t u
  c=$(count "$dir/caught.txt"); m=$(count "$dir/missed.txt")
  t=$(count "$dir/timeout.txt"); u=$(count "$dir/unviable.txt")
  echo "mutants: $name: $((c + m + t + u)) mutants: caught $c, missed $m, timeout $t, unviable $u; score $c/$((c + m + t))" >&2
  if [ "$m" -gt 0 ]; then sed 's/^/  missed: /' "$dir/missed.txt" >&2; fi
}

# run NAME FILE... -- UNIT-FILTER... -- TARGET... -- FILTER...
run() {
  local name=$1; shift
  local files=() unit=() targets=()
  while [ "$1" != "--" ]; do files+=("$1"); shift; done
  shift
  while [ "$1" != "--" ]; do unit+=("$1"); shift; done
  shift
  while [ "$1" != "--" ]; do targets+=("$1"); shift; done
  shift
  local first=no
  if [ -n "${MUTANTS_RESUME:-}" ]; then
    # Keep what earlier runs caught (cargo-mutants rotates its directory).
    first=yes
    local raw="mutants.out/$name/mutants.out" keep
    keep="mutants.out/$name/earlier-$(date +%s)"
    mkdir -p "$keep"
    for f in caught unviable; do cat "$raw/$f.txt" > "$keep/$f.txt" 2>/dev/null || : > "$keep/$f.txt"; done
    : > "$keep/missed.txt"; : > "$keep/timeout.txt"
  else
    rm -rf "mutants.out/$name"
  fi
  pass "$name" unit "$first" "${files[@]}" -- --lib -- "${unit[@]}"
  local last=unit
  if [ "$(count "mutants.out/$name/unit/missed.txt")$(count "mutants.out/$name/unit/timeout.txt")" != 00 ] \
    && [ "${#targets[@]}" -gt 1 ]; then
    pass "$name" integration yes "${files[@]}" -- "${targets[@]}" -- "$@"
    last=integration
  fi
  summary "$name" "$last"
}

module() {
  case "$1" in
    version) run version src/version.rs -- "${version_unit[@]}" -- "${bump_targets[@]}" -- "${bump_filters[@]}" ;;
    bump) run bump src/bump/edit.rs src/bump/lock.rs src/bump/mod.rs -- "${bump_unit[@]}" -- "${bump_targets[@]}" -- "${bump_filters[@]}" ;;
    inspect) run inspect src/inspect/pyproject.rs src/inspect/cargo.rs -- "${inspect_unit[@]}" -- "${inspect_targets[@]}" -- "${inspect_filters[@]}" ;;
    plan) run plan src/plan.rs -- "${safety_unit[@]}" -- "${safety_targets[@]}" -- "${safety_filters[@]}" ;;
    apply) run apply src/apply.rs -- "${safety_unit[@]}" -- "${safety_targets[@]}" -- "${safety_filters[@]}" ;;
    *) echo "mutants: unknown module $1 (version, bump, inspect, plan, apply)" >&2; exit 2 ;;
  esac
}

if [ $# -eq 0 ]; then set -- version bump inspect plan apply; fi
for m in "$@"; do module "$m"; done
