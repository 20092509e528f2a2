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

/// What std's runtime does before a Rust `main` (`sanitize_standard_fds`),
/// for the C `main` of `src/main.rs`: each of descriptors 0, 1, 2 that is
/// closed is opened on `/dev/null`. Otherwise `pyrel generate >&-` would
/// hand descriptor 1 to the first file pyrel opens, and print into it.
#[cfg(unix)]
pub fn open_standard_fds() {
    let mut fds = [0, 1, 2].map(|fd| libc::pollfd {
        fd,
        events: 0,
        revents: 0,
    });
    // SAFETY: poll on a local array; open and fcntl on constant arguments.
    unsafe {
        loop {
            if libc::poll(fds.as_mut_ptr(), 3, 0) != -1 {
                break;
            }
            match std::io::Error::last_os_error().raw_os_error() {
                Some(libc::EINTR) => continue,
                // poll cannot tell (as std: EINVAL, EAGAIN, ENOMEM): ask
                // each descriptor.
                Some(libc::EINVAL | libc::EAGAIN | libc::ENOMEM) => {
                    for pfd in &mut fds {
                        let closed = libc::fcntl(pfd.fd, libc::F_GETFD) == -1
                            && std::io::Error::last_os_error().raw_os_error() == Some(libc::EBADF);
                        pfd.revents = if closed { libc::POLLNVAL } else { 0 };
                    }
                    break;
                }
                _ => libc::abort(),
            }
        }
        for pfd in fds {
            if pfd.revents & libc::POLLNVAL != 0
                && libc::open(c"/dev/null".as_ptr(), libc::O_RDWR, 0) == -1
            {
                libc::abort();
            }
        }
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
