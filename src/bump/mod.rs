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
