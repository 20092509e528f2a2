//! Every configuration pyrel accepts, checked against the builder tables:
//! the walk over builder × platform × manylinux policy × interpreter family
//! renders each accepted configuration, parses the workflow back and proves
//! each build row buildable (an image for its target and policy, Rust
//! installable, a platform tag PyPI takes, exactly the plan's interpreters).
//! Then one test per case of issue 23, each failing on the code before it.

use std::path::Path;

use serde_yaml::Value as Yaml;

use super::*;
use crate::answers::platforms::ALL;
use crate::answers::{self, NoPrompt, Value};
use crate::inspect::{self, GitHub};
use crate::render::context::{cibw_identifiers, interpreters, smoke_python};

fn project(fixture: &str) -> Project {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let mut p = inspect::inspect(&dir).unwrap();
    p.github = Some(GitHub {
        owner: "o".into(),
        repo: "r".into(),
    });
    p
}

fn flag(key: Key, v: &str) -> (Key, Value) {
    (key, Value::Str(v.into()))
}

fn on(key: Key, b: bool) -> (Key, Value) {
    (key, Value::Bool(b))
}

fn platforms(names: &[&str]) -> (Key, Value) {
    (
        Key::Platforms,
        Value::List(names.iter().map(|s| s.to_string()).collect()),
    )
}

/// The validated configuration, or the refusal's message.
fn configure(p: &Project, flags: Vec<(Key, Value)>) -> Result<Config, String> {
    let a = answers::resolve(p, vec![], flags, &mut NoPrompt).unwrap();
    crate::ops::validate(&a, p).map_err(|e| e.to_string())
}

struct Rendered {
    wf: Yaml,
    docs: String,
}

fn render(p: &Project, config: &Config) -> Rendered {
    let files = crate::render::render_all(p, config).expect("a validated config renders");
    Rendered {
        wf: serde_yaml::from_str(&files[0].content).unwrap(),
        docs: files[1].content.clone(),
    }
}

fn generate(p: &Project, flags: Vec<(Key, Value)>) -> (Config, Rendered) {
    let config = configure(p, flags).unwrap_or_else(|e| panic!("refused: {e}"));
    let r = render(p, &config);
    (config, r)
}

fn jobs(wf: &Yaml) -> Vec<(String, &Yaml)> {
    wf["jobs"]
        .as_mapping()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.as_str().unwrap().to_string(), v))
        .collect()
}

/// The build rows of a job's matrix (the post-publish check's rows are
/// per OS, not per platform).
fn rows(job: &Yaml) -> Vec<&Yaml> {
    job["strategy"]["matrix"]["include"]
        .as_sequence()
        .map(|s| s.iter().filter(|row| !row["platform"].is_null()).collect())
        .unwrap_or_default()
}

fn steps(job: &Yaml) -> Vec<&Yaml> {
    job["steps"].as_sequence().unwrap().iter().collect()
}

fn s<'a>(v: &'a Yaml, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

/// The interpreters after `-i` in maturin arguments.
fn dash_i(args: &str) -> Vec<String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let Some(at) = words.iter().position(|w| *w == "-i") else {
        return Vec::new();
    };
    words[at + 1..]
        .iter()
        .take_while(|w| !w.starts_with('-'))
        .map(|w| w.to_string())
        .collect()
}

fn minor(v: &str) -> Option<u32> {
    v.trim_start_matches("python")
        .trim_start_matches("cp")
        .trim_end_matches('t')
        .strip_prefix('3')
        .map(|m| m.trim_start_matches('.'))
        .and_then(|m| m.parse().ok())
}

/// Everything a generated workflow must satisfy against the tables.
fn check_rows(p: &Project, config: &Config, wf: &Yaml, what: &str) {
    let pyo3 = p
        .pyo3_version
        .as_deref()
        .and_then(crate::build_plan::pyo3_minor);
    // The newest CPython this PyO3 builds: the interpreter table.
    let newest = crate::build_plan::support(p).cpython.1;
    for (id, job) in jobs(wf) {
        for row in rows(job) {
            let name = s(row, "platform");
            let platform = crate::answers::platforms::find(name)
                .unwrap_or_else(|| panic!("{what}: unknown platform row {name}"));
            assert!(
                config.platforms.contains(&platform),
                "{what}: {name} was not chosen"
            );
            for step in steps(job) {
                let uses = s(step, "uses");
                if uses.starts_with("PyO3/maturin-action") && s(&step["with"], "command") != "sdist"
                {
                    let with = &step["with"];
                    if matches!(platform.os, Os::Linux | Os::Musllinux) {
                        let policy = match s(with, "manylinux") {
                            "${{ matrix.manylinux }}" => s(row, "manylinux"),
                            m => m,
                        };
                        assert!(
                            maturin_image(platform, policy).is_some(),
                            "{what}: {name} has no maturin-action image at {policy:?}"
                        );
                        let tag = linux_platform_tag(platform, policy).unwrap();
                        assert!(pypi_accepts(&tag), "{what}: {name} → {tag}");
                    } else {
                        assert!(with["manylinux"].is_null(), "{what}: {name}");
                    }
                    let args = s(with, "args");
                    assert!(!args.contains("--manylinux off"), "{what}");
                    let listed = dash_i(args);
                    if matches!(platform.os, Os::Linux | Os::Musllinux | Os::Macos) {
                        assert!(
                            !args.contains("--find-interpreter"),
                            "{what}: {name} must name its interpreters: {args}"
                        );
                    }
                    // Every named CPython is one this PyO3 builds, and a
                    // free-threaded one only when asked for.
                    for i in listed.iter().filter(|i| i.starts_with("python3")) {
                        let m = minor(i).unwrap();
                        assert!(
                            m <= newest,
                            "{what}: {name} builds {i} above PyO3's 3.{newest}"
                        );
                        assert!(
                            !i.ends_with('t') || config.free_threaded,
                            "{what}: {name} builds {i} with free-threaded off"
                        );
                    }
                    if listed.iter().any(|i| i.starts_with("pypy")) {
                        assert!(config.pypy && pyo3_builds_pypy311(pyo3), "{what}: {name}");
                    }
                    // The main build's list is exactly the plan's.
                    if s(step, "name") == "Build the wheels"
                        && matches!(platform.os, Os::Linux | Os::Musllinux | Os::Macos)
                        && p.abi3.is_none()
                        && !p.is_bin()
                    {
                        // Against this row's own plan, not the job's list.
                        let plan: Vec<String> = interpreters(p, platform, config.free_threaded)
                            .iter()
                            .map(|v| format!("python{v}"))
                            .collect();
                        assert_eq!(listed, plan, "{what}: {name}");
                    }
                    if platform.os == Os::Android {
                        assert_ne!(
                            s(step, "name"),
                            "Build the free-threaded wheels",
                            "{what}: Android has no free-threaded CPython"
                        );
                    }
                }
                if uses.starts_with("pypa/cibuildwheel") {
                    assert!(
                        !matches!(platform.os, Os::Linux | Os::Musllinux)
                            || rustup_installs_in_container(platform),
                        "{what}: rustup cannot install Rust for {name}"
                    );
                    let plan: Vec<String> = cibw_identifiers(p, config, platform);
                    let built: Vec<String> = s(row, "build")
                        .split_whitespace()
                        .map(|b| b.split('-').next().unwrap().to_string())
                        .collect();
                    assert_eq!(built, plan, "{what}: {name} CIBW_BUILD");
                    for b in &built {
                        if let Some(m) = minor(b).filter(|_| b.starts_with("cp")) {
                            assert!(m <= newest, "{what}: {name} builds {b}");
                        }
                        assert!(!b.ends_with('t') || config.free_threaded, "{what}: {b}");
                    }
                }
            }
            if let Some(interps) = row["interpreters"].as_str() {
                let listed: Vec<String> = interps.lines().map(str::to_string).collect();
                assert_eq!(
                    listed,
                    interpreters(p, platform, config.free_threaded),
                    "{what}: {name}"
                );
            }
        }
        let env = &job["env"];
        if let Some(env) = env.as_mapping() {
            for (k, v) in env {
                let k = k.as_str().unwrap();
                if k.starts_with("CIBW_") && k.ends_with("_IMAGE") {
                    let arch = k
                        .trim_start_matches("CIBW_MANYLINUX_")
                        .trim_start_matches("CIBW_MUSLLINUX_")
                        .trim_end_matches("_IMAGE")
                        .to_ascii_lowercase();
                    let image = v.as_str().unwrap();
                    assert!(cibw_pinned(&arch, image), "{what}: {id} {k}={image}");
                }
            }
            if id == "macos" && s(&job["env"], "CIBW_BUILD").contains("matrix") {
                let floor = cibw_macos_deployment_target(&config.platforms).unwrap();
                assert_eq!(
                    s(&job["env"], "CIBW_ENVIRONMENT_MACOS"),
                    format!("MACOSX_DEPLOYMENT_TARGET={floor}"),
                    "{what}"
                );
            }
        }
    }
    // The smoke test's Python is one the wheel supports.
    let smoke = smoke_python(p, config);
    let m = minor(&smoke).unwrap();
    if let Some(first) = config.platforms.iter().find(|p| p.native) {
        if p.abi3.is_none() && !p.is_bin() && p.builds_platform_wheels() {
            assert!(
                interpreters(p, first, false).contains(&smoke),
                "{what}: smoke Python {smoke}"
            );
        }
    }
    if let Some(a) = p.abi3.map(|a| a.minor) {
        assert!(m >= a, "{what}: smoke {smoke} below abi3 {a}");
    }
}

#[test]
fn every_accepted_configuration_builds_against_the_tables() {
    let families: Vec<Vec<(Key, Value)>> = vec![
        vec![],
        vec![on(Key::Pypy, true)],
        vec![on(Key::FreeThreaded, true)],
        vec![on(Key::FreeThreaded, false)],
    ];
    // Other spellings of these are parsed to them (tested above).
    let policies = ["auto", "2014", "2_28", "2_34"];
    let mut accepted = 0;
    let mut refused = 0;
    for fixture in ["abi3", "mixed", "bin", "strust-abi3", "strust-setup-py"] {
        let p = project(fixture);
        let names: Vec<&str> = ALL
            .iter()
            .filter(|pl| !p.is_cibuildwheel() || pl.cibuildwheel_native())
            .map(|pl| pl.name)
            .collect();
        let mut choices: Vec<Vec<&str>> = names.iter().map(|n| vec![*n]).collect();
        choices.push(names.clone());
        for chosen in &choices {
            // The policy only matters where a Linux row is built.
            let linux = chosen.iter().any(|n| n.starts_with("linux-"));
            for policy in policies.iter().take(if linux { policies.len() } else { 1 }) {
                for family in &families {
                    let mut flags = vec![platforms(chosen), flag(Key::Manylinux, policy)];
                    flags.extend(family.iter().cloned());
                    let what = format!("{fixture} {chosen:?} {policy} {family:?}");
                    match configure(&p, flags) {
                        Ok(config) => {
                            accepted += 1;
                            let r = render(&p, &config);
                            check_rows(&p, &config, &r.wf, &what);
                        }
                        Err(e) => {
                            refused += 1;
                            // The only refusals among these: an abi3
                            // setuptools-rust package cannot add 3.14t, and
                            // setuptools-rust cannot build musllinux-i686
                            // alone (no rustup installer).
                            let free_threaded =
                                fixture == "strust-abi3" && e.contains("free-threaded");
                            let musl_i686 = p.is_cibuildwheel()
                                && chosen == &["musllinux-i686"]
                                && e.contains("nothing would be built");
                            assert!(free_threaded || musl_i686, "{what}: refused: {e}");
                        }
                    }
                }
            }
        }
    }
    assert!(accepted > 700, "{accepted} accepted, {refused} refused");
}

#[test]
fn refused_policies_name_the_reason() {
    let p = project("mixed");
    for (policy, reason) in [
        ("off", "PyPI rejects"),
        ("2_31", "not a manylinux policy pyrel can build"),
        ("2_24", "not a manylinux policy pyrel can build"),
    ] {
        let e = configure(&p, vec![flag(Key::Manylinux, policy)]).unwrap_err();
        assert!(
            e.contains("manylinux") && e.contains(reason),
            "{policy}: {e}"
        );
    }
}

// Issue 23, case 1: setuptools-rust on macOS x86_64/universal2 sets the
// deployment target Rust needs, as cibuildwheel's FAQ ("Building Rust
// wheels": `MACOSX_DEPLOYMENT_TARGET = "10.12"` in the macOS environment).
#[test]
fn case_1_setuptools_rust_macos_deployment_target() {
    for fixture in ["strust-abi3", "strust-setup-py"] {
        let p = project(fixture);
        for chosen in [
            &["macos-x86_64"][..],
            &["macos-universal2"],
            &["macos-aarch64", "macos-x86_64"],
        ] {
            let (_, r) = generate(&p, vec![platforms(chosen)]);
            assert_eq!(
                s(&r.wf["jobs"]["macos"]["env"], "CIBW_ENVIRONMENT_MACOS"),
                "MACOSX_DEPLOYMENT_TARGET=10.12",
                "{fixture} {chosen:?}"
            );
        }
    }
    assert_eq!(
        rust_macos_floor(crate::answers::platforms::find("macos-x86_64").unwrap()),
        Some("10.12")
    );
    assert_eq!(
        rust_macos_floor(crate::answers::platforms::find("macos-aarch64").unwrap()),
        Some("11.0")
    );
}

// Case 2: rustup has no i686 musl installer; the row is skipped, reported.
#[test]
fn case_2_setuptools_rust_skips_musllinux_i686() {
    let p = project("strust-abi3");
    let (config, r) = generate(&p, vec![platforms(&["musllinux-x86_64", "musllinux-i686"])]);
    let names: Vec<&str> = rows(&r.wf["jobs"]["musllinux"])
        .iter()
        .map(|r| s(r, "platform"))
        .collect();
    assert_eq!(names, ["musllinux-x86_64"]);
    let notes = adaptations(&p, &config);
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("musllinux-i686: skipped")),
        "{notes:?}"
    );
    // Nothing left to build: refused.
    let e = configure(&p, vec![platforms(&["musllinux-i686"])]).unwrap_err();
    assert!(
        e.contains("musllinux-i686") && e.contains("nothing would be built"),
        "{e}"
    );
}

// Case 3: CIBW_MANYLINUX_*_IMAGE gets cibuildwheel's pinned names only.
#[test]
fn case_3_setuptools_rust_images_are_pinned_names() {
    let p = project("strust-setup-py");
    for (policy, image) in [
        ("2_17", "manylinux2014"),
        ("manylinux_2_17", "manylinux2014"),
        ("2014", "manylinux2014"),
        ("2_28", "manylinux_2_28"),
        ("2_34", "manylinux_2_34"),
    ] {
        let (_, r) = generate(
            &p,
            vec![
                flag(Key::Manylinux, policy),
                platforms(&["linux-x86_64", "linux-i686"]),
            ],
        );
        let env = &r.wf["jobs"]["linux"]["env"];
        for arch in ["X86_64", "AARCH64", "I686"] {
            assert_eq!(
                s(env, &format!("CIBW_MANYLINUX_{arch}_IMAGE")),
                image,
                "{policy}"
            );
        }
    }
    let (_, r) = generate(&p, vec![flag(Key::Manylinux, "auto")]);
    assert!(r.wf["jobs"]["linux"]["env"]["CIBW_MANYLINUX_X86_64_IMAGE"].is_null());
    assert!(configure(&p, vec![flag(Key::Manylinux, "off")]).is_err());
}

// Case 4: cross targets without an image at the chosen policy get their
// own, reported.
#[test]
fn case_4_maturin_cross_targets_get_a_policy_with_an_image() {
    let p = project("mixed");
    let chosen = [
        "linux-x86_64",
        "linux-armv7",
        "linux-ppc64le",
        "linux-s390x",
        "linux-ppc64",
        "linux-riscv64",
        "linux-i686",
    ];
    let (config, r) = generate(&p, vec![flag(Key::Manylinux, "2_34"), platforms(&chosen)]);
    let linux = &r.wf["jobs"]["linux"];
    let got: Vec<(&str, &str)> = rows(linux)
        .iter()
        .map(|r| (s(r, "platform"), s(r, "manylinux")))
        .collect();
    assert_eq!(
        got,
        [
            ("linux-x86_64", "2_34"),
            ("linux-armv7", "2_28"),
            ("linux-ppc64le", "2_28"),
            ("linux-s390x", "2_28"),
            ("linux-ppc64", "2014"),
            ("linux-riscv64", "auto"),
            ("linux-i686", "2014"),
        ]
    );
    for step in steps(linux)
        .iter()
        .filter(|st| s(st, "uses").starts_with("PyO3/maturin-action"))
    {
        assert_eq!(s(&step["with"], "manylinux"), "${{ matrix.manylinux }}");
    }
    assert_eq!(adaptations(&p, &config).len(), 6);
    // One policy for every row: the job-level input, as before.
    let (_, r) = generate(
        &p,
        vec![
            flag(Key::Manylinux, "2_28"),
            platforms(&["linux-x86_64", "linux-armv7"]),
        ],
    );
    let build = steps(&r.wf["jobs"]["linux"])
        .into_iter()
        .find(|st| s(st, "name") == "Build the wheels")
        .unwrap();
    assert_eq!(s(&build["with"], "manylinux"), "2_28");
}

// Case 5: `off` is refused (PyPI rejects linux_* wheels).
#[test]
fn case_5_manylinux_off_is_refused() {
    for fixture in ["mixed", "abi3", "strust-abi3"] {
        let e = configure(&project(fixture), vec![flag(Key::Manylinux, "off")]).unwrap_err();
        assert!(e.contains("linux_*") && e.contains("PyPI rejects"), "{e}");
    }
}

// Case 6: Linux builds name the interpreters PyO3's range allows; PyPy
// 3.11 is refused before PyO3 0.23.
#[test]
fn case_6_job_interpreters_follow_pyo3() {
    let mut p = project("mixed");
    p.pyo3_version = Some("0.23.5".into());
    let (_, r) = generate(
        &p,
        vec![platforms(&[
            "linux-x86_64",
            "musllinux-aarch64",
            "macos-aarch64",
        ])],
    );
    for job in ["linux", "musllinux", "macos"] {
        let build = steps(&r.wf["jobs"][job])
            .into_iter()
            .find(|st| s(st, "name") == "Build the wheels")
            .unwrap();
        let args = s(&build["with"], "args");
        assert!(!args.contains("--find-interpreter"), "{args}");
        assert_eq!(
            dash_i(args),
            ["python3.10", "python3.11", "python3.12", "python3.13"]
        );
    }
    p.pyo3_version = Some("0.22".into());
    let e = configure(&p, vec![on(Key::Pypy, true)]).unwrap_err();
    assert!(e.contains("PyPy 3.11") && e.contains("0.23"), "{e}");
    p.pyo3_version = Some("0.23".into());
    assert!(configure(&p, vec![on(Key::Pypy, true)]).is_ok());
}

// Case 7: the smoke test runs on a Python the wheel supports.
#[test]
fn case_7_smoke_python_is_one_the_wheel_supports() {
    let mut p = project("mixed");
    p.requires_python = Some(">=3.14".into());
    let (_, r) = generate(&p, vec![platforms(&["linux-x86_64"])]);
    let setup = steps(&r.wf["jobs"]["linux"])
        .into_iter()
        .find(|st| s(st, "name") == "Set up Python for the smoke test")
        .unwrap();
    assert_eq!(s(&setup["with"], "python-version"), "3.14");
    let mut p = project("abi3");
    p.abi3 = crate::inspect::Abi3::from_tag("cp314");
    let config = configure(&p, vec![]).unwrap();
    assert_eq!(smoke_python(&p, &config), "3.14");
    // A PyO3 that stops at 3.12 is smoke-tested on 3.12.
    let mut p = project("mixed");
    p.pyo3_version = Some("0.21".into());
    let config = configure(&p, vec![]).unwrap();
    assert_eq!(smoke_python(&p, &config), "3.12");
    // The default stays pyrel's tool Python.
    let p = project("mixed");
    assert_eq!(smoke_python(&p, &configure(&p, vec![]).unwrap()), "3.13");
}

// Case 8: test requirements are installed, and the test command runs from
// the root of the checkout on both paths, as RELEASING.md says.
#[test]
fn case_8_test_command_can_run() {
    let flags = || {
        vec![
            flag(Key::TestCommand, "pytest"),
            flag(Key::TestRequires, "pytest pytest-xdist>=3"),
        ]
    };
    let p = project("mixed");
    let (_, r) = generate(&p, flags());
    let smoke = steps(&r.wf["jobs"]["linux"])
        .into_iter()
        .find(|st| s(st, "name") == "Smoke-test the wheel")
        .unwrap();
    assert_eq!(s(&smoke["env"], "TEST_REQUIRES"), "pytest pytest-xdist>=3");
    assert!(s(smoke, "run").contains("python -m pip install \"${requirements[@]}\""));
    let test = steps(&r.wf["jobs"]["linux"])
        .into_iter()
        .find(|st| s(st, "name") == "Run the tests against the installed wheel")
        .unwrap();
    // No working-directory: the step runs at the root of the checkout.
    assert!(test["working-directory"].is_null());
    assert!(
        r.docs.contains("from the root of the checkout"),
        "{}",
        r.docs
    );
    assert!(r.docs.contains("`pytest pytest-xdist>=3` installed"));
    let p = project("strust-abi3");
    let (_, r) = generate(&p, flags());
    // cibuildwheel runs tests from a temporary directory; on Windows
    // through cmd.exe, where %TEMP% is on another drive than the checkout.
    for (job, cd) in [
        ("linux", "cd {project}"),
        ("macos", "cd {project}"),
        ("windows", "cd /d {project}"),
    ] {
        let env = &r.wf["jobs"][job]["env"];
        assert_eq!(s(env, "CIBW_TEST_REQUIRES"), "pytest pytest-xdist>=3");
        assert!(
            s(env, "CIBW_TEST_COMMAND").ends_with(&format!(" && {cd} && pytest")),
            "{job}"
        );
    }
    assert!(r.docs.contains("from the root of the checkout"));
    // Requirements are names and versions, nothing pip or a shell reads
    // otherwise.
    for bad in [
        "-r requirements.txt",
        "pytest; id",
        "./local",
        "x @ https://evil",
    ] {
        let e = configure(&project("mixed"), vec![flag(Key::TestRequires, bad)]).unwrap_err();
        assert!(e.contains("test-requires"), "{e}");
    }
}

// Case 9: non-abi3 Android builds cp314 only: reported, or refused when
// the crate cannot build 3.14.
#[test]
fn case_9_android_non_abi3() {
    let mut p = project("mixed");
    let (config, _) = generate(&p, vec![platforms(&["linux-x86_64", "android-aarch64"])]);
    assert!(adaptations(&p, &config)
        .iter()
        .any(|n| n.contains("only cp314")));
    p.pyo3_version = Some("0.24".into());
    let e = configure(&p, vec![platforms(&["android-aarch64"])]).unwrap_err();
    assert!(e.contains("android-aarch64") && e.contains("3.14"), "{e}");
    let mut p = project("mixed");
    p.requires_python = Some(">=3.15".into());
    assert!(configure(&p, vec![platforms(&["android-x86_64"])]).is_err());
    // abi3 Android is not restricted.
    let p = project("abi3");
    let (config, _) = generate(&p, vec![platforms(&["android-aarch64"])]);
    assert!(adaptations(&p, &config).is_empty());
}

// Case 10: no second (identical) free-threaded Android build for abi3;
// `--no-free-threaded` holds on Linux; the Windows smoke venv is on bash's
// PATH in POSIX form.
#[test]
fn case_10_smaller_ones() {
    let p = project("abi3");
    let (_, r) = generate(
        &p,
        vec![
            platforms(&["linux-x86_64", "android-aarch64"]),
            on(Key::FreeThreaded, true),
        ],
    );
    let titles = |job: &str| -> Vec<String> {
        steps(&r.wf["jobs"][job])
            .iter()
            .map(|st| s(st, "name").to_string())
            .collect()
    };
    assert!(titles("linux").contains(&"Build the free-threaded wheels".to_string()));
    assert!(!titles("android").contains(&"Build the free-threaded wheels".to_string()));

    let p = project("mixed");
    let (_, r) = generate(&p, vec![on(Key::FreeThreaded, false)]);
    for job in ["linux", "musllinux"] {
        for st in steps(&r.wf["jobs"][job]) {
            let args = s(&st["with"], "args");
            assert!(
                !dash_i(args).iter().any(|i| i.ends_with('t')),
                "{job}: {args}"
            );
            assert!(!args.contains("--find-interpreter"));
        }
    }

    let (_, r) = generate(
        &p,
        vec![
            platforms(&["windows-x64"]),
            flag(Key::TestCommand, "pytest"),
        ],
    );
    for st in steps(&r.wf["jobs"]["windows"]) {
        let run = s(st, "run");
        if run.contains("PATH=") {
            assert!(
                run.contains("venv=\"$(cygpath -u \"$RUNNER_TEMP\")/smoke\""),
                "{run}"
            );
            assert!(!run.contains("bin=\"$RUNNER_TEMP"), "{run}");
        }
    }
}
