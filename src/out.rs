//! Standard output that ends cleanly. A reader that goes away (`pyrel
//! schema | head -c 10`) ends pyrel the conventional way, by SIGPIPE, as
//! `cat` or `grep` do (the shell reports 141; nothing is printed); any
//! other failure to write (a full disk, `> /dev/full`) is an error, exit 2.
//! Nothing pyrel prints is written while files are being replaced, so
//! ending on a write never leaves a half-applied change.
//!
//! Messages to standard error go through `out::eprintln!`/`out::eprint!`,
//! never std's (which panic when stderr is full or closed: exit 101): a
//! message that cannot be written is dropped and the exit code still says
//! how the command ended (`tests/layers.rs` keeps std's out of `src/`).

use std::io::Write;

use crate::error::{Error, Result};

/// Called first in `main`: Rust ignores SIGPIPE, which turns a closed pipe
/// into an error on every `print!` (a panic). Restoring the default is what
/// every Unix filter does.
pub(crate) fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to its default, before any thread
    // is started; no handler runs Rust code.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Write `text` to stdout, flushed.
pub(crate) fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // Only where SIGPIPE does not exist (Windows): end quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Error::io("<standard output>", e)),
    }
}

/// Write `text` to stderr; a failure (`2>/dev/full`, a closed descriptor)
/// drops the message: there is nowhere left to report it, and the exit code
/// still tells the caller how the command ended.
pub(crate) fn to_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// `std::eprint!` without the panic: see `to_stderr`.
macro_rules! eprint_ {
    ($($arg:tt)*) => {
        $crate::out::to_stderr(&format!($($arg)*))
    };
}

/// `std::eprintln!` without the panic: see `to_stderr`.
macro_rules! eprintln_ {
    () => {
        $crate::out::to_stderr("\n")
    };
    ($($arg:tt)*) => {
        $crate::out::to_stderr(&format!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {eprint_ as eprint, eprintln_ as eprintln};
