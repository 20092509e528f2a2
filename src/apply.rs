//! The only code that writes. Everything is rendered, validated and planned
//! before the first byte goes to disk; then, for all files together:
//!
//! 1. every target is confined: resolved component by component inside the
//!    repository, never under `.git/`, never through a symbolic link that
//!    leads outside;
//! 2. every new content is staged in a temporary file beside its target;
//! 3. every existing target is proven replaceable (a hard link to it is
//!    taken as the backup: the kernel refuses one for an immutable or
//!    append-only file, as it would refuse the rename) and verified to still
//!    hold the bytes the plan read (a file changed meanwhile is named and
//!    nothing is written);
//! 4. only then are the targets replaced; if one replacement fails, the ones
//!    already replaced are restored from their backups, and a restore that
//!    fails is reported with the backup's path.
//!
//! `lock` serialises pyrel processes that write in the same repository.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(crate) use crate::confine::confine;
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
    let mut tx = Transaction::default();
    match prepare(root, &todo, &mut tx) {
        Ok(()) => tx.commit(),
        Err(e) => {
            tx.abandon();
            Err(e)
        }
    }
}

/// One file of a transaction.
struct Entry {
    display: String,
    dest: PathBuf,
    tmp: PathBuf,
    /// A hard link to (or copy of) the file being replaced.
    backup: Option<PathBuf>,
}

#[derive(Default)]
struct Transaction {
    entries: Vec<Entry>,
    /// Directories created for new files, innermost last.
    created_dirs: Vec<PathBuf>,
}

fn prepare(root: &Path, todo: &[&Change], tx: &mut Transaction) -> Result<()> {
    // Confine and check every target before creating anything.
    let mut dests = Vec::new();
    for change in todo {
        let dest = confine(root, &change.path)?;
        if let Ok(meta) = fs::symlink_metadata(&dest) {
            if meta.is_dir() {
                return Err(Error::in_file(
                    &change.path,
                    "is a directory; pyrel cannot replace it with a file",
                )
                .with_hint("move the directory away; nothing was written"));
            }
        }
        if dests.contains(&dest) {
            return Err(Error::Internal(format!("{} planned twice", change.path)));
        }
        dests.push(dest);
    }
    for (change, dest) in todo.iter().zip(dests) {
        let dir = dest.parent().unwrap_or(root).to_path_buf();
        create_dirs(&dir, &mut tx.created_dirs).map_err(|e| Error::io(&dir, e))?;
        let content = encode(change)?;
        let tmp = temp_name(&dest, "tmp");
        tx.entries.push(Entry {
            display: change.path.clone(),
            dest,
            tmp,
            backup: None,
        });
        // Recorded before staging: abandon() removes whatever exists.
        let entry = tx.entries.last_mut().expect("just pushed");
        stage(&entry.tmp, &entry.dest, &content).map_err(|e| Error::io(&entry.tmp, e))?;
        entry.backup = hold(entry, change)?;
    }
    Ok(())
}

/// The bytes to write: the planned text in the file's own encoding and line
/// endings.
fn encode(change: &Change) -> Result<Vec<u8>> {
    let crlf = change.old.as_deref().is_some_and(|o| o.contains("\r\n"));
    let text = if crlf {
        change.new.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        change.new.clone()
    };
    change.encoding.encode(&text).map_err(|c| {
        Error::in_file(
            &change.path,
            format!(
                "the new content holds {c:?}, which its declared encoding ({}) cannot represent",
                change.encoding.name()
            ),
        )
        .with_hint("save the file as UTF-8; nothing was written")
    })
}

/// Write `content` to `tmp`, with `dest`'s permissions when it exists.
fn stage(tmp: &Path, dest: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(tmp)?;
    f.write_all(content)?;
    f.sync_all()?;
    if let Ok(meta) = fs::metadata(dest) {
        fs::set_permissions(tmp, meta.permissions())?;
    }
    Ok(())
}

/// Prove `entry.dest` can be replaced and still holds what the plan read;
/// returns the backup to restore it from.
fn hold(entry: &Entry, change: &Change) -> Result<Option<PathBuf>> {
    // `old` was decoded from this encoding, so it encodes back exactly.
    let expected: Option<Vec<u8>> = change
        .old
        .as_ref()
        .map(|old| change.encoding.encode(old).unwrap_or_default());
    let exists = fs::symlink_metadata(&entry.dest).is_ok();
    let Some(expected) = expected else {
        if exists {
            return Err(changed(&entry.display, "was created"));
        }
        return Ok(None);
    };
    if !exists {
        return Err(changed(&entry.display, "was deleted"));
    }
    let backup = temp_name(&entry.dest, "bak");
    match fs::hard_link(&entry.dest, &backup) {
        Ok(()) => {}
        Err(e) if is_denied(&e) => return Err(unreplaceable(&entry.display, &e)),
        // No hard links here (some network and FAT file systems): a copy
        // is the backup, and opening for writing the proof.
        Err(_) => {
            fs::OpenOptions::new()
                .append(true)
                .open(&entry.dest)
                .map_err(|e| unreplaceable(&entry.display, &e))?;
            fs::copy(&entry.dest, &backup).map_err(|e| Error::io(&entry.display, e))?;
        }
    }
    let now = fs::read(&backup);
    if now.as_deref().ok() != Some(expected.as_slice()) {
        let _ = fs::remove_file(&backup);
        return Err(changed(&entry.display, "was changed"));
    }
    Ok(Some(backup))
}

fn is_denied(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::PermissionDenied
        || e.kind() == std::io::ErrorKind::ReadOnlyFilesystem
}

fn unreplaceable(display: &str, e: &std::io::Error) -> Error {
    Error::in_file(display, format!("cannot be replaced ({e})")).with_hint(
        "it is read-only, immutable (`lsattr`; `chattr -i`), append-only, on a read-only file \
         system, or locked by another program; fix that and run pyrel again. Nothing was written",
    )
}

fn changed(display: &str, how: &str) -> Error {
    Error::in_file(
        display,
        format!("{how} while pyrel was running (another editor or pyrel process?)"),
    )
    .with_hint("nothing was written; run pyrel again to plan from the current files")
}

impl Transaction {
    /// Replace every target; on failure restore the ones replaced.
    fn commit(mut self) -> Result<()> {
        // Ctrl-C (or a terminal closing) while files are being replaced
        // waits until all are replaced or restored.
        let _held = SignalsHeld::new();
        for i in 0..self.entries.len() {
            let e = &self.entries[i];
            let result = if e.backup.is_some() {
                fs::rename(&e.tmp, &e.dest)
            } else {
                // A new file: never replace one that appeared meanwhile.
                match fs::hard_link(&e.tmp, &e.dest) {
                    Ok(()) => fs::remove_file(&e.tmp),
                    Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Err(err),
                    // No hard links on this file system: checked absent in `hold`.
                    Err(_) => fs::rename(&e.tmp, &e.dest),
                }
            };
            if let Err(err) = result {
                let failed = Error::io(&e.display, err);
                let trouble = self.roll_back(i);
                return Err(match trouble.is_empty() {
                    true => match failed {
                        Error::Io { path, source } => Error::in_file(
                            path,
                            format!("could not be replaced ({source}); every file was restored"),
                        ),
                        other => other,
                    },
                    false => Error::input(format!(
                        "{failed}; and restoring failed: {}",
                        trouble.join("; ")
                    ))
                    .with_hint("copy the backups named above back into place"),
                });
            }
        }
        for e in &self.entries {
            if let Some(b) = &e.backup {
                let _ = fs::remove_file(b);
            }
        }
        Ok(())
    }

    /// Undo the first `done` replacements; what could not be undone.
    fn roll_back(&mut self, done: usize) -> Vec<String> {
        let mut trouble = Vec::new();
        for e in self.entries[..done].iter().rev() {
            let undone = match &e.backup {
                Some(b) => fs::rename(b, &e.dest),
                None => fs::remove_file(&e.dest),
            };
            if let Err(err) = undone {
                trouble.push(match &e.backup {
                    Some(b) => format!(
                        "{} is the new version ({err}); the old one is in {}",
                        e.display,
                        b.display()
                    ),
                    None => format!("{} was created and could not be removed ({err})", e.display),
                });
            }
        }
        // The rest were never replaced.
        for e in &mut self.entries[done..] {
            let _ = fs::remove_file(&e.tmp);
            if let Some(b) = e.backup.take() {
                let _ = fs::remove_file(b);
            }
        }
        self.entries.clear();
        self.remove_dirs();
        trouble
    }

    /// Nothing was replaced: remove the staged files, backups and new
    /// directories.
    fn abandon(mut self) {
        for e in &self.entries {
            let _ = fs::remove_file(&e.tmp);
            if let Some(b) = &e.backup {
                let _ = fs::remove_file(b);
            }
        }
        self.entries.clear();
        self.remove_dirs();
    }

    fn remove_dirs(&mut self) {
        for d in self.created_dirs.drain(..).rev() {
            // Only when empty: a file created there meanwhile is not ours.
            let _ = fs::remove_dir(d);
        }
    }
}

/// Interrupting signals blocked for the life of the value, then delivered.
struct SignalsHeld {
    #[cfg(unix)]
    old: libc::sigset_t,
}

impl SignalsHeld {
    fn new() -> SignalsHeld {
        #[cfg(unix)]
        // SAFETY: plain signal-mask calls on values we own.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            let mut old: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
                libc::sigaddset(&mut set, sig);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
            SignalsHeld { old }
        }
        #[cfg(not(unix))]
        SignalsHeld {}
    }
}

impl Drop for SignalsHeld {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: restores the mask saved in `new`.
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.old, std::ptr::null_mut());
        }
    }
}

/// `mkdir -p`, remembering what it created.
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut missing = Vec::new();
    let mut d = dir;
    while fs::symlink_metadata(d).is_err() {
        missing.push(d.to_path_buf());
        match d.parent() {
            Some(p) => d = p,
            None => break,
        }
    }
    for m in missing.into_iter().rev() {
        fs::create_dir(&m)?;
        created.push(m);
    }
    Ok(())
}

fn temp_name(dest: &Path, kind: &str) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}.pyrel-{}.{kind}", std::process::id()))
}

/// An advisory lock on the repository that holds `dir`: held while a
/// command reads and writes, so that two pyrel processes never interleave
/// (the second waits). Released when dropped (or when the process ends).
pub(crate) struct RepoLock {
    /// Held for its lifetime: closing it releases the lock.
    _file: Option<fs::File>,
}

pub(crate) fn lock(dir: &Path) -> Result<RepoLock> {
    let dir = dir
        .canonicalize()
        .map_err(|e| Error::in_file(dir, format!("the package directory does not exist ({e})")))?;
    let root = crate::inspect::git::repo_root(&dir).unwrap_or(dir);
    lock_dir(&root)
}

#[cfg(unix)]
fn lock_dir(root: &Path) -> Result<RepoLock> {
    use std::os::unix::io::AsRawFd;
    // The directory itself is locked: it is never replaced (a lock file
    // would be a stray file in the user's tree).
    let file = fs::File::open(root).map_err(|e| Error::io(root, e))?;
    let fd = file.as_raw_fd();
    // SAFETY: flock on a descriptor we own; no memory is involved.
    if unsafe { libc::flock(fd, libc::LOCK_EX | libc::LOCK_NB) } != 0 {
        let err = std::io::Error::last_os_error();
        if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
            // Locks unsupported (some network file systems): carry on; the
            // verify-before-replace still guards every file.
            return Ok(RepoLock { _file: None });
        }
        crate::out::eprintln!(
            "pyrel: another pyrel is writing in {}; waiting for it to finish",
            root.display()
        );
        // SAFETY: as above.
        while unsafe { libc::flock(fd, libc::LOCK_EX) } != 0 {
            let err = std::io::Error::last_os_error();
            if err.kind() != std::io::ErrorKind::Interrupted {
                return Err(Error::io(root, err));
            }
        }
    }
    Ok(RepoLock { _file: Some(file) })
}

#[cfg(not(unix))]
fn lock_dir(_root: &Path) -> Result<RepoLock> {
    Ok(RepoLock { _file: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::pyversion::Encoding;
    use proptest::prelude::*;

    fn change(path: &str, old: Option<&str>, new: &str) -> Change {
        Change {
            path: path.into(),
            old: old.map(str::to_string),
            new: new.into(),
            action: if old.is_some() {
                Action::Update
            } else {
                Action::Create
            },
            pin_updates: Vec::new(),
            encoding: Encoding::Utf8,
        }
    }

    /// Every file name in `dir`, recursively (temporaries included).
    fn names(dir: &Path) -> Vec<String> {
        let mut out = Vec::new();
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            out.push(e.file_name().to_string_lossy().into_owned());
            if e.file_type().unwrap().is_dir() {
                out.extend(names(&e.path()));
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_failed_replacement_restores_those_already_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.txt"), "old a").unwrap();
        fs::write(root.join("b.txt"), "old b").unwrap();
        let changes = [
            change("a.txt", Some("old a"), "new a"),
            change("new/c.txt", None, "new c"),
            change("b.txt", Some("old b"), "new b"),
        ];
        let todo: Vec<&Change> = changes.iter().collect();
        let mut tx = Transaction::default();
        prepare(root, &todo, &mut tx).unwrap();
        // The fault: the last staged file disappears before its rename.
        fs::remove_file(&tx.entries[2].tmp).unwrap();
        let err = tx.commit().unwrap_err().to_string();
        assert!(err.contains("b.txt") && err.contains("restored"), "{err}");
        assert_eq!(fs::read_to_string(root.join("a.txt")).unwrap(), "old a");
        assert_eq!(fs::read_to_string(root.join("b.txt")).unwrap(), "old b");
        assert_eq!(names(root), ["a.txt", "b.txt"], "leftovers");
    }

    #[test]
    fn a_failed_restore_is_reported_with_the_backup() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.txt"), "old a").unwrap();
        fs::write(root.join("b.txt"), "old b").unwrap();
        let changes = [
            change("a.txt", Some("old a"), "new a"),
            change("b.txt", Some("old b"), "new b"),
        ];
        let todo: Vec<&Change> = changes.iter().collect();
        let mut tx = Transaction::default();
        prepare(root, &todo, &mut tx).unwrap();
        fs::remove_file(&tx.entries[1].tmp).unwrap();
        // a.txt's backup is lost too: its restore fails.
        let backup = tx.entries[0].backup.clone().unwrap();
        fs::remove_file(&backup).unwrap();
        let err = tx.commit().unwrap_err().to_string();
        assert!(
            err.contains("restoring failed") && err.contains("a.txt is the new version"),
            "{err}"
        );
    }

    #[test]
    fn a_file_changed_since_it_was_read_stops_everything() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.txt"), "old a").unwrap();
        fs::write(root.join("b.txt"), "edited meanwhile").unwrap();
        let changes = [
            change("a.txt", Some("old a"), "new a"),
            change("b.txt", Some("old b"), "new b"),
            change("c.txt", None, "new c"),
        ];
        let err = write(root, &changes, false).unwrap_err().to_string();
        assert!(
            err.contains("b.txt: was changed while pyrel was running"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(root.join("a.txt")).unwrap(), "old a");
        assert_eq!(names(root), ["a.txt", "b.txt"]);
        // A file that appeared where pyrel planned to create one.
        fs::write(root.join("b.txt"), "old b").unwrap();
        fs::write(root.join("c.txt"), "mine").unwrap();
        let err = write(root, &changes, false).unwrap_err().to_string();
        assert!(err.contains("c.txt: was created"), "{err}");
        assert_eq!(fs::read_to_string(root.join("c.txt")).unwrap(), "mine");
    }

    #[test]
    fn a_latin1_file_is_verified_and_written_in_latin1() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(
            root.join("m.py"),
            b"# coding: latin-1\nx = '\xe9'\nv = '1'\n",
        )
        .unwrap();
        let (old, enc) = crate::plan::read_current(root, "m.py").unwrap().unwrap();
        assert_eq!(enc, Encoding::Latin1);
        let mut c = change("m.py", Some(&old), &old.replace("'1'", "'2'"));
        c.encoding = enc;
        write(root, &[c], false).unwrap();
        assert_eq!(
            fs::read(root.join("m.py")).unwrap(),
            b"# coding: latin-1\nx = '\xe9'\nv = '2'\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn confinement() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::create_dir_all(root.join("real")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("out")).unwrap();
        std::os::unix::fs::symlink("real", root.join("in")).unwrap();
        std::os::unix::fs::symlink(".git", root.join("gitlink")).unwrap();
        std::os::unix::fs::symlink("nowhere", root.join("dangling")).unwrap();
        let real = root.canonicalize().unwrap();
        assert_eq!(confine(root, "in/x.md").unwrap(), real.join("real/x.md"));
        assert_eq!(confine(root, "a/b/c.md").unwrap(), real.join("a/b/c.md"));
        // `..` inside the repository is fine, and follows the OS: the
        // parent of `in` (a link to `real`) is the root.
        assert_eq!(confine(root, "a/../x.md").unwrap(), real.join("x.md"));
        assert_eq!(confine(root, "in/../x.md").unwrap(), real.join("x.md"));
        for bad in [
            "out/x.md",
            "out",
            "out/../x.md",
            "in/..",
            ".git/config",
            "docs/.git/x",
            ".Git/hooks/pre-commit",
            "gitlink/config",
            "dangling",
            "../x.md",
            "/etc/passwd",
            "a/../../x",
        ] {
            assert!(confine(root, bad).is_err(), "{bad} was accepted");
        }
    }

    proptest! {
        /// Whatever the path, a confined one is inside the repository and
        /// never under `.git`; refusal is the only other outcome.
        #[cfg(unix)]
        #[test]
        fn confined_paths_stay_inside(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just(".."), Just("."), Just(".git"), Just(".GIT"), Just("out"),
                    Just("in"), Just("gitlink"), Just("a"), Just("b.md"), Just(""),
                ],
                1..6,
            )
        ) {
            let dir = tempfile::tempdir().unwrap();
            let outside = tempfile::tempdir().unwrap();
            let root = dir.path();
            fs::create_dir_all(root.join(".git")).unwrap();
            fs::create_dir_all(root.join("real")).unwrap();
            std::os::unix::fs::symlink(outside.path(), root.join("out")).unwrap();
            std::os::unix::fs::symlink("real", root.join("in")).unwrap();
            std::os::unix::fs::symlink(".git", root.join("gitlink")).unwrap();
            let rel = parts.join("/");
            if let Ok(p) = confine(root, &rel) {
                let real = root.canonicalize().unwrap();
                let inside = p.strip_prefix(&real);
                prop_assert!(inside.is_ok(), "{rel} -> {}", p.display());
                prop_assert!(
                    !inside.unwrap().components().any(|c| c.as_os_str().eq_ignore_ascii_case(".git")),
                    "{rel} -> {}", p.display()
                );
            }
        }

        /// Text a latin-1 file can hold survives encode/decode unchanged;
        /// text it cannot hold is refused, never mangled.
        #[test]
        fn encodings_round_trip(s in "\\PC{0,40}") {
            for enc in [Encoding::Utf8, Encoding::Latin1, Encoding::Ascii] {
                match enc.encode(&s) {
                    Ok(bytes) => prop_assert_eq!(enc.decode(&bytes).unwrap(), s.clone()),
                    Err(c) => prop_assert!(u32::from(c) > 0x7F),
                }
            }
        }
    }
}
