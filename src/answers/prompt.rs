//! The one seam between answer resolution and a terminal. `resolve` calls
//! `ask` for every relevant question not fixed by a flag; a prompter returns
//! `None` to keep the current value.

use super::questions::Question;
use super::Value;
use crate::error::{Error, Result};

pub(crate) trait Prompter {
    /// Ask `q`, pre-filled with `current`; `Ok(None)` keeps `current`.
    fn ask(&mut self, q: &Question, current: Option<&Value>) -> Result<Option<Value>>;

    /// The answer just given to `q` is unusable (`why`): say so before `q`
    /// is asked again. A prompter that cannot ask again fails.
    fn reject(&mut self, q: &Question, why: &str) -> Result<()> {
        Err(Error::input(format!(
            "invalid answer to \"{}\" ({}): {why}",
            q.prompt, q.key
        )))
    }
}

/// Never asks: `--yes`, CI, pipes, and `generate`.
pub(crate) struct NoPrompt;

impl Prompter for NoPrompt {
    fn ask(&mut self, _: &Question, _: Option<&Value>) -> Result<Option<Value>> {
        Ok(None)
    }
}
