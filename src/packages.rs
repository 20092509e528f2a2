//! `pyrel generate [--check]` and `pyrel doctor` at a repository root cover
//! every package of the repository that has a `[tool.pyrel]` table,
//! reporting per package.
//!
//! Packages are found with one `git ls-files` (tracked and untracked but not
//! ignored `pyproject.toml` files), never a tree walk. Outside a git checkout,
//! or below the root, `generate` works on the one package it is pointed at.

use std::path::Path;
use std::process::Command;

use crate::commands::{self, Mode};
use crate::error::{Result, Status};
use crate::inspect::tomlfile::TomlFile;

/// Directories (relative to `root`, `""` for the root) whose pyproject.toml
/// has a `[tool.pyrel]` table; `None` when git cannot list the files.
pub(crate) fn configured(root: &Path) -> Option<Vec<String>> {
    let out = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--",
            "pyproject.toml",
            "*/pyproject.toml",
        ])
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let mut dirs: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter(|p| *p == "pyproject.toml" || p.ends_with("/pyproject.toml"))
        .filter(|p| {
            // A file listed but unreadable or not TOML is not pyrel's business
            // here; pointing pyrel at its directory reports it properly.
            TomlFile::read(&root.join(p), p)
                .ok()
                .flatten()
                .is_some_and(|f| f.get(&["tool", "pyrel"]).is_some())
        })
        .map(|p| {
            p.strip_suffix("pyproject.toml")
                .unwrap_or("")
                .trim_end_matches('/')
                .to_string()
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    Some(dirs)
}

/// The packages a command at `path` covers: every configured package when
/// `path` is a repository root holding more than the root package, else
/// none (the command works on `path` alone).
fn several(path: &Path) -> Vec<String> {
    let packages = if path.join(".git").exists() {
        configured(path).unwrap_or_default()
    } else {
        Vec::new()
    };
    if packages.len() <= 1 && packages.iter().all(|d| d.is_empty()) {
        return Vec::new();
    }
    packages
}

/// `generate` for `path`, or for every package of the repository at `path`.
pub(crate) fn generate(path: &Path, mode: Mode) -> Result<Status> {
    each(path, &several(path), |dir| commands::generate(dir, mode))
}

/// `doctor` for `path`, or for every package of the repository at `path`
/// (with `--json`, one object mapping each package directory to its findings).
pub(crate) fn doctor(path: &Path, json: bool) -> Result<Status> {
    let packages = several(path);
    if !json || packages.is_empty() {
        return each(path, &packages, |dir| commands::doctor(dir, json));
    }
    let mut all = serde_json::Map::new();
    let mut status = Status::Ok;
    for dir in &packages {
        let findings = commands::doctor_findings(&path.join(dir))?;
        if crate::doctor::has_errors(&findings) {
            status = Status::Refused;
        }
        let key = if dir.is_empty() { "." } else { dir.as_str() };
        all.insert(
            key.to_string(),
            serde_json::to_value(&findings)
                .map_err(|e| crate::error::Error::Internal(e.to_string()))?,
        );
    }
    let text = serde_json::to_string_pretty(&all)
        .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    crate::out::print(&format!("{text}\n"))?;
    Ok(status)
}

/// `plan` for `path`, or for every package of the repository at `path`
/// (with `--json`, one object mapping each package directory to its plan).
pub(crate) fn plan(path: &Path, json: bool) -> Result<Status> {
    let packages = several(path);
    if !json || packages.is_empty() {
        return each(path, &packages, |dir| commands::plan(dir, json));
    }
    let mut all = serde_json::Map::new();
    for dir in &packages {
        let plan = commands::build_plan(&path.join(dir))?;
        let key = if dir.is_empty() { "." } else { dir.as_str() };
        all.insert(
            key.to_string(),
            serde_json::to_value(&plan)
                .map_err(|e| crate::error::Error::Internal(e.to_string()))?,
        );
    }
    let text = serde_json::to_string_pretty(&all)
        .map_err(|e| crate::error::Error::Internal(e.to_string()))?;
    println!("{text}");
    Ok(Status::Ok)
}

/// Run a command on `path`, or on each of `packages` (from `several`) with a
/// report per package.
fn each(path: &Path, packages: &[String], run: impl Fn(&Path) -> Result<Status>) -> Result<Status> {
    if packages.is_empty() {
        return run(path);
    }
    let mut failed = Vec::new();
    let mut first_error = None;
    for dir in packages {
        let shown = if dir.is_empty() { "." } else { dir.as_str() };
        eprintln!("pyrel: package {shown} ({})", display(dir));
        let status = match run(&path.join(dir)) {
            Ok(status) => status,
            Err(e) => {
                // One broken package does not hide the others' reports.
                eprintln!("error: {e}");
                failed.push(format!("{shown} (error)"));
                first_error.get_or_insert(e);
                continue;
            }
        };
        if status != Status::Ok {
            failed.push(shown.to_string());
        }
    }
    let n = packages.len();
    if failed.is_empty() {
        eprintln!("pyrel: {n} packages, all done");
        return Ok(Status::Ok);
    }
    eprintln!(
        "pyrel: {n} packages; needing attention: {}",
        failed.join(", ")
    );
    match first_error {
        Some(e) => Err(e),
        None => Ok(Status::Refused),
    }
}

fn display(dir: &str) -> String {
    crate::inspect::display_path(dir, "pyproject.toml")
}
