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

#[cfg(test)]
mod plan_tests {
    //! The decision per file, and the files pyrel never generates over
    //! (several were survivors of mutation testing: see README, "Mutation
    //! testing").
    use super::*;

    fn generated(body: &str) -> String {
        stamp::stamp(format!("# {}\n{body}", stamp::placeholder()))
    }

    fn action(old: Option<&str>, new: &str, ownership: Ownership) -> Action {
        plan_known(
            "f.yml",
            old.map(str::to_string),
            Encoding::Utf8,
            new.to_string(),
            ownership,
        )
        .unwrap()
        .action
    }

    #[test]
    fn each_file_is_created_updated_unchanged_or_hand_edited() {
        use Ownership::{Generated, Merged};
        let v1 = generated("on: push\n");
        let v2 = generated("on: [push, pull_request]\n");
        assert_eq!(action(None, &v1, Generated), Action::Create);
        assert_eq!(action(Some(&v1), &v1, Generated), Action::Unchanged);
        // A CRLF checkout of the same text is not drift, for either kind.
        let crlf = v1.replace('\n', "\r\n");
        assert_eq!(action(Some(&crlf), &v1, Generated), Action::Unchanged);
        assert_eq!(
            action(Some("a\r\nb\r\n"), "a\nb\n", Merged),
            Action::Unchanged
        );
        assert_eq!(action(Some(&v1), &v2, Generated), Action::Update);
        // Edited after pyrel wrote it, or never pyrel's.
        let edited = v1.replace("push", "workflow_dispatch");
        assert_eq!(action(Some(&edited), &v2, Generated), Action::HandEdited);
        assert_eq!(
            action(Some("on: push\n"), &v2, Generated),
            Action::HandEdited
        );
        // pyproject.toml is the user's: any difference is an update.
        assert_eq!(action(Some("a = 1\n"), "a = 2\n", Merged), Action::Update);
    }

    #[test]
    fn files_are_read_as_they_are() {
        let dir = crate::testing::repo(&[
            ("a.toml", "x = 1\r\n"),
            ("bad.toml", "\u{e9}"),
            ("m.py", "# -*- coding: latin-1 -*-\nv = '1'\n"),
        ]);
        std::fs::write(dir.path().join("bad.toml"), b"x = \"\xff\"\n").unwrap();
        std::fs::create_dir(dir.path().join("adir")).unwrap();
        let root = dir.path();
        assert_eq!(
            read_current(root, "a.toml").unwrap(),
            Some(("x = 1\r\n".to_string(), Encoding::Utf8))
        );
        assert_eq!(read_current(root, "none.toml").unwrap(), None);
        let err = read_current(root, "bad.toml").unwrap_err().to_string();
        assert!(
            err.contains("bad.toml: is not UTF-8 text (invalid byte at offset 5)"),
            "{err}"
        );
        assert_eq!(
            read_current(root, "m.py").unwrap().unwrap().1,
            Encoding::Latin1
        );
        // Not a missing file: an error, never "create".
        assert!(read_current(root, "adir").is_err());
        assert!(plan_file(root, "adir", "x".into(), Ownership::Generated).is_err());
        let c = plan_file(root, "a.toml", "x = 2\n".into(), Ownership::Merged).unwrap();
        assert_eq!(
            (c.old.as_deref(), c.action),
            (Some("x = 1\r\n"), Action::Update)
        );
        let c = plan_file(root, "new.toml", "x = 2\n".into(), Ownership::Merged).unwrap();
        assert_eq!((c.old, c.action), (None, Action::Create));
    }

    #[test]
    fn inputs_are_never_generated_over() {
        let dir = crate::testing::repo(&[
            ("pyproject.toml", "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.hatch.version]\npath = \"pkg/v.py\"\n"),
            ("pkg/v.py", "__version__ = \"1.0\"\n"),
            (".github/workflows/release.yml", "# pyrel-digest: sha256:00\non: push\n"),
            (".github/workflows/release-old.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: twine upload dist/*\n"),
        ]);
        let project = crate::inspect::inspect(dir.path()).unwrap();
        assert_eq!(
            inputs(&project),
            [
                ".github/workflows/release-old.yml",
                "pkg/v.py",
                "pyproject.toml"
            ]
        );
        let change = |path: &str| {
            plan_known(
                path,
                None,
                Encoding::Utf8,
                String::new(),
                Ownership::Generated,
            )
            .unwrap()
        };
        let workflow = ".github/workflows/release.yml";
        // pyrel's own workflow, and a foreign one at the workflow path
        // (adoption, decided by init's --replace), may be written.
        assert!(refuse_inputs(&project, workflow, &[change(workflow)]).is_ok());
        let foreign = ".github/workflows/release-old.yml";
        assert!(refuse_inputs(&project, foreign, &[change(foreign)]).is_ok());
        assert!(refuse_inputs(&project, workflow, &[change("RELEASING.md")]).is_ok());
        for input in ["pyproject.toml", "./PyProject.toml", "pkg/v.py", foreign] {
            let err = refuse_inputs(&project, workflow, &[change("RELEASING.md"), change(input)])
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("is one of the files pyrel reads"),
                "{input}: {err}"
            );
        }
    }

    #[test]
    fn pin_notes_and_diffs() {
        let mut c = plan_known(
            "w.yml",
            Some("a\nb\n".into()),
            Encoding::Utf8,
            "a\nc\n".into(),
            Ownership::Merged,
        )
        .unwrap();
        assert_eq!(pin_note(&c), None);
        c.pin_updates = vec![
            PinUpdate {
                action: "actions/checkout".into(),
                from: "v4.1.0".into(),
                to: "v4.2.0".into(),
            },
            PinUpdate {
                action: "astral-sh/setup-uv".into(),
                from: "v5".into(),
                to: "v6".into(),
            },
        ];
        assert_eq!(
            pin_note(&c).as_deref(),
            Some("action pins updated to pyrel's verified ones: actions/checkout v4.1.0 → v4.2.0, astral-sh/setup-uv v5 → v6")
        );
        assert_eq!(
            diff(&c),
            "--- a/w.yml\n+++ b/w.yml\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
        );
        let c = plan_known(
            "n.md",
            None,
            Encoding::Utf8,
            "x\r\n".into(),
            Ownership::Generated,
        )
        .unwrap();
        assert_eq!(diff(&c), "--- /dev/null\n+++ b/n.md\n@@ -0,0 +1 @@\n+x\n");
    }
}
