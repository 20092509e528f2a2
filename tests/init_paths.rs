//! `init` paths the other tests do not take: `--docs` and
//! `--testpypi-environment`, `--force` over a hand-edited workflow, and
//! `doctor --json` for one package of a repository with several, and
//! `test-workflow` (detected, saved, validated, turned off).

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

/// `test-workflow`: `init` detects the one callable CI workflow, saves it,
/// and the release workflow's publishing jobs wait for it; `--test-workflow
/// ""` turns it off; a workflow the call cannot run, and a hostile path, are
/// refused (exit 2, the file's line and the fix) with nothing written.
#[test]
fn test_workflow_is_detected_saved_validated_and_can_be_turned_off() {
    let callable = std::fs::read_to_string(
        common::manifest_dir().join("tests/fixtures/workflows/tests-callable.yml"),
    )
    .unwrap();
    let needs = |repo: &Repo, job: &str| -> Vec<String> {
        let wf: serde_yaml::Value =
            serde_yaml::from_str(&repo.read(".github/workflows/release.yml")).unwrap();
        wf["jobs"][job]["needs"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };

    let repo = Repo::fixture("abi3");
    repo.write(".github/workflows/tests.yml", &callable);
    repo.pyrel(&["init", "--yes"]).expect(0);
    let py = repo.read("pyproject.toml");
    assert!(
        py.contains("test-workflow = \".github/workflows/tests.yml\""),
        "{py}"
    );
    let wf: serde_yaml::Value =
        serde_yaml::from_str(&repo.read(".github/workflows/release.yml")).unwrap();
    assert_eq!(
        wf["jobs"]["tests"]["uses"].as_str(),
        Some("$/.github/workflows/tests.yml")
    );
    for job in ["publish-pypi", "publish-testpypi", "provenance"] {
        assert_eq!(needs(&repo, job), ["check", "tests"], "{job}");
    }
    repo.pyrel(&["generate", "--check"]).expect(0);

    // The saved workflow later asks for more than the call lends it.
    repo.write(
        ".github/workflows/tests.yml",
        &callable.replace("contents: read # to check", "contents: write # to check"),
    );
    let before = repo.tree();
    let out = repo.pyrel(&["generate"]);
    out.expect(2);
    let err = out.stderr();
    assert!(
        err.contains("test-workflow")
            && err.contains(
                ".github/workflows/tests.yml:23:7: the job `test` asks for `contents: write`"
            )
            && err.contains("`contents: read` only"),
        "{err}"
    );
    assert_eq!(repo.tree(), before);

    // Off: no tests job, the publishing jobs wait for the gate only.
    let repo = Repo::fixture("abi3");
    repo.write(".github/workflows/tests.yml", &callable);
    repo.pyrel(&["init", "--yes", "--test-workflow", ""])
        .expect(0);
    assert_eq!(needs(&repo, "publish-pypi"), ["check"]);
    assert!(!repo
        .read(".github/workflows/release.yml")
        .contains("tests-callable"));

    // A path that would put anything but a file name into the workflow.
    for hostile in [
        ".github/workflows/tests.yml\"\n    secrets: inherit",
        ".github/workflows/t${{ github.token }}.yml",
        ".github/workflows/tests.yml@main",
        "../elsewhere/.github/workflows/tests.yml",
    ] {
        let repo = Repo::fixture("abi3");
        repo.write(".github/workflows/tests.yml", &callable);
        let before = repo.tree();
        let out = repo.pyrel(&["init", "--yes", "--test-workflow", hostile]);
        out.expect(2);
        assert!(out.stderr().contains("--test-workflow"), "{}", out.stderr());
        assert_eq!(repo.tree(), before, "{hostile}");
    }
}
