//! One project per finding: the finding is reported with its id, severity
//! and place, and applying its own fix makes it go away.

use std::path::Path;

use super::{Finding, Fix, Severity};

const MATURIN: &str = "[build-system]\nrequires = [\"maturin>=1.9,<2.0\"]\nbuild-backend = \"maturin\"\n\n\
    [project]\nname = \"docpkg\"\nreadme = \"README.md\"\nlicense = \"MIT\"\nrequires-python = \">=3.9\"\ndynamic = [\"version\"]\n";
const CARGO: &str = "[package]\nname = \"docpkg\"\nversion = \"1.0.0\"\nedition = \"2021\"\n\n\
    [lib]\nname = \"docpkg\"\ncrate-type = [\"cdylib\"]\n\n[dependencies]\npyo3 = \"0.29\"\n";
const LOCK: &str = "version = 4\n\n[[package]]\nname = \"docpkg\"\nversion = \"1.0.0\"\n";
const HATCH: &str = "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n\
    [project]\nname = \"purepkg\"\nversion = \"2.0.0\"\nreadme = \"README.md\"\nlicense = \"MIT\"\nrequires-python = \">=3.9\"\n";

/// A repository holding `files`, with a GitHub remote.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/acme/docpkg.git\n",
    );
    for (path, text) in files {
        write(dir.path(), path, text);
    }
    dir
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn maturin(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut files: Vec<(&str, &str)> = vec![
        ("pyproject.toml", MATURIN),
        ("Cargo.toml", CARGO),
        ("Cargo.lock", LOCK),
        ("src/lib.rs", ""),
        ("README.md", "# docpkg\n"),
        ("LICENSE", "MIT License\n"),
    ];
    for (path, text) in extra {
        files.retain(|(p, _)| p != path);
        files.push((*path, *text));
    }
    repo(&files)
}

fn findings(root: &Path) -> Vec<Finding> {
    crate::ops::diagnose(&crate::ops::load(root).unwrap()).unwrap()
}

/// The findings other than "pyrel is not set up here" (every test project
/// is fresh).
fn relevant(root: &Path) -> Vec<Finding> {
    findings(root)
        .into_iter()
        .filter(|f| f.id != "not-configured")
        .collect()
}

/// Apply a fix the way its text tells a maintainer to.
fn apply(root: &Path, fix: &Fix) {
    match fix {
        Fix::Toml {
            file,
            table,
            key,
            value,
        } => {
            let path = root.join(file);
            let mut doc: toml_edit::DocumentMut =
                std::fs::read_to_string(&path).unwrap().parse().unwrap();
            let mut t = doc.as_table_mut();
            for part in table.split('.') {
                t = t
                    .entry(part)
                    .or_insert_with(toml_edit::table)
                    .as_table_mut()
                    .unwrap();
            }
            t.insert(
                key,
                toml_edit::value(value.parse::<toml_edit::Value>().unwrap()),
            );
            std::fs::write(path, doc.to_string()).unwrap();
        }
        Fix::CreateFile { path, .. } => write(root, path, "text\n"),
        Fix::Command { command } => {
            // The first command of the fix (`git add` needs a real repository).
            let first = command.split(" && ").next().unwrap();
            let out = std::process::Command::new("sh")
                .args(["-c", first])
                .current_dir(root)
                .output()
                .unwrap();
            assert!(out.status.success(), "{first}: {out:?}");
        }
        Fix::Text { text } => panic!("a prose fix is applied by the test itself: {text}"),
    }
}

/// The one finding with `id`, checked for severity and place.
#[track_caller]
fn expect(root: &Path, id: &str, severity: Severity, file: &str, line: Option<usize>) -> Finding {
    let all = relevant(root);
    let f = all
        .iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id} in {all:#?}"))
        .clone();
    assert_eq!(
        (f.severity, f.file.as_str(), f.line),
        (severity, file, line),
        "{f:#?}"
    );
    f
}

#[track_caller]
fn gone(root: &Path, id: &str) {
    let all = relevant(root);
    assert!(
        !all.iter().any(|f| f.id == id),
        "{id} still reported: {all:#?}"
    );
}

/// Expect the finding, apply its fix (repeatedly, for fixes in steps), and
/// see it disappear.
#[track_caller]
fn fixed_by_its_fix(root: &Path, id: &str, severity: Severity, file: &str, line: Option<usize>) {
    let f = expect(root, id, severity, file, line);
    apply(root, &f.fix);
    for _ in 0..2 {
        match relevant(root).into_iter().find(|g| g.id == id) {
            Some(again) => apply(root, &again.fix),
            None => return,
        }
    }
    gone(root, id);
}

#[test]
fn a_complete_project_has_no_findings() {
    let dir = maturin(&[]);
    assert_eq!(relevant(dir.path()).len(), 0, "{:#?}", relevant(dir.path()));
    let dir = repo(&[
        ("pyproject.toml", HATCH),
        ("README.md", "# pure\n"),
        ("LICENSE", "MIT\n"),
        ("purepkg/__init__.py", ""),
    ]);
    assert_eq!(relevant(dir.path()).len(), 0, "{:#?}", relevant(dir.path()));
}

#[test]
fn readme_missing_is_named_and_fixed() {
    // A README exists but nothing names it: the fix names it.
    let dir = maturin(&[("pyproject.toml", "[build-system]\nrequires = [\"maturin>=1.9,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"docpkg\"\nlicense = \"MIT\"\nrequires-python = \">=3.9\"\ndynamic = [\"version\"]\n")]);
    let f = expect(
        dir.path(),
        "readme-missing",
        Severity::Error,
        "pyproject.toml",
        Some(5),
    );
    assert!(
        matches!(&f.fix, Fix::Toml { key, value, .. } if key == "readme" && value == "\"README.md\"")
    );
    fixed_by_its_fix(
        dir.path(),
        "readme-missing",
        Severity::Error,
        "pyproject.toml",
        Some(5),
    );
    // No README at all: create one, then name it.
    let dir = repo(&[
        ("pyproject.toml", "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"purepkg\"\nversion = \"1.0\"\nlicense = \"MIT\"\nrequires-python = \">=3.9\"\n"),
        ("LICENSE", "MIT\n"),
        ("purepkg/__init__.py", ""),
    ]);
    fixed_by_its_fix(
        dir.path(),
        "readme-missing",
        Severity::Error,
        "pyproject.toml",
        Some(3),
    );
}

#[test]
fn readme_file_problems() {
    let dir = maturin(&[(
        "pyproject.toml",
        &MATURIN.replace("README.md", "docs/INTRO.md"),
    )]);
    fixed_by_its_fix(
        dir.path(),
        "readme-not-found",
        Severity::Error,
        "pyproject.toml",
        Some(7),
    );
    let dir = maturin(&[
        (
            "pyproject.toml",
            &MATURIN.replace("README.md", "README.adoc"),
        ),
        ("README.adoc", "= docpkg\n"),
    ]);
    fixed_by_its_fix(
        dir.path(),
        "readme-content-type",
        Severity::Error,
        "pyproject.toml",
        Some(7),
    );
    let dir = maturin(&[
        (
            "pyproject.toml",
            &MATURIN.replace("README.md", "README.rst"),
        ),
        ("README.rst", "docpkg\n======\n"),
    ]);
    let note = expect(
        dir.path(),
        "readme-rst",
        Severity::Note,
        "pyproject.toml",
        Some(7),
    );
    assert!(note.message.contains("checked at build time"));
}

#[test]
fn license_findings() {
    let dir = maturin(&[(
        "pyproject.toml",
        &MATURIN.replace("license = \"MIT\"\n", ""),
    )]);
    fixed_by_its_fix(
        dir.path(),
        "license-missing",
        Severity::Warning,
        "pyproject.toml",
        Some(5),
    );
    let dir = maturin(&[(
        "pyproject.toml",
        &MATURIN.replace(
            "license = \"MIT\"\n",
            "license = \"MIT\"\nlicense-files = [\"LICENSE.txt\"]\n",
        ),
    )]);
    fixed_by_its_fix(
        dir.path(),
        "license-file-not-found",
        Severity::Error,
        "pyproject.toml",
        Some(9),
    );
    let dir = repo(&[
        ("pyproject.toml", HATCH),
        ("README.md", "# pure\n"),
        ("purepkg/__init__.py", ""),
    ]);
    fixed_by_its_fix(
        dir.path(),
        "license-file-missing",
        Severity::Warning,
        "pyproject.toml",
        Some(9),
    );
}

#[test]
fn requires_python_findings() {
    let dir = maturin(&[(
        "pyproject.toml",
        &MATURIN.replace("requires-python = \">=3.9\"\n", ""),
    )]);
    fixed_by_its_fix(
        dir.path(),
        "requires-python-missing",
        Severity::Warning,
        "pyproject.toml",
        Some(5),
    );
    let dir = maturin(&[
        ("pyproject.toml", &MATURIN.replace(">=3.9", ">=3.8")),
        (
            "Cargo.toml",
            &CARGO.replace(
                "pyo3 = \"0.29\"",
                "pyo3 = { version = \"0.29\", features = [\"abi3-py310\"] }",
            ),
        ),
    ]);
    fixed_by_its_fix(
        dir.path(),
        "requires-python-abi3",
        Severity::Warning,
        "pyproject.toml",
        Some(9),
    );
}

#[test]
fn build_system_missing() {
    let dir = maturin(&[(
        "pyproject.toml",
        "[project]\nname = \"docpkg\"\nreadme = \"README.md\"\nlicense = \"MIT\"\nrequires-python = \">=3.9\"\ndynamic = [\"version\"]\n",
    )]);
    fixed_by_its_fix(
        dir.path(),
        "build-system-missing",
        Severity::Error,
        "pyproject.toml",
        None,
    );
}

#[test]
fn setuptools_rust_must_be_a_build_requirement() {
    let files = |requires: &str| {
        repo(&[
            ("pyproject.toml", &format!("[build-system]\nrequires = {requires}\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"docpkg\"\nversion = \"1.0.0\"\nreadme = \"README.md\"\nlicense = \"MIT\"\nrequires-python = \">=3.9\"\n")),
            ("setup.py", "from setuptools import setup\nfrom setuptools_rust import RustExtension\nsetup(rust_extensions=[RustExtension('docpkg._native')])\n"),
            ("Cargo.toml", CARGO),
            ("src/lib.rs", ""),
            ("README.md", "# docpkg\n"),
            ("LICENSE", "MIT License\n"),
        ])
    };
    let dir = files("[\"setuptools>=77\"]");
    let f = expect(
        dir.path(),
        "build-system-missing",
        Severity::Error,
        "pyproject.toml",
        Some(1),
    );
    assert!(f.message.contains("setuptools_rust"), "{f:#?}");
    let dir = files("[\"setuptools>=77\", \"setuptools_rust>=1.11\"]");
    gone(dir.path(), "build-system-missing");
}

#[test]
fn scripts_must_resolve() {
    let text = format!("{HATCH}\n[project.scripts]\npurecli = \"purepkg.cli:main\"\n");
    let dir = repo(&[
        ("pyproject.toml", &text),
        ("README.md", "# pure\n"),
        ("LICENSE", "MIT\n"),
        ("purepkg/__init__.py", ""),
    ]);
    let f = expect(
        dir.path(),
        "script-target-missing",
        Severity::Error,
        "pyproject.toml",
        Some(13),
    );
    assert!(matches!(f.fix, Fix::Text { .. }));
    write(dir.path(), "purepkg/cli.py", "def main():\n    pass\n");
    gone(dir.path(), "script-target-missing");
}

#[test]
fn an_invalid_requires_python_is_an_error_with_its_fix() {
    for bad in ["banana", ">=3.9,", "3.9+", ">= three"] {
        let dir = maturin(&[("pyproject.toml", &MATURIN.replace(">=3.9", bad))]);
        fixed_by_its_fix(
            dir.path(),
            "requires-python-invalid",
            Severity::Error,
            "pyproject.toml",
            Some(9),
        );
    }
}

#[test]
fn maturin_crate_findings() {
    let dir = maturin(&[(
        "Cargo.toml",
        &CARGO.replace("crate-type = [\"cdylib\"]\n", ""),
    )]);
    fixed_by_its_fix(
        dir.path(),
        "crate-type-cdylib",
        Severity::Error,
        "Cargo.toml",
        Some(6),
    );
    // The [lib] name plays no part: Python calls PyInit_<last part of
    // module-name>, which the `#[pymodule]` function's name (or its
    // `#[pyo3(name)]`/`#[pymodule(name)]`) must match.
    let pyproject = format!(
        "{MATURIN}\n[tool.maturin]\nmodule-name = \"docpkg._native\"\npython-source = \"python\"\n"
    );
    const FN: &str = "use pyo3::prelude::*;\n\n#[pymodule]\nfn docpkg(_m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n";
    let dir = maturin(&[
        ("pyproject.toml", &pyproject),
        ("python/docpkg/__init__.py", ""),
        ("src/lib.rs", FN),
    ]);
    let f = expect(
        dir.path(),
        "module-name-mismatch",
        Severity::Error,
        "src/lib.rs",
        Some(3),
    );
    assert!(
        matches!(&f.fix, Fix::Text { text } if text.contains("#[pyo3(name = \"_native\")]")),
        "{f:?}"
    );
    // Its fix, as written.
    let fixed = FN.replace(
        "#[pymodule]\n",
        "#[pymodule]\n#[pyo3(name = \"_native\")]\n",
    );
    write(dir.path(), "src/lib.rs", &fixed);
    gone(dir.path(), "module-name-mismatch");
    for renamed in [
        "#[pymodule(name = \"_native\")]\nfn whatever(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n",
        "#[pymodule(gil_used = false, name = _native)]\npub fn x(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n",
        "#[pyo3(name = \"_native\")]\n#[pymodule]\nfn x(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n",
        "#[pymodule]\nmod _native {\n    #[pymodule_export]\n    use super::f;\n}\n",
        "#[pymodule]\nfn r#_native(_m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n",
        // No #[pymodule] pyrel can see: no finding rather than a guess.
        "mod native;\n",
    ] {
        write(dir.path(), "src/lib.rs", renamed);
        gone(dir.path(), "module-name-mismatch");
    }
    // Part of the crate unread: a warning, never a release-blocking error.
    write(dir.path(), "src/lib.rs", &format!("mod more;\n{FN}"));
    expect(
        dir.path(),
        "module-name-mismatch",
        Severity::Warning,
        "src/lib.rs",
        Some(4),
    );
    // A comment or a string is not an attribute.
    write(
        dir.path(),
        "src/lib.rs",
        &format!("// #[pymodule] fn _native\nconst S: &str = \"#[pymodule] fn _native\";\n{FN}"),
    );
    expect(
        dir.path(),
        "module-name-mismatch",
        Severity::Error,
        "src/lib.rs",
        Some(5),
    );
    let dir = maturin(&[(
        "pyproject.toml",
        &format!("{MATURIN}\n[tool.maturin]\npython-source = \"python\"\n"),
    )]);
    let f = expect(
        dir.path(),
        "python-source-missing",
        Severity::Error,
        "pyproject.toml",
        Some(13),
    );
    assert!(matches!(f.fix, Fix::Text { .. }));
    std::fs::create_dir_all(dir.path().join("python/docpkg")).unwrap();
    gone(dir.path(), "python-source-missing");
    // A lock file is generated offline for a crate without dependencies.
    let dir = maturin(&[("Cargo.toml", &CARGO.replace("pyo3 = \"0.29\"\n", ""))]);
    std::fs::remove_file(dir.path().join("Cargo.lock")).unwrap();
    fixed_by_its_fix(
        dir.path(),
        "cargo-lock-missing",
        Severity::Warning,
        "Cargo.lock",
        None,
    );
}

#[test]
fn version_findings() {
    let dir = repo(&[
        ("pyproject.toml", HATCH),
        ("README.md", "# pure\n"),
        ("LICENSE", "MIT\n"),
        ("purepkg/__init__.py", "__version__ = \"1.9.0\"\n"),
    ]);
    let f = expect(
        dir.path(),
        "version-mismatch",
        Severity::Error,
        "purepkg/__init__.py",
        Some(1),
    );
    assert!(f.message.contains("2.0.0"));
    write(
        dir.path(),
        "purepkg/__init__.py",
        "__version__ = \"2.0.0\"\n",
    );
    gone(dir.path(), "version-mismatch");

    let dir = maturin(&[("Cargo.toml", &CARGO.replace("1.0.0", "1.0.0-final"))]);
    expect(
        dir.path(),
        "version-invalid",
        Severity::Error,
        "Cargo.toml",
        Some(3),
    );
    // Cargo's pre-release spelling is fine: maturin converts it.
    write(
        dir.path(),
        "Cargo.toml",
        &CARGO.replace("1.0.0", "1.0.0-rc.1"),
    );
    gone(dir.path(), "version-invalid");

    let dir = repo(&[
        (
            "pyproject.toml",
            &HATCH.replace("version = \"2.0.0\"\n", ""),
        ),
        ("README.md", "# pure\n"),
        ("LICENSE", "MIT\n"),
        ("purepkg/__init__.py", ""),
    ]);
    fixed_by_its_fix(
        dir.path(),
        "version-missing",
        Severity::Error,
        "pyproject.toml",
        Some(5),
    );
}

#[test]
fn release_findings() {
    // Another workflow publishes too.
    let dir = maturin(&[(
        ".github/workflows/publish.yml",
        "on: push\njobs:\n  up:\n    runs-on: ubuntu-latest\n    steps:\n      - run: twine upload dist/*\n",
    )]);
    let f = expect(
        dir.path(),
        "other-publisher",
        Severity::Error,
        ".github/workflows/publish.yml",
        Some(6),
    );
    assert!(f.message.contains("twine upload"));
    std::fs::remove_file(dir.path().join(".github/workflows/publish.yml")).unwrap();
    gone(dir.path(), "other-publisher");

    // The tag of this version exists (loose or packed).
    let dir = maturin(&[(
        ".git/refs/tags/v1.0.0",
        "0000000000000000000000000000000000000000\n",
    )]);
    let f = expect(
        dir.path(),
        "tag-exists",
        Severity::Error,
        "pyproject.toml",
        None,
    );
    assert!(f.message.contains("v1.0.0"));
    write(dir.path(), "Cargo.toml", &CARGO.replace("1.0.0", "1.0.1"));
    gone(dir.path(), "tag-exists");
    write(
        dir.path(),
        ".git/packed-refs",
        "# pack-refs with: peeled fully-peeled sorted\n0000000000000000000000000000000000000000 refs/tags/v1.0.1\n",
    );
    expect(
        dir.path(),
        "tag-exists",
        Severity::Error,
        "pyproject.toml",
        None,
    );

    // Generated files: missing until `pyrel generate`.
    let dir = maturin(&[(
        "pyproject.toml",
        &format!("{MATURIN}\n[tool.pyrel]\ntag-prefix = \"v\"\n"),
    )]);
    let all = relevant(dir.path());
    let stale: Vec<&Finding> = all.iter().filter(|f| f.id == "generated-stale").collect();
    let mut paths: Vec<&str> = stale.iter().map(|f| f.file.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            ".github/dependabot.yml",
            ".github/workflows/release.yml",
            "RELEASING.md"
        ],
        "{all:#?}"
    );
    assert!(matches!(&stale[0].fix, Fix::Command { command } if command == "pyrel generate"));
    crate::commands::generate(dir.path(), crate::commands::Mode::Write { force: false }).unwrap();
    gone(dir.path(), "generated-stale");
    // And `not-configured` before any [tool.pyrel].
    let dir = maturin(&[]);
    assert!(findings(dir.path())
        .iter()
        .any(|f| f.id == "not-configured"));
}

/// RELEASING.md explains every finding id a package can get.
#[test]
fn every_id_is_documented() {
    for (dir, maturin_pkg) in [
        (maturin(&[]), true),
        (repo(&[("pyproject.toml", HATCH)]), false),
    ] {
        crate::commands::init(
            dir.path(),
            vec![],
            crate::commands::Interaction::None,
            false,
            false,
            crate::commands::Adoption {
                replace: false,
                allow_drop: false,
            },
        )
        .unwrap();
        let docs = std::fs::read_to_string(dir.path().join("RELEASING.md")).unwrap();
        for id in super::FindingId::ALL {
            let row = format!("| `{id}` |");
            assert_eq!(
                docs.contains(&row),
                maturin_pkg || !id.maturin_only(),
                "{id}"
            );
        }
    }
}

/// A non-abi3 crate on PyO3 0.25 cannot build CPython 3.15, which
/// `requires-python = ">=3.9"` claims: a warning on the pyo3 line whose fix
/// names the PyO3 that can; raising pyo3 as it says makes it go away.
#[test]
fn pyo3_that_cannot_build_a_claimed_cpython() {
    let old = CARGO.replace("pyo3 = \"0.29\"", "pyo3 = \"0.25.1\"");
    let dir = maturin(&[("Cargo.toml", &old)]);
    let f = expect(
        dir.path(),
        "pyo3-cannot-build",
        Severity::Warning,
        "Cargo.toml",
        Some(11),
    );
    assert!(f.message.contains("PyO3 0.25 cannot build cp315"), "{f:#?}");
    let Fix::Text { text } = &f.fix else {
        panic!("{f:#?}")
    };
    assert!(text.contains("raise pyo3 to 0.29"), "{text}");
    // Without free-threaded wheels, only cp315 is missing.
    let pyproject = format!("{MATURIN}\n[tool.pyrel]\nfree-threaded = false\n");
    write(dir.path(), "pyproject.toml", &pyproject);
    let f = expect(
        dir.path(),
        "pyo3-cannot-build",
        Severity::Warning,
        "Cargo.toml",
        Some(11),
    );
    assert!(f.message.contains("cannot build cp315, which"), "{f:#?}");
    write(dir.path(), "Cargo.toml", CARGO);
    gone(dir.path(), "pyo3-cannot-build");

    // A classifier claims a version `requires-python` caps away.
    let capped = MATURIN.replace(">=3.9", ">=3.9,<3.15").replace(
        "dynamic",
        "classifiers = [\"Programming Language :: Python :: 3.15\"]\ndynamic",
    );
    write(dir.path(), "pyproject.toml", &capped);
    write(dir.path(), "Cargo.toml", &old);
    let f = expect(
        dir.path(),
        "pyo3-cannot-build",
        Severity::Warning,
        "Cargo.toml",
        Some(11),
    );
    assert!(
        f.message
            .contains("the classifier `Programming Language :: Python :: 3.15`"),
        "{f:#?}"
    );

    // abi3 wheels load on every newer CPython: nothing to warn about.
    let abi3 = old.replace(
        "\"0.25.1\"",
        "{ version = \"0.25.1\", features = [\"abi3-py39\"] }",
    );
    write(dir.path(), "Cargo.toml", &abi3);
    gone(dir.path(), "pyo3-cannot-build");
}

/// The PyO3 in Cargo.lock (else the lowest the requirement allows) with a
/// RustSec advisory is a warning naming it; a patched lock is clean.
#[test]
fn pyo3_with_a_security_advisory() {
    let lock = format!("{LOCK}\n[[package]]\nname = \"pyo3\"\nversion = \"0.24.0\"\n");
    let dir = maturin(&[("Cargo.lock", &lock)]);
    let f = expect(
        dir.path(),
        "pyo3-advisory",
        Severity::Warning,
        "Cargo.toml",
        Some(11),
    );
    assert!(
        f.message.contains("PyO3 0.24.0 (from Cargo.lock)"),
        "{f:#?}"
    );
    assert!(f.message.contains("RUSTSEC-2025-0020"), "{f:#?}");
    assert!(f.message.contains("PyString::from_object"), "{f:#?}");
    let fixed = lock.replace("0.24.0", "0.29.2");
    write(dir.path(), "Cargo.lock", &fixed);
    gone(dir.path(), "pyo3-advisory");
    // No lock entry: the requirement's floor (0.22 allows 0.22.0).
    write(dir.path(), "Cargo.lock", LOCK);
    let old = CARGO.replace("pyo3 = \"0.29\"", "pyo3 = \"0.22\"");
    write(dir.path(), "Cargo.toml", &old);
    let f = expect(
        dir.path(),
        "pyo3-advisory",
        Severity::Warning,
        "Cargo.toml",
        Some(11),
    );
    assert!(f.message.contains("PyO3 0.22.0 (from Cargo.toml"), "{f:#?}");
    assert!(f.message.contains("RUSTSEC-2024-0378"), "{f:#?}");
}
