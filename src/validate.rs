//! Checks for every string that reaches a template. Values come from the
//! user's repository and flags and may be hostile; a value either passes one
//! of these checks or pyrel stops with an error that names it. Templates then
//! quote whatever passes (see `render::filters`), so the two layers together
//! keep output inert.

mod manylinux;
pub(crate) use manylinux::Manylinux;

/// A GitHub Actions expression opener: never allowed in a value we emit,
/// because GitHub would evaluate it.
const EXPRESSION: &str = "${{";

fn no_controls(s: &str, allow_newlines: bool) -> Result<(), String> {
    if let Some(c) = s
        .chars()
        .find(|c| c.is_control() && !(allow_newlines && (*c == '\n' || *c == '\t')))
    {
        return Err(format!("contains the control character {c:?}"));
    }
    if s.contains(EXPRESSION) {
        return Err("contains `${{`, which GitHub Actions would evaluate as an expression".into());
    }
    Ok(())
}

/// PEP 508 distribution name.
pub(crate) fn package_name(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.ends_with(|c: char| c.is_ascii_alphanumeric());
    ok.then_some(()).ok_or_else(|| {
        format!("{s:?} is not a valid package name (PEP 508: letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit)")
    })
}

/// A version string as written in a manifest (PEP 440 or SemVer spelling).
pub(crate) fn version(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '!' | '_'));
    ok.then_some(())
        .ok_or_else(|| format!("the version {s:?} is not a PEP 440 or SemVer version"))
}

/// A dotted Python import path (`pkg._pkg`).
pub(crate) fn module_path(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.split('.').all(|part| {
            part.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    ok.then_some(())
        .ok_or_else(|| format!("{s:?} is not a valid Python module path"))
}

/// A Cargo binary name, run as a command by the smoke test.
pub(crate) fn binary_name(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    ok.then_some(())
        .ok_or_else(|| format!("{s:?} is not a binary name pyrel can run"))
}

/// A relative path inside the repository, free of anything a shell, a glob
/// or YAML could read as syntax.
pub(crate) fn repo_path(s: &str) -> Result<(), String> {
    no_controls(s, false)?;
    if s.is_empty() {
        return Err("is empty".into());
    }
    if s.starts_with('/') || s.starts_with('\\') || s.contains(':') {
        return Err(format!(
            "{s:?} must be a path relative to the repository root"
        ));
    }
    if s.split('/')
        .any(|part| part == ".." || part == "." || part.is_empty())
    {
        return Err(format!(
            "{s:?} must stay inside the repository (no `..`, `.` or `//`)"
        ));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '+' | '@')))
    {
        return Err(format!(
            "{s:?} contains {c:?}; use letters, digits and `/._-+@`"
        ));
    }
    if s.starts_with('-') {
        return Err(format!("{s:?} must not start with `-`"));
    }
    Ok(())
}

/// Workflows must live in `.github/workflows/` to run at all.
pub(crate) fn workflow_path(s: &str) -> Result<(), String> {
    let name = s
        .strip_prefix(".github/workflows/")
        .ok_or_else(|| format!("{s:?} must be in .github/workflows/ for GitHub to run it"))?;
    if name.contains('/') || !(name.ends_with(".yml") || name.ends_with(".yaml")) {
        return Err(format!(
            "{s:?} must be a .yml or .yaml file directly in .github/workflows/"
        ));
    }
    // The leading `.github` would fail the generic `.`-segment rule.
    repo_path(&format!("x{s}"))
}

/// GitHub secret names: letters, digits and `_`, not starting with a digit or
/// `GITHUB_`.
pub(crate) fn secret_name(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && !s.to_ascii_uppercase().starts_with("GITHUB_");
    ok.then_some(()).ok_or_else(|| {
        format!("{s:?} is not a valid GitHub secret name (letters, digits, `_`; not starting with a digit or GITHUB_)")
    })
}

pub(crate) fn environment(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 255
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    ok.then_some(()).ok_or_else(|| {
        format!("{s:?} is not a valid environment name (letters, digits, `_`, `-`, `.`)")
    })
}

/// A tag prefix becomes part of a git ref and of the `on.push.tags` glob.
pub(crate) fn tag_prefix(s: &str) -> Result<(), String> {
    let ok = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && !s.starts_with(['/', '.', '-'])
        && !s.contains("..")
        && !s.contains("//");
    ok.then_some(()).ok_or_else(|| {
        format!("{s:?} is not a usable tag prefix (letters, digits, `_-./`, not starting with `/`, `.` or `-`)")
    })
}

/// A manylinux policy both builders have images for (see
/// `build_plan::constraints::Manylinux`): `off` and unknown policies are
/// refused with the reason.
pub(crate) fn manylinux(s: &str) -> Result<(), String> {
    Manylinux::parse(s).map(|_| ())
}

/// `[tool.pyrel] test-requires`: requirements installed before the test
/// command, space-separated (cibuildwheel's `test-requires` form). Each is a
/// PEP 508 name with extras and a version specifier, nothing a shell or pip
/// would read as an option, a path or a URL.
pub(crate) fn requirements(s: &str) -> Result<(), String> {
    no_controls(s, false)?;
    for req in s.split_whitespace() {
        let ok = req.starts_with(|c: char| c.is_ascii_alphanumeric())
            && req.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(
                        c,
                        '.' | '_' | '-' | '[' | ']' | ',' | '<' | '>' | '=' | '!' | '~' | '*' | '+'
                    )
            });
        if !ok {
            return Err(format!(
                "{req:?} is not a requirement pyrel installs: use names with optional extras and versions, \
                 space-separated (for example `pytest pytest-xdist>=3`)"
            ));
        }
    }
    Ok(())
}

/// Extra command-line arguments: one line, no expression.
pub(crate) fn arguments(s: &str) -> Result<(), String> {
    no_controls(s, false)
}

/// A shell command (the smoke test): any text a shell accepts, but never a
/// GitHub expression and no control characters besides newline and tab.
pub(crate) fn command(s: &str) -> Result<(), String> {
    no_controls(s, true)?;
    if s.trim().is_empty() {
        return Err("is empty".into());
    }
    Ok(())
}

/// A GitHub `paths:` filter (a glob relative to the repository root, `!`
/// to exclude): one line, not absolute, no `..`.
pub(crate) fn path_filter(s: &str) -> Result<(), String> {
    no_controls(s, false)?;
    let glob = s.strip_prefix('!').unwrap_or(s);
    if glob.trim().is_empty() {
        return Err(format!("{s:?} is an empty path filter"));
    }
    if glob.starts_with('/') || glob.split('/').any(|part| part == "..") {
        return Err(format!(
            "{s:?} is not relative to the repository root (GitHub matches paths like src/**)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_values() {
        assert!(package_name("edgequake-python").is_ok());
        assert!(module_path("edgequake_python._eq_core").is_ok());
        assert!(repo_path("crates/budtiktok-python/RELEASING.md").is_ok());
        assert!(workflow_path(".github/workflows/release-rust.yml").is_ok());
        assert!(secret_name("PYPI_API_TOKEN").is_ok());
        assert!(tag_prefix("py-v").is_ok());
        assert!(tag_prefix("").is_ok());
        for m in [
            "auto",
            "2014",
            "2_28",
            "manylinux_2_28",
            "manylinux2014",
            "2_34",
        ] {
            assert!(manylinux(m).is_ok(), "{m}");
        }
        assert!(requirements("pytest pytest-xdist>=3 hypothesis[cli]==6.1").is_ok());
    }

    #[test]
    fn rejects_hostile_values() {
        assert!(package_name("a b").is_err());
        assert!(package_name("-a").is_err());
        assert!(module_path("os; rm").is_err());
        assert!(repo_path("../outside.md").is_err());
        assert!(repo_path("/etc/passwd").is_err());
        assert!(repo_path("a/${{ github.token }}").is_err());
        assert!(repo_path("docs/*.md").is_err());
        assert!(workflow_path("release.yml").is_err());
        assert!(workflow_path(".github/workflows/../x.yml").is_err());
        assert!(secret_name("GITHUB_TOKEN").is_err());
        assert!(secret_name("A-B").is_err());
        assert!(tag_prefix("v*").is_err());
        assert!(manylinux("2_28; rm -rf /").is_err());
        assert!(manylinux("off").is_err());
        assert!(manylinux("2_31").is_err());
        assert!(requirements("pytest; rm -rf /").is_err());
        assert!(requirements("-r requirements.txt").is_err());
        assert!(requirements("pytest $(id)").is_err());
        assert!(requirements("git+https://evil/x").is_err());
        assert!(command("echo ${{ secrets.X }}").is_err());
        assert!(command("echo \u{1b}[31m").is_err());
        assert!(command("python -c 'import x'\necho ok").is_ok());
    }
}
