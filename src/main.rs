//! The `pyrel` executable: everything lives in the library (`src/lib.rs`).
//!
//! On Linux with glibc, `main` is the C `main`, not a Rust one. Why: pyrel
//! runs on every commit (`generate --check` in pre-commit) and its budget
//! is a few milliseconds. Before a Rust `main`, std's runtime installs a
//! stack-overflow handler, which on glibc asks `pthread_getattr_np` for the
//! main thread's stack, and glibc answers by reading and parsing all of
//! `/proc/self/maps`; with the alternate signal stack it maps, that was
//! about 0.15 to 0.3 ms of every run on the 2-core CI machines
//! (`scripts/bench.sh`). What a C `main` keeps and loses:
//! - std works as before: glibc hands std the arguments (`std::env::args`)
//!   before `main`, and every std API initializes itself on first use;
//! - what std's runtime does that matters is done here: closed standard
//!   descriptors are opened on `/dev/null` (`pyrel::open_standard_fds`),
//!   a panic is exit 101 (std's code) instead of an abort, and SIGPIPE gets
//!   its default action as before (`pyrel::run_status`);
//! - a stack overflow is a plain SIGSEGV, without std's one-line message.
//!
//! Elsewhere (macOS, Windows, musl, whose std does not hand the arguments
//! over without its runtime) `main` is the usual Rust one.
//!
//! The test build of this file (`cargo test` lists every target's tests)
//! keeps the test harness's own `main`.
#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test)), no_main)]

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn main() -> std::process::ExitCode {
    pyrel::run()
}

#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
#[no_mangle]
extern "C" fn main(_argc: libc::c_int, _argv: *const *const libc::c_char) -> libc::c_int {
    pyrel::open_standard_fds();
    // std's code for a panic that reaches `main`; the panic hook has
    // printed the message.
    std::panic::catch_unwind(pyrel::run_status).map_or(101, libc::c_int::from)
}
