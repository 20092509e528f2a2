//! The reader on small workflows: each style pyrel adopts, and inputs it
//! must survive (reporting what it could not read, with file:line).

use super::*;

fn read(text: &str) -> ExistingWorkflow {
    analyze(".github/workflows/x.yml", text)
}

#[test]
fn invalid_yaml_is_reported_with_its_line() {
    let wf = read("name: x\non: [push]\njobs:\n  a:\n    steps: [\n      - run: x\n");
    assert!(wf.builds.is_empty());
    assert_eq!(wf.problems.len(), 1, "{:?}", wf.problems);
    assert!(
        wf.problems[0].starts_with(".github/workflows/x.yml:"),
        "{:?}",
        wf.problems
    );
    assert!(wf.problems[0].contains("not valid YAML"));
}

#[test]
fn non_workflow_documents_never_panic() {
    for text in [
        "",
        "- a\n- b\n",
        "just a string",
        "jobs: [1, 2]",
        "jobs:\n  a: 3\n  b: [x]\n",
        "jobs:\n  a:\n    steps: {x: 1}\n    runs-on: [1, {a: b}]\n",
        "on: {push: {tags: 3}}\njobs:\n  a:\n    strategy: {matrix: [1]}\n    steps:\n      - uses: 3\n      - run: [x]\n      - with: {args: 1}\n        uses: PyO3/maturin-action@v1\n",
    ] {
        let _ = read(text);
    }
}

#[test]
fn anchors_and_merge_keys_are_followed() {
    let wf = read(
        r#"
on:
  release:
    types: [published]
x-build: &build
  uses: PyO3/maturin-action@v1
  with: &with
    args: --release --out dist --features fast
jobs:
  linux:
    runs-on: ubuntu-latest
    steps:
      - <<: *build
        with:
          <<: *with
          target: aarch64
          manylinux: 2_28
  mac:
    runs-on: macos-14
    steps:
      - *build
"#,
    );
    assert!(wf.problems.is_empty(), "{:?}", wf.problems);
    let b = &wf.builds[0];
    assert_eq!(b.platforms, ["linux-aarch64", "macos-aarch64"]);
    assert_eq!(b.maturin_args.as_deref(), Some("--features fast"));
    assert_eq!(b.manylinux.as_deref(), Some("2_28"));
    assert_eq!(wf.trigger, Some(WorkflowTrigger::Release));
}

#[test]
fn huge_matrices_and_unresolvable_expressions_are_reported() {
    let list: Vec<String> = (0..30).map(|i| format!("v{i}")).collect();
    let l = list.join(", ");
    let text = format!(
        "on: push\njobs:\n  big:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        a: [{l}]\n        b: [{l}]\n        c: [{l}]\n    steps:\n      - uses: PyO3/maturin-action@v1\n        with:\n          target: x86_64\n  odd:\n    runs-on: ${{{{ inputs.runner }}}}\n    steps:\n      - uses: PyO3/maturin-action@v1\n        with:\n          target: ${{{{ fromJSON(inputs.targets)[0] }}}}\n"
    );
    let wf = read(&text);
    let joined = wf.problems.join("\n");
    assert!(
        joined.contains("x.yml:3: job `big`: matrix has more than"),
        "{joined}"
    );
    assert!(
        joined.contains("x.yml:14: job `odd`: runs-on ${{ inputs.runner }} cannot be resolved"),
        "{joined}"
    );
    // The first job still counts: its target is literal.
    assert!(wf.builds[0].platforms.contains(&"linux-x86_64".to_string()));
}

#[test]
fn one_job_per_target_with_matrix_indirection_and_tag_prefix() {
    let wf = read(
        r#"
on:
  push:
    tags: ["python-v*"]
jobs:
  linux-x86_64:
    runs-on: ubuntu-24.04
    steps:
      - uses: PyO3/maturin-action@v1
        with:
          target: x86_64-unknown-linux-gnu
          args: --release -m crates/py/Cargo.toml -i 3.10 3.11 pypy3.11
  linux-riscv:
    runs-on: ubuntu-24.04
    steps:
      - uses: PyO3/maturin-action@v1
        with:
          target: riscv64gc-unknown-linux-gnu
          args: --release -m crates/py/Cargo.toml
  windows:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        include:
          - {os: windows-latest, arch: x86}
          - {os: windows-11-arm, arch: arm64}
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: "3.13t"
          architecture: ${{ matrix.arch }}
      - run: maturin build --release -m crates/py/Cargo.toml --find-interpreter
"#,
    );
    assert!(wf.problems.is_empty(), "{:?}", wf.problems);
    assert_eq!(wf.builds.len(), 1);
    let b = &wf.builds[0];
    assert_eq!(b.manifest.as_deref(), Some("crates/py/Cargo.toml"));
    assert_eq!(
        b.platforms,
        [
            "linux-x86_64",
            "linux-riscv64",
            "windows-x86",
            "windows-aarch64"
        ]
    );
    assert_eq!(
        b.interpreters,
        BTreeSet::from([
            Interpreter::Cpython,
            Interpreter::FreeThreaded,
            Interpreter::Pypy
        ])
    );
    assert_eq!(
        wf.trigger,
        Some(WorkflowTrigger::Tag {
            glob: "python-v*".into(),
            prefix: "python-v".into()
        })
    );
}

#[test]
fn publishing_facts() {
    let wf = read(
        r#"
on: {release: {types: [published]}}
permissions: {}
jobs:
  test-upload:
    runs-on: ubuntu-latest
    environment: staging
    steps:
      - run: twine upload --repository testpypi dist/*
        env:
          TWINE_USERNAME: __token__
          TWINE_PASSWORD: ${{ secrets.TEST_PYPI_TOKEN }}
  upload:
    runs-on: ubuntu-latest
    environment:
      name: production
      url: https://pypi.org/p/x
    permissions:
      id-token: write
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
      - uses: softprops/action-gh-release@v2
"#,
    );
    assert_eq!(wf.publish_jobs.len(), 2);
    let test = &wf.publish_jobs[0];
    assert!(test.testpypi);
    assert_eq!(test.secret.as_deref(), Some("TEST_PYPI_TOKEN"));
    assert_eq!(test.environment.as_deref(), Some("staging"));
    let pypi = &wf.publish_jobs[1];
    assert!(!pypi.testpypi && pypi.trusted && pypi.secret.is_none());
    assert_eq!(pypi.environment.as_deref(), Some("production"));
    assert_eq!(pypi.line, 13);
    assert!(wf.github_release);
    assert!(!wf.posture.broad_permissions);
    assert_eq!(wf.posture.unpinned_actions, 2);
}

#[test]
fn one_job_uploading_to_testpypi_then_pypi_records_both() {
    let wf = read(
        r#"
on: {push: {tags: ["v*"]}}
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: pypi
    permissions: {id-token: write}
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          repository-url: https://test.pypi.org/legacy/
      - uses: pypa/gh-action-pypi-publish@release/v1
"#,
    );
    assert_eq!(wf.publish_jobs.len(), 2, "{:?}", wf.publish_jobs);
    assert!(wf.publish_jobs[0].testpypi && !wf.publish_jobs[1].testpypi);
    assert!(wf.publish_jobs.iter().all(|j| j.trusted));
    assert!(wf
        .publish_jobs
        .iter()
        .all(|j| j.environment.as_deref() == Some("pypi")));
    assert!(wf.publishes());
}
