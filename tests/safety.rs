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
    repo.pyrel(&["init", "--yes"]).expect(1);
    assert_eq!(before, repo.tree());
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
    repo.pyrel(&["generate", "--diff"]).expect(0);
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
