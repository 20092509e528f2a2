//! Link the `pyrel` executable as a fixed-position (non-PIE) executable on
//! Linux.
//!
//! Why: pyrel runs on every commit (`generate --check` in pre-commit and CI)
//! and its budget is a few milliseconds. A position-independent executable
//! is relocated by the dynamic loader at every start: about 14,500 pointers
//! in 270 KB of `.data.rel.ro`, every one of those pages copied on write
//! before `main`. Measured on the 2-core CI machines
//! (`scripts/bench.sh`), that was about 1 ms of kernel time per run, the
//! largest single cost of `generate --check` after the templates.
//!
//! What it costs: the executable's own code and data sit at a fixed address;
//! the stack, heap, memory maps and shared libraries are still randomized.
//! Go links its Linux executables this way by default. The library target
//! and the tests' own binaries are unaffected; only `[[bin]]` targets get
//! the flag, and only where the linker driver understands it (GNU and musl
//! Linux toolchains, through `cc` or `clang`).
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && (env == "gnu" || env == "musl") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
}
