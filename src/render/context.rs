//! One serializable context per template, built from `Project` + `Config`.
//! All decisions (which jobs, which runners, which interpreters) are made
//! here in Rust and tested; the templates only lay the values out. Which
//! interpreters exist and which PyO3 builds them is the interpreter table
//! (`crate::build_plan::interpreters`); the distributions these jobs must
//! produce are the build plan (`crate::build_plan`), embedded as data for
//! the gate in the check job.

use serde::Serialize;

use crate::answers::platforms::{Os, Platform};
use crate::answers::{python_floor, Config, Publish, Trigger};
use crate::build_plan::constraints;
pub(crate) use crate::build_plan::interpreters::TOOL_PYTHON;
use crate::build_plan::interpreters::{NEWEST_MINOR, OLDEST_MINOR, PYPY_MINOR};
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
    /// Installed next to the wheel before the smoke test (space-separated).
    pub test_requires: Option<String>,
    /// The Python the smoke test runs on: one the wheel supports.
    pub smoke_python: String,
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
    /// `github.event_name` of a release run (`release` or `push`): the only
    /// event besides a manual run that may publish. Pull requests and the
    /// weekly build never match it.
    pub release_event: &'static str,
    /// `paths:` of the `pull_request` trigger (the workflow file included),
    /// or null when pull requests do not build.
    pub pull_request_paths: Option<Vec<String>>,
    /// The weekly build's cron line, or null when it is off.
    pub weekly_cron: Option<&'static str>,
    /// Where the published release is installed and smoke-tested: one
    /// runner per OS family a built wheel runs on.
    pub verify_runners: Vec<VerifyRunner>,
    /// The planned distributions, as JSON data for the gate
    /// (`BuildPlan::gate_json`).
    pub gate: String,
    /// The repository's test workflow the publishing jobs wait for, in
    /// GitHub's self-repository form (`$/.github/workflows/...`: this
    /// repository at the commit that runs), or null.
    pub test_workflow: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct VerifyRunner {
    pub os: &'static str,
    pub runner: &'static str,
}

/// One runner per OS family (Linux, macOS, Windows) whose wheel a plain
/// `pip install` there picks: a pure-Python wheel installs everywhere; a
/// platform wheel on the first chosen platform of the family the runner
/// runs natively (x64 Windows Python does not take an x86 wheel).
fn verify_runners(project: &Project, config: &Config) -> Vec<VerifyRunner> {
    const PREFERENCE: &[(&str, &[&str])] = &[
        ("linux", &["linux-x86_64", "linux-aarch64"]),
        (
            "macos",
            &["macos-aarch64", "macos-universal2", "macos-x86_64"],
        ),
        ("windows", &["windows-x64", "windows-aarch64"]),
    ];
    PREFERENCE
        .iter()
        .filter_map(|(os, names)| {
            let platform = if project.builds_platform_wheels() {
                names
                    .iter()
                    .find_map(|n| config.platforms.iter().find(|p| p.name == *n))
                    .copied()?
            } else {
                crate::answers::platforms::find(names[0])?
            };
            Some(VerifyRunner {
                os,
                runner: platform.runner,
            })
        })
        .collect()
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
    /// macOS: `MACOSX_DEPLOYMENT_TARGET` for Rust (cibuildwheel's FAQ).
    pub macos_deployment_target: Option<&'static str>,
    /// The command that moves the test command to the root of the checkout
    /// (cibuildwheel's `{project}`): cibuildwheel runs tests from a
    /// temporary directory, on Windows through cmd.exe and on another drive
    /// (`%TEMP%` on C:, the checkout on D:), hence `cd /d` there.
    pub cd_project: &'static str,
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
    /// setup-python `python-version` to install first (macOS, Windows).
    /// setup-python `python-version` (one per line).
    pub setup_python: Option<String>,
    pub args: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct BuildJob {
    pub id: &'static str,
    pub title: &'static str,
    /// `manylinux` input of maturin-action (Linux families only), when every
    /// row of the job uses the same policy.
    pub manylinux: Option<String>,
    /// Rows use different policies (`matrix.manylinux`): maturin-action has
    /// no image for some cross targets at the chosen one.
    pub manylinux_per_row: bool,
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
    /// Some wheel of this job is smoke-tested in a container.
    pub container_smoke: bool,
    /// Some of those containers run under QEMU.
    pub qemu: bool,
    pub include: Vec<MatrixEntry>,
    /// Which `[tool.pyrel.platform]` settings some entry of this job has
    /// (each becomes a matrix key read in `with:`), and the build steps by
    /// build variables (one step, unconditional, when there are none).
    pub per_platform: PerPlatform,
}

/// Per-platform build settings of one job (`[tool.pyrel.platform]`).
#[derive(Debug, Serialize)]
pub(crate) struct PerPlatform {
    /// `args:` of the build steps when some entry adds maturin arguments: a
    /// `format()` of pyrel's arguments and the entry's, YAML-quoted here.
    pub args: Option<String>,
    pub extra_args: Vec<Option<String>>,
    pub before_script: bool,
    pub rust_toolchain: bool,
    pub docker_options: bool,
    pub container: bool,
    /// One build step per distinct set of build variables: a variable is
    /// never set (even empty) for a platform that did not set it.
    pub variants: Vec<EnvVariant>,
}

#[derive(Debug, Serialize)]
pub(crate) struct EnvVariant {
    /// ` (linux-x86_64, linux-aarch64)` after the step name, or empty.
    pub label: String,
    /// `matrix.platform == '...' || ...` of pyrel's own platform names.
    pub condition: Option<String>,
    pub env: Vec<(String, String)>,
}

/// The settings of one matrix entry from `[tool.pyrel.platform]`.
#[derive(Debug, Default, Serialize)]
pub(crate) struct EntrySettings {
    pub maturin_args: Option<String>,
    pub before_script: Option<String>,
    pub rust_toolchain: Option<String>,
    pub docker_options: Option<String>,
    pub container: Option<String>,
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
    /// A wheel the runner cannot run: the container it is smoke-tested in
    /// (see `smoke_containers`).
    pub smoke_image: Option<String>,
    pub smoke_platform: Option<&'static str>,
    /// Run that container under QEMU.
    pub qemu: bool,
    /// maturin-action `manylinux` input of this row (Linux, per-row policies).
    pub manylinux: Option<&'static str>,
    pub settings: EntrySettings,
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
        build_jobs(project, config)
    } else {
        Vec::new()
    };
    let emscripten = (project.is_maturin()
        && config.platforms.iter().any(|p| p.os == Os::Emscripten))
    .then(|| EmscriptenJob {
        args: with_extra("--release --out dist", config),
        maturin_version: EMSCRIPTEN_MATURIN,
        pyodide_build_version: PYODIDE_BUILD_VERSION,
    });
    let mut dist_jobs: Vec<String> = build_jobs.iter().map(|j| j.id.to_string()).collect();
    dist_jobs.extend(cibw_jobs.iter().map(|j| j.id.to_string()));
    if emscripten.is_some() {
        dist_jobs.push("emscripten".into());
    }
    dist_jobs.push(
        match pipeline {
            BuildPipeline::Python => "build",
            _ => "sdist",
        }
        .into(),
    );
    // cibuildwheel builds CPython 3.14t when CIBW_BUILD names it; PyPy must
    // also be enabled.
    let mut enable = Vec::new();
    if pipeline == BuildPipeline::Cibuildwheel && !project.is_bin() && config.pypy {
        enable.push("pypy");
    }
    WorkflowContext {
        common: common(project),
        name: project.name.clone(),
        pipeline,
        bindings_bin: project.is_bin(),
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
        test_requires: (!config.test_requires.is_empty()).then(|| config.test_requires.clone()),
        smoke_python: smoke_python(project, config),
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
        release_event: match config.trigger {
            Trigger::Release => "release",
            Trigger::Tag => "push",
        },
        pull_request_paths: config.pull_request_paths.as_ref().map(|paths| {
            let mut paths = paths.clone();
            // The workflow itself is a packaging input: a change to it is
            // proven on the pull request that makes it.
            if !paths.contains(&config.workflow) {
                paths.push(config.workflow.clone());
            }
            paths
        }),
        weekly_cron: config.weekly_build.then_some(WEEKLY_CRON),
        verify_runners: verify_runners(project, config),
        gate: crate::build_plan::plan(project, config).gate_json(),
        test_workflow: config.test_workflow.as_ref().map(|p| format!("$/{p}")),
    }
}

/// Mondays 04:37 UTC: off the top of the hour, when GitHub's scheduler is
/// busiest and drops or delays runs.
const WEEKLY_CRON: &str = "37 4 * * 1";

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
                // Rust cannot be installed where rustup has no installer
                // (musllinux i686): skipped and reported (`adaptations`).
                .filter(|p| {
                    !matches!(p.os, Os::Linux | Os::Musllinux)
                        || constraints::rustup_installs_in_container(p)
                })
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
                Os::Linux => cibw_images("MANYLINUX", config.manylinux_policy().cibw_image()),
                Os::Musllinux => cibw_images("MUSLLINUX", Some(constraints::MUSLLINUX)),
                _ => Vec::new(),
            };
            let chosen: Vec<&Platform> = config
                .platforms
                .iter()
                .copied()
                .filter(|p| p.os == os)
                .collect();
            Some(CibwJob {
                id,
                linux: matches!(os, Os::Linux | Os::Musllinux),
                images,
                cd_project: if os == Os::Windows {
                    "cd /d {project}"
                } else {
                    "cd {project}"
                },
                macos_deployment_target: (os == Os::Macos)
                    .then(|| constraints::cibw_macos_deployment_target(&chosen))
                    .flatten(),
                include,
            })
        })
        .collect()
}

/// `CIBW_MANYLINUX_X86_64_IMAGE: manylinux_2_28` and so on: only
/// cibuildwheel's pinned image names (any other value is pulled as a Docker
/// image); none for `auto` (cibuildwheel's default image).
fn cibw_images(policy: &str, image: Option<&'static str>) -> Vec<(String, String)> {
    let Some(image) = image else {
        return Vec::new();
    };
    [
        ("X86_64", "x86_64"),
        ("AARCH64", "aarch64"),
        ("I686", "i686"),
    ]
    .iter()
    .filter(|(_, arch)| constraints::cibw_pinned(arch, image))
    .map(|(var, _)| (format!("CIBW_{policy}_{var}_IMAGE"), image.to_string()))
    .collect()
}

/// The interpreters cibuildwheel builds for on one platform: the abi3 floor
/// only (one wheel serves every later CPython), else every CPython the crate
/// supports (free-threaded included when chosen); PyPy where it exists.
pub(crate) fn cibw_identifiers(project: &Project, config: &Config, p: &Platform) -> Vec<String> {
    if project.is_bin() {
        // One py3-none wheel: any one CPython builds it.
        let floor = interpreters(project, p, false);
        return floor.first().map(|v| cp_tag(v)).into_iter().collect();
    }
    let mut out: Vec<String> = match &project.abi3 {
        Some(floor) => vec![floor.tag()],
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

fn build_jobs(project: &Project, config: &Config) -> Vec<BuildJob> {
    let families = [
        (Os::Linux, "linux", "Linux (manylinux)"),
        (Os::Musllinux, "musllinux", "Linux (musllinux)"),
        (Os::Windows, "windows", "Windows"),
        (Os::Macos, "macos", "macOS"),
        (Os::Android, "android", "Android"),
    ];
    let abi3 = project.abi3.is_some();
    families
        .into_iter()
        .filter_map(|(os, id, title)| {
            // One abi3 wheel serves every Python; otherwise build one wheel per
            // interpreter. Linux builds run in manylinux containers that ship
            // every CPython, so only macOS/Windows need interpreters installed.
            // A `bin` wheel holds no extension: it needs no interpreter at all.
            let bin = project.is_bin();
            let setup_python = !abi3 && !bin && matches!(os, Os::Windows | Os::Macos);
            let include: Vec<MatrixEntry> = config
                .platforms
                .iter()
                .filter(|p| p.os == os)
                .map(|p| {
                    let mut entry = matrix_entry(
                        p,
                        setup_python.then(|| interpreters(project, p, config.free_threaded)),
                    );
                    // The container runs the smoke-test Python too.
                    entry.smoke_image = super::smoke_containers::container(p)
                        .map(|c| c.image(&smoke_python(project, config)));
                    entry
                })
                .collect();
            if include.is_empty() {
                return None;
            }
            // The policy per row: maturin-action has no image for some
            // cross targets at some policies (`constraints::maturin_policy`).
            let mut include = include;
            let policies: Vec<&'static str> = config
                .platforms
                .iter()
                .filter(|p| p.os == os)
                .map(|p| constraints::maturin_policy(p, config.manylinux_policy()).0)
                .collect();
            let linux = matches!(os, Os::Linux | Os::Musllinux);
            let manylinux_per_row = linux && policies.windows(2).any(|w| w[0] != w[1]);
            if manylinux_per_row {
                for (entry, policy) in include.iter_mut().zip(&policies) {
                    entry.manylinux = Some(policy);
                }
            }
            let manylinux = (linux && !manylinux_per_row)
                .then(|| policies.first().map(|p| p.to_string()))
                .flatten();
            let args = build_args(project, config, os);
            // Extra builds name their own interpreter after the base arguments.
            let extra_builds = extra_builds(
                project,
                config,
                os,
                &with_extra("--release --out dist", config),
            );
            let before_script = (matches!(os, Os::Linux | Os::Musllinux)
                && !config.before_script_linux.is_empty())
            .then(|| config.before_script_linux.clone());
            let per_platform = per_platform(
                config,
                &mut include,
                matches!(os, Os::Linux | Os::Musllinux),
                &args,
                &extra_builds,
            );
            Some(BuildJob {
                per_platform,
                id,
                title,
                manylinux,
                manylinux_per_row,
                setup_python,
                args,
                before_script,
                windows: os == Os::Windows,
                extra_builds,
                smoke: include.iter().any(|e| e.smoke),
                container_smoke: include.iter().any(|e| e.smoke_image.is_some()),
                qemu: include.iter().any(|e| e.qemu),
                include,
            })
        })
        .collect()
}

/// maturin's arguments for one job: release, into `dist`, the
/// interpreters to build (none for abi3 and bin wheels), then the user's.
fn build_args(project: &Project, config: &Config, os: Os) -> String {
    let mut args = "--release --out dist".to_string();
    if project.abi3.is_none() && !project.is_bin() {
        match os {
            // Linux images and maturin's bundled sysconfigs carry
            // more interpreters than this crate can build (newer
            // CPythons, free-threaded ones), and so can a macOS
            // runner (Homebrew's): name exactly the plan's.
            // maturin-action's README: "to build for certain Python
            // version for Linux, use `-i pythonX.Y` in the `args`";
            // on macOS setup-python puts each `python3.X` on PATH.
            Os::Linux | Os::Musllinux | Os::Macos => {
                let list = job_interpreters(project, config, os);
                args.push_str(" -i ");
                args.push_str(&list.join(" "));
            }
            // maturin-action provides one Android CPython.
            Os::Android => {}
            // Windows: setup-python installs exactly the matrix's
            // list, as `python.exe` in per-version directories
            // (no `python3.X` to name), and maturin finds them.
            _ => args.push_str(" --find-interpreter"),
        }
    }
    if !config.maturin_args.is_empty() {
        args.push(' ');
        args.push_str(&config.maturin_args);
    }
    args
}

/// abi3 wheels do not load on free-threaded CPython, and no wheel but a
/// PyPy build loads on PyPy: each gets its own build in the same job.
/// Interpreter-specific wheels need real interpreters, so bin crates (one
/// py3-none wheel) get none.
fn extra_builds(project: &Project, config: &Config, os: Os, args: &str) -> Vec<ExtraBuild> {
    let mut out = Vec::new();
    if project.is_bin() {
        return out;
    }
    let abi3 = project.abi3.is_some();
    let installs = matches!(os, Os::Windows | Os::Macos);
    // Without abi3, the main build's interpreters already include the
    // free-threaded one (`interpreters`).
    // Android has no free-threaded CPython: the build would repeat the abi3 one.
    // The free-threaded builds of the plan (3.14t, and 3.15t from PyO3 0.29).
    let free_threaded: Vec<String> = config
        .platforms
        .iter()
        .find(|p| p.os == os)
        .map(|p| {
            crate::build_plan::free_threaded_interpreters(project, p)
                .iter()
                .map(|i| i.version())
                .collect()
        })
        .unwrap_or_default();
    if config.free_threaded && abi3 && !free_threaded.is_empty() && os != Os::Android {
        let executables: Vec<String> = free_threaded.iter().map(|v| format!("python{v}")).collect();
        out.push(ExtraBuild {
            title: "Build the free-threaded wheels",
            condition: None,
            setup_python: installs.then(|| free_threaded.join("\n")),
            args: format!("{args} -i {}", executables.join(" ")),
        });
    }
    // PyPy ships for glibc Linux, macOS and x64 Windows only.
    if config.pypy && matches!(os, Os::Linux | Os::Windows | Os::Macos) {
        // Where PyPy exists: manylinux images for x86_64/aarch64/i686,
        // macOS, Windows x64.
        let only: &[&str] = match os {
            Os::Linux => &["linux-x86_64", "linux-aarch64", "linux-i686"],
            Os::Musllinux => &[],
            Os::Windows => &["windows-x64"],
            _ => &["macos-x86_64", "macos-aarch64"],
        };
        let chosen: Vec<&str> = only
            .iter()
            .copied()
            .filter(|n| config.platforms.iter().any(|p| p.name == *n))
            .collect();
        if chosen.is_empty() {
            return out;
        }
        let condition = chosen
            .iter()
            .map(|n| format!("matrix.platform == '{n}'"))
            .collect::<Vec<_>>()
            .join(" || ");
        out.push(ExtraBuild {
            title: "Build the PyPy wheels",
            condition: Some(condition),
            setup_python: installs.then(|| format!("pypy3.{PYPY_MINOR}")),
            args: format!("{args} -i pypy3.{PYPY_MINOR}"),
        });
    }
    out
}

/// The `-i` list of a Linux or macOS job: the interpreters of the plan for
/// the platforms of the family (the same on every Linux and macOS target),
/// as executables maturin finds in the manylinux images, in its bundled
/// sysconfigs, or where setup-python installed them.
pub(crate) fn job_interpreters(project: &Project, config: &Config, os: Os) -> Vec<String> {
    let Some(p) = config.platforms.iter().find(|p| p.os == os) else {
        return Vec::new();
    };
    interpreters(project, p, config.free_threaded)
        .iter()
        .map(|v| format!("python{v}"))
        .collect()
}

/// The Python the smoke test installs the wheel into: pyrel's tool Python
/// when the wheel supports it, else the nearest CPython it does (a
/// `requires-python = ">=3.14"` or abi3-py314 package, or a crate whose
/// PyO3 stops before the tool Python).
pub(crate) fn smoke_python(project: &Project, config: &Config) -> String {
    let tool: u32 = TOOL_PYTHON
        .strip_prefix("3.")
        .and_then(|m| m.parse().ok())
        .unwrap_or(NEWEST_MINOR);
    let floor = project
        .requires_python
        .as_deref()
        .and_then(python_floor)
        .and_then(|v| v.strip_prefix("3.").and_then(|m| m.parse::<u32>().ok()))
        .unwrap_or(OLDEST_MINOR);
    let abi3 = project.abi3.map(|a| a.minor);
    let (low, high) = if project.is_bin() || !project.builds_platform_wheels() {
        (floor, NEWEST_MINOR)
    } else if let Some(a) = abi3 {
        (floor.max(a), NEWEST_MINOR)
    } else {
        // The CPythons built for the first smoke-tested platform.
        let built: Vec<u32> = config
            .platforms
            .iter()
            .find(|p| p.native)
            .map(|p| interpreters(project, p, false))
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.strip_prefix("3.").and_then(|m| m.parse().ok()))
            .collect();
        match (built.first(), built.last()) {
            (Some(l), Some(h)) => (*l, *h),
            _ => (floor, NEWEST_MINOR),
        }
    };
    format!("3.{}", tool.clamp(low, high.max(low)))
}

fn matrix_entry(p: &Platform, interpreters: Option<Vec<String>>) -> MatrixEntry {
    let container = super::smoke_containers::container(p);
    MatrixEntry {
        smoke_image: None,
        smoke_platform: container.map(|c| c.docker_platform),
        qemu: container.is_some_and(|c| c.emulated),
        platform: p.name,
        target: p.target,
        runner: p.runner,
        smoke: p.native,
        python_arch: match (p.os, p.target) {
            (Os::Windows, "x86") => Some("x86"),
            (Os::Windows, "aarch64") => Some("arm64"),
            (Os::Windows, _) => Some("x64"),
            _ => None,
        },
        interpreters: interpreters.map(|list| list.join("\n")),
        manylinux: None,
        settings: EntrySettings::default(),
    }
}

/// `[tool.pyrel.platform]` for one job: matrix keys per entry, and the
/// build-step variants by build variables.
fn per_platform(
    config: &Config,
    include: &mut [MatrixEntry],
    linux: bool,
    args: &str,
    extras: &[ExtraBuild],
) -> PerPlatform {
    type Group = (Vec<(String, String)>, Vec<&'static str>);
    let mut groups: Vec<Group> = Vec::new();
    for e in include.iter_mut() {
        let s = config.platform_settings(e.platform);
        let global_before =
            (!config.before_script_linux.is_empty()).then(|| config.before_script_linux.clone());
        e.settings = EntrySettings {
            maturin_args: s.maturin_args.clone(),
            before_script: if linux {
                s.before_script_linux.clone().or(global_before)
            } else {
                None
            },
            rust_toolchain: s.rust_toolchain.clone(),
            docker_options: s.docker_options.clone().filter(|_| linux),
            container: s.container.clone().filter(|_| linux),
        };
        let env: Vec<(String, String)> = s.env.into_iter().collect();
        match groups.iter_mut().find(|(g, _)| *g == env) {
            Some((_, names)) => names.push(e.platform),
            None => groups.push((env, vec![e.platform])),
        }
    }
    let any = |f: fn(&EntrySettings) -> bool| include.iter().any(|e| f(&e.settings));
    let per_args = any(|s| s.maturin_args.is_some());
    let args_expr = |base: &str| {
        crate::render::filters::yaml_quote(&format!(
            "${{{{ format('{{0}} {{1}}', '{}', matrix.maturin-args) }}}}",
            base.replace('\'', "''")
        ))
    };
    let variants = if groups.len() <= 1 && groups.first().is_none_or(|(env, _)| env.is_empty()) {
        vec![EnvVariant {
            label: String::new(),
            condition: None,
            env: Vec::new(),
        }]
    } else if groups.len() == 1 {
        vec![EnvVariant {
            label: String::new(),
            condition: None,
            env: groups[0].0.clone(),
        }]
    } else {
        groups
            .into_iter()
            .map(|(env, names)| EnvVariant {
                label: format!(" ({})", names.join(", ")),
                condition: Some(
                    names
                        .iter()
                        .map(|n| format!("matrix.platform == '{n}'"))
                        .collect::<Vec<_>>()
                        .join(" || "),
                ),
                env,
            })
            .collect()
    };
    PerPlatform {
        args: per_args.then(|| args_expr(args)),
        extra_args: extras
            .iter()
            .map(|x| per_args.then(|| args_expr(&x.args)))
            .collect(),
        before_script: linux
            && include.iter().any(|e| e.settings.before_script.is_some())
            && include.iter().any(|e| {
                e.settings.before_script.as_deref() != Some(config.before_script_linux.as_str())
            }),
        rust_toolchain: any(|s| s.rust_toolchain.is_some()),
        docker_options: any(|s| s.docker_options.is_some()),
        container: any(|s| s.container.is_some()),
        variants,
    }
}

/// CPython versions to build for on `platform` (setup-python spelling):
/// the plan's, from the interpreter table (`build_plan::cpython_interpreters`:
/// the `requires-python` range within what the crate's PyO3 builds, and the
/// free-threaded builds from 3.14t where it builds them).
pub(crate) fn interpreters(
    project: &Project,
    platform: &Platform,
    free_threaded: bool,
) -> Vec<String> {
    crate::build_plan::cpython_interpreters(project, platform, free_threaded)
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
    pub bindings: Option<crate::inspect::Bindings>,
    pub module_name: String,
    pub abi3: Option<crate::inspect::Abi3>,
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
    pub test_requires: Option<String>,
    /// The test workflow that must pass before publishing, or null.
    pub test_workflow: Option<String>,
    /// The Python the smoke test runs on.
    pub smoke_python: String,
    /// What pyrel changed so that every build row can run: pyrel's own
    /// sentences about its own platform names (Markdown, not escaped).
    pub adaptations: Vec<String>,
    pub github_release: bool,
    pub manylinux: String,
    pub free_threaded: bool,
    /// The free-threaded CPythons the plan builds, in words (`3.14t and
    /// 3.15t`).
    pub free_threaded_pythons: String,
    pub pypy: bool,
    pub emscripten: bool,
    /// Old workflows that still publish: what to delete from each.
    pub migrations: Vec<DocMigration>,
    /// `paths:` of the pull requests that build, or null when they don't.
    pub pull_request_paths: Option<Vec<String>>,
    /// The weekly build's cron line, or null.
    pub weekly_cron: Option<&'static str>,
    /// `github.event_name` of a release run.
    pub release_event: &'static str,
    /// OS families the published release is installed on.
    pub verify_oses: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DocMigration {
    pub file: String,
    pub jobs: Vec<DocJob>,
    /// The order of steps (`adopt::retire_steps`), as the report and
    /// doctor say it.
    pub steps: Vec<String>,
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
    /// Smoke-tested in this container image (maturin path).
    pub container: Option<String>,
    /// ... under QEMU emulation.
    pub emulated: bool,
    /// Why the wheel is not executed before publishing.
    pub not_executed: Option<&'static str>,
}

/// The free-threaded CPythons the plan builds (`3.14t`, `3.15t`), as the
/// docs name them.
fn free_threaded_pythons(project: &Project, config: &Config) -> String {
    let plan = crate::build_plan::plan(project, config);
    let mut names: Vec<String> = Vec::new();
    for (_, w) in plan.wheels() {
        if w.family == crate::build_plan::Family::FreeThreaded && !names.contains(&w.python) {
            names.push(w.python.clone());
        }
    }
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

pub(crate) fn docs(project: &Project, config: &Config) -> DocsContext {
    let workflow = workflow(project, config);
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
        bindings: project.bindings,
        module_name: project.module_name.clone(),
        abi3: project.abi3,
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
        platforms: doc_platforms(project, config),
        smoke_test: config.smoke_test.clone(),
        test_command: (!config.test_command.is_empty()).then(|| config.test_command.clone()),
        test_requires: (!config.test_requires.is_empty()).then(|| config.test_requires.clone()),
        test_workflow: config.test_workflow.clone(),
        smoke_python: smoke_python(project, config),
        adaptations: constraints::adaptations(project, config),
        github_release: config.github_release,
        manylinux: config.manylinux.clone(),
        free_threaded: config.free_threaded,
        free_threaded_pythons: free_threaded_pythons(project, config),
        pypy: config.pypy,
        emscripten: config.platforms.iter().any(|p| p.os == Os::Emscripten),
        migrations: doc_migrations(project, config),
        pull_request_paths: workflow.pull_request_paths,
        weekly_cron: workflow.weekly_cron,
        release_event: workflow.release_event,
        verify_oses: workflow.verify_runners.iter().map(|r| r.os).collect(),
    }
}

/// The platforms RELEASING.md lists, with how each is smoke-tested.
fn doc_platforms(project: &Project, config: &Config) -> Vec<DocPlatform> {
    config
        .platforms
        .iter()
        .map(|p| {
            // cibuildwheel tests every wheel of the platforms it builds
            // (i686 and musllinux in its containers).
            let cibw = project.is_cibuildwheel();
            let container = (!cibw)
                .then(|| super::smoke_containers::container(p))
                .flatten();
            DocPlatform {
                name: p.name,
                runner: p.runner,
                smoke: p.native || cibw || container.is_some(),
                container: container.map(|c| c.image(&smoke_python(project, config))),
                emulated: container.is_some_and(|c| c.emulated),
                not_executed: (!cibw)
                    .then(|| super::smoke_containers::not_executed(p))
                    .flatten(),
            }
        })
        .collect()
}

/// The other workflows that publish the package, and how to retire them.
fn doc_migrations(project: &Project, config: &Config) -> Vec<DocMigration> {
    crate::adopt::other_publishers(project, &config.workflow)
        .into_iter()
        .map(|o| DocMigration {
            steps: {
                let mut jobs: Vec<&str> = o.jobs.iter().map(|j| j.job.as_str()).collect();
                jobs.dedup();
                crate::adopt::retire_steps(o.file, &jobs, &config.workflow)
            },
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
        .collect()
}

/// `dependabot.yml.j2` and `dependabot-entry.yml.j2`.
#[derive(Debug, Serialize)]
pub(crate) struct DependabotContext {
    /// Indentation of the items of `updates:` (spaces only).
    pub indent: String,
}
