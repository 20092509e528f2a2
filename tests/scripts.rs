//! Generated `run:` scripts that no build runs here, executed verbatim from
//! the generated YAML (with `bash -e`, their `env:`, and stand-ins for what
//! the runner provides): the Emscripten job's platform-tag check, and the
//! pure-Python build's refusal of a platform wheel.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::Repo;

fn step<'a>(wf: &'a serde_yaml::Value, job: &str, name: &str) -> &'a serde_yaml::Value {
    wf["jobs"][job]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("job {job} has no step {name:?}"))
}

/// The step's script under `bash -e`, with its `env:` and `GITHUB_OUTPUT`,
/// in `dir`, with `path_first` ahead of the system PATH.
fn run_step(step: &serde_yaml::Value, dir: &Path, path_first: Option<&Path>) -> Output {
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-c", step["run"].as_str().unwrap()])
        .current_dir(dir)
        .env("GITHUB_OUTPUT", dir.join("github-output"));
    for (k, v) in step["env"].as_mapping().into_iter().flatten() {
        cmd.env(k.as_str().unwrap(), v.as_str().unwrap());
    }
    if let Some(first) = path_first {
        cmd.env(
            "PATH",
            format!("{}:{}", first.display(), std::env::var("PATH").unwrap()),
        );
    }
    cmd.output().unwrap()
}

fn log(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn emscripten_tag_check_routes_each_wheel() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes", "--platforms", "linux-x86_64,emscripten"])
        .expect(0);
    let wf: serde_yaml::Value =
        serde_yaml::from_str(&repo.read(".github/workflows/release.yml")).unwrap();
    let check = step(&wf, "emscripten", "Check the wheel's platform tag");
    let dist = check["env"]["DIST_DIR"].as_str().unwrap();
    for (wheel, artifact, warns) in [
        (
            "abi3_demo-0.3.1-cp39-abi3-pyemscripten_2025_0_wasm32.whl",
            "dist-emscripten",
            false,
        ),
        (
            "abi3_demo-0.3.1-cp39-abi3-pyodide_2025_0_wasm32.whl",
            "wasm-emscripten",
            true,
        ),
        (
            "abi3_demo-0.3.1-cp39-abi3-emscripten_4_0_9_wasm32.whl",
            "wasm-emscripten",
            true,
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(dist)).unwrap();
        std::fs::write(dir.path().join(dist).join(wheel), b"").unwrap();
        let out = run_step(check, dir.path(), None);
        assert!(out.status.success(), "{wheel}: {}", log(&out));
        let output = std::fs::read_to_string(dir.path().join("github-output")).unwrap();
        assert_eq!(output, format!("artifact={artifact}\n"), "{wheel}");
        assert_eq!(
            log(&out).contains("::warning::"),
            warns,
            "{wheel}: {}",
            log(&out)
        );
    }
}

/// The build step with a stand-in `python` whose `-m build` writes a
/// platform wheel: the step fails with the error, naming the wheel.
#[test]
fn pure_python_build_refuses_a_platform_wheel() {
    let repo = Repo::fixture("hatch");
    repo.pyrel(&["init", "--yes"]).expect(0);
    let wf: serde_yaml::Value =
        serde_yaml::from_str(&repo.read(".github/workflows/release.yml")).unwrap();
    let build = step(&wf, "build", "Build the distributions");
    let bin = tempfile::tempdir().unwrap();
    let fake = bin.path().join("python");
    for (wheel, ok) in [
        ("stormcheck-0.1.0-py3-none-any.whl", true),
        (
            "stormcheck-0.1.0-cp312-cp312-manylinux_2_17_x86_64.whl",
            false,
        ),
    ] {
        // `python -m pip ...` succeeds; `python -m build --outdir D P` writes the wheel.
        std::fs::write(
            &fake,
            format!(
                "#!/bin/sh\nif [ \"$2\" = build ]; then mkdir -p \"$4\" && : > \"$4/{wheel}\" && : > \"$4/stormcheck-0.1.0.tar.gz\"; fi\n"
            ),
        )
        .unwrap();
        let mut perms = std::fs::metadata(&fake).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&fake, perms).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let out = run_step(build, dir.path(), Some(bin.path()));
        assert_eq!(out.status.success(), ok, "{wheel}: {}", log(&out));
        if !ok {
            assert!(
                log(&out).contains(&format!(
                    "::error::dist/{wheel} is not a pure-Python (none-any) wheel"
                )),
                "{}",
                log(&out)
            );
        }
    }
}
