//! What would change, decided before anything is written: each file is
//! created, updated, unchanged, or hand-edited (a generated file whose
//! content no longer matches its pyrel digest, or a file pyrel did not write).

use std::path::Path;

use crate::error::{Error, Result};
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
    mut new: String,
    ownership: Ownership,
) -> Result<Change> {
    let old = match std::fs::read_to_string(root.join(path)) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::io(path, e)),
    };
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
    })
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
