//! The paths git tracks, read from the index file (`.git/index`) directly:
//! no `git` process on the hot path. Versions 2, 3 and 4 of the format
//! (<https://git-scm.com/docs/index-format>), SHA-1 and SHA-256 object ids.
//! Extensions (cache tree, untracked cache, ...) are not needed and not read.

use std::path::{Path, PathBuf};

/// Every path in the index of the repository at `root` (each once, in index
/// order) for which `keep` holds; `None` when there is no readable index.
pub(crate) fn tracked(root: &Path, keep: impl Fn(&str) -> bool) -> Option<Vec<String>> {
    let dir = worktree_git_dir(root)?;
    let bytes = std::fs::read(dir.join("index")).ok()?;
    let config =
        std::fs::read_to_string(super::git::git_dir(root)?.join("config")).unwrap_or_default();
    let hash_len = if sha256(&config) { 32 } else { 20 };
    parse(&bytes, hash_len, keep)
}

/// The per-worktree git directory (where the index lives): `.git` itself,
/// or the directory a `.git` file points to (worktrees, submodules).
fn worktree_git_dir(root: &Path) -> Option<PathBuf> {
    let dot_git = root.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    Some(root.join(text.strip_prefix("gitdir:")?.trim()))
}

/// `[extensions] objectformat = sha256` in the repository's config.
fn sha256(config: &str) -> bool {
    config.lines().any(|l| {
        l.split_once('=').is_some_and(|(k, v)| {
            k.trim().eq_ignore_ascii_case("objectformat") && v.trim().eq_ignore_ascii_case("sha256")
        })
    })
}

/// The entries' paths; `None` for a file that is not an index this reader
/// understands (then the caller knows nothing, rather than something wrong).
pub(crate) fn parse(
    bytes: &[u8],
    hash_len: usize,
    keep: impl Fn(&str) -> bool,
) -> Option<Vec<String>> {
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    if bytes.get(..4)? != b"DIRC" {
        return None;
    }
    let version = be32(4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = be32(8)? as usize;
    // stat data (40 bytes), object id, 16-bit flags
    let fixed = 40 + hash_len + 2;
    let mut at = 12;
    let mut out: Vec<String> = Vec::new();
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let flags = u16::from_be_bytes(bytes.get(at + fixed - 2..at + fixed)?.try_into().ok()?);
        let extended = flags & 0x4000 != 0;
        if extended && version < 3 {
            return None;
        }
        let start = at + fixed + if extended { 2 } else { 0 };
        let path = if version == 4 {
            // A varint: how many bytes of the previous path to drop, then the
            // NUL-terminated rest; no padding.
            let (strip, used) = varint(bytes.get(start..)?)?;
            let rest = start + used;
            let len = bytes.get(rest..)?.iter().position(|&b| b == 0)?;
            let keep_len = previous.len().checked_sub(strip)?;
            let mut path = previous[..keep_len].to_vec();
            path.extend_from_slice(&bytes[rest..rest + len]);
            at = rest + len + 1;
            path
        } else {
            let len = bytes.get(start..)?.iter().position(|&b| b == 0)?;
            let path = bytes[start..start + len].to_vec();
            // 1 to 8 NULs pad the entry to a multiple of 8 bytes.
            let entry_len = (start - at + len + 8) & !7;
            at += entry_len;
            path
        };
        if at > bytes.len() {
            return None;
        }
        if let Ok(text) = std::str::from_utf8(&path) {
            // Conflict stages list a path more than once, consecutively.
            if keep(text) && out.last().map(String::as_str) != Some(text) {
                out.push(text.to_string());
            }
        }
        previous = path;
    }
    Some(out)
}

/// git's offset varint (index v4): 7 bits per byte, high bit "more", each
/// continuation adding one before shifting.
fn varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut i = 0;
    let mut c = *bytes.first()?;
    let mut value = usize::from(c & 0x7f);
    while c & 0x80 != 0 {
        i += 1;
        c = *bytes.get(i)?;
        value = value
            .checked_add(1)?
            .checked_mul(128)?
            .checked_add(usize::from(c & 0x7f))?;
    }
    Some((value, i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// The reader agrees with `git ls-files` on a real index, in every
    /// format version git writes (v2, v3 with an extended flag, v4).
    #[test]
    fn agrees_with_git_ls_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let git = |args: &[&str]| {
            let out = Command::new("git")
                .args(args)
                .current_dir(root)
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("HOME", root)
                .output()
                .expect("git runs");
            assert!(out.status.success(), "git {args:?}: {out:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        git(&["init", "-q"]);
        let files = [
            "pyproject.toml",
            "a/pyproject.toml",
            "a/b/c/deep/pyproject.toml",
            "a/bb/pyproject.toml",
            "an exotic name/pyproject.toml",
            "src/lib.rs",
            "x".repeat(120).as_str(),
        ]
        .map(String::from);
        for f in &files {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, f).unwrap();
        }
        git(&["add", "-A"]);
        for version in ["2", "3", "4"] {
            git(&["update-index", "--index-version", version]);
            if version == "3" {
                // An intent-to-add entry carries the extended flags.
                std::fs::write(root.join("later.txt"), "x").unwrap();
                git(&["add", "--intent-to-add", "later.txt"]);
            }
            let expected: Vec<String> = git(&["ls-files", "-z"])
                .split('\0')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect();
            assert_eq!(
                tracked(root, |_| true).as_deref(),
                Some(expected.as_slice()),
                "index v{version}"
            );
            let projects = tracked(root, |p| p.ends_with("pyproject.toml")).unwrap();
            assert_eq!(projects.len(), 5, "v{version}: {projects:?}");
        }
    }

    #[test]
    fn garbage_is_not_an_index() {
        assert_eq!(parse(b"", 20, |_| true), None);
        assert_eq!(parse(b"DIRC\0\0\0\x05\0\0\0\0", 20, |_| true), None);
        // Claims an entry it does not hold.
        assert_eq!(parse(b"DIRC\0\0\0\x02\0\0\0\x01", 20, |_| true), None);
        assert_eq!(
            parse(b"DIRC\0\0\0\x02\0\0\0\0", 20, |_| true),
            Some(Vec::new())
        );
        // v4 stripping more than the previous path holds.
        let mut v4 = b"DIRC\0\0\0\x04\0\0\0\x01".to_vec();
        v4.extend([0u8; 62]);
        v4.extend([5u8, b'a', 0]);
        assert_eq!(parse(&v4, 20, |_| true), None);
    }

    #[test]
    fn varints() {
        assert_eq!(varint(&[0]), Some((0, 1)));
        assert_eq!(varint(&[0x7f]), Some((127, 1)));
        assert_eq!(varint(&[0x80, 0]), Some((128, 2)));
        assert_eq!(varint(&[0x80]), None);
        assert_eq!(varint(&[0xff; 20]), None);
    }
}
