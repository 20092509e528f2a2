//! Manifest readers against arbitrary input: every pyproject.toml/Cargo.toml
//! pair, however malformed, yields a `Project` or an error, never a panic.

use proptest::prelude::*;

fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "\"[a-z0-9._/-]{0,12}\"".prop_map(|s| s),
        any::<i64>().prop_map(|i| i.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("[]".to_string()),
        Just("[\"abi3\", \"abi3-py39\"]".to_string()),
        Just("[\"pyo3/abi3-py310\", \"dep:pyo3\", \"x\"]".to_string()),
        Just("{ workspace = true }".to_string()),
        Just("{ version = \"0.29\", features = [\"abi3-py311\"] }".to_string()),
        Just("{ path = \"../x\" }".to_string()),
        Just("\"..\"".to_string()),
        Just("'''multi\nline'''".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("{ a = { b = [1, \"2\", { c = 3 }] } }".to_string()),
    ]
}

fn toml_doc(
    tables: &'static [&'static str],
    keys: &'static [&'static str],
) -> impl Strategy<Value = String> {
    let entry =
        (prop::sample::select(keys), toml_value()).prop_map(|(k, v)| format!("{k} = {v}\n"));
    let section = (
        prop::sample::select(tables),
        prop::collection::vec(entry, 0..6),
    )
        .prop_map(|(t, es)| format!("[{t}]\n{}", es.concat()));
    prop_oneof![
        4 => prop::collection::vec(section, 0..6).prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
}

const PY_TABLES: &[&str] = &[
    "project",
    "build-system",
    "tool.maturin",
    "tool.pyrel",
    "project.scripts",
];
const PY_KEYS: &[&str] = &[
    "name",
    "version",
    "dynamic",
    "requires-python",
    "build-backend",
    "bindings",
    "python-source",
    "module-name",
    "features",
    "manifest-path",
    "platforms",
    "publish",
    "x",
];
const CARGO_TABLES: &[&str] = &[
    "package",
    "lib",
    "dependencies",
    "features",
    "workspace",
    "workspace.package",
    "workspace.dependencies",
    "dependencies.pyo3",
    "package.version",
];
const CARGO_KEYS: &[&str] = &[
    "name",
    "version",
    "crate-type",
    "pyo3",
    "pyo3-ffi",
    "uniffi",
    "default",
    "workspace",
    "features",
    "package",
    "members",
    "abi3",
    "python",
];

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PYREL_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(3_000),
        .. ProptestConfig::default()
    })]

    #[test]
    fn inspect_never_panics(
        py in toml_doc(PY_TABLES, PY_KEYS),
        cargo in toml_doc(CARGO_TABLES, CARGO_KEYS),
        root in toml_doc(CARGO_TABLES, CARGO_KEYS),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("pyproject.toml"), &py).unwrap();
        std::fs::write(pkg.join("Cargo.toml"), &cargo).unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), &root).unwrap();
        let _ = super::inspect(&pkg);
        // And the saved-answers reader on the same pyproject.
        if let Ok(f) = super::tomlfile::TomlFile::parse(py, "pyproject.toml") {
            let _ = crate::answers::saved(&f);
        }
    }
}
