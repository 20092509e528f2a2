//! Terminal colour, decided once by `cli` (from `--color` and `NO_COLOR`)
//! and read here, so no other module looks at the environment.

use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// `--color`: the usual tri-state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// `always`/`never` win; `auto` means "a terminal, and NO_COLOR unset or empty"
    /// (<https://no-color.org>).
    pub(crate) fn resolve(self, no_color: bool, terminal: bool) -> bool {
        match self {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => terminal && !no_color,
        }
    }
}

pub(crate) fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

pub(crate) fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Colour a unified diff's lines (red removals, green additions, cyan hunks)
/// when colour is on; otherwise return it as is.
pub(crate) fn diff(text: &str) -> String {
    if !enabled() {
        return text.to_string();
    }
    text.split_inclusive('\n')
        .map(|line| {
            let code = if line.starts_with("+++") || line.starts_with("---") {
                "1"
            } else if line.starts_with('+') {
                "32"
            } else if line.starts_with('-') {
                "31"
            } else if line.starts_with("@@") {
                "36"
            } else {
                return line.to_string();
            };
            let (body, nl) = match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            };
            format!("\x1b[{code}m{body}\x1b[0m{nl}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_and_flag() {
        assert!(!ColorWhen::Auto.resolve(true, true));
        assert!(ColorWhen::Auto.resolve(false, true));
        assert!(!ColorWhen::Auto.resolve(false, false));
        assert!(ColorWhen::Always.resolve(true, false));
        assert!(!ColorWhen::Never.resolve(false, true));
    }
}
