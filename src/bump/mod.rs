//! `pyrel bump`: write a new version into every file `inspect` reports as
//! holding it, each in its own dialect (PEP 440 in Python files and
//! pyproject.toml, SemVer in Cargo files), plus the crate's own entries in
//! Cargo.lock. Only span edits: every other byte of every file is kept.
//!
//! This module only plans; `plan`/`apply` decide and write, all files or
//! none. No subprocess, no tree walk: bump stays in milliseconds.

pub(crate) mod edit;
pub(crate) mod lock;

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::inspect::{self, tomlfile::TomlFile, Locator, Project, VersionSource};
use crate::plan::{self, Action, Change, Ownership};
use crate::version::{self, Part, Pep440};

/// What to bump to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// An explicit version, in PEP 440 or SemVer spelling.
    Version(String),
    Part(Part),
}

impl Target {
    pub(crate) fn parse(s: &str) -> Target {
        match Part::parse(s) {
            Some(p) => Target::Part(p),
            None => Target::Version(s.to_string()),
        }
    }
}

pub(crate) struct Request<'a> {
    pub target: Target,
    pub allow_downgrade: bool,
    /// When the sources disagree: the file whose version is the current one.
    pub from_file: Option<&'a str>,
}

/// A planned bump.
#[derive(Debug)]
pub(crate) struct Bump {
    pub old: Pep440,
    pub new: Pep440,
    /// One per file that changes, in source order (Cargo.lock last).
    pub changes: Vec<Change>,
}

pub(crate) fn plan(project: &Project, req: &Request<'_>) -> Result<Bump> {
    let pyproject = inspect::display_path(&project.package_dir, "pyproject.toml");
    if project.vcs_version {
        let dir = if project.package_dir.is_empty() {
            String::new()
        } else {
            format!(" {}", project.package_dir)
        };
        return Err(Error::in_file(
            &pyproject,
            "the version is derived from git tags (the build backend's VCS plugin): the tag \
             is the version and no file holds it, so there is nothing to bump",
        )
        .with_hint(format!(
            "tag the release instead: `pyrel release {}{dir}` checks the repository and \
             creates the tag",
            match &req.target {
                Target::Version(v) => v.as_str(),
                Target::Part(_) => "X.Y.Z",
            }
        )));
    }
    if project.version_sources.is_empty() {
        return Err(
            Error::in_file(&pyproject, "pyrel found no file that holds the version").with_hint(
                "write it in [project] version (or the crate's Cargo.toml for maturin) and run \
                 pyrel bump again",
            ),
        );
    }
    let old = current(project, req.from_file)?;
    let new = match &req.target {
        Target::Version(s) => version::parse(s).map_err(|e| {
            Error::input(format!("invalid version: {e}")).with_hint(
                "give a PEP 440 version (1.2.0, 1.2.0rc1, 1.2.0.post1, 1.2.0.dev1) or one of \
                 major, minor, patch, alpha, beta, rc, post, dev, release",
            )
        })?,
        Target::Part(p) => {
            version::next(&old, *p).map_err(|e| Error::input(format!("cannot bump: {e}")))?
        }
    };
    if !req.allow_downgrade && new <= old {
        return Err(Error::input(format!(
            "{new} is not greater than the current version {old}"
        ))
        .with_hint(if new == old {
            "PyPI never accepts the same version twice; choose a greater one".to_string()
        } else {
            "pass --allow-downgrade if you really mean to go back".to_string()
        }));
    }
    let mut changes = Vec::new();
    let mut by_file: BTreeMap<&str, Vec<&VersionSource>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for s in &project.version_sources {
        if !by_file.contains_key(s.file.as_str()) {
            order.push(&s.file);
        }
        by_file.entry(&s.file).or_default().push(s);
    }
    let root = &project.paths.repo_root;
    for file in order {
        let (old, encoding) = read(root, file)?;
        let mut text = old.clone();
        for s in &by_file[file] {
            text = write_one(&text, s, &new).map_err(|m| Error::in_file(file, m))?;
        }
        changes.push(plan::plan_known(
            file,
            Some(old),
            encoding,
            text,
            Ownership::Merged,
        )?);
    }
    if let Some(change) = cargo_lock(project, &new)? {
        changes.push(change);
    }
    changes.retain(|c| c.action != Action::Unchanged);
    Ok(Bump { old, new, changes })
}

/// The version every source holds now (refusing when they disagree).
pub(crate) fn current_version(project: &Project) -> Result<Pep440> {
    if project.version_sources.is_empty() {
        let pyproject = inspect::display_path(&project.package_dir, "pyproject.toml");
        return Err(Error::in_file(
            &pyproject,
            "pyrel found no file that holds the version",
        ));
    }
    current(project, None)
}

/// The current version, refusing when the sources disagree (unless one file
/// is chosen).
fn current(project: &Project, from_file: Option<&str>) -> Result<Pep440> {
    let mut parsed = Vec::new();
    for s in &project.version_sources {
        let v = read_version(s).map_err(|m| Error::in_file(&s.file, m))?;
        parsed.push((s, v));
    }
    if let Some(f) = from_file {
        let f = f.trim_start_matches("./");
        return parsed
            .into_iter()
            .find(|(s, _)| s.file == f)
            .map(|(_, v)| v)
            .ok_or_else(|| {
                Error::input(format!("--from-file {f}: not one of the version sources"))
                    .with_hint(format!("choose one of: {}", list(project)))
            });
    }
    let first = parsed[0].1.clone();
    if parsed.iter().any(|(_, v)| *v != first) {
        let lines: Vec<String> = parsed
            .iter()
            .map(|(s, v)| format!("\n  {} ({}) = {v}", s.file, describe(&s.locator)))
            .collect();
        return Err(Error::input(format!(
            "the version sources disagree before the bump:{}",
            lines.join("")
        ))
        .with_hint(
            "pass --from-file FILE to take that file's version as the current one (every \
             source is then written with the new version)",
        ));
    }
    Ok(first)
}

fn list(project: &Project) -> String {
    let mut files: Vec<&str> = project
        .version_sources
        .iter()
        .map(|s| s.file.as_str())
        .collect();
    files.dedup();
    files.join(", ")
}

fn read_version(s: &VersionSource) -> Result<Pep440, String> {
    let parsed = if is_cargo(&s.file) {
        version::from_semver(&s.value)
    } else {
        version::parse(&s.value)
    };
    parsed.map_err(|e| format!("{} holds {:?}: {e}", describe(&s.locator), s.value))
}

fn describe(l: &Locator) -> String {
    match l {
        Locator::Toml { key } => format!("`{}`", key.join(".")),
        Locator::Python { variable } | Locator::PythonTuple { variable } => {
            format!("`{variable}`")
        }
        Locator::Text => "the whole file".into(),
        Locator::Pattern { pattern } => format!("the pattern {pattern:?}"),
    }
}

fn is_cargo(file: &str) -> bool {
    Path::new(file)
        .file_name()
        .is_some_and(|n| n == "Cargo.toml")
}

fn write_one(text: &str, s: &VersionSource, new: &Pep440) -> Result<String, String> {
    match &s.locator {
        Locator::Toml { key } => {
            let spelled = if is_cargo(&s.file) {
                version::to_semver(new)
                    .map_err(|e| format!("Cargo cannot hold this version: {e}"))?
                    .to_string()
            } else {
                new.to_string()
            };
            edit::toml_string(text, key, &spelled)
        }
        Locator::Python { variable } => edit::python_string(text, variable, &new.to_string()),
        Locator::PythonTuple { variable } => edit::python_tuple(text, variable, new),
        Locator::Text => Ok(edit::text_file(text, &new.to_string())),
        Locator::Pattern { pattern } => edit::pattern(text, pattern, &new.to_string()),
    }
}

/// A version file as read (in its own encoding): what the edit starts
/// from is what `apply` verifies is still there before replacing it.
fn read(root: &Path, file: &str) -> Result<(String, crate::inspect::pyversion::Encoding)> {
    plan::read_current(root, file)?.ok_or_else(|| {
        Error::in_file(file, "disappeared while pyrel was running")
            .with_hint("run pyrel bump again")
    })
}

/// The crate's `[[package]]` entries in Cargo.lock (every member inheriting
/// `[workspace.package] version` when that is what changed), only when a
/// Cargo file holds the version and the lock has the entry.
fn cargo_lock(project: &Project, new: &Pep440) -> Result<Option<Change>> {
    let Some(cargo_source) = project.version_sources.iter().find(|s| is_cargo(&s.file)) else {
        return Ok(None);
    };
    let Some(manifest) = &project.cargo_manifest else {
        return Ok(None);
    };
    let root = &project.paths.repo_root;
    let krate = TomlFile::read(&root.join(manifest), manifest)?
        .ok_or_else(|| Error::in_file(manifest, "not found"))?;
    let inherited = matches!(&cargo_source.locator, Locator::Toml { key } if key[0] == "workspace");
    let (lock_dir, names) = match (&project.workspace_manifest, inherited) {
        (Some(ws_manifest), true) => {
            let ws = TomlFile::read(&root.join(ws_manifest), ws_manifest)?
                .ok_or_else(|| Error::in_file(ws_manifest, "not found"))?;
            let ws_dir = parent(ws_manifest);
            (
                ws_dir.clone(),
                lock::inheriting_members(&ws, &root.join(&ws_dir))?,
            )
        }
        (ws, _) => {
            let name = krate
                .str(&["package", "name"])?
                .ok_or_else(|| Error::in_file(manifest, "[package] has no `name`"))?;
            let dir = parent(ws.as_deref().unwrap_or(manifest));
            (dir, [name].into())
        }
    };
    let lock_file = inspect::display_path(&lock_dir, "Cargo.lock");
    let Some((text, encoding)) = plan::read_current(root, &lock_file)? else {
        return Ok(None);
    };
    let new_semver = version::to_semver(new)
        .map_err(|e| Error::in_file(&lock_file, format!("Cargo cannot hold this version: {e}")))?;
    match lock::bump(&text, &names, &cargo_source.value, &new_semver.to_string()) {
        Some(out) => Ok(Some(plan::plan_known(
            &lock_file,
            Some(text),
            encoding,
            out,
            Ownership::Merged,
        )?)),
        None => Ok(None),
    }
}

/// The directory part of a repository-relative path (`""` at the root).
fn parent(file: &str) -> String {
    file.rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    //! `plan` on real little repositories, in memory of what mutation
    //! testing found unchecked (README, "Mutation testing").
    use super::*;

    struct Repo(tempfile::TempDir);

    impl Repo {
        fn new(files: &[(&str, &str)]) -> Repo {
            Repo(crate::testing::repo(files))
        }

        fn project(&self, package: &str) -> Project {
            inspect::inspect(&self.0.path().join(package)).unwrap()
        }

        fn bump(&self, package: &str, target: &str, from_file: Option<&str>) -> Result<Bump> {
            plan(
                &self.project(package),
                &Request {
                    target: Target::parse(target),
                    allow_downgrade: false,
                    from_file,
                },
            )
        }
    }

    /// Each change as (path, new text).
    fn written(b: &Bump) -> Vec<(&str, &str)> {
        b.changes
            .iter()
            .map(|c| (c.path.as_str(), c.new.as_str()))
            .collect()
    }

    const PURE: &str = "[project]\nname = \"pkg\"\nversion = \"1.0.0\"  # the version\n";

    #[test]
    fn targets_are_parts_or_versions() {
        assert_eq!(Target::parse("minor"), Target::Part(Part::Minor));
        assert_eq!(Target::parse("release"), Target::Part(Part::Release));
        assert_eq!(Target::parse("1.2.0"), Target::Version("1.2.0".into()));
    }

    #[test]
    fn every_source_is_written_in_its_own_dialect_and_order() {
        let repo = Repo::new(&[
            ("pyproject.toml", PURE),
            (
                "pkg/__init__.py",
                "__version__ = '1.0.0'\n__version_info__ = (1, 0, 0)\n",
            ),
        ]);
        let b = repo.bump("", "minor", None).unwrap();
        assert_eq!(
            (b.old.to_string(), b.new.to_string()),
            ("1.0.0".into(), "1.1.0".into())
        );
        assert_eq!(
            written(&b),
            [
                ("pyproject.toml", PURE.replace("1.0.0", "1.1.0").as_str()),
                (
                    "pkg/__init__.py",
                    "__version__ = '1.1.0'\n__version_info__ = (1, 1, 0)\n"
                ),
            ]
        );
        assert!(b.changes.iter().all(|c| c.action == Action::Update));
        // An explicit version in SemVer spelling is read as PEP 440.
        let b = repo.bump("", "1.1.0-rc.1", None).unwrap();
        assert_eq!(b.new.to_string(), "1.1.0rc1");
        assert!(
            written(&b)[1].1.contains("(1, 1, 0, \"rc\", 1)"),
            "{:?}",
            written(&b)
        );
        assert_eq!(
            current_version(&repo.project("")).unwrap().to_string(),
            "1.0.0"
        );
    }

    #[test]
    fn text_and_pattern_sources_are_written_too() {
        let repo = Repo::new(&[
            ("pyproject.toml", "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.setuptools.dynamic]\nversion = { file = \"VERSION\" }\n"),
            ("VERSION", "0.9.0\n"),
        ]);
        assert_eq!(
            written(&repo.bump("", "patch", None).unwrap()),
            [("VERSION", "0.9.1\n")]
        );
        let repo = Repo::new(&[
            ("pyproject.toml", "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.hatch.version]\npath = \"pkg/meta.py\"\npattern = \"^RELEASE = \\\"(?P<version>[^\\\"]+)\\\"\"\n"),
            ("pkg/meta.py", "RELEASE = \"0.7.1\"\n"),
        ]);
        assert_eq!(
            written(&repo.bump("", "0.8.0", None).unwrap()),
            [("pkg/meta.py", "RELEASE = \"0.8.0\"\n")]
        );
    }

    #[test]
    fn not_greater_is_refused_with_the_reason() {
        let repo = Repo::new(&[("pyproject.toml", PURE)]);
        let same = repo.bump("", "1.0.0", None).unwrap_err().to_string();
        assert!(
            same.contains("1.0.0 is not greater than the current version 1.0.0"),
            "{same}"
        );
        assert!(
            same.contains("PyPI never accepts the same version twice"),
            "{same}"
        );
        let lower = repo.bump("", "0.9", None).unwrap_err().to_string();
        assert!(lower.contains("0.9 is not greater"), "{lower}");
        assert!(lower.contains("--allow-downgrade"), "{lower}");
        let down = plan(
            &repo.project(""),
            &Request {
                target: Target::parse("0.9"),
                allow_downgrade: true,
                from_file: None,
            },
        )
        .unwrap();
        assert_eq!(
            written(&down),
            [("pyproject.toml", PURE.replace("1.0.0", "0.9").as_str())]
        );
        // `release` of a release is the same version.
        assert!(repo.bump("", "release", None).is_err());
        assert!(repo
            .bump("", "banana", None)
            .unwrap_err()
            .to_string()
            .contains("invalid version"));
        assert!(repo.bump("", "1.1.0+local", None).is_err());
    }

    #[test]
    fn disagreeing_sources_are_refused_unless_one_is_chosen() {
        let repo = Repo::new(&[
            ("pyproject.toml", PURE),
            ("pkg/__init__.py", "__version__ = \"0.9.0\"\n"),
        ]);
        let err = repo.bump("", "patch", None).unwrap_err().to_string();
        assert!(
            err.contains("pyproject.toml (`project.version`) = 1.0.0")
                && err.contains("pkg/__init__.py (`__version__`) = 0.9.0"),
            "{err}"
        );
        assert!(current_version(&repo.project("")).is_err());
        let b = repo.bump("", "patch", Some("./pkg/__init__.py")).unwrap();
        assert_eq!(b.new.to_string(), "0.9.1");
        assert_eq!(
            written(&b),
            [
                ("pyproject.toml", PURE.replace("1.0.0", "0.9.1").as_str()),
                ("pkg/__init__.py", "__version__ = \"0.9.1\"\n"),
            ]
        );
        let b = repo.bump("", "patch", Some("pyproject.toml")).unwrap();
        assert_eq!(b.new.to_string(), "1.0.1");
        let err = repo
            .bump("", "patch", Some("setup.py"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--from-file setup.py: not one of the version sources")
                && err.contains("choose one of: pyproject.toml, pkg/__init__.py"),
            "{err}"
        );
    }

    #[test]
    fn nothing_to_bump_is_refused_with_what_to_do() {
        let repo = Repo::new(&[(
            "py/pyproject.toml",
            "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.hatch.version]\nsource = \"vcs\"\n",
        )]);
        let err = repo.bump("py", "1.2.0", None).unwrap_err().to_string();
        assert!(
            err.starts_with("py/pyproject.toml: the version is derived from git tags"),
            "{err}"
        );
        assert!(err.contains("`pyrel release 1.2.0 py`"), "{err}");
        assert!(repo
            .bump("py", "minor", None)
            .unwrap_err()
            .to_string()
            .contains("`pyrel release X.Y.Z py`"));
        let repo = Repo::new(&[(
            "pyproject.toml",
            "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.hatch.version]\nsource = \"vcs\"\n",
        )]);
        assert!(repo
            .bump("", "1.2.0", None)
            .unwrap_err()
            .to_string()
            .contains("`pyrel release 1.2.0`"));
        let repo = Repo::new(&[(
            "pyproject.toml",
            "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n",
        )]);
        let err = repo.bump("", "minor", None).unwrap_err().to_string();
        assert!(
            err.contains("pyproject.toml: pyrel found no file that holds the version"),
            "{err}"
        );
        assert!(current_version(&repo.project("")).is_err());
    }

    const MATURIN: &str = "[build-system]\nrequires = [\"maturin>=1.9,<2.0\"]\nbuild-backend = \"maturin\"\n[project]\nname = \"demo\"\ndynamic = [\"version\"]\n";

    fn lock(entries: &[(&str, &str)]) -> String {
        let mut out = String::from("version = 4\n");
        for (name, version) in entries {
            out.push_str(&format!(
                "\n[[package]]\nname = \"{name}\"\nversion = \"{version}\"\n"
            ));
        }
        out
    }

    #[test]
    fn a_crate_gets_semver_and_its_lock_entry() {
        let cargo = "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[lib]\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.23\"\n";
        let repo = Repo::new(&[
            ("pyproject.toml", MATURIN),
            ("Cargo.toml", cargo),
            ("src/lib.rs", ""),
            (
                "Cargo.lock",
                &lock(&[("demo", "0.1.0"), ("other", "0.1.0")]),
            ),
        ]);
        let b = repo.bump("", "0.2.0rc1", None).unwrap();
        assert_eq!(
            written(&b),
            [
                ("Cargo.toml", cargo.replace("0.1.0", "0.2.0-rc.1").as_str()),
                (
                    "Cargo.lock",
                    lock(&[("demo", "0.2.0-rc.1"), ("other", "0.1.0")]).as_str()
                ),
            ]
        );
        // Cargo's spelling is read as maturin reads it.
        let repo = Repo::new(&[
            ("pyproject.toml", MATURIN),
            ("Cargo.toml", &cargo.replace("0.1.0", "0.1.0-alpha.1")),
            ("src/lib.rs", ""),
        ]);
        let b = repo.bump("", "alpha", None).unwrap();
        assert_eq!(
            (b.old.to_string(), b.new.to_string()),
            ("0.1.0a1".into(), "0.1.0a2".into())
        );
        assert_eq!(
            written(&b),
            [(
                "Cargo.toml",
                cargo.replace("0.1.0", "0.1.0-alpha.2").as_str()
            )]
        );
        // A version Cargo cannot hold names the file.
        let err = repo.bump("", "1.0", None).unwrap_err().to_string();
        assert!(
            err.starts_with("Cargo.toml: Cargo cannot hold this version"),
            "{err}"
        );
    }

    #[test]
    fn a_workspace_version_moves_every_inheriting_members_lock_entry() {
        let ws = "[workspace]\nmembers = [\"crates/*\", \"py\"]\nexclude = [\"crates/skip\"]\n[workspace.package]\nversion = \"1.0.0\"\n";
        let py = "[package]\nname = \"py\"\nversion.workspace = true\n[lib]\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.23\"\n";
        let repo = Repo::new(&[
            ("rust/Cargo.toml", ws),
            ("rust/py/Cargo.toml", py),
            ("rust/py/src/lib.rs", ""),
            (
                "rust/crates/core/Cargo.toml",
                "[package]\nname = \"core\"\nversion.workspace = true\n",
            ),
            (
                "rust/crates/own/Cargo.toml",
                "[package]\nname = \"own\"\nversion = \"1.0.0\"\n",
            ),
            (
                "rust/crates/skip/Cargo.toml",
                "[package]\nname = \"skip\"\nversion.workspace = true\n",
            ),
            (
                "rust/Cargo.lock",
                &lock(&[
                    ("core", "1.0.0"),
                    ("own", "1.0.0"),
                    ("py", "1.0.0"),
                    ("skip", "1.0.0"),
                ]),
            ),
            (
                "pyproject.toml",
                &format!("{MATURIN}[tool.maturin]\nmanifest-path = \"rust/py/Cargo.toml\"\n"),
            ),
        ]);
        let b = repo.bump("", "1.0.1", None).unwrap();
        assert_eq!(
            written(&b),
            [
                ("rust/Cargo.toml", ws.replace("1.0.0", "1.0.1").as_str()),
                (
                    "rust/Cargo.lock",
                    lock(&[
                        ("core", "1.0.1"),
                        ("own", "1.0.0"),
                        ("py", "1.0.1"),
                        ("skip", "1.0.0")
                    ])
                    .as_str()
                ),
            ]
        );
        // A member crate with its own version: only its entry, in the
        // workspace's lock file.
        let own = py.replace("version.workspace = true", "version = \"1.0.0\"");
        std::fs::write(repo.0.path().join("rust/py/Cargo.toml"), &own).unwrap();
        let b = repo.bump("", "1.0.1", None).unwrap();
        assert_eq!(
            written(&b),
            [
                ("rust/py/Cargo.toml", own.replace("1.0.0", "1.0.1").as_str()),
                (
                    "rust/Cargo.lock",
                    lock(&[
                        ("core", "1.0.0"),
                        ("own", "1.0.0"),
                        ("py", "1.0.1"),
                        ("skip", "1.0.0")
                    ])
                    .as_str()
                ),
            ]
        );
    }
}
