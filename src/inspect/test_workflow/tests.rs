//! The test workflow a release calls: what is accepted, and each refusal
//! with its place and fix.

use super::*;

const CI: &str = "name: CI
on:
  pull_request:
  push:
    branches: [main]
  workflow_call:
permissions: {}
concurrency:
  group: ci-${{ github.workflow }}-${{ github.ref }}
jobs:
  test:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - run: cargo test
";

fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// `check` as `answers::validate` calls it: with what `inspect` read of
/// the repository's workflows.
fn check(root: &std::path::Path, path: &str) -> Result<(), String> {
    super::check(root, path, &workflows::read(root))
}

fn refusal(text: &str) -> String {
    let dir = repo(&[(".github/workflows/ci.yml", text)]);
    check(dir.path(), ".github/workflows/ci.yml").unwrap_err()
}

#[test]
fn a_callable_test_workflow_is_accepted() {
    let dir = repo(&[(".github/workflows/ci.yml", CI)]);
    assert_eq!(check(dir.path(), ".github/workflows/ci.yml"), Ok(()));
    for on in [
        "on: workflow_call",
        "on: [push, workflow_call]",
        "true:\n  workflow_call:\n    inputs:\n      x:\n        required: true\n        default: a",
    ] {
        let text = CI.replacen(
            "on:\n  pull_request:\n  push:\n    branches: [main]\n  workflow_call:",
            on,
            1,
        );
        assert_ne!(text, CI);
        let dir = repo(&[(".github/workflows/ci.yml", &text)]);
        assert_eq!(check(dir.path(), ".github/workflows/ci.yml"), Ok(()), "{on}");
    }
}

#[test]
fn pyrels_own_ci_workflow_is_accepted() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(check(root, ".github/workflows/ci.yml"), Ok(()));
}

#[test]
fn refusals_name_the_place_and_the_fix() {
    let cases: [(String, &str, &str); 8] = [
        (
            CI.replace("  workflow_call:\n", ""),
            ".github/workflows/ci.yml:2:1: does not declare `on: workflow_call`",
            "add `workflow_call:` under `on:`",
        ),
        (
            CI.replace(
                "  workflow_call:\n",
                "  workflow_call:\n    inputs:\n      python:\n        type: string\n        required: true\n",
            ),
            ".github/workflows/ci.yml:8:7: the required input `python`",
            "give it a `default:`",
        ),
        (
            CI.replace(
                "  workflow_call:\n",
                "  workflow_call:\n    secrets:\n      CODECOV:\n        required: true\n",
            ),
            ".github/workflows/ci.yml:8:7: the required secret `CODECOV`",
            "passes no secrets",
        ),
        (
            CI.replace("      contents: read\n", "      contents: read\n      checks: write\n"),
            ".github/workflows/ci.yml:15:7: the job `test` asks for `checks: write`",
            "`contents: read` only",
        ),
        (
            CI.replace("permissions: {}", "permissions: read-all"),
            ".github/workflows/ci.yml:7:1: the workflow asks for `permissions: read-all`",
            "`contents: read` only",
        ),
        (
            CI.replace("ci-${{", "${{"),
            ".github/workflows/ci.yml:8:1: its concurrency group",
            "give the group a prefix of its own",
        ),
        (
            CI.replace(
                "      - run: cargo test\n",
                "      - run: cargo test\n  upload:\n    runs-on: ubuntu-24.04\n    environment: pypi\n    permissions:\n      contents: read\n    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n",
            ),
            "the job `upload` publishes to a package index",
            "name a workflow that only tests",
        ),
        (
            format!("# pyrel-digest: sha256:00\n{CI}"),
            ".github/workflows/ci.yml:1:1: is a workflow pyrel generates",
            "name the workflow that runs the tests",
        ),
    ];
    for (text, place, fix) in cases {
        assert_ne!(text, CI, "{place}");
        let err = refusal(&text);
        assert!(
            err.contains(place) && err.contains(fix),
            "{err}\n---\n{text}"
        );
    }
}

#[test]
fn a_nested_reusable_workflow_is_held_to_the_same_permissions() {
    let inner = "on: workflow_call\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    permissions:\n      id-token: write\n    steps:\n      - run: true\n";
    // The workspace-relative and the self-repository forms.
    for form in ["./", "$/"] {
        let outer = CI.replace(
            "  test:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: read\n    steps:\n      - run: cargo test\n",
            &format!("  test:\n    uses: {form}.github/workflows/inner.yml\n"),
        );
        assert_ne!(outer, CI);
        let dir = repo(&[
            (".github/workflows/ci.yml", &outer),
            (".github/workflows/inner.yml", inner),
        ]);
        let err = check(dir.path(), ".github/workflows/ci.yml").unwrap_err();
        assert!(
            err.starts_with(
                ".github/workflows/inner.yml:6:7: the job `t` asks for `id-token: write`"
            ),
            "{form}: {err}"
        );
    }
}

#[test]
fn paths_are_checked_before_anything_is_read() {
    let dir = repo(&[(".github/workflows/ci.yml", CI)]);
    for bad in [
        "ci.yml",
        ".github/workflows/../ci.yml",
        ".github/workflows/sub/ci.yml",
        ".github/workflows/ci@main.yml",
        ".github/workflows/ci\".yml",
        ".github/workflows/cï.yml",
        ".github/workflows/ci.txt",
        "/etc/ci.yml",
    ] {
        assert!(check(dir.path(), bad).is_err(), "{bad}");
    }
    let err = check(dir.path(), ".github/workflows/tests.yml").unwrap_err();
    assert!(err.contains("not found"), "{err}");
    let err = refusal("on: [workflow_call\n");
    assert!(err.starts_with(".github/workflows/ci.yml:"), "{err}");
    let err = refusal("- a list\n");
    assert!(err.contains("not a workflow"), "{err}");
}

#[test]
fn detection_takes_the_one_callable_ci_workflow() {
    let helper = "on: workflow_call\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: true\n";
    let no_call = CI.replace("  workflow_call:\n", "");
    let dir = repo(&[
        (".github/workflows/ci.yml", CI),
        (".github/workflows/helper.yml", helper),
        (".github/workflows/lint.yml", &no_call),
    ]);
    assert_eq!(detect(dir.path()), Some(".github/workflows/ci.yml".into()));
    // Two candidates: pyrel does not choose.
    let dir = repo(&[
        (".github/workflows/ci.yml", CI),
        (".github/workflows/tests.yaml", CI),
    ]);
    assert_eq!(detect(dir.path()), None);
    // One that the call would refuse is no candidate.
    let dir = repo(&[(
        ".github/workflows/ci.yml",
        &CI.replace("      contents: read\n", "      contents: write\n"),
    )]);
    assert_eq!(detect(dir.path()), None);
    assert_eq!(detect(repo(&[]).path()), None);
}
