//! `pyrel generate [--check]` at the root of a real git repository covers
//! every package with a `[tool.pyrel]` table (tracked in the git index, or named by a pyrel workflow),
//! reporting each; pointed at one package, it checks just that one.

mod common;

use common::{git, Repo};

/// The two-package fixture (a pure-Python root and a maturin crate in
/// `rust/`) as a real git repository, both packages initialised.
fn two_packages() -> Repo {
    let repo = Repo::bare_fixture("seed-flakestorm");
    std::fs::remove_dir_all(repo.path().join(".git")).unwrap();
    git(repo.path(), &["init", "-q"]);
    git(
        repo.path(),
        &[
            "remote",
            "add",
            "origin",
            "https://github.com/pyrel-fixtures/two.git",
        ],
    );
    repo.pyrel(&["init", ".", "--yes"]).expect(0);
    repo.pyrel(&["init", "rust", "--yes"]).expect(0);
    git(repo.path(), &["add", "-A"]);
    repo
}

#[test]
fn check_at_the_root_covers_every_package() {
    let repo = two_packages();
    let run = repo.pyrel(&["generate", "--check"]);
    run.expect(0);
    let err = run.stderr();
    assert!(err.contains("pyrel: package . (pyproject.toml)"), "{err}");
    assert!(
        err.contains("pyrel: package rust (rust/pyproject.toml)"),
        "{err}"
    );
    assert!(err.contains("2 packages, all done"), "{err}");

    // Drift in the sub-package only: named, exit 1, nothing written.
    let py = repo
        .read("rust/pyproject.toml")
        .replace("tag-prefix = \"", "tag-prefix = \"x-");
    repo.write("rust/pyproject.toml", &py);
    let before = repo.tree();
    let run = repo.pyrel(&["generate", "--check"]);
    run.expect(1);
    assert!(
        run.stderr().contains("needing attention: rust"),
        "{}",
        run.stderr()
    );
    assert!(
        !run.stderr().contains("needing attention: ."),
        "{}",
        run.stderr()
    );
    assert!(
        run.stdout().contains("TAG_PREFIX: \"x-"),
        "{}",
        run.stdout()
    );
    assert_eq!(before, repo.tree());
    // Pointed at the package, just that one is checked.
    let one = repo.pyrel(&["generate", "rust", "--check"]);
    one.expect(1);
    assert!(!one.stderr().contains("pyrel: package"), "{}", one.stderr());

    // `generate` at the root fixes every package.
    repo.pyrel(&["generate"]).expect(0);
    repo.pyrel(&["generate", "--check"]).expect(0);
}

/// Packages are found without a git process: the tracked pyproject.toml
/// files (read from the index) and those a pyrel workflow names (a package
/// initialised but not yet added). A stray copy is neither until added.
#[test]
fn tracked_and_generated_packages_count_strays_do_not() {
    let repo = two_packages();
    // A package copied in but not yet added, with a drifted workflow.
    let extra = repo.read("pyproject.toml");
    repo.write("new/pyproject.toml", &extra);
    repo.pyrel(&["generate", "--check"]).expect(0);
    // Once git tracks it, it is a package of this repository.
    git(repo.path(), &["add", "new/pyproject.toml"]);
    let run = repo.pyrel(&["generate", "--check"]);
    run.expect(1);
    assert!(
        run.stderr()
            .contains("pyrel: package new (new/pyproject.toml)"),
        "{}",
        run.stderr()
    );
    git(repo.path(), &["rm", "-q", "--cached", "new/pyproject.toml"]);
    repo.pyrel(&["generate", "--check"]).expect(0);

    // Initialised but untracked: its workflow names it.
    let fresh = Repo::bare_fixture("seed-flakestorm");
    std::fs::remove_dir_all(fresh.path().join(".git")).unwrap();
    git(fresh.path(), &["init", "-q"]);
    fresh
        .pyrel(&["init", ".", "--yes", "--repository", "o/r"])
        .expect(0);
    fresh
        .pyrel(&["init", "rust", "--yes", "--repository", "o/r"])
        .expect(0);
    let run = fresh.pyrel(&["generate", "--check"]);
    run.expect(0);
    assert!(
        run.stderr().contains("2 packages, all done"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_broken_package_is_bad_input_and_the_others_still_report() {
    let repo = two_packages();
    let py = repo
        .read("rust/pyproject.toml")
        .replace("trigger = \"release\"", "trigger = \"sometimes\"");
    repo.write("rust/pyproject.toml", &py);
    let run = repo.pyrel(&["generate", "--check"]);
    run.expect(2);
    assert!(
        run.stderr().contains("pyrel: package . (pyproject.toml)"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("rust (error)"), "{}", run.stderr());
}

#[test]
fn doctor_at_the_root_covers_every_package() {
    let repo = two_packages();
    // The Rust package's README is gone: an error, reported for that package.
    std::fs::remove_file(repo.path().join("rust/README.md")).unwrap();
    let run = repo.pyrel(&["doctor"]);
    let err = run.stderr();
    assert!(err.contains("pyrel: package . (pyproject.toml)"), "{err}");
    assert!(
        err.contains("pyrel: package rust (rust/pyproject.toml)"),
        "{err}"
    );
    assert!(
        run.stdout()
            .contains("error[readme-not-found] rust/pyproject.toml"),
        "{}",
        run.stdout()
    );
    run.expect(1);
    let json = repo.pyrel(&["doctor", "--json"]);
    json.expect(1);
    let all: serde_json::Value = serde_json::from_str(&json.stdout()).unwrap();
    let ids = |dir: &str| -> Vec<String> {
        all[dir]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(ids("rust").contains(&"readme-not-found".to_string()));
    assert!(!ids(".").contains(&"readme-not-found".to_string()));
    repo.write("rust/README.md", "# rust\n");
    let run = repo.pyrel(&["doctor"]);
    assert!(!run.stdout().contains("error["), "{}", run.stdout());
}

/// `pyrel plan` at the root lists every configured package: one JSON object
/// keyed by package directory, each the package's own plan.
#[test]
fn plan_at_the_root_lists_every_package() {
    let repo = two_packages();
    let run = repo.pyrel(&["plan", "--json"]);
    run.expect(0);
    let all: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let keys: Vec<&String> = all.as_object().unwrap().keys().collect();
    assert_eq!(keys, [".", "rust"]);
    assert_eq!(all["."]["builder"], "python-build");
    assert_eq!(all["rust"]["builder"], "maturin-action");
    assert_eq!(all["rust"]["package_dir"], "rust");
    let one = repo.pyrel(&["plan", "rust", "--json"]);
    one.expect(0);
    let rust: serde_json::Value = serde_json::from_str(&one.stdout()).unwrap();
    assert_eq!(all["rust"], rust);
    // The text form names each package, then its distributions.
    let text = repo.pyrel(&["plan"]);
    text.expect(0);
    assert!(
        text.stderr().contains("pyrel: package rust"),
        "{}",
        text.stderr()
    );
    assert!(text.stdout().contains("job sdist"), "{}", text.stdout());
}
