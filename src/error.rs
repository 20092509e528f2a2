//! One error type for the whole pipeline, so that every failure carries the
//! file it is about and maps to exactly one exit code at the top.

use std::fmt;
use std::path::PathBuf;

/// Exit status of a command: the contract users script against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Ok = 0,
    /// Generated files drifted, or pyrel refused to overwrite a hand edit.
    Refused = 1,
}

#[derive(Debug)]
pub(crate) enum Error {
    /// The user's input (files, flags, config) is unusable: exit 2.
    Input {
        file: Option<PathBuf>,
        message: String,
        hint: Option<String>,
    },
    /// The environment failed us (I/O on write, ...): exit 2 as well, since
    /// nothing was changed and the user must act.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A bug in pyrel (template that does not render or parse).
    Internal(String),
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn input(message: impl Into<String>) -> Self {
        Error::Input {
            file: None,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn in_file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Input {
            file: Some(file.into()),
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn with_hint(self, h: impl Into<String>) -> Self {
        match self {
            Error::Input { file, message, .. } => Error::Input {
                file,
                message,
                hint: Some(h.into()),
            },
            other => other,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input {
                file,
                message,
                hint,
            } => {
                if let Some(file) = file {
                    write!(f, "{}: ", file.display())?;
                }
                write!(f, "{message}")?;
                if let Some(hint) = hint {
                    write!(f, "\n  hint: {hint}")?;
                }
                Ok(())
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Internal(msg) => write!(
                f,
                "internal error (please report this as a pyrel bug): {msg}"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Every error is exit 2 (bad usage or input); refusals and drift are a
/// `Status` (exit 1), not an error.
pub(crate) fn exit_status(_err: &Error) -> u8 {
    2
}

/// A TOML parse error rendered as `file:line:col: message`, which editors and
/// terminals turn into a link.
pub(crate) fn toml_error(file: &std::path::Path, text: &str, err: &toml_edit::TomlError) -> Error {
    let (line, col) = err
        .span()
        .map(|span| line_col(text, span.start))
        .unwrap_or((1, 1));
    let msg = err.message().trim().to_string();
    Error::Input {
        file: None,
        message: format!("{}:{line}:{col}: invalid TOML: {msg}", file.display()),
        hint: Some("fix the syntax error and run pyrel again; nothing was written".into()),
    }
}

pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
