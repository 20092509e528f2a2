//! Shared test harness: copy a fixture into a scratch repository (with a
//! GitHub remote in `.git/config`, since a real `.git` cannot be committed
//! inside this one) and run the real `pyrel` binary on it.

#![allow(dead_code)]

pub mod configurations;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const FIXTURES: &[&str] = &[
    "abi3",
    "mixed",
    "workspace",
    "bindings-python",
    "bin",
    "hatch",
    "poetry",
    "strust-abi3",
    "strust-setup-py",
    "pyo3-029",
    "pyo3-025",
];

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory (inside the fixture) that holds the package's pyproject.toml.
pub fn package_subdir(fixture: &str) -> &'static str {
    match fixture {
        "workspace" => "crates/wsdemo-py",
        _ => ".",
    }
}

pub struct Repo {
    pub dir: tempfile::TempDir,
}

impl Repo {
    /// A copy of `tests/fixtures/<name>` as a git repository whose origin is
    /// `https://github.com/pyrel-fixtures/<name>.git`.
    pub fn fixture(name: &str) -> Repo {
        let repo = Repo::bare_fixture(name);
        repo.write(
            ".git/config",
            &format!(
                "[core]\n\trepositoryformatversion = 0\n[remote \"origin\"]\n\turl = https://github.com/pyrel-fixtures/{name}.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n"
            ),
        );
        repo
    }

    /// A copy with an empty `.git` (no remote).
    pub fn bare_fixture(name: &str) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &manifest_dir().join("tests/fixtures").join(name),
            dir.path(),
        );
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        Repo { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel))
            .unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Run pyrel with `args` from the repository root.
    pub fn pyrel(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_pyrel"))
            .args(args)
            .current_dir(self.path())
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        Run(out)
    }

    /// Every file in the repository (paths + bytes), to prove a failing
    /// command changed nothing.
    pub fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        let mut out = BTreeMap::new();
        walk(self.path(), self.path(), &mut out);
        out
    }
}

/// `pyrel init <package dir> --yes <flags>` on a copy of `fixture`, which
/// must succeed; the repository and the workflow it wrote (the one file of
/// `.github/workflows`: `release.yml`, or `release-<name>.yml` for a
/// workspace member), parsed.
pub fn init_fixture(fixture: &str, flags: &[&str]) -> (Repo, serde_yaml::Value) {
    let repo = Repo::fixture(fixture);
    let mut args = vec!["init", package_subdir(fixture), "--yes"];
    args.extend(flags);
    repo.pyrel(&args).expect(0);
    let files: Vec<PathBuf> = std::fs::read_dir(repo.path().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "[{fixture}] workflows: {files:?}");
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let wf = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("[{fixture}] {}: {e}", files[0].display()));
    (repo, wf)
}

pub struct Run(pub Output);

impl Run {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    #[track_caller]
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.code(),
            code,
            "expected exit {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            // Recorded, never followed: what it points to is not the repository.
            let target = std::fs::read_link(&path).unwrap();
            out.insert(
                format!("{rel}@"),
                target.to_string_lossy().into_owned().into_bytes(),
            );
        } else if kind.is_dir() {
            out.insert(format!("{rel}/"), Vec::new());
            walk(root, &path, out);
        } else {
            out.insert(rel, std::fs::read(&path).unwrap());
        }
    }
}

/// Assert a snapshot stored in the top-level `snapshots/` directory.
#[macro_export]
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

/// A pinned tool from the project's tool venv (`scripts/setup-tools.sh`).
/// Tests that need one are `#[ignore]`d by default and run by
/// `scripts/test.sh`; when they run, a missing tool is a failure, never a skip.
pub fn tool(name: &str) -> PathBuf {
    let dir = std::env::var_os("PYREL_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_dir().join(".tools/venv/bin"));
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} not found: run `bash scripts/test.sh` (it installs the pinned tools)",
        path.display()
    );
    path
}

/// A command that must succeed; on failure, the panic names the fixture and
/// the step, with the command's output.
#[track_caller]
pub fn step(fixture: &str, what: &str, cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("[{fixture}] {what}: could not start: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "[{fixture}] step `{what}` failed ({}):\n{text}",
        out.status
    );
    text
}

/// The Cargo target dir shared by every end-to-end build, so that PyO3 is
/// compiled once per feature set for the whole suite.
pub fn shared_target_dir() -> PathBuf {
    manifest_dir().join("target/e2e")
}

/// An exclusive lock held until dropped, across threads and across test
/// processes alike (cargo-nextest runs every test in a process of its own,
/// so a `static Mutex` serialises nothing there).
pub struct Lock(#[allow(dead_code)] std::fs::File);

/// Take the lock named by `path` (created if missing), waiting for it.
pub fn lock(path: &Path) -> Lock {
    use std::os::unix::io::AsRawFd;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // SAFETY: flock on a descriptor this function owns; released when the
    // file is closed (the Lock dropped).
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
    assert_eq!(
        rc,
        0,
        "flock {}: {}",
        path.display(),
        std::io::Error::last_os_error()
    );
    Lock(file)
}

/// Builds of pyrel itself by maturin, pip and pre-commit (tests/ship.rs,
/// tests/precommit.rs) share one Cargo target dir and one profile, so the
/// dependencies compile once for all of them: the release profile without
/// optimisation (what they check is the packaging, not the speed). The
/// builds take turns: maturin moves the binary it built out of the target
/// dir, so two concurrent builds there race. Sets the environment on `cmd`
/// and returns the turn, held until dropped.
pub fn pyrel_build(cmd: &mut Command) -> Lock {
    let turn = lock(&manifest_dir().join("target/pyrel-build.lock"));
    cmd.env(
        "CARGO_TARGET_DIR",
        manifest_dir().join("target/pyrel-build"),
    )
    .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
    .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
    .env("CARGO_PROFILE_RELEASE_LTO", "false");
    turn
}

/// `step` for a build into [`shared_target_dir`], one at a time. Cargo
/// serialises the compiling itself, but a build also reads the artefact
/// back after Cargo let go of the dir: a concurrent build of the same crate
/// name (two tests building one fixture) could replace it in between.
#[track_caller]
pub fn build_step(fixture: &str, what: &str, cmd: &mut Command) -> String {
    let _turn = lock(&manifest_dir().join("target/e2e.lock"));
    step(fixture, what, cmd)
}

/// actionlint must print nothing and exit 0, with the pinned `shellcheck`
/// and `pyflakes` handed to it so that every `run:` script (bash, and the
/// `shell: python` ones) is linted too. A missing linter is a failure: without
/// one, actionlint silently skips those checks.
pub fn assert_actionlint(file: &Path) {
    let out = Command::new(tool("actionlint"))
        .arg("-no-color")
        .arg("-shellcheck")
        .arg(tool("shellcheck"))
        .arg("-pyflakes")
        .arg(tool("pyflakes"))
        .arg(file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.trim().is_empty(),
        "actionlint on {}:\n{text}{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// zizmor (auditor persona, offline) must report zero findings, and the only
/// suppression allowed is the one a token user opted into.
pub fn assert_zizmor(file: &Path, token: bool) {
    let out = Command::new(tool("zizmor"))
        .args([
            "--offline",
            "--persona=auditor",
            "--format=json",
            "--no-progress",
        ])
        .arg(file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let findings: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "zizmor output is not JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(
        findings.as_array().map(Vec::len),
        Some(0),
        "zizmor findings on {}:\n{stdout}",
        file.display()
    );
    assert!(out.status.success(), "zizmor exit {:?}", out.status);
    let text = std::fs::read_to_string(file).unwrap();
    for line in text.lines().filter(|l| l.contains("zizmor:")) {
        assert!(
            token && line.contains("# zizmor: ignore[use-trusted-publishing]"),
            "unexpected zizmor suppression in {}: {line}",
            file.display()
        );
    }
}

/// A minimal, valid pure-Python wheel of `dist` `version`, made by Python's
/// zipfile in `dir` (created if missing): the package `<module>` (the
/// distribution name with `_` for `-`) whose `__init__.py` is `init_py`,
/// with METADATA, WHEEL and a RECORD of sha256 digests. Returns its path.
pub fn pure_wheel(dir: &Path, dist: &str, version: &str, init_py: &str) -> PathBuf {
    const SCRIPT: &str = r#"
import base64, hashlib, pathlib, sys, zipfile
out, dist, version, init_py = pathlib.Path(sys.argv[1]), *sys.argv[2:]
module = dist.replace("-", "_")
info = f"{module}-{version}.dist-info"
files = {
    f"{module}/__init__.py": init_py,
    f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n",
    f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: pyrel-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = []
for name, text in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
    record.append(f"{name},sha256={digest},{len(text.encode())}")
record.append(f"{info}/RECORD,,")
files[f"{info}/RECORD"] = "\n".join(record) + "\n"
out.mkdir(parents=True, exist_ok=True)
with zipfile.ZipFile(out / f"{module}-{version}-py3-none-any.whl", "w") as z:
    for name, text in files.items():
        z.writestr(name, text)
"#;
    step(
        dist,
        "make a wheel",
        Command::new("python3")
            .args(["-c", SCRIPT])
            .arg(dir)
            .args([dist, version, init_py]),
    );
    dir.join(format!(
        "{}-{version}-py3-none-any.whl",
        dist.replace('-', "_")
    ))
}

/// A fresh virtual environment at `dir` for installing a built wheel or
/// package into, made without a pip of its own (ensurepip costs about 6 s
/// of CPU per venv, and the suite makes dozens): [`pip_install`] installs
/// into it with the tool venv's pinned pip. Returns the venv's `python`.
pub fn venv(label: &str, dir: &Path) -> PathBuf {
    step(
        label,
        "python -m venv --without-pip",
        Command::new(tool("python"))
            .args(["-m", "venv", "--without-pip"])
            .arg(dir),
    );
    dir.join("bin/python")
}

/// `pip install` into the environment of `python` (a [`venv`]), by the
/// pinned pip (`pip --python`); the caller adds what to install.
pub fn pip_install(python: &Path) -> Command {
    let mut cmd = Command::new(tool("python"));
    cmd.args(["-m", "pip", "--python"])
        .arg(python)
        .args(["install", "--disable-pip-version-check"]);
    cmd
}

/// Run the real `git` in `dir` with a fixed identity; panic with its stderr
/// on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=pyrel tests",
            "-c",
            "user.email=tests@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The wheel a real build produced here (`name-ver-interp-abi-plat.whl`)
/// has exactly the interpreter and ABI tags and the architecture of one of
/// the wheels `pyrel plan` promises for `platform` (`linux-x86_64`, or
/// `any` for a pure-Python package). A local build is not repaired by
/// auditwheel, so its platform tag is `linux_x86_64` where the plan says
/// `manylinux_*_x86_64`: the architecture is what must agree.
#[allow(dead_code)]
pub fn assert_wheel_in_plan(repo: &Repo, pkg: &str, platform: &str, wheel: &str) {
    let out = repo.pyrel(&["plan", pkg, "--json"]);
    out.expect(0);
    let plan: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
    let entries: Vec<&serde_json::Value> = plan["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|j| j["platforms"].as_array().unwrap())
        .filter(|p| p["platform"] == platform)
        .flat_map(|p| p["wheels"].as_array().unwrap())
        .collect();
    assert!(!entries.is_empty(), "the plan has no {platform} wheels");
    let parts: Vec<&str> = wheel.trim_end_matches(".whl").split('-').collect();
    let [_, _, interp, abi, plat] = parts[..] else {
        panic!("{wheel} is not a wheel name");
    };
    let arch = |tag: &str| -> String {
        if tag == "any" {
            return "any".into();
        }
        let last = tag.trim_end_matches('*').rsplit('.').next().unwrap();
        ["x86_64", "aarch64", "arm64", "i686", "amd64", "win32"]
            .into_iter()
            .find(|a| last.ends_with(a))
            .unwrap_or(last)
            .to_string()
    };
    let glob = |pattern: &str, value: &str| match pattern.strip_suffix('*') {
        Some(prefix) => value.starts_with(prefix),
        None => pattern == value,
    };
    let matched = entries.iter().any(|w| {
        glob(w["interpreter_tag"].as_str().unwrap(), interp)
            && glob(w["abi_tag"].as_str().unwrap(), abi)
            && arch(w["platform_tag"].as_str().unwrap()) == arch(plat)
    });
    let planned: Vec<&str> = entries
        .iter()
        .map(|w| w["filename"].as_str().unwrap())
        .collect();
    assert!(
        matched,
        "{wheel} is not one of the plan's {platform} wheels: {planned:#?}"
    );
}
