//! The interactive `Prompter`: dialoguer widgets on stderr, one per question
//! kind, pre-filled with the current answer.

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};

use super::platforms;
use super::questions::{Kind, Question};
use super::{Prompter, Value};
use crate::error::{Error, Result};
use crate::plan::{Action, Change};

pub(crate) struct Terminal {
    theme: ColorfulTheme,
}

impl Terminal {
    pub(crate) fn new() -> Terminal {
        restore_cursor_on_interrupt();
        Terminal {
            theme: ColorfulTheme::default(),
        }
    }
}

/// Ctrl-C in a prompt: console restores the terminal mode and raises
/// SIGINT, which would end pyrel with the cursor dialoguer hid still hidden.
/// The handler shows it again and exits 130 (128 + SIGINT) as the default
/// action would report it. Nothing is being written while prompts run, and
/// `apply` holds SIGINT back while it replaces files.
fn restore_cursor_on_interrupt() {
    #[cfg(unix)]
    {
        extern "C" fn on_interrupt(_: libc::c_int) {
            const SHOW: &[u8] = b"\x1b[?25h\n";
            // SAFETY: write(2) and _exit(2) are async-signal-safe.
            unsafe {
                libc::write(2, SHOW.as_ptr().cast(), SHOW.len());
                libc::_exit(130);
            }
        }
        // SAFETY: installs a handler that only calls async-signal-safe functions.
        unsafe {
            libc::signal(
                libc::SIGINT,
                on_interrupt as extern "C" fn(libc::c_int) as libc::sighandler_t,
            );
        }
    }
}

/// A prompt ended without an answer (Ctrl-C, closed terminal): put the
/// cursor back, and stop before anything is written.
fn cancelled(e: dialoguer::Error) -> Error {
    let _ = dialoguer::console::Term::stderr().show_cursor();
    Error::input(format!("prompt cancelled ({e}); nothing was written"))
}

impl Prompter for Terminal {
    fn ask(&mut self, q: &Question, current: Option<&Value>) -> Result<Option<Value>> {
        let value = match q.kind {
            Kind::Bool => {
                let default = matches!(current, Some(Value::Bool(true)));
                let v = Confirm::with_theme(&self.theme)
                    .with_prompt(q.prompt)
                    .default(default)
                    .interact()
                    .map_err(cancelled)?;
                Value::Bool(v)
            }
            Kind::Text => {
                let default = match current {
                    Some(Value::Str(s)) => s.clone(),
                    _ => String::new(),
                };
                let mut input = Input::<String>::with_theme(&self.theme).with_prompt(q.prompt);
                if !default.is_empty() {
                    input = input.default(default);
                }
                Value::Str(input.interact_text().map_err(cancelled)?)
            }
            Kind::Choice(options) => {
                let default = match current {
                    Some(Value::Str(s)) => options.iter().position(|o| o == s).unwrap_or(0),
                    _ => 0,
                };
                let i = Select::with_theme(&self.theme)
                    .with_prompt(q.prompt)
                    .items(options)
                    .default(default)
                    .interact()
                    .map_err(cancelled)?;
                Value::Str(options[i].to_string())
            }
            Kind::List => {
                // One comma-separated line (GitHub path filters hold no comma
                // in practice); flags and [tool.pyrel] take lists too.
                let default = match current {
                    Some(Value::List(l)) => l.join(","),
                    _ => String::new(),
                };
                let mut input = Input::<String>::with_theme(&self.theme)
                    .with_prompt(format!("{} (comma-separated)", q.prompt));
                if !default.is_empty() {
                    input = input.default(default);
                }
                let line = input.interact_text().map_err(cancelled)?;
                Value::List(
                    line.split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                )
            }
            Kind::Platforms => {
                let names = platforms::names();
                let chosen = match current {
                    Some(Value::List(l)) => l.clone(),
                    _ => Vec::new(),
                };
                let defaults: Vec<bool> = names
                    .iter()
                    .map(|n| chosen.iter().any(|c| c == n))
                    .collect();
                let picked = MultiSelect::with_theme(&self.theme)
                    .with_prompt(format!("{} (space toggles, enter accepts)", q.prompt))
                    .items(&names)
                    .defaults(&defaults)
                    .interact()
                    .map_err(cancelled)?;
                Value::List(picked.into_iter().map(|i| names[i].to_string()).collect())
            }
        };
        Ok(Some(value))
    }

    fn reject(&mut self, q: &Question, why: &str) -> Result<()> {
        crate::out::eprintln!(
            "  invalid answer: {why}; please answer \"{}\" again",
            q.prompt
        );
        Ok(())
    }
}

/// List the planned changes, offer the diff, and ask before writing.
pub(crate) fn confirm_changes(changes: &[Change]) -> Result<bool> {
    let theme = ColorfulTheme::default();
    let pending: Vec<&Change> = changes
        .iter()
        .filter(|c| c.action != Action::Unchanged)
        .collect();
    if pending.is_empty() {
        crate::out::eprintln!("Everything is up to date.");
        return Ok(false);
    }
    crate::out::eprintln!("pyrel will write:");
    for c in &pending {
        let verb = match c.action {
            Action::Create => "create",
            Action::Update => "update",
            Action::HandEdited => "replace (hand-edited!)",
            Action::Unchanged => unreachable!(),
        };
        crate::out::eprintln!("  {verb:<10} {}", c.path);
    }
    loop {
        let choice = Select::with_theme(&theme)
            .with_prompt("Write these files?")
            .items(["yes, write them", "show the diff", "no, write nothing"])
            .default(0)
            .interact()
            .map_err(cancelled)?;
        match choice {
            0 => return Ok(true),
            1 => {
                for c in &pending {
                    crate::out::eprint!("{}", crate::plan::diff(c));
                }
            }
            _ => return Ok(false),
        }
    }
}
