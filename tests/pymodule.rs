//! doctor's `module-name-mismatch` against the real thing: crates whose
//! `#[pymodule]` is named by `#[pyo3(name = "...")]`, by
//! `#[pymodule(name = "...")]`, or by a function name that differs from
//! `[lib] name`, built with maturin and imported. doctor must report no
//! error for them (it used to block `pyrel release`), and must still report
//! the one crate whose import really fails.

mod common;

use std::path::Path;
use std::process::Command;

use common::{build_step, shared_target_dir, step, tool};

struct Case {
    label: &'static str,
    /// `[lib] name` in Cargo.toml.
    lib: &'static str,
    /// `[tool.maturin] module-name`, if any.
    module_name: Option<&'static str>,
    lib_rs: &'static str,
    /// What Python imports, or `None` when the import must fail.
    import: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        label: "pyo3(name)",
        lib: "rn_lib",
        module_name: Some("renamed"),
        lib_rs: "use pyo3::prelude::*;\n\n#[pymodule]\n#[pyo3(name = \"renamed\")]\nfn something(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    m.add(\"answer\", 42)\n}\n",
        import: Some("renamed"),
    },
    Case {
        label: "pymodule(name)",
        lib: "pm_lib",
        module_name: Some("pm_pkg._core"),
        lib_rs: "use pyo3::prelude::*;\n\n#[pymodule(name = \"_core\")]\nfn init(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    m.add(\"answer\", 42)\n}\n",
        import: Some("pm_pkg._core"),
    },
    Case {
        label: "function name",
        lib: "fn_lib",
        module_name: Some("fn_pkg._native"),
        lib_rs: "use pyo3::prelude::*;\n\n#[pymodule]\nfn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    m.add(\"answer\", 42)\n}\n",
        import: Some("fn_pkg._native"),
    },
    Case {
        label: "mismatch",
        lib: "bad_lib",
        module_name: Some("bad_pkg._native"),
        lib_rs: "use pyo3::prelude::*;\n\n#[pymodule]\nfn bad_lib(m: &Bound<'_, PyModule>) -> PyResult<()> {\n    m.add(\"answer\", 42)\n}\n",
        import: None,
    },
];

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn scaffold(case: &Case, root: &Path) {
    let dist = case.lib.replace("_lib", "-dist");
    let mut py = format!(
        "[build-system]\nrequires = [\"maturin>=1.9,<2.0\"]\nbuild-backend = \"maturin\"\n\n\
         [project]\nname = \"{dist}\"\nversion = \"0.1.0\"\nreadme = \"README.md\"\n\
         license = \"MIT\"\nrequires-python = \">=3.9\"\n"
    );
    if let Some(m) = case.module_name {
        py.push_str(&format!("\n[tool.maturin]\nmodule-name = \"{m}\"\n"));
        // A dotted name: the extension inside the package (maturin's mixed layout).
        if let Some((top, _)) = m.split_once('.') {
            py.push_str("python-source = \"python\"\n");
            write(root, &format!("python/{top}/__init__.py"), "");
        }
    }
    write(root, "pyproject.toml", &py);
    write(
        root,
        "Cargo.toml",
        &format!(
            "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
             [lib]\nname = \"{}\"\ncrate-type = [\"cdylib\"]\n\n\
             [dependencies]\npyo3 = {{ version = \"0.29\", features = [\"extension-module\"] }}\n",
            dist, case.lib
        ),
    );
    write(root, "src/lib.rs", case.lib_rs);
    write(root, "README.md", "# test\n");
    write(root, "LICENSE", "MIT License\n");
    write(
        root,
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/pyrel-tests/pymodule.git\n",
    );
}

/// Build with maturin (offline would need a vendored pyo3; the registry is
/// allowed), install into a fresh venv, import.
fn build_and_import(case: &Case, root: &Path) -> bool {
    let out = root.join("dist");
    step(
        case.label,
        "cargo generate-lockfile",
        Command::new("cargo")
            .args(["generate-lockfile"])
            .current_dir(root),
    );
    build_step(
        case.label,
        "maturin build",
        Command::new(tool("maturin"))
            .args(["build", "--release", "--out"])
            .arg(&out)
            .arg("--interpreter")
            .arg(tool("python"))
            .current_dir(root)
            .env("CARGO_TARGET_DIR", shared_target_dir()),
    );
    let wheel = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .expect("a wheel");
    let python = common::venv(case.label, &root.join("venv"));
    step(
        case.label,
        "pip install",
        common::pip_install(&python)
            .args(["--no-deps", "-q"])
            .arg(&wheel),
    );
    let module = case.import.unwrap_or_else(|| case.module_name.unwrap());
    Command::new(&python)
        .args([
            "-c",
            &format!("import {module} as m; assert m.answer == 42, m.answer"),
        ])
        .current_dir(root.parent().unwrap())
        .status()
        .unwrap()
        .success()
}

#[test]
#[ignore = "needs maturin: run scripts/test.sh"]
fn doctor_agrees_with_maturin_and_python_on_module_names() {
    for case in CASES {
        let scratch = tempfile::tempdir().unwrap();
        let root = scratch.path().join("pkg");
        scaffold(case, &root);
        let doctor = Command::new(env!("CARGO_BIN_EXE_pyrel"))
            .args(["doctor", "--json"])
            .current_dir(&root)
            .output()
            .unwrap();
        let findings: serde_json::Value = serde_json::from_slice(&doctor.stdout)
            .unwrap_or_else(|e| panic!("[{}] doctor --json: {e}", case.label));
        let mismatch = findings
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "module-name-mismatch")
            .cloned();
        let imported = build_and_import(case, &root);
        match case.import {
            Some(_) => {
                assert!(imported, "[{}] the import failed", case.label);
                assert_eq!(
                    mismatch, None,
                    "[{}] doctor reports a mismatch for a module that imports",
                    case.label
                );
            }
            None => {
                assert!(!imported, "[{}] the import worked", case.label);
                let f = mismatch.unwrap_or_else(|| {
                    panic!(
                        "[{}] doctor misses a module that does not import",
                        case.label
                    )
                });
                assert_eq!(f["severity"], "error", "{f}");
            }
        }
    }
}
