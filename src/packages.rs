//! `pyrel generate [--check]` at a repository root covers every package of
//! the repository that has a `[tool.pyrel]` table, reporting per package.
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

/// `generate` for `path`: every configured package when `path` is a
/// repository root holding more than the root package, else just `path`.
pub(crate) fn generate(path: &Path, mode: Mode) -> Result<Status> {
    let packages = if path.join(".git").exists() {
        configured(path).unwrap_or_default()
    } else {
        Vec::new()
    };
    if packages.len() <= 1 && packages.iter().all(|d| d.is_empty()) {
        return commands::generate(path, mode);
    }
    let mut failed = Vec::new();
    let mut first_error = None;
    for dir in &packages {
        let shown = if dir.is_empty() { "." } else { dir.as_str() };
        eprintln!("pyrel: package {shown} ({})", display(dir));
        let status = match commands::generate(&path.join(dir), mode) {
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
