//! `pyrel completions SHELL` and `pyrel man [COMMAND]`: generated from the
//! same clap definition that parses argv, so they never disagree with it.

use std::io::Write;

use clap_complete::Shell;

use crate::error::{Error, Result, Status};

/// Print the completion script for `shell` on stdout.
pub(crate) fn completions(mut cmd: clap::Command, shell: Shell) -> Result<Status> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "pyrel", &mut out);
    emit(&out)
}

/// Print a roff man page on stdout: `pyrel(1)`, or `pyrel-<command>(1)`.
pub(crate) fn man(mut cmd: clap::Command, command: Option<&str>) -> Result<Status> {
    // Propagate global flags (--color) into the subcommands first.
    cmd.build();
    let version = cmd.get_version().unwrap_or_default().to_string();
    let page = match command {
        None => cmd,
        Some(name) => {
            let sub = cmd
                .find_subcommand(name)
                .ok_or_else(|| Error::input(format!("no command named {name:?}")))?;
            sub.clone()
                .name(format!("pyrel-{name}"))
                .bin_name(format!("pyrel {name}"))
                .version(version)
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(|e| Error::Internal(format!("man page: {e}")))?;
    emit(&out)
}

fn emit(bytes: &[u8]) -> Result<Status> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(Status::Ok),
        // `pyrel man | head` is fine.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(Status::Ok),
        Err(e) => Err(Error::io("<stdout>", e)),
    }
}
