//! The README's quick start, run as written: every command of the first
//! ```sh block under "## Quick start", with the `pyrel` just built first on
//! PATH, from a directory holding a copy of `examples/` (as the root of a
//! checkout would). Each must exit 0 and, being a dry run or read-only,
//! change nothing.

mod common;

use std::process::Command;

/// The command lines of the first ```sh block after `## Quick start`.
fn quick_start() -> Vec<String> {
    let readme = std::fs::read_to_string(common::manifest_dir().join("README.md")).unwrap();
    let section = readme
        .split_once("\n## Quick start\n")
        .expect("README has a `## Quick start` section")
        .1;
    let block = section
        .split_once("```sh\n")
        .expect("the quick start has a ```sh block")
        .1;
    let block = &block[..block.find("```").expect("the block is closed")];
    block
        .lines()
        .map(|l| l.split(" #").next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_quick_start_runs_as_written() {
    let commands = quick_start();
    assert!(
        commands.len() >= 2 && commands.iter().all(|c| c.starts_with("pyrel ")),
        "the quick start runs the installed pyrel: {commands:?}"
    );
    assert!(
        commands.iter().any(|c| c.contains("--dry-run")),
        "{commands:?}"
    );
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_pyrel"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::manifest_dir().join("examples"),
        &dir.path().join("examples"),
    );
    let repo = common::Repo { dir };
    let before = repo.tree();
    for command in &commands {
        let out = Command::new("sh")
            .args(["-c", command])
            .current_dir(repo.path())
            .env("PATH", &path)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let run = common::Run(out);
        run.expect(0);
        assert!(
            !run.stderr().contains("error"),
            "{command}: {}",
            run.stderr()
        );
        assert_eq!(before, repo.tree(), "`{command}` changed files");
    }
}
