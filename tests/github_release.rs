//! The tag path's GitHub release step, run verbatim from the generated
//! workflow with a fake `gh` that records its calls: the distributions go
//! to a draft that is then published (so immutable releases accept them),
//! a draft left by an earlier attempt is completed, and a published release
//! is never uploaded to.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use common::Repo;

fn release_script(flags: &[&str]) -> String {
    let repo = Repo::fixture("abi3");
    let mut args = vec!["init", "--yes", "--github-release"];
    args.extend(flags);
    repo.pyrel(&args).expect(0);
    let wf: serde_yaml::Value =
        serde_yaml::from_str(&repo.read(".github/workflows/release.yml")).unwrap();
    let steps = wf["jobs"]["github-release"]["steps"].as_sequence().unwrap();
    let step = steps
        .iter()
        .find(|s| s["name"].as_str() == Some("Upload the distributions to the release"))
        .unwrap();
    step["run"].as_str().unwrap().to_string()
}

/// Run `script` with a fake `gh` whose release is in `state` (`none`,
/// `draft`, `published`); the exit status and the recorded `gh` calls.
fn run(script: &str, state: &str) -> (bool, Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let gh = bin.join("gh");
    std::fs::write(
        &gh,
        r#"#!/bin/bash
echo "$*" >> "$GH_LOG"
if [ "$1 $2" = "release view" ]; then
  case "$FAKE_STATE" in
    none) echo "release not found" >&2; exit 1 ;;
    draft) echo true ;;
    published) echo false ;;
  esac
fi
if [ "$1 $2" = "release upload" ] && [ "$FAKE_STATE" = "published" ]; then
  echo "HTTP 422: Cannot upload assets to an immutable release." >&2
  exit 1
fi
exit 0
"#,
    )
    .unwrap();
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(work.join("dist")).unwrap();
    std::fs::write(work.join("dist/demo-1.0.0.tar.gz"), b"sdist").unwrap();
    std::fs::write(work.join("dist/demo-1.0.0-py3-none-any.whl"), b"wheel").unwrap();
    let log = dir.path().join("gh.log");
    let out = Command::new("bash")
        .args(["-e", "-c", script])
        .current_dir(&work)
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("GH_LOG", &log)
        .env("FAKE_STATE", state)
        .env("TAG", "v1.0.0")
        .env("GITHUB_REPOSITORY", "acme/demo")
        .env("GH_TOKEN", "x")
        .output()
        .unwrap();
    let calls = std::fs::read_to_string(&log)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), calls, text)
}

#[test]
fn a_new_release_is_drafted_with_its_assets_then_published() {
    let script = release_script(&["--trigger", "tag"]);
    let (ok, calls, text) = run(&script, "none");
    assert!(ok, "{text}");
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(calls[0].starts_with("release view v1.0.0"), "{calls:?}");
    assert!(
        calls[1].starts_with(
            "release create v1.0.0 dist/demo-1.0.0-py3-none-any.whl dist/demo-1.0.0.tar.gz"
        ) && calls[1].contains("--draft")
            && calls[1].contains("--verify-tag"),
        "{calls:?}"
    );
    assert_eq!(
        calls[2],
        "release edit v1.0.0 --repo acme/demo --draft=false"
    );
    assert!(!calls.iter().any(|c| c.contains("--clobber")), "{calls:?}");
}

#[test]
fn a_draft_from_an_earlier_attempt_is_completed() {
    let script = release_script(&["--trigger", "tag"]);
    let (ok, calls, text) = run(&script, "draft");
    assert!(ok, "{text}");
    assert!(calls[1].starts_with("release upload v1.0.0"), "{calls:?}");
    assert!(calls[1].contains("--clobber"), "{calls:?}");
    assert_eq!(
        calls[2],
        "release edit v1.0.0 --repo acme/demo --draft=false"
    );
}

#[test]
fn a_published_release_is_never_uploaded_to() {
    let script = release_script(&["--trigger", "tag"]);
    let (ok, calls, text) = run(&script, "published");
    assert!(!ok);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(
        text.contains("::error::the release v1.0.0 is already published"),
        "{text}"
    );
}

/// With the release trigger the release is published before the workflow
/// starts: the upload fails on an immutable release, and the error says what
/// works instead.
#[test]
fn the_release_trigger_explains_an_immutable_release() {
    let script = release_script(&[]);
    let (ok, calls, text) = run(&script, "published");
    assert!(!ok);
    assert!(calls[0].starts_with("release upload v1.0.0"), "{calls:?}");
    assert!(text.contains("set trigger = \"tag\""), "{text}");
    let (ok, _, text) = run(&script, "draft");
    assert!(ok, "{text}");
}

/// `pyrel doctor` warns about the release trigger with a GitHub release
/// attachment, at the line of the setting, and not for the tag trigger.
#[test]
fn doctor_warns_about_attaching_to_a_published_release() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes", "--github-release"]).expect(0);
    let out = repo.pyrel(&["doctor"]);
    let line = repo
        .read("pyproject.toml")
        .lines()
        .position(|l| l.starts_with("github-release = true"))
        .unwrap()
        + 1;
    assert!(
        out.stdout().contains(&format!(
            "warning[immutable-release] pyproject.toml:{line}: "
        )),
        "{}",
        out.stdout()
    );
    assert!(
        out.stdout().contains("set trigger = \"tag\""),
        "{}",
        out.stdout()
    );
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes", "--github-release", "--trigger", "tag"])
        .expect(0);
    assert!(!repo
        .pyrel(&["doctor"])
        .stdout()
        .contains("immutable-release"));
}
