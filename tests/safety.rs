//! Never lose a user's work: hand edits survive, bad input changes nothing,
//! and every failure says where and what to do.

mod common;

use common::Repo;

const WF: &str = ".github/workflows/release.yml";

#[test]
fn hand_edited_workflow_survives_generate_and_force_replaces_it() {
    let repo = Repo::fixture("abi3");
    // Without pull-request builds, `cancel-in-progress` is a plain `false`.
    repo.pyrel(&["init", "--yes", "--no-pull-requests"])
        .expect(0);
    let edited = repo
        .read(WF)
        .replace("cancel-in-progress: false", "cancel-in-progress: true");
    repo.write(WF, &edited);
    let before = repo.tree();

    let run = repo.pyrel(&["generate"]);
    run.expect(1);
    assert!(
        run.stdout().contains("-  cancel-in-progress: true"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout().contains("+  cancel-in-progress: false"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr().contains("refusing to overwrite"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("--force"), "{}", run.stderr());
    assert_eq!(before, repo.tree(), "generate touched the tree");

    // --check names the hand edit distinctly from drift.
    let check = repo.pyrel(&["generate", "--check"]);
    check.expect(1);
    assert!(
        check.stderr().contains("edited by hand"),
        "{}",
        check.stderr()
    );
    assert_eq!(before, repo.tree());

    // init refuses too.
    repo.pyrel(&["init", "--yes"]).expect(1);
    assert_eq!(before, repo.tree());

    repo.pyrel(&["generate", "--force"]).expect(0);
    assert!(repo.read(WF).contains("cancel-in-progress: false"));
    repo.pyrel(&["generate", "--check"]).expect(0);
}

#[test]
fn a_foreign_workflow_at_the_target_path_is_not_replaced() {
    let repo = Repo::fixture("abi3");
    repo.write(WF, "name: mine\non: push\njobs: {}\n");
    let before = repo.tree();
    // Asked for that path explicitly, with --force: refused, nothing written.
    repo.pyrel(&["init", "--yes", "--force", "--workflow", WF])
        .expect(1);
    assert_eq!(before, repo.tree());
    // By default pyrel takes a free name next to it and says so (issue 19).
    let out = repo.pyrel(&["init", "--yes"]);
    out.expect(0);
    assert!(
        out.stderr().contains("release-pypi.yml"),
        "{}",
        out.stderr()
    );
    assert_eq!(repo.read(WF), "name: mine\non: push\njobs: {}\n");
}

#[test]
fn deleted_file_is_recreated_by_generate_only() {
    let repo = Repo::fixture("mixed");
    repo.pyrel(&["init", "--yes"]).expect(0);
    std::fs::remove_file(repo.path().join("RELEASING.md")).unwrap();
    let before = repo.tree();
    let check = repo.pyrel(&["generate", "--check"]);
    check.expect(1);
    assert!(
        check.stderr().contains("RELEASING.md is missing"),
        "{}",
        check.stderr()
    );
    let diff = repo.pyrel(&["generate", "--diff"]);
    diff.expect(0);
    // The diff recreates the deleted file, and only that file.
    let out = diff.stdout();
    assert!(out.contains("+++ b/RELEASING.md"), "{out}");
    assert!(out.contains("+# Releasing "), "{out}");
    assert_eq!(out.matches("+++ ").count(), 1, "{out}");
    assert_eq!(before, repo.tree(), "--check/--diff wrote");
    repo.pyrel(&["generate"]).expect(0);
    repo.pyrel(&["generate", "--check"]).expect(0);
}

#[test]
fn dry_run_writes_nothing() {
    let repo = Repo::fixture("workspace");
    let before = repo.tree();
    let run = repo.pyrel(&["init", "crates/wsdemo-py", "--yes", "--dry-run"]);
    run.expect(0);
    assert!(run
        .stdout()
        .contains("+++ b/.github/workflows/release-wsdemo.yml"));
    assert_eq!(before, repo.tree());
}

#[test]
fn pyproject_merge_keeps_every_user_byte() {
    let repo = Repo::fixture("abi3");
    let original = repo.read("pyproject.toml");
    repo.pyrel(&["init", "--yes"]).expect(0);
    let merged = repo.read("pyproject.toml");
    assert!(
        merged.starts_with(&original),
        "user text changed:\n{merged}"
    );
    // Re-running init with a changed answer only touches that key.
    repo.pyrel(&["init", "--yes", "--trigger", "tag"]).expect(0);
    let again = repo.read("pyproject.toml");
    assert!(again.starts_with(&original));
    assert_eq!(
        merged.replace("trigger = \"release\"", "trigger = \"tag\""),
        again
    );
}

#[test]
fn line_endings_and_permissions_are_preserved() {
    let repo = Repo::fixture("abi3");
    let crlf = repo.read("pyproject.toml").replace('\n', "\r\n");
    repo.write("pyproject.toml", &crlf);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = repo.path().join("pyproject.toml");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    repo.pyrel(&["init", "--yes"]).expect(0);
    let text = repo.read("pyproject.toml");
    assert!(
        text.contains("[tool.pyrel]\r\n"),
        "LF written into a CRLF file"
    );
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "mixed line endings"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(repo.path().join("pyproject.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    repo.pyrel(&["generate", "--check"]).expect(0);
}

/// Each bad input: exit 2, a message naming the file/flag (and position),
/// and the tree byte-for-byte unchanged.
#[test]
fn bad_input_exits_2_and_changes_nothing() {
    type Setup = fn(&Repo);
    let cases: Vec<(&str, Setup, Vec<&str>, Vec<&str>)> = vec![
        (
            "abi3",
            |r| r.write("Cargo.toml", "[package]\nname = \"x\"\nversion = 1.0.0\n"),
            vec![],
            vec!["Cargo.toml:3:", "invalid TOML"],
        ),
        (
            "abi3",
            |r| r.write("pyproject.toml", "[project]\nname = \"x\n"),
            vec![],
            vec!["pyproject.toml:2:", "invalid TOML"],
        ),
        (
            "abi3",
            |r| std::fs::remove_file(r.path().join("pyproject.toml")).unwrap(),
            vec![],
            vec!["pyproject.toml: not found", "hint:"],
        ),
        (
            "abi3",
            |r| {
                let t = r
                    .read("pyproject.toml")
                    .replace("name = \"abi3-demo\"", "name = \"abi3 demo\"");
                r.write("pyproject.toml", &t)
            },
            vec![],
            vec!["pyproject.toml", "not a valid package name"],
        ),
        (
            "abi3",
            |_| {},
            vec!["--platforms", "linux-x86_64,amiga-m68k"],
            vec!["amiga-m68k", "linux-aarch64"],
        ),
        (
            "abi3",
            |_| {},
            vec!["--workflow", "../evil.yml"],
            vec!["--workflow"],
        ),
        (
            "abi3",
            |_| {},
            vec!["--docs", "/etc/RELEASING.md"],
            vec!["--docs"],
        ),
        (
            "abi3",
            |_| {},
            vec!["--docs", "docs/../../x.md"],
            vec!["--docs", "inside the repository"],
        ),
        (
            "abi3",
            |_| {},
            vec!["--smoke-test", "echo ${{ secrets.PYPI }}"],
            vec!["--smoke-test", "${{"],
        ),
        (
            "abi3",
            |_| {},
            vec!["--token-secret", "GITHUB_TOKEN", "--publish", "token"],
            vec!["--token-secret"],
        ),
        (
            "abi3",
            |r| {
                let t = format!(
                    "{}\n[tool.pyrel]\ntestpypi = \"yes\"\n",
                    r.read("pyproject.toml")
                );
                r.write("pyproject.toml", &t)
            },
            vec![],
            vec!["tool.pyrel.testpypi", "true or false", "pyproject.toml:"],
        ),
        (
            "abi3",
            |r| {
                let t = format!(
                    "{}\n[tool.pyrel]\nplatfroms = []\n",
                    r.read("pyproject.toml")
                );
                r.write("pyproject.toml", &t)
            },
            vec![],
            vec!["unknown key `platfroms`"],
        ),
        (
            "workspace",
            |r| std::fs::remove_file(r.path().join("Cargo.toml")).unwrap(),
            vec![],
            vec!["crates/wsdemo-py/Cargo.toml", "no workspace root"],
        ),
        (
            "abi3",
            |r| std::fs::remove_file(r.path().join("Cargo.toml")).unwrap(),
            vec![],
            vec!["Cargo.toml: not found", "hint:"],
        ),
        (
            "bindings-python",
            |r| std::fs::remove_dir_all(r.path().join("bindings")).unwrap(),
            vec![],
            vec!["manifest-path", "does not exist"],
        ),
    ];
    for (fixture, setup, flags, expected) in cases {
        let repo = Repo::fixture(fixture);
        setup(&repo);
        let before = repo.tree();
        let pkg = common::package_subdir(fixture);
        let mut args = vec!["init", pkg, "--yes"];
        args.extend(flags.iter().copied());
        let run = repo.pyrel(&args);
        assert_eq!(run.code(), 2, "{flags:?}: {}", run.stderr());
        for e in &expected {
            assert!(
                run.stderr().contains(e),
                "{flags:?}: missing {e:?} in:\n{}",
                run.stderr()
            );
        }
        assert_eq!(before, repo.tree(), "{flags:?}: the tree changed");
    }
}

#[test]
fn trusted_publishing_without_a_remote_names_the_flag() {
    let repo = Repo::bare_fixture("abi3");
    let before = repo.tree();
    let run = repo.pyrel(&["init"]);
    run.expect(2);
    assert!(
        run.stderr().contains("--repository OWNER/REPO"),
        "{}",
        run.stderr()
    );
    assert_eq!(before, repo.tree());
    repo.pyrel(&["init", "--repository", "someone/abi3"])
        .expect(0);
    assert!(repo.read("RELEASING.md").contains("| Owner | `someone` |"));
    repo.pyrel(&["generate", "--check"]).expect(0);
}

#[test]
fn generate_without_config_says_to_run_init() {
    let repo = Repo::fixture("abi3");
    let run = repo.pyrel(&["generate"]);
    run.expect(2);
    assert!(run.stderr().contains("pyrel init"), "{}", run.stderr());
}

#[test]
fn bad_usage_exits_2() {
    let repo = Repo::fixture("abi3");
    assert_eq!(
        repo.pyrel(&["init", "--publish", "carrier-pigeon"]).code(),
        2
    );
    assert_eq!(repo.pyrel(&["frobnicate"]).code(), 2);
    assert_eq!(repo.pyrel(&["--help"]).code(), 0);
}

/// A generated file pyrel cannot read (not UTF-8) is an error naming it,
/// never planned as a new file and overwritten.
#[test]
fn unreadable_generated_file_is_an_error_not_a_create() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes"]).expect(0);
    std::fs::write(repo.path().join("RELEASING.md"), b"\xff\xfe not utf-8").unwrap();
    let before = repo.tree();
    let run = repo.pyrel(&["generate"]);
    run.expect(2);
    assert!(run.stderr().contains("RELEASING.md"), "{}", run.stderr());
    assert_eq!(before, repo.tree(), "an unreadable file was overwritten");
}

/// A second `init` with the same answers plans every file as unchanged
/// (the merged pyproject.toml included) and writes nothing.
#[test]
fn unchanged_files_are_reported_unchanged() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes"]).expect(0);
    let before = repo.tree();
    let run = repo.pyrel(&["init", "--yes"]);
    run.expect(0);
    for file in [
        "pyproject.toml",
        ".github/workflows/release.yml",
        "RELEASING.md",
        ".github/dependabot.yml",
    ] {
        assert!(
            run.stderr().contains(&format!("unchanged    {file}")),
            "{file}:\n{}",
            run.stderr()
        );
    }
    assert!(!run.stderr().contains("updated"), "{}", run.stderr());
    assert_eq!(before, repo.tree());
}

/// Generated files checked out with CRLF (git's autocrlf on Windows) are
/// not drift, and `generate` leaves their bytes alone.
#[test]
fn crlf_checkout_of_generated_files_is_not_drift() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes"]).expect(0);
    for file in [".github/workflows/release.yml", "RELEASING.md"] {
        let crlf = repo.read(file).replace('\n', "\r\n");
        repo.write(file, &crlf);
    }
    let before = repo.tree();
    repo.pyrel(&["generate", "--check"]).expect(0);
    let run = repo.pyrel(&["generate"]);
    run.expect(0);
    assert!(
        run.stderr().contains("unchanged    RELEASING.md"),
        "{}",
        run.stderr()
    );
    assert_eq!(before, repo.tree());
}

// ---- issue 20: nothing lost, nothing written outside, never a panic ----

const LOCK: &str = "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n[[package]]\nname = \"mixed-core\"\nversion = \"1.4.0\"\n";

/// The mixed fixture: the version in pyproject.toml, Cargo.toml,
/// `__init__.py` and Cargo.lock.
fn mixed_with_lock() -> Repo {
    let repo = Repo::fixture("mixed");
    repo.write("Cargo.lock", LOCK);
    repo
}

/// Every version source of the package, as `inspect --json` reads them.
fn versions(repo: &Repo) -> Vec<String> {
    let run = repo.pyrel(&["inspect", "--json"]);
    run.expect(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    json["version_sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["value"].as_str().unwrap().to_string())
        .collect()
}

/// `chattr +i` for the life of the guard (so the temporary directory can
/// be removed afterwards).
struct Immutable(std::path::PathBuf);

impl Immutable {
    fn set(path: std::path::PathBuf) -> Immutable {
        let out = std::process::Command::new("chattr")
            .arg("+i")
            .arg(&path)
            .output()
            .expect("chattr (e2fsprogs) is needed for this test");
        assert!(
            out.status.success(),
            "chattr +i failed (needs root on ext4/tmpfs): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Immutable(path)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn an_unreplaceable_file_leaves_every_file_byte_identical() {
    let repo = mixed_with_lock();
    let before = repo.tree();
    let lock = repo.path().join("Cargo.lock");
    let _guard = Immutable::set(lock.clone());
    // The fault is real, as the OS reports it: even root cannot replace it.
    let other = repo.path().join("other");
    std::fs::write(&other, "x").unwrap();
    let err = std::fs::rename(&other, &lock).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(1), "EPERM expected: {err}");
    std::fs::remove_file(&other).unwrap();

    let run = repo.pyrel(&["bump", "patch"]);
    run.expect(2);
    assert!(
        run.stderr().contains("Cargo.lock") && run.stderr().contains("cannot be replaced"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        before,
        repo.tree(),
        "a file changed (or a temporary was left)"
    );
}

#[test]
fn a_directory_in_the_way_leaves_every_file_byte_identical() {
    let repo = Repo::fixture("abi3");
    std::fs::create_dir_all(repo.path().join("RELEASING.md/inside")).unwrap();
    let before = repo.tree();
    let run = repo.pyrel(&["init", "--yes"]);
    run.expect(2);
    assert!(
        run.stderr().contains("RELEASING.md") && run.stderr().contains("directory"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        before,
        repo.tree(),
        "pyproject.toml or the workflow was written"
    );
}

#[test]
fn concurrent_init_and_bump_lose_nothing() {
    for round in 0..30 {
        let repo = mixed_with_lock();
        let spawn = |args: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_pyrel"))
                .args(args)
                .current_dir(repo.path())
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let init = spawn(&["init", "--yes"]);
        let bump = spawn(&["bump", "patch"]);
        let init = init.wait_with_output().unwrap();
        let bump = bump.wait_with_output().unwrap();
        for (what, out) in [("init", &init), ("bump", &bump)] {
            assert!(
                out.status.success(),
                "round {round}: {what} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let py = repo.read("pyproject.toml");
        assert!(
            py.contains("[tool.pyrel]"),
            "round {round}: init's change lost:\n{py}"
        );
        assert_eq!(
            versions(&repo),
            ["1.4.1", "1.4.1", "1.4.1"],
            "round {round}: bump's change lost or sources disagree"
        );
        assert!(repo.read("Cargo.lock").contains("version = \"1.4.1\""));
    }
}

#[test]
fn concurrent_bumps_never_disagree() {
    for round in 0..30 {
        let repo = mixed_with_lock();
        let children: Vec<_> = (0..2)
            .map(|_| {
                std::process::Command::new(env!("CARGO_BIN_EXE_pyrel"))
                    .args(["bump", "patch"])
                    .current_dir(repo.path())
                    .stdin(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for c in children {
            let out = c.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // Both bumps applied, one after the other: no change lost.
        assert_eq!(
            versions(&repo),
            ["1.4.2", "1.4.2", "1.4.2"],
            "round {round}"
        );
        assert!(repo.read("Cargo.lock").contains("version = \"1.4.2\""));
    }
}

#[cfg(unix)]
fn outside_dir_with_dependabot() -> (
    tempfile::TempDir,
    std::collections::BTreeMap<String, Vec<u8>>,
) {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("workflows")).unwrap();
    std::fs::write(
        outside.path().join("dependabot.yml"),
        "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule:\n      interval: weekly\n",
    )
    .unwrap();
    let snapshot = Repo {
        dir: tempfile::tempdir().unwrap(),
    };
    common::copy_dir(outside.path(), snapshot.path());
    let tree = snapshot.tree();
    (outside, tree)
}

#[cfg(unix)]
#[test]
fn symlinked_github_dirs_leading_outside_are_refused() {
    for link in [".github", ".github/workflows"] {
        let repo = Repo::fixture("abi3");
        let (outside, outside_before) = outside_dir_with_dependabot();
        let target = if link == ".github" {
            outside.path().to_path_buf()
        } else {
            std::fs::create_dir_all(repo.path().join(".github")).unwrap();
            outside.path().join("workflows")
        };
        std::os::unix::fs::symlink(&target, repo.path().join(link)).unwrap();
        let before = repo.tree();
        for args in [&["init", "--yes"][..], &["init", "--yes", "--force"][..]] {
            let run = repo.pyrel(args);
            run.expect(2);
            assert!(
                run.stderr().contains("symbolic link") && run.stderr().contains("outside"),
                "{link}: {}",
                run.stderr()
            );
        }
        let snapshot = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        common::copy_dir(outside.path(), snapshot.path());
        assert_eq!(outside_before, snapshot.tree(), "{link}: written outside");
        assert_eq!(before, repo.tree(), "{link}: the repository changed");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_directory_inside_the_repository_is_followed() {
    let repo = Repo::fixture("abi3");
    std::fs::create_dir_all(repo.path().join("ci/github")).unwrap();
    std::os::unix::fs::symlink("ci/github", repo.path().join(".github")).unwrap();
    repo.pyrel(&["init", "--yes"]).expect(0);
    assert!(repo
        .path()
        .join("ci/github/workflows/release.yml")
        .is_file());
    assert!(std::fs::symlink_metadata(repo.path().join(".github"))
        .unwrap()
        .file_type()
        .is_symlink());
    repo.pyrel(&["generate", "--check"]).expect(0);
}

#[test]
fn git_dir_and_inputs_are_never_docs_targets() {
    for docs in [
        ".git/config",
        ".git/hooks/post-checkout",
        ".GIT/config",
        "pyproject.toml",
        "Cargo.toml",
        "python/mixed_pkg/__init__.py",
    ] {
        // As a flag, with --force.
        let repo = Repo::fixture("mixed");
        let before = repo.tree();
        let run = repo.pyrel(&["init", "--yes", "--force", "--docs", docs]);
        run.expect(2);
        assert!(
            run.stderr().contains("invalid --docs"),
            "{docs}: {}",
            run.stderr()
        );
        assert_eq!(before, repo.tree(), "{docs}: the tree changed");

        // Saved in [tool.pyrel], with generate --force.
        repo.pyrel(&["init", "--yes"]).expect(0);
        let py = repo
            .read("pyproject.toml")
            .replace("docs = \"RELEASING.md\"", &format!("docs = {docs:?}"));
        assert!(py.contains(&format!("docs = {docs:?}")), "{py}");
        repo.write("pyproject.toml", &py);
        let before = repo.tree();
        for args in [&["generate", "--force"][..], &["generate", "--check"][..]] {
            let run = repo.pyrel(args);
            run.expect(2);
            // Named by where the value came from, not by a flag never passed.
            assert!(
                run.stderr().contains("invalid [tool.pyrel] docs")
                    && !run.stderr().contains("--docs"),
                "{docs}: {}",
                run.stderr()
            );
        }
        assert_eq!(before, repo.tree(), "{docs}: generate --force wrote");
    }
}

#[test]
fn a_workflow_under_dot_git_is_refused() {
    let repo = Repo::fixture("abi3");
    let before = repo.tree();
    let run = repo.pyrel(&["init", "--yes", "--workflow", ".git/hooks/pre-commit"]);
    run.expect(2);
    assert_eq!(before, repo.tree());
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_ends_quietly_by_sigpipe() {
    use std::os::fd::FromRawFd;
    use std::os::unix::process::ExitStatusExt;
    for args in [&["schema"][..], &["inspect", "--json"][..], &["man"][..]] {
        let repo = Repo::fixture("abi3");
        // The reader is gone before pyrel starts: a pipe whose read end is
        // closed before the spawn, so pyrel cannot win a race to the buffer.
        let mut fds = [0; 2];
        // SAFETY: pipe fills both descriptors; each is owned exactly once below.
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: fds[0] is the read end we own and never use again.
        unsafe { libc::close(fds[0]) };
        // SAFETY: fds[1] is the write end we own; Stdio takes it over.
        let write_end = unsafe { std::os::fd::OwnedFd::from_raw_fd(fds[1]) };
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_pyrel"))
            .args(args)
            .current_dir(repo.path())
            .stdout(std::process::Stdio::from(write_end))
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{args:?}: not quiet: {stderr}");
        assert_eq!(out.status.signal(), Some(13), "{args:?}: {:?}", out.status);
    }
    // What a shell user sees: `pyrel schema | head -c 10` prints 10 bytes
    // and pyrel's status is 0 or 141, never a panic.
    let out = std::process::Command::new("bash")
        .args([
            "-c",
            &format!(
                "'{}' schema | head -c 10; echo \" ${{PIPESTATUS[0]}}\"",
                env!("CARGO_BIN_EXE_pyrel")
            ),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.ends_with(" 0\n") || stdout.ends_with(" 141\n"),
        "{stdout}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_an_exit_2_error() {
    for args in [
        &["schema"][..],
        &["inspect"][..],
        &["completions", "bash"][..],
    ] {
        let repo = Repo::fixture("abi3");
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pyrel"))
            .args(args)
            .current_dir(repo.path())
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("No space left"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

/// `eprintln!` panics when stderr cannot be written (exit 101, "failed
/// printing to stderr"): pyrel's messages go through `out`, which drops a
/// message it cannot write, so the exit code is the one the command earns
/// with a working stderr.
#[cfg(target_os = "linux")]
#[test]
fn a_full_stderr_is_not_a_panic() {
    let repo = Repo::fixture("abi3");
    let cases: [(&[&str], i32); 5] = [
        // Not configured yet: an error message only (exit 2).
        (&["generate", "--check"], 2),
        // The plan of writes and the summary, all on stderr.
        (&["init", "--yes", "--dry-run"], 0),
        (&["init", "--yes"], 0),
        (&["bump", "patch", "--dry-run"], 0),
        // Drift (the hand edit below): the report is on stderr.
        (&["generate", "--check"], 1),
    ];
    for (args, code) in cases {
        if code == 1 {
            let edited = repo
                .read(WF)
                .replace("cancel-in-progress:", "cancel-in-progress:  ");
            repo.write(WF, &edited);
        }
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pyrel"))
            .args(args)
            .current_dir(repo.path())
            .stdin(std::process::Stdio::null())
            .stderr(full)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("panicked"), "{args:?}: {stdout}");
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stdout}");
        // The same command with a working stderr exits the same way and
        // did print something: the test exercised a real write.
        let seen = repo.pyrel(args);
        assert_eq!(seen.code(), code, "{args:?}: {}", seen.stderr());
        assert!(
            !seen.stderr().is_empty(),
            "{args:?} printed nothing to stderr"
        );
    }
}

#[test]
fn a_latin1_version_module_is_bumped_in_its_own_encoding() {
    let repo = Repo::fixture("mixed");
    let module = "python/mixed_pkg/__init__.py";
    let mut bytes = b"# -*- coding: latin-1 -*-\n\"\"\"Caf\xe9 au lait.\"\"\"\n\n".to_vec();
    bytes.extend_from_slice(b"__version__ = \"1.4.0\"\n__author__ = \"Ren\xe9\"\n");
    std::fs::write(repo.path().join(module), &bytes).unwrap();
    assert_eq!(
        versions(&repo),
        ["1.4.0", "1.4.0", "1.4.0"],
        "the module was skipped"
    );
    repo.pyrel(&["bump", "patch"]).expect(0);
    let after = std::fs::read(repo.path().join(module)).unwrap();
    let mut expected = bytes.clone();
    let at = expected.windows(5).position(|w| w == b"1.4.0").unwrap();
    expected.splice(at..at + 5, b"1.4.1".iter().copied());
    assert_eq!(after, expected, "{}", String::from_utf8_lossy(&after));
    assert_eq!(versions(&repo), ["1.4.1", "1.4.1", "1.4.1"]);
}

#[test]
fn an_undecodable_version_module_is_an_error_not_skipped() {
    for (bytes, expected) in [
        (&b"__version__ = \"1.4.0\"\n# \xff\n"[..], "not valid utf-8"),
        (
            &b"# coding: shift_jis\n__version__ = \"1.4.0\"\n"[..],
            "shift_jis",
        ),
    ] {
        let repo = Repo::fixture("mixed");
        std::fs::write(repo.path().join("python/mixed_pkg/__init__.py"), bytes).unwrap();
        let before = repo.tree();
        for args in [&["bump", "patch"][..], &["inspect"][..]] {
            let run = repo.pyrel(args);
            run.expect(2);
            assert!(
                run.stderr().contains("python/mixed_pkg/__init__.py")
                    && run.stderr().contains(expected),
                "{}",
                run.stderr()
            );
        }
        assert_eq!(before, repo.tree());
    }
}

#[test]
fn a_deeply_nested_workflow_is_unreadable_at_its_line_quickly() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes"]).expect(0);
    // 200 KB, nested 100,000 deep; it mentions maturin, so doctor reads it.
    let deep = format!(
        "name: build with maturin\non: push\njobs:\n  x: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    repo.write(".github/workflows/deep.yml", &deep);
    // What a pre-commit hook runs: doctor, no longer 108 s. (The read
    // itself is timed under 100 ms by the unit test in inspect::limits; this
    // unoptimised binary takes about that long for doctor with no workflow
    // at all on a busy machine, so the bound here is generous.)
    let start = std::time::Instant::now();
    let run = repo.pyrel(&["doctor"]);
    let took = start.elapsed();
    run.expect(0);
    assert!(
        took < std::time::Duration::from_secs(2),
        "doctor took {took:?}"
    );
    // Reported as unreadable at file:line.
    let run = repo.pyrel(&["inspect", "--json"]);
    run.expect(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    let problems = json["existing_workflows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["file"] == ".github/workflows/deep.yml")
        .map(|w| w["problems"].clone())
        .expect("deep.yml is listed");
    assert!(
        problems[0]
            .as_str()
            .unwrap()
            .starts_with(".github/workflows/deep.yml:4: unreadable YAML: nested more than"),
        "{problems}"
    );
    // dependabot.yml gets the same bound.
    repo.write(
        ".github/dependabot.yml",
        &format!(
            "version: 2\nupdates: {}{}\n",
            "{a: ".repeat(100_000),
            "}".repeat(100_000)
        ),
    );
    let run = repo.pyrel(&["generate"]);
    run.expect(2);
    assert!(
        run.stderr()
            .contains(".github/dependabot.yml:2: unreadable YAML"),
        "{}",
        run.stderr()
    );
}

#[test]
fn requires_python_banana_is_a_doctor_error_with_the_fix() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes"]).expect(0);
    let py = repo.read("pyproject.toml");
    let line = py
        .lines()
        .position(|l| l.starts_with("requires-python"))
        .expect("the fixture has requires-python")
        + 1;
    let banana = py
        .lines()
        .map(|l| {
            if l.starts_with("requires-python") {
                "requires-python = \"banana\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    repo.write("pyproject.toml", &banana);
    let run = repo.pyrel(&["doctor"]);
    run.expect(1);
    let out = run.stdout();
    assert!(
        out.contains(&format!(
            "error[requires-python-invalid] pyproject.toml:{line}:"
        )) && out.contains("\"banana\"")
            && out.contains("requires-python = \">=3."),
        "{out}"
    );
    assert!(
        !run.stderr().contains("ready to release"),
        "{}",
        run.stderr()
    );
}
