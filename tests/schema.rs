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
    assert!(instances.len() > names.len(), "{instances:?}");
    let out = check(&instances);
    assert!(
        out.status.success(),
        "check-jsonschema:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A valid value for each text key (pyrel validates text beyond its type:
/// names, paths, commands; the schema checks the type).
fn valid_text(key: &str) -> &'static str {
    match key {
        "manylinux" => "2_28",
        "environment" => "release",
        "testpypi-environment" => "test-release",
        "tag-prefix" => "py-v",
        "token-secret" => "MY_PYPI_TOKEN",
        "testpypi-token-secret" => "MY_TESTPYPI_TOKEN",
        "docs" => "docs/RELEASING.md",
        "workflow" => ".github/workflows/pypi.yml",
        "repository" => "o/r",
        "maturin-args" => "--locked",
        "smoke-test" | "test-command" | "before-script-linux" => "true",
        "test-requires" => "pytest",
        // Written into the repository by the test below: pyrel reads it.
        "test-workflow" => ".github/workflows/tests.yml",
        other => panic!("no valid value for the text key {other}: add one"),
    }
}

/// Inputs generated from the schema's own keys: for every key, values of
/// the right type that pyrel accepts, a value of the wrong type, an option
/// outside a choice, a platform that does not exist; and an unknown key.
/// (key, TOML value, valid)
fn generated_inputs(schema: &serde_json::Value) -> Vec<(String, String, bool)> {
    let mut out = vec![(
        "plaftorms".to_string(),
        "[\"linux-x86_64\"]".to_string(),
        false,
    )];
    for (key, prop) in schema["properties"].as_object().unwrap() {
        let mut case = |value: String, valid: bool| out.push((key.clone(), value, valid));
        match prop["type"].as_str().unwrap() {
            "boolean" => {
                case("true".into(), true);
                case("false".into(), true);
                case("\"yes\"".into(), false);
                case("1".into(), false);
            }
            "array" if prop["items"]["enum"].is_array() => {
                case("[\"linux-x86_64\", \"macos-aarch64\"]".into(), true);
                case("[\"linux-sparc\"]".into(), false);
                case("\"linux-x86_64\"".into(), false);
                case("[1]".into(), false);
            }
            "array" => {
                case("[\"src/**\", \"!docs/**\"]".into(), true);
                case("\"src/**\"".into(), false);
                case("[1]".into(), false);
            }
            "string" => {
                match prop["enum"].as_array() {
                    Some(options) => {
                        for o in options {
                            case(format!("{o}"), true);
                        }
                        case("\"nope\"".into(), false);
                    }
                    None => case(format!("{:?}", valid_text(key)), true),
                }
                case("42".into(), false);
                case("[\"a\"]".into(), false);
            }
            // Per-platform tables (`[tool.pyrel.platform.<name>]`).
            "object" => {
                case("{ linux = { maturin-args = \"--locked\" } }".into(), true);
                case("[\"linux-x86_64\"]".into(), false);
                case("{ linux-sparc = {} }".into(), false);
                case("{ linux-x86_64 = { features = \"x\" } }".into(), false);
            }
            other => panic!("{key}: schema type {other} not generated"),
        }
    }
    out
}

/// On the same generated inputs, `check-jsonschema` with the committed
/// schema and pyrel itself (`pyrel generate` reading the saved
/// `[tool.pyrel]`) give the same verdict, and it is the expected one.
#[test]
#[ignore = "needs check-jsonschema: run scripts/test.sh"]
fn schema_rejects_what_pyrel_rejects() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(manifest_dir().join("schema/pyrel.schema.json")).unwrap(),
    )
    .unwrap();
    let inputs = generated_inputs(&schema);
    let repo = Repo::fixture("mixed");
    repo.pyrel(&["init", "--yes"]).expect(0);
    // The test workflow `test-workflow`'s valid value names.
    repo.write(
        ".github/workflows/tests.yml",
        &std::fs::read_to_string(
            manifest_dir().join("tests/fixtures/workflows/tests-callable.yml"),
        )
        .unwrap(),
    );
    let saved = repo.read("pyproject.toml");
    let scratch = tempfile::tempdir().unwrap();
    let mut disagreements = Vec::new();
    for (i, (key, value, valid)) in inputs.iter().enumerate() {
        let mut doc: toml_edit::DocumentMut = saved.parse().unwrap();
        let item: toml_edit::Item = toml_edit::value(
            format!("x = {value}")
                .parse::<toml_edit::DocumentMut>()
                .unwrap()["x"]
                .as_value()
                .unwrap()
                .clone(),
        );
        doc["tool"]["pyrel"][key.as_str()] = item;
        let text = doc.to_string();
        repo.write("pyproject.toml", &text);
        let run = repo.pyrel(&["generate"]);
        let pyrel_accepts = match run.code() {
            0 => true,
            2 => false,
            code => panic!("{key} = {value}: pyrel exit {code}\n{}", run.stderr()),
        };
        let path = scratch.path().join(format!("{i}.json"));
        std::fs::write(&path, tool_pyrel(&text).to_string()).unwrap();
        let schema_accepts = match check(&[path]).status.code() {
            Some(0) => true,
            Some(1) => false,
            code => panic!("{key} = {value}: check-jsonschema exit {code:?}"),
        };
        if pyrel_accepts != *valid || schema_accepts != *valid {
            disagreements.push(format!(
                "{key} = {value}: expected {}, pyrel {}, schema {}",
                if *valid { "valid" } else { "invalid" },
                if pyrel_accepts { "accepts" } else { "rejects" },
                if schema_accepts { "accepts" } else { "rejects" },
            ));
        }
        repo.write("pyproject.toml", &saved);
    }
    assert!(inputs.len() > 60, "{} inputs", inputs.len());
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
