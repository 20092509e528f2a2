//! The operations behind the commands, returning data and printing nothing:
//! `load` (inspect once, then saved `[tool.pyrel]` → resolve → validate),
//! the plan of writes for the generated files, `check`, `diagnose`, `bump`
//! and `write`. `commands` prints what they return and maps it to an exit
//! code; `release` calls them too, so no diff is printed as a side effect.

use std::path::Path;

use crate::answers::{self, Answers, Config, Key, NoPrompt, Trigger};
use crate::apply;
use crate::bump;
use crate::doctor;
use crate::error::{Error, Result};
use crate::inspect::pyversion::Encoding;
use crate::inspect::{self, tomlfile::TomlFile, Project};
use crate::plan::{self, Action, Change, Ownership};
use crate::render;

/// A package as pyrel sees it: the facts, its pyproject.toml, and the answers
/// resolved from its saved `[tool.pyrel]` (defaults where nothing is saved).
pub(crate) struct Loaded {
    pub project: Project,
    pub pyproject: TomlFile,
    /// pyproject.toml has a `[tool.pyrel]` table.
    pub configured: bool,
    pub answers: Answers,
}

/// A configured package whose answers validated.
pub(crate) struct Configured {
    pub loaded: Loaded,
    pub config: Config,
}

/// Inspect the package at `path` once, read its pyproject.toml and resolve
/// the saved answers (no flags, no prompts).
pub(crate) fn load(path: &Path) -> Result<Loaded> {
    let (project, pyproject) = inspect::inspect_with_pyproject(path)?;
    resolved(project, pyproject)
}

/// The saved answers of an already inspected package.
pub(crate) fn resolved(project: Project, pyproject: TomlFile) -> Result<Loaded> {
    let configured = pyproject.get(&["tool", "pyrel"]).is_some();
    let saved = answers::saved(&pyproject)?;
    let answers = answers::resolve(&project, saved, Vec::new(), &mut NoPrompt)?;
    Ok(Loaded {
        project,
        pyproject,
        configured,
        answers,
    })
}

/// `load`, then require a pipeline pyrel can build and a `[tool.pyrel]`
/// table (`why` says what needs it), and validate the answers.
pub(crate) fn load_configured(path: &Path, why: &str) -> Result<Configured> {
    let loaded = load(path)?;
    loaded.project.require_pipeline()?;
    if !loaded.configured {
        return Err(
            Error::in_file(&loaded.pyproject.display, "has no [tool.pyrel] table")
                .with_hint(format!("run `pyrel init` first; {why}")),
        );
    }
    let config = validate(&loaded.answers, &loaded.project)?;
    Ok(Configured { loaded, config })
}

/// The answers validated (`answers::validate`), then refused where the
/// builders cannot build them (`build_plan::constraints::refusal`), with
/// the key and the reason.
pub(crate) fn validate(answers: &Answers, project: &Project) -> Result<Config> {
    let config = answers::validate(answers, project)?;
    crate::build_plan::constraints::refusal(project, &config)
        .map_or(Ok(()), |(key, msg)| Err(answers::key_err(key, msg)))?;
    Ok(config)
}

/// The package's pyproject.toml (it exists: `inspect` read it).
pub(crate) fn read_pyproject(project: &Project) -> Result<TomlFile> {
    let display = inspect::display_path(&project.package_dir, "pyproject.toml");
    TomlFile::read(&project.paths.pyproject, &display)?
        .ok_or_else(|| Error::in_file(display, "not found"))
}

/// The plan of writes for every generated file: the workflow, the docs and
/// the Dependabot entry, each compared with what is on disk.
pub(crate) fn generated(project: &Project, config: &Config) -> Result<Vec<Change>> {
    let root = &project.paths.repo_root;
    // The workflow on disk, read first: whether the rendered one is the
    // same bytes decides whether it is parsed again. A read error is
    // reported where it was, after rendering.
    let mut current = Some(plan::read_current(root, &config.workflow));
    let on_disk = match &current {
        Some(Ok(Some((text, _)))) => Some(text.as_str()),
        _ => None,
    };
    let rendered = render::render_all_beside(project, config, on_disk)?;
    let mut changes = Vec::with_capacity(rendered.len() + 1);
    for r in rendered {
        let read = if r.path == config.workflow {
            current.take()
        } else {
            None
        };
        changes.push(match read {
            Some(read) => {
                let (old, encoding) = match read? {
                    Some((text, encoding)) => (Some(text), encoding),
                    None => (None, Encoding::Utf8),
                };
                plan::plan_known(&r.path, old, encoding, r.content, Ownership::Generated)?
            }
            None => plan::plan_file(root, &r.path, r.content, Ownership::Generated)?,
        });
    }
    changes.extend(crate::dependabot::plan(project, config)?);
    plan::refuse_inputs(project, &config.workflow, &changes)?;
    Ok(changes)
}

/// `generate`: the configured package and its plan of writes.
pub(crate) fn generate(path: &Path) -> Result<(Configured, Vec<Change>)> {
    let configured = load_configured(path, "it saves the configuration there")?;
    let changes = generated(&configured.loaded.project, &configured.config)?;
    Ok((configured, changes))
}

/// The changes that make `generate --check` fail: missing, stale or
/// hand-edited files.
pub(crate) fn stale(changes: &[Change]) -> Vec<&Change> {
    changes
        .iter()
        .filter(|c| c.action != Action::Unchanged)
        .collect()
}

/// The hand-edited files among `changes`: written only with `--force`.
pub(crate) fn hand_edited(changes: &[Change]) -> Vec<&Change> {
    changes
        .iter()
        .filter(|c| c.action == Action::HandEdited)
        .collect()
}

/// Every doctor finding for a loaded package, with its saved settings (or
/// the defaults when there are none).
pub(crate) fn diagnose(loaded: &Loaded) -> Result<Vec<doctor::Finding>> {
    let project = &loaded.project;
    let generated = match (loaded.configured, project.require_pipeline()) {
        (true, Ok(())) => generated(project, &validate(&loaded.answers, project)?)?,
        _ => Vec::new(),
    };
    Ok(doctor::check(&doctor::Inputs {
        project,
        pyproject: &loaded.pyproject,
        tag_prefix: loaded.answers.str(Key::TagPrefix),
        workflow: loaded.answers.str(Key::Workflow),
        generated: &generated,
        configured: loaded.configured,
        free_threaded: loaded.answers.bool(Key::FreeThreaded),
        attaches_to_published_release: loaded.answers.trigger() == Some(Trigger::Release)
            && loaded.answers.bool(Key::GithubRelease),
    }))
}

/// `plan`: the build plan of the package in `path`, from the saved
/// `[tool.pyrel]` (or the defaults when there is none).
pub(crate) fn build_plan(path: &Path) -> Result<crate::build_plan::BuildPlan> {
    let mut project = inspect::inspect(path)?;
    project.require_pipeline()?;
    // What is built does not depend on the repository's name, which
    // validation requires for trusted publishing: a clone without a GitHub
    // remote still has a plan.
    project.github.get_or_insert(inspect::GitHub {
        owner: "owner".into(),
        repo: "repository".into(),
    });
    let pyproject = read_pyproject(&project)?;
    let loaded = resolved(project, pyproject)?;
    let config = validate(&loaded.answers, &loaded.project)?;
    Ok(crate::build_plan::plan(&loaded.project, &config))
}

/// `doctor`: the loaded package and its findings.
pub(crate) fn doctor(path: &Path) -> Result<(Loaded, Vec<doctor::Finding>)> {
    let loaded = load(path)?;
    let findings = diagnose(&loaded)?;
    Ok((loaded, findings))
}

/// The doctor findings of the package in `path`.
pub(crate) fn doctor_findings(path: &Path) -> Result<Vec<doctor::Finding>> {
    doctor(path).map(|(_, findings)| findings)
}

/// `bump`: every version edit, planned, nothing written.
pub(crate) fn bump(path: &Path, req: &bump::Request<'_>) -> Result<(Project, bump::Bump)> {
    let project = inspect::inspect(path)?;
    let planned = bump::plan(&project, req)?;
    Ok((project, planned))
}

/// Write a plan of writes (all files or none).
pub(crate) fn write(project: &Project, changes: &[Change], force: bool) -> Result<()> {
    apply::write(&project.paths.repo_root, changes, force)
}
