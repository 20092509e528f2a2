//! The container smoke test of wheels their runner cannot run, from the
//! generated workflow: musllinux wheels in Alpine on the native runner,
//! emulated targets under QEMU (the pinned action, `cache-image: false`),
//! i686 in a 32-bit image without emulation. There is no Docker engine
//! here, so the script that runs inside the container is run verbatim with
//! `sh` against a local wheel: it installs the built wheel (never an index
//! copy) into a fresh venv and runs the smoke test, and fails when the
//! smoke test fails.

mod common;

use std::process::{Command, Output};

use serde_yaml::Value;

const PLATFORMS: &str = "linux-x86_64,linux-i686,linux-armv7,linux-ppc64,musllinux-x86_64,musllinux-aarch64,musllinux-armv7,android-aarch64";

fn workflow(smoke: &str) -> Value {
    let flags = [
        "--platforms",
        PLATFORMS,
        "--smoke-test",
        smoke,
        "--no-smoke-deps",
    ];
    common::init_fixture("abi3", &flags).1
}

fn entries(wf: &Value, job: &str) -> Vec<Value> {
    wf["jobs"][job]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .clone()
}

fn entry<'a>(list: &'a [Value], platform: &str) -> &'a Value {
    list.iter()
        .find(|e| e["platform"].as_str() == Some(platform))
        .unwrap()
}

fn step<'a>(wf: &'a Value, job: &str, name: &str) -> &'a Value {
    wf["jobs"][job]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("{job} has no step {name:?}"))
}

const CONTAINER_STEP: &str = "Smoke-test the wheel in a container of its platform";

#[test]
fn every_linux_wheel_but_ppc64_is_run_in_a_container_of_its_platform() {
    let wf = workflow("python -c 'import abi3_demo'");
    let musl = entries(&wf, "musllinux");
    let x = entry(&musl, "musllinux-x86_64");
    assert_eq!(x["smoke-image"].as_str(), Some("python:3.13-alpine3.22"));
    assert_eq!(x["smoke-platform"].as_str(), Some("linux/amd64"));
    assert_eq!(x["qemu"], Value::Bool(false));
    // aarch64 on the native Arm runner, armv7 emulated.
    let a = entry(&musl, "musllinux-aarch64");
    assert_eq!(a["runner"].as_str(), Some("ubuntu-24.04-arm"));
    assert_eq!(a["qemu"], Value::Bool(false));
    assert_eq!(entry(&musl, "musllinux-armv7")["qemu"], Value::Bool(true));
    let linux = entries(&wf, "linux");
    let i686 = entry(&linux, "linux-i686");
    assert_eq!(i686["smoke-platform"].as_str(), Some("linux/386"));
    assert_eq!(i686["qemu"], Value::Bool(false));
    assert_eq!(entry(&linux, "linux-armv7")["qemu"], Value::Bool(true));
    // Native wheels keep the plain smoke test; ppc64 is not executed.
    assert!(entry(&linux, "linux-x86_64")["smoke-image"].is_null());
    assert!(entry(&linux, "linux-ppc64")["smoke-image"].is_null());

    for job in ["linux", "musllinux"] {
        let qemu = step(&wf, job, "Set up QEMU for the wheel's architecture");
        assert_eq!(qemu["if"].as_str(), Some("matrix.qemu"));
        assert!(qemu["uses"]
            .as_str()
            .unwrap()
            .starts_with("docker/setup-qemu-action@96fe6ef7f33517b61c61be40b68a1882f3264fb8"));
        assert_eq!(qemu["with"]["cache-image"], Value::Bool(false));
        let s = step(&wf, job, CONTAINER_STEP);
        assert_eq!(s["if"].as_str(), Some("matrix.smoke-image"));
        let run = s["run"].as_str().unwrap();
        assert!(
            run.contains("docker run --rm --platform \"$PLATFORM\""),
            "{run}"
        );
        assert!(run.contains(":/wheels:ro"), "{run}");
    }
    // No container step where every wheel runs natively.
    let wf = common::init_fixture("abi3", &["--platforms", "linux-x86_64,macos-aarch64"]).1;
    let text = serde_yaml::to_string(&wf).unwrap();
    assert!(!text.contains(CONTAINER_STEP));
    assert!(!text.contains("setup-qemu-action"));
}

/// A wheel with `VALUE = <value>` in module `abi3_demo`, for project abi3-demo.
fn wheel(dir: &std::path::Path, value: &str) {
    common::pure_wheel(dir, "abi3-demo", "0.3.1", &format!("VALUE = {value}\n"));
}

/// Run the container step's script as the container would: `sh -c
/// "$SMOKE_SCRIPT"` with the step's env and WHEELS pointing at `wheels`.
fn run_in_container(wf: &Value, wheels: &std::path::Path) -> Output {
    let s = step(wf, "musllinux", CONTAINER_STEP);
    let env = s["env"].as_mapping().unwrap();
    let script = env[&Value::String("SMOKE_SCRIPT".into())].as_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("sh");
    cmd.args(["-c", script]);
    for (k, v) in env {
        let (k, v) = (k.as_str().unwrap(), v.as_str().unwrap());
        if !v.contains("${{") {
            cmd.env(k, v);
        }
    }
    // `--env WHEELS=/wheels` in the docker command; TMPDIR keeps the venv
    // inside the test's directory.
    cmd.env("WHEELS", wheels)
        .env("TMPDIR", tmp.path())
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .current_dir(tmp.path());
    let out = cmd.output().unwrap();
    drop(tmp);
    out
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_container_script_installs_the_built_wheel_and_runs_the_smoke_test() {
    let wf =
        workflow("python -c 'import abi3_demo; assert abi3_demo.VALUE == 42; print(\"smoke ok\")'");
    let wheels = tempfile::tempdir().unwrap();
    wheel(wheels.path(), "42");
    let out = run_in_container(&wf, wheels.path());
    let log = text(&out);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("Successfully installed abi3-demo-0.3.1"),
        "{log}"
    );
    assert!(log.contains("Smoke test on"), "{log}");
    assert!(log.contains("smoke ok"), "{log}");

    // A wheel that imports but fails the smoke test fails the step.
    let wheels = tempfile::tempdir().unwrap();
    wheel(wheels.path(), "41");
    let out = run_in_container(&wf, wheels.path());
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("AssertionError"), "{}", text(&out));

    // No wheel: pip never falls back to an index.
    let empty = tempfile::tempdir().unwrap();
    let out = run_in_container(&wf, empty.path());
    assert!(!out.status.success());
    assert!(
        text(&out).contains("No matching distribution found for abi3-demo"),
        "{}",
        text(&out)
    );
}
