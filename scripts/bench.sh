#!/usr/bin/env bash
# Benchmark of the commands that run on every commit or release day:
# `generate --check`, `doctor`, `plan` and `bump --dry-run`, at the root of a real
# git repository (a copy of the example, committed), with the release build,
# side by side with `maturin generate-ci github` on the same repository in
# the same run. Not a timed test: run it by hand and read the numbers,
#   bash scripts/bench.sh [RUNS]
# Each figure is the median (and min / p90) of RUNS runs, process start
# included. The machine's load average is printed with the results: numbers
# from a loaded machine are not the idle-machine figures.
# With valgrind installed, each command's instruction count (callgrind,
# one run: repeatable where times are not) follows, for all threads and for
# the longest one (the workflow's check runs beside the rendering). Under
# valgrind sha2 runs its portable code, not the SHA-NI one it picks here.
# maturin comes from $PYREL_TOOLS (default .tools/venv/bin), else PATH.
# PYREL_BENCH_BASELINE=/path/to/another/pyrel measures that binary too, in
# the same run (before/after figures under the same load).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}

cargo build --release --quiet
bin=$PWD/target/release/pyrel
tools=${PYREL_TOOLS:-$PWD/.tools/venv/bin}
maturin=$tools/maturin
[ -x "$maturin" ] || maturin=$(command -v maturin || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r examples/hello-pyo3 "$work/repo"
cd "$work/repo"
git init -q
git remote add origin https://github.com/acme/hello-pyo3.git
"$bin" init --yes >/dev/null 2>&1
git add -A
git -c user.name=bench -c user.email=bench@example.com commit -qm bench

commands=("generate --check" "doctor" "plan" "bump patch --dry-run")

python3 - "$runs" "$bin" "$maturin" "${PYREL_BENCH_BASELINE:-}" "${commands[@]}" <<'EOF'
import os, statistics, subprocess, sys, time

runs, pyrel, maturin, baseline, commands = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]

def cpu():
    r = os.times()
    return r.children_user + r.children_system

def measure(argv):
    for _ in range(10):  # warm-up: page cache, dynamic loader
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times, cpus = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter_ns(), cpu()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter_ns() - start) / 1e6)
        cpus.append((cpu() - start_cpu) * 1e3)
    times.sort()
    # CPU time (user + system of the child) is what a loaded machine
    # disturbs least; it has the kernel's tick resolution, so its mean.
    return statistics.median(times), times[0], times[int(len(times) * 0.9)], statistics.mean(cpus)

load = os.getloadavg()
print(f"{runs} runs each; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
print(f"{'command':<40} {'median':>9} {'min':>9} {'p90':>9} {'cpu mean':>9}")
results = {}
for c in commands:
    results[c] = measure([pyrel, *c.split()])
    print(f"{'pyrel ' + c:<40} {results[c][0]:>7.2f}ms {results[c][1]:>7.2f}ms {results[c][2]:>7.2f}ms {results[c][3]:>7.2f}ms")
    if baseline:
        b = measure([baseline, *c.split()])
        print(f"{'  baseline ' + c:<40} {b[0]:>7.2f}ms {b[1]:>7.2f}ms {b[2]:>7.2f}ms {b[3]:>7.2f}ms")
import glob, shutil, tempfile

def instructions(argv):
    """Instructions of one run under callgrind: all threads, the longest."""
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--separate-threads=yes",
             f"--callgrind-out-file={d}/cg", *argv],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        counts = []
        for f in sorted(glob.glob(f"{d}/cg*")):
            for line in open(f):
                if line.startswith(("summary:", "totals:")):
                    counts.append(int(line.split()[1]))
                    break
    return counts

# Counted before maturin runs: `maturin generate-ci` runs `cargo metadata`,
# which writes a Cargo.lock into the repository (that pyrel then reads too).
counts = {}
if shutil.which("valgrind"):
    for c in ["--version", *commands]:
        counts["pyrel " + c] = instructions([pyrel, *c.split()])
        if baseline:
            counts["  baseline " + c] = instructions([baseline, *c.split()])
if maturin and os.access(maturin, os.X_OK):
    ref = measure([maturin, "generate-ci", "github"])
    print(f"{'maturin generate-ci github':<40} {ref[0]:>7.2f}ms {ref[1]:>7.2f}ms {ref[2]:>7.2f}ms {ref[3]:>7.2f}ms")
    for c in commands[:2]:
        print(
            f"pyrel {c} is {ref[0] / results[c][0]:.1f}x faster than maturin generate-ci "
            f"(medians; {ref[1] / results[c][1]:.1f}x by min, {ref[3] / max(results[c][3], 0.01):.1f}x by CPU)"
        )
else:
    print("maturin not found (set PYREL_TOOLS): no side-by-side comparison")
end = os.getloadavg()
print(f"load average after: {end[0]:.2f} {end[1]:.2f} {end[2]:.2f}")
busy = max(load[0], end[0])
if busy > 0.5:
    print(
        f"the machine was not idle (1-minute load up to {busy:.2f} on {os.cpu_count()} cores): "
        "times are inflated by other work; CPU times and instruction counts are the steadier figures"
    )
if counts:
    print(f"{'instructions (callgrind, one run)':<40} {'all':>9} {'longest':>9}  threads")
    for c, n in counts.items():
        if n:
            print(f"{c:<40} {sum(n) / 1e6:>8.2f}M {max(n) / 1e6:>8.2f}M  {len(n)}")
else:
    print("valgrind not found: no instruction counts")
EOF
