//! cibuildwheel's configuration wherever it lives, with cibuildwheel's own
//! precedence (its "Options" documentation): `CIBW_*_<PLATFORM>` variables
//! over `CIBW_*`, over the config file (`--config-file`/`config-file:`, else
//! `[tool.cibuildwheel]` in the package's pyproject.toml), whose
//! `[tool.cibuildwheel.<platform>]` tables override its top level.
//! Defaults are those of the pinned cibuildwheel (4.x): `archs = "auto"`
//! (adds 32-bit on x86 Linux and Windows), CPython only, PyPy and GraalPy
//! only with `enable`.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use super::expr::{scalar, Scope};
use super::platform::{self, RunnerOs};
use super::steps::{add_wheels, merge_settings, Step, StepContext};
use super::{build_entry, BuildSettings, Builder, Interpreter, Reader};

/// cibuildwheel options a pyrel workflow sets itself (so the project's
/// value, wherever it lives, is replaced), and those it leaves to
/// cibuildwheel (a value in pyproject.toml keeps working; a `CIBW_*`
/// variable in the old workflow would be lost).
const SET_BY_PYREL: &[&str] = &["before-all", "environment", "test-command"];
const SETTINGS: &[&str] = &[
    "environment",
    "environment-pass",
    "before-all",
    "before-build",
    "before-test",
    "test-command",
    "test-requires",
    "test-extras",
    "repair-wheel-command",
    "build-frontend",
    "config-settings",
    "dependency-versions",
    "container-engine",
    "manylinux-x86_64-image",
    "manylinux-aarch64-image",
    "manylinux-i686-image",
    "musllinux-x86_64-image",
    "musllinux-aarch64-image",
    "musllinux-i686-image",
];

/// One cibuildwheel run: its platforms and interpreters, and the settings
/// pyrel's workflow would not carry over.
pub(super) fn build(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    dir: Option<String>,
    only: Option<String>,
    config_file: Option<String>,
) {
    ctx.built = true;
    let Some(os) = ctx.runner_os else {
        let line = ctx.job_line;
        r.problem(
            line,
            format!(
                "job `{}`: cannot tell which runner builds these wheels",
                ctx.job
            ),
        );
        return;
    };
    let os_key = match os {
        RunnerOs::Linux => "linux",
        RunnerOs::Windows => "windows",
        RunnerOs::Macos => "macos",
    };
    let file_config = read_config(r, ctx, step, dir.as_deref(), config_file.as_deref(), os_key);
    let scope = Scope {
        row: ctx.row,
        env: &step.env,
        inputs: ctx.inputs.as_ref(),
    };
    // Every option's value: env (platform, then plain) over the file.
    let mut unresolved = Vec::new();
    let mut opt = |name: &str| -> Option<(String, &'static str)> {
        let var = format!("CIBW_{}", name.to_ascii_uppercase().replace('-', "_"));
        for k in [format!("{var}_{}", os_key.to_ascii_uppercase()), var] {
            if let Some(v) = step.env.get(Value::String(k.clone())).and_then(scalar) {
                return match super::expr::resolve(&v, &scope) {
                    Ok(v) => Some((v, "env")),
                    Err(e) => {
                        unresolved.push(format!("{k} = {e}"));
                        None
                    }
                };
            }
        }
        file_config.get(name).map(|v| (v.clone(), "file"))
    };
    let archs = opt("archs").map(|v| v.0);
    let build_sel = opt("build").map(|v| v.0).unwrap_or_default();
    let skip = opt("skip").map(|v| v.0).unwrap_or_default();
    let mut enable = opt("enable").map(|v| v.0).unwrap_or_default();
    if opt("free-threaded-support").is_some_and(|v| v.0 == "1" || v.0 == "true") {
        enable.push_str(" cpython-freethreading");
    }
    let settings = carried_settings(&mut opt, os_key);
    for u in unresolved {
        if ctx.first_row {
            r.problem(
                step.line,
                format!("job `{}`: {u} cannot be resolved", ctx.job),
            );
        }
    }
    let native = ctx.runner_arch.unwrap_or(match os {
        RunnerOs::Windows => "x64",
        _ => "x86_64",
    });
    // `only: cp312-manylinux_x86_64`: exactly one wheel.
    let (platforms, build_sel, skip) = match only {
        Some(id) => {
            let Some(p) = only_platform(r, ctx, step.line, &id) else {
                return;
            };
            (vec![p], id, String::new())
        }
        None => (
            platform::cibuildwheel_platforms(os, native, archs.as_deref(), true, true),
            if build_sel.trim().is_empty() {
                "*".to_string()
            } else {
                build_sel
            },
            skip,
        ),
    };
    let b = build_entry(&mut r.cur, dir.as_deref(), None);
    b.builders.insert(Builder::Cibuildwheel);
    let selectors = Selectors {
        build: build_sel,
        skip,
        enable,
    };
    record_platforms(b, &platforms, &selectors, &settings);
}

/// The wheels a run builds, per platform: the families and versions the
/// selectors keep, with the run's settings.
fn record_platforms(
    b: &mut super::ImportedBuild,
    platforms: &[String],
    selectors: &Selectors,
    settings: &BuildSettings,
) {
    for p in platforms {
        let Some(plat_tag) = wheel_platform_tag(p) else {
            continue;
        };
        let families = selected(selectors, p, &plat_tag);
        if families.is_empty() {
            continue;
        }
        if !b.platforms.contains(p) {
            b.platforms.push(p.clone());
        }
        for (family, versions) in families {
            b.interpreters.insert(family);
            add_wheels(&mut b.wheels, p, family, versions);
        }
        merge_settings(b.settings.entry(p.clone()).or_default(), settings.clone());
    }
}

/// The settings of one run pyrel's workflow would not carry over by itself:
/// those set in the environment, and those pyrel sets (which it would
/// otherwise overwrite); installing Rust is what pyrel's job does too.
fn carried_settings(
    opt: &mut dyn FnMut(&str) -> Option<(String, &'static str)>,
    os_key: &str,
) -> BuildSettings {
    let mut settings = BuildSettings::default();
    for name in SETTINGS {
        if let Some((v, from)) = opt(name) {
            if rust_setup_only(&v) {
                continue;
            }
            if from == "env" || SET_BY_PYREL.contains(name) {
                settings
                    .cibuildwheel
                    .insert(format!("{name} ({os_key})"), v);
            }
        }
    }
    settings
}

/// `--only <identifier>`: the one platform it builds, or a problem.
fn only_platform(
    r: &mut Reader<'_>,
    ctx: &StepContext<'_>,
    line: usize,
    id: &str,
) -> Option<String> {
    let p = platform::cibuildwheel_identifier(id);
    if p.is_none() {
        r.problem(
            line,
            format!(
                "job `{}`: cibuildwheel --only {id} is not an identifier pyrel reads",
                ctx.job
            ),
        );
    }
    p
}

/// cibuildwheel's `build`, `skip` and `enable` options.
struct Selectors {
    build: String,
    skip: String,
    enable: String,
}

/// Every identifier cibuildwheel knows for this platform, kept when `build`
/// selects it, `skip` does not (fnmatch, as cibuildwheel) and `enable`
/// allows it: the interpreter families, each with the versions the
/// selectors name (none: every version cibuildwheel and requires-python
/// allow).
fn selected(sel: &Selectors, p: &str, plat_tag: &str) -> BTreeMap<Interpreter, BTreeSet<String>> {
    let (build_sel, skip, enable) = (&sel.build, &sel.skip, &sel.enable);
    let mut families: BTreeMap<Interpreter, BTreeSet<String>> = BTreeMap::new();
    for (tag, family, version, gated) in python_tags() {
        let id = format!("{tag}-{plat_tag}");
        let selected = build_sel.split_whitespace().any(|g| glob(g, &id));
        let skipped = skip.split_whitespace().any(|g| glob(g, &id));
        let enabled = match gated {
            Gate::None => true,
            Gate::Pypy => enable
                .split_whitespace()
                .any(|e| e == "pypy" || e == "pypy-eol"),
            Gate::Graalpy => enable.contains("graalpy"),
            Gate::FreeThreading => {
                enable.contains("cpython-freethreading")
                    || build_sel.split_whitespace().any(|g| {
                        g.contains('t')
                            && g.starts_with("cp")
                            && glob(g, &id)
                            && !g.starts_with('*')
                    })
            }
        };
        if !selected || skipped || !enabled || !family_exists(family, p) {
            continue;
        }
        let versions = families.entry(family).or_default();
        // Versions count when the selectors name them; `*` means every
        // version cibuildwheel and requires-python allow.
        let named = build_sel.split_whitespace().any(|g| {
            glob(g, &id)
                && !g.starts_with('*')
                && !g.contains("?")
                && !g[..g.find('-').unwrap_or(g.len())].contains('*')
        });
        if named {
            versions.insert(version.to_string());
        }
    }
    families
}

#[derive(Clone, Copy)]
enum Gate {
    None,
    Pypy,
    Graalpy,
    FreeThreading,
}

/// The Python tags of cibuildwheel's identifiers (`cp312`, `cp313t`,
/// `pp311`, `gp311_242`), with family, version and the `enable` they need.
fn python_tags() -> Vec<(String, Interpreter, String, Gate)> {
    let mut out = Vec::new();
    for minor in 8..=15 {
        out.push((
            format!("cp3{minor}"),
            Interpreter::Cpython,
            format!("3.{minor}"),
            Gate::None,
        ));
        if minor >= 13 {
            out.push((
                format!("cp3{minor}t"),
                Interpreter::FreeThreaded,
                format!("3.{minor}"),
                Gate::FreeThreading,
            ));
        }
    }
    for minor in 8..=11 {
        out.push((
            format!("pp3{minor}"),
            Interpreter::Pypy,
            format!("3.{minor}"),
            Gate::Pypy,
        ));
    }
    for (minor, release) in [(11, "242"), (12, "250")] {
        out.push((
            format!("gp3{minor}_{release}"),
            Interpreter::Graalpy,
            format!("3.{minor}"),
            Gate::Graalpy,
        ));
    }
    out
}

/// cibuildwheel's platform part of an identifier for a pyrel platform.
fn wheel_platform_tag(p: &str) -> Option<String> {
    let (family, arch) = p.split_once('-')?;
    Some(match (family, arch) {
        ("linux", a) => format!("manylinux_{a}"),
        ("musllinux", a) => format!("musllinux_{a}"),
        ("windows", "x64") => "win_amd64".into(),
        ("windows", "x86") => "win32".into(),
        ("windows", "aarch64") => "win_arm64".into(),
        ("macos", "aarch64") => "macosx_arm64".into(),
        ("macos", a) => format!("macosx_{a}"),
        _ => return None,
    })
}

/// fnmatch: `*`, `?` and `[...]` (cibuildwheel's selector syntax).
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    fn go(p: &[char], t: &[char], budget: &mut usize) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        match p.first() {
            None => t.is_empty(),
            Some('*') => (0..=t.len()).any(|i| go(&p[1..], &t[i..], budget)),
            Some('?') => !t.is_empty() && go(&p[1..], &t[1..], budget),
            Some('[') => {
                let Some(end) = p.iter().position(|c| *c == ']') else {
                    return !t.is_empty() && t[0] == '[' && go(&p[1..], &t[1..], budget);
                };
                let set = &p[1..end];
                let (negate, set) = match set.first() {
                    Some('!') => (true, &set[1..]),
                    _ => (false, set),
                };
                !t.is_empty()
                    && (set.contains(&t[0]) != negate)
                    && go(&p[end + 1..], &t[1..], budget)
            }
            Some(c) => !t.is_empty() && t[0] == *c && go(&p[1..], &t[1..], budget),
        }
    }
    go(&p, &t, &mut 100_000)
}

/// Where cibuildwheel has builds of a family (its build-platforms table):
/// PyPy and GraalPy on glibc Linux x86_64/aarch64 (PyPy also i686), macOS
/// and 64-bit Windows; CPython everywhere.
fn family_exists(family: Interpreter, platform: &str) -> bool {
    match family {
        Interpreter::Cpython | Interpreter::FreeThreaded => true,
        Interpreter::Pypy => matches!(
            platform,
            "linux-x86_64"
                | "linux-aarch64"
                | "linux-i686"
                | "macos-x86_64"
                | "macos-aarch64"
                | "windows-x64"
        ),
        Interpreter::Graalpy => matches!(
            platform,
            "linux-x86_64" | "linux-aarch64" | "macos-x86_64" | "macos-aarch64" | "windows-x64"
        ),
    }
}

/// A value that only installs Rust or puts Cargo on `PATH`.
fn rust_setup_only(v: &str) -> bool {
    let parts: Vec<&str> = v
        .split(['\n', ';'])
        .flat_map(|p| p.split("&&"))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    !parts.is_empty()
        && parts.iter().all(|p| {
            p.contains("sh.rustup.rs")
                || p.starts_with("rustup ")
                || (p.starts_with("PATH=") && p.contains(".cargo/bin"))
                || p.starts_with("source ") && p.contains(".cargo/env")
        })
}

/// The config file's options for one platform, as text (lists joined with
/// spaces, tables as `K=V` pairs for `environment`).
fn read_config(
    r: &mut Reader<'_>,
    ctx: &StepContext<'_>,
    step: &Step<'_>,
    dir: Option<&str>,
    config_file: Option<&str>,
    os_key: &str,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let dir = dir
        .map(|d| d.trim_start_matches("./").trim_end_matches('/'))
        .unwrap_or("");
    let (path, table_path): (String, &[&str]) = match config_file {
        Some(f) if !f.ends_with("pyproject.toml") => (join("", f), &[]),
        _ => (join(dir, "pyproject.toml"), &["tool", "cibuildwheel"]),
    };
    let Some((rel, text)) = r.open_local(&path) else {
        if config_file.is_some() && ctx.first_row {
            r.problem(
                step.line,
                format!(
                    "job `{}`: cibuildwheel config file {path} cannot be read",
                    ctx.job
                ),
            );
        }
        return out;
    };
    let doc: serde_json::Value = match toml_edit::de::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            let msg = e.to_string();
            r.wf.problems.push(format!(
                "{rel}:1: not valid TOML ({})",
                msg.lines().last().unwrap_or("")
            ));
            return out;
        }
    };
    let mut table = Some(&doc);
    for k in table_path {
        table = table.and_then(|t| t.get(*k));
    }
    let Some(table) = table.and_then(|t| t.as_object()) else {
        return out;
    };
    let mut put = |t: &serde_json::Map<String, serde_json::Value>, suffix: &str| {
        for (k, v) in t {
            if k == "overrides"
                || v.is_object()
                    && ["linux", "windows", "macos", "ios", "pyodide", "android"]
                        .contains(&k.as_str())
            {
                continue;
            }
            if let Some(s) = json_text(k, v) {
                out.insert(format!("{k}{suffix}"), s);
            }
        }
    };
    put(table, "");
    if let Some(t) = table.get(os_key).and_then(|v| v.as_object()) {
        put(t, "");
    }
    // Overrides select by identifier; what they change is named, not guessed.
    for o in table
        .get("overrides")
        .and_then(|o| o.as_array())
        .into_iter()
        .flatten()
    {
        let select = o
            .get("select")
            .and_then(|s| s.as_str())
            .unwrap_or("?")
            .to_string();
        if let Some(t) = o.as_object() {
            let rest: serde_json::Map<String, serde_json::Value> = t
                .iter()
                .filter(|(k, _)| *k != "select" && *k != "inherit")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            put(&rest, &format!(" [override {select}]"));
        }
    }
    out
}

fn join(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.trim_start_matches("./").to_string()
    } else {
        format!("{dir}/{}", file.trim_start_matches("./"))
    }
}

fn json_text(key: &str, v: &serde_json::Value) -> Option<String> {
    use serde_json::Value as J;
    Some(match v {
        J::String(s) => s.clone(),
        J::Number(n) => n.to_string(),
        J::Bool(b) => b.to_string(),
        J::Array(a) => a
            .iter()
            .filter_map(|x| json_text(key, x))
            .collect::<Vec<_>>()
            .join(
                if key.starts_with("before") || key.starts_with("test-command") {
                    " && "
                } else {
                    " "
                },
            ),
        J::Object(t) => t
            .iter()
            .filter_map(|(k, x)| Some(format!("{k}={}", json_text(k, x)?)))
            .collect::<Vec<_>>()
            .join(" "),
        J::Null => return None,
    })
}
