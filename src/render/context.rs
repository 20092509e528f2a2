//! One serializable context per template, built from `Project` + `Config`.
//! What is built (jobs, platforms, interpreters, wheels) is decided by the
//! build plan (`crate::build_plan`); the maturin and pure-Python paths here
//! are its projection into the workflow, and the plan itself is embedded as
//! data for the gate. The templates only lay the values out.

use serde::Serialize;

use crate::answers::platforms::{Os, Platform};
use crate::answers::{Config, Publish, Trigger};
use crate::build_plan::interpreters::{PYPY_MINOR, TOOL_PYTHON};
use crate::build_plan::{self, BuildPlan, Family, Job};
use crate::inspect::{GitHub, Project, VersionSource};

/// twine release used for the metadata check.
pub(crate) const TWINE_VERSION: &str = "7.0.0";
/// `build` release used for pure-Python packages.
pub(crate) const BUILD_VERSION: &str = "1.6.1";
/// validate-pyproject release the preflight job checks the metadata with.
pub(crate) const VALIDATE_PYPROJECT_VERSION: &str = "0.27";
/// maturin release for Emscripten builds: 1.16 writes the PEP 783
/// `pyemscripten_<version>_wasm32` tag PyPI accepts when given the platform
/// version (older releases write `emscripten_*`/`pyodide_*`, which PyPI
/// rejects).
pub(crate) const EMSCRIPTEN_MATURIN: &str = "v1.16.0";
/// pyodide-build release that reports `pyemscripten_platform_version`.
pub(crate) const PYODIDE_BUILD_VERSION: &str = "0.39.2";

#[derive(Debug, Serialize)]
pub(crate) struct Common {
    pub pyrel_version: &'static str,
    /// The command that regenerates the files, run from the repository root.
    pub regenerate: String,
    /// The release-readiness check for this package, from the repository root.
    pub doctor: String,
    pub pyproject: String,
    pub digest_line: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct WorkflowContext {
    pub common: Common,
    pub name: String,
    /// Which build partial the workflow uses.
    pub pipeline: BuildPipeline,
    pub bindings_bin: bool,
    pub trigger: Trigger,
    pub tag_prefix: String,
    pub tag_glob: String,
    pub publish: Publish,
    pub token_secret: String,
    pub testpypi: bool,
    pub testpypi_token_secret: String,
    pub environment: String,
    pub testpypi_environment: String,
    pub pypi_url: String,
    pub testpypi_url: String,
    /// Where maturin runs (the package directory), or null at the root.
    pub working_directory: Option<String>,
    /// Where builds write dists, relative to the repository root.
    pub dist_dir: String,
    pub version_sources: String,
    pub build_jobs: Vec<BuildJob>,
    pub smoke_test: String,
    pub smoke_deps: bool,
    pub test_command: Option<String>,
    pub tool_python: &'static str,
    pub twine_version: &'static str,
    pub build_version: &'static str,
    pub validate_pyproject_version: &'static str,
    pub vcs_version: bool,
    pub github_release: bool,
    /// Job ids the metadata check waits for.
    pub dist_jobs: Vec<String>,
    /// The Emscripten/Pyodide wheel job, when that platform is chosen.
    pub emscripten: Option<EmscriptenJob>,
    /// cibuildwheel jobs (setuptools-rust), one per OS family.
    pub cibw_jobs: Vec<CibwJob>,
    /// `pypa/cibuildwheel` `CIBW_ENABLE` (PyPy, free-threading), or null.
    pub cibw_enable: Option<String>,
    /// The planned distributions, as JSON data for the gate
    /// (`BuildPlan::gate_json`).
    pub gate: String,
}

/// The build partial of the release workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum BuildPipeline {
    Maturin,
    Cibuildwheel,
    Python,
}

/// One cibuildwheel job: an OS family on its native runners.
#[derive(Debug, Serialize)]
pub(crate) struct CibwJob {
    pub id: &'static str,
    /// Linux: Rust is installed inside cibuildwheel's containers.
    pub linux: bool,
    /// `CIBW_<POLICY>_<ARCH>_IMAGE` settings (pyrel constants and the
    /// validated `manylinux` answer).
    pub images: Vec<(String, String)>,
    pub include: Vec<CibwEntry>,
}

#[derive(Debug, Serialize)]
pub(crate) struct CibwEntry {
    pub platform: &'static str,
    pub runner: &'static str,
    /// `CIBW_ARCHS`.
    pub archs: &'static str,
    /// `CIBW_BUILD`: build identifiers, space-separated.
    pub build: String,
    /// Rust targets to add on macOS/Windows runners, space-separated.
    pub rust_targets: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub(crate) struct EmscriptenJob {
    pub args: String,
    pub maturin_version: &'static str,
    pub pyodide_build_version: &'static str,
}

/// A second build in the same job, for interpreters the main build does
/// not cover (free-threaded next to abi3, PyPy).
#[derive(Debug, Serialize)]
pub(crate) struct ExtraBuild {
    pub title: &'static str,
    /// Only for these matrix platforms (an `if:` of pyrel's own constants).
    pub condition: Option<String>,
    /// setup-python `python-version` to install first (macOS, Windows),
    /// one per line.
    pub setup_python: Option<String>,
    pub args: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct BuildJob {
    pub id: &'static str,
    pub title: &'static str,
    /// `manylinux` input of maturin-action (Linux families only).
    pub manylinux: Option<String>,
    /// Install the matrix entry's interpreters before building (macOS and
    /// Windows without abi3).
    pub setup_python: bool,
    pub args: String,
    /// maturin-action `before-script-linux` (Linux families only).
    pub before_script: Option<String>,
    pub windows: bool,
    pub extra_builds: Vec<ExtraBuild>,
    /// Some runner of this job can run its wheel.
    pub smoke: bool,
    pub include: Vec<MatrixEntry>,
}

#[derive(Debug, Serialize)]
pub(crate) struct MatrixEntry {
    pub platform: &'static str,
    pub target: &'static str,
    pub runner: &'static str,
    pub smoke: bool,
    /// setup-python `architecture` on Windows.
    pub python_arch: Option<&'static str>,
    /// setup-python `python-version` (one per line) when building per interpreter.
    pub interpreters: Option<String>,
}

pub(crate) fn common(project: &Project) -> Common {
    let command = |verb: &str| {
        if project.package_dir.is_empty() {
            format!("pyrel {verb}")
        } else {
            format!("pyrel {verb} {}", project.package_dir)
        }
    };
    Common {
        pyrel_version: env!("CARGO_PKG_VERSION"),
        regenerate: command("generate"),
        doctor: command("doctor"),
        pyproject: crate::inspect::display_path(&project.package_dir, "pyproject.toml"),
        digest_line: super::stamp::placeholder(),
    }
}

pub(crate) fn workflow(project: &Project, config: &Config) -> WorkflowContext {
    let plan = build_plan::plan(project, config);
    let pipeline = if project.is_maturin() {
        BuildPipeline::Maturin
    } else if project.is_cibuildwheel() {
        BuildPipeline::Cibuildwheel
    } else {
        BuildPipeline::Python
    };
    let cibw_jobs = if pipeline == BuildPipeline::Cibuildwheel {
        cibw_jobs(project, config)
    } else {
        Vec::new()
    };
    let working_directory = (!project.package_dir.is_empty()).then(|| project.package_dir.clone());
    let build_jobs = if project.is_maturin() {
        build_jobs(&plan, project, config)
    } else {
        Vec::new()
    };
    let emscripten =
        (project.is_maturin() && plan.job("emscripten").is_some()).then(|| EmscriptenJob {
            args: with_extra("--release --out dist", config),
            maturin_version: EMSCRIPTEN_MATURIN,
            pyodide_build_version: PYODIDE_BUILD_VERSION,
        });
    // The check job waits for every job of the plan that builds a dist.
    let mut dist_jobs: Vec<String> = plan.jobs.iter().map(|j| j.id.to_string()).collect();
    if !dist_jobs.iter().any(|j| j == plan.sdist.job) {
        dist_jobs.push(plan.sdist.job.to_string());
    }
    // cibuildwheel builds CPython 3.14t when CIBW_BUILD names it; PyPy must
    // also be enabled.
    let mut enable = Vec::new();
    if pipeline == BuildPipeline::Cibuildwheel
        && project.bindings.as_deref() != Some("bin")
        && config.pypy
    {
        enable.push("pypy");
    }
    WorkflowContext {
        common: common(project),
        name: project.name.clone(),
        pipeline,
        bindings_bin: project.bindings.as_deref() == Some("bin"),
        trigger: config.trigger,
        tag_prefix: config.tag_prefix.clone(),
        tag_glob: format!("{}*", config.tag_prefix),
        publish: config.publish,
        token_secret: config.token_secret.clone(),
        testpypi: config.testpypi,
        testpypi_token_secret: config.testpypi_token_secret.clone(),
        environment: config.environment.clone(),
        testpypi_environment: config.testpypi_environment.clone(),
        pypi_url: format!("https://pypi.org/p/{}", project.name),
        testpypi_url: format!("https://test.pypi.org/p/{}", project.name),
        dist_dir: crate::inspect::display_path(&project.package_dir, "dist"),
        working_directory,
        version_sources: version_sources_json(&project.version_sources),
        build_jobs,
        smoke_test: config.smoke_test.clone(),
        smoke_deps: config.smoke_deps,
        test_command: (!config.test_command.is_empty()).then(|| config.test_command.clone()),
        tool_python: TOOL_PYTHON,
        twine_version: TWINE_VERSION,
        build_version: BUILD_VERSION,
        validate_pyproject_version: VALIDATE_PYPROJECT_VERSION,
        vcs_version: project.vcs_version,
        github_release: config.github_release,
        dist_jobs,
        emscripten,
        cibw_jobs,
        cibw_enable: (!enable.is_empty()).then(|| enable.join(" ")),
        gate: plan.gate_json(),
    }
}

/// cibuildwheel jobs for a setuptools-rust package: one per OS family on
/// the same native runners as maturin's, each platform's build identifiers
/// in its matrix entry.
///
/// The configuration goes into the workflow as `CIBW_*` variables, not into
/// a generated `[tool.cibuildwheel]` table: the release build is then fully
/// described by the one generated, drift-checked workflow, pyrel never has to
/// merge into (or fight over) a table users also edit for local runs, and a
/// local `cibuildwheel` keeps its defaults.
fn cibw_jobs(project: &Project, config: &Config) -> Vec<CibwJob> {
    let families = [
        (Os::Linux, "linux", "manylinux_*"),
        (Os::Musllinux, "musllinux", "musllinux_*"),
        (Os::Windows, "windows", "win*"),
        (Os::Macos, "macos", "macosx_*"),
    ];
    families
        .into_iter()
        .filter_map(|(os, id, suffix)| {
            let include: Vec<CibwEntry> = config
                .platforms
                .iter()
                .filter(|p| p.os == os)
                .filter_map(|p| {
                    Some(CibwEntry {
                        platform: p.name,
                        runner: p.runner,
                        archs: p.cibw_arch()?,
                        build: cibw_identifiers(project, config, p)
                            .iter()
                            .map(|i| format!("{i}-{suffix}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                        rust_targets: rust_targets(p),
                    })
                })
                .collect();
            if include.is_empty() {
                return None;
            }
            let images = match os {
                Os::Linux => cibw_images("MANYLINUX", &config.manylinux),
                Os::Musllinux => cibw_images("MUSLLINUX", "musllinux_1_2"),
                _ => Vec::new(),
            };
            Some(CibwJob {
                id,
                linux: matches!(os, Os::Linux | Os::Musllinux),
                images,
                include,
            })
        })
        .collect()
}

/// `CIBW_MANYLINUX_X86_64_IMAGE: manylinux_2_28` and so on; none for
/// `auto` (cibuildwheel's default image).
fn cibw_images(policy: &str, value: &str) -> Vec<(String, String)> {
    let image = match value {
        "auto" => return Vec::new(),
        "2014" | "manylinux2014" => "manylinux2014".to_string(),
        v if v.starts_with("manylinux") || v.starts_with("musllinux") => v.to_string(),
        v => format!("manylinux_{v}"),
    };
    ["X86_64", "AARCH64", "I686"]
        .iter()
        .map(|arch| (format!("CIBW_{policy}_{arch}_IMAGE"), image.clone()))
        .collect()
}

/// The interpreters cibuildwheel builds for on one platform: the abi3 floor
/// only (one wheel serves every later CPython), else every CPython the crate
/// supports (free-threaded included when chosen); PyPy where it exists.
fn cibw_identifiers(project: &Project, config: &Config, p: &Platform) -> Vec<String> {
    if project.bindings.as_deref() == Some("bin") {
        // One py3-none wheel: any one CPython builds it.
        let floor = interpreters(project, p, false);
        return floor.first().map(|v| cp_tag(v)).into_iter().collect();
    }
    let mut out: Vec<String> = match &project.abi3 {
        Some(floor) => vec![floor.clone()],
        None => interpreters(project, p, config.free_threaded)
            .iter()
            .map(|v| cp_tag(v))
            .collect(),
    };
    let pypy = matches!(
        p.name,
        "linux-x86_64"
            | "linux-aarch64"
            | "linux-i686"
            | "windows-x64"
            | "macos-x86_64"
            | "macos-aarch64"
    );
    if config.pypy && pypy {
        out.push(format!("pp3{PYPY_MINOR}"));
    }
    out
}

/// `3.12` → `cp312`, `3.14t` → `cp314t`.
fn cp_tag(version: &str) -> String {
    format!("cp{}", version.replace('.', ""))
}

/// Rust targets a macOS/Windows runner needs beyond its host.
fn rust_targets(p: &Platform) -> Option<&'static str> {
    match (p.os, p.target) {
        (Os::Macos, "x86_64") => Some("x86_64-apple-darwin"),
        (Os::Macos, "aarch64") => Some("aarch64-apple-darwin"),
        (Os::Macos, _) => Some("aarch64-apple-darwin x86_64-apple-darwin"),
        (Os::Windows, "x86") => Some("i686-pc-windows-msvc"),
        (Os::Windows, "aarch64") => Some("aarch64-pc-windows-msvc"),
        (Os::Windows, _) => Some("x86_64-pc-windows-msvc"),
        _ => None,
    }
}

fn with_extra(base: &str, config: &Config) -> String {
    if config.maturin_args.is_empty() {
        base.to_string()
    } else {
        format!("{base} {}", config.maturin_args)
    }
}

/// Where the preflight job reads each version, as JSON: file and locator
/// only. The value itself must never be rendered, or every release bump would
/// make the workflow drift.
fn version_sources_json(sources: &[VersionSource]) -> String {
    #[derive(Serialize)]
    struct Where<'a> {
        file: &'a str,
        #[serde(flatten)]
        locator: &'a crate::inspect::Locator,
    }
    let list: Vec<Where<'_>> = sources
        .iter()
        .map(|s| Where {
            file: &s.file,
            locator: &s.locator,
        })
        .collect();
    serde_json::to_string(&list).expect("plain data serializes")
}

/// The maturin jobs: a projection of the plan's jobs, one per OS family.
fn build_jobs(plan: &BuildPlan, project: &Project, config: &Config) -> Vec<BuildJob> {
    let titles = [
        ("linux", "Linux (manylinux)"),
        ("musllinux", "Linux (musllinux)"),
        ("windows", "Windows"),
        ("macos", "macOS"),
        ("android", "Android"),
    ];
    let bin = project.bindings.as_deref() == Some("bin");
    let abi3 = project.abi3.is_some();
    titles
        .into_iter()
        .filter_map(|(id, title)| {
            let job = plan.job(id)?;
            let first = job.platforms.first()?;
            let os = first.os?;
            let include: Vec<MatrixEntry> = job
                .platforms
                .iter()
                .map(|p| MatrixEntry {
                    platform: p.platform,
                    target: p.target,
                    runner: p.runner,
                    smoke: p.smoke.tested,
                    python_arch: p.settings.python_arch,
                    interpreters: (!p.settings.setup_python.is_empty())
                        .then(|| p.settings.setup_python.join("\n")),
                })
                .collect();
            // One abi3 wheel serves every Python; a `bin` wheel holds no
            // extension. Otherwise one wheel per interpreter: the Linux
            // containers carry more Pythons than the plan, so the build names
            // them; on macOS/Windows setup-python installed exactly the
            // plan's and maturin finds them. maturin-action builds Android
            // for its own Android CPython.
            let setup_python = include.iter().any(|e| e.interpreters.is_some());
            let interpreters = if abi3 || bin || os == Os::Android {
                String::new()
            } else if matches!(os, Os::Linux | Os::Musllinux) {
                let list: Vec<String> = first
                    .wheels
                    .iter()
                    .filter(|w| !w.extra)
                    .map(|w| format!("python{}", w.python))
                    .collect();
                format!(" -i {}", list.join(" "))
            } else {
                " --find-interpreter".to_string()
            };
            let tail = if config.maturin_args.is_empty() {
                String::new()
            } else {
                format!(" {}", config.maturin_args)
            };
            let args = format!("--release --out dist{interpreters}{tail}");
            let extra_builds = extra_builds(job, os, &format!("--release --out dist{tail}"));
            let before_script = (matches!(os, Os::Linux | Os::Musllinux)
                && !config.before_script_linux.is_empty())
            .then(|| config.before_script_linux.clone());
            Some(BuildJob {
                id,
                title,
                manylinux: first.settings.policy.clone(),
                setup_python,
                args,
                before_script,
                windows: os == Os::Windows,
                extra_builds,
                smoke: include.iter().any(|e| e.smoke),
                include,
            })
        })
        .collect()
}

/// abi3 wheels do not load on free-threaded CPython, and no wheel but a
/// PyPy build loads on PyPy: the plan's wheels that need their own build
/// (`Wheel::extra`) get a second and third build step in the same job.
fn extra_builds(job: &Job, os: Os, args: &str) -> Vec<ExtraBuild> {
    let installs = matches!(os, Os::Windows | Os::Macos);
    let mut out = Vec::new();
    for (family, title) in [
        (Family::FreeThreaded, "Build the free-threaded wheels"),
        (Family::Pypy, "Build the PyPy wheels"),
    ] {
        let with: Vec<&build_plan::PlatformPlan> = job
            .platforms
            .iter()
            .filter(|p| p.wheels.iter().any(|w| w.extra && w.family == family))
            .collect();
        let Some(first) = with.first() else {
            continue;
        };
        let versions: Vec<String> = first
            .wheels
            .iter()
            .filter(|w| w.extra && w.family == family)
            .map(|w| w.python.clone())
            .collect();
        let condition = (with.len() < job.platforms.len()).then(|| {
            with.iter()
                .map(|p| format!("matrix.platform == '{}'", p.platform))
                .collect::<Vec<_>>()
                .join(" || ")
        });
        let executables: Vec<String> = versions
            .iter()
            .map(|v| {
                if v.starts_with("pypy") {
                    v.clone()
                } else {
                    format!("python{v}")
                }
            })
            .collect();
        out.push(ExtraBuild {
            title,
            condition,
            setup_python: installs.then(|| versions.join("\n")),
            args: format!("{args} -i {}", executables.join(" ")),
        });
    }
    out
}

/// CPython versions to build for on `platform` (setup-python spelling), as
/// the plan decides them: see `build_plan::cpython_interpreters`.
pub(crate) fn interpreters(
    project: &Project,
    platform: &Platform,
    free_threaded: bool,
) -> Vec<String> {
    build_plan::cpython_interpreters(project, platform, free_threaded)
        .iter()
        .map(|i| i.version())
        .collect()
}

#[derive(Debug, Serialize)]
pub(crate) struct DocsContext {
    pub common: Common,
    pub name: String,
    pub maturin: bool,
    /// setuptools-rust built with cibuildwheel.
    pub cibuildwheel: bool,
    /// One wheel per platform (maturin or cibuildwheel).
    pub platform_wheels: bool,
    pub bindings: Option<String>,
    pub module_name: String,
    pub abi3: Option<String>,
    pub github: Option<GitHub>,
    pub workflow: String,
    pub workflow_file: String,
    pub docs: String,
    pub trigger: Trigger,
    pub tag_prefix: String,
    pub publish: Publish,
    pub token_secret: String,
    pub testpypi: bool,
    pub testpypi_token_secret: String,
    pub environment: String,
    pub testpypi_environment: String,
    /// Files holding the version (never the value: it changes every release).
    pub version_files: Vec<String>,
    pub vcs_version: bool,
    /// `pyrel release`'s PATH argument (the package directory), or null at
    /// the repository root.
    pub release_path: Option<String>,
    pub platforms: Vec<DocPlatform>,
    pub smoke_test: String,
    pub test_command: Option<String>,
    pub github_release: bool,
    pub manylinux: String,
    pub free_threaded: bool,
    pub pypy: bool,
    pub emscripten: bool,
    /// Old workflows that still publish: what to delete from each.
    pub migrations: Vec<DocMigration>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DocMigration {
    pub file: String,
    pub jobs: Vec<DocJob>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DocJob {
    pub job: String,
    pub line: usize,
    pub secret: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DocPlatform {
    pub name: &'static str,
    pub runner: &'static str,
    pub smoke: bool,
}

pub(crate) fn docs(project: &Project, config: &Config) -> DocsContext {
    let plan = build_plan::plan(project, config);
    let workflow_file = config
        .workflow
        .rsplit('/')
        .next()
        .unwrap_or(&config.workflow)
        .to_string();
    DocsContext {
        common: common(project),
        name: project.name.clone(),
        maturin: project.is_maturin(),
        cibuildwheel: project.is_cibuildwheel(),
        platform_wheels: project.builds_platform_wheels(),
        bindings: project.bindings.clone(),
        module_name: project.module_name.clone(),
        abi3: project.abi3.clone(),
        github: config.repository.clone().or_else(|| project.github.clone()),
        workflow: config.workflow.clone(),
        workflow_file,
        docs: config.docs.clone(),
        trigger: config.trigger,
        tag_prefix: config.tag_prefix.clone(),
        publish: config.publish,
        token_secret: config.token_secret.clone(),
        testpypi: config.testpypi,
        testpypi_token_secret: config.testpypi_token_secret.clone(),
        environment: config.environment.clone(),
        testpypi_environment: config.testpypi_environment.clone(),
        version_files: project.version_sources.iter().map(|s| s.file.clone()).fold(
            Vec::new(),
            |mut files, f| {
                // A file holding two spellings (`__version__` and
                // `__version_info__`) is listed once.
                if !files.contains(&f) {
                    files.push(f);
                }
                files
            },
        ),
        vcs_version: project.vcs_version,
        release_path: (!project.package_dir.is_empty()).then(|| project.package_dir.clone()),
        platforms: config
            .platforms
            .iter()
            .map(|p| DocPlatform {
                name: p.name,
                runner: p.runner,
                smoke: plan.platform(p.name).map_or(p.native, |pp| pp.smoke.tested),
            })
            .collect(),
        smoke_test: config.smoke_test.clone(),
        test_command: (!config.test_command.is_empty()).then(|| config.test_command.clone()),
        github_release: config.github_release,
        manylinux: config.manylinux.clone(),
        free_threaded: config.free_threaded,
        pypy: config.pypy,
        emscripten: config.platforms.iter().any(|p| p.os == Os::Emscripten),
        migrations: crate::adopt::other_publishers(project, &config.workflow)
            .into_iter()
            .map(|o| DocMigration {
                file: o.file.to_string(),
                jobs: o.jobs.iter().fold(Vec::new(), |mut jobs: Vec<DocJob>, j| {
                    // A job uploading to TestPyPI and PyPI is deleted once.
                    if !jobs.iter().any(|d| d.job == j.job) {
                        jobs.push(DocJob {
                            job: j.job.clone(),
                            line: j.line,
                            secret: j.secret.clone(),
                        });
                    }
                    jobs
                }),
            })
            .collect(),
    }
}

/// `dependabot.yml.j2` and `dependabot-entry.yml.j2`.
#[derive(Debug, Serialize)]
pub(crate) struct DependabotContext {
    /// Indentation of the items of `updates:` (spaces only).
    pub indent: String,
}
