//! The gate of the release workflow: the check job's "Compare the
//! distributions with the build plan" step, run verbatim (its script and its
//! `PLAN` data read from the generated YAML) on folders of distributions
//! named as the builders name them.

mod common;

use std::process::Command;

use common::{package_subdir, tool, Repo};
use serde_yaml::Value;

/// The gate step of the package's generated workflow.
fn gate_step(repo: &Repo, workflow: &str) -> Value {
    let wf: Value = serde_yaml::from_str(&repo.read(workflow)).unwrap();
    wf["jobs"]["check"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some("Compare the distributions with the build plan"))
        .expect("the check job has the gate step")
        .clone()
}

/// A name a real build writes for a planned file glob.
fn realistic(glob: &str, version: &str) -> String {
    let mut name = glob.replace("{version}", version);
    for arch in [
        "x86_64", "aarch64", "i686", "armv7l", "ppc64le", "s390x", "ppc64", "riscv64",
    ] {
        // maturin's compound manylinux tag (legacy alias after the PEP 600 one).
        name = name.replace(
            &format!("manylinux_*_{arch}."),
            &format!("manylinux_2_17_{arch}.manylinux2014_{arch}."),
        );
        name = name.replace(
            &format!("manylinux_2_17_*{arch}."),
            &format!("manylinux_2_17_{arch}.manylinux2014_{arch}."),
        );
    }
    name = name
        .replace("macosx_*_", "macosx_11_0_")
        .replace("android_*_", "android_24_")
        .replace("pyemscripten_*_", "pyemscripten_2026_0_")
        .replace("cp3*-*-", "cp313-cp313-")
        .replace("-py*-", "-py3-");
    assert!(!name.contains('*'), "{glob} -> {name}");
    name
}

struct Gate {
    script: String,
    plan: String,
    files: Vec<(String, bool)>,
    dir: tempfile::TempDir,
}

impl Gate {
    fn new(repo: &Repo, pkg: &str, workflow: &str) -> Gate {
        let step = gate_step(repo, workflow);
        let plan = step["env"]["PLAN"].as_str().unwrap().to_string();
        let data: serde_json::Value = serde_json::from_str(&plan).unwrap();
        let version = {
            let out = repo.pyrel(&["plan", pkg, "--json"]);
            let p: serde_json::Value = serde_json::from_str(&out.expect(0).stdout()).unwrap();
            p["version"].as_str().unwrap().to_string()
        };
        let files = data["dists"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    realistic(d["file"].as_str().unwrap(), &version),
                    d["optional"].as_bool().unwrap_or(false),
                )
            })
            .collect();
        Gate {
            script: step["run"].as_str().unwrap().to_string(),
            plan,
            files,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Run the step's script (`shell: python`) on `files` in `dist/`.
    fn run(&self, files: &[String]) -> (i32, String) {
        let dist = self.dir.path().join("dist");
        let _ = std::fs::remove_dir_all(&dist);
        std::fs::create_dir_all(&dist).unwrap();
        for f in files {
            std::fs::write(dist.join(f), b"").unwrap();
        }
        let script = self.dir.path().join("gate.py");
        std::fs::write(&script, &self.script).unwrap();
        let out = Command::new(tool("python"))
            .arg(&script)
            .current_dir(self.dir.path())
            .env("PLAN", &self.plan)
            .env("DIST_DIR", "dist")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.code().unwrap_or(-1), text)
    }

    fn planned(&self) -> Vec<String> {
        self.files.iter().map(|(f, _)| f.clone()).collect()
    }
}

fn check(fixture: &str, flags: &[&str], workflow: &str) {
    let repo = Repo::fixture(fixture);
    let pkg = package_subdir(fixture);
    let mut args = vec!["init", pkg, "--yes"];
    args.extend_from_slice(flags);
    repo.pyrel(&args).expect(0);
    let gate = Gate::new(&repo, pkg, workflow);
    let planned = gate.planned();
    assert!(planned.len() >= 2, "{fixture}: {planned:?}");

    // The planned set passes.
    let (code, out) = gate.run(&planned);
    assert_eq!(code, 0, "{fixture}: {out}");
    assert!(
        out.contains(&format!("All {} distributions match", planned.len())),
        "{out}"
    );

    // Each required file missing fails, naming it.
    for (i, (file, optional)) in gate.files.iter().enumerate() {
        let mut fewer = planned.clone();
        fewer.remove(i);
        let (code, out) = gate.run(&fewer);
        if *optional {
            assert_eq!(code, 0, "{fixture}: optional {file} missing: {out}");
            assert!(out.contains("optional"), "{out}");
            continue;
        }
        assert_eq!(code, 1, "{fixture}: {file} missing passed: {out}");
        assert!(out.contains("::error::missing: no file matches"), "{out}");
        // The planned name, with the build's choices left as globs.
        let glob_named = out
            .lines()
            .filter(|l| l.contains("::error::missing"))
            .any(|l| l.contains(&format!("({})", planned_platform(&gate, i))));
        assert!(glob_named, "{fixture}: {out}");
    }

    // An unexpected wheel fails, naming it; so does a second copy of a
    // planned wheel under another platform tag.
    let version = planned
        .last()
        .unwrap()
        .trim_end_matches(".tar.gz")
        .rsplit('-')
        .next()
        .unwrap()
        .to_string();
    let name = planned
        .last()
        .unwrap()
        .rsplit_once('-')
        .unwrap()
        .0
        .to_string();
    let stray = format!("{name}-{version}-cp313-cp313t-win_arm64.whl");
    let mut more = planned.clone();
    more.push(stray.clone());
    let (code, out) = gate.run(&more);
    assert_eq!(code, 1, "{fixture}: {out}");
    assert!(
        out.contains(&format!(
            "::error::unexpected: {stray} is not in the build plan"
        )),
        "{out}"
    );
    if let Some(wheel) = planned
        .iter()
        .find(|f| f.contains("manylinux_2_17_x86_64.manylinux2014"))
    {
        let twin = wheel.replace(
            "manylinux_2_17_x86_64.manylinux2014_x86_64",
            "manylinux_2_28_x86_64",
        );
        let mut two = planned.clone();
        two.push(twin.clone());
        let (code, out) = gate.run(&two);
        assert_eq!(code, 1, "{fixture}: {out}");
        assert!(out.contains("::error::unexpected: 2 files for"), "{out}");
        assert!(out.contains(&twin), "{out}");
    }
    // An sdist from an older setuptools (name not normalised) is the sdist.
    if fixture == "abi3" {
        let mut old = planned.clone();
        *old.last_mut().unwrap() = format!("abi3-demo-{version}.tar.gz");
        let (code, out) = gate.run(&old);
        assert_eq!(code, 0, "{out}");
    }
}

fn planned_platform(gate: &Gate, i: usize) -> String {
    let data: serde_json::Value = serde_json::from_str(&gate.plan).unwrap();
    data["dists"][i]["platform"].as_str().unwrap().to_string()
}

#[test]
#[ignore = "needs python: run scripts/test.sh"]
fn gate_passes_the_plan_and_names_each_difference() {
    let wf = ".github/workflows/release.yml";
    check("abi3", &[], wf);
    check("abi3", &["--free-threaded", "--pypy"], wf);
    check("pyo3-029", &["--pypy"], wf);
    // A ppc64le wheel must not pass for the ppc64 one (or be counted twice).
    check(
        "abi3",
        &[
            "--platforms",
            "linux-ppc64,linux-ppc64le,linux-x86_64,windows-x86",
        ],
        wf,
    );
    check("bin", &[], wf);
    check("hatch", &[], wf);
    check("strust-abi3", &[], wf);
    check("strust-setup-py", &["--free-threaded", "--pypy"], wf);
    check("workspace", &[], ".github/workflows/release-wsdemo.yml");
    // The Pyodide wheel is optional (PyPI may not take its tag yet).
    check(
        "abi3",
        &["--platforms", "linux-x86_64,android-aarch64,emscripten"],
        wf,
    );
}
