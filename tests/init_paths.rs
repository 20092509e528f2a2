//! `init` paths the other tests do not take: `--docs` and
//! `--testpypi-environment`, `--force` over a hand-edited workflow, and
//! `doctor --json` for one package of a repository with several.

mod common;

use common::Repo;

#[test]
fn docs_path_and_testpypi_environment_are_used_and_saved() {
    let repo = Repo::fixture("hatch");
    repo.pyrel(&[
        "init",
        "--yes",
        "--docs",
        "docs/RELEASING.md",
        "--testpypi-environment",
        "staging",
    ])
    .expect(0);
    assert!(!repo.path().join("RELEASING.md").exists());
    let docs = repo.read("docs/RELEASING.md");
    assert!(docs.contains("`staging`"), "{docs}");
    let wf: serde_yaml::Value =
        serde_yaml::from_str(&repo.read(".github/workflows/release.yml")).unwrap();
    assert_eq!(
        wf["jobs"]["publish-testpypi"]["environment"]["name"].as_str(),
        Some("staging")
    );
    assert_eq!(
        wf["jobs"]["publish-pypi"]["environment"]["name"].as_str(),
        Some("pypi")
    );
    let py = repo.read("pyproject.toml");
    assert!(py.contains("docs = \"docs/RELEASING.md\""), "{py}");
    assert!(py.contains("testpypi-environment = \"staging\""), "{py}");
    // Saved: generate keeps them without flags.
    repo.pyrel(&["generate", "--check"]).expect(0);
}

#[test]
fn init_refuses_a_hand_edited_workflow_and_force_replaces_it() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes"]).expect(0);
    let wf = ".github/workflows/release.yml";
    let generated = repo.read(wf);
    let edited = generated.replacen(
        "\npermissions: {}\n",
        "\npermissions: {}\n# edited by hand\n",
        1,
    );
    assert_ne!(edited, generated);
    repo.write(wf, &edited);
    let before = repo.tree();
    let run = repo.pyrel(&["init", "--yes"]);
    run.expect(1);
    assert!(
        run.stderr().contains("refusing to overwrite"),
        "{}",
        run.stderr()
    );
    assert_eq!(before, repo.tree(), "a refused init wrote");
    repo.pyrel(&["init", "--yes", "--force"]).expect(0);
    assert_eq!(repo.read(wf), generated);
    repo.pyrel(&["generate", "--check"]).expect(0);
}

#[test]
fn doctor_json_for_one_package() {
    let repo = Repo::fixture("workspace");
    let pkg = "crates/wsdemo-py";
    repo.pyrel(&["init", pkg, "--yes"]).expect(0);
    let run = repo.pyrel(&["doctor", pkg, "--json"]);
    run.expect(0);
    let findings: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let findings = findings.as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(f["severity"].as_str(), Some("warning"), "{f}");
        assert!(f["fix"].is_object(), "{f}");
    }
    let license = findings
        .iter()
        .find(|f| f["id"] == "license-missing")
        .expect("license-missing");
    assert_eq!(
        license["file"].as_str(),
        Some("crates/wsdemo-py/pyproject.toml")
    );
    assert!(license["line"].as_u64().is_some(), "{license}");
    // An error in that package: exit 1, and the JSON says which.
    let py = repo.read(&format!("{pkg}/pyproject.toml"));
    assert!(py.contains("readme = \"README.md\""));
    repo.write(
        &format!("{pkg}/pyproject.toml"),
        &py.replace("readme = \"README.md\"", "readme = \"MISSING.md\""),
    );
    let run = repo.pyrel(&["doctor", pkg, "--json"]);
    run.expect(1);
    let findings: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "error" && f["file"] == "crates/wsdemo-py/pyproject.toml"),
        "{findings:#}"
    );
}
