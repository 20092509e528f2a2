//! The only code that writes. Everything is rendered, validated and planned
//! before the first byte goes to disk; then each file is written to a
//! temporary file beside it and renamed into place, so a reader never sees a
//! half-written file and a failure before the renames leaves the tree as it was.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::plan::{Action, Change};

/// Write every change that needs writing. `force` also replaces hand-edited
/// files; without it, the caller must have refused already.
pub(crate) fn write(root: &Path, changes: &[Change], force: bool) -> Result<()> {
    let todo: Vec<&Change> = changes
        .iter()
        .filter(|c| match c.action {
            Action::Create | Action::Update => true,
            Action::HandEdited => force,
            Action::Unchanged => false,
        })
        .collect();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for change in &todo {
        match stage(root, change) {
            Ok(pair) => staged.push(pair),
            Err(e) => {
                for (tmp, _) in &staged {
                    let _ = fs::remove_file(tmp);
                }
                return Err(e);
            }
        }
    }
    for (i, (tmp, dest)) in staged.iter().enumerate() {
        if let Err(e) = fs::rename(tmp, dest) {
            for (tmp, _) in &staged[i..] {
                let _ = fs::remove_file(tmp);
            }
            return Err(Error::io(dest, e));
        }
    }
    Ok(())
}

/// Write `change` to a temporary file next to its destination, with the old
/// file's permissions and line endings.
fn stage(root: &Path, change: &Change) -> Result<(PathBuf, PathBuf)> {
    let dest = root.join(&change.path);
    let dir = dest.parent().unwrap_or(root).to_path_buf();
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let crlf = change.old.as_deref().is_some_and(|o| o.contains("\r\n"));
    let content = if crlf {
        change.new.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        change.new.clone()
    };
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.pyrel-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(content.as_bytes())?;
        f.sync_all()?;
        if let Ok(meta) = fs::metadata(&dest) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        Ok(())
    })();
    result.map_err(|e: std::io::Error| {
        let _ = fs::remove_file(&tmp);
        Error::io(&tmp, e)
    })?;
    Ok((tmp, dest))
}
