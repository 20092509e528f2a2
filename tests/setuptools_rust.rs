//! setuptools-rust packages: the generated cibuildwheel workflow, read back
//! as parsed YAML (jobs, platforms, build identifiers, Rust setup, smoke
//! test), and end to end on this machine: the Linux job's build as far as it
//! goes without containers, its smoke test verbatim against the installed
//! wheel, and the sdist.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{build_step, init_fixture as init, shared_target_dir, step, tool, Repo};
use serde_yaml::Value;

fn matrix(wf: &Value, job: &str) -> Vec<Value> {
    wf["jobs"][job]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap_or_else(|| panic!("job {job} has no matrix"))
        .clone()
}

fn field(entry: &Value, key: &str) -> String {
    entry[key].as_str().unwrap_or_default().to_string()
}

fn env(wf: &Value, job: &str, key: &str) -> Option<String> {
    wf["jobs"][job]["env"][key].as_str().map(str::to_string)
}

fn step_named<'a>(wf: &'a Value, job: &str, name: &str) -> Option<&'a Value> {
    wf["jobs"][job]["steps"]
        .as_sequence()?
        .iter()
        .find(|s| s["name"].as_str() == Some(name))
}

fn pin(name: &str) -> String {
    let pins: toml_edit::DocumentMut =
        std::fs::read_to_string(common::manifest_dir().join("data/action-pins.toml"))
            .unwrap()
            .parse()
            .unwrap();
    let sha = pins["actions"][name]["sha"].as_str().unwrap();
    format!("{name}@{sha}")
}

#[test]
fn cibuildwheel_jobs_follow_the_configuration() {
    let (repo, wf) = init("strust-abi3", &[]);
    let text = repo.read(".github/workflows/release.yml");
    assert!(
        !text.contains("maturin-action"),
        "no maturin build in a setuptools-rust workflow"
    );
    let jobs: Vec<&str> = wf["jobs"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap())
        .collect();
    for job in [
        "preflight",
        "linux",
        "musllinux",
        "windows",
        "macos",
        "sdist",
        "check",
    ] {
        assert!(jobs.contains(&job), "missing job {job}: {jobs:?}");
    }
    let needs: Vec<&str> = wf["jobs"]["check"]["needs"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(needs, ["linux", "musllinux", "windows", "macos", "sdist"]);

    // The default platforms, on the same native runners as maturin's.
    let platforms: Vec<(String, String, String)> = ["linux", "musllinux", "windows", "macos"]
        .iter()
        .flat_map(|j| matrix(&wf, j))
        .map(|e| {
            (
                field(&e, "platform"),
                field(&e, "runner"),
                field(&e, "archs"),
            )
        })
        .collect();
    let want = [
        ("linux-x86_64", "ubuntu-24.04", "x86_64"),
        ("linux-aarch64", "ubuntu-24.04-arm", "aarch64"),
        ("musllinux-x86_64", "ubuntu-24.04", "x86_64"),
        ("musllinux-aarch64", "ubuntu-24.04-arm", "aarch64"),
        ("windows-x64", "windows-2025", "AMD64"),
        ("macos-x86_64", "macos-15-intel", "x86_64"),
        ("macos-aarch64", "macos-15", "arm64"),
    ];
    assert_eq!(
        platforms,
        want.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    );

    for job in ["linux", "musllinux", "windows", "macos"] {
        // abi3: one build per platform, the floor CPython.
        for e in matrix(&wf, job) {
            let build = field(&e, "build");
            assert!(
                build.starts_with("cp39-") && !build.contains(' '),
                "{job}: {build}"
            );
        }
        assert_eq!(env(&wf, job, "CIBW_BUILD").unwrap(), "${{ matrix.build }}");
        assert_eq!(env(&wf, job, "CIBW_ARCHS").unwrap(), "${{ matrix.archs }}");
        assert_eq!(
            env(&wf, job, "CIBW_TEST_COMMAND").unwrap(),
            "python -c \"import strust_abi3._native\""
        );
        let build = step_named(&wf, job, "Build the wheels").unwrap();
        assert_eq!(build["uses"].as_str().unwrap(), pin("pypa/cibuildwheel"));
        assert_eq!(build["with"]["output-dir"].as_str(), Some("dist"));
        let linux = job.contains("linux");
        // Rust inside the Linux containers; on the macOS/Windows runners.
        let before_all = env(&wf, job, "CIBW_BEFORE_ALL_LINUX");
        let rust_step = step_named(&wf, job, "Set up Rust");
        if linux {
            let before_all = before_all.unwrap();
            assert!(before_all.contains("https://sh.rustup.rs"), "{before_all}");
            assert!(env(&wf, job, "CIBW_ENVIRONMENT_LINUX")
                .unwrap()
                .contains("$HOME/.cargo/bin"));
            assert!(rust_step.is_none());
        } else {
            assert!(before_all.is_none());
            let run = rust_step.unwrap()["run"].as_str().unwrap();
            assert!(run.contains("rustup target add $RUST_TARGETS"));
            for e in matrix(&wf, job) {
                assert!(!field(&e, "rust-targets").is_empty());
            }
        }
    }
    let sdist = step_named(&wf, "sdist", "Build the sdist").unwrap();
    assert!(sdist["run"]
        .as_str()
        .unwrap()
        .contains("python -m build --sdist"));
    assert!(env(&wf, "linux", "CIBW_ENABLE").is_none());
}

#[test]
fn interpreters_images_and_families_follow_tool_pyrel() {
    let (_repo, wf) = init(
        "strust-setup-py",
        &[
            "--platforms",
            "linux-x86_64,linux-i686,musllinux-aarch64,windows-x86,windows-aarch64,macos-universal2",
            "--pypy",
            "--free-threaded",
            "--manylinux",
            "2_28",
            "--test-command",
            "python -c 'import strust_setup; assert strust_setup.add(1, 2) == 3'",
        ],
    );
    let linux = matrix(&wf, "linux");
    let x86_64 = field(&linux[0], "build");
    // requires-python >= 3.10 up to 3.15, free-threaded 3.14t and 3.15t,
    // PyPy 3.11 (the interpreter table, src/build_plan/interpreters.rs).
    assert_eq!(
        x86_64,
        "cp310-manylinux_* cp311-manylinux_* cp312-manylinux_* cp313-manylinux_* \
         cp314-manylinux_* cp315-manylinux_* cp314t-manylinux_* cp315t-manylinux_* \
         pp311-manylinux_*"
    );
    assert_eq!(field(&linux[1], "archs"), "i686");
    assert_eq!(env(&wf, "linux", "CIBW_ENABLE").as_deref(), Some("pypy"));
    assert_eq!(
        env(&wf, "linux", "CIBW_MANYLINUX_X86_64_IMAGE").as_deref(),
        Some("manylinux_2_28")
    );
    // No PyPy for musllinux, Windows x86/arm64 or universal2.
    let musl = field(&matrix(&wf, "musllinux")[0], "build");
    assert!(musl.contains("cp310-musllinux_*") && !musl.contains("pp"));
    let windows = matrix(&wf, "windows");
    assert_eq!(field(&windows[0], "archs"), "x86");
    assert_eq!(field(&windows[0], "rust-targets"), "i686-pc-windows-msvc");
    // Windows on Arm has CPython from 3.11 on.
    assert!(field(&windows[1], "build").starts_with("cp311-win*"));
    assert_eq!(field(&windows[1], "archs"), "ARM64");
    let mac = &matrix(&wf, "macos")[0];
    assert_eq!(field(mac, "archs"), "universal2");
    assert_eq!(
        field(mac, "rust-targets"),
        "aarch64-apple-darwin x86_64-apple-darwin"
    );
    // The smoke test then the extra tests, as cibuildwheel's test command;
    // the tests from the root of the checkout ({project}), as RELEASING.md
    // says.
    assert_eq!(
        env(&wf, "macos", "CIBW_TEST_COMMAND").as_deref(),
        Some(
            "python -c \"import strust_setup._speedups\" && cd {project} && \
             python -c 'import strust_setup; assert strust_setup.add(1, 2) == 3'"
        )
    );
    // Rust's macOS floor, as cibuildwheel's FAQ (Building Rust wheels) says.
    assert_eq!(
        env(&wf, "macos", "CIBW_ENVIRONMENT_MACOS").as_deref(),
        Some("MACOSX_DEPLOYMENT_TARGET=10.12")
    );
}

#[test]
fn abi3_with_free_threaded_is_refused() {
    let repo = Repo::fixture("strust-abi3");
    let out = repo.pyrel(&["init", ".", "--yes", "--free-threaded"]);
    out.expect(2);
    assert!(out.stderr().contains("free-threaded"), "{}", out.stderr());
    assert!(!repo.path().join(".github").exists());
}

#[test]
fn platforms_cibuildwheel_cannot_build_natively_are_refused() {
    let repo = Repo::fixture("strust-abi3");
    let out = repo.pyrel(&[
        "init",
        ".",
        "--yes",
        "--platforms",
        "linux-x86_64,android-aarch64",
    ]);
    out.expect(2);
    assert!(out.stderr().contains("android-aarch64"), "{}", out.stderr());
    assert!(!repo.path().join(".github").exists());
}

/// An existing cibuildwheel workflow (the hand-written style in
/// tests/fixtures/workflows) is adopted: its platforms and interpreter
/// families become `[tool.pyrel]` answers; for an abi3 package the
/// free-threaded build it had is dropped with the reason.
#[test]
fn an_existing_cibuildwheel_workflow_is_adopted() {
    let old = std::fs::read_to_string(
        common::manifest_dir().join("tests/fixtures/workflows/cibuildwheel.yml"),
    )
    .unwrap();
    for (fixture, free_threaded) in [("strust-setup-py", true), ("strust-abi3", false)] {
        let repo = Repo::fixture(fixture);
        repo.write(".github/workflows/cibuildwheel.yml", &old);
        if !free_threaded {
            // Dropping what the old workflow built needs consent.
            let refused = repo.pyrel(&["init", ".", "--yes"]);
            refused.expect(1);
            assert!(
                refused.stderr().contains("--allow-drop"),
                "{}",
                refused.stderr()
            );
        }
        let out = repo.pyrel(&["init", ".", "--yes", "--allow-drop"]);
        out.expect(0);
        let doc: toml_edit::DocumentMut = repo.read("pyproject.toml").parse().unwrap();
        let pyrel = &doc["tool"]["pyrel"];
        let platforms: Vec<&str> = pyrel["platforms"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            platforms,
            [
                "linux-x86_64",
                "musllinux-x86_64",
                "linux-aarch64",
                "musllinux-aarch64",
                "windows-x64",
                "windows-x86",
                "macos-x86_64",
                "macos-aarch64"
            ],
            "[{fixture}]"
        );
        assert_eq!(pyrel["pypy"].as_bool(), Some(true), "[{fixture}]");
        assert_eq!(
            pyrel
                .get("free-threaded")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            free_threaded,
            "[{fixture}]"
        );
        if !free_threaded {
            assert!(
                out.stderr().contains("setuptools refuses an abi3"),
                "[{fixture}] {}",
                out.stderr()
            );
        }
        let wf: Value = serde_yaml::from_str(&repo.read(".github/workflows/release.yml")).unwrap();
        assert_eq!(matrix(&wf, "windows").len(), 2, "[{fixture}]");
    }
}

// ---------------------------------------------------------------------------
// End to end.

fn files_in(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    out.retain(|p| p.to_string_lossy().ends_with(suffix));
    out.sort();
    out
}

/// A workflow `run:` step: its script under `bash -e`, its `env:`, the
/// repository as working directory, the tool venv's python first on PATH.
fn run_step(fixture: &str, repo: &Repo, wf: &Value, job: &str, name: &str) {
    let s = step_named(wf, job, name).unwrap_or_else(|| panic!("no step {name}"));
    let python = tool("python");
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-c", s["run"].as_str().unwrap()])
        .current_dir(repo.path());
    for (k, v) in s["env"].as_mapping().unwrap() {
        cmd.env(k.as_str().unwrap(), v.as_str().unwrap());
    }
    let path = format!(
        "{}:{}",
        python.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    cmd.env("PATH", path);
    step(fixture, name, &mut cmd);
}

fn run_e2e(fixture: &str, wheel_tag: &str) {
    let (repo, wf) = init(fixture, &[]);
    let python = tool("python");
    let target = shared_target_dir();
    let linux = &matrix(&wf, "linux")[0];
    assert_eq!(field(linux, "platform"), "linux-x86_64");
    let package_dir = step_named(&wf, "linux", "Build the wheels").unwrap()["with"]["package-dir"]
        .as_str()
        .unwrap()
        .to_string();

    // 1. What cibuildwheel runs in the manylinux container (`python -m build
    // --wheel`), here with the pinned setuptools-rust of the tool venv and
    // this machine's Rust instead of the container's; no auditwheel repair.
    let wheelhouse = repo.path().join("wheelhouse");
    build_step(
        fixture,
        "python -m build --wheel (the Linux job's build)",
        Command::new(&python)
            .args(["-m", "build", "--wheel", "--no-isolation", "--outdir"])
            .arg(&wheelhouse)
            .arg(repo.path().join(&package_dir))
            .env("CARGO_TARGET_DIR", &target),
    );
    let wheels = files_in(&wheelhouse, ".whl");
    assert_eq!(wheels.len(), 1, "[{fixture}] {wheels:?}");
    let name = wheels[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.contains(wheel_tag),
        "[{fixture}] {name} lacks {wheel_tag}"
    );
    if !wheel_tag.contains("abi3") {
        assert!(!name.contains("abi3"), "[{fixture}] {name} is abi3");
    }
    // The wheel is the plan's linux-x86_64 wheel for this interpreter.
    common::assert_wheel_in_plan(&repo, ".", "linux-x86_64", &name);
    // The identifier this interpreter builds is one the job selects.
    let tag = name.split('-').nth(2).unwrap().to_string();
    let selected = field(linux, "build");
    if tag != "cp39" {
        assert!(
            selected
                .split(' ')
                .any(|s| s == format!("{tag}-manylinux_*")),
            "[{fixture}] {tag} is not in CIBW_BUILD {selected}"
        );
    } else {
        assert_eq!(selected, "cp39-manylinux_*");
    }

    // What `pyrel inspect` said is what setuptools-rust built: the
    // distribution name and version in METADATA, and the extension module
    // at the path `extension_module` names.
    let facts: serde_json::Value =
        serde_json::from_str(&repo.pyrel(&["inspect", ".", "--json"]).stdout()).unwrap();
    let listing = step(
        fixture,
        "read the wheel",
        Command::new(&python)
            .args([
                "-c",
                "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint('\\n'.join(z.namelist()))\nm = [n for n in z.namelist() if n.endswith('.dist-info/METADATA')][0]\nprint(z.read(m).decode())",
            ])
            .arg(&wheels[0]),
    );
    let module = facts["extension_module"]
        .as_str()
        .unwrap()
        .replace('.', "/");
    assert!(
        listing
            .lines()
            .any(|l| l.starts_with(&format!("{module}.")) && l.ends_with(".so")),
        "[{fixture}] no {module}.*.so in the wheel:\n{listing}"
    );
    let name = facts["name"].as_str().unwrap();
    let version = facts["version"].as_str().unwrap();
    assert!(
        listing.lines().any(|l| l == format!("Name: {name}")),
        "[{fixture}] {listing}"
    );
    assert!(
        listing.lines().any(|l| l == format!("Version: {version}")),
        "[{fixture}] {listing}"
    );

    // 2. cibuildwheel's test: a fresh environment with the wheel installed,
    // CIBW_TEST_COMMAND verbatim, from a directory outside the checkout.
    let venv = repo.path().join("test-venv");
    step(
        fixture,
        "python -m venv",
        Command::new(&python).args(["-m", "venv"]).arg(&venv),
    );
    step(
        fixture,
        "pip install the wheel",
        Command::new(venv.join("bin/python"))
            .args([
                "-m",
                "pip",
                "install",
                "--no-index",
                "--no-deps",
                "--disable-pip-version-check",
            ])
            .arg(&wheels[0]),
    );
    // cibuildwheel expands {project} to the project root before running it.
    let test_command = env(&wf, "linux", "CIBW_TEST_COMMAND")
        .unwrap()
        .replace("{project}", &repo.path().display().to_string());
    let elsewhere = tempfile::tempdir().unwrap();
    let path = format!(
        "{}:{}",
        venv.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    step(
        fixture,
        "CIBW_TEST_COMMAND from the workflow",
        Command::new("sh")
            .args(["-c", &test_command])
            .current_dir(elsewhere.path())
            .env("PATH", path),
    );

    // 3. The sdist job's steps verbatim, then a wheel from the sdist alone.
    run_step(fixture, &repo, &wf, "sdist", "Build the sdist");
    run_step(fixture, &repo, &wf, "sdist", "Check the sdist metadata");
    let sdists = files_in(&repo.path().join("dist"), ".tar.gz");
    assert_eq!(sdists.len(), 1, "[{fixture}] {sdists:?}");
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
                "--no-build-isolation",
                "--disable-pip-version-check",
                "-w",
            ])
            .arg(&from_sdist)
            .arg(&sdists[0])
            .env("CARGO_TARGET_DIR", &target),
    );
    let rebuilt = files_in(&from_sdist, ".whl");
    assert_eq!(rebuilt.len(), 1, "[{fixture}] no wheel from the sdist");
    step(
        fixture,
        "twine check --strict",
        Command::new(tool("twine"))
            .args(["check", "--strict"])
            .args(&wheels)
            .args(&sdists)
            .args(&rebuilt),
    );
}

#[test]
#[ignore = "needs setuptools-rust, build, twine: run scripts/test.sh"]
fn abi3_pyproject_package_end_to_end() {
    run_e2e("strust-abi3", "-cp39-abi3-linux_x86_64.whl");
}

#[test]
#[ignore = "needs setuptools-rust, build, twine: run scripts/test.sh"]
fn setup_py_package_end_to_end() {
    run_e2e("strust-setup-py", "-linux_x86_64.whl");
}
