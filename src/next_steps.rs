//! The "next steps" `init` prints once its files are written: the trusted
//! publisher (or tokens) to register with the exact values, the environments
//! to create, and how to try a run. Text from `templates/next-steps.txt.j2`.

use crate::answers::Config;
use crate::error::Result;
use crate::inspect::Project;
use crate::render;

/// Rendered before anything is written, so a failure leaves the tree alone.
pub(crate) fn render(project: &Project, config: &Config) -> Result<String> {
    render::render_one("next-steps.txt.j2", &render::context::docs(project, config))
}
