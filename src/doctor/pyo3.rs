//! What the crate's PyO3 means for the release: CPython versions the
//! package claims (`requires-python`, classifiers) that this PyO3 cannot
//! build, so the release ships no wheels for them; and PyO3 versions with a
//! published security advisory.

use super::{line_of, Finding, FindingId, Fix, Inputs, Severity};
use crate::build_plan::interpreters::{self, NEWEST_MINOR, OLDEST_FREE_THREADED_MINOR};
use crate::build_plan::{pyo3_minor, support};
use crate::inspect::tomlfile::TomlFile;

/// A RustSec advisory against the `pyo3` crate: the versions it affects
/// (`[from, to)`) and the title. Sources: rustsec.org/advisories/<id>
/// (advisory-db `crates/pyo3/<id>.md`), as quoted by the PyO3 releases
/// and pull requests named beside each entry.
pub(crate) struct Advisory {
    pub id: &'static str,
    pub title: &'static str,
    pub from: Version,
    pub patched: Version,
}

pub(crate) const ADVISORIES: &[Advisory] = &[
    // PyO3 0.22.0 added the weakref API; 0.22.4 leaks instead (PyO3 #4590).
    Advisory {
        id: "RUSTSEC-2024-0378",
        title: "risk of use-after-free in `borrowed` reads from Python weak references",
        from: (0, 22, 0),
        patched: (0, 22, 4),
    },
    // "In PyO3 0.24.1 this function will now allocate a CString" (PyO3 #5008).
    Advisory {
        id: "RUSTSEC-2025-0020",
        title: "risk of buffer overflow in `PyString::from_object`",
        from: (0, 0, 0),
        patched: (0, 24, 1),
    },
    // Published 2026-06-11 with `patched = [">= 0.29.0"]`.
    Advisory {
        id: "RUSTSEC-2026-0176",
        title: "out-of-bounds read in `nth`/`nth_back` for `PyList` and `PyTuple` iterators",
        from: (0, 0, 0),
        patched: (0, 29, 0),
    },
    // Published 2026-06-11 with `patched = [">= 0.29.0"]`.
    Advisory {
        id: "RUSTSEC-2026-0177",
        title: "missing `Sync` bound on `PyCFunction::new_closure` closures",
        from: (0, 0, 0),
        patched: (0, 29, 0),
    },
];

/// A version as `(major, minor, patch)`.
type Version = (u64, u64, u64);

/// `0.23` / `^0.23.1` / `=0.25.1` → its lowest version.
fn floor_version(req: &str) -> Option<Version> {
    let v = req.trim_start_matches(|c: char| !c.is_ascii_digit());
    let mut parts = v
        .split(|c: char| !c.is_ascii_digit())
        .take_while(|p| !p.is_empty())
        .map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().flatten().unwrap_or(0);
    let patch = parts.next().flatten().unwrap_or(0);
    Some((major, minor, patch))
}

/// The pyo3 versions Cargo.lock resolves (crate or workspace root).
fn locked_versions(i: &Inputs<'_>) -> Option<(String, Vec<Version>)> {
    let p = i.project;
    let manifest = p
        .workspace_manifest
        .as_deref()
        .or(p.cargo_manifest.as_deref())?;
    let dir = manifest.rsplit_once('/').map_or("", |(d, _)| d);
    let rel = crate::inspect::display_path(dir, "Cargo.lock");
    let text = std::fs::read_to_string(p.paths.repo_root.join(&rel)).ok()?;
    let versions: Vec<Version> = lock_versions(&text).filter_map(floor_version).collect();
    (!versions.is_empty()).then_some((rel, versions))
}

/// The versions of every `pyo3` package in a Cargo.lock's text: a line
/// `name = "pyo3"` (CRLF or LF) followed by `version = "<digit>..."`. A
/// scan, not a regex: compiling one was most of doctor's own time.
fn lock_versions(text: &str) -> impl Iterator<Item = &str> {
    const NAME: &str = "name = \"pyo3\"";
    text.match_indices(NAME).filter_map(move |(at, _)| {
        if at > 0 && text.as_bytes()[at - 1] != b'\n' {
            return None;
        }
        let rest = &text[at + NAME.len()..];
        let rest = rest.strip_prefix('\r').unwrap_or(rest).strip_prefix('\n')?;
        let value = rest.strip_prefix("version = \"")?;
        let end = value.find('"')?;
        value[..end]
            .starts_with(|c: char| c.is_ascii_digit())
            .then(|| &value[..end])
    })
}

pub(super) fn check(i: &Inputs<'_>, cargo: Option<&TomlFile>, out: &mut Vec<Finding>) {
    let p = i.project;
    let Some(req) = p.pyo3_version.as_deref() else {
        return;
    };
    let Some(cargo) = cargo else {
        return;
    };
    let line =
        line_of(cargo, &["dependencies", "pyo3"]).or_else(|| line_of(cargo, &["dependencies"]));
    cannot_build(i, req, &cargo.display, line, out);

    let (source, versions) = match locked_versions(i) {
        Some((lock, v)) => (lock, v),
        None => match floor_version(req) {
            Some(v) => (format!("{} (pyo3 = \"{req}\")", cargo.display), vec![v]),
            None => return,
        },
    };
    let mut hits: Vec<(&Advisory, Version)> = Vec::new();
    for a in ADVISORIES {
        if let Some(v) = versions.iter().find(|v| **v >= a.from && **v < a.patched) {
            hits.push((a, *v));
        }
    }
    let Some(patched) = hits.iter().map(|(a, _)| a.patched).max() else {
        return;
    };
    let (v0, v1, v2) = hits[0].1;
    let named: Vec<String> = hits
        .iter()
        .map(|(a, _)| {
            format!(
                "{} ({}, https://rustsec.org/advisories/{})",
                a.id, a.title, a.id
            )
        })
        .collect();
    out.push(Finding {
        id: FindingId::Pyo3Advisory,
        severity: Severity::Warning,
        file: cargo.display.clone(),
        line,
        message: format!(
            "PyO3 {v0}.{v1}.{v2} (from {source}) has published security advisories: {}; \
             the wheels ship it",
            named.join("; ")
        ),
        fix: Fix::Text {
            text: format!(
                "raise pyo3 to {}.{}.{} or newer in {} and run `cargo update -p pyo3`",
                patched.0, patched.1, patched.2, cargo.display
            ),
        },
    });
}

/// The CPython 3 minors the package claims, each with the claim:
/// `requires-python` (up to the newest CPython), then the classifiers.
fn claimed_minors(i: &Inputs<'_>) -> Vec<(u32, String)> {
    let p = i.project;
    let rp = p.requires_python.as_deref().unwrap_or("");
    let (floor, ceiling) = crate::build_plan::requires_python_bounds(p);
    let mut claims: Vec<(u32, String)> = Vec::new();
    if !rp.is_empty() {
        let lo = floor.unwrap_or(interpreters::OLDEST_MINOR);
        for m in lo..=ceiling.unwrap_or(NEWEST_MINOR).min(NEWEST_MINOR) {
            claims.push((m, format!("requires-python `{rp}`")));
        }
    }
    let table = if i.pyproject.get(&["project"]).is_some() {
        "project"
    } else {
        "tool"
    };
    let classifiers = i
        .pyproject
        .get(&[table, "classifiers"])
        .and_then(crate::inspect::tomlfile::str_array)
        .unwrap_or_default();
    for c in &classifiers {
        let minor = c
            .strip_prefix("Programming Language :: Python :: 3.")
            .and_then(|m| m.trim().parse::<u32>().ok());
        if let Some(m) = minor {
            if !claims.iter().any(|(x, _)| *x == m) {
                claims.push((m, format!("the classifier `{c}`")));
            }
        }
    }
    claims
}

/// CPython versions the package claims that this PyO3 cannot build: every
/// minor `requires-python` allows up to the newest CPython, each
/// `Programming Language :: Python :: 3.X` classifier, and (when
/// free-threaded wheels are built) the free-threaded builds. abi3 wheels
/// load on every newer CPython, so only version-specific builds count.
fn cannot_build(
    i: &Inputs<'_>,
    req: &str,
    cargo: &str,
    line: Option<usize>,
    out: &mut Vec<Finding>,
) {
    let p = i.project;
    if p.abi3.is_some() || p.is_bin() {
        return;
    }
    let s = support(p);
    let shown = pyo3_minor(req).map_or_else(|| req.to_string(), |m| format!("0.{m}"));
    let claims = claimed_minors(i);
    let mut missing: Vec<(String, String, Option<u32>)> = Vec::new();
    for (m, why) in &claims {
        if *m > s.cpython.1 {
            missing.push((
                format!("cp3{m}"),
                why.clone(),
                interpreters::pyo3_for_cpython(*m, false),
            ));
        }
    }
    if i.free_threaded {
        let ft_hi = s.free_threaded.map_or(0, |(_, hi)| hi);
        for (m, why) in &claims {
            if *m >= OLDEST_FREE_THREADED_MINOR && *m > ft_hi && *m <= NEWEST_MINOR {
                missing.push((
                    format!("cp3{m}t"),
                    why.clone(),
                    interpreters::pyo3_for_cpython(*m, true),
                ));
            }
        }
    }
    if missing.is_empty() {
        return;
    }
    let tags: Vec<&str> = missing.iter().map(|(t, _, _)| t.as_str()).collect();
    let mut reasons: Vec<&str> = Vec::new();
    for (_, why, _) in &missing {
        if !reasons.contains(&why.as_str()) {
            reasons.push(why);
        }
    }
    if missing.iter().any(|(t, _, _)| t.ends_with('t')) {
        reasons.push("free-threaded = true in [tool.pyrel]");
    }
    let needed = missing.iter().filter_map(|(_, _, n)| *n).max();
    let fix = match needed {
        Some(n) => format!(
            "PyO3 {shown} cannot build {}: raise pyo3 to 0.{n} in {cargo}",
            tags.join(", ")
        ),
        None => format!(
            "no PyO3 release builds {} yet: drop the claim, or use abi3",
            tags.join(", ")
        ),
    };
    out.push(Finding {
        id: FindingId::Pyo3CannotBuild,
        severity: Severity::Warning,
        file: cargo.to_string(),
        line,
        message: format!(
            "PyO3 {shown} cannot build {}, which the package claims ({}): the release \
             publishes no wheels for {} (`pyrel plan` lists what it publishes)",
            tags.join(", "),
            reasons.join("; "),
            if tags.len() == 1 { "it" } else { "them" }
        ),
        fix: Fix::Text { text: fix },
    });
}

#[cfg(test)]
mod tests {
    use super::{floor_version, lock_versions};

    /// The scan finds what the pattern it replaced,
    /// `(?m)^name = "pyo3"\r?\nversion = "([0-9][^"]*)"`, found.
    #[test]
    fn lock_versions_are_read_as_the_pattern_read_them() {
        let lock = "[[package]]\nname = \"pyo3\"\nversion = \"0.23.4\"\nsource = \"x\"\n\n\
                    [[package]]\r\nname = \"pyo3\"\r\nversion = \"0.29.3\"\r\n\
                    name = \"pyo3-ffi\"\nversion = \"0.1.0\"\n\
                    xname = \"pyo3\"\nversion = \"0.2.0\"\n\
                    name = \"pyo3\"\nversion = \"v1\"\n\
                    name = \"pyo3\" \nversion = \"0.3.0\"\n\
                    name = \"pyo3\"\n\nversion = \"0.4.0\"\n\
                    name = \"pyo3\"\nversion = \"0.5.0";
        assert_eq!(
            lock_versions(lock).collect::<Vec<_>>(),
            vec!["0.23.4", "0.29.3"]
        );
        assert_eq!(
            lock_versions("name = \"pyo3\"\nversion = \"0.22.1\"").collect::<Vec<_>>(),
            vec!["0.22.1"]
        );
    }

    #[test]
    fn floors() {
        assert_eq!(floor_version("0.23"), Some((0, 23, 0)));
        assert_eq!(floor_version("^0.24.1"), Some((0, 24, 1)));
        assert_eq!(floor_version("=0.25.1"), Some((0, 25, 1)));
        assert_eq!(floor_version("0.29.0-rc.1"), Some((0, 29, 0)));
        assert_eq!(floor_version("x"), None);
    }
}
