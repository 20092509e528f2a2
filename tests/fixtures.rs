//! Every fixture through the real binary: `init --yes` writes the config and
//! the files (snapshotted), `generate --check` agrees, a second `generate`
//! changes nothing, and a changed `[tool.pyrel]` value is caught as drift.

mod common;

use common::{package_subdir, Repo, FIXTURES};

fn workflow_path(fixture: &str) -> &'static str {
    match fixture {
        "workspace" => ".github/workflows/release-wsdemo.yml",
        _ => ".github/workflows/release.yml",
    }
}

fn docs_path(fixture: &str) -> String {
    match package_subdir(fixture) {
        "." => "RELEASING.md".into(),
        dir => format!("{dir}/RELEASING.md"),
    }
}

fn pyproject_path(fixture: &str) -> String {
    match package_subdir(fixture) {
        "." => "pyproject.toml".into(),
        dir => format!("{dir}/pyproject.toml"),
    }
}

#[test]
fn init_then_check_is_clean_and_snapshotted() {
    for &fixture in FIXTURES {
        let repo = Repo::fixture(fixture);
        let pkg = package_subdir(fixture);
        let inspect = repo.pyrel(&["inspect", pkg, "--json"]);
        inspect.expect(0);
        snapshot!(format!("{fixture}__inspect.json"), inspect.stdout());

        repo.pyrel(&["init", pkg, "--yes"]).expect(0);
        snapshot!(
            format!("{fixture}__pyproject.toml"),
            repo.read(&pyproject_path(fixture))
        );
        snapshot!(
            format!("{fixture}__release.yml"),
            repo.read(workflow_path(fixture))
        );
        snapshot!(
            format!("{fixture}__RELEASING.md"),
            repo.read(&docs_path(fixture))
        );

        repo.pyrel(&["generate", pkg, "--check"]).expect(0);
        let plan = repo.pyrel(&["plan", pkg, "--json"]);
        plan.expect(0);
        snapshot!(format!("{fixture}__plan.json"), plan.stdout());
        let doctor = repo.pyrel(&["doctor", pkg]);
        snapshot!(
            format!("{fixture}__doctor"),
            format!("exit {}\n{}", doctor.code(), doctor.stdout())
        );
        let before = repo.tree();
        let again = repo.pyrel(&["generate", pkg]);
        again.expect(0);
        assert_eq!(
            before,
            repo.tree(),
            "{fixture}: a second generate changed files"
        );
        assert!(
            !again.stderr().contains("updated"),
            "{fixture}: {}",
            again.stderr()
        );
    }
}

#[test]
fn changed_config_is_drift_with_a_diff() {
    for &fixture in FIXTURES {
        let repo = Repo::fixture(fixture);
        let pkg = package_subdir(fixture);
        repo.pyrel(&["init", pkg, "--yes"]).expect(0);
        let py = pyproject_path(fixture);
        let text = repo
            .read(&py)
            .replace("tag-prefix = \"", "tag-prefix = \"release-");
        repo.write(&py, &text);
        let before = repo.tree();
        let check = repo.pyrel(&["generate", pkg, "--check"]);
        check.expect(1);
        assert!(
            check.stdout().contains("-          TAG_PREFIX: "),
            "{fixture}: {}",
            check.stdout()
        );
        assert!(
            check.stdout().contains("+          TAG_PREFIX: \"release-"),
            "{fixture}: {}",
            check.stdout()
        );
        assert!(
            check.stderr().contains("out of date"),
            "{fixture}: {}",
            check.stderr()
        );
        assert_eq!(before, repo.tree(), "{fixture}: --check wrote files");

        // `generate` then brings everything back in line.
        repo.pyrel(&["generate", pkg]).expect(0);
        repo.pyrel(&["generate", pkg, "--check"]).expect(0);
    }
}

/// A `bin` package's wheel is `py3-none-<platform>`: its docs must not
/// promise one wheel per CPython version (issue 22).
#[test]
fn bin_docs_describe_its_py3_none_wheel() {
    let repo = Repo::fixture("bin");
    repo.pyrel(&["init", "--yes"]).expect(0);
    let docs = repo.read("RELEASING.md");
    assert!(!docs.contains("per supported CPython version"), "{docs}");
    assert!(docs.contains("`py3-none` wheel per platform"), "{docs}");
}

/// `--manylinux off` (maturin would tag `linux_*` wheels, which PyPI
/// rejects) and policies no builder has images for are refused with exit 2
/// and the reason, at `init` and at `generate` (a saved value); a cross
/// target without an image at the chosen policy is adapted and reported.
#[test]
fn policies_the_builders_cannot_build_are_refused_or_adapted() {
    for policy in ["off", "2_31"] {
        let repo = Repo::fixture("mixed");
        let out = repo.pyrel(&["init", ".", "--yes", "--manylinux", policy]);
        out.expect(2);
        assert!(out.stderr().contains("manylinux"), "{}", out.stderr());
        assert!(!repo.path().join(".github").exists());
    }
    let repo = Repo::fixture("mixed");
    repo.pyrel(&["init", ".", "--yes"]).expect(0);
    let pyproject = repo.read("pyproject.toml");
    assert!(pyproject.contains("manylinux = \"auto\""), "{pyproject}");
    repo.write(
        "pyproject.toml",
        &pyproject.replace("manylinux = \"auto\"", "manylinux = \"off\""),
    );
    let out = repo.pyrel(&["generate", "."]);
    out.expect(2);
    assert!(out.stderr().contains("PyPI rejects"), "{}", out.stderr());

    let repo = Repo::fixture("mixed");
    let out = repo.pyrel(&[
        "init",
        ".",
        "--yes",
        "--manylinux",
        "2_34",
        "--platforms",
        "linux-x86_64,linux-riscv64",
    ]);
    out.expect(0);
    assert!(
        out.stderr()
            .contains("note: linux-riscv64: maturin-action has no manylinux_2_34 image"),
        "{}",
        out.stderr()
    );
    assert!(repo
        .read("RELEASING.md")
        .contains("linux-riscv64: maturin-action has no"));
}
