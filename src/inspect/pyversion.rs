//! `__version__ = "..."` in the package's own modules: a second (or third)
//! place the version is written, and the one most often forgotten on release.

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
            match dunder_version(&text) {
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
    if top.is_empty() || p.bindings.as_deref() == Some("bin") {
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

/// `Some(Ok(v))` for `__version__ = "v"`, `Some(Err)` when assigned from an
/// expression, `None` when absent.
fn dunder_version(text: &str) -> Option<Result<String, ()>> {
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("__version__") else {
            continue;
        };
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
    use super::dunder_version;

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
