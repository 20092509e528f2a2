//! Standard output that ends cleanly. A reader that goes away (`pyrel
//! schema | head -c 10`) ends pyrel the conventional way, by SIGPIPE, as
//! `cat` or `grep` do (the shell reports 141; nothing is printed); any
//! other failure to write (a full disk, `> /dev/full`) is an error, exit 2.
//! Nothing pyrel prints is written while files are being replaced, so
//! ending on a write never leaves a half-applied change.

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
