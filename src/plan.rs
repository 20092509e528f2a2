//! What would change, decided before anything is written: each file is
//! created, updated, unchanged, or hand-edited (a generated file whose
//! content no longer matches its pyrel digest, or a file pyrel did not write).

use std::path::Path;

use crate::error::{Error, Result};
use crate::inspect::pyversion::{self, Encoding};
use crate::inspect::Project;
use crate::provenance::stamp::{self, Provenance};
use crate::provenance::uses::{self, Merge, PinUpdate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Create,
    Update,
    Unchanged,
    /// Someone changed (or wrote) this file; pyrel will not replace it unless forced.
    HandEdited,
}

#[derive(Debug, Clone)]
pub(crate) struct Change {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    pub old: Option<String>,
    pub new: String,
    pub action: Action,
    /// Action pins this change moves forward to pyrel's verified data.
    pub pin_updates: Vec<PinUpdate>,
    /// The encoding `old` was read in and `new` is written in.
    pub encoding: Encoding,
}

/// The kind of file being planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ownership {
    /// Entirely pyrel's output, stamped with a digest.
    Generated,
    /// The user's file that pyrel edits in place (pyproject.toml).
    Merged,
}

pub(crate) fn plan_file(
    root: &Path,
    path: &str,
    new: String,
    ownership: Ownership,
) -> Result<Change> {
    let (old, encoding) = match read_current(root, path)? {
        Some((text, encoding)) => (Some(text), encoding),
        None => (None, Encoding::Utf8),
    };
    plan_known(path, old, encoding, new, ownership)
}

/// A file of the repository as text (`None` when it does not exist), read
/// through the same confinement as writes: a path under `.git/` or through
/// a symbolic link leading outside the repository is refused, not read.
/// Python files are decoded as they declare (PEP 263); others are UTF-8.
pub(crate) fn read_current(root: &Path, path: &str) -> Result<Option<(String, Encoding)>> {
    let real = crate::confine::confine(root, path)?;
    let bytes = match std::fs::read(&real) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    if path.ends_with(".py") {
        return pyversion::decode_python(&bytes, path).map(Some);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some((text, Encoding::Utf8))),
        Err(e) => Err(Error::in_file(
            path,
            format!(
                "is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .with_hint("save it as UTF-8; nothing was written")),
    }
}

/// The change from `old` (as read, in `encoding`) to `new`.
pub(crate) fn plan_known(
    path: &str,
    old: Option<String>,
    encoding: Encoding,
    mut new: String,
    ownership: Ownership,
) -> Result<Change> {
    let mut pin_updates = Vec::new();
    let action = match &old {
        None => Action::Create,
        Some(old) if same_text(old, &new) => Action::Unchanged,
        Some(old) => match ownership {
            Ownership::Merged => Action::Update,
            Ownership::Generated => match stamp::provenance(old) {
                // pyrel's output, perhaps with pins Dependabot moved forward:
                // those survive, unless pyrel's verified pins are newer.
                Provenance::Pristine => match uses::keep_newer_pins(old, &new) {
                    Merge::Merged { text, updates } => {
                        new = text;
                        pin_updates = updates;
                        if same_text(old, &new) {
                            Action::Unchanged
                        } else {
                            Action::Update
                        }
                    }
                    Merge::Tampered => Action::HandEdited,
                },
                Provenance::Edited | Provenance::Foreign => Action::HandEdited,
            },
        },
    };
    Ok(Change {
        path: path.to_string(),
        old,
        new,
        action,
        pin_updates,
        encoding,
    })
}

/// The files pyrel reads to decide what to write: a generated file must
/// never be one of them, whatever the flags (`docs = "pyproject.toml"`
/// would otherwise replace the configuration it was read from).
pub(crate) fn inputs(project: &Project) -> Vec<String> {
    let mut out = vec![crate::inspect::display_path(
        &project.package_dir,
        "pyproject.toml",
    )];
    out.extend(project.cargo_manifest.iter().cloned());
    out.extend(project.workspace_manifest.iter().cloned());
    for m in project
        .cargo_manifest
        .iter()
        .chain(project.workspace_manifest.iter())
    {
        let dir = m.rsplit_once('/').map_or("", |(d, _)| d);
        out.push(crate::inspect::display_path(dir, "Cargo.lock"));
    }
    out.extend(project.version_sources.iter().map(|s| s.file.clone()));
    out.extend(
        project
            .existing_workflows
            .iter()
            .filter(|w| !w.pyrel)
            .map(|w| w.file.clone()),
    );
    out.sort();
    out.dedup();
    out
}

/// Refuse a generated file that would replace one of pyrel's inputs or sit
/// under `.git/` (exit 2). A foreign workflow at pyrel's own workflow path
/// is the adoption case, decided by `init`'s `--replace`, and is allowed.
pub(crate) fn refuse_inputs(project: &Project, workflow: &str, changes: &[Change]) -> Result<()> {
    let inputs = inputs(project);
    for c in changes {
        let is_input = inputs.iter().any(|i| same_path(i, &c.path));
        if is_input && !same_path(&c.path, workflow) {
            return Err(Error::in_file(
                &c.path,
                "is one of the files pyrel reads (pyproject.toml, Cargo.toml, Cargo.lock, a \
                 version file or another workflow); pyrel will not generate a file there",
            )
            .with_hint("choose another path for `docs`/`workflow` in [tool.pyrel] or the flags"));
        }
    }
    Ok(())
}

/// Paths compare case-insensitively: on macOS and Windows `PyProject.toml`
/// is the same file.
fn same_path(a: &str, b: &str) -> bool {
    a.trim_start_matches("./")
        .eq_ignore_ascii_case(b.trim_start_matches("./"))
}

/// "actions/checkout v7.0.1 → v7.0.2, ...": the pins a change moves forward.
pub(crate) fn pin_note(change: &Change) -> Option<String> {
    if change.pin_updates.is_empty() {
        return None;
    }
    let list: Vec<String> = change
        .pin_updates
        .iter()
        .map(|u| format!("{} {} → {}", u.action, u.from, u.to))
        .collect();
    Some(format!(
        "action pins updated to pyrel's verified ones: {}",
        list.join(", ")
    ))
}

/// Equal up to line endings: a checkout with CRLF is not drift.
fn same_text(a: &str, b: &str) -> bool {
    a == b || a.replace("\r\n", "\n") == b.replace("\r\n", "\n")
}

/// A unified diff from the file on disk to the planned content.
pub(crate) fn diff(change: &Change) -> String {
    let old = change.old.as_deref().unwrap_or("").replace("\r\n", "\n");
    let new = change.new.replace("\r\n", "\n");
    let from = if change.old.is_some() {
        format!("a/{}", change.path)
    } else {
        "/dev/null".to_string()
    };
    similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&from, &format!("b/{}", change.path))
        .to_string()
}
