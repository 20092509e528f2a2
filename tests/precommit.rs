//! The `pyrel-check` and `pyrel-doctor` hooks of `.pre-commit-hooks.yaml`, run by the real
//! `pre-commit try-repo` (pinned in scripts/tools-requirements.txt) on a
//! real git repository: green when the generated files match, red after a
//! drift. pre-commit builds pyrel from this checkout (language: python, the
//! maturin wheel) in a fresh temporary clone on every `try-repo`, so the
//! test keeps that build cheap: an unoptimised "release" profile in the
//! Cargo target dir of every test build of pyrel (`common::pyrel_build`),
//! where the dependencies compile once and later runs recompile only pyrel
//! itself (about 20 s each here).

mod common;

use std::path::Path;
use std::process::Command;

use common::{git, manifest_dir, tool, Repo};

fn try_repo(dir: &Path, home: &Path) -> (bool, String) {
    try_hook("pyrel-check", dir, home)
}

fn try_hook(hook: &str, dir: &Path, home: &Path) -> (bool, String) {
    let mut cmd = Command::new(tool("pre-commit"));
    cmd.arg("try-repo")
        .arg(manifest_dir())
        .args([hook, "--all-files", "--color", "never"])
        .current_dir(dir)
        .env("PRE_COMMIT_HOME", home)
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
    let _turn = common::pyrel_build(&mut cmd);
    let out = cmd.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
#[ignore = "needs pre-commit and builds pyrel: run scripts/test.sh"]
fn pre_commit_hook_is_green_then_red_after_a_drift() {
    let repo = Repo::bare_fixture("abi3");
    let dir = repo.path();
    std::fs::remove_dir_all(dir.join(".git")).unwrap();
    git(dir, &["init", "-q"]);
    git(
        dir,
        &[
            "remote",
            "add",
            "origin",
            "https://github.com/pyrel-fixtures/abi3.git",
        ],
    );
    repo.pyrel(&["init", "--yes"]).expect(0);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "release setup"]);
    let home = tempfile::tempdir().unwrap();

    let (ok, out) = try_repo(dir, home.path());
    assert!(ok, "pyrel-check failed on a clean repository:\n{out}");
    // The doctor hook: warnings only here (no LICENSE, no Cargo.lock), so green.
    let (ok, doctor) = try_hook("pyrel-doctor", dir, home.path());
    assert!(
        ok && doctor.contains("pyrel doctor") && doctor.contains("Passed"),
        "{doctor}"
    );
    assert!(
        out.contains("pyrel generate --check") && out.contains("Passed"),
        "{out}"
    );

    let py = repo
        .read("pyproject.toml")
        .replace("tag-prefix = \"v\"", "tag-prefix = \"rel-\"");
    repo.write("pyproject.toml", &py);
    git(dir, &["commit", "-q", "-am", "drift"]);
    let (ok, out) = try_repo(dir, home.path());
    assert!(!ok, "pyrel-check passed after a drift:\n{out}");
    assert!(
        out.contains("Failed") && out.contains("out of date"),
        "{out}"
    );
    assert!(out.contains("+          TAG_PREFIX: \"rel-\""), "{out}");
    // And doctor calls the drift an error.
    let (ok, doctor) = try_hook("pyrel-doctor", dir, home.path());
    assert!(!ok && doctor.contains("error[generated-stale]"), "{doctor}");
}
