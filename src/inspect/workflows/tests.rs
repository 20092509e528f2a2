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

// ---- mutations of adopted workflows: nothing lost without a problem ----

mod mutations {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// Workflows the reader adopts whole (no local files needed).
    const ADOPTED: &[&str] = &[
        include_str!("../../../tests/fixtures/workflows/ci-style.yml"),
        include_str!("../../../tests/fixtures/workflows/cibuildwheel.yml"),
        include_str!("../../../tests/fixtures/workflows/one-job-per-target.yml"),
        include_str!("../../../tests/fixtures/workflows/per-os-include.yml"),
        include_str!("../../../tests/fixtures/workflows/python-v-prefix.yml"),
        include_str!("../../../tests/fixtures/workflows/corpus/objects-matrix.yml"),
        include_str!("../../../tests/fixtures/workflows/corpus/or-fallbacks.yml"),
        include_str!("../../../tests/fixtures/workflows/corpus/include-manylinux.yml"),
        include_str!("../../../tests/fixtures/workflows/corpus/windows-run-maturin.yml"),
        include_str!("../../../tests/fixtures/workflows/corpus/per-target-settings.yml"),
        include_str!("../../../tests/fixtures/workflows/corpus/nightly.yml"),
    ];

    fn wheels(wf: &ExistingWorkflow) -> BTreeSet<(String, Interpreter)> {
        wf.builds
            .iter()
            .flat_map(|b| b.wheels.iter().map(|w| (w.platform.clone(), w.family)))
            .collect()
    }

    fn builds(step: &Value) -> bool {
        let uses = get(step, "uses").and_then(scalar).unwrap_or_default();
        let run = get(step, "run").and_then(scalar).unwrap_or_default();
        let command = get(step, "with")
            .and_then(|w| get(w, "command"))
            .and_then(scalar)
            .unwrap_or_else(|| "build".into());
        (uses.contains("maturin-action") && matches!(command.as_str(), "build" | "publish"))
            || uses.contains("cibuildwheel")
            || run.contains("maturin build")
    }

    /// Jobs with a build step, as their ids.
    fn build_jobs(doc: &Value) -> Vec<Value> {
        get(doc, "jobs")
            .and_then(Value::as_mapping)
            .map(|jobs| {
                jobs.iter()
                    .filter(|(_, j)| {
                        get(j, "steps")
                            .and_then(Value::as_sequence)
                            .is_some_and(|s| s.iter().any(builds))
                    })
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn job_mut<'a>(doc: &'a mut Value, id: &Value) -> &'a mut Mapping {
        doc.as_mapping_mut()
            .unwrap()
            .get_mut("jobs")
            .unwrap()
            .as_mapping_mut()
            .unwrap()
            .get_mut(id)
            .unwrap()
            .as_mapping_mut()
            .unwrap()
    }

    fn rename(m: &mut Mapping, pick: usize) -> bool {
        let keys: Vec<Value> = m.keys().cloned().collect();
        if keys.is_empty() {
            return false;
        }
        let k = keys[pick % keys.len()].clone();
        let v = m.remove(&k).unwrap();
        let new = format!("{}_", k.as_str().unwrap_or("k"));
        m.insert(Value::String(new), v);
        true
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        /// An unknown action or script before (or after) the build step.
        UnknownStep { at: usize, kind: usize },
        /// A key renamed in the job, its strategy/matrix, a build step or
        /// the build step's `with:`.
        Rename { level: usize, pick: usize },
        /// A new matrix row with another target.
        NewRow { arch: usize },
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (0..8usize, 0..3usize).prop_map(|(at, kind)| Mutation::UnknownStep { at, kind }),
            (0..4usize, 0..16usize).prop_map(|(level, pick)| Mutation::Rename { level, pick }),
            (0..4usize).prop_map(|arch| Mutation::NewRow { arch }),
        ]
    }

    /// Apply a mutation to one build job; `Some(inserted before the
    /// build)` for unknown steps, `None` when it did not apply.
    fn apply(doc: &mut Value, job: &Value, m: &Mutation) -> Option<bool> {
        let j = job_mut(doc, job);
        match m {
            Mutation::UnknownStep { at, kind } => {
                let steps = j.get_mut("steps")?.as_sequence_mut()?;
                let first_build = steps.iter().position(builds)?;
                let at = at % (steps.len() + 1);
                let step: Value = serde_yaml::from_str(match kind {
                    0 => "{uses: acme/prepare-release@v3}",
                    1 => "{run: ./scripts/prepare-build.sh}",
                    _ => "{run: sed -i 's/^version.*/version = \"9\"/' Cargo.toml}",
                })
                .unwrap();
                steps.insert(at, step);
                Some(at <= first_build)
            }
            Mutation::Rename { level, pick } => {
                let done = match level {
                    0 => rename(j, *pick),
                    1 => {
                        let matrix = j
                            .get_mut("strategy")?
                            .as_mapping_mut()?
                            .get_mut("matrix")?
                            .as_mapping_mut()?;
                        rename(matrix, *pick)
                    }
                    2 | 3 => {
                        let steps = j.get_mut("steps")?.as_sequence_mut()?;
                        let i = steps.iter().position(builds)?;
                        let step = steps[i].as_mapping_mut()?;
                        if *level == 2 {
                            rename(step, *pick)
                        } else {
                            rename(step.get_mut("with")?.as_mapping_mut()?, *pick)
                        }
                    }
                    _ => false,
                };
                done.then_some(false)
            }
            Mutation::NewRow { arch } => {
                let matrix = j
                    .get_mut("strategy")?
                    .as_mapping_mut()?
                    .get_mut("matrix")?
                    .as_mapping_mut()?;
                // A target no row builds yet.
                let text = serde_yaml::to_string(&*matrix).unwrap_or_default();
                let archs = ["s390x", "ppc64le", "armv7", "i686"];
                let target = (0..archs.len())
                    .map(|i| archs[(arch + i) % archs.len()])
                    .find(|a| !text.contains(a))?;
                if let Some(include) = matrix.get_mut("include").and_then(Value::as_sequence_mut) {
                    let mut row = include.first()?.clone();
                    row.as_mapping_mut()?
                        .insert("target".into(), Value::String(target.into()));
                    include.push(row);
                } else if let Some(targets) =
                    matrix.get_mut("target").and_then(Value::as_sequence_mut)
                {
                    targets.push(Value::String(target.into()));
                } else {
                    return None;
                }
                Some(false)
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn nothing_is_lost_without_a_problem(which in 0..ADOPTED.len(), job_pick in 0..8usize, m in mutation()) {
            let text = ADOPTED[which];
            let before = read(text);
            let mut doc: Value = serde_yaml::from_str(text).unwrap();
            doc.apply_merge().unwrap();
            let jobs = build_jobs(&doc);
            prop_assume!(!jobs.is_empty());
            let job = jobs[job_pick % jobs.len()].clone();
            let Some(before_build) = apply(&mut doc, &job, &m) else {
                return Ok(());
            };
            let mutated = serde_yaml::to_string(&doc).unwrap();
            let after = read(&mutated);
            let new_problems = after.problems.len() > before.problems.len();
            let lost: Vec<_> = wheels(&before).difference(&wheels(&after)).cloned().collect();
            prop_assert!(
                lost.is_empty() || new_problems,
                "{m:?} on job {job:?} lost {lost:?} without a problem:\n{mutated}\n{:?}",
                after.problems
            );
            if let Mutation::UnknownStep { .. } = m {
                prop_assert!(
                    !before_build || new_problems,
                    "{m:?} before the build of {job:?} was not reported:\n{mutated}"
                );
            }
            if let Mutation::NewRow { .. } = m {
                prop_assert!(
                    wheels(&after).len() > wheels(&before).len() || new_problems,
                    "{m:?} on {job:?}: the new row is neither read nor reported:\n{mutated}"
                );
            }
        }
    }
}

#[test]
fn ci_noise_is_not_a_build_setting_but_changes_to_the_tree_are_unread() {
    let wf = read(
        r#"
on: {release: {types: [published]}}
env:
  CARGO_TERM_COLOR: always
  CARGO_INCREMENTAL: "0"
  CARGO_PROFILE_RELEASE_LTO: fat
jobs:
  linux:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: jlumbroso/free-disk-space@main
      - uses: arduino/setup-protoc@v3
      - run: python -m pip install -U pip
      - run: python scripts/set_version.py
      - uses: PyO3/maturin-action@v1
        with:
          args: --release --out dist
"#,
    );
    let s = &wf.builds[0].settings["linux-x86_64"];
    assert_eq!(
        s.env.keys().collect::<Vec<_>>(),
        ["CARGO_PROFILE_RELEASE_LTO"],
        "{s:?}"
    );
    assert_eq!(wf.problems.len(), 1, "{:?}", wf.problems);
    assert!(
        wf.problems[0].contains("python scripts/set_version.py"),
        "{:?}",
        wf.problems
    );
}

#[test]
fn installing_a_builder_builds_nothing() {
    let wf = read(
        r#"
on: {release: {types: [published]}}
jobs:
  wheels:
    runs-on: ubuntu-latest
    steps:
      - run: python -m pip install cibuildwheel==3.1.4 maturin
      - run: python -m cibuildwheel --output-dir wheelhouse
        env:
          CIBW_ARCHS_LINUX: x86_64
          CIBW_BUILD: cp312-* pp311-*
          CIBW_ENABLE: pypy
"#,
    );
    assert!(wf.problems.is_empty(), "{:?}", wf.problems);
    let b = &wf.builds[0];
    assert_eq!(b.platforms, ["linux-x86_64", "musllinux-x86_64"]);
    let pypy: Vec<_> = b
        .wheels
        .iter()
        .filter(|w| w.family == Interpreter::Pypy)
        .map(|w| {
            (
                w.platform.as_str(),
                w.versions.iter().cloned().collect::<Vec<_>>(),
            )
        })
        .collect();
    // cibuildwheel builds no PyPy on musllinux.
    assert_eq!(pypy, [("linux-x86_64", vec!["3.11".to_string()])]);
}

/// `lines_containing` gives exactly the lines `str::lines` gives that hold
/// the needle: several matches on a line, CRLF and lone `\r`, no final newline.
#[test]
fn lines_containing_is_lines_filtered() {
    use proptest::prelude::*;
    let piece = prop::sample::select(vec![
        "uses:",
        "uses",
        "s:",
        "\n",
        "\r\n",
        "\r",
        " ",
        "- ",
        "a",
        "uses:uses:",
    ]);
    proptest!(|(pieces in prop::collection::vec(piece, 0..30))| {
        let text = pieces.concat();
        let fast: Vec<&str> = super::lines_containing(&text, "uses:").collect();
        let slow: Vec<&str> = text.lines().filter(|l| l.contains("uses:")).collect();
        prop_assert_eq!(fast, slow, "{:?}", text);
    });
}
