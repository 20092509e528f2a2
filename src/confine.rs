//! Where a repository-relative path really is, refusing what pyrel must
//! never write (outside the repository, under `.git/`, through a symbolic
//! link leading out). Below both `plan` (which reads the current file) and
//! `apply` (which writes it), so neither imports the other.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Where `rel` (a repository-relative path with `/` separators) really is,
/// refusing what pyrel must never write: an absolute path or `..`, anything
/// under `.git/`, and any symbolic link on the way (directory or file) that
/// leads outside the repository or into `.git/`. Components that do not
/// exist yet are fine (they will be created as directories).
pub(crate) fn confine(root: &Path, rel: &str) -> Result<PathBuf> {
    let refuse = |why: String| {
        Error::in_file(rel, why).with_hint(
            "pyrel writes only inside the repository and never under .git/; choose a path \
             inside it (and remove the symbolic link if one leads outside)",
        )
    };
    let root = root
        .canonicalize()
        .map_err(|e| Error::io(root.to_path_buf(), e))?;
    let mut parts = Vec::new();
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(p) => parts.push(Some(p.to_os_string())),
            // `..` is applied to the real directory reached so far, as the
            // OS does (`link/..` is the parent of the link's target).
            Component::ParentDir => parts.push(None),
            Component::CurDir => {}
            _ => return Err(refuse("is not a path inside the repository".into())),
        }
    }
    if !matches!(parts.last(), Some(Some(_))) {
        return Err(refuse("is not a file path".into()));
    }
    let mut cur = root.clone();
    for (i, part) in parts.iter().enumerate() {
        let Some(part) = part else {
            if cur == root {
                return Err(refuse("is not a path inside the repository".into()));
            }
            cur.pop();
            continue;
        };
        if is_git_dir_name(part) {
            return Err(refuse("is inside .git/, git's own directory".into()));
        }
        let next = cur.join(part);
        match fs::symlink_metadata(&next) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = next.canonicalize();
                let inside = target
                    .as_ref()
                    .ok()
                    .and_then(|t| t.strip_prefix(&root).ok())
                    .filter(|r| !r.components().any(|c| is_git_dir_name(c.as_os_str())));
                match (inside, &target) {
                    (Some(_), Ok(t)) => cur = t.clone(),
                    // A dangling link: where it points is not known to be inside.
                    (_, Err(_)) if i + 1 == parts.len() => {
                        return Err(refuse(format!(
                            "{} is a symbolic link to a missing file",
                            next.display()
                        )))
                    }
                    _ => {
                        return Err(refuse(format!(
                            "{} is a symbolic link to {}, outside the repository (or into .git/)",
                            relative(&root, &next),
                            fs::read_link(&next)
                                .map(|t| t.display().to_string())
                                .unwrap_or_default()
                        )))
                    }
                }
            }
            _ => cur = next,
        }
    }
    Ok(cur)
}

fn relative(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

fn is_git_dir_name(part: &std::ffi::OsStr) -> bool {
    part.to_str()
        .is_some_and(|s| s.eq_ignore_ascii_case(".git"))
}
