//! pyrel: inspect a Python package (maturin/PyO3, setuptools-rust or pure
//! Python) and generate a hardened PyPI release pipeline for it.
//!
//! The library holds the whole program; the `pyrel` binary only calls
//! [`run`]. Layers, each depending only on those below it:
//!
//! - `cli` parses argv into a request (the only reader of argv and env), and
//!   `commands` prints what an operation returned and maps it to an exit code;
//! - `ops` are the operations (load, generate, check, plan of writes,
//!   diagnose, bump, release) returning data, never printing diffs;
//! - `inspect` (read-only facts) → `answers` (detected < imported < saved
//!   `[tool.pyrel]` < flags < prompts) → `render` (templates) → `plan`
//!   (the plan of writes) → `apply`.
//!
//! `tests/layers.rs` keeps the top-level modules free of import cycles.

mod adopt;
mod answers;
mod apply;
mod build_plan;
mod bump;
mod cli;
mod commands;
mod confine;
mod dependabot;
mod doctor;
mod error;
mod inspect;
mod merge;
mod next_steps;
mod ops;
mod out;
mod packages;
mod plan;
mod provenance;
mod release;
mod render;
mod schema;
mod shell;
mod style;
#[cfg(test)]
mod testing;
mod validate;
mod version;

use std::process::ExitCode;

/// Run pyrel on the process's arguments and return the exit code the
/// contract promises: 0 ok, 1 drift or refused, 2 bad usage or input.
pub fn run() -> ExitCode {
    ExitCode::from(run_status())
}

/// [`run`], the exit code as a number (for a C `main`, `src/main.rs`).
pub fn run_status() -> u8 {
    out::default_sigpipe();
    match cli::run() {
        Ok(code) => code as u8,
        Err(err) => {
            crate::out::eprintln!("error: {err}");
            error::exit_status(&err)
        }
    }
}

#[cfg(unix)]
pub use out::open_standard_fds;

/// The unwinder is linked from a static archive on Linux (`build.rs`): a
/// panic still unwinds and is caught, in this test binary linked the same way.
#[cfg(test)]
#[test]
fn a_panic_unwinds() {
    let caught = std::panic::catch_unwind(|| panic!("unwinding works"));
    assert!(caught.is_err());
}
