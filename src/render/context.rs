//! One serializable context per template, built from `Project` + `Config`.
//! All decisions (which jobs, which runners, which interpreters) are made
//! here in Rust and tested; the templates only lay the values out.

use serde::Serialize;

use crate::answers::platforms::{Os, Platform};
use crate::answers::{python_floor, Config, Publish, Trigger};
use crate::inspect::{GitHub, Project, VersionSource};

/// Python used by pyrel's own helper jobs (version check, metadata check)
/// and for smoke tests: current, with wheels for every runner architecture.
const TOOL_PYTHON: &str = "3.13";
/// The newest CPython release line; the top of the interpreter range.
const NEWEST_MINOR: u32 = 14;
/// Oldest CPython that setup-python still provides on every runner.
const OLDEST_MINOR: u32 = 9;
/// twine release used for the metadata check.
pub(crate) const TWINE_VERSION: &str = "7.0.0";
/// `build` release used for pure-Python packages.
pub(crate) const BUILD_VERSION: &str = "1.6.1";

#[derive(Debug, Serialize)]
pub(crate) struct Common {
    pub pyrel_version: &'static str,
    /// The command that regenerates the files, run from the repository root.
    pub regenerate: String,
    pub pyproject: String,
    pub digest_line: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct WorkflowContext {
    pub common: Common,
    pub name: String,
    pub maturin: bool,
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
    pub vcs_version: bool,
    pub github_release: bool,
    /// Job ids the metadata check waits for.
    pub dist_jobs: Vec<String>,
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
    let regenerate = if project.package_dir.is_empty() {
        "pyrel generate".to_string()
    } else {
        format!("pyrel generate {}", project.package_dir)
    };
    Common {
        pyrel_version: env!("CARGO_PKG_VERSION"),
        regenerate,
        pyproject: crate::inspect::display_path(&project.package_dir, "pyproject.toml"),
        digest_line: super::stamp::placeholder(),
    }
}

pub(crate) fn workflow(project: &Project, config: &Config) -> WorkflowContext {
    let working_directory = (!project.package_dir.is_empty()).then(|| project.package_dir.clone());
    let build_jobs = if project.is_maturin() {
        build_jobs(project, config)
    } else {
        Vec::new()
    };
    let mut dist_jobs: Vec<String> = build_jobs.iter().map(|j| j.id.to_string()).collect();
    dist_jobs.push(
        if project.is_maturin() {
            "sdist"
        } else {
            "build"
        }
        .into(),
    );
    WorkflowContext {
        common: common(project),
        name: project.name.clone(),
        maturin: project.is_maturin(),
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
        vcs_version: project.vcs_version,
        github_release: config.github_release,
        dist_jobs,
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
    ];
    let abi3 = project.abi3.is_some();
    families
        .into_iter()
        .filter_map(|(os, id, title)| {
            // One abi3 wheel serves every Python; otherwise build one wheel per
            // interpreter. Linux builds run in manylinux containers that ship
            // every CPython, so only macOS/Windows need interpreters installed.
            let setup_python = !abi3 && matches!(os, Os::Windows | Os::Macos);
            let include: Vec<MatrixEntry> = config
                .platforms
                .iter()
                .filter(|p| p.os == os)
                .map(|p| matrix_entry(p, setup_python.then(|| interpreters(project, p))))
                .collect();
            if include.is_empty() {
                return None;
            }
            let manylinux = match os {
                Os::Linux => Some(config.manylinux.clone()),
                Os::Musllinux => Some("musllinux_1_2".to_string()),
                _ => None,
            };
            let mut args = "--release --out dist".to_string();
            if !abi3 && project.bindings.as_deref() != Some("bin") {
                args.push_str(" --find-interpreter");
            }
            if !config.maturin_args.is_empty() {
                args.push(' ');
                args.push_str(&config.maturin_args);
            }
            let before_script = (matches!(os, Os::Linux | Os::Musllinux)
                && !config.before_script_linux.is_empty())
            .then(|| config.before_script_linux.clone());
            Some(BuildJob {
                id,
                title,
                manylinux,
                setup_python,
                args,
                before_script,
                windows: os == Os::Windows,
                smoke: include.iter().any(|e| e.smoke),
                include,
            })
        })
        .collect()
}

fn matrix_entry(p: &Platform, interpreters: Option<Vec<String>>) -> MatrixEntry {
    MatrixEntry {
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
    }
}

/// CPython versions to build for: from the `requires-python` floor (or the
/// oldest still available) to the newest PyO3 supports, plus the
/// free-threaded build where this PyO3 supports it.
pub(crate) fn interpreters(project: &Project, platform: &Platform) -> Vec<String> {
    let floor = project
        .requires_python
        .as_deref()
        .and_then(python_floor)
        .and_then(|v| v.strip_prefix("3.").and_then(|m| m.parse::<u32>().ok()))
        .unwrap_or(OLDEST_MINOR)
        .max(OLDEST_MINOR);
    let pyo3 = project.pyo3_version.as_deref().and_then(pyo3_minor);
    let newest = match pyo3 {
        Some(m) if m < 22 => 12,
        Some(m) if m < 25 => 13,
        _ => NEWEST_MINOR,
    };
    // Windows on Arm has CPython builds from 3.11 on.
    let floor = if platform.name == "windows-aarch64" {
        floor.max(11)
    } else {
        floor
    };
    let mut out: Vec<String> = (floor..=newest).map(|m| format!("3.{m}")).collect();
    if pyo3.is_none_or(|m| m >= 26) && newest == NEWEST_MINOR {
        out.push(format!("3.{NEWEST_MINOR}t"));
    }
    out
}

/// `"0.29.0"`, `"^0.23"`, `"=0.25.1"` → the minor version.
fn pyo3_minor(req: &str) -> Option<u32> {
    let v = req.trim_start_matches(|c: char| !c.is_ascii_digit());
    let mut parts = v.split('.');
    (parts.next()? == "0").then_some(())?;
    parts.next()?.parse().ok()
}

#[derive(Debug, Serialize)]
pub(crate) struct DocsContext {
    pub common: Common,
    pub name: String,
    pub maturin: bool,
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
    pub platforms: Vec<DocPlatform>,
    pub smoke_test: String,
    pub test_command: Option<String>,
    pub github_release: bool,
    pub manylinux: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct DocPlatform {
    pub name: &'static str,
    pub runner: &'static str,
    pub smoke: bool,
}

pub(crate) fn docs(project: &Project, config: &Config) -> DocsContext {
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
        version_files: project
            .version_sources
            .iter()
            .map(|s| s.file.clone())
            .collect(),
        vcs_version: project.vcs_version,
        platforms: config
            .platforms
            .iter()
            .map(|p| DocPlatform {
                name: p.name,
                runner: p.runner,
                smoke: p.native,
            })
            .collect(),
        smoke_test: config.smoke_test.clone(),
        test_command: (!config.test_command.is_empty()).then(|| config.test_command.clone()),
        github_release: config.github_release,
        manylinux: config.manylinux.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::pyo3_minor;

    #[test]
    fn reads_pyo3_minor() {
        assert_eq!(pyo3_minor("0.29.0"), Some(29));
        assert_eq!(pyo3_minor("^0.23"), Some(23));
        assert_eq!(pyo3_minor("=0.25.1"), Some(25));
        assert_eq!(pyo3_minor("1.0"), None);
    }
}

/// `dependabot.yml.j2` and `dependabot-entry.yml.j2`.
#[derive(Debug, Serialize)]
pub(crate) struct DependabotContext {
    /// Indentation of the items of `updates:` (spaces only).
    pub indent: String,
}
