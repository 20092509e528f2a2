//! The user's own `git` (and `gh`) executables, run with explicit arguments.
//! Nothing here rewrites history or forces anything: the only writing
//! commands are `add`, `commit`, `tag -a`, `push --atomic` (no `--force`),
//! plus `fetch` when asked for and `reset -- <files>` to unstage after a
//! failed commit.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::error::{Error, Result};

pub(crate) struct Git {
    /// The work tree's top level.
    pub root: PathBuf,
}

impl Git {
    /// The repository holding `dir`, as git itself sees it.
    pub(crate) fn discover(dir: &Path) -> Result<Git> {
        let out = run(Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["rev-parse", "--show-toplevel"]))?;
        if !out.status.success() {
            return Err(Error::in_file(dir, "is not inside a git work tree")
                .with_hint("pyrel release commits and tags with git: run it in a clone"));
        }
        Ok(Git {
            root: PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()),
        })
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        // Reads must not even refresh the index: a refusal changes nothing.
        c.arg("--no-optional-locks")
            .arg("-C")
            .arg(&self.root)
            .args(args);
        c
    }

    /// Run and return the output, whatever the exit status.
    pub(crate) fn output(&self, args: &[&str]) -> Result<Output> {
        run(&mut self.command(args))
    }

    /// Trimmed stdout when git succeeds, `None` when it exits non-zero.
    pub(crate) fn read(&self, args: &[&str]) -> Result<Option<String>> {
        let out = self.output(args)?;
        Ok(out
            .status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string()))
    }

    /// Run a command that must succeed; its output goes to the terminal.
    pub(crate) fn run(&self, args: &[&str]) -> Result<()> {
        let status = self
            .command(args)
            .status()
            .map_err(|e| Error::input(format!("could not run git: {e}")))?;
        if status.success() {
            Ok(())
        } else {
            Err(Error::input(format!(
                "`git {}` failed ({status})",
                args.join(" ")
            )))
        }
    }
}

fn run(cmd: &mut Command) -> Result<Output> {
    cmd.output().map_err(|e| {
        Error::input(format!("could not run git: {e}"))
            .with_hint("pyrel release uses your `git`; install it or put it on PATH")
    })
}

/// Whether the GitHub CLI is installed (on PATH and runs).
pub(crate) fn gh_available() -> bool {
    Command::new("gh")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}
