//! The post-publish verification, run verbatim from the generated workflow
//! against a local index on 127.0.0.1 (`python -m http.server` serving a
//! PyPI JSON API and simple-index layout built here): the served files'
//! hashes must equal the built ones, a version the index does not have is
//! retried and then fails, a version that appears while retrying passes,
//! and the release then installs from the index and passes the smoke test.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_yaml::Value;

struct Verify {
    /// The two steps' scripts and their static env, from the generated YAML.
    python: (String, Vec<(String, String)>),
    smoke: (String, Vec<(String, String)>),
}

fn env_of(step: &Value) -> Vec<(String, String)> {
    step["env"]
        .as_mapping()
        .unwrap()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
        // GitHub fills the expressions in; the test sets them.
        .filter(|(_, v)| !v.contains("${{"))
        .collect()
}

fn verify_steps(flags: &[&str]) -> Verify {
    let mut args = vec!["--smoke-test"];
    args.push("python -c 'import stormcheck; assert stormcheck.VALUE == 42; print(\"smoke ok\")'");
    args.extend(flags);
    let (_repo, wf) = common::init_fixture("hatch", &args);
    let job = &wf["jobs"]["verify-pypi"];
    let oses: Vec<&str> = job["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| e["os"].as_str().unwrap())
        .collect();
    assert_eq!(oses, ["linux", "macos", "windows"]);
    let steps = job["steps"].as_sequence().unwrap();
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no step {name}"))
            .clone()
    };
    let py = step("Compare the served files with the built ones and install the release");
    assert_eq!(py["shell"].as_str(), Some("python"));
    let smoke = step("Smoke-test the installed release");
    Verify {
        python: (py["run"].as_str().unwrap().into(), env_of(&py)),
        smoke: (smoke["run"].as_str().unwrap().into(), env_of(&smoke)),
    }
}

struct Index {
    root: tempfile::TempDir,
    server: Child,
    url: String,
}

impl Drop for Index {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

fn sha256(path: &Path) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())",
        ])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

impl Index {
    /// An index serving nothing yet.
    fn start() -> Index {
        let root = tempfile::tempdir().unwrap();
        let mut server = Command::new("python3")
            .args([
                "-u",
                "-m",
                "http.server",
                "0",
                "--bind",
                "127.0.0.1",
                "--directory",
            ])
            .arg(root.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(server.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
        let port = line
            .split_whitespace()
            .skip_while(|w| *w != "port")
            .nth(1)
            .unwrap_or_else(|| panic!("http.server said {line:?}"))
            .to_string();
        Index {
            root,
            server,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Serve `files` (name -> local file) for stormcheck 0.1.0: the JSON API
    /// lists `json_hashes` (name -> sha256), the simple index links the files.
    fn publish(&self, files: &[(&str, &Path)], json_hashes: &[(&str, String)]) {
        let root = self.root.path();
        std::fs::create_dir_all(root.join("files")).unwrap();
        let mut links = String::new();
        for (name, path) in files {
            std::fs::copy(path, root.join("files").join(name)).unwrap();
            links.push_str(&format!(
                "<a href=\"../../files/{name}#sha256={}\">{name}</a>\n",
                sha256(path)
            ));
        }
        std::fs::create_dir_all(root.join("simple/stormcheck")).unwrap();
        std::fs::write(
            root.join("simple/stormcheck/index.html"),
            format!("<!DOCTYPE html><html><body>\n{links}</body></html>\n"),
        )
        .unwrap();
        let urls: Vec<serde_json::Value> = json_hashes
            .iter()
            .map(|(name, h)| serde_json::json!({"filename": name, "digests": {"sha256": h}}))
            .collect();
        let dir = root.join("pypi/stormcheck/0.1.0");
        std::fs::create_dir_all(&dir).unwrap();
        // Written whole, then renamed: a concurrent reader never sees half.
        let tmp = dir.join("json.tmp");
        std::fs::write(&tmp, serde_json::json!({"urls": urls}).to_string()).unwrap();
        std::fs::rename(tmp, dir.join("json")).unwrap();
    }
}

struct Built {
    _dir: tempfile::TempDir,
    dist: PathBuf,
    wheel: PathBuf,
    sdist: PathBuf,
}

/// A wheel and an sdist of `stormcheck 0.1.0` (the hatch fixture's name):
/// the wheel imports as `stormcheck` with `VALUE = 42`.
fn built() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    let wheel = common::pure_wheel(&dist, "stormcheck", "0.1.0", "VALUE = 42\n");
    let sdist = dist.join(SDIST);
    std::fs::write(&sdist, b"not really an sdist, only hashed").unwrap();
    Built {
        wheel,
        sdist,
        dist,
        _dir: dir,
    }
}

const WHEEL: &str = "stormcheck-0.1.0-py3-none-any.whl";
const SDIST: &str = "stormcheck-0.1.0.tar.gz";

fn run_script(
    script: &(String, Vec<(String, String)>),
    shell: &str,
    built: &Built,
    runner_temp: &Path,
    index: &str,
    attempts: &str,
) -> Output {
    let mut cmd = if shell == "python" {
        let mut c = Command::new("python3");
        c.args(["-c", &script.0]);
        c
    } else {
        let mut c = Command::new("bash");
        c.args(["-e", "-c", &script.0]);
        c
    };
    cmd.current_dir(built.dist.parent().unwrap())
        .envs(script.1.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("INDEX_URL", index)
        .env("RUNNER_TEMP", runner_temp)
        .env("PYREL_VERIFY_ATTEMPTS", attempts)
        .env("PYREL_VERIFY_DELAY", "0.2")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_published_release_installs_and_passes_the_smoke_test() {
    let v = verify_steps(&[]);
    let b = built();
    let index = Index::start();
    index.publish(
        &[(WHEEL, &b.wheel), (SDIST, &b.sdist)],
        &[(WHEEL, sha256(&b.wheel)), (SDIST, sha256(&b.sdist))],
    );
    let temp = tempfile::tempdir().unwrap();
    let out = run_script(&v.python, "python", &b, temp.path(), &index.url, "3");
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("serves the 2 files this run built, byte for byte"),
        "{log}"
    );
    assert!(
        log.contains("Installed stormcheck==0.1.0 from http://127.0.0.1:"),
        "{log}"
    );
    // The venv holds the index's copy; the smoke step runs against it.
    let out = run_script(&v.smoke, "bash", &b, temp.path(), &index.url, "3");
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("smoke ok"), "{log}");
}

#[test]
fn a_served_file_with_another_hash_fails_loudly() {
    let v = verify_steps(&[]);
    let b = built();
    let index = Index::start();
    let wrong = "0".repeat(64);
    index.publish(
        &[(WHEEL, &b.wheel), (SDIST, &b.sdist)],
        &[(WHEEL, wrong.clone()), (SDIST, sha256(&b.sdist))],
    );
    let temp = tempfile::tempdir().unwrap();
    let out = run_script(&v.python, "python", &b, temp.path(), &index.url, "3");
    let log = text(&out);
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains(&format!(
            "::error::{WHEEL}: {} serves sha256 {wrong}, this run built {}",
            index.url,
            sha256(&b.wheel)
        )),
        "{log}"
    );
    assert!(log.contains("1 file(s) on"), "{log}");
    // A difference is not propagation: no retry, nothing installed.
    assert!(!log.contains("attempt "), "{log}");
    assert!(!temp.path().join("verify").exists());
}

/// The JSON API can agree while the file behind the simple index differs:
/// pip's hash check refuses it.
#[test]
fn a_tampered_download_is_refused_by_the_hash_check() {
    let v = verify_steps(&["--no-smoke-deps"]);
    let b = built();
    let index = Index::start();
    let other = tempfile::tempdir().unwrap();
    let tampered = other.path().join(WHEEL);
    std::fs::copy(&b.wheel, &tampered).unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&tampered)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"\0"))
        .unwrap();
    index.publish(
        &[(WHEEL, &tampered), (SDIST, &b.sdist)],
        &[(WHEEL, sha256(&b.wheel)), (SDIST, sha256(&b.sdist))],
    );
    let temp = tempfile::tempdir().unwrap();
    let out = run_script(&v.python, "python", &b, temp.path(), &index.url, "2");
    let log = text(&out);
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains("THESE PACKAGES DO NOT MATCH THE HASHES"),
        "{log}"
    );
    assert!(
        log.contains("::error::could not install stormcheck==0.1.0 from"),
        "{log}"
    );
}

#[test]
fn a_missing_version_is_retried_then_fails() {
    let v = verify_steps(&[]);
    let b = built();
    let index = Index::start();
    let temp = tempfile::tempdir().unwrap();
    let out = run_script(&v.python, "python", &b, temp.path(), &index.url, "3");
    let log = text(&out);
    assert!(!out.status.success(), "{log}");
    assert!(log.contains("HTTP 404"), "{log}");
    assert!(
        log.contains("attempt 1/3: stormcheck 0.1.0 not on the index yet; retrying in 0.2s"),
        "{log}"
    );
    assert!(log.contains("attempt 2/3"), "{log}");
    assert!(
        log.contains("::error::stormcheck 0.1.0 on http://127.0.0.1:")
            && log.contains("not on the index yet after 3 attempts"),
        "{log}"
    );
    // A listed version without every built file is waited for too.
    index.publish(&[(WHEEL, &b.wheel)], &[(WHEEL, sha256(&b.wheel))]);
    let out = run_script(&v.python, "python", &b, temp.path(), &index.url, "2");
    let log = text(&out);
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains(&format!("missing {SDIST} after 2 attempts")),
        "{log}"
    );
}

#[test]
fn a_version_that_appears_while_retrying_passes() {
    let v = verify_steps(&[]);
    let b = built();
    let index = Index::start();
    let temp = tempfile::tempdir().unwrap();
    let script = v.python.clone();
    let url = index.url.clone();
    let dist_parent = b.dist.parent().unwrap().to_path_buf();
    let temp_path = temp.path().to_path_buf();
    let runner = std::thread::spawn(move || {
        Command::new("python3")
            .args(["-c", &script.0])
            .current_dir(dist_parent)
            .envs(script.1.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("INDEX_URL", url)
            .env("RUNNER_TEMP", temp_path)
            .env("PYREL_VERIFY_ATTEMPTS", "40")
            .env("PYREL_VERIFY_DELAY", "0.25")
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .output()
            .unwrap()
    });
    std::thread::sleep(std::time::Duration::from_millis(1200));
    index.publish(
        &[(WHEEL, &b.wheel), (SDIST, &b.sdist)],
        &[(WHEEL, sha256(&b.wheel)), (SDIST, sha256(&b.sdist))],
    );
    let out = runner.join().unwrap();
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("attempt 1/40"), "{log}");
    assert!(log.contains("Installed stormcheck==0.1.0"), "{log}");
}

/// The release is installed where a built wheel runs: one runner per OS
/// family, the family's first chosen native platform; none without one.
#[test]
fn the_release_is_installed_where_a_built_wheel_runs() {
    let runners = |platforms: &str| {
        let (_repo, wf) = common::init_fixture("abi3", &["--platforms", platforms]);
        let job = &wf["jobs"]["verify-pypi"];
        if job.is_null() {
            return Vec::new();
        }
        job["strategy"]["matrix"]["include"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["os"].as_str().unwrap(),
                    e["runner"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        runners("linux-aarch64,musllinux-x86_64,macos-x86_64,windows-x86"),
        ["linux ubuntu-24.04-arm", "macos macos-15-intel"]
    );
    assert_eq!(
        runners("linux-x86_64,linux-aarch64,macos-universal2,windows-aarch64"),
        [
            "linux ubuntu-24.04",
            "macos macos-15",
            "windows windows-11-arm"
        ]
    );
    assert!(runners("android-aarch64,emscripten").is_empty());
}
