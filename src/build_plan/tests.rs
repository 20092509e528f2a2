//! The plan for real fixtures and configurations, and the render context
//! as its projection: what the workflow builds is what the plan lists.

use super::*;
use crate::answers::{self, Key, NoPrompt, Value};
use crate::inspect;

fn project(fixture: &str) -> Project {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let mut p = inspect::inspect(&dir).unwrap();
    p.github = Some(inspect::GitHub {
        owner: "o".into(),
        repo: "r".into(),
    });
    p
}

fn config(p: &Project, flags: Vec<(Key, Value)>) -> Config {
    let answers = answers::resolve(p, Vec::new(), flags, &mut NoPrompt).unwrap();
    answers::validate(&answers, p).unwrap()
}

fn platforms(list: &str) -> (Key, Value) {
    (
        Key::Platforms,
        Value::List(list.split(',').map(str::to_string).collect()),
    )
}

fn tags(plan: &BuildPlan, platform: &str) -> Vec<String> {
    plan.platform(platform)
        .unwrap()
        .wheels
        .iter()
        .map(|w| format!("{}-{}", w.interpreter_tag, w.abi_tag))
        .collect()
}

#[test]
fn pyo3_029_plans_cpython_315_and_315t() {
    let p = project("pyo3-029");
    let plan = plan(&p, &config(&p, vec![]));
    let linux = tags(&plan, "linux-x86_64");
    assert_eq!(
        linux,
        [
            "cp310-cp310",
            "cp311-cp311",
            "cp312-cp312",
            "cp313-cp313",
            "cp314-cp314",
            "cp315-cp315",
            "cp314-cp314t",
            "cp315-cp315t"
        ]
    );
    // 3.13t is never planned: experimental, dropped by PyO3 0.29.
    assert!(!linux.iter().any(|t| t.contains("313t")));
    assert_eq!(tags(&plan, "windows-x64"), linux);
    assert!(!plan.not_built.iter().any(|n| n.what.starts_with("cp315")));
}

#[test]
fn pyo3_025_plans_no_315_and_says_why() {
    let p = project("pyo3-025");
    let plan = plan(&p, &config(&p, vec![]));
    let linux = tags(&plan, "linux-x86_64");
    assert_eq!(linux.last().unwrap(), "cp314-cp314");
    assert!(!linux.iter().any(|t| t.contains("315") || t.ends_with('t')));
    let cp315 = plan
        .not_built
        .iter()
        .find(|n| n.what.starts_with("cp315 "))
        .unwrap();
    assert_eq!(cp315.why, "PyO3 0.25 cannot build CPython 3.15");
    assert_eq!(cp315.fix.as_deref(), Some("raise pyo3 to 0.29"));
    let ft = plan
        .not_built
        .iter()
        .find(|n| n.what.starts_with("cp314t"))
        .unwrap();
    assert_eq!(ft.fix.as_deref(), Some("raise pyo3 to 0.26"));
}

#[test]
fn abi3_wheels_and_free_threaded_extras() {
    let p = project("abi3");
    let c = config(
        &p,
        vec![
            (Key::FreeThreaded, Value::Bool(true)),
            (Key::Pypy, Value::Bool(true)),
            platforms("linux-x86_64,musllinux-aarch64,windows-x64,windows-aarch64,macos-aarch64,android-aarch64,emscripten"),
        ],
    );
    let plan = plan(&p, &c);
    assert_eq!(
        tags(&plan, "linux-x86_64"),
        [
            "cp39-abi3",
            "cp314-cp314t",
            "cp315-cp315t",
            "pp311-pypy311_pp73"
        ]
    );
    // No PyPy for musllinux or Windows on Arm; Android gets no extras.
    assert_eq!(
        tags(&plan, "musllinux-aarch64"),
        ["cp39-abi3", "cp314-cp314t", "cp315-cp315t"]
    );
    assert_eq!(
        tags(&plan, "windows-aarch64"),
        ["cp39-abi3", "cp314-cp314t", "cp315-cp315t"]
    );
    assert_eq!(tags(&plan, "android-aarch64"), ["cp39-abi3"]);
    let wasm = &plan.platform("emscripten").unwrap().wheels[0];
    assert!(wasm.optional && wasm.platform_tag_varies);
    let linux = &plan.platform("linux-x86_64").unwrap().wheels[0];
    assert_eq!(linux.platform_tag, "manylinux_*_x86_64");
    assert!(linux.platform_tag_varies);
    assert_eq!(
        plan.platform("musllinux-aarch64").unwrap().wheels[0].platform_tag,
        "musllinux_1_2_aarch64"
    );
    // The gate's data never holds the version (it changes every release).
    let gate = plan.gate_json();
    assert!(!gate.contains("0.3.1"), "{gate}");
    assert!(
        gate.contains("\"file\":\"abi3_demo-{version}.tar.gz\""),
        "{gate}"
    );
    // Readable: one distribution per line, and the same data as JSON.
    let lines: Vec<&str> = gate.lines().collect();
    let wheels = plan.wheels().count();
    assert_eq!(lines.len(), wheels + 6, "{gate}");
    assert_eq!(
        lines[..3],
        ["{", "  \"name\": \"abi3_demo\",", "  \"dists\": ["]
    );
    assert!(lines[3..3 + wheels + 1]
        .iter()
        .all(|l| l.starts_with("    {\"platform\":\"") && l.matches("\"file\"").count() == 1));
    let data: serde_json::Value = serde_json::from_str(&gate).unwrap();
    assert_eq!(data["dists"].as_array().unwrap().len(), wheels + 1);
    assert_eq!(data["dists"][wheels]["platform"], "sdist");
}

/// Non-ASCII text in the gate's data is escaped: the same JSON, in ASCII.
#[test]
fn gate_json_is_ascii() {
    let text = super::ascii_only(&serde_json::to_string("é🐍\u{2028}x").unwrap());
    assert!(text.is_ascii(), "{text}");
    assert_eq!(text, "\"\\u00e9\\ud83d\\udc0d\\u2028x\"");
    let back: String = serde_json::from_str(&text).unwrap();
    assert_eq!(back, "é🐍\u{2028}x");
}

#[test]
fn manylinux_policy_sets_the_tag() {
    let p = project("abi3");
    let c = config(
        &p,
        vec![
            (Key::Manylinux, Value::Str("2_28".into())),
            platforms("linux-aarch64"),
        ],
    );
    let built = plan(&p, &c);
    let w = &built.platform("linux-aarch64").unwrap().wheels[0];
    assert_eq!(w.platform_tag, "manylinux_2_28_aarch64");
    assert!(!w.platform_tag_varies);
}

#[test]
fn pure_python_and_bin() {
    let p = project("hatch");
    let plan = plan(&p, &config(&p, vec![]));
    assert_eq!(plan.builder, Builder::PythonBuild);
    assert_eq!(tags(&plan, "any"), ["py*-none"]);
    let p = project("bin");
    let bin = super::plan(&p, &config(&p, vec![]));
    assert!(bin
        .wheels()
        .all(|(_, w)| w.interpreter_tag == "py3" && w.abi_tag == "none"));
}

#[test]
fn names_and_bounds() {
    assert_eq!(dist_name("Foo.Bar--baz"), "foo_bar_baz");
    assert_eq!(dist_name("abi3-demo"), "abi3_demo");
    assert_eq!(pyo3_minor("0.29.0"), Some(29));
    assert_eq!(pyo3_minor("^0.23"), Some(23));
    assert_eq!(pyo3_minor("=0.25.1"), Some(25));
    assert_eq!(pyo3_minor(">=0.24, <0.26"), Some(24));
    assert_eq!(pyo3_minor("1.0"), None);
    let mut p = project("pyo3-029");
    p.requires_python = Some(">=3.11, <3.14".into());
    assert_eq!(requires_python_bounds(&p), (Some(11), Some(13)));
    p.requires_python = Some(">=3.11,<=3.14".into());
    assert_eq!(requires_python_bounds(&p), (Some(11), Some(14)));
    let c = config(&p, vec![platforms("linux-x86_64")]);
    assert_eq!(
        tags(&plan(&p, &c), "linux-x86_64"),
        [
            "cp311-cp311",
            "cp312-cp312",
            "cp313-cp313",
            "cp314-cp314",
            "cp314-cp314t"
        ]
    );
}

/// The workflow builds what the plan lists: the Linux `-i` list, the
/// setup-python lists of macOS/Windows and the extra builds' `-i` lists
/// are the plan's interpreters.
#[test]
fn the_maturin_jobs_are_the_plans() {
    for (fixture, flags) in [
        ("pyo3-029", vec![(Key::Pypy, Value::Bool(true))]),
        ("pyo3-025", vec![]),
        (
            "abi3",
            vec![
                (Key::FreeThreaded, Value::Bool(true)),
                (Key::Pypy, Value::Bool(true)),
            ],
        ),
    ] {
        let p = project(fixture);
        let c = config(&p, flags);
        let built = plan(&p, &c);
        let ctx = crate::render::context::workflow(&p, &c);
        for job in &ctx.build_jobs {
            let planned = built.job(job.id).unwrap();
            let main: Vec<String> = planned.platforms[0]
                .wheels
                .iter()
                .filter(|w| !w.extra)
                .map(|w| w.python.clone())
                .collect();
            if matches!(job.id, "linux" | "musllinux") && p.abi3.is_none() {
                let listed: Vec<String> = job
                    .args
                    .split_once(" -i ")
                    .unwrap()
                    .1
                    .split_whitespace()
                    .map(|a| a.trim_start_matches("python").to_string())
                    .collect();
                assert_eq!(listed, main, "{fixture} {}", job.id);
            }
            for (entry, pp) in job.include.iter().zip(&planned.platforms) {
                assert_eq!(entry.platform, pp.platform);
                let set_up: Vec<String> = entry
                    .interpreters
                    .as_deref()
                    .map(|l| l.lines().map(str::to_string).collect())
                    .unwrap_or_default();
                assert_eq!(set_up, pp.settings.setup_python, "{fixture}");
            }
            for extra in &job.extra_builds {
                let listed: Vec<String> = extra
                    .args
                    .rsplit_once(" -i ")
                    .unwrap()
                    .1
                    .split_whitespace()
                    .map(|a| a.trim_start_matches("python").to_string())
                    .collect();
                let family = if extra.title.contains("PyPy") {
                    Family::Pypy
                } else {
                    Family::FreeThreaded
                };
                let planned: Vec<String> = planned
                    .platforms
                    .iter()
                    .flat_map(|pp| pp.wheels.iter())
                    .filter(|w| w.extra && w.family == family)
                    .map(|w| w.python.clone())
                    .fold(Vec::new(), |mut v, x| {
                        if !v.contains(&x) {
                            v.push(x);
                        }
                        v
                    });
                assert_eq!(listed, planned, "{fixture} {} {}", job.id, extra.title);
            }
        }
    }
}

/// Every platform pyrel knows gets the platform tag its builder writes
/// (PEP 425/600/656/730/738/783 spellings).
#[test]
fn platform_tags_of_every_platform() {
    let p = project("abi3");
    let all = platforms::names().join(",");
    let c = config(&p, vec![platforms(&all)]);
    let built = plan(&p, &c);
    // A ppc64le wheel is not a ppc64 one (the gate matches by glob).
    let ppc64 = &built.platform("linux-ppc64").unwrap().wheels[0].filename;
    let le = "abi3_demo-1.0-cp39-abi3-manylinux_2_17_ppc64le.manylinux2014_ppc64le.whl";
    assert!(
        !glob_matches(&ppc64.replace("{version}", "1.0"), le),
        "{ppc64}"
    );
    let tag = |name: &str| built.platform(name).unwrap().wheels[0].platform_tag.clone();
    for (name, expected) in [
        ("linux-x86_64", "manylinux_*_x86_64"),
        ("linux-i686", "manylinux_*_i686"),
        ("linux-armv7", "manylinux_*_armv7l"),
        ("linux-ppc64", "manylinux_*_ppc64"),
        ("linux-riscv64", "manylinux_*_riscv64"),
        ("musllinux-armv7", "musllinux_1_2_armv7l"),
        ("windows-x64", "win_amd64"),
        ("windows-x86", "win32"),
        ("windows-aarch64", "win_arm64"),
        ("macos-universal2", "macosx_*_universal2"),
        ("android-aarch64", "android_*_arm64_v8a"),
        ("android-x86_64", "android_*_x86_64"),
        ("emscripten", "pyemscripten_*_wasm32"),
    ] {
        assert_eq!(tag(name), expected, "{name}");
    }
    // Every chosen platform is planned, none is reported as not chosen.
    assert_eq!(
        built.wheels().filter(|(_, w)| !w.extra).count(),
        platforms::ALL.len()
    );
    assert!(!built
        .not_built
        .iter()
        .any(|n| n.what.starts_with("platforms")));
}

/// fnmatch's `*` (the gate's matching), enough for these tests.
fn glob_matches(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = parts.split_first().unwrap();
    let Some(mut tail) = name.strip_prefix(first) else {
        return false;
    };
    for (i, part) in rest.iter().enumerate() {
        if i == rest.len() - 1 {
            return tail.ends_with(part);
        }
        match tail.find(part) {
            Some(at) => tail = &tail[at + part.len()..],
            None => return false,
        }
    }
    tail.is_empty()
}
