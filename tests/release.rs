//! `pyrel release` in a real git repository with a bare "origin": every
//! refusal leaves the repository byte-identical (objects, refs, index, work
//! tree); a release makes exactly one commit and one annotated tag; `--push`
//! pushes both to origin. `git` is the real one; `gh` is deliberately absent
//! from PATH, so the release command is printed.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::copy_dir;

struct Sandbox {
    _dir: tempfile::TempDir,
    home: PathBuf,
    bin: PathBuf,
    work: PathBuf,
    origin: PathBuf,
}

fn git_path() -> PathBuf {
    let out = Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap();
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

impl Sandbox {
    /// `fixture` committed on `main`, pushed to a bare origin whose HEAD is main.
    fn new(fixture: &str, init_flags: &[&str]) -> Sandbox {
        Sandbox::new_at(fixture, ".", init_flags)
    }

    /// The same, with `pyrel init` run on the package in `pkg`.
    fn new_at(fixture: &str, pkg: &str, init_flags: &[&str]) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let bin = dir.path().join("bin");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&bin).unwrap();
        // PATH holds git only: no gh, no user tools.
        std::os::unix::fs::symlink(git_path(), bin.join("git")).unwrap();
        let work = dir.path().join("work");
        let origin = dir.path().join("origin.git");
        let sb = Sandbox {
            _dir: dir,
            home,
            bin,
            work,
            origin,
        };
        copy_dir(
            &common::manifest_dir().join("tests/fixtures").join(fixture),
            &sb.work,
        );
        sb.git_in(
            sb.origin.parent().unwrap(),
            &["init", "-q", "--bare", "-b", "main", "origin.git"],
        );
        sb.git(&["init", "-q", "-b", "main"]);
        let mut args = vec!["init", pkg, "--yes", "--repository", "acme/demo"];
        args.extend(init_flags);
        sb.pyrel(&args).ok();
        sb.git(&["add", "-A"]);
        sb.git(&["commit", "-q", "-m", "initial"]);
        sb.git(&["remote", "add", "origin", sb.origin.to_str().unwrap()]);
        sb.git(&["push", "-q", "-u", "origin", "main"]);
        sb.git(&["remote", "set-head", "origin", "main"]);
        sb
    }

    fn command(&self, program: &Path, dir: &Path) -> Command {
        let mut c = Command::new(program);
        c.current_dir(dir)
            .env_clear()
            .env("PATH", &self.bin)
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Rel Ease")
            .env("GIT_AUTHOR_EMAIL", "release@example.com")
            .env("GIT_COMMITTER_NAME", "Rel Ease")
            .env("GIT_COMMITTER_EMAIL", "release@example.com")
            .stdin(std::process::Stdio::null());
        c
    }

    fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.command(&git_path(), dir).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.work, args)
    }

    fn pyrel(&self, args: &[&str]) -> Run {
        Run(self
            .command(Path::new(env!("CARGO_BIN_EXE_pyrel")), &self.work)
            .args(args)
            .output()
            .unwrap())
    }

    /// Every byte of the work tree and of `.git` (objects, refs, index,
    /// config, logs), and of the origin.
    fn state(&self) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        walk(&self.work, &self.work, "work/", &mut out);
        walk(&self.origin, &self.origin, "origin/", &mut out);
        out
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.work.join(rel), text).unwrap();
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.work.join(rel)).unwrap()
    }
}

struct Run(Output);

impl Run {
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    #[track_caller]
    fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.0.status.code(),
            Some(code),
            "--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    #[track_caller]
    fn ok(&self) -> &Self {
        self.expect(0)
    }
}

fn walk(root: &Path, dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let rel = format!("{prefix}{}", path.strip_prefix(root).unwrap().display());
        if entry.file_type().unwrap().is_dir() {
            out.insert(format!("{rel}/"), Vec::new());
            walk(root, &path, prefix, out);
        } else {
            out.insert(rel, std::fs::read(&path).unwrap());
        }
    }
}

/// Run a release that must be refused with `code`, saying `says`, and
/// changing nothing at all.
#[track_caller]
fn refused(sb: &Sandbox, args: &[&str], code: i32, says: &str) {
    let before = sb.state();
    let run = sb.pyrel(args);
    run.expect(code);
    assert!(
        run.stderr().contains(says),
        "{args:?} should say {says:?}:\n{}",
        run.stderr()
    );
    let after = sb.state();
    let changed: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(changed.is_empty(), "{args:?} changed {changed:?}");
}

#[test]
fn refusals_leave_the_repository_byte_identical() {
    let sb = Sandbox::new("poetry", &[]);

    // Bad input: exit 2.
    refused(&sb, &["release", "banana"], 2, "invalid version");
    refused(&sb, &["release", "0.1.0"], 2, "not greater");

    // A dirty work tree.
    let readme = sb.read("README.md");
    sb.write("README.md", &format!("{readme}\nmore\n"));
    refused(
        &sb,
        &["release", "0.3.0"],
        1,
        "work tree is clean: uncommitted changes",
    );
    sb.git(&["checkout", "--", "README.md"]);

    // Another branch.
    sb.git(&["switch", "-q", "-c", "feature"]);
    refused(
        &sb,
        &["release", "0.3.0"],
        1,
        "on branch feature, but releases are cut from the default branch main",
    );
    sb.git(&["switch", "-q", "main"]);

    // An existing tag.
    sb.git(&["tag", "v0.3.0"]);
    refused(
        &sb,
        &["release", "0.3.0"],
        1,
        "the tag v0.3.0 already exists",
    );
    sb.git(&["tag", "-d", "v0.3.0"]);

    // Generated files edited by hand.
    let wf = sb.read(".github/workflows/release.yml");
    sb.write(
        ".github/workflows/release.yml",
        &wf.replace("Check the version", "Check it"),
    );
    sb.git(&["commit", "-q", "-am", "edit the workflow"]);
    refused(
        &sb,
        &["release", "0.3.0"],
        1,
        "generated files are up to date",
    );
    sb.write(".github/workflows/release.yml", &wf);
    sb.git(&["commit", "-q", "-am", "restore the workflow"]);
    sb.git(&["push", "-q", "origin", "main"]);

    // Behind the upstream (local refs, after someone else pushed).
    let other = sb.origin.parent().unwrap().join("other");
    sb.git_in(
        sb.origin.parent().unwrap(),
        &["clone", "-q", sb.origin.to_str().unwrap(), "other"],
    );
    std::fs::write(other.join("NEWS.md"), "news\n").unwrap();
    sb.git_in(&other, &["add", "NEWS.md"]);
    sb.git_in(&other, &["commit", "-q", "-m", "news"]);
    sb.git_in(&other, &["push", "-q", "origin", "main"]);
    // Without --fetch pyrel cannot know: it compares local refs (and would
    // go on to release); so fetch as the user would, then check.
    sb.git(&["fetch", "-q", "origin"]);
    refused(
        &sb,
        &["release", "0.3.0"],
        1,
        "1 commit(s) behind origin/main",
    );
    sb.git(&["merge", "-q", "--ff-only", "origin/main"]);

    // --dry-run on a good repository also changes nothing.
    let before = sb.state();
    let run = sb.pyrel(&["release", "0.3.0", "--dry-run"]);
    run.ok();
    assert!(
        run.stdout().contains("+__version_info__ = (0, 3, 0)"),
        "{}",
        run.stdout()
    );
    assert!(
        run.stderr().contains("git tag -a v0.3.0"),
        "{}",
        run.stderr()
    );
    assert_eq!(before, sb.state(), "--dry-run changed the repository");
}

#[test]
fn release_makes_one_commit_and_one_annotated_tag() {
    let sb = Sandbox::new("poetry", &[]);
    let head = sb.git(&["rev-parse", "HEAD"]);
    let origin_before = sb.git_in(&sb.origin, &["show-ref"]);
    let tags_before = sb.git(&["tag", "--list"]);
    assert_eq!(tags_before, "");

    let run = sb.pyrel(&["release", "0.3.0rc1"]);
    run.ok();
    // Exactly one commit on top of the old HEAD, with the version files only.
    assert_eq!(
        sb.git(&["rev-list", "--count", &format!("{head}..HEAD")]),
        "1"
    );
    assert_eq!(sb.git(&["rev-parse", "HEAD~1"]), head);
    assert_eq!(sb.git(&["log", "-1", "--format=%s"]), "Release v0.3.0rc1");
    assert_eq!(
        sb.git(&["show", "--name-only", "--format=", "HEAD"]),
        "arshai_like/_version.py\npyproject.toml"
    );
    // Exactly one annotated tag, on that commit.
    assert_eq!(sb.git(&["tag", "--list"]), "v0.3.0rc1");
    assert_eq!(sb.git(&["cat-file", "-t", "v0.3.0rc1"]), "tag");
    assert_eq!(
        sb.git(&["rev-parse", "v0.3.0rc1^{commit}"]),
        sb.git(&["rev-parse", "HEAD"])
    );
    assert_eq!(
        sb.git(&["tag", "-l", "--format=%(contents:subject)", "v0.3.0rc1"]),
        "Release v0.3.0rc1"
    );
    assert_eq!(sb.git(&["status", "--porcelain"]), "");
    assert!(sb
        .read("arshai_like/_version.py")
        .contains("(0, 3, 0, \"rc\", 1)"));
    // Nothing pushed; the exact commands are printed.
    assert_eq!(sb.git_in(&sb.origin, &["show-ref"]), origin_before);
    assert_eq!(
        run.stdout(),
        "git push --atomic origin main v0.3.0rc1\ngh release create v0.3.0rc1 --verify-tag --generate-notes\n"
    );
    // The release tag matches the files: generate --check and a second
    // release of the same version is refused (tag exists / not greater).
    sb.pyrel(&["generate", "--check"]).ok();
    refused(&sb, &["release"], 1, "the tag v0.3.0rc1 already exists");
    // The docs show the command first, the manual steps after.
    let docs = sb.read("RELEASING.md");
    let command = docs.find("pyrel release \"$VERSION\" --push").unwrap();
    assert!(command < docs.find("### By hand").unwrap());
}

#[test]
fn push_pushes_branch_and_tag_to_origin() {
    let sb = Sandbox::new("mixed", &["--trigger", "tag"]);
    sb.write("Cargo.lock", LOCK);
    sb.git(&["add", "Cargo.lock"]);
    sb.git(&["commit", "-q", "-m", "lock"]);
    sb.git(&["push", "-q", "origin", "main"]);
    let run = sb.pyrel(&["release", "minor", "--push"]);
    run.ok();
    let head = sb.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        sb.git_in(&sb.origin, &["rev-parse", "refs/heads/main"]),
        head
    );
    assert_eq!(
        sb.git_in(&sb.origin, &["cat-file", "-t", "refs/tags/v1.5.0"]),
        "tag"
    );
    assert_eq!(
        sb.git_in(&sb.origin, &["rev-parse", "v1.5.0^{commit}"]),
        head
    );
    assert_eq!(
        sb.git(&["show", "--name-only", "--format=", "HEAD"]),
        "Cargo.lock\nCargo.toml\npyproject.toml\npython/mixed_pkg/__init__.py"
    );
    assert_eq!(sb.read("Cargo.lock"), LOCK.replace("1.4.0", "1.5.0"));
    assert!(sb.read("Cargo.toml").contains("version = \"1.5.0\""));
    // Tag trigger: no GitHub release to create.
    assert!(!run.stdout().contains("gh release"), "{}", run.stdout());
    assert!(
        run.stderr()
            .contains("running `git push --atomic origin main v1.5.0`"),
        "{}",
        run.stderr()
    );
}

/// A Cargo.lock as cargo writes it, for the `mixed` fixture's crate (its
/// registry dependencies left out: only the crate's own entry matters here).
const LOCK: &str = "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n[[package]]\nname = \"mixed-core\"\nversion = \"1.4.0\"\n";

/// An ignored Cargo.lock is bumped on disk but not committed.
#[test]
fn ignored_cargo_lock_is_bumped_not_committed() {
    let sb = Sandbox::new("mixed", &[]);
    sb.write(".gitignore", "Cargo.lock\n");
    sb.write("Cargo.lock", LOCK);
    sb.git(&["add", ".gitignore"]);
    sb.git(&["commit", "-q", "-m", "ignore the lock"]);
    sb.git(&["push", "-q", "origin", "main"]);
    sb.pyrel(&["release", "1.4.1"]).ok();
    assert_eq!(
        sb.git(&["show", "--name-only", "--format=", "HEAD"]),
        "Cargo.toml\npyproject.toml\npython/mixed_pkg/__init__.py"
    );
    assert_eq!(sb.read("Cargo.lock"), LOCK.replace("1.4.0", "1.4.1"));
    assert_eq!(sb.git(&["cat-file", "-t", "v1.4.1"]), "tag");
}

#[test]
fn release_without_a_version_tags_what_the_files_hold() {
    let sb = Sandbox::new("poetry", &[]);
    let head = sb.git(&["rev-parse", "HEAD"]);
    let run = sb.pyrel(&["release", "--push"]);
    run.ok();
    // No commit: the files already hold 0.2.2.
    assert_eq!(sb.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(
        sb.git_in(&sb.origin, &["cat-file", "-t", "refs/tags/v0.2.2"]),
        "tag"
    );
    // gh is not installed here: its command is printed for the user.
    assert!(
        run.stderr().contains("gh) is not installed"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        run.stdout(),
        "gh release create v0.2.2 --verify-tag --generate-notes\n"
    );
}

#[test]
fn vcs_versioned_packages_are_tagged_only() {
    let sb = Sandbox::new("hatch", &[]);
    let py = sb.read("pyproject.toml");
    let py = py
        .replace(
            "requires = [\"hatchling\"]",
            "requires = [\"hatchling\", \"hatch-vcs\"]",
        )
        .replace("version = \"0.1.0\"\n", "dynamic = [\"version\"]\n")
        + "\n[tool.hatch.version]\nsource = \"vcs\"\n";
    sb.write("pyproject.toml", &py);
    sb.write("src/stormcheck/__init__.py", "\"\"\"stormcheck\"\"\"\n");
    sb.pyrel(&["generate"]).ok();
    sb.git(&["commit", "-q", "-am", "version from git tags"]);
    refused(&sb, &["release"], 2, "give the version to release");
    let head = sb.git(&["rev-parse", "HEAD"]);
    sb.pyrel(&["release", "1.0.0"]).ok();
    assert_eq!(
        sb.git(&["rev-parse", "HEAD"]),
        head,
        "no commit for a VCS version"
    );
    assert_eq!(sb.git(&["cat-file", "-t", "v1.0.0"]), "tag");
}

#[test]
fn fetch_then_refuse_when_behind() {
    let sb = Sandbox::new("poetry", &[]);
    let other = sb.origin.parent().unwrap().join("other");
    sb.git_in(
        sb.origin.parent().unwrap(),
        &["clone", "-q", sb.origin.to_str().unwrap(), "other"],
    );
    std::fs::write(other.join("NEWS.md"), "news\n").unwrap();
    sb.git_in(&other, &["add", "NEWS.md"]);
    sb.git_in(&other, &["commit", "-q", "-m", "news"]);
    sb.git_in(&other, &["push", "-q", "origin", "main"]);
    let head = sb.git(&["rev-parse", "HEAD"]);
    // Local refs alone don't know yet; --fetch asks origin first.
    let run = sb.pyrel(&["release", "0.3.0", "--fetch"]);
    run.expect(1);
    assert!(
        run.stderr().contains("1 commit(s) behind origin/main"),
        "{}",
        run.stderr()
    );
    assert_eq!(sb.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(sb.git(&["tag", "--list"]), "");
    assert!(sb.read("pyproject.toml").contains("version = \"0.2.2\""));
}

/// A commit hook that refuses: the version files are restored and unstaged,
/// no commit and no tag are made.
#[test]
fn failed_commit_restores_the_files() {
    let sb = Sandbox::new("poetry", &[]);
    let hook = sb.work.join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().unwrap()).unwrap();
    std::fs::write(&hook, "#!/bin/sh\necho 'hook says no' >&2\nexit 1\n").unwrap();
    let mut perms = std::fs::metadata(&hook).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&hook, perms).unwrap();
    let head = sb.git(&["rev-parse", "HEAD"]);
    let files = (
        sb.read("pyproject.toml"),
        sb.read("arshai_like/_version.py"),
    );
    let run = sb.pyrel(&["release", "0.3.0"]);
    run.expect(2);
    assert!(run.stderr().contains("were restored"), "{}", run.stderr());
    assert_eq!(sb.git(&["rev-parse", "HEAD"]), head);
    assert_eq!(sb.git(&["tag", "--list"]), "");
    assert_eq!(sb.git(&["status", "--porcelain"]), "");
    assert_eq!(
        (
            sb.read("pyproject.toml"),
            sb.read("arshai_like/_version.py")
        ),
        files
    );
}

fn executable(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    let mut perms = std::fs::metadata(path).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(path, perms).unwrap();
}

/// `--message` takes `{tag}` and `{version}`.
#[test]
fn message_names_the_commit() {
    let sb = Sandbox::new("poetry", &[]);
    sb.pyrel(&["release", "0.3.0", "--message", "chore: {version} as {tag}"])
        .ok();
    assert_eq!(
        sb.git(&["log", "-1", "--format=%s"]),
        "chore: 0.3.0 as v0.3.0"
    );
    assert_eq!(
        sb.git(&["tag", "-l", "--format=%(contents:subject)", "v0.3.0"]),
        "Release v0.3.0"
    );
}

/// doctor's errors stop the release, named, with nothing changed; so does a
/// detached HEAD, and `--push` without an origin.
#[test]
fn doctor_errors_detached_head_and_no_origin_refuse() {
    let sb = Sandbox::new("poetry", &[]);
    // The long description doctor requires: readme names a file that is gone.
    sb.git(&["rm", "-q", "README.md"]);
    sb.git(&["commit", "-q", "-m", "no readme"]);
    sb.git(&["push", "-q", "origin", "main"]);
    refused(&sb, &["release", "0.3.0"], 1, "doctor");
    sb.git(&["revert", "--no-edit", "HEAD"]);
    sb.git(&["push", "-q", "origin", "main"]);
    sb.pyrel(&["release", "0.3.0", "--dry-run"]).ok();

    let head = sb.git(&["rev-parse", "HEAD"]);
    sb.git(&["checkout", "-q", "--detach", &head]);
    refused(&sb, &["release", "0.3.0"], 1, "HEAD is detached");
    sb.git(&["checkout", "-q", "main"]);

    sb.git(&["remote", "remove", "origin"]);
    refused(
        &sb,
        &["release", "0.3.0", "--push"],
        1,
        "there is no `origin` remote to push to",
    );
}

/// A push the origin rejects: exit non-zero, the error names the command,
/// the commit and tag stay local (said so), and origin is unchanged.
#[test]
fn failed_push_is_reported_with_the_commit_and_tag_kept() {
    let sb = Sandbox::new("poetry", &[]);
    executable(
        &sb.origin.join("hooks/pre-receive"),
        "#!/bin/sh\necho 'origin says no' >&2\nexit 1\n",
    );
    let origin_before = sb.git_in(&sb.origin, &["show-ref"]);
    let run = sb.pyrel(&["release", "0.3.0", "--push"]);
    assert_ne!(run.0.status.code(), Some(0), "{}", run.stderr());
    let err = run.stderr();
    assert!(
        err.contains("`git push --atomic origin main v0.3.0` failed"),
        "{err}"
    );
    assert!(
        err.contains("the commit and tag are in your local repository"),
        "{err}"
    );
    assert!(!err.contains("released v0.3.0"), "{err}");
    assert_eq!(sb.git_in(&sb.origin, &["show-ref"]), origin_before);
    assert_eq!(sb.git(&["tag", "--list"]), "v0.3.0");
    assert_eq!(sb.git(&["log", "-1", "--format=%s"]), "Release v0.3.0");
}

/// A commit hook that fails and also breaks a version file so that it cannot
/// be written back: the message says the restore failed, never "restored".
#[test]
fn failed_restore_is_reported_truthfully() {
    let sb = Sandbox::new("poetry", &[]);
    executable(
        &sb.work.join(".git/hooks/pre-commit"),
        "#!/bin/sh\nPATH=/usr/bin:/bin\nrm -f arshai_like/_version.py && mkdir arshai_like/_version.py\nexit 1\n",
    );
    let run = sb.pyrel(&["release", "0.3.0"]);
    assert_ne!(run.0.status.code(), Some(0));
    let err = run.stderr();
    assert!(!err.contains("were restored"), "{err}");
    assert!(err.contains("restoring the version files FAILED"), "{err}");
    assert_eq!(sb.git(&["tag", "--list"]), "");
}

/// With `gh` installed, `--push` runs it after the push, with the exact
/// arguments.
#[test]
fn push_runs_gh_when_installed() {
    let sb = Sandbox::new("poetry", &[]);
    let log = sb.home.join("gh.log");
    executable(
        &sb.bin.join("gh"),
        &format!(
            "#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{}'\nexit 0\n",
            log.display()
        ),
    );
    let run = sb.pyrel(&["release", "0.3.0", "--push"]);
    run.ok();
    let calls = std::fs::read_to_string(&log).unwrap();
    assert!(
        calls
            .lines()
            .any(|l| l == "release create v0.3.0 --verify-tag --generate-notes"),
        "{calls}"
    );
    assert!(run.stderr().contains("released v0.3.0"), "{}", run.stderr());
    assert_eq!(
        sb.git_in(&sb.origin, &["cat-file", "-t", "refs/tags/v0.3.0"]),
        "tag"
    );
}

/// A package in a subdirectory releases under its own tag prefix.
#[test]
fn sub_package_uses_its_own_tag_prefix() {
    let sb = Sandbox::new_at("workspace", "crates/wsdemo-py", &[]);
    let py = sb.read("crates/wsdemo-py/pyproject.toml");
    let prefix = py
        .lines()
        .find_map(|l| l.strip_prefix("tag-prefix = "))
        .map(|p| p.trim_matches('"').to_string())
        .unwrap_or_else(|| panic!("no tag-prefix saved:\n{py}"));
    assert_ne!(prefix, "v");
    let run = sb.pyrel(&["release", "crates/wsdemo-py", "--dry-run"]);
    run.ok();
    let version = sb
        .pyrel(&["inspect", "crates/wsdemo-py", "--json"])
        .0
        .stdout;
    let version: serde_json::Value = serde_json::from_slice(&version).unwrap();
    let tag = format!("{prefix}{}", version["version"].as_str().unwrap());
    assert!(
        run.stderr().contains(&format!("git tag -a {tag} ")),
        "{}",
        run.stderr()
    );
}

/// A version file that cannot be replaced (`chattr +i`, as even root cannot
/// get past): release writes none of them, commits nothing, tags nothing.
#[test]
fn an_unreplaceable_version_file_leaves_the_repository_byte_identical() {
    let sb = Sandbox::new("mixed", &[]);
    sb.write(
        "Cargo.lock",
        "version = 4\n\n[[package]]\nname = \"mixed-core\"\nversion = \"1.4.0\"\n",
    );
    sb.git(&["add", "Cargo.lock"]);
    sb.git(&["commit", "-q", "-m", "lock"]);
    let lock = sb.work.join("Cargo.lock");
    let chattr = |flag: &str| {
        Command::new("chattr")
            .arg(flag)
            .arg(&lock)
            .status()
            .expect("chattr (e2fsprogs) is needed for this test")
            .success()
    };
    assert!(chattr("+i"), "chattr +i failed (needs root on ext4)");
    struct Undo<F: Fn()>(F);
    impl<F: Fn()> Drop for Undo<F> {
        fn drop(&mut self) {
            (self.0)()
        }
    }
    let _undo = Undo(|| {
        chattr("-i");
    });
    refused(
        &sb,
        &["release", "1.4.1"],
        2,
        "Cargo.lock: cannot be replaced",
    );
}
