//! pyrel: inspect a Python package (maturin/PyO3 or pure Python) and generate a
//! hardened PyPI release pipeline for it.
//!
//! `main` is deliberately thin: it hands argv to `cli`, and maps the one error
//! type to the exit-code contract (0 ok, 1 drift/refused, 2 bad usage/input).

mod adopt;
mod answers;
mod apply;
mod build_plan;
mod bump;
mod cli;
mod commands;
mod dependabot;
mod doctor;
mod error;
mod inspect;
mod merge;
mod next_steps;
mod out;
mod packages;
mod plan;
mod release;
mod render;
mod schema;
mod shell;
mod style;
mod validate;
mod version;

use std::process::ExitCode;

fn main() -> ExitCode {
    out::default_sigpipe();
    match cli::run() {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("error: {err}");
            error::exit_code(&err)
        }
    }
}
