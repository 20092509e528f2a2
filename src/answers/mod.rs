//! From detected facts to a validated `Config`, in one place and one order:
//! defaults derived from the `Project` < saved `[tool.pyrel]` < flags <
//! answers to prompts. Prompting is a trait object passed in, so everything
//! here runs (and is tested) without a terminal.

pub(crate) mod adopt;
pub(crate) mod key;
pub(crate) mod platforms;
pub(crate) mod prompt;
pub(crate) mod questions;
pub(crate) mod settings;
pub(crate) mod terminal;

use std::collections::BTreeMap;

use toml_edit::{Array, Item, Table};

use crate::error::{Error, Result};
use crate::inspect::tomlfile::TomlFile;
use crate::inspect::{GitHub, Project};
use crate::validate;
pub(crate) use crate::version::python_floor;
pub(crate) use key::Key;
use platforms::Platform;
pub(crate) use prompt::{NoPrompt, Prompter};
use questions::{question, Kind, Question, QUESTIONS};

/// A raw answer, before validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Bool(bool),
    Str(String),
    List(Vec<String>),
}

/// Where an answer came from: decides whether it is asked again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Origin {
    Default,
    /// Read from a workflow the repository already has.
    Imported,
    Saved,
    Flag,
    Prompt,
}

/// Answers by key, with their origin.
#[derive(Debug, Clone, Default)]
pub(crate) struct Answers {
    values: BTreeMap<Key, (Value, Origin)>,
}

impl Answers {
    pub(crate) fn get(&self, key: Key) -> Option<&Value> {
        self.values.get(&key).map(|(v, _)| v)
    }

    pub(crate) fn origin(&self, key: Key) -> Option<Origin> {
        self.values.get(&key).map(|(_, o)| *o)
    }

    pub(crate) fn set(&mut self, key: Key, value: Value, origin: Origin) {
        self.values.insert(key, (value, origin));
    }

    pub(crate) fn str(&self, key: Key) -> &str {
        match self.get(key) {
            Some(Value::Str(s)) => s,
            _ => "",
        }
    }

    pub(crate) fn bool(&self, key: Key) -> bool {
        matches!(self.get(key), Some(Value::Bool(true)))
    }

    /// The publish mode, when the answer is one.
    pub(crate) fn publish(&self) -> Option<Publish> {
        Publish::parse(self.str(Key::Publish))
    }

    /// The trigger, when the answer is one.
    pub(crate) fn trigger(&self) -> Option<Trigger> {
        Trigger::parse(self.str(Key::Trigger))
    }

    pub(crate) fn list(&self, key: Key) -> Vec<String> {
        match self.get(key) {
            Some(Value::List(l)) => l.clone(),
            _ => Vec::new(),
        }
    }
}

/// How the workflow authenticates to PyPI. `NAMES` feeds the `--publish`
/// flag, the prompt, the schema and validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Publish {
    Trusted,
    Token,
}

impl Publish {
    pub(crate) const NAMES: &'static [&'static str] = &["trusted", "token"];

    pub(crate) fn parse(s: &str) -> Option<Publish> {
        [Publish::Trusted, Publish::Token]
            .into_iter()
            .find(|p| p.as_str() == s)
    }

    /// As written in `[tool.pyrel]` and on the command line.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Publish::Trusted => Publish::NAMES[0],
            Publish::Token => Publish::NAMES[1],
        }
    }
}

/// What starts the release workflow. `NAMES` feeds the `--trigger` flag,
/// the prompt, the schema and validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Trigger {
    Release,
    Tag,
}

impl Trigger {
    pub(crate) const NAMES: &'static [&'static str] = &["release", "tag"];

    pub(crate) fn parse(s: &str) -> Option<Trigger> {
        [Trigger::Release, Trigger::Tag]
            .into_iter()
            .find(|t| t.as_str() == s)
    }

    /// As written in `[tool.pyrel]` and on the command line.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Trigger::Release => Trigger::NAMES[0],
            Trigger::Tag => Trigger::NAMES[1],
        }
    }
}

/// The validated configuration every renderer works from.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub platforms: Vec<&'static Platform>,
    pub trigger: Trigger,
    pub tag_prefix: String,
    pub publish: Publish,
    pub token_secret: String,
    pub testpypi: bool,
    pub testpypi_token_secret: String,
    pub environment: String,
    pub testpypi_environment: String,
    pub manylinux: String,
    pub smoke_test: String,
    /// Install runtime dependencies before the smoke test (off for heavy
    /// ones, such as torch, that the smoke test does not need).
    pub smoke_deps: bool,
    /// Run from the checkout, with the wheel installed, before publishing.
    pub test_command: String,
    /// Installed next to the wheel before the smoke test and the test
    /// command (space-separated requirements).
    pub test_requires: String,
    /// The repository's test workflow (`.github/workflows/...`, `on:
    /// workflow_call`) that must pass before anything is published; checked
    /// by `inspect::test_workflow::check`.
    pub test_workflow: Option<String>,
    pub github_release: bool,
    pub workflow: String,
    pub docs: String,
    pub repository: Option<GitHub>,
    /// Appended to `maturin build`'s arguments.
    pub maturin_args: String,
    /// maturin-action's `before-script-linux`.
    pub before_script_linux: String,
    /// Also build PyPy wheels.
    pub pypy: bool,
    /// Also build free-threaded CPython wheels (for abi3 crates, an extra
    /// non-abi3 build: abi3 wheels do not load on free-threaded CPython).
    pub free_threaded: bool,
    /// Write or extend `.github/dependabot.yml` (see `crate::dependabot`).
    pub dependabot: bool,
    /// Build and check (never publish) on pull requests touching these
    /// path filters; `None` when pull-request builds are off.
    pub pull_request_paths: Option<Vec<String>>,
    /// Build and check (never publish) once a week.
    pub weekly_build: bool,
    /// `[tool.pyrel.platform]`: build settings per platform or family.
    pub platform: settings::PlatformTable,
}

impl Config {
    /// The build settings of one platform (its family's, then its own).
    pub(crate) fn platform_settings(&self, name: &str) -> settings::PlatformSettings {
        settings::for_platform(&self.platform, name)
    }
}

impl Config {
    /// The validated manylinux policy, typed.
    pub(crate) fn manylinux_policy(&self) -> crate::validate::Manylinux {
        crate::validate::Manylinux::parse(&self.manylinux)
            .unwrap_or(crate::validate::Manylinux::Auto)
    }
}

/// Read `[tool.pyrel]` into answers, rejecting unknown keys and wrong types
/// with the key's position.
pub(crate) fn saved(pyproject: &TomlFile) -> Result<Vec<(Key, Value)>> {
    let Some(item) = pyproject.get(&["tool", "pyrel"]) else {
        return Ok(Vec::new());
    };
    let table = item
        .as_table_like()
        .ok_or_else(|| pyproject.type_error(&["tool", "pyrel"], item, "a table"))?;
    let mut out = Vec::new();
    for (key, value) in table.iter() {
        let unknown = || {
            pyproject
                .error_at(value, format!("[tool.pyrel] has an unknown key `{key}`"))
                .with_hint(format!("known keys: {}", known_keys()))
        };
        let parsed = Key::parse(key).ok_or_else(unknown)?;
        if parsed == settings::KEY {
            let t = settings::from_item(value)
                .map_err(|m| pyproject.type_error(&["tool", "pyrel", key], value, leak(m)))?;
            out.push((settings::KEY, settings::encode(&t)));
            continue;
        }
        let q = questions::question(parsed).ok_or_else(unknown)?;
        let v = from_item(q, value).ok_or_else(|| {
            pyproject.type_error(&["tool", "pyrel", key], value, expected(q.kind))
        })?;
        out.push((q.key, v));
    }
    Ok(out)
}

fn known_keys() -> String {
    QUESTIONS
        .iter()
        .map(|q| q.key.as_str())
        .chain([settings::KEY.as_str()])
        .collect::<Vec<_>>()
        .join(", ")
}

/// `type_error` takes a `&'static str`; the message is built once per error.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Bool => "true or false",
        Kind::Text | Kind::Choice(_) => "a string",
        Kind::Platforms | Kind::List => "an array of strings",
    }
}

fn from_item(q: &Question, item: &Item) -> Option<Value> {
    match q.kind {
        Kind::Bool => item.as_bool().map(Value::Bool),
        Kind::Text | Kind::Choice(_) => item.as_str().map(|s| Value::Str(s.to_string())),
        Kind::Platforms | Kind::List => crate::inspect::tomlfile::str_array(item).map(Value::List),
    }
}

/// Resolve every answer: defaults < saved < flags < prompts.
pub(crate) fn resolve(
    project: &Project,
    saved: Vec<(Key, Value)>,
    flags: Vec<(Key, Value)>,
    prompter: &mut dyn Prompter,
) -> Result<Answers> {
    resolve_adopting(project, Vec::new(), saved, flags, prompter)
}

/// Resolve every answer: defaults < imported from existing workflows <
/// saved < flags < prompts.
pub(crate) fn resolve_adopting(
    project: &Project,
    imported: Vec<(Key, Value)>,
    saved: Vec<(Key, Value)>,
    flags: Vec<(Key, Value)>,
    prompter: &mut dyn Prompter,
) -> Result<Answers> {
    let mut answers = Answers::default();
    for q in QUESTIONS {
        if let Some(v) = (q.default)(project) {
            answers.set(q.key, v, Origin::Default);
        }
    }
    for (k, v) in imported {
        answers.set(k, v, Origin::Imported);
    }
    for (k, v) in saved {
        answers.set(k, v, Origin::Saved);
    }
    for (k, v) in flags {
        answers.set(k, v, Origin::Flag);
    }
    for q in QUESTIONS {
        if !q.ask || !(q.relevant)(&answers, project) || answers.origin(q.key) == Some(Origin::Flag)
        {
            continue;
        }
        // Each answer is checked as it is given, and asked again until it
        // is usable; `validate` then checks how the answers combine.
        while let Some(v) = prompter.ask(q, answers.get(q.key))? {
            match check_answer(q.key, &v, project) {
                Ok(()) => {
                    answers.set(q.key, v, Origin::Prompt);
                    break;
                }
                Err(why) => prompter.reject(q, &why)?,
            }
        }
    }
    Ok(answers)
}

/// The checks `validate` makes on one value on its own, for a prompt to
/// reject a bad answer as soon as it is typed.
pub(crate) fn check_answer(key: Key, value: &Value, project: &Project) -> Result<(), String> {
    type Check = fn(&str) -> Result<(), String>;
    // The validator of a text answer, and whether it may be empty.
    let text_check: Option<(Check, bool)> = match key {
        Key::MaturinArgs => Some((validate::arguments, true)),
        Key::TestCommand | Key::BeforeScriptLinux => Some((validate::command, true)),
        Key::SmokeTest => Some((validate::command, false)),
        Key::Workflow => Some((validate::workflow_path, false)),
        Key::TestWorkflow => Some((crate::inspect::test_workflow::check_path, true)),
        Key::Docs => Some((validate::repo_path, false)),
        Key::TagPrefix => Some((validate::tag_prefix, false)),
        Key::TokenSecret | Key::TestpypiTokenSecret => Some((validate::secret_name, false)),
        Key::Environment | Key::TestpypiEnvironment => Some((validate::environment, false)),
        Key::Manylinux => Some((validate::manylinux, false)),
        _ => None,
    };
    match value {
        Value::Str(s) => {
            if let Some((f, optional)) = text_check {
                if !(optional && s.is_empty()) {
                    f(s)?;
                }
            }
            if matches!(key, Key::Workflow | Key::Docs) {
                inside_repo_only(s)?;
            }
            if key == Key::Docs {
                not_an_input(s, project)?;
            }
            if key == Key::Repository && !s.is_empty() && GitHub::parse_slug(s).is_none() {
                return Err(format!("{s:?} is not an OWNER/REPO GitHub name"));
            }
            if let Some(Kind::Choice(options)) = question(key).map(|q| q.kind) {
                if !options.contains(&s.as_str()) {
                    return Err(format!("{s:?} is not one of: {}", options.join(", ")));
                }
            }
            Ok(())
        }
        Value::List(names) if key == Key::Platforms => {
            for name in names {
                let p = platforms::find(name).ok_or_else(|| {
                    format!(
                        "unknown platform {name:?}; valid platforms are: {}",
                        platforms::names().join(", ")
                    )
                })?;
                if project.is_cibuildwheel() && !p.cibuildwheel_native() {
                    return Err(format!(
                        "{name:?} is not built for setuptools-rust packages (native runners only)"
                    ));
                }
            }
            if project.builds_platform_wheels() && names.is_empty() {
                return Err("at least one platform is needed".into());
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn inside_repo_only(path: &str) -> Result<(), String> {
    if path.split('/').any(|p| p.eq_ignore_ascii_case(".git")) {
        return Err(format!("{path:?} is inside .git/, git's own directory"));
    }
    Ok(())
}

fn not_an_input(docs: &str, project: &Project) -> Result<(), String> {
    match crate::plan::inputs(project)
        .into_iter()
        .find(|i| i.eq_ignore_ascii_case(docs))
    {
        Some(input) => Err(format!(
            "{input:?} is a file pyrel reads (configuration, version or workflow); the docs \
             need a file of their own"
        )),
        None => Ok(()),
    }
}

/// An invalid value named by its `[tool.pyrel]` key and `init`'s flag, for
/// refusals made after validation (`ops::validate`).
pub(crate) fn key_err(key: Key, msg: String) -> Error {
    Error::input(format!(
        "invalid `{key}` ([tool.pyrel] {key}, or `pyrel init --{key}`): {msg}"
    ))
}

/// An invalid answer, named where it came from: the prompt, the flag or
/// the key.
fn answer_err(answers: &Answers, key: Key, msg: String) -> Error {
    let from = match answers.origin(key) {
        Some(Origin::Prompt) => format!(
            "your answer to \"{}\"",
            question(key).map_or(key.as_str(), |q| q.prompt)
        ),
        Some(Origin::Flag) => format!("--{key}"),
        Some(Origin::Saved) => format!("[tool.pyrel] {key}"),
        Some(Origin::Imported) => format!("`{key}` as read from the existing workflow"),
        Some(Origin::Default) | None => format!("`{key}` (flag --{key}, [tool.pyrel] {key})"),
    };
    Error::input(format!("invalid {from}: {msg}"))
}

/// The chosen platforms, known and buildable by this package's pipeline,
/// each once.
fn chosen_platforms(answers: &Answers, project: &Project) -> Result<Vec<&'static Platform>> {
    let key_err = |key: Key, msg: String| answer_err(answers, key, msg);
    let mut platform_list = Vec::new();
    for name in answers.list(Key::Platforms) {
        let p = platforms::find(&name).ok_or_else(|| {
            key_err(
                Key::Platforms,
                format!(
                    "unknown platform {name:?}; valid platforms are: {}",
                    platforms::names().join(", ")
                ),
            )
        })?;
        if project.is_cibuildwheel() && !p.cibuildwheel_native() {
            return Err(key_err(
                Key::Platforms,
                format!(
                    "{name:?} is not built for setuptools-rust packages: the cibuildwheel \
                     workflow builds on native runners only ({})",
                    platforms::ALL
                        .iter()
                        .filter(|p| p.cibuildwheel_native())
                        .map(|p| p.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if !platform_list.contains(&p) {
            platform_list.push(p);
        }
    }
    if project.builds_platform_wheels() && platform_list.is_empty() {
        return Err(key_err(
            Key::Platforms,
            "at least one platform is needed".into(),
        ));
    }
    Ok(platform_list)
}

/// The path filters of pull-request builds; `None` when they are off.
fn pull_request_paths(answers: &Answers) -> Result<Option<Vec<String>>> {
    let key_err = |key: Key, msg: String| answer_err(answers, key, msg);
    if answers.bool(Key::PullRequests) {
        let paths = answers.list(Key::PullRequestPaths);
        if paths.is_empty() {
            return Err(key_err(
                Key::PullRequestPaths,
                "at least one path filter is needed (or set pull-requests = false)".into(),
            ));
        }
        for path in &paths {
            validate::path_filter(path).map_err(|m| key_err(Key::PullRequestPaths, m))?;
        }
        Ok(Some(paths))
    } else {
        Ok(None)
    }
}

/// The GitHub repository: the answer, else none; trusted publishing
/// needs one (the answer or the detected one).
fn repository(answers: &Answers, project: &Project, publish: Publish) -> Result<Option<GitHub>> {
    let key_err = |key: Key, msg: String| answer_err(answers, key, msg);
    let repository = match answers.get(Key::Repository) {
        Some(Value::Str(s)) if !s.is_empty() => Some(GitHub::parse_slug(s).ok_or_else(|| {
            key_err(
                Key::Repository,
                format!("{s:?} is not an OWNER/REPO GitHub name"),
            )
        })?),
        _ => None,
    };
    if publish == Publish::Trusted && repository.is_none() && project.github.is_none() {
        return Err(Error::input(
            "trusted publishing needs the GitHub OWNER/REPO: [tool.pyrel] has no `repository`, \
             [project.urls] names no GitHub repository and no GitHub remote was found in .git/config",
        )
        .with_hint(
            "set `repository = \"OWNER/REPO\"` in [tool.pyrel] (`pyrel init --repository OWNER/REPO` \
             saves it), or add the GitHub remote (git remote add upstream ...)",
        ));
    }
    Ok(repository)
}

/// The test workflow the release waits for, or `None`: its path, then the
/// file itself (`inspect::test_workflow::check`).
fn test_workflow(
    answers: &Answers,
    project: &Project,
    workflow: &str,
    docs: &str,
) -> Result<Option<String>> {
    let key_err = |key: Key, msg: String| answer_err(answers, key, msg);
    let path = answers.str(Key::TestWorkflow);
    if path.is_empty() {
        return Ok(None);
    }
    crate::inspect::test_workflow::check_path(path).map_err(|m| key_err(Key::TestWorkflow, m))?;
    if path.eq_ignore_ascii_case(docs) {
        return Err(key_err(
            Key::Docs,
            "must differ from `test-workflow`".into(),
        ));
    }
    if path.eq_ignore_ascii_case(workflow) {
        return Err(key_err(
            Key::TestWorkflow,
            format!(
                "{path:?} is the release workflow itself (`workflow`); name the workflow that \
                 runs the tests"
            ),
        ));
    }
    crate::inspect::test_workflow::check(
        &project.paths.repo_root,
        path,
        &project.existing_workflows,
    )
    .map_err(|m| key_err(Key::TestWorkflow, m))?;
    Ok(Some(path.to_string()))
}

/// Turn answers into a `Config`, naming the key of anything invalid.
pub(crate) fn validate(answers: &Answers, project: &Project) -> Result<Config> {
    let key_err = |key: Key, msg: String| answer_err(answers, key, msg);
    let check = |key: Key, f: fn(&str) -> Result<(), String>| -> Result<String> {
        let v = answers.str(key).to_string();
        f(&v).map_err(|m| key_err(key, m))?;
        Ok(v)
    };
    let platform_list = chosen_platforms(answers, project)?;
    let one_of = |key: Key, names: &[&str]| {
        key_err(
            key,
            format!("{:?} is not one of: {}", answers.str(key), names.join(", ")),
        )
    };
    let publish = answers
        .publish()
        .ok_or_else(|| one_of(Key::Publish, Publish::NAMES))?;
    let trigger = answers
        .trigger()
        .ok_or_else(|| one_of(Key::Trigger, Trigger::NAMES))?;
    let repository = repository(answers, project, publish)?;
    let optional = |key: Key, f: fn(&str) -> Result<(), String>| -> Result<String> {
        let v = answers.str(key).to_string();
        if !v.is_empty() {
            f(&v).map_err(|m| key_err(key, m))?;
        }
        Ok(v)
    };
    let maturin_args = optional(Key::MaturinArgs, validate::arguments)?;
    let test_command = optional(Key::TestCommand, validate::command)?;
    let test_requires = optional(Key::TestRequires, validate::requirements)?;
    let before_script_linux = optional(Key::BeforeScriptLinux, validate::command)?;
    let workflow = check(Key::Workflow, validate::workflow_path)?;
    let docs = check(Key::Docs, validate::repo_path)?;
    if workflow == docs {
        return Err(key_err(Key::Docs, "must differ from `workflow`".into()));
    }
    for (key, path) in [(Key::Workflow, &workflow), (Key::Docs, &docs)] {
        inside_repo_only(path).map_err(|m| key_err(key, m))?;
    }
    not_an_input(&docs, project).map_err(|m| key_err(Key::Docs, m))?;
    let test_workflow = test_workflow(answers, project, &workflow, &docs)?;
    if project.is_cibuildwheel() && project.abi3.is_some() && answers.bool(Key::FreeThreaded) {
        // maturin builds a separate non-abi3 3.14t wheel; setuptools cannot:
        // bdist_wheel's py_limited_api applies to every build and setuptools
        // refuses it on free-threaded CPython before 3.15.
        return Err(key_err(
            Key::FreeThreaded,
            "an abi3 setuptools-rust package cannot also build free-threaded wheels: \
             setuptools refuses bdist_wheel py_limited_api on free-threaded CPython before 3.15; \
             set free-threaded = false, or drop py-limited-api to build one wheel per CPython"
                .into(),
        ));
    }
    let platform = settings::decode(answers.get(settings::KEY));
    settings::validate(&platform)
        .map_err(|m| Error::input(format!("invalid `platform` ([tool.pyrel.platform]): {m}")))?;
    let pull_request_paths = pull_request_paths(answers)?;
    let config = Config {
        platform,
        platforms: platform_list,
        trigger,
        tag_prefix: check(Key::TagPrefix, validate::tag_prefix)?,
        publish,
        token_secret: check(Key::TokenSecret, validate::secret_name)?,
        testpypi: answers.bool(Key::Testpypi),
        testpypi_token_secret: check(Key::TestpypiTokenSecret, validate::secret_name)?,
        environment: check(Key::Environment, validate::environment)?,
        testpypi_environment: check(Key::TestpypiEnvironment, validate::environment)?,
        // Stored in its canonical spelling (`manylinux_2_28` → `2_28`).
        manylinux: crate::validate::Manylinux::parse(&check(Key::Manylinux, validate::manylinux)?)
            .map_err(|m| key_err(Key::Manylinux, m))?
            .as_str()
            .to_string(),
        smoke_test: check(Key::SmokeTest, validate::command)?,
        smoke_deps: answers.bool(Key::SmokeDeps),
        test_command,
        test_requires: test_requires
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        test_workflow,
        github_release: answers.bool(Key::GithubRelease),
        workflow,
        docs,
        repository,
        maturin_args,
        before_script_linux,
        pypy: answers.bool(Key::Pypy),
        free_threaded: answers.bool(Key::FreeThreaded),
        dependabot: answers.bool(Key::Dependabot),
        pull_request_paths,
        weekly_build: answers.bool(Key::WeeklyBuild),
    };
    Ok(config)
}

/// The `[tool.pyrel]` table to save: every relevant answer, in question order.
pub(crate) fn to_table(answers: &Answers, project: &Project) -> Table {
    let mut table = Table::new();
    for q in QUESTIONS {
        // The repository read from a remote is saved: a fork's clone (origin
        // = the fork) must generate the same files. One declared in
        // `[project.urls]` is already shared by every clone.
        let identity = q.key == Key::Repository && !project.github_declared;
        if !(q.relevant)(answers, project)
            && answers.origin(q.key) < Some(Origin::Saved)
            && !identity
        {
            continue;
        }
        let Some(v) = answers.get(q.key) else {
            continue;
        };
        if matches!(
            q.key,
            Key::Pypy
                | Key::FreeThreaded
                | Key::PullRequests
                | Key::PullRequestPaths
                | Key::WeeklyBuild
        ) && answers.origin(q.key) == Some(Origin::Default)
        {
            // An interpreter family or CI build left at pyrel's default:
            // nothing to save (the defaults move with pyrel).
            continue;
        }
        if q.key == Key::Repository && !identity && answers.origin(q.key) == Some(Origin::Default) {
            continue;
        }
        let item = match v {
            Value::Bool(b) => toml_edit::value(*b),
            Value::Str(s) => toml_edit::value(s.as_str()),
            Value::List(l) => toml_edit::value(one_per_line(l)),
        };
        table.insert(q.key.as_str(), item);
    }
    let platform = settings::decode(answers.get(settings::KEY));
    if platform.values().any(|s| !s.is_empty()) {
        table.insert(settings::KEY.as_str(), settings::to_item(&platform));
    }
    table
}

/// A multi-line array, so that adding a platform is a one-line diff.
fn one_per_line(list: &[String]) -> Array {
    let mut arr: Array = list.iter().collect();
    if arr.len() > 1 {
        for v in arr.iter_mut() {
            v.decor_mut().set_prefix("\n    ");
        }
        arr.set_trailing("\n");
        arr.set_trailing_comma(true);
    }
    arr
}

#[cfg(test)]
mod tests;
