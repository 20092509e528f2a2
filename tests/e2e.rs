//! End to end with the real tools, on Linux x86_64: each fixture is built
//! exactly as its generated workflow would build it (the build arguments,
//! working directory and smoke-test script are read from the generated YAML,
//! not repeated here), then checked the way PyPI and users would see it.
//!
//! Run by `scripts/test.sh`; `#[ignore]`d for a bare `cargo test` because it
//! needs the pinned tools and a few minutes of compiling.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{
    assert_wheel_in_plan, build_step, manifest_dir, package_subdir, shared_target_dir, step, tool,
    Repo,
};
use serde_yaml::Value;

struct Expect {
    /// Substring every wheel name must contain (`-cp39-abi3-`).
    wheel_tag: &'static str,
    /// A path that must be inside the wheel (the extension module's location).
    wheel_member: &'static str,
}

/// The generated workflow, parsed.
fn workflow(repo: &Repo) -> Value {
    let dir = repo.path().join(".github/workflows");
    let file = std::fs::read_dir(dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    serde_yaml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn find_step<'a>(wf: &'a Value, job: &str, name: &str) -> &'a Value {
    wf["jobs"][job]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
        .unwrap_or_else(|| panic!("job {job} has no step {name:?}"))
}

fn files_in(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    out.sort();
    out
}

/// Replace `--find-interpreter` (which would scan this machine for every
/// Python), or the workflow's `-i` list of the plan's interpreters, with the
/// one interpreter the smoke test will use; that one must be in the list.
fn local_args(args: &str, python: &Path) -> Vec<String> {
    let local = Command::new(python)
        .args([
            "-c",
            "import sys; print('python%d.%d' % sys.version_info[:2])",
        ])
        .output()
        .unwrap();
    let local = String::from_utf8_lossy(&local.stdout).trim().to_string();
    let mut out = Vec::new();
    let mut listed: Option<Vec<String>> = None;
    for a in args.split_whitespace() {
        match (a, listed.as_mut()) {
            ("-i" | "--interpreter", _) => listed = Some(Vec::new()),
            (a, Some(list)) if !a.starts_with('-') => list.push(a.to_string()),
            (a, _) => {
                if let Some(list) = listed.take() {
                    assert!(list.contains(&local), "{local} is not in -i {list:?}");
                    out.extend(["--interpreter".to_string(), python.display().to_string()]);
                }
                if a == "--find-interpreter" {
                    out.push("--interpreter".into());
                    out.push(python.display().to_string());
                } else {
                    out.push(a.to_string());
                }
            }
        }
    }
    if let Some(list) = listed {
        assert!(list.contains(&local), "{local} is not in -i {list:?}");
        out.extend(["--interpreter".to_string(), python.display().to_string()]);
    }
    out
}

/// The wheel and sdist as the maturin jobs build them; returns the package
/// directory and the job whose smoke test to run.
fn build_maturin(
    fixture: &str,
    repo: &Repo,
    wf: &Value,
    python: &Path,
    target: &Path,
) -> (PathBuf, &'static str) {
    let build = &find_step(wf, "linux", "Build the wheels")["with"];
    let workdir = repo
        .path()
        .join(build["working-directory"].as_str().unwrap_or("."));
    let args = local_args(build["args"].as_str().unwrap(), python);
    build_step(
        fixture,
        "maturin build",
        Command::new(tool("maturin"))
            .arg("build")
            .args(&args)
            .current_dir(&workdir)
            .env("CARGO_TARGET_DIR", target),
    );
    let sdist = &find_step(wf, "sdist", "Build the sdist")["with"];
    step(
        fixture,
        "maturin sdist",
        Command::new(tool("maturin"))
            .arg("sdist")
            .args(sdist["args"].as_str().unwrap().split_whitespace())
            .current_dir(&workdir)
            .env("CARGO_TARGET_DIR", target),
    );
    (workdir, "linux")
}

/// The build job's script, verbatim (`python -m build`).
fn build_pure_python(
    fixture: &str,
    repo: &Repo,
    wf: &Value,
    python: &Path,
) -> (PathBuf, &'static str) {
    let build = find_step(wf, "build", "Build the distributions");
    let mut cmd = workflow_step(build, repo, python);
    step(fixture, "python -m build (workflow step)", &mut cmd);
    let pkg = build["env"]["PACKAGE_DIR"].as_str().unwrap();
    (repo.path().join(pkg), "build")
}

/// A workflow `run:` step as a command: its script under `bash -e`, its
/// `env:`, the repository as working directory, and the tool venv's
/// `python` first on PATH.
fn workflow_step(step: &Value, repo: &Repo, python: &Path) -> Command {
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-c", step["run"].as_str().unwrap()])
        .current_dir(repo.path());
    for (k, v) in step["env"].as_mapping().unwrap() {
        cmd.env(k.as_str().unwrap(), v.as_str().unwrap());
    }
    let runner_temp = repo.path().join("runner-temp");
    std::fs::create_dir_all(&runner_temp).unwrap();
    let path = format!(
        "{}:{}",
        python.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    cmd.env("RUNNER_TEMP", &runner_temp).env("PATH", path);
    cmd
}

fn run_e2e(fixture: &str, expect: Expect) {
    run_e2e_in(
        fixture,
        &Repo::fixture(fixture),
        package_subdir(fixture),
        expect,
    );
}

fn run_e2e_in(fixture: &str, repo: &Repo, pkg: &str, expect: Expect) {
    run_e2e_with(fixture, repo, pkg, &[], expect);
}

fn run_e2e_with(fixture: &str, repo: &Repo, pkg: &str, flags: &[&str], expect: Expect) {
    let mut args = vec!["init", pkg, "--yes"];
    args.extend(flags);
    repo.pyrel(&args).expect(0);
    let wf = workflow(repo);
    let python = tool("python");
    let target = shared_target_dir();

    let (workdir, smoke_job) = if wf["jobs"]["build"].is_mapping() {
        build_pure_python(fixture, repo, &wf, &python)
    } else {
        build_maturin(fixture, repo, &wf, &python, &target)
    };

    let dist = workdir.join("dist");
    let wheels = files_in(&dist, ".whl");
    let sdists = files_in(&dist, ".tar.gz");
    assert_eq!(wheels.len(), 1, "[{fixture}] wheels: {wheels:?}");
    assert_eq!(sdists.len(), 1, "[{fixture}] sdists: {sdists:?}");

    // 3. The sdist must build a wheel on its own (what pip does without a wheel).
    let from_sdist = repo.path().join("from-sdist");
    build_step(
        fixture,
        "pip wheel <sdist>",
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "wheel",
                "--no-deps",
                "--disable-pip-version-check",
                "-w",
            ])
            .arg(&from_sdist)
            .arg(&sdists[0])
            .env("CARGO_TARGET_DIR", &target),
    );
    assert_eq!(
        files_in(&from_sdist, ".whl").len(),
        1,
        "[{fixture}] no wheel from the sdist"
    );

    // 4. The metadata check the workflow runs before publishing.
    step(
        fixture,
        "twine check --strict",
        Command::new(tool("twine"))
            .args(["check", "--strict"])
            .args(&wheels)
            .args(&sdists),
    );

    // 5. The generated pyproject.toml is valid.
    step(
        fixture,
        "validate-pyproject",
        Command::new(tool("validate-pyproject")).arg(workdir.join("pyproject.toml")),
    );

    // 6. Wheel name and contents match the configuration.
    let wheel_name = wheels[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        wheel_name.contains(expect.wheel_tag),
        "[{fixture}] wheel {wheel_name} lacks the tag {}",
        expect.wheel_tag
    );
    // The wheel this build really produced is one the plan promises for
    // linux-x86_64 (or `any`, pure Python): same interpreter, ABI and arch.
    let planned_platform = if smoke_job == "build" {
        "any"
    } else {
        "linux-x86_64"
    };
    assert_wheel_in_plan(repo, pkg, planned_platform, &wheel_name);
    let listing = step(
        fixture,
        "list the wheel",
        Command::new(&python)
            .args([
                "-c",
                "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
            ])
            .arg(&wheels[0]),
    );
    assert!(
        listing.lines().any(|l| l.starts_with(expect.wheel_member)),
        "[{fixture}] wheel has no {}:\n{listing}",
        expect.wheel_member
    );

    // 7. The smoke-test step of the workflow, verbatim, against this wheel.
    let smoke = find_step(&wf, smoke_job, "Smoke-test the wheel");
    let mut cmd = workflow_step(smoke, repo, &python);
    step(fixture, "smoke test from the workflow", &mut cmd);

    // 8. With a test command, the step after it, verbatim, in the venv the
    // smoke test installed the wheel into.
    if flags.contains(&"--test-command") {
        let tests = find_step(&wf, smoke_job, "Run the tests against the installed wheel");
        let mut cmd = workflow_step(tests, repo, &python);
        step(fixture, "test command from the workflow", &mut cmd);
    }
}

/// PyO3 0.29 without abi3: the plan (and the Linux job's `-i` list) holds
/// CPython 3.10 to 3.15 and 3.14t/3.15t; here the build runs for the one
/// local CPython, and its wheel must be the plan's wheel for that CPython.
#[test]
#[ignore = "needs maturin, twine, validate-pyproject: run scripts/test.sh"]
fn pyo3_029_version_specific() {
    let out = Command::new(tool("python"))
        .args([
            "-c",
            "import sys; print('-cp%d%d-cp%d%d-' % (sys.version_info[:2] * 2))",
        ])
        .output()
        .unwrap();
    let tag = String::from_utf8_lossy(&out.stdout).trim().to_string();
    run_e2e(
        "pyo3-029",
        Expect {
            wheel_tag: Box::leak(tag.into_boxed_str()),
            wheel_member: "ft_demo/ft_demo.",
        },
    );
}

/// PyO3 0.29 without abi3 for CPython 3.15 and free-threaded 3.15t, which
/// this machine does not have (only the pinned tools' CPython): maturin
/// builds each from an interpreter description in `PYO3_CONFIG_FILE`,
/// PyO3's documented way to build without running an interpreter, which
/// maturin also reads to name and tag the wheel. A Linux extension module
/// does not link libpython, so these are real builds of the fixture's code
/// with their real tags, checked against the plan: the workflow's `-i` list
/// names both, each wheel is the plan's linux-x86_64 wheel for its
/// interpreter (file name and the WHEEL file's tag), holds the module under
/// its interpreter's extension suffix, and the free-threaded module is
/// compiled for the free-threaded ABI (it calls other C-API functions). They
/// are NOT imported: nothing here can load a CPython 3.15 module.
#[test]
#[ignore = "needs maturin: run scripts/test.sh"]
fn pyo3_029_builds_cp315_and_cp315t() {
    let fixture = "pyo3-029";
    let repo = Repo::fixture(fixture);
    repo.pyrel(&["init", ".", "--yes"]).expect(0);
    let wf = workflow(&repo);
    let build = &find_step(&wf, "linux", "Build the wheels")["with"];
    let args = build["args"].as_str().unwrap();
    // The workflow's arguments without its `-i` list: the interpreter
    // comes from the configuration file.
    let (before, interpreters) = args
        .split_once(" -i ")
        .unwrap_or_else(|| panic!("no -i list in {args:?}"));
    let listed: Vec<&str> = interpreters
        .split_whitespace()
        .take_while(|a| !a.starts_with('-'))
        .collect();
    let after: Vec<&str> = interpreters.split_whitespace().skip(listed.len()).collect();
    for python in ["python3.15", "python3.15t"] {
        assert!(listed.contains(&python), "{python} is not in -i {listed:?}");
    }

    let out = repo.pyrel(&["plan", ".", "--json"]);
    out.expect(0);
    let plan: serde_json::Value = serde_json::from_str(&out.stdout()).unwrap();
    let version = plan["version"].as_str().unwrap().to_string();
    let linux: Vec<serde_json::Value> = plan["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|j| j["platforms"].as_array().unwrap())
        .filter(|p| p["platform"] == "linux-x86_64")
        .flat_map(|p| p["wheels"].as_array().unwrap().clone())
        .collect();
    let glob = |pattern: &str, value: &str| match pattern.split_once('*') {
        Some((head, tail)) => {
            value.len() >= head.len() + tail.len()
                && value.starts_with(head)
                && value.ends_with(tail)
        }
        None => pattern == value,
    };

    let python = tool("python");
    let target = manifest_dir().join("target/e2e-cp315");
    let configs = tempfile::tempdir().unwrap();
    let dist = repo.path().join("dist");
    let mut imported_symbols = Vec::new();
    for (interp, build_flags, suffix) in [
        ("3.15", "", "cpython-315-x86_64-linux-gnu.so"),
        (
            "3.15t",
            "Py_GIL_DISABLED",
            "cpython-315t-x86_64-linux-gnu.so",
        ),
    ] {
        // The fields pyo3-build-config reads (`InterpreterConfig`): a
        // CPython 3.15 build, its pointer width and whether it disables the GIL.
        let config = configs.path().join(format!("cpython-{interp}.txt"));
        std::fs::write(
            &config,
            format!(
                "implementation=CPython\nversion=3.15\nshared=false\nabi3=false\n\
                 pointer_width=64\nbuild_flags={build_flags}\n\
                 suppress_build_script_link_lines=false\n"
            ),
        )
        .unwrap();
        let seen = files_in_or_empty(&dist);
        step(
            fixture,
            &format!("maturin build for CPython {interp}"),
            Command::new(tool("maturin"))
                .arg("build")
                .args(before.split_whitespace())
                .args(&after)
                .current_dir(repo.path())
                .env("PYO3_CONFIG_FILE", &config)
                .env("CARGO_TARGET_DIR", &target),
        );
        let wheels: Vec<PathBuf> = files_in_or_empty(&dist)
            .into_iter()
            .filter(|w| !seen.contains(w))
            .collect();
        assert_eq!(
            wheels.len(),
            1,
            "[{fixture}] {interp}: new wheels {wheels:?}"
        );
        let name = wheels[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();

        // The plan's wheel for this interpreter, by file name...
        let planned = linux
            .iter()
            .find(|w| w["python"] == interp)
            .unwrap_or_else(|| panic!("the plan has no linux-x86_64 wheel for {interp}"));
        let filename = planned["filename"]
            .as_str()
            .unwrap()
            .replace("{version}", &version);
        assert!(
            glob(&filename, &name),
            "[{fixture}] built {name}, the plan says {filename}"
        );
        // ...and by the tag the wheel declares.
        let listing = step(
            fixture,
            "read the wheel",
            Command::new(&python)
                .args([
                    "-c",
                    "import sys, zipfile\n\
                     z = zipfile.ZipFile(sys.argv[1])\n\
                     print('\\n'.join(z.namelist()))\n\
                     wheel = [n for n in z.namelist() if n.endswith('.dist-info/WHEEL')][0]\n\
                     print(z.read(wheel).decode())",
                ])
                .arg(&wheels[0]),
        );
        let tags: Vec<&str> = listing
            .lines()
            .filter_map(|l| l.strip_prefix("Tag: "))
            .collect();
        let [tag] = tags[..] else {
            panic!("[{fixture}] {name}: WHEEL tags {tags:?}");
        };
        let parts: Vec<&str> = tag.splitn(3, '-').collect();
        assert_eq!(
            (parts[0], parts[1]),
            (
                planned["interpreter_tag"].as_str().unwrap(),
                planned["abi_tag"].as_str().unwrap()
            ),
            "[{fixture}] {name}: WHEEL tag {tag}"
        );
        assert!(
            glob(planned["platform_tag"].as_str().unwrap(), parts[2])
                && name.ends_with(&format!("-{tag}.whl")),
            "[{fixture}] {name}: WHEEL tag {tag}, planned {planned}"
        );
        let module = format!("ft_demo/ft_demo.{suffix}");
        assert!(
            listing.lines().any(|l| l == module),
            "[{fixture}] {name} has no {module}:\n{listing}"
        );

        // The compiled module: no libpython (the interpreter provides the
        // C API when it loads the module), and the C-API functions it calls.
        let unpacked = configs.path().join(interp);
        step(
            fixture,
            "unpack the wheel",
            Command::new(&python)
                .args([
                    "-c",
                    "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])",
                ])
                .arg(&wheels[0])
                .arg(&unpacked),
        );
        let so = unpacked.join(&module);
        let dynamic = step(
            fixture,
            "readelf -d",
            Command::new("readelf").arg("-d").arg(&so),
        );
        assert!(
            dynamic.contains("(NEEDED)") && !dynamic.contains("libpython"),
            "[{fixture}] {module} links libpython:\n{dynamic}"
        );
        let symbols = step(
            fixture,
            "nm -D --undefined-only",
            Command::new("nm").args(["-D", "--undefined-only"]).arg(&so),
        );
        let c_api: std::collections::BTreeSet<String> = symbols
            .lines()
            .filter_map(|l| l.split_whitespace().last())
            .filter(|s| s.starts_with("Py") || s.starts_with("_Py"))
            .map(str::to_string)
            .collect();
        assert!(
            c_api.contains("PyModuleDef_Init") || c_api.contains("PyModule_Create2"),
            "[{fixture}] {module} calls no module-creation function: {c_api:?}"
        );
        imported_symbols.push(c_api);
    }
    // Built for the free-threaded ABI, not the default one renamed: PyO3
    // compiles reference counting differently without the GIL.
    let (default, free_threaded) = (&imported_symbols[0], &imported_symbols[1]);
    assert_ne!(
        default, free_threaded,
        "[{fixture}] the 3.15t module calls the same C API as the 3.15 one"
    );
}

fn files_in_or_empty(dir: &Path) -> Vec<PathBuf> {
    if dir.is_dir() {
        files_in(dir, ".whl")
    } else {
        Vec::new()
    }
}

#[test]
#[ignore = "needs maturin, twine, validate-pyproject: run scripts/test.sh"]
fn abi3_root_crate() {
    run_e2e(
        "abi3",
        Expect {
            wheel_tag: "-cp39-abi3-",
            wheel_member: "abi3_demo/abi3_demo.",
        },
    );
}

#[test]
#[ignore = "needs maturin, twine, validate-pyproject: run scripts/test.sh"]
fn mixed_layout_with_module_name() {
    run_e2e(
        "mixed",
        Expect {
            wheel_tag: "-cp311-cp311-",
            wheel_member: "mixed_pkg/_pkg.",
        },
    );
}

#[test]
#[ignore = "needs maturin, twine, validate-pyproject: run scripts/test.sh"]
fn workspace_member() {
    run_e2e(
        "workspace",
        Expect {
            wheel_tag: "-cp310-abi3-",
            wheel_member: "wsdemo/wsdemo.",
        },
    );
}

#[test]
#[ignore = "needs maturin, twine, validate-pyproject: run scripts/test.sh"]
fn bindings_python_manifest_path() {
    run_e2e(
        "bindings-python",
        Expect {
            wheel_tag: "-cp311-abi3-",
            wheel_member: "bindpy/bindpy.",
        },
    );
}

#[test]
#[ignore = "needs maturin, twine, validate-pyproject: run scripts/test.sh"]
fn bin_crate() {
    run_e2e(
        "bin",
        Expect {
            wheel_tag: "-py3-none-",
            wheel_member: "hello_bin-0.2.0.data/scripts/hello-bin",
        },
    );
}

#[test]
#[ignore = "needs build, twine, validate-pyproject: run scripts/test.sh"]
fn hatchling_src_layout() {
    run_e2e(
        "hatch",
        Expect {
            wheel_tag: "-py3-none-any",
            wheel_member: "stormcheck/__init__.py",
        },
    );
}

/// The test command runs against the installed wheel: the module it imports
/// is the one in the smoke test's venv, not the checkout's `src/`.
#[test]
#[ignore = "needs build, twine, validate-pyproject: run scripts/test.sh"]
fn test_command_runs_against_the_installed_wheel() {
    let repo = Repo::fixture("hatch");
    run_e2e_with(
        "hatch",
        &repo,
        ".",
        &[
            "--test-command",
            "python -c 'import stormcheck, sys; open(sys.argv[1], \"w\").write(stormcheck.__file__)' \"$RUNNER_TEMP/tested\"",
        ],
        Expect {
            wheel_tag: "-py3-none-any",
            wheel_member: "stormcheck/__init__.py",
        },
    );
    let imported = std::fs::read_to_string(repo.path().join("runner-temp/tested")).unwrap();
    assert!(
        imported.contains("runner-temp/smoke/lib/")
            && imported.ends_with("site-packages/stormcheck/__init__.py"),
        "the test command imported {imported}"
    );
}

#[test]
#[ignore = "needs build, twine, validate-pyproject: run scripts/test.sh"]
fn poetry_legacy_metadata() {
    run_e2e(
        "poetry",
        Expect {
            wheel_tag: "-py3-none-any",
            wheel_member: "arshai_like/_version.py",
        },
    );
}

/// The most common starting point: a fresh `maturin new --bindings pyo3`
/// project with a GitHub remote. `pyrel init` needs no flags, the generated
/// workflow validates, and the pyproject it wrote still builds.
#[test]
#[ignore = "needs maturin, actionlint, zizmor: run scripts/test.sh"]
fn maturin_new_project_without_flags() {
    let scratch = tempfile::tempdir().unwrap();
    step(
        "maturin-new",
        "maturin new",
        Command::new(tool("maturin"))
            .args(["new", "--bindings", "pyo3", "fresh-ext"])
            .current_dir(scratch.path()),
    );
    let root = scratch.path().join("fresh-ext");
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(
        root.join(".git/config"),
        "[remote \"origin\"]\n\turl = git@github.com:pyrel-fixtures/fresh-ext.git\n",
    )
    .unwrap();

    let pyrel = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_pyrel"))
            .args(args)
            .current_dir(&root)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    // `maturin new` writes no README: the strict metadata check the workflow
    // runs would reject the distributions. doctor says so, and so does init.
    let doctor = pyrel(&["doctor"]);
    assert_eq!(doctor.status.code(), Some(1));
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(report.contains("error[readme-missing]"), "{report}");
    let init = pyrel(&["init"]);
    let stderr = String::from_utf8_lossy(&init.stderr);
    assert!(init.status.success(), "pyrel init: {stderr}");
    assert!(stderr.contains("error[readme-missing]"), "{stderr}");
    // maturin's own CI.yml also publishes on tags: pyrel must say so.
    assert!(
        stderr.contains("CI.yml"),
        "no warning about CI.yml: {stderr}"
    );
    // With a README, init names it (and nothing else changes in pyproject).
    std::fs::write(
        root.join("README.md"),
        "# fresh-ext\n\nA fresh extension.\n",
    )
    .unwrap();
    let init = pyrel(&["init"]);
    assert!(init.status.success());
    let pyproject = std::fs::read_to_string(root.join("pyproject.toml")).unwrap();
    assert!(pyproject.contains("readme = \"README.md\""), "{pyproject}");
    let doctor = pyrel(&["doctor"]);
    let report = String::from_utf8_lossy(&doctor.stdout);
    assert!(!report.contains("readme"), "{report}");

    let check = Command::new(env!("CARGO_BIN_EXE_pyrel"))
        .args(["generate", "--check"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let workflow = root.join(".github/workflows/release.yml");
    step(
        "maturin-new",
        "actionlint",
        Command::new(tool("actionlint")).arg(&workflow),
    );
    let z = step(
        "maturin-new",
        "zizmor",
        Command::new(tool("zizmor"))
            .args([
                "--offline",
                "--persona=auditor",
                "--format=json",
                "--no-progress",
            ])
            .arg(&workflow),
    );
    assert!(z.trim_start().starts_with("[]"), "zizmor findings: {z}");

    step(
        "maturin-new",
        "validate-pyproject",
        Command::new(tool("validate-pyproject")).arg(root.join("pyproject.toml")),
    );
    build_step(
        "maturin-new",
        "maturin build",
        Command::new(tool("maturin"))
            .args(["build", "--release", "--out", "dist", "--interpreter"])
            .arg(tool("python"))
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", shared_target_dir()),
    );
    step(
        "maturin-new",
        "maturin sdist",
        Command::new(tool("maturin"))
            .args(["sdist", "--out", "dist"])
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", shared_target_dir()),
    );
    let dists: Vec<PathBuf> = files_in(&root.join("dist"), ".whl")
        .into_iter()
        .chain(files_in(&root.join("dist"), ".tar.gz"))
        .collect();
    assert_eq!(dists.len(), 2, "{dists:?}");
    // The workflow's own metadata check passes now.
    step(
        "maturin-new",
        "twine check --strict",
        Command::new(tool("twine"))
            .args(["check", "--strict"])
            .args(&dists),
    );
}

/// maturin's "Python first" layout (`maturin new --mixed --src`: crate in
/// `rust/`, package in `src/`, no `manifest-path`), through the same steps
/// as every fixture, with no flags.
#[test]
#[ignore = "needs maturin, twine, validate-pyproject: run scripts/test.sh"]
fn maturin_mixed_src_layout() {
    let scratch = tempfile::tempdir().unwrap();
    step(
        "mixed-src",
        "maturin new --mixed --src",
        Command::new(tool("maturin"))
            .args(["new", "--bindings", "pyo3", "--mixed", "--src", "srclayout"])
            .current_dir(scratch.path()),
    );
    let repo = Repo {
        dir: tempfile::tempdir().unwrap(),
    };
    let root = scratch.path().join("srclayout");
    for entry in ["pyproject.toml", "rust", "src"] {
        Command::new("cp")
            .args(["-r"])
            .arg(root.join(entry))
            .arg(repo.path())
            .status()
            .unwrap();
    }
    repo.write(
        "README.md",
        "# srclayout\n\nmaturin's Python-first layout.\n",
    );
    repo.write(
        ".git/config",
        "[remote \"origin\"]\n\turl = https://github.com/pyrel-fixtures/srclayout.git\n",
    );
    run_e2e_in(
        "mixed-src",
        &repo,
        ".",
        Expect {
            wheel_tag: "-cp311-cp311-",
            wheel_member: "srclayout/srclayout.cpython-311",
        },
    );
}
