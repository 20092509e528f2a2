//! The `[tool.pyrel]` that `init` saves validates against the committed JSON
//! Schema (`schema/pyrel.schema.json`, equal to `pyrel schema`: see the unit
//! test in src/schema.rs), with the real `check-jsonschema`; and the schema
//! rejects what pyrel rejects.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{manifest_dir, tool, Repo};

/// Every directory of a fixture that holds a pyproject.toml.
fn packages(fixture: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else if p.file_name().unwrap() == "pyproject.toml" {
                let rel = p.parent().unwrap().strip_prefix(root).unwrap();
                out.push(match rel.to_str().unwrap() {
                    "" => ".".to_string(),
                    r => r.to_string(),
                });
            }
        }
    }
    let mut out = Vec::new();
    walk(fixture, fixture, &mut out);
    out.sort();
    out
}

/// `[tool.pyrel]` of `pyproject` as JSON.
fn tool_pyrel(pyproject: &str) -> serde_json::Value {
    let doc: toml_edit::DocumentMut = pyproject.parse().unwrap();
    let table = doc["tool"]["pyrel"]
        .as_table()
        .expect("[tool.pyrel]")
        .clone();
    let text = toml_edit::DocumentMut::from(table).to_string();
    toml_edit::de::from_str(&text).unwrap()
}

fn check(instances: &[PathBuf]) -> std::process::Output {
    Command::new(tool("check-jsonschema"))
        .arg("--schemafile")
        .arg(manifest_dir().join("schema/pyrel.schema.json"))
        .args(instances)
        .output()
        .unwrap()
}

#[test]
#[ignore = "needs check-jsonschema: run scripts/test.sh"]
fn every_saved_config_validates() {
    let scratch = tempfile::tempdir().unwrap();
    let mut instances = Vec::new();
    let mut save = |label: String, repo: &Repo, dir: &str| {
        let json = tool_pyrel(&repo.read(&format!("{dir}/pyproject.toml")));
        let path = scratch
            .path()
            .join(format!("{}.json", label.replace('/', "_")));
        std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
        instances.push(path);
    };
    let fixtures = manifest_dir().join("tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for name in &names {
        let repo = Repo::fixture(name);
        for dir in packages(&fixtures.join(name)) {
            repo.pyrel(&["init", &dir, "--yes"]).expect(0);
            save(format!("{name}-{dir}"), &repo, &dir);
        }
    }
    // Every optional key set at once.
    let repo = Repo::fixture("mixed");
    repo.pyrel(&[
        "init",
        "--yes",
        "--publish",
        "token",
        "--testpypi",
        "--github-release",
        "--trigger",
        "tag",
        "--maturin-args",
        "--locked",
        "--before-script-linux",
        "true",
        "--test-command",
        "pytest",
        "--no-smoke-deps",
        "--repository",
        "o/r",
        "--platforms",
        "linux-x86_64,macos-universal2",
    ])
    .expect(0);
    save("mixed-all-keys".into(), &repo, ".");
    // Per-platform settings imported from a workflow (features, RUSTFLAGS).
    let repo = Repo::fixture("mixed");
    repo.write(
        ".github/workflows/ci.yml",
        &std::fs::read_to_string(
            manifest_dir().join("tests/fixtures/workflows/corpus/per-target-settings.yml"),
        )
        .unwrap(),
    );
    repo.pyrel(&["init", "--yes"]).expect(0);
    assert!(repo
        .read("pyproject.toml")
        .contains("[tool.pyrel.platform."));
    save("mixed-platform-settings".into(), &repo, ".");
    assert!(instances.len() > names.len(), "{instances:?}");
    let out = check(&instances);
    assert!(
        out.status.success(),
        "check-jsonschema:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
#[ignore = "needs check-jsonschema: run scripts/test.sh"]
fn schema_rejects_what_pyrel_rejects() {
    let scratch = tempfile::tempdir().unwrap();
    let bad = [
        ("unknown-key", r#"{"plaftorms": ["linux-x86_64"]}"#),
        ("platform-not-a-table", r#"{"platform": ["linux-x86_64"]}"#),
        (
            "unknown-platform-table",
            r#"{"platform": {"linux-sparc": {}}}"#,
        ),
        (
            "unknown-platform-setting",
            r#"{"platform": {"linux-x86_64": {"features": "x"}}}"#,
        ),
        ("bad-choice", r#"{"publish": "password"}"#),
        ("bad-platform", r#"{"platforms": ["linux-sparc"]}"#),
        ("wrong-type", r#"{"testpypi": "yes"}"#),
    ];
    for (label, text) in bad {
        let path = scratch.path().join(format!("{label}.json"));
        std::fs::write(&path, text).unwrap();
        let out = check(&[path]);
        assert_eq!(out.status.code(), Some(1), "{label} was accepted");
    }
}
