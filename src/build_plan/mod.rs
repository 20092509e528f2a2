//! The build plan: from `Project` + `Config`, exactly which distributions
//! the next release will publish, which job builds each, how it is
//! smoke-tested, and what will not be published and why.
//!
//! This is the one answer to "what will this release ship?": the render
//! context projects it into the workflow (and embeds it as data for the
//! gate that compares the collected distributions before any upload),
//! `pyrel plan` prints it, and doctor reads it. Interpreter facts come from
//! `interpreters` (one table, with sources); nothing here renders text for
//! a template.
//!
//! The JSON shape (`pyrel plan --json`) is versioned by `schema_version`:
//! fields may be added within a version; renaming or removing one, or
//! changing its meaning, bumps it.

pub(crate) mod constraints;
pub(crate) mod interpreters;
pub(crate) mod smoke_containers;
#[cfg(test)]
mod tests;

use serde::Serialize;

use crate::answers::platforms::{self, Os, Platform};
use crate::answers::{python_floor, Config};
use crate::inspect::Project;
use interpreters::{Pyo3Support, NEWEST_MINOR, OLDEST_FREE_THREADED_MINOR, OLDEST_MINOR};

/// Version of the `pyrel plan --json` shape.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// What builds the distributions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Builder {
    /// `PyO3/maturin-action`, one job per OS family.
    MaturinAction,
    /// `pypa/cibuildwheel` (setuptools-rust), one job per OS family.
    Cibuildwheel,
    /// `python -m build`, one job.
    PythonBuild,
}

/// An interpreter family a wheel is built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Family {
    /// CPython with the GIL (version-specific, or abi3 from a floor).
    Cpython,
    /// Free-threaded CPython (`3.14t`).
    FreeThreaded,
    Pypy,
    /// Any Python 3 (a `bin` wheel, or a pure-Python wheel).
    Any,
}

/// One interpreter a build targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Interp {
    pub family: Family,
    /// `3.<minor>`.
    pub minor: u32,
}

impl Interp {
    pub(crate) const fn cpython(minor: u32) -> Interp {
        Interp {
            family: Family::Cpython,
            minor,
        }
    }

    /// setup-python's spelling: `3.12`, `3.14t`, `pypy3.11`.
    pub(crate) fn version(&self) -> String {
        match self.family {
            Family::FreeThreaded => format!("3.{}t", self.minor),
            Family::Pypy => format!("pypy3.{}", self.minor),
            _ => format!("3.{}", self.minor),
        }
    }

    /// The wheel's interpreter and ABI tags (version-specific builds).
    fn tags(&self) -> (String, String) {
        let m = self.minor;
        match self.family {
            Family::FreeThreaded => (format!("cp3{m}"), format!("cp3{m}t")),
            Family::Pypy => (format!("pp3{m}"), format!("pypy3{m}_pp73")),
            _ => (format!("cp3{m}"), format!("cp3{m}")),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct BuildPlan {
    pub schema_version: u32,
    /// Distribution name as written in `[project] name`.
    pub package: String,
    /// The name as it starts every file name (PEP 427/625 normalised).
    pub dist_name: String,
    /// Package directory relative to the repository root (`""` at the root).
    pub package_dir: String,
    /// The version the next release carries, when a file holds it.
    pub version: Option<String>,
    /// The tag that releases it (`<tag-prefix><version>`).
    pub tag: Option<String>,
    pub builder: Builder,
    /// The crate's PyO3 and what it can build, when it depends on PyO3.
    pub pyo3: Option<Pyo3Plan>,
    pub jobs: Vec<Job>,
    pub sdist: Sdist,
    /// What the release will not publish, and why.
    pub not_built: Vec<NotBuilt>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Pyo3Plan {
    /// The `pyo3` requirement as written in Cargo.toml.
    pub requirement: String,
    /// `0.<minor>` it resolves to at least, when pyrel can read it.
    pub minor: Option<u32>,
    /// CPython minors it builds (`[9, 15]` is 3.9 to 3.15).
    pub cpython: (u32, u32),
    pub free_threaded: Option<(u32, u32)>,
    pub pypy: Option<(u32, u32)>,
    pub abi3t: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Job {
    /// The workflow job id (`linux`, `macos`, `build`, ...).
    pub id: &'static str,
    pub builder: Builder,
    pub platforms: Vec<PlatformPlan>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlatformPlan {
    /// pyrel's platform name (`linux-x86_64`), or `any` for a pure wheel.
    pub platform: &'static str,
    pub os: Option<Os>,
    /// maturin-action `target` (or cibuildwheel's architecture).
    pub target: &'static str,
    pub runner: &'static str,
    /// Per-platform build settings.
    pub settings: Settings,
    pub wheels: Vec<Wheel>,
    pub smoke: Smoke,
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Settings {
    /// manylinux/musllinux policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// setup-python `architecture` (Windows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub python_arch: Option<&'static str>,
    /// Interpreters installed with setup-python before the main build
    /// (macOS/Windows version-specific builds).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub setup_python: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Wheel {
    pub family: Family,
    /// `3.12`, `3.14t`, `pypy3.11`; the abi3 floor for abi3 wheels; `3`
    /// for any Python 3.
    pub python: String,
    pub interpreter_tag: String,
    pub abi_tag: String,
    /// Exact, or a glob when the build chooses part of it.
    pub platform_tag: String,
    /// The build chooses part of the platform tag (glibc floor, macOS
    /// deployment target, Android API level, Pyodide ABI).
    pub platform_tag_varies: bool,
    /// What decides the floor of the platform tag, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub floor: Option<String>,
    /// The file name as a glob, `{version}` standing for the version.
    pub filename: String,
    /// The release goes on without it (a Pyodide wheel PyPI does not take
    /// yet is attached to the GitHub release only).
    pub optional: bool,
    /// Built by a second build step of the job (free-threaded next to
    /// abi3, PyPy), not the main one.
    #[serde(skip)]
    pub extra: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Smoke {
    pub tested: bool,
    /// How it is tested, or why not.
    pub how: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Sdist {
    pub job: &'static str,
    pub filename: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct NotBuilt {
    pub what: String,
    pub why: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// PEP 503-style normalisation with `_`, as wheel and sdist names use it.
pub(crate) fn dist_name(name: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
            continue;
        }
        if sep && !out.is_empty() {
            out.push('_');
        }
        sep = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Read from the crate's requirement by inspect; re-exported for the plan's users.
pub(crate) use crate::inspect::pyo3_minor;

/// What the crate's PyO3 can build; a crate without PyO3 (cffi, uniffi,
/// rust-cpython, pure Python) is limited only by the interpreter table.
pub(crate) fn support(project: &Project) -> Pyo3Support {
    match project.pyo3_version.as_deref() {
        Some(req) => *interpreters::pyo3(pyo3_minor(req)),
        None => Pyo3Support {
            minor: 0,
            cpython: (OLDEST_MINOR, NEWEST_MINOR),
            free_threaded: Some((OLDEST_FREE_THREADED_MINOR, NEWEST_MINOR)),
            pypy: Some((interpreters::PYPY_MINOR, NEWEST_MINOR)),
            graalpy: None,
            abi3t: false,
        },
    }
}

/// Whether pyrel builds free-threaded wheels for this crate when asked.
pub(crate) fn free_threaded_supported(project: &Project) -> bool {
    support(project)
        .free_threaded
        .is_some_and(|(_, hi)| hi >= OLDEST_FREE_THREADED_MINOR)
}

/// `requires-python`'s bounds as CPython minors: the `>=` floor and the
/// newest minor a `<3.X` / `<=3.X` clause allows.
pub(crate) fn requires_python_bounds(project: &Project) -> (Option<u32>, Option<u32>) {
    let Some(rp) = project.requires_python.as_deref() else {
        return (None, None);
    };
    let minor = |v: &str| {
        v.trim()
            .strip_prefix("3.")
            .and_then(|m| m.split('.').next())
            .and_then(|m| m.parse::<u32>().ok())
    };
    let floor = python_floor(rp).and_then(|v| minor(&v));
    let mut ceiling = None;
    for clause in rp.split(',').map(str::trim) {
        let newest = if let Some(v) = clause.strip_prefix("<=") {
            minor(v)
        } else if let Some(v) = clause.strip_prefix('<') {
            // `<3.14` excludes 3.14; `<3.14.2` still allows 3.14.0/1.
            let exact_minor = v.trim().split('.').count() <= 2;
            minor(v).map(|m| if exact_minor { m.saturating_sub(1) } else { m })
        } else {
            None
        };
        if let Some(n) = newest {
            ceiling = Some(ceiling.map_or(n, |c: u32| c.min(n)));
        }
    }
    (floor, ceiling)
}

/// The version-specific interpreters of one platform: CPython minors from
/// the floor to the newest the crate's PyO3 (and `requires-python`) allow,
/// and the free-threaded builds when asked and supported.
pub(crate) fn cpython_interpreters(
    project: &Project,
    platform: &Platform,
    free_threaded: bool,
) -> Vec<Interp> {
    let (lo, hi) = cpython_range(project, platform);
    let mut out: Vec<Interp> = (lo..=hi).map(Interp::cpython).collect();
    if free_threaded {
        out.extend(free_threaded_interpreters(project, platform));
    }
    out
}

fn cpython_range(project: &Project, platform: &Platform) -> (u32, u32) {
    let s = support(project);
    let (floor, ceiling) = requires_python_bounds(project);
    let lo = floor
        .unwrap_or(OLDEST_MINOR)
        .max(OLDEST_MINOR)
        .max(s.cpython.0)
        .max(interpreters::setup_python_oldest(platform.name));
    let hi = ceiling.unwrap_or(NEWEST_MINOR).min(s.cpython.1);
    (lo, hi)
}

pub(crate) fn free_threaded_interpreters(project: &Project, platform: &Platform) -> Vec<Interp> {
    let Some((ft_lo, ft_hi)) = support(project).free_threaded else {
        return Vec::new();
    };
    let (lo, hi) = cpython_range(project, platform);
    (ft_lo.max(OLDEST_FREE_THREADED_MINOR).max(lo)..=ft_hi.min(hi))
        .map(|minor| Interp {
            family: Family::FreeThreaded,
            minor,
        })
        .collect()
}

fn pypy_interpreter(project: &Project) -> Option<Interp> {
    let (lo, hi) = support(project).pypy?;
    let m = interpreters::PYPY_MINOR;
    (lo..=hi).contains(&m).then_some(Interp {
        family: Family::Pypy,
        minor: m,
    })
}

/// The wheel architecture suffix of a Linux/Windows/macOS/Android target.
fn arch_tag(p: &Platform) -> &'static str {
    match (p.os, p.target) {
        (Os::Windows, "x64") => "amd64",
        (Os::Windows, "x86") => "32",
        (Os::Windows, "aarch64") => "arm64",
        (Os::Macos, "aarch64") => "arm64",
        (Os::Macos, "universal2-apple-darwin") => "universal2",
        (Os::Android, "aarch64-linux-android") => "arm64_v8a",
        (Os::Android, _) => "x86_64",
        (_, "armv7") => "armv7l",
        (_, "powerpc64-unknown-linux-gnu") => "ppc64",
        (_, "riscv64gc-unknown-linux-gnu") => "riscv64",
        (_, t) => t,
    }
}

/// The platform tag a builder writes for `p` under `policy`: the tag (or
/// glob), whether the build chooses part of it, and what decides its floor.
fn platform_tag(p: &Platform, builder: Builder, policy: &str) -> (String, bool, Option<String>) {
    let a = arch_tag(p);
    // auditwheel in cibuildwheel's image picks the tag whatever the image.
    let policy = if builder == Builder::Cibuildwheel {
        "auto"
    } else {
        policy
    };
    match p.os {
        Os::Linux => match policy {
            // The glob ends with the architecture: maturin may append the
            // legacy alias (`manylinux_2_17_x86_64.manylinux2014_x86_64`),
            // and `_ppc64` must not match `_ppc64le`.
            "auto" => (
                format!("manylinux_*_{a}"),
                true,
                Some(match builder {
                    Builder::Cibuildwheel => {
                        "manylinux: the glibc floor auditwheel finds in cibuildwheel's image".into()
                    }
                    _ => "manylinux auto: the oldest glibc floor maturin finds the wheel meets \
                          (2.17 or newer)"
                        .into(),
                }),
            ),
            "2014" | "manylinux2014" => (
                format!("manylinux_2_17_*{a}"),
                true,
                Some("manylinux2014 (glibc 2.17); the legacy alias may follow".into()),
            ),
            v => {
                let v = v.trim_start_matches("manylinux_");
                (
                    format!("manylinux_{v}_{a}"),
                    false,
                    Some(format!("manylinux_{v} (glibc {})", v.replace('_', "."))),
                )
            }
        },
        Os::Musllinux => (
            format!("musllinux_1_2_{a}"),
            false,
            Some("musllinux_1_2 (musl 1.2)".into()),
        ),
        Os::Windows => (format!("win_{a}").replace("win_32", "win32"), false, None),
        Os::Macos => (
            format!("macosx_*_{a}"),
            true,
            Some(match builder {
                Builder::Cibuildwheel => "the MACOSX_DEPLOYMENT_TARGET of the build".into(),
                _ => "maturin's deployment target (10.12 on x86_64, 11.0 on arm64) unless \
                      MACOSX_DEPLOYMENT_TARGET says otherwise"
                    .into(),
            }),
        ),
        Os::Android => (
            format!("android_*_{a}"),
            true,
            Some("the Android API level of the NDK build".into()),
        ),
        Os::Emscripten => (
            "pyemscripten_*_wasm32".into(),
            true,
            Some("the Pyodide ABI of the pinned pyodide-build (PEP 783)".into()),
        ),
    }
}

struct Ctx<'a> {
    project: &'a Project,
    config: &'a Config,
    builder: Builder,
    name: String,
    bin: bool,
    not_built: Vec<NotBuilt>,
}

impl Ctx<'_> {
    fn wheel(
        &self,
        p: &Platform,
        family: Family,
        python: String,
        (interpreter_tag, abi_tag): (String, String),
        extra: bool,
    ) -> Wheel {
        let (platform_tag, varies, floor) = platform_tag(p, self.builder, &self.policy(p));
        Wheel {
            family,
            python,
            filename: format!(
                "{}-{{version}}-{interpreter_tag}-{abi_tag}-{platform_tag}.whl",
                self.name
            ),
            interpreter_tag,
            abi_tag,
            platform_tag,
            platform_tag_varies: varies,
            floor,
            optional: p.os == Os::Emscripten,
            extra,
        }
    }

    /// The policy a Linux row is built with: maturin-action's per-row
    /// adaptation of the chosen one (`constraints::maturin_policy`);
    /// cibuildwheel's pinned image, whose tag auditwheel chooses.
    fn policy(&self, p: &Platform) -> String {
        match (p.os, self.builder) {
            (Os::Linux, Builder::MaturinAction) => {
                constraints::maturin_policy(p, self.config.manylinux_policy())
                    .0
                    .to_string()
            }
            (Os::Linux, _) => self.config.manylinux.clone(),
            (Os::Musllinux, _) => constraints::MUSLLINUX.into(),
            _ => String::new(),
        }
    }

    fn not_built(&mut self, what: String, why: String, fix: Option<String>) {
        let n = NotBuilt { what, why, fix };
        if !self.not_built.contains(&n) {
            self.not_built.push(n);
        }
    }

    /// The wheels of one platform.
    fn wheels(&mut self, p: &Platform) -> Vec<Wheel> {
        let project = self.project;
        let config = self.config;
        if p.os == Os::Emscripten {
            // One wheel for the Python of the pinned Pyodide release.
            let tags = ("cp3*".to_string(), "*".to_string());
            return vec![self.wheel(p, Family::Cpython, "Pyodide's".into(), tags, false)];
        }
        if self.bin {
            let tags = ("py3".to_string(), "none".to_string());
            return vec![self.wheel(p, Family::Any, "3".into(), tags, false)];
        }
        let mut out = Vec::new();
        let cibw = self.builder == Builder::Cibuildwheel;
        match &project.abi3 {
            Some(floor) => {
                let minor = floor.minor;
                let tags = (floor.tag(), "abi3".to_string());
                out.push(self.wheel(p, Family::Cpython, format!("3.{minor}"), tags, false));
                if config.free_threaded {
                    if cibw {
                        self.not_built(
                            "free-threaded wheels".into(),
                            "setuptools refuses an abi3 (py_limited_api) build on free-threaded \
                             CPython before 3.15"
                                .into(),
                            None,
                        );
                    } else if p.os == Os::Android {
                        self.not_built(
                            format!("free-threaded wheels for {}", p.name),
                            "maturin-action builds Android wheels for its one Android CPython"
                                .into(),
                            None,
                        );
                    } else {
                        for i in free_threaded_interpreters(project, p) {
                            out.push(self.wheel(p, i.family, i.version(), i.tags(), true));
                        }
                    }
                }
            }
            None if p.os == Os::Android => {
                // maturin-action downloads one Android CPython per build.
                let m = interpreters::ANDROID_CPYTHON_MINOR;
                let (lo, hi) = cpython_range(project, p);
                if (lo..=hi).contains(&m) {
                    let i = Interp::cpython(m);
                    out.push(self.wheel(p, i.family, i.version(), i.tags(), false));
                }
                self.not_built(
                    format!("CPython versions other than 3.{m} on {}", p.name),
                    format!(
                        "maturin-action cross-compiles Android wheels for the one Android \
                         CPython it downloads (3.{m})"
                    ),
                    Some("use abi3 (PyO3's abi3-py3X feature) to serve every CPython".into()),
                );
            }
            None => {
                for i in cpython_interpreters(project, p, config.free_threaded) {
                    out.push(self.wheel(p, i.family, i.version(), i.tags(), false));
                }
            }
        }
        if config.pypy && p.os != Os::Android {
            match pypy_interpreter(project) {
                Some(i) if interpreters::has_pypy(p.name) => {
                    // maturin builds PyPy in a second step; cibuildwheel in one.
                    out.push(self.wheel(p, i.family, i.version(), i.tags(), !cibw));
                }
                Some(_) => self.not_built(
                    format!("PyPy wheels for {}", p.name),
                    "no PyPy build exists for this platform".into(),
                    None,
                ),
                None => {
                    let s = support(project);
                    self.not_built(
                        format!("PyPy 3.{} wheels", interpreters::PYPY_MINOR),
                        format!(
                            "PyO3 0.{} cannot build PyPy 3.{}",
                            s.minor,
                            interpreters::PYPY_MINOR
                        ),
                        Some("raise pyo3 to 0.23 or newer".into()),
                    );
                }
            }
        }
        out
    }

    fn smoke(&self, p: &Platform) -> Smoke {
        let target = if self.bin {
            "runs the binary"
        } else {
            "imports the module"
        };
        match self.builder {
            Builder::Cibuildwheel => Smoke {
                tested: true,
                how: format!("cibuildwheel's test command {target} from each built wheel"),
            },
            _ if p.native => Smoke {
                tested: true,
                how: format!(
                    "installed into a fresh venv on {} (the smoke-test Python); {target}",
                    p.runner
                ),
            },
            _ => match smoke_containers::container(p) {
                Some(c) => Smoke {
                    tested: true,
                    how: format!(
                        "installed into a python:<smoke-test Python>-{} container ({}{}) on {}; \
                         {target}",
                        c.variant,
                        c.docker_platform,
                        if c.emulated { ", under QEMU" } else { "" },
                        p.runner
                    ),
                },
                None => Smoke {
                    tested: false,
                    how: format!("the {} runner cannot run {} wheels", p.runner, p.name),
                },
            },
        }
    }
}

/// The build plan for a package and its validated configuration.
pub(crate) fn plan(project: &Project, config: &Config) -> BuildPlan {
    let builder = if project.is_maturin() {
        Builder::MaturinAction
    } else if project.is_cibuildwheel() {
        Builder::Cibuildwheel
    } else {
        Builder::PythonBuild
    };
    let mut ctx = Ctx {
        project,
        config,
        builder,
        name: dist_name(&project.name),
        bin: project.is_bin(),
        not_built: Vec::new(),
    };
    let mut jobs = Vec::new();
    if builder == Builder::PythonBuild {
        jobs.push(pure_python_job(&ctx.name));
    } else {
        let families: &[(Os, &'static str)] = &[
            (Os::Linux, "linux"),
            (Os::Musllinux, "musllinux"),
            (Os::Windows, "windows"),
            (Os::Macos, "macos"),
            (Os::Android, "android"),
            (Os::Emscripten, "emscripten"),
        ];
        for &(os, id) in families {
            let mut list = Vec::new();
            for p in config.platforms.iter().filter(|p| p.os == os) {
                list.push(platform_plan(&mut ctx, p));
            }
            if !list.is_empty() {
                jobs.push(Job {
                    id,
                    builder,
                    platforms: list,
                });
            }
        }
        let not_chosen: Vec<&str> = platforms::ALL
            .iter()
            .filter(|p| !config.platforms.iter().any(|c| c.name == p.name))
            .filter(|p| builder == Builder::MaturinAction || p.cibuildwheel_native())
            .map(|p| p.name)
            .collect();
        if !not_chosen.is_empty() {
            ctx.not_built(
                format!("platforms {}", not_chosen.join(", ")),
                "not chosen (`platforms` in [tool.pyrel])".into(),
                None,
            );
        }
        newer_cpython_not_built(&mut ctx);
    }
    let sdist = Sdist {
        job: if builder == Builder::PythonBuild {
            "build"
        } else {
            "sdist"
        },
        filename: format!("{}-{{version}}.tar.gz", ctx.name),
    };
    let pyo3 = project.pyo3_version.as_ref().map(|req| {
        let s = support(project);
        Pyo3Plan {
            requirement: req.clone(),
            minor: pyo3_minor(req),
            cpython: s.cpython,
            free_threaded: s.free_threaded,
            pypy: s.pypy,
            abi3t: s.abi3t,
        }
    });
    BuildPlan {
        schema_version: SCHEMA_VERSION,
        package: project.name.clone(),
        dist_name: ctx.name.clone(),
        package_dir: project.package_dir.clone(),
        tag: project
            .version
            .as_ref()
            .map(|v| format!("{}{v}", config.tag_prefix)),
        version: project.version.clone(),
        builder,
        pyo3,
        jobs,
        sdist,
        not_built: ctx.not_built,
    }
}

/// The one job of a pure-Python package: a `py*-none-any` wheel, built
/// and smoke-tested on Linux.
fn pure_python_job(name: &str) -> Job {
    let any = Wheel {
        family: Family::Any,
        python: "3".into(),
        // py3, or py2.py3 for a universal wheel: the backend decides.
        interpreter_tag: "py*".into(),
        abi_tag: "none".into(),
        platform_tag: "any".into(),
        platform_tag_varies: false,
        floor: None,
        filename: format!("{name}-{{version}}-py*-none-any.whl"),
        optional: false,
        extra: false,
    };
    Job {
        id: "build",
        builder: Builder::PythonBuild,
        platforms: vec![PlatformPlan {
            platform: "any",
            os: None,
            target: "any",
            runner: "ubuntu-24.04",
            settings: Settings::default(),
            wheels: vec![any],
            smoke: Smoke {
                tested: true,
                how: "installed into a fresh venv on ubuntu-24.04 (the smoke-test Python); \
                      imports the module"
                    .into(),
            },
        }],
    }
}

/// One platform of a wheel job: its target, runner, settings (manylinux
/// policy, setup-python architecture and versions), wheels and smoke test.
fn platform_plan(ctx: &mut Ctx<'_>, p: &'static Platform) -> PlatformPlan {
    let wheels = ctx.wheels(p);
    let setup_python = if ctx.builder == Builder::MaturinAction
        && ctx.project.abi3.is_none()
        && !ctx.bin
        && matches!(p.os, Os::Windows | Os::Macos)
    {
        wheels
            .iter()
            .filter(|w| !w.extra)
            .map(|w| w.python.clone())
            .collect()
    } else {
        Vec::new()
    };
    let policy = ctx.policy(p);
    PlatformPlan {
        platform: p.name,
        os: Some(p.os),
        target: if ctx.builder == Builder::Cibuildwheel {
            p.cibw_arch().unwrap_or(p.target)
        } else {
            p.target
        },
        runner: p.runner,
        settings: Settings {
            policy: (!policy.is_empty()).then_some(policy),
            python_arch: match (p.os, p.target) {
                (Os::Windows, "x86") => Some("x86"),
                (Os::Windows, "aarch64") => Some("arm64"),
                (Os::Windows, _) => Some("x64"),
                _ => None,
            },
            setup_python,
        },
        smoke: ctx.smoke(p),
        wheels,
    }
}

/// CPython releases the crate's PyO3 cannot build, for version-specific
/// wheels (abi3 wheels already load on every newer CPython).
fn newer_cpython_not_built(ctx: &mut Ctx<'_>) {
    let project = ctx.project;
    if ctx.bin || project.pyo3_version.is_none() {
        return;
    }
    let s = support(project);
    let (_, ceiling) = requires_python_bounds(project);
    let wanted = ceiling.unwrap_or(NEWEST_MINOR).min(NEWEST_MINOR);
    let fix = |minor: u32, ft: bool| {
        interpreters::pyo3_for_cpython(minor, ft).map(|m| format!("raise pyo3 to 0.{m}"))
    };
    if project.abi3.is_none() {
        for minor in s.cpython.1 + 1..=wanted {
            ctx.not_built(
                format!("cp3{minor} wheels (CPython 3.{minor})"),
                format!("PyO3 0.{} cannot build CPython 3.{minor}", s.minor),
                fix(minor, false),
            );
        }
    }
    if ctx.config.free_threaded && ctx.builder == Builder::MaturinAction {
        let ft_hi = s.free_threaded.map_or(0, |(_, hi)| hi);
        for minor in OLDEST_FREE_THREADED_MINOR.max(ft_hi + 1)..=wanted {
            ctx.not_built(
                format!("cp3{minor}t wheels (free-threaded CPython 3.{minor})"),
                format!(
                    "PyO3 0.{} cannot build free-threaded CPython 3.{minor}",
                    s.minor
                ),
                fix(minor, true),
            );
        }
        if s.free_threaded
            .is_some_and(|(lo, _)| lo < OLDEST_FREE_THREADED_MINOR)
        {
            ctx.not_built(
                "cp313t wheels (free-threaded CPython 3.13)".into(),
                "3.13t was experimental (CPython supports free-threading from 3.14, PEP 779) \
                 and PyO3 0.29 dropped it"
                    .into(),
                None,
            );
        }
    }
    if s.abi3t {
        ctx.not_built(
            "abi3t wheels (PEP 803)".into(),
            format!(
                "pyrel does not build abi3t yet (PyO3 0.{} and maturin {} can): it plans \
                 version-specific free-threaded wheels instead",
                s.minor,
                interpreters::ABI3T_MATURIN
            ),
            None,
        );
    }
}

impl BuildPlan {
    /// Every planned wheel with its platform, in job order.
    pub(crate) fn wheels(&self) -> impl Iterator<Item = (&PlatformPlan, &Wheel)> {
        self.jobs
            .iter()
            .flat_map(|j| j.platforms.iter())
            .flat_map(|p| p.wheels.iter().map(move |w| (p, w)))
    }

    #[cfg(test)]
    pub(crate) fn job(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }

    #[cfg(test)]
    pub(crate) fn platform(&self, name: &str) -> Option<&PlatformPlan> {
        self.jobs
            .iter()
            .flat_map(|j| j.platforms.iter())
            .find(|p| p.platform == name)
    }

    /// The data the gate in the workflow compares the collected
    /// distributions with, as JSON: never the version (it changes every
    /// release; the gate reads it from the sdist's name).
    pub(crate) fn gate_json(&self) -> String {
        #[derive(Serialize)]
        struct Expected<'a> {
            platform: &'a str,
            file: &'a str,
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            optional: bool,
        }
        let mut dists: Vec<Expected<'_>> = self
            .wheels()
            .map(|(p, w)| Expected {
                platform: p.platform,
                file: &w.filename,
                optional: w.optional,
            })
            .collect();
        dists.push(Expected {
            platform: "sdist",
            file: &self.sdist.filename,
            optional: false,
        });
        // `{"name": ..., "dists": [...]}` with one distribution per line, so
        // that the workflow shows the plan readably; ASCII only (every other
        // character escaped), so the data stays inert in a YAML block.
        let lines: Vec<String> = dists
            .iter()
            .map(|d| format!("    {}", compact_json(d)))
            .collect();
        ascii_only(&format!(
            "{{\n  \"name\": {},\n  \"dists\": [\n{}\n  ]\n}}\n",
            compact_json(&self.dist_name),
            lines.join(",\n")
        ))
    }
}

fn compact_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serializes")
}

/// JSON text with every non-ASCII character as a `\uXXXX` escape (UTF-16
/// surrogate pairs beyond the BMP): the same data, in ASCII. Outside
/// strings JSON has no non-ASCII character, so this only rewrites strings.
fn ascii_only(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

/// `pyrel plan`'s human output: per job and platform, each distribution
/// (with the version filled in when a file holds it), how it is
/// smoke-tested, then what will not be published and why.
pub(crate) fn text(plan: &BuildPlan) -> String {
    let fill = |file: &str| match &plan.version {
        Some(v) => file.replace("{version}", v),
        None => file.to_string(),
    };
    let mut out = String::new();
    let version = plan.version.as_deref().unwrap_or("(version from the tag)");
    let builder = match plan.builder {
        Builder::MaturinAction => "maturin (PyO3/maturin-action)",
        Builder::Cibuildwheel => "setuptools-rust (pypa/cibuildwheel)",
        Builder::PythonBuild => "python -m build",
    };
    out.push_str(&format!("{} {version}", plan.package));
    if let Some(tag) = &plan.tag {
        out.push_str(&format!(", released by tag {tag}"));
    }
    out.push_str(&format!(", built with {builder}\n"));
    if let Some(p) = &plan.pyo3 {
        let (lo, hi) = p.cpython;
        out.push_str(&format!(
            "  pyo3 {}: CPython 3.{lo} to 3.{hi}{}{}\n",
            p.requirement,
            p.free_threaded
                .map(|(a, b)| {
                    if a == b {
                        format!(", free-threaded 3.{a}t")
                    } else {
                        format!(", free-threaded 3.{a}t to 3.{b}t")
                    }
                })
                .unwrap_or_default(),
            p.pypy
                .map(|(a, b)| format!(", PyPy 3.{a} to 3.{b}"))
                .unwrap_or_default(),
        ));
    }
    let mut count = 0;
    for job in &plan.jobs {
        out.push_str(&format!("\njob {}\n", job.id));
        for p in &job.platforms {
            let mut settings = vec![p.runner.to_string()];
            if let Some(policy) = &p.settings.policy {
                settings.push(policy.clone());
            }
            out.push_str(&format!("  {} ({})\n", p.platform, settings.join(", ")));
            for w in &p.wheels {
                count += 1;
                let mut notes = Vec::new();
                if w.optional {
                    notes.push("optional".to_string());
                }
                if let (true, Some(floor)) = (w.platform_tag_varies, &w.floor) {
                    notes.push(format!("platform tag: {floor}"));
                }
                out.push_str(&format!("    {}\n", fill(&w.filename)));
                if !notes.is_empty() {
                    out.push_str(&format!("      {}\n", notes.join("; ")));
                }
            }
            let smoke = if p.smoke.tested {
                "smoke test"
            } else {
                "no smoke test"
            };
            out.push_str(&format!("    {smoke}: {}\n", p.smoke.how));
        }
    }
    out.push_str(&format!(
        "\njob {}\n    {}\n",
        plan.sdist.job,
        fill(&plan.sdist.filename)
    ));
    out.push_str(&format!(
        "\n{} distribution(s): {count} wheel(s) and the sdist; the release workflow fails \
         before uploading if it built anything else\n",
        count + 1
    ));
    if !plan.not_built.is_empty() {
        out.push_str("\nnot published:\n");
        for n in &plan.not_built {
            out.push_str(&format!("  {}: {}", n.what, n.why));
            if let Some(fix) = &n.fix {
                out.push_str(&format!(" (fix: {fix})"));
            }
            out.push('\n');
        }
    }
    out
}
