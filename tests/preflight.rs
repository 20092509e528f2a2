//! The preflight job's script, run verbatim against a local server that
//! answers like PyPI's JSON API: a version already on the index fails the
//! release before any wheel is built, a new version passes, and an index
//! that cannot be reached is a warning, not a failure.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::Duration;

use common::Repo;

/// Serve one request with `status`; report the request line.
fn one_shot_index(status: u16) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/pypi", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request = String::new();
        reader.read_line(&mut request).unwrap();
        // Drain the headers.
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        let body = if status == 200 {
            "{\"info\": {}}"
        } else {
            "{}"
        };
        let mut stream = stream;
        write!(
            stream,
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        tx.send(request.trim().to_string()).unwrap();
    });
    (url, rx)
}

/// An address nothing listens on.
fn closed_port() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/pypi", listener.local_addr().unwrap());
    drop(listener);
    url
}

struct Preflight {
    repo: Repo,
    script: String,
    env: Vec<(String, String)>,
}

/// The request the index saw; a test that expects one fails (rather than
/// hangs) when the script never asked.
fn received(rx: &mpsc::Receiver<String>) -> String {
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the preflight never asked the index")
}

fn preflight(fixture: &str) -> Preflight {
    preflight_in(Repo::fixture(fixture))
}

fn preflight_in(repo: Repo) -> Preflight {
    repo.pyrel(&["init", "--yes"]).expect(0);
    let wf: serde_yaml::Value =
        serde_yaml::from_str(&repo.read(".github/workflows/release.yml")).unwrap();
    let step = wf["jobs"]["preflight"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some("Compare the release tag with every version source"))
        .unwrap()
        .clone();
    assert_eq!(step["shell"].as_str(), Some("python"));
    let env = step["env"]
        .as_mapping()
        .unwrap()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
        // GitHub fills the expressions in; the test sets them below.
        .filter(|(_, v)| !v.contains("${{"))
        .collect();
    Preflight {
        repo,
        script: step["run"].as_str().unwrap().to_string(),
        env,
    }
}

impl Preflight {
    fn run(&self, event: &[(&str, &str)], index: &str) -> Output {
        let mut cmd = Command::new("python3");
        cmd.args(["-c", &self.script])
            .current_dir(self.repo.path())
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(event.iter().copied())
            .env("PYREL_INDEX_URL", index);
        cmd.output().unwrap()
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const RELEASE: &[(&str, &str)] = &[("EVENT", "release"), ("TAG", "v0.3.1"), ("PUBLISH", "")];

#[test]
fn a_version_already_on_the_index_fails_the_preflight() {
    let p = preflight("abi3");
    let (url, request) = one_shot_index(200);
    let out = p.run(RELEASE, &url);
    let log = text(&out);
    assert!(!out.status.success(), "{log}");
    assert!(log.contains("abi3-demo 0.3.1 is already on"), "{log}");
    assert_eq!(
        received(&request),
        "GET /pypi/abi3-demo/0.3.1/json HTTP/1.1"
    );
}

#[test]
fn a_new_version_passes() {
    let p = preflight("abi3");
    let (url, request) = one_shot_index(404);
    let out = p.run(RELEASE, &url);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("0.3.1 is not on"), "{log}");
    received(&request);
}

#[test]
fn an_unreachable_index_is_a_warning() {
    let p = preflight("abi3");
    let out = p.run(RELEASE, &closed_port());
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("::warning::could not reach"), "{log}");
}

#[test]
fn a_manual_testpypi_run_asks_and_fails_too() {
    let p = preflight("abi3");
    let (url, request) = one_shot_index(200);
    let out = p.run(
        &[
            ("EVENT", "workflow_dispatch"),
            ("TAG", ""),
            ("PUBLISH", "testpypi"),
        ],
        &url,
    );
    assert!(!out.status.success(), "{}", text(&out));
    received(&request);
    // A build-only manual run only warns.
    let (url, _request) = one_shot_index(200);
    let out = p.run(
        &[
            ("EVENT", "workflow_dispatch"),
            ("TAG", ""),
            ("PUBLISH", "none"),
        ],
        &url,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("::warning::0.3.1 is already on"));
}

#[test]
fn a_tag_that_does_not_match_fails_before_asking() {
    let p = preflight("abi3");
    let out = p.run(
        &[("EVENT", "release"), ("TAG", "v9.9.9"), ("PUBLISH", "")],
        &closed_port(),
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("does not match the package version"));
}

impl Preflight {
    fn env(&self, key: &str) -> &str {
        &self.env.iter().find(|(k, _)| k == key).unwrap().1
    }

    /// The kinds of version source the script is given.
    fn kinds(&self) -> Vec<String> {
        let sources: serde_json::Value = serde_json::from_str(self.env("VERSION_SOURCES")).unwrap();
        sources
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["kind"].as_str().unwrap().to_string())
            .collect()
    }
}

/// A setuptools package whose version is the whole of a text file
/// (`version = {file = "VERSION"}`): the `text` kind.
fn text_kind(version: &str) -> Repo {
    let repo = Repo::fixture("setuptools-setup-version");
    let py = repo.read("pyproject.toml").replace(
        "[tool.setuptools.packages.find]",
        "[tool.setuptools.dynamic]\nversion = { file = \"VERSION\" }\n\n[tool.setuptools.packages.find]",
    );
    repo.write("pyproject.toml", &py);
    repo.write("VERSION", &format!("{version}\n"));
    repo
}

/// A hatchling package whose version is read with a custom `pattern` from a
/// module that is not `__version__`: the `pattern` kind.
fn pattern_kind(version: &str) -> Repo {
    let repo = Repo::fixture("hatch");
    let py = repo
        .read("pyproject.toml")
        .replace("version = \"0.1.0\"", "dynamic = [\"version\"]")
        .replace(
            "[tool.hatch.build.targets.wheel]",
            "[tool.hatch.version]\npath = \"src/stormcheck/about.py\"\npattern = \"^RELEASE = ['\\\"](?P<version>[^'\\\"]+)['\\\"]\"\n\n[tool.hatch.build.targets.wheel]",
        );
    repo.write("pyproject.toml", &py);
    repo.write("src/stormcheck/__init__.py", "\"\"\"stormcheck.\"\"\"\n");
    repo.write(
        "src/stormcheck/about.py",
        &format!("# The release.\nRELEASE = '{version}'\n"),
    );
    repo
}

#[test]
fn the_text_kind_is_read_and_compared() {
    let p = preflight_in(text_kind("0.3.1"));
    assert_eq!(p.kinds(), ["text"]);
    let (url, request) = one_shot_index(404);
    let out = p.run(RELEASE, &url);
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("VERSION: 0.3.1"), "{log}");
    assert_eq!(
        received(&request),
        "GET /pypi/stormcheck/0.3.1/json HTTP/1.1"
    );
    // Another version in the file fails the tag check.
    p.repo.write("VERSION", "0.3.2\n");
    let out = p.run(RELEASE, &closed_port());
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("does not match the package version ['0.3.2']"),
        "{}",
        text(&out)
    );
}

#[test]
fn the_pattern_kind_is_read_and_compared() {
    let p = preflight_in(pattern_kind("0.3.1rc1"));
    assert_eq!(p.kinds(), ["pattern"]);
    let (url, request) = one_shot_index(404);
    // The tag spells the version differently; PEP 440 says they are equal.
    let out = p.run(
        &[
            ("EVENT", "release"),
            ("TAG", "v0.3.1-rc.1"),
            ("PUBLISH", ""),
        ],
        &url,
    );
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("src/stormcheck/about.py: 0.3.1rc1"), "{log}");
    assert_eq!(
        received(&request),
        "GET /pypi/stormcheck/0.3.1rc1/json HTTP/1.1"
    );
    let out = p.run(RELEASE, &closed_port());
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("does not match the package version ['0.3.1rc1']"));
}

/// hatch-vcs: no version file, VERSION_SOURCES is empty; the tag is the
/// version, so that is what the index is asked about.
#[test]
fn the_vcs_path_takes_the_version_from_the_tag() {
    let p = preflight("hatch-vcs");
    assert_eq!(p.env("VERSION_SOURCES"), "[]");
    let (url, request) = one_shot_index(404);
    let out = p.run(
        &[
            ("EVENT", "release"),
            ("TAG", "v1.2.0-rc.1"),
            ("PUBLISH", ""),
        ],
        &url,
    );
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("Tag v1.2.0-rc.1 matches the package version."),
        "{log}"
    );
    assert_eq!(
        received(&request),
        "GET /pypi/stormcheck-vcs/1.2.0rc1/json HTTP/1.1"
    );
    // Already published: refused.
    let (url, request) = one_shot_index(200);
    let out = p.run(
        &[("EVENT", "release"), ("TAG", "v1.2.0"), ("PUBLISH", "")],
        &url,
    );
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("stormcheck-vcs 1.2.0 is already on"));
    received(&request);
    // A tag without the prefix fails before anything else.
    let out = p.run(
        &[("EVENT", "release"), ("TAG", "1.2.0"), ("PUBLISH", "")],
        &closed_port(),
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("does not start with the tag prefix 'v'"),
        "{}",
        text(&out)
    );
    // A manual run has no tag, hence no version to look up: nothing is asked.
    let out = p.run(
        &[
            ("EVENT", "workflow_dispatch"),
            ("TAG", ""),
            ("PUBLISH", "pypi"),
        ],
        &closed_port(),
    );
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("The version comes from the tag; nothing to look up"),
        "{log}"
    );
}

/// Pull requests and the weekly build only build: a version already on the
/// index (the usual state between releases) is a warning, and there is no
/// tag to compare.
#[test]
fn pull_requests_and_the_weekly_build_only_warn() {
    let p = preflight("abi3");
    for event in ["pull_request", "schedule"] {
        let (url, request) = one_shot_index(200);
        let out = p.run(&[("EVENT", event), ("TAG", "main"), ("PUBLISH", "")], &url);
        let log = text(&out);
        assert!(out.status.success(), "{event}: {log}");
        assert!(
            log.contains("::warning::0.3.1 is already on"),
            "{event}: {log}"
        );
        assert!(!log.contains("does not start with the tag prefix"), "{log}");
        // PyPI, not TestPyPI.
        assert_eq!(
            received(&request),
            "GET /pypi/abi3-demo/0.3.1/json HTTP/1.1"
        );
    }
}
