#!/usr/bin/env bash
# Benchmark of the commands that run on every commit or release day:
# `generate --check`, `doctor`, `plan` and `bump --dry-run`, at the root of a real
# git repository (a copy of the example, committed), with the release build,
# side by side with `maturin generate-ci github` on a second copy of the same
# repository (it runs `cargo metadata`, which writes a Cargo.lock). Not a
# timed test: run it by hand and read the numbers,
#   bash scripts/bench.sh [RUNS]
# Each figure is the median (and min / p90) of RUNS runs, process start
# included. The runs come in blocks of ten, one command's block after
# another's (maturin included), so a machine that slows down or speeds up
# during the run moves every command alike and the ratios stay fair. The
# machine's load average is printed with the results: numbers from a loaded
# machine are not the idle-machine figures.
# With valgrind installed, each command's instruction count (callgrind,
# one run: repeatable where times are not) follows, for all threads and for
# the longest one. Under valgrind sha2 runs its portable code, not the
# SHA-NI one it picks here.
# maturin comes from $PYREL_TOOLS (default .tools/venv/bin), else PATH.
# PYREL_BENCH_BASELINE=/path/to/another/pyrel measures that binary too, in
# the same run (before/after figures under the same load).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}

cargo build --release --quiet
tools=${PYREL_TOOLS:-$PWD/.tools/venv/bin}
maturin=$tools/maturin
[ -x "$maturin" ] || maturin=$(command -v maturin || true)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The executables measured are installed copies, as `cargo install` or pip
# leave them, not the file the linker has just written: the same bytes ran
# 0.5 ms slower from target/release until the page cache was dropped and
# the file read again (lld writes its output through a memory map; the
# pages it leaves cached were, it seems, slower to map at every start).
mkdir "$work/bin"
cp target/release/pyrel "$work/bin/pyrel"
bin=$work/bin/pyrel
if [ -n "${PYREL_BENCH_BASELINE:-}" ]; then
    mkdir "$work/baseline"
    cp "$PYREL_BENCH_BASELINE" "$work/baseline/pyrel"
    PYREL_BENCH_BASELINE=$work/baseline/pyrel
fi
cp -r examples/hello-pyo3 "$work/repo"
cd "$work/repo"
git init -q
git remote add origin https://github.com/acme/hello-pyo3.git
"$bin" init --yes >/dev/null 2>&1
git add -A
git -c user.name=bench -c user.email=bench@example.com commit -qm bench
cp -r "$work/repo" "$work/maturin-repo"

commands=("generate --check" "doctor" "plan" "bump patch --dry-run")

python3 - "$runs" "$bin" "$maturin" "${PYREL_BENCH_BASELINE:-}" "$work/maturin-repo" "${commands[@]}" <<'EOF'
import os, statistics, subprocess, sys, time

runs, pyrel, maturin, baseline, maturin_repo, commands = (
    int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
)

def cpu():
    r = os.times()
    return r.children_user + r.children_system

BLOCK = 10

def measure(entries):
    """Each entry is (argv, cwd); returns, per entry, the median, min and
    p90 wall time and the mean CPU time (ms)."""
    for argv, cwd in entries:
        for _ in range(10):  # warm-up: page cache, dynamic loader
            subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = [[] for _ in entries]
    cpus = [[] for _ in entries]
    # Blocks of BLOCK runs of one command, the blocks in turn: a slow
    # phase of the machine falls on every command alike, and only the
    # first run of a block follows another program (maturin evicts the
    # caches a command run over and over keeps warm).
    for _ in range(-(-runs // BLOCK)):
        for i, (argv, cwd) in enumerate(entries):
            for _ in range(min(BLOCK, runs - len(times[i]))):
                start, start_cpu = time.perf_counter_ns(), cpu()
                subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[i].append((time.perf_counter_ns() - start) / 1e6)
                cpus[i].append((cpu() - start_cpu) * 1e3)
    out = []
    for t, c in zip(times, cpus):
        t.sort()
        # CPU time (user + system of the child) is what a loaded machine
        # disturbs least; it has the kernel's tick resolution, so its mean.
        out.append((statistics.median(t), t[0], t[int(len(t) * 0.9)], statistics.mean(c)))
    return out

load = os.getloadavg()
print(f"{runs} runs each, in interleaved blocks of {BLOCK}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
print(f"{'command':<40} {'median':>9} {'min':>9} {'p90':>9} {'cpu mean':>9}")
here = os.getcwd()
entries, labels = [], []
for c in commands:
    entries.append(([pyrel, *c.split()], here))
    labels.append("pyrel " + c)
    if baseline:
        entries.append(([baseline, *c.split()], here))
        labels.append("  baseline " + c)
has_maturin = bool(maturin) and os.access(maturin, os.X_OK)
if has_maturin:
    entries.append(([maturin, "generate-ci", "github"], maturin_repo))
    labels.append("maturin generate-ci github")
measured = dict(zip(labels, measure(entries)))
for label, r in measured.items():
    print(f"{label:<40} {r[0]:>7.2f}ms {r[1]:>7.2f}ms {r[2]:>7.2f}ms {r[3]:>7.2f}ms")
results = {c: measured["pyrel " + c] for c in commands}
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

counts = {}
if shutil.which("valgrind"):
    for c in ["--version", *commands]:
        counts["pyrel " + c] = instructions([pyrel, *c.split()])
        if baseline:
            counts["  baseline " + c] = instructions([baseline, *c.split()])
if has_maturin:
    ref = measured["maturin generate-ci github"]
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
