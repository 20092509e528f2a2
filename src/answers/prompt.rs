//! The one seam between answer resolution and a terminal. `resolve` calls
//! `ask` for every relevant question not fixed by a flag; a prompter returns
//! `None` to keep the current value.

use super::questions::Question;
use super::Value;
use crate::error::Result;

pub(crate) trait Prompter {
    /// Ask `q`, pre-filled with `current`; `Ok(None)` keeps `current`.
    fn ask(&mut self, q: &Question, current: Option<&Value>) -> Result<Option<Value>>;
}

/// Never asks: `--yes`, CI, pipes, and `generate`.
pub(crate) struct NoPrompt;

impl Prompter for NoPrompt {
    fn ask(&mut self, _: &Question, _: Option<&Value>) -> Result<Option<Value>> {
        Ok(None)
    }
}
