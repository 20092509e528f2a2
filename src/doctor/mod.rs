//! `pyrel doctor`: will the first release succeed? Every reason a release
//! started with pyrel's pipeline could fail, and that can be known on the
//! maintainer's machine, is a check here: offline, reading only the files
//! `inspect` already knows, so it runs in milliseconds.
//!
//! A finding has an id (stable, documented in RELEASING.md), a severity
//! (error: the release will fail; warning: it succeeds, but something is
//! wrong for users), where it is, and a fix precise enough to apply.

mod id;
mod maturin;
mod metadata;
mod pyo3;
mod release;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::inspect::tomlfile::TomlFile;
use crate::inspect::Project;
use crate::plan::Change;
pub(crate) use id::FindingId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    Error,
    Warning,
    /// Worth knowing, nothing to fix.
    Note,
}

/// How to make a finding go away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Fix {
    /// Add `key = value` (TOML) under `[table]` of `file`.
    Toml {
        file: String,
        table: String,
        key: String,
        value: String,
    },
    /// Create `path`, holding what `content` says.
    CreateFile { path: String, content: String },
    /// Run this command.
    Command { command: String },
    /// Anything else, in words.
    Text { text: String },
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Finding {
    pub id: FindingId,
    pub severity: Severity,
    /// Path relative to the repository root.
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
    pub fix: Fix,
}

/// What the checks read: the project, its pyproject.toml, the settings that
/// matter for the release, and the plan for the generated files.
pub(crate) struct Inputs<'a> {
    pub project: &'a Project,
    pub pyproject: &'a TomlFile,
    pub tag_prefix: &'a str,
    /// Where pyrel's workflow for this package lives.
    pub workflow: &'a str,
    /// Generated files as planned (empty when there is no `[tool.pyrel]`).
    pub generated: &'a [Change],
    pub configured: bool,
    /// Free-threaded wheels are built (`free-threaded` in [tool.pyrel]).
    pub free_threaded: bool,
    /// The workflow attaches the dists to a release that is already
    /// published (`trigger = "release"` with `github-release = true`).
    pub attaches_to_published_release: bool,
}

pub(crate) fn check(inputs: &Inputs<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    // Read once: three checks look at it.
    let cargo = metadata::cargo_manifest(inputs.project);
    metadata::check(inputs, cargo.as_ref(), &mut out);
    if inputs.project.is_maturin() {
        maturin::check(inputs, cargo.as_ref(), &mut out);
    }
    if inputs.project.builds_platform_wheels() {
        pyo3::check(inputs, cargo.as_ref(), &mut out);
    }
    release::check(inputs, &mut out);
    out.sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
    out
}

pub(crate) fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// `error[id] file:line: message` and the fix below it, as compilers print.
pub(crate) fn format(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let sev = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        let place = match f.line {
            Some(l) => format!("{}:{l}", f.file),
            None => f.file.clone(),
        };
        out.push_str(&format!("{sev}[{}] {place}: {}\n", f.id, f.message));
        let fix = match &f.fix {
            Fix::Toml {
                file,
                table,
                key,
                value,
            } => format!("add to [{table}] in {file}:\n        {key} = {value}"),
            Fix::CreateFile { path, content } => format!("create {path} ({content})"),
            Fix::Command { command } => format!("run `{command}`"),
            Fix::Text { text } => text.clone(),
        };
        out.push_str(&format!("    fix: {fix}\n"));
    }
    out
}

/// The line of `keys` in a TOML file (the key's value, or a table's header).
pub(crate) fn line_of(file: &TomlFile, keys: &[&str]) -> Option<usize> {
    let mut item = file.doc.as_item();
    let mut table = None;
    for k in keys {
        let t = item.as_table_like()?;
        if let Some(key) = t.get_key_value(k).map(|(key, _)| key) {
            table = key.span().or(table);
        }
        item = item.get(k)?;
    }
    let span = item
        .span()
        .or_else(|| item.as_table().and_then(|t| t.span()))
        .or(table)?;
    Some(crate::error::line_col(&file.text, span.start).0)
}

/// The line of the deepest table of `keys` that exists (where a missing
/// key belongs).
pub(crate) fn line_of_table(file: &TomlFile, keys: &[&str]) -> Option<usize> {
    (1..=keys.len())
        .rev()
        .find_map(|n| line_of(file, &keys[..n]))
}
