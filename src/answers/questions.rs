//! The questions `init` can ask, as data. Each is also a `[tool.pyrel]` key
//! and a command-line flag of the same name, so "given by a flag" and
//! "already answered" are one lookup, not an `if` per question.

use super::{Answers, Key, Value};
use crate::inspect::Project;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    Bool,
    Text,
    /// One of a fixed set.
    Choice(&'static [&'static str]),
    /// Any subset of the known platforms.
    Platforms,
    /// Any list of strings (path filters).
    List,
}

pub(crate) struct Question {
    /// `[tool.pyrel]` key and flag name (`--<key>`).
    pub key: Key,
    pub prompt: &'static str,
    /// The help of the flag `--<key>` (`pyrel init --help`).
    pub flag_help: &'static str,
    pub kind: Kind,
    /// The value pyrel would pick with no config and no flags.
    pub default: fn(&Project) -> Option<Value>,
    /// Whether the question matters given the answers so far.
    pub relevant: fn(&Answers, &Project) -> bool,
    /// Whether `init` asks it interactively; the rest are flags and keys
    /// only, so the interview stays short.
    pub ask: bool,
}

fn always(_: &Answers, _: &Project) -> bool {
    true
}

fn text(s: impl Into<String>) -> Option<Value> {
    Some(Value::Str(s.into()))
}

/// A short slug for packages that are not at the repository root, so that two
/// packages in one repo get distinct workflows, tags and environments.
/// pyrel's workflow path: `release.yml` (`release-<slug>.yml` for a package
/// in a subdirectory), unless a workflow that neither builds nor publishes
/// Python distributions (a cargo-dist `release.yml`) is there: then the
/// first free `release-pypi*.yml`. The migration report says so.
pub(crate) fn default_workflow(p: &Project) -> String {
    let base = preferred_workflow(p);
    let taken = |path: &str| {
        p.existing_workflows
            .iter()
            .any(|w| w.file == path && (w.unrelated() || path != base))
    };
    if !taken(&base) {
        return base;
    }
    let stem = base.trim_end_matches(".yml");
    (1..100)
        .map(|n| match n {
            1 => format!("{stem}-pypi.yml"),
            n => format!("{stem}-pypi-{n}.yml"),
        })
        .find(|c| !p.existing_workflows.iter().any(|w| &w.file == c))
        .unwrap_or(base)
}

/// The path pyrel takes when nothing else is there.
pub(crate) fn preferred_workflow(p: &Project) -> String {
    match subdir_slug(p) {
        None => ".github/workflows/release.yml".to_string(),
        Some(s) => format!(".github/workflows/release-{s}.yml"),
    }
}

pub(crate) fn subdir_slug(p: &Project) -> Option<String> {
    if p.package_dir.is_empty() {
        return None;
    }
    let slug: String = p
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    Some(slug.trim_matches('-').to_string())
}

pub(crate) const QUESTIONS: &[Question] = &[
    Question {
        key: Key::Platforms,
        prompt: "Platforms to build wheels for",
        flag_help: "Comma-separated `<os>-<arch>` list, e.g. linux-x86_64,macos-aarch64",
        kind: Kind::Platforms,
        default: |p| {
            // A pure-Python package has one universal wheel; the list is moot.
            let list: Vec<String> = if p.builds_platform_wheels() {
                super::platforms::DEFAULT
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            } else {
                Vec::new()
            };
            Some(Value::List(list))
        },
        relevant: |_, p| p.builds_platform_wheels(),
        ask: true,
    },
    Question {
        key: Key::FreeThreaded,
        // Every free-threaded CPython of the interpreter table
        // (`build_plan::interpreters`; a test keeps the two equal).
        prompt: "Also build wheels for free-threaded CPython (3.14t and 3.15t, each where the crate's PyO3 builds it)",
        flag_help: "Also build free-threaded CPython wheels (3.14t, 3.15t where PyO3 builds it; extra builds for abi3 crates)",
        kind: Kind::Bool,
        // Without abi3, every CPython is built, free-threaded included; an
        // abi3 crate needs an extra build, off unless asked for (or imported).
        default: |p| Some(Value::Bool(p.abi3.is_none())),
        relevant: |_, p| p.builds_platform_wheels() && !p.is_bin(),
        ask: false,
    },
    Question {
        key: Key::Pypy,
        prompt: "Also build wheels for PyPy",
        flag_help: "Also build PyPy wheels",
        kind: Kind::Bool,
        default: |_| Some(Value::Bool(false)),
        relevant: |_, p| p.builds_platform_wheels() && !p.is_bin(),
        ask: false,
    },
    Question {
        key: Key::Trigger,
        prompt: "Publish when",
        flag_help: "`release` (a published GitHub release) or `tag` (a pushed tag)",
        kind: Kind::Choice(super::Trigger::NAMES),
        default: |_| text(super::Trigger::Release.as_str()),
        relevant: always,
        ask: true,
    },
    Question {
        key: Key::TagPrefix,
        prompt: "Release tag prefix (the tag is <prefix><version>)",
        flag_help: "Tags are `<prefix><version>`",
        kind: Kind::Text,
        default: |p| text(subdir_slug(p).map_or("v".to_string(), |s| format!("{s}-v"))),
        relevant: always,
        ask: true,
    },
    Question {
        key: Key::Publish,
        prompt: "Authenticate to PyPI with",
        flag_help: "`trusted` (PyPI trusted publishing, the default) or `token`",
        kind: Kind::Choice(super::Publish::NAMES),
        default: |_| text(super::Publish::Trusted.as_str()),
        relevant: always,
        ask: true,
    },
    Question {
        key: Key::TokenSecret,
        prompt: "Name of the GitHub secret holding the PyPI token",
        flag_help: "GitHub secret holding the PyPI token (token publishing)",
        kind: Kind::Text,
        default: |_| text("PYPI_API_TOKEN"),
        relevant: |a, _| a.publish() == Some(super::Publish::Token),
        ask: true,
    },
    Question {
        key: Key::Testpypi,
        prompt: "Offer a manual run that publishes to TestPyPI",
        flag_help: "Offer a manual run that publishes to TestPyPI",
        kind: Kind::Bool,
        default: |_| Some(Value::Bool(true)),
        relevant: always,
        ask: true,
    },
    Question {
        key: Key::TestpypiTokenSecret,
        prompt: "Name of the GitHub secret holding the TestPyPI token",
        flag_help: "GitHub secret holding the TestPyPI token (token publishing)",
        kind: Kind::Text,
        default: |_| text("TEST_PYPI_API_TOKEN"),
        relevant: |a, _| a.publish() == Some(super::Publish::Token) && a.bool(Key::Testpypi),
        ask: true,
    },
    Question {
        key: Key::Environment,
        prompt: "GitHub environment for PyPI publishing",
        flag_help: "GitHub environment for PyPI publishing",
        kind: Kind::Text,
        default: |p| text(subdir_slug(p).map_or("pypi".to_string(), |s| format!("pypi-{s}"))),
        relevant: always,
        ask: false,
    },
    Question {
        key: Key::TestpypiEnvironment,
        prompt: "GitHub environment for TestPyPI publishing",
        flag_help: "GitHub environment for TestPyPI publishing",
        kind: Kind::Text,
        default: |p| {
            text(subdir_slug(p).map_or("testpypi".to_string(), |s| format!("testpypi-{s}")))
        },
        relevant: |a, _| a.bool(Key::Testpypi),
        ask: false,
    },
    Question {
        key: Key::Manylinux,
        prompt: "manylinux policy for Linux wheels",
        flag_help: "manylinux policy: auto, 2014, 2_28, ...",
        kind: Kind::Text,
        default: |_| text("auto"),
        relevant: |a, p| {
            p.builds_platform_wheels()
                && a.list(Key::Platforms).iter().any(|n| n.starts_with("linux-"))
        },
        ask: false,
    },
    Question {
        key: Key::SmokeTest,
        prompt: "Smoke-test command run against the installed wheel",
        flag_help: "Command run against the installed wheel",
        kind: Kind::Text,
        default: |p| text(default_smoke_test(p)),
        relevant: always,
        ask: true,
    },
    Question {
        key: Key::TestCommand,
        prompt: "Test command run against the installed wheel before publishing (e.g. pytest)",
        flag_help: "Test command run from the checkout against the installed wheel before publishing",
        kind: Kind::Text,
        default: |_| None,
        relevant: always,
        ask: false,
    },
    Question {
        key: Key::TestRequires,
        prompt: "Requirements installed next to the wheel before the smoke test and test command, space-separated (e.g. pytest)",
        flag_help: "Requirements installed before the smoke test and test command (e.g. \"pytest\")",
        kind: Kind::Text,
        default: |_| None,
        relevant: always,
        ask: false,
    },
    Question {
        key: Key::TestWorkflow,
        prompt: "Workflow whose tests must pass before anything is published (a reusable workflow, `on: workflow_call`)",
        flag_help: "Reusable workflow (`on: workflow_call`) whose tests must pass before publishing, e.g. \".github/workflows/ci.yml\" (\"\" for none)",
        kind: Kind::Text,
        // Detected by `init` (answers::adopt): the one callable CI workflow.
        default: |_| None,
        relevant: always,
        ask: false,
    },
    Question {
        key: Key::SmokeDeps,
        prompt: "Install the package's dependencies for the smoke test",
        flag_help: "Install the package's dependencies before the smoke test (default on)",
        kind: Kind::Bool,
        default: |_| Some(Value::Bool(true)),
        relevant: always,
        ask: false,
    },
    Question {
        key: Key::GithubRelease,
        prompt: "Attach the built distributions to the GitHub release",
        flag_help: "Attach the distributions to the GitHub release",
        kind: Kind::Bool,
        default: |_| Some(Value::Bool(false)),
        relevant: always,
        ask: true,
    },
    Question {
        key: Key::PullRequests,
        prompt: "Build and check everything (never publish) on pull requests that touch packaging inputs",
        flag_help: "Build and check (never publish) on pull requests touching packaging inputs (default on)",
        kind: Kind::Bool,
        default: |_| Some(Value::Bool(true)),
        relevant: always,
        ask: false,
    },
    Question {
        key: Key::PullRequestPaths,
        prompt: "Path filters (GitHub `paths:` globs) of the pull requests that build; the workflow file is always one",
        flag_help: "Comma-separated path filters of the pull requests that build, e.g. \"src/**,Cargo.toml\"",
        kind: Kind::List,
        default: |p| Some(Value::List(default_pull_request_paths(p))),
        relevant: |a, _| a.bool(Key::PullRequests),
        ask: false,
    },
    Question {
        key: Key::WeeklyBuild,
        prompt: "Also build and check everything (never publish) once a week",
        flag_help: "Build and check (never publish) once a week (default on)",
        kind: Kind::Bool,
        default: |_| Some(Value::Bool(true)),
        relevant: always,
        ask: false,
    },
    Question {
        key: Key::Workflow,
        prompt: "Where to write the release workflow",
        flag_help: "Where to write the workflow (relative to the repository root)",
        kind: Kind::Text,
        default: |p| text(default_workflow(p)),
        relevant: always,
        ask: true,
    },
    Question {
        key: Key::Docs,
        prompt: "Where to write the maintainer docs",
        flag_help: "Where to write the maintainer docs (relative to the repository root)",
        kind: Kind::Text,
        default: |p| text(crate::inspect::display_path(&p.package_dir, "RELEASING.md")),
        relevant: always,
        ask: true,
    },
    Question {
        key: Key::MaturinArgs,
        prompt: "Extra arguments for `maturin build` (for example --features python)",
        flag_help: "Extra arguments for `maturin build`, e.g. \"--features python\"",
        kind: Kind::Text,
        default: |_| None,
        relevant: |_, p| p.is_maturin(),
        ask: false,
    },
    Question {
        key: Key::BeforeScriptLinux,
        prompt: "Shell script run in the manylinux container before each Linux build",
        flag_help: "Script run in the manylinux container before each Linux build",
        kind: Kind::Text,
        default: |_| None,
        relevant: |_, p| p.is_maturin(),
        ask: false,
    },
    Question {
        key: Key::Repository,
        prompt: "GitHub repository (OWNER/REPO) for the trusted-publisher setup",
        flag_help: "OWNER/REPO on GitHub, when the git remote does not say",
        kind: Kind::Text,
        default: |p| {
            p.github
                .as_ref()
                .map(|g| Value::Str(format!("{}/{}", g.owner, g.repo)))
        },
        relevant: |a, p| p.github.is_none() && a.publish() == Some(super::Publish::Trusted),
        ask: true,
    },
    Question {
        key: Key::Dependabot,
        prompt: "Have Dependabot keep the workflow's action pins current (.github/dependabot.yml)",
        flag_help: "Write or extend .github/dependabot.yml for the action pins (default on)",
        kind: Kind::Bool,
        default: |_| Some(Value::Bool(true)),
        relevant: always,
        ask: false,
    },
];

/// The packaging inputs of a package, as GitHub `paths:` filters: the
/// build configuration, lock files, build scripts and sources anywhere in
/// the repository (a crate in a workspace, a path dependency or a package
/// in a subdirectory is covered; a few needless runs are cheaper than a
/// missed break). The workflow file itself is added when rendering.
fn default_pull_request_paths(p: &Project) -> Vec<String> {
    let mut out: Vec<&str> = vec!["**/pyproject.toml"];
    if p.builds_platform_wheels() {
        out.extend([
            "**/Cargo.toml",
            "**/Cargo.lock",
            "**/*.rs",
            "**/.cargo/config.toml",
            "**/rust-toolchain.toml",
            "**/rust-toolchain",
        ]);
    }
    out.extend(["**/*.py", "**/*.pyi", "**/setup.cfg", "**/MANIFEST.in"]);
    out.into_iter().map(str::to_string).collect()
}

/// Import the extension (so a broken build fails), or run the binary.
fn default_smoke_test(p: &Project) -> String {
    if p.is_bin() {
        return format!("{} --help", p.module_name);
    }
    // The compiled part itself, so a package whose `__init__` does not
    // import it still proves the extension loads.
    let module = p.extension_module.as_ref().unwrap_or(&p.module_name);
    format!("python -c \"import {module}\"")
}

pub(crate) fn question(key: Key) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.key == key)
}
