//! One step of one job × matrix row, recognised by a table of recognisers
//! (`RECOGNISERS`, tried in order; the first that takes the step decides):
//! interpreters set up, toolchains and build variables set before the
//! build, the builders (maturin-action, cibuildwheel, `maturin`/`uv`/
//! `hatch`/`poetry`/... in `run:`), local composite actions, uploads and
//! GitHub releases, actions that change nothing pyrel builds, and
//! everything else, which is remembered as possibly changing the build.

use std::collections::BTreeSet;

use serde_yaml::{Mapping, Value};

use super::expr::{self, get, scalar, split_words, Row, Scope};
use super::platform::{self, RunnerOs};
use super::{
    build_entry, defaults_of, manifest_arg, parse, secret_in, set_publish, BuildSettings, Builder,
    Interpreter, MaturinArgs, PublishJob, Reader, Uploader, Wheels, MAX_DEPTH,
};

pub(super) struct StepContext<'a> {
    pub job: &'a str,
    pub job_line: usize,
    pub row: &'a Row,
    /// Workflow and job `env:`.
    pub env: &'a Mapping,
    /// A reusable workflow's or composite action's inputs.
    pub inputs: Option<Mapping>,
    pub runner_os: Option<RunnerOs>,
    pub runner_arch: Option<&'static str>,
    pub dir: Option<String>,
    pub first_row: bool,
    /// Interpreter families installed by setup-python steps so far (what
    /// `--find-interpreter` finds on macOS and Windows).
    pub installed: BTreeSet<Interpreter>,
    /// Settings steps before the build made (toolchain, `$GITHUB_ENV`).
    pub pending: BuildSettings,
    /// A build pyrel read ran in this row.
    pub built: bool,
    /// Steps before the build pyrel does not reproduce: (line, what).
    pub unread_before_build: Vec<(usize, String)>,
    /// Line of an artifact upload of distributions (`dist/`, `*.whl`).
    pub dist_upload: Option<usize>,
    /// A build step pyrel cannot import (`pip wheel`, `setup.py bdist_wheel`, ...).
    pub custom_build: Option<(usize, String)>,
    /// The image of the job's own `container:`.
    pub container: Option<String>,
    /// The job's text mentions building or publishing distributions.
    pub relevant: bool,
}

/// One step, with what every recogniser needs already read.
pub(super) struct Step<'v> {
    /// `owner/name[/path]` in lower case, without `@ref`.
    pub uses: String,
    /// The `@ref`, as written.
    pub uses_ref: String,
    pub with: Value,
    pub run: String,
    /// Workflow, job and step `env:` together.
    pub env: Mapping,
    pub dir: Option<String>,
    pub line: usize,
    pub raw: &'v Value,
}

impl Step<'_> {
    fn with_str(&self, k: &str) -> Option<String> {
        get(&self.with, k).and_then(scalar)
    }

    fn label(&self) -> String {
        if let Some(n) = get(self.raw, "name").and_then(scalar) {
            return format!("step `{n}`");
        }
        if !self.uses.is_empty() {
            return format!("action `{}`", self.uses);
        }
        let first = self.run.lines().next().unwrap_or("").trim();
        let short: String = first.chars().take(60).collect();
        format!("`{short}`")
    }
}

type Recogniser = fn(&mut Reader<'_>, &mut StepContext<'_>, &Step<'_>) -> bool;

/// Tried in order; the first that returns `true` has taken the step.
const RECOGNISERS: &[(&str, Recogniser)] = &[
    ("setup-python", setup_python),
    ("Rust toolchain action", rust_toolchain_action),
    ("maturin-action", maturin_action),
    ("cibuildwheel action", cibuildwheel_action),
    ("gh-action-pypi-publish", pypi_publish_action),
    ("GitHub release action", github_release_action),
    ("local composite action", local_action),
    ("actions that do not change the build", neutral_action),
    ("run: script", run_script),
    ("any other action", other_action),
];

/// Actions that set nothing pyrel's build would need (checkout, artifacts,
/// caches pyrel drops on purpose, tool installers, QEMU, attestations).
const NEUTRAL_ACTIONS: &[&str] = &[
    "actions/checkout",
    "actions/upload-artifact",
    "actions/download-artifact",
    "actions/cache",
    "swatinem/rust-cache",
    "mozilla-actions/sccache-action",
    "docker/setup-qemu-action",
    "docker/setup-buildx-action",
    "astral-sh/setup-uv",
    "actions/setup-node",
    "taiki-e/install-action",
    "goto-bus-stop/setup-zig",
    "mlugg/setup-zig",
    "ilammy/msvc-dev-cmd",
    "actions/attest-build-provenance",
    "actions/attest",
    "step-security/harden-runner",
    "actions/github-script",
    // pyrel's Emscripten job sets up the emsdk its Pyodide release needs.
    "emscripten-core/setup-emsdk",
    "mymindstorm/setup-emsdk",
];

/// The Rust toolchain actions and where they take the toolchain from.
const TOOLCHAIN_ACTIONS: &[&str] = &[
    "dtolnay/rust-toolchain",
    "actions-rs/toolchain",
    "actions-rust-lang/setup-rust-toolchain",
];

/// maturin-action's inputs (PyO3/maturin-action action.yml).
const MATURIN_ACTION_INPUTS: &[&str] = &[
    "command",
    "args",
    "target",
    "manylinux",
    "container",
    "docker-options",
    "rust-toolchain",
    "rustup-components",
    "working-directory",
    "before-script-linux",
    "sccache",
    "maturin-version",
];

impl Reader<'_> {
    pub(super) fn step(&mut self, ctx: &mut StepContext<'_>, raw: &Value) {
        let uses_full = get(raw, "uses").and_then(scalar).unwrap_or_default();
        let (uses, uses_ref) = match uses_full.split_once('@') {
            Some((u, r)) => (u.to_ascii_lowercase(), r.to_string()),
            None => (uses_full.to_ascii_lowercase(), String::new()),
        };
        let mut env = ctx.env.clone();
        env.extend(super::env_of(raw));
        let step = Step {
            uses,
            uses_ref,
            with: get(raw, "with").cloned().unwrap_or(Value::Null),
            run: get(raw, "run").and_then(scalar).unwrap_or_default(),
            env,
            dir: get(raw, "working-directory")
                .and_then(scalar)
                .or(ctx.dir.clone()),
            // Problems are reported from the first matrix row only.
            line: if ctx.first_row {
                super::step_line(self, ctx.job_line, raw)
            } else {
                ctx.job_line
            },
            raw,
        };
        if ctx.first_row && self.depth == 0 {
            if step.uses.ends_with("actions/checkout")
                && step.with_str("persist-credentials").as_deref() != Some("false")
            {
                self.wf.posture.persisted_credentials += 1;
            }
            if step.run.contains("${{") {
                self.wf.posture.expressions_in_run += 1;
            }
            if step.uses.ends_with("setup-python") && step.with_str("cache").is_some() {
                self.wf.posture.caches += 1;
            }
        }
        if ctx.first_row && (!step.uses.is_empty() || !step.run.is_empty()) {
            let builds = step.uses.ends_with("/maturin-action")
                || step.uses.ends_with("/cibuildwheel")
                || ["maturin", "cibuildwheel", "build", "wheel"]
                    .iter()
                    .any(|k| step.run.contains(k));
            if builds {
                let what = format!("job `{}`: {}", ctx.job, step.label());
                self.unknown_keys(step.line, &what, raw, super::STEP_KEYS);
            }
        } else if ctx.first_row && step.uses.is_empty() && step.run.is_empty() && raw.is_mapping() {
            // Neither `uses` nor `run` (a renamed key): GitHub rejects it;
            // whatever it was meant to do is unknown.
            if !ctx.built {
                ctx.unread_before_build.push((
                    step.line,
                    format!("{} (neither `uses` nor `run`)", step.label()),
                ));
            }
        }
        for v in [get(raw, "env"), get(raw, "with")].into_iter().flatten() {
            if let Some(c) = pypi_credentials(v) {
                self.cur.credentials.push((step.line, c.0, c.1));
            }
        }
        for (_, recognise) in RECOGNISERS {
            if recognise(self, ctx, &step) {
                return;
            }
        }
    }

    fn scope<'s>(&self, ctx: &'s StepContext<'_>, env: &'s Mapping) -> Scope<'s> {
        Scope {
            row: ctx.row,
            env,
            inputs: ctx.inputs.as_ref(),
        }
    }

    /// Resolve expressions in `text`; what cannot be resolved is reported
    /// (first row) and `None` returned: an unknown value is never used.
    fn resolve_or_report(
        &mut self,
        text: &str,
        ctx: &StepContext<'_>,
        step: &Step<'_>,
        what: &str,
    ) -> Option<String> {
        let scope = self.scope(ctx, &step.env);
        // Values that decide a platform: a row without them is not "native".
        // (`manylinux` only matters on Linux runners.)
        let strict = what == "target"
            || (what == "manylinux" && matches!(ctx.runner_os, Some(RunnerOs::Linux) | None));
        let resolved = if strict {
            expr::resolve_strict(text, &scope)
        } else {
            expr::resolve(text, &scope)
        };
        match resolved {
            Ok(s) => Some(s),
            Err(unresolved) => {
                if ctx.first_row || strict {
                    self.problem(
                        step.line,
                        format!("job `{}`: {what} {unresolved} cannot be resolved", ctx.job),
                    );
                }
                None
            }
        }
    }

    /// The build variables a step sees, resolved; unknown ones reported.
    fn build_env(&mut self, ctx: &StepContext<'_>, step: &Step<'_>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, v) in &step.env {
            let (Some(k), Some(v)) = (scalar(k), scalar(v)) else {
                continue;
            };
            if !is_build_variable(&k) {
                continue;
            }
            if let Some(v) = self.resolve_or_report(&v, ctx, step, &format!("env {k} =")) {
                // An empty variable (a matrix row without the value) is
                // treated as unset.
                if !v.is_empty() {
                    out.push((k, v));
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn maturin_build(
        &mut self,
        ctx: &mut StepContext<'_>,
        _step: &Step<'_>,
        builder: Builder,
        args: Option<String>,
        target: Option<Option<String>>,
        manylinux: Option<Option<String>>,
        mut settings: BuildSettings,
        dir: Option<String>,
    ) {
        ctx.built = true;
        // `None`: arguments pyrel could not resolve: no wheel is guessed.
        let Some(args) = args else {
            return;
        };
        let words = split_words(&args);
        let parsed = MaturinArgs::parse(&words);
        // `Some(None)`: the workflow names a value pyrel could not resolve;
        // never guess the runner's own architecture for it.
        if matches!(target, Some(None)) && parsed.target.is_none() {
            return;
        }
        if matches!(manylinux, Some(None)) && parsed.manylinux.is_none() {
            return;
        }
        let target = target
            .flatten()
            .filter(|t| !t.is_empty())
            .or(parsed.target.clone());
        let manylinux = manylinux
            .flatten()
            .filter(|m| !m.is_empty())
            .or(parsed.manylinux.clone());
        let platform = build_platform(ctx, &parsed, target.as_deref(), manylinux.as_deref());
        let Some(p) = platform else {
            // Every row: a later row's platform may be the unknown one.
            let line = ctx.job_line;
            self.problem(
                line,
                format!(
                    "job `{}`: cannot tell which platform this build is for",
                    ctx.job
                ),
            );
            return;
        };
        settings.maturin_args = parsed.extra();
        // maturin-action uses these in its Linux containers only.
        if !(p.starts_with("linux-") || p.starts_with("musllinux-")) {
            settings.docker_options = None;
            settings.container = None;
            settings.before_script_linux = None;
        }
        let families = build_families(ctx, &parsed);
        let b = build_entry(&mut self.cur, dir.as_deref(), parsed.manifest.clone());
        b.builders.insert(builder);
        b.sdist |= parsed.sdist;
        if !b.platforms.contains(&p) {
            b.platforms.push(p.clone());
        }
        if p.starts_with("linux-") || p.starts_with("musllinux-") {
            if let Some(m) = &manylinux {
                if p.starts_with("linux-") {
                    b.manylinux.get_or_insert_with(|| m.clone());
                }
            }
        }
        for (family, versions) in families {
            b.interpreters.insert(family);
            add_wheels(&mut b.wheels, &p, family, versions);
        }
        if let Some(extra) = &settings.maturin_args {
            b.maturin_args.get_or_insert(extra.clone());
        }
        if let Some(s) = &settings.before_script_linux {
            b.before_script_linux.get_or_insert(s.clone());
        }
        let entry = b.settings.entry(p).or_default();
        merge_settings(entry, settings);
    }
}

/// maturin-action inputs pyrel does not know (so does not import).
fn unknown_maturin_action_inputs(r: &mut Reader<'_>, ctx: &StepContext<'_>, step: &Step<'_>) {
    if let Some(with) = step.with.as_mapping() {
        for k in with.keys().filter_map(scalar) {
            if !MATURIN_ACTION_INPUTS.contains(&k.as_str()) && ctx.first_row {
                r.problem(
                    step.line,
                    format!(
                        "job `{}`: maturin-action input `{k}` is not one pyrel knows; not imported",
                        ctx.job
                    ),
                );
            }
        }
    }
}

/// A maturin-action build's settings: the pending ones, its toolchain
/// (not for Emscripten, whose toolchain is the Pyodide release's, which
/// pyrel's Emscripten job reads itself), docker options, container,
/// before-script and build variables.
fn maturin_action_settings(
    r: &mut Reader<'_>,
    ctx: &StepContext<'_>,
    step: &Step<'_>,
) -> BuildSettings {
    let mut settings = ctx.pending.clone();
    let one = |k: &str, r: &mut Reader<'_>| {
        step.with_str(k).and_then(|v| {
            r.resolve_or_report(&v, ctx, step, k)
                .filter(|v| !v.trim().is_empty())
        })
    };
    let scope = r.scope(ctx, &step.env);
    let emscripten = step
        .with_str("target")
        .and_then(|t| expr::resolve(&t, &scope).ok())
        .is_some_and(|t| t.contains("emscripten") || t.starts_with("wasm32"));
    if !emscripten {
        if let Some(t) = one("rust-toolchain", r) {
            if t != "stable" {
                settings.rust_toolchain = Some(t);
            }
        }
    }
    settings.docker_options = one("docker-options", r);
    settings.container = one("container", r);
    settings.before_script_linux = one("before-script-linux", r);
    for (k, v) in r.build_env(ctx, step) {
        settings.env.insert(k, v);
    }
    settings
}

/// The platform one maturin build is for: universal2, else from the
/// runner, the target, the manylinux policy and a matrix `*arch*` value
/// (for setup-python's architecture); `None` when it cannot be told.
fn build_platform(
    ctx: &StepContext<'_>,
    parsed: &MaturinArgs,
    target: Option<&str>,
    manylinux: Option<&str>,
) -> Option<String> {
    let python_arch = ctx
        .row
        .iter()
        .find(|(k, _)| k.as_str().is_some_and(|k| k.contains("arch")))
        .and_then(|(_, v)| scalar(v));
    let platform = if parsed.universal2 {
        Some("macos-universal2".to_string())
    } else {
        platform::maturin_platform(
            ctx.runner_os,
            ctx.runner_arch,
            target,
            manylinux,
            python_arch.as_deref(),
        )
    };
    platform.filter(|p| platform::is_clean(p))
}

/// The interpreter families (and versions) one maturin build makes: those
/// its `-i` names; with `--find-interpreter` on Windows and macOS, also
/// every one setup-python installed; else CPython.
fn build_families(
    ctx: &StepContext<'_>,
    parsed: &MaturinArgs,
) -> Vec<(Interpreter, BTreeSet<String>)> {
    let mut families: Vec<(Interpreter, BTreeSet<String>)> = parsed
        .versions
        .iter()
        .map(|(f, v)| (*f, v.clone()))
        .collect();
    if parsed.find_interpreter && matches!(ctx.runner_os, Some(RunnerOs::Windows | RunnerOs::Macos))
    {
        for i in &ctx.installed {
            if !families.iter().any(|(f, _)| f == i) {
                families.push((*i, BTreeSet::new()));
            }
        }
    }
    if families.is_empty() {
        families.push((Interpreter::Cpython, BTreeSet::new()));
    }
    families
}

pub(super) fn add_wheels(
    wheels: &mut Vec<Wheels>,
    platform: &str,
    family: Interpreter,
    versions: BTreeSet<String>,
) {
    match wheels
        .iter_mut()
        .find(|w| w.platform == platform && w.family == family)
    {
        Some(w) => w.versions.extend(versions),
        None => wheels.push(Wheels {
            platform: platform.to_string(),
            family,
            versions,
        }),
    }
}

/// The first build of a platform decides; later ones add what is missing.
pub(super) fn merge_settings(into: &mut BuildSettings, s: BuildSettings) {
    into.maturin_args = into.maturin_args.take().or(s.maturin_args);
    into.rust_toolchain = into.rust_toolchain.take().or(s.rust_toolchain);
    into.before_script_linux = into.before_script_linux.take().or(s.before_script_linux);
    into.docker_options = into.docker_options.take().or(s.docker_options);
    into.container = into.container.take().or(s.container);
    for (k, v) in s.env {
        into.env.entry(k).or_insert(v);
    }
    for (k, v) in s.cibuildwheel {
        into.cibuildwheel.entry(k).or_insert(v);
    }
}

/// Variables that change what a build produces: compiler and linker flags,
/// Cargo and maturin configuration, `*_SYS_*` crate switches, deployment
/// targets. Tokens and CI noise are not build settings.
pub(crate) fn is_build_variable(k: &str) -> bool {
    let k = k.to_ascii_uppercase();
    // Cargo's output, network and cache switches change no wheel.
    let noise = [
        "CARGO_TERM_",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_HOME",
        "CARGO_INCREMENTAL",
    ]
    .iter()
    .any(|n| k.starts_with(n));
    if noise {
        return false;
    }
    let secretish = ["TOKEN", "PASSWORD", "USERNAME", "REPOSITORY"]
        .iter()
        .any(|s| k.contains(s));
    if secretish {
        return false;
    }
    k.contains("FLAGS")
        || k.starts_with("CARGO_")
        || k.starts_with("RUSTUP_TOOLCHAIN")
        || k.starts_with("PYO3_")
        || k.contains("_SYS_")
        || k.starts_with("JEMALLOC")
        || k.starts_with("OPENSSL_")
        || k.starts_with("CMAKE_")
        || k.starts_with("PROTOC")
        || k.starts_with("LIBCLANG")
        || k.starts_with("BINDGEN")
        || k.starts_with("MACOSX_DEPLOYMENT_TARGET")
        || k.starts_with("SETUPTOOLS_RUST")
        || matches!(
            k.as_str(),
            "CC" | "CXX" | "AR" | "LD" | "RUSTC_WRAPPER" | "ZIG"
        )
}

/// `(secret name, testpypi)` when a value holds PyPI credentials.
fn pypi_credentials(v: &Value) -> Option<(Option<String>, bool)> {
    let map = v.as_mapping()?;
    for (k, val) in map {
        let key = scalar(k).unwrap_or_default().to_ascii_uppercase();
        let text = scalar(val).unwrap_or_default();
        let secret = secret_in(val);
        let credential_key = matches!(
            key.as_str(),
            "TWINE_PASSWORD"
                | "MATURIN_PYPI_TOKEN"
                | "MATURIN_PASSWORD"
                | "UV_PUBLISH_TOKEN"
                | "UV_PUBLISH_PASSWORD"
                | "FLIT_PASSWORD"
                | "PDM_PUBLISH_PASSWORD"
                | "HATCH_INDEX_AUTH"
        ) || key.starts_with("POETRY_PYPI_TOKEN")
            || key.starts_with("POETRY_HTTP_BASIC_PYPI");
        let pypi_secret = secret
            .as_deref()
            .is_some_and(|s| s.to_ascii_uppercase().contains("PYPI"));
        if (credential_key && !text.is_empty()) || pypi_secret {
            let testpypi = key.contains("TEST")
                || secret
                    .as_deref()
                    .is_some_and(|s| s.to_ascii_uppercase().contains("TEST"));
            return Some((secret, testpypi));
        }
    }
    None
}

fn setup_python(_: &mut Reader<'_>, ctx: &mut StepContext<'_>, step: &Step<'_>) -> bool {
    if !step.uses.ends_with("actions/setup-python") {
        return false;
    }
    if let Some(v) = step.with_str("python-version") {
        let scope = Scope {
            row: ctx.row,
            env: &step.env,
            inputs: ctx.inputs.as_ref(),
        };
        if let Ok(v) = expr::resolve(&v, &scope) {
            let mut a = MaturinArgs::default();
            a.add_interpreters(&v.replace('\n', " "));
            ctx.installed.extend(a.versions.keys().copied());
        }
    }
    true
}

fn rust_toolchain_action(r: &mut Reader<'_>, ctx: &mut StepContext<'_>, step: &Step<'_>) -> bool {
    if !TOOLCHAIN_ACTIONS.contains(&step.uses.as_str()) {
        return false;
    }
    // dtolnay/rust-toolchain@nightly-2024-05-01 names the toolchain in its
    // ref; the others (and @master) take `toolchain:`.
    let from_ref = (step.uses == "dtolnay/rust-toolchain"
        && !step.uses_ref.is_empty()
        && step.uses_ref != "master"
        && !(step.uses_ref.len() == 40 && step.uses_ref.chars().all(|c| c.is_ascii_hexdigit())))
    .then(|| step.uses_ref.clone());
    let toolchain = step.with_str("toolchain").or(from_ref);
    if let Some(t) = toolchain {
        if let Some(t) = r.resolve_or_report(&t, ctx, step, "toolchain") {
            let t = t.trim().to_string();
            if !t.is_empty() && t != "stable" {
                ctx.pending.rust_toolchain = Some(t);
            }
        }
    }
    true
}

fn maturin_action(r: &mut Reader<'_>, ctx: &mut StepContext<'_>, step: &Step<'_>) -> bool {
    if !step.uses.ends_with("/maturin-action") {
        return false;
    }
    unknown_maturin_action_inputs(r, ctx, step);
    let command = step.with_str("command").unwrap_or_else(|| "build".into());
    let args_raw = step.with_str("args").unwrap_or_default();
    // maturin's Emscripten job passes the Pyodide release's Python, read at
    // run time: that one interpreter is pyrel's to choose, not a setting.
    let args_raw = strip_pyodide_python(&args_raw);
    let args = r.resolve_or_report(&args_raw, ctx, step, "args");
    let dir = step.with_str("working-directory").or(step.dir.clone());
    let dir = match dir {
        Some(d) => match r.resolve_or_report(&d, ctx, step, "working-directory") {
            Some(d) => Some(d),
            None => return true,
        },
        None => None,
    };
    match command.as_str() {
        "build" | "publish" => {
            if command == "publish" {
                record_publish(
                    r,
                    ctx,
                    Uploader::Maturin,
                    args.as_deref().unwrap_or(""),
                    step,
                );
            }
            let settings = maturin_action_settings(r, ctx, step);
            let target = step
                .with_str("target")
                .map(|t| r.resolve_or_report(&t, ctx, step, "target"));
            let manylinux = step
                .with_str("manylinux")
                .map(|m| r.resolve_or_report(&m, ctx, step, "manylinux"));
            r.maturin_build(
                ctx,
                step,
                Builder::MaturinAction,
                args,
                target,
                manylinux,
                settings,
                dir,
            );
        }
        "sdist" => {
            ctx.built = true;
            let b = build_entry(
                &mut r.cur,
                dir.as_deref(),
                manifest_arg(&split_words(args.as_deref().unwrap_or(""))),
            );
            b.sdist = true;
            b.builders.insert(Builder::MaturinAction);
        }
        "upload" => record_publish(
            r,
            ctx,
            Uploader::Maturin,
            args.as_deref().unwrap_or(""),
            step,
        ),
        other => {
            if ctx.first_row && !other.starts_with("list") {
                r.problem(
                    step.line,
                    format!(
                        "job `{}`: maturin-action command `{other}` is not one pyrel reads",
                        ctx.job
                    ),
                );
            }
        }
    }
    true
}

/// `-i python${{ env.PYTHON_VERSION }}` (maturin generate-ci's Emscripten
/// job) without the interpreter.
fn strip_pyodide_python(args: &str) -> String {
    let words: Vec<&str> = args.split(' ').collect();
    let mut out: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i] == "-i"
            && words
                .get(i + 1)
                .is_some_and(|w| w.contains("PYTHON_VERSION") && w.contains("${{"))
        {
            i += 2;
            continue;
        }
        out.push(words[i]);
        i += 1;
    }
    out.join(" ")
}

fn cibuildwheel_action(r: &mut Reader<'_>, ctx: &mut StepContext<'_>, step: &Step<'_>) -> bool {
    if !(step.uses.ends_with("/cibuildwheel") || step.uses == "pypa/cibuildwheel") {
        return false;
    }
    let dir = step
        .with_str("package-dir")
        .or(step.dir.clone())
        .and_then(|d| r.resolve_or_report(&d, ctx, step, "package-dir"));
    let only = step
        .with_str("only")
        .and_then(|o| r.resolve_or_report(&o, ctx, step, "only"));
    let config_file = step
        .with_str("config-file")
        .and_then(|c| r.resolve_or_report(&c, ctx, step, "config-file"));
    super::cibw::build(r, ctx, step, dir, only, config_file);
    true
}

fn pypi_publish_action(r: &mut Reader<'_>, ctx: &mut StepContext<'_>, step: &Step<'_>) -> bool {
    if !step.uses.ends_with("gh-action-pypi-publish") {
        return false;
    }
    let url = step
        .with_str("repository-url")
        .or_else(|| step.with_str("repository_url"))
        .unwrap_or_default();
    let p = PublishJob {
        job: ctx.job.to_string(),
        line: ctx.job_line,
        step_line: step.line,
        testpypi: url.contains("test.pypi.org"),
        uploader: Uploader::PypiPublishAction,
        environment: None,
        secret: secret_in(&step.with)
            .or_else(|| secret_in(get(step.raw, "env").unwrap_or(&Value::Null))),
        trusted: false,
    };
    set_publish(&mut r.cur.publish, p);
    true
}

fn github_release_action(r: &mut Reader<'_>, _: &mut StepContext<'_>, step: &Step<'_>) -> bool {
    if step.uses.contains("action-gh-release")
        || step.uses.ends_with("ncipollo/release-action")
        || step.uses.ends_with("svenstaro/upload-release-action")
    {
        r.cur.github_release = true;
        return true;
    }
    false
}

/// `uses: ./path`: a composite action's steps run as this job's steps, with
/// the inputs this step passes.
fn local_action(r: &mut Reader<'_>, ctx: &mut StepContext<'_>, step: &Step<'_>) -> bool {
    if !step.uses.starts_with("./") {
        return false;
    }
    let full = get(step.raw, "uses").and_then(scalar).unwrap_or_default();
    let dir = full
        .trim_start_matches("./")
        .trim_end_matches('/')
        .to_string();
    let opened = r
        .open_local(&format!("{dir}/action.yml"))
        .or_else(|| r.open_local(&format!("{dir}/action.yaml")));
    let unread = |r: &mut Reader<'_>, ctx: &mut StepContext<'_>, why: &str| {
        if ctx.first_row {
            let label = step.label();
            ctx.unread_before_build
                .push((step.line, format!("{label} ({why})")));
        }
        let _ = r;
    };
    let Some((rel, text)) = opened else {
        unread(r, ctx, "a local action pyrel cannot open");
        return true;
    };
    if r.depth >= MAX_DEPTH {
        unread(r, ctx, "local actions nested too deep");
        return true;
    }
    let mut problems = Vec::new();
    let Some(doc) = parse(&rel, &text, &mut problems) else {
        r.wf.problems.extend(problems);
        unread(r, ctx, "not valid YAML");
        return true;
    };
    let runs = get(&doc, "runs");
    let composite = runs
        .and_then(|r| get(r, "using"))
        .and_then(scalar)
        .is_some_and(|u| u == "composite");
    let Some(steps) = runs
        .filter(|_| composite)
        .and_then(|r| get(r, "steps"))
        .and_then(Value::as_sequence)
    else {
        unread(r, ctx, "not a composite action");
        return true;
    };
    // Inputs: the action's defaults, then what this step passes.
    let mut inputs = defaults_of(Some(&doc));
    if let Some(with) = step.with.as_mapping() {
        for (k, v) in with {
            let value = match scalar(v) {
                Some(s) if s.contains("${{") => {
                    let scope = Scope {
                        row: ctx.row,
                        env: &step.env,
                        inputs: ctx.inputs.as_ref(),
                    };
                    match expr::evaluate(&s, &scope).to_yaml() {
                        Some(v) => v,
                        None => continue,
                    }
                }
                _ => v.clone(),
            };
            inputs.insert(k.clone(), value);
        }
    }
    let saved_inputs = ctx.inputs.replace(inputs);
    let saved_line = ctx.job_line;
    let cur = std::mem::take(&mut r.cur);
    let mut sub = Reader {
        file: &rel,
        text: &text,
        root: r.root,
        wf: &mut *r.wf,
        inputs: None,
        depth: r.depth + 1,
        cur,
    };
    ctx.job_line = 1;
    for s in steps {
        sub.step(ctx, s);
    }
    let cur = std::mem::take(&mut sub.cur);
    r.cur = cur;
    ctx.job_line = saved_line;
    ctx.inputs = saved_inputs;
    true
}

fn neutral_action(r: &mut Reader<'_>, ctx: &mut StepContext<'_>, step: &Step<'_>) -> bool {
    // Tool installers, caches, logins and disk cleanups change no wheel: a
    // missing tool fails the build loudly instead.
    let name = step.uses.rsplit('/').next().unwrap_or("");
    let installer = step.uses.contains('/')
        && (name.starts_with("setup-")
            || name.starts_with("install")
            || name.contains("cache")
            || name.ends_with("login-action")
            || name.contains("free-disk-space"));
    if step.uses.is_empty()
        || !(installer || NEUTRAL_ACTIONS.iter().any(|a| step.uses.starts_with(a)))
    {
        return false;
    }
    if step.uses == "actions/upload-artifact" {
        let path = step
            .with_str("path")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let name = step
            .with_str("name")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let dists = path
            .split(['/', '\n', ' '])
            .any(|seg| matches!(seg, "dist" | "wheelhouse" | "wheels") || seg.ends_with(".whl"))
            || name.contains("wheel");
        if dists {
            ctx.dist_upload.get_or_insert(step.line);
        }
    }
    let _ = r;
    true
}

fn other_action(_: &mut Reader<'_>, ctx: &mut StepContext<'_>, step: &Step<'_>) -> bool {
    if step.uses.is_empty() {
        return false;
    }
    if !ctx.built && ctx.first_row {
        ctx.unread_before_build.push((step.line, step.label()));
    }
    true
}

/// Commands that change nothing the build produces (installing tools,
/// printing, moving around, version checks).
const NEUTRAL_COMMANDS: &[&str] = &[
    "pip",
    "pip3",
    "pipx",
    "python",
    "python3",
    "py",
    "echo",
    "printf",
    "ls",
    "cat",
    "mkdir",
    "cd",
    "pwd",
    "set",
    "which",
    "rustc",
    "cargo",
    "rustup",
    "git",
    "sudo",
    "apt-get",
    "apt",
    "yum",
    "dnf",
    "apk",
    "brew",
    "choco",
    "npm",
    "env",
    "du",
    "df",
    "uname",
    "find",
    "test",
    "[",
    "if",
    "then",
    "else",
    "elif",
    "fi",
    "for",
    "do",
    "done",
    "true",
    ":",
    "shopt",
    "uv",
    "export",
    "source",
    ".",
    "tree",
    "file",
    "sha256sum",
    "shasum",
    "wc",
    "head",
    "tail",
    "twine",
    "maturin",
    "cibuildwheel",
    "gh",
    "hatch",
    "poetry",
    "pdm",
    "flit",
    "unzip",
    "zipinfo",
    "auditwheel",
    "delocate-listdeps",
    "ccache",
    "sccache",
    "docker",
];

/// One command of a `run:` script, split into shell words.
struct Command<'c> {
    text: &'c str,
    words: Vec<&'c str>,
}

impl Command<'_> {
    fn pos(&self, w: &str) -> Option<usize> {
        self.words.iter().position(|x| *x == w)
    }

    /// Whether the word after position `i` is `w`.
    fn after(&self, i: usize, w: &str) -> bool {
        self.words.get(i + 1) == Some(&w)
    }
}

/// Build variables a script `export`s, for the build commands after them
/// in the same step.
type LocalEnv = Vec<(String, String)>;

/// Reads one kind of command, returning whether the command is of its kind
/// (then no later recogniser sees it).
type CommandRecogniser =
    fn(&mut Reader<'_>, &mut StepContext<'_>, &Step<'_>, &Command<'_>, &mut LocalEnv) -> bool;

/// The commands of `run:` scripts pyrel reads, in the order they are
/// tried; a command none recognises is checked by `unread_command`.
const COMMAND_RECOGNISERS: &[CommandRecogniser] = &[
    github_env,
    export,
    rustup_installer,
    rustup,
    maturin,
    install,
    cibuildwheel,
    publish_tool,
    uv_build,
    tool_build,
    pypa_build,
    gh_release,
    custom_build,
];

fn run_script(r: &mut Reader<'_>, ctx: &mut StepContext<'_>, step: &Step<'_>) -> bool {
    if step.run.is_empty() {
        return false;
    }
    let mut local_env = LocalEnv::new();
    for text in super::commands(&step.run) {
        let words = split_words(&text);
        let cmd = Command {
            text: &text,
            words: words.iter().map(String::as_str).collect(),
        };
        if !COMMAND_RECOGNISERS
            .iter()
            .any(|recognise| recognise(r, ctx, step, &cmd, &mut local_env))
        {
            unread_command(ctx, step, &cmd);
        }
    }
    true
}

/// `echo "RUSTFLAGS=..." >> $GITHUB_ENV`: a build variable for the steps
/// after it.
fn github_env(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    if !cmd.text.contains("GITHUB_ENV") {
        return false;
    }
    if let Some((k, v)) = env_assignment(&cmd.words) {
        if is_build_variable(&k) {
            if let Some(v) = r.resolve_or_report(&v, ctx, step, &format!("env {k} =")) {
                ctx.pending.env.insert(k, v);
            }
        }
    }
    true
}

/// `export X=...`: a build variable for this step.
fn export(
    _: &mut Reader<'_>,
    _: &mut StepContext<'_>,
    _: &Step<'_>,
    cmd: &Command<'_>,
    local_env: &mut LocalEnv,
) -> bool {
    if cmd.words.first() != Some(&"export") {
        return false;
    }
    if let Some((k, v)) = cmd.words.get(1).and_then(|a| a.split_once('=')) {
        if is_build_variable(k) {
            local_env.push((k.to_string(), v.to_string()));
        }
    }
    true
}

/// `curl ... sh.rustup.rs | sh -s -- -y --default-toolchain nightly`.
fn rustup_installer(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    if !cmd.text.contains("sh.rustup.rs") {
        return false;
    }
    let words = &cmd.words;
    if let Some(t) = words
        .iter()
        .position(|w| *w == "--default-toolchain")
        .and_then(|i| words.get(i + 1))
    {
        if let Some(t) = r.resolve_or_report(t, ctx, step, "toolchain") {
            if t != "stable" {
                ctx.pending.rust_toolchain = Some(t);
            }
        }
    }
    true
}

/// `rustup default X`, `rustup override set X`, `rustup toolchain install X`.
fn rustup(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    let Some(i) = cmd.pos("rustup") else {
        return false;
    };
    let words = &cmd.words;
    let toolchain = match (words.get(i + 1), words.get(i + 2)) {
        (Some(&"default"), Some(t)) => Some(t),
        (Some(&"override"), Some(&"set")) => words.get(i + 3),
        (Some(&"toolchain"), Some(&"install")) => words.get(i + 3),
        _ => None,
    };
    if let Some(t) = toolchain.filter(|t| !t.starts_with('-')) {
        if let Some(t) = r.resolve_or_report(t, ctx, step, "toolchain") {
            if t != "stable"
                && (ctx.pending.rust_toolchain.is_none() || words.get(i + 1) != Some(&"toolchain"))
            {
                ctx.pending.rust_toolchain = Some(t);
            }
        }
    }
    true
}

/// `maturin build|publish|sdist|upload ...` (also `rustup run X maturin`).
fn maturin(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    cmd: &Command<'_>,
    local_env: &mut LocalEnv,
) -> bool {
    let words = &cmd.words;
    let Some(i) = words
        .iter()
        .position(|w| *w == "maturin" || w.ends_with("/maturin") || *w == "maturin.exe")
    else {
        return false;
    };
    let rest = words[i + 2.min(words.len() - i)..].join(" ");
    match words.get(i + 1).copied() {
        Some(sub @ ("build" | "publish")) => {
            if sub == "publish" {
                record_publish(r, ctx, Uploader::Maturin, &rest, step);
            }
            let args = r.resolve_or_report(&rest, ctx, step, "maturin arguments");
            let mut settings = ctx.pending.clone();
            for (k, v) in r.build_env(ctx, step) {
                settings.env.insert(k, v);
            }
            for (k, v) in local_env.iter() {
                if let Some(v) = r.resolve_or_report(v, ctx, step, &format!("env {k} =")) {
                    settings.env.insert(k.clone(), v);
                }
            }
            // `cargo +nightly`-style toolchains for maturin: `rustup run X maturin`.
            if let (Some(ri), true) = (cmd.pos("rustup"), cmd.pos("run").is_some()) {
                if let Some(t) = words.get(ri + 2) {
                    settings.rust_toolchain = Some(t.to_string());
                }
            }
            if let Some(image) = &ctx.container {
                settings.container.get_or_insert(image.clone());
            }
            let dir = step.dir.clone();
            r.maturin_build(ctx, step, Builder::Maturin, args, None, None, settings, dir);
        }
        Some("sdist") => {
            ctx.built = true;
            let b = build_entry(
                &mut r.cur,
                step.dir.as_deref(),
                manifest_arg(&split_words(&rest)),
            );
            b.sdist = true;
            b.builders.insert(Builder::Maturin);
        }
        Some("upload") => record_publish(r, ctx, Uploader::Maturin, &rest, step),
        _ => {}
    }
    true
}

/// Installing a builder (`pip install cibuildwheel`) builds nothing.
fn install(
    _: &mut Reader<'_>,
    _: &mut StepContext<'_>,
    _: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    cmd.words.contains(&"install")
}

/// `cibuildwheel [DIR] [--only ID] [--config-file FILE]`.
fn cibuildwheel(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    let words = &cmd.words;
    if !words.iter().any(|w| w.ends_with("cibuildwheel")) {
        return false;
    }
    let dir = words
        .iter()
        .skip_while(|w| !w.ends_with("cibuildwheel"))
        .skip(1)
        .scan(false, |skip, w| {
            let take = !*skip;
            *skip = matches!(
                *w,
                "--output-dir" | "--config-file" | "--platform" | "--archs" | "--only"
            );
            Some((take, *w))
        })
        .find(|(take, w)| *take && !w.starts_with('-'))
        .map(|(_, s)| s.to_string())
        .or(step.dir.clone());
    let only = words
        .iter()
        .position(|w| *w == "--only")
        .and_then(|i| words.get(i + 1))
        .map(|s| s.to_string());
    let config = words
        .iter()
        .position(|w| *w == "--config-file")
        .and_then(|i| words.get(i + 1))
        .map(|s| s.to_string());
    super::cibw::build(r, ctx, step, dir, only, config);
    true
}

/// `twine upload`, `uv publish`, `poetry publish [--build]`, `hatch
/// publish`, `pdm publish`, `flit publish`.
fn publish_tool(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    let publish = [
        ("twine", "upload", Uploader::Twine),
        ("uv", "publish", Uploader::UvPublish),
        ("poetry", "publish", Uploader::Poetry),
        ("hatch", "publish", Uploader::Hatch),
        ("pdm", "publish", Uploader::Pdm),
        ("flit", "publish", Uploader::Flit),
    ]
    .into_iter()
    .find_map(|(tool, sub, u)| cmd.pos(tool).filter(|i| cmd.after(*i, sub)).map(|i| (i, u)));
    let Some((i, uploader)) = publish else {
        return false;
    };
    let args = cmd.words[i + 2..].join(" ");
    record_publish(r, ctx, uploader, &args, step);
    // `poetry publish --build` builds too.
    if uploader == Uploader::Poetry && cmd.words.contains(&"--build") {
        python_build(r, ctx, step, Builder::PoetryBuild, None, true);
    }
    true
}

/// `uv build [DIR] [--wheel]`.
fn uv_build(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    let Some(i) = cmd.pos("uv").filter(|i| cmd.after(*i, "build")) else {
        return false;
    };
    let rest = &cmd.words[i + 2..];
    let dir = super::positional(rest, &["--out-dir", "-o", "--package", "--python", "-p"])
        .or(step.dir.clone());
    python_build(
        r,
        ctx,
        step,
        Builder::UvBuild,
        dir,
        !rest.contains(&"--wheel"),
    );
    true
}

/// `hatch build`, `poetry build`, `pdm build`, `flit build` (wheel only
/// with their wheel-only options).
fn tool_build(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    let tool_build = [
        ("hatch", Builder::HatchBuild),
        ("poetry", Builder::PoetryBuild),
        ("pdm", Builder::PdmBuild),
        ("flit", Builder::FlitBuild),
    ]
    .into_iter()
    .find_map(|(tool, b)| {
        cmd.pos(tool)
            .filter(|i| cmd.after(*i, "build"))
            .map(|i| (i, b))
    });
    let Some((i, builder)) = tool_build else {
        return false;
    };
    let rest = &cmd.words[i + 2..];
    let wheel_only = rest
        .windows(2)
        .any(|w| matches!(w, ["-t" | "--target" | "-f" | "--format", "wheel"]))
        || rest.contains(&"--no-sdist");
    python_build(r, ctx, step, builder, step.dir.clone(), !wheel_only);
    true
}

/// `python -m build`, `pipx run build`, `uvx --from build pyproject-build`.
fn pypa_build(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    let words = &cmd.words;
    let Some(i) = words
        .iter()
        .position(|w| *w == "pyproject-build")
        .or_else(|| {
            cmd.pos("build")
                .filter(|i| *i >= 1 && matches!(words[i - 1], "-m" | "run"))
        })
    else {
        return false;
    };
    let rest = &words[i + 1..];
    let dir =
        super::positional(rest, &["--outdir", "-o", "--config-setting", "-C"]).or(step.dir.clone());
    let sdist = !rest.iter().any(|w| *w == "--wheel" || *w == "-w");
    python_build(r, ctx, step, Builder::PythonBuild, dir, sdist);
    true
}

/// `gh release upload|create`: distributions attached to a GitHub release.
fn gh_release(
    r: &mut Reader<'_>,
    _: &mut StepContext<'_>,
    _: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    let Some(i) = cmd.pos("gh").filter(|i| cmd.after(*i, "release")) else {
        return false;
    };
    if matches!(cmd.words.get(i + 2), Some(&"upload") | Some(&"create")) {
        r.cur.github_release = true;
    }
    true
}

/// Distributions built another way (`setup.py bdist_wheel`, `pip wheel`, a
/// build script, a manylinux container by hand): pyrel cannot import it.
fn custom_build(
    _: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    cmd: &Command<'_>,
    _: &mut LocalEnv,
) -> bool {
    let lower = cmd.text.to_ascii_lowercase();
    let custom = lower.contains("bdist_wheel")
        || lower.contains("setup.py sdist")
        || cmd
            .words
            .windows(2)
            .any(|w| (w[0].ends_with("pip") || w[0].ends_with("pip3")) && w[1] == "wheel")
        || lower.contains("build_wheels")
        || lower.contains("build-wheels")
        || lower.contains("manylinux") && lower.contains("docker run");
    if custom && ctx.first_row {
        ctx.custom_build.get_or_insert((
            step.line,
            format!("{} (`{}`)", step.label(), short(cmd.text)),
        ));
    }
    custom
}

/// A command no recogniser reads: before the build, one that is not known
/// to be neutral, or that edits the build's inputs, is unread.
fn unread_command(ctx: &mut StepContext<'_>, step: &Step<'_>, cmd: &Command<'_>) {
    let words = &cmd.words;
    let lower = cmd.text.to_ascii_lowercase();
    let first = words.first().copied().unwrap_or("");
    // `python -m pip ...` installs; `python scripts/x.py` may change
    // what is built.
    let python_script = matches!(first, "python" | "python3" | "py")
        && !matches!(
            words.get(1).copied(),
            Some("-m" | "-V" | "--version" | "-c" | "-VV") | None
        );
    let neutral = (NEUTRAL_COMMANDS.contains(&first) && !python_script)
        || first.contains('=') && words.len() == 1;
    let modifies = lower.contains("sed -i")
        || lower.contains("perl -pi")
        || lower.contains("cargo update")
        || lower.contains("git apply")
        || lower.contains("patch ")
        || lower.contains("tomlq")
        || lower.contains("> ")
            && (lower.contains("cargo.toml") || lower.contains("pyproject.toml"));
    if (!neutral || modifies) && !ctx.built && ctx.first_row {
        ctx.unread_before_build.push((
            step.line,
            format!("{} (`{}`)", step.label(), short(cmd.text)),
        ));
    }
}

fn short(s: &str) -> String {
    let s: String = s.chars().take(60).collect();
    s
}

/// `echo "X=Y" >> "$GITHUB_ENV"` → (X, Y).
fn env_assignment(words: &[&str]) -> Option<(String, String)> {
    let i = words.iter().position(|w| *w == "echo" || *w == "printf")?;
    let assignment = words.get(i + 1)?;
    let (k, v) = assignment.split_once('=')?;
    if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some((k.to_string(), v.to_string()))
}

fn python_build(
    r: &mut Reader<'_>,
    ctx: &mut StepContext<'_>,
    step: &Step<'_>,
    builder: Builder,
    dir: Option<String>,
    sdist: bool,
) {
    ctx.built = true;
    let dir = match dir {
        Some(d) => match r.resolve_or_report(&d, ctx, step, "package directory") {
            Some(d) => Some(d),
            None => return,
        },
        None => None,
    };
    let b = build_entry(&mut r.cur, dir.as_deref(), None);
    b.builders.insert(builder);
    b.sdist |= sdist;
}

fn record_publish(
    r: &mut Reader<'_>,
    ctx: &StepContext<'_>,
    uploader: Uploader,
    args: &str,
    step: &Step<'_>,
) {
    let url_env = [
        "UV_PUBLISH_URL",
        "TWINE_REPOSITORY_URL",
        "TWINE_REPOSITORY",
        "MATURIN_REPOSITORY",
        "MATURIN_REPOSITORY_URL",
        "UV_PUBLISH_INDEX",
        "FLIT_INDEX_URL",
        "PDM_PUBLISH_REPO",
        "HATCH_INDEX_REPO",
    ]
    .iter()
    .filter_map(|k| step.env.get(Value::String(k.to_string())).and_then(scalar))
    .collect::<Vec<_>>()
    .join(" ");
    let testpypi = args.contains("test.pypi.org")
        || args.contains("testpypi")
        || url_env.contains("test.pypi.org")
        || url_env.contains("testpypi");
    let secret = secret_in(get(step.raw, "env").unwrap_or(&Value::Null))
        .or_else(|| secret_in(get(step.raw, "with").unwrap_or(&Value::Null)))
        .or_else(|| secret_in(&Value::String(args.to_string())))
        .or_else(|| {
            // Job or workflow env.
            step.env
                .iter()
                .filter(|(k, _)| {
                    scalar(k).is_some_and(|k| k.contains("PASSWORD") || k.contains("TOKEN"))
                })
                .find_map(|(_, v)| secret_in(v))
        });
    set_publish(
        &mut r.cur.publish,
        PublishJob {
            job: ctx.job.to_string(),
            line: ctx.job_line,
            step_line: step.line,
            testpypi,
            uploader,
            environment: None,
            secret,
            trusted: false,
        },
    );
}
