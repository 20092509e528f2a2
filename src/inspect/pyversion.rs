//! `__version__ = "..."` in the package's own modules: a second (or third)
//! place the version is written, and the one most often forgotten on release.

use super::pyproject::VersionFile;
use super::{display_path, Locator, Project, VersionSource};

/// Module files that conventionally hold `__version__`.
const CANDIDATES: [&str; 3] = ["__init__.py", "_version.py", "__about__.py"];

pub(crate) fn find(p: &Project, warnings: &mut Vec<String>) -> Vec<VersionSource> {
    let mut out = Vec::new();
    for dir in package_dirs(p) {
        for file in CANDIDATES {
            let rel = display_path(&dir, file);
            let Ok(text) = std::fs::read_to_string(p.paths.repo_root.join(&rel)) else {
                continue;
            };
            match assigned(&text, "__version__") {
                Some(Ok(value)) => out.push(VersionSource {
                    file: rel,
                    value,
                    locator: Locator::Python {
                        variable: "__version__".into(),
                    },
                }),
                Some(Err(())) => warnings.push(format!(
                    "{rel}: `__version__` is computed, not a string literal; pyrel cannot check it"
                )),
                None => {}
            }
        }
    }
    out
}

/// The top-level package directories (relative to the repo root) where the
/// Python half of the package lives.
fn package_dirs(p: &Project) -> Vec<String> {
    let top = p
        .module_name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_string();
    if top.is_empty() || p.is_bin() {
        return Vec::new();
    }
    let base = match &p.python_source {
        Some(src) => display_path(&p.package_dir, src.trim_end_matches('/')),
        None if p.is_maturin() => return Vec::new(),
        None => p.package_dir.clone(),
    };
    let mut dirs = vec![display_path(&base, &top)];
    if p.python_source.is_none() {
        dirs.push(display_path(&display_path(&base, "src"), &top));
    }
    dirs
}

/// The version file a backend is configured to read (hatch `path`, pdm
/// `path`, setuptools `attr:`/`file:`), relative to the package directory.
pub(crate) fn from_config(
    p: &Project,
    vf: &VersionFile,
    warnings: &mut Vec<String>,
) -> Option<VersionSource> {
    let path = match vf {
        VersionFile::Python { path, .. }
        | VersionFile::Text { path }
        | VersionFile::Hatch { path, .. } => path.as_str(),
    };
    // setuptools `attr: pkg.__version__` may name a package (`pkg/__init__.py`)
    // in a flat or `src/` layout.
    let mut candidates = vec![path.to_string()];
    if let (Some(stem), VersionFile::Python { .. }) = (path.strip_suffix(".py"), vf) {
        candidates.push(format!("{stem}/__init__.py"));
        candidates.push(format!("src/{path}"));
        candidates.push(format!("src/{stem}/__init__.py"));
    }
    for candidate in candidates {
        let rel = display_path(&p.package_dir, &candidate);
        let Ok(text) = std::fs::read_to_string(p.paths.repo_root.join(&rel)) else {
            continue;
        };
        let found = match vf {
            VersionFile::Text { .. } => Ok((text.trim().to_string(), Locator::Text)),
            VersionFile::Python { variable, .. } => match assigned(&text, variable) {
                Some(Ok(v)) => Ok((
                    v,
                    Locator::Python {
                        variable: variable.clone(),
                    },
                )),
                _ => Err(format!("no literal `{variable} = \"...\"` found")),
            },
            VersionFile::Hatch { pattern: None, .. } => hatch_default(&text),
            VersionFile::Hatch {
                pattern: Some(pattern),
                ..
            } => hatch_pattern(&text, pattern),
        };
        return match found {
            Ok((value, locator)) => Some(VersionSource {
                file: rel,
                value,
                locator,
            }),
            Err(why) => {
                warnings.push(format!("{rel}: {why}"));
                None
            }
        };
    }
    warnings.push(format!(
        "the build backend reads the version from {path}, which does not exist"
    ));
    None
}

/// hatch's default pattern: the first `__version__` or `VERSION` assignment
/// (matched case-insensitively, as hatch does), read back by its exact name.
fn hatch_default(text: &str) -> Result<(String, Locator), String> {
    for line in text.lines() {
        let name: String = line
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let lower = name.to_ascii_lowercase();
        if lower != "__version__" && lower != "version" {
            continue;
        }
        if let Some(Ok(value)) = assigned(line, &name) {
            return Ok((value, Locator::Python { variable: name }));
        }
    }
    Err("no literal `__version__ = \"...\"` or `VERSION = \"...\"` found".into())
}

/// A custom hatch pattern: a regex with a `version` group, searched in
/// multi-line mode as hatch does. The preflight script uses the same regex.
fn hatch_pattern(text: &str, pattern: &str) -> Result<(String, Locator), String> {
    let re = regex::RegexBuilder::new(pattern)
        .multi_line(true)
        .build()
        .map_err(|_| {
            format!(
                "pyrel cannot evaluate the hatch version pattern {pattern:?} (Python-only regex syntax); \
                 the release check will still read it with Python"
            )
        })?;
    let caps = re
        .captures(text)
        .ok_or_else(|| format!("the hatch version pattern {pattern:?} matches nothing"))?;
    let value = caps
        .name("version")
        .ok_or_else(|| format!("the hatch version pattern {pattern:?} has no `version` group"))?;
    Ok((
        value.as_str().to_string(),
        Locator::Pattern {
            pattern: pattern.to_string(),
        },
    ))
}

/// `Some(Ok(v))` for `<variable> = "v"`, `Some(Err)` when assigned from an
/// expression, `None` when absent.
fn assigned(text: &str, variable: &str) -> Option<Result<String, ()>> {
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(variable) else {
            continue;
        };
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = rest.trim_start();
        // Allow an annotation: `__version__: str = "1.0"`.
        let rest = match rest.strip_prefix(':') {
            Some(ann) => ann.split_once('=').map(|(_, v)| v)?,
            None => rest.strip_prefix('=')?,
        };
        let rest = rest.trim();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            return Some(Err(()));
        }
        let inner = &rest[1..];
        return Some(
            inner
                .find(quote)
                .map(|end| inner[..end].to_string())
                .ok_or(()),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::assigned;

    fn dunder_version(text: &str) -> Option<Result<String, ()>> {
        assigned(text, "__version__")
    }

    #[test]
    fn reads_literal_versions_only() {
        assert_eq!(
            dunder_version("__version__ = \"1.2\"\n"),
            Some(Ok("1.2".into()))
        );
        assert_eq!(
            dunder_version("x=1\n__version__: str = '0.3.0'"),
            Some(Ok("0.3.0".into()))
        );
        assert_eq!(dunder_version("__version__ = get()\n"), Some(Err(())));
        assert_eq!(dunder_version("__version_info__ = (1, 2)\n"), None);
        assert_eq!(dunder_version("version = '1'\n"), None);
    }
}
