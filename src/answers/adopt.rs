//! Answers imported from the workflows a repository already has: they sit
//! between pyrel's detected defaults and the saved `[tool.pyrel]`, so
//! `init --yes` keeps what the project ships today.

use std::collections::BTreeMap;

use super::{platforms, settings, Key, Publish, Trigger, Value};
use crate::inspect::workflows::{
    BuildSettings, ExistingWorkflow, ImportedBuild, Interpreter, Wheels, WorkflowTrigger,
};
use crate::inspect::Project;
use crate::validate;

/// What the existing workflows say about this package.
#[derive(Debug, Default)]
pub(crate) struct Imports {
    pub values: Vec<(Key, Value)>,
    /// Every platform the old workflows build for this package, known or not.
    pub platforms: Vec<String>,
    pub interpreters: std::collections::BTreeSet<Interpreter>,
    /// Values found but not importable (invalid for pyrel), as sentences.
    pub notes: Vec<String>,
    /// The workflows the values came from.
    pub sources: Vec<String>,
    /// Whether the old workflows build an sdist of this package.
    pub sdist: bool,
    /// Platform × interpreter family, as the old workflows build them.
    pub wheels: Vec<Wheels>,
    /// Build settings per platform, as the old workflows set them.
    pub settings: BTreeMap<String, BuildSettings>,
}

/// Workflows that are someone else's, not pyrel's own output.
pub(crate) fn foreign(project: &Project) -> impl Iterator<Item = &ExistingWorkflow> {
    project.existing_workflows.iter().filter(|w| !w.pyrel)
}

fn build_of<'a>(project: &Project, wf: &'a ExistingWorkflow) -> Option<&'a ImportedBuild> {
    wf.build_for(&project.package_dir, project.cargo_manifest.as_deref())
}

pub(crate) fn imports(project: &Project) -> Imports {
    let mut out = Imports::default();
    let builds: Vec<(&ExistingWorkflow, &ImportedBuild)> = foreign(project)
        .filter_map(|w| build_of(project, w).map(|b| (w, b)))
        .collect();
    // Publishing facts come from the workflow that builds this package and
    // publishes, else from the only publishing workflow.
    let publishing: Vec<&ExistingWorkflow> = foreign(project)
        .filter(|w| !w.publish_jobs.is_empty())
        .collect();
    let publisher = builds
        .iter()
        .map(|(w, _)| *w)
        .find(|w| !w.publish_jobs.is_empty())
        .or_else(|| (publishing.len() == 1).then(|| publishing[0]));
    merge_builds(&mut out, &builds);
    if let Some(w) = publisher {
        if !out.sources.contains(&w.file) {
            out.sources.push(w.file.clone());
        }
    }
    if project.builds_platform_wheels() {
        build_answers(project, &builds, &mut out);
    }
    pull_request_answers(&builds, &mut out);
    // The one CI workflow another workflow can call: the release waits for it.
    if let Some(path) = crate::inspect::test_workflow::detect(&project.paths.repo_root) {
        out.values.push((Key::TestWorkflow, Value::Str(path)));
    }
    if let Some(w) = publisher {
        publishing_answers(w, &mut out);
    }
    out
}

type Build<'a> = (&'a ExistingWorkflow, &'a ImportedBuild);

/// What the workflows that build this package build: platforms,
/// interpreters, wheels and per-platform settings, merged.
fn merge_builds(out: &mut Imports, builds: &[Build<'_>]) {
    for (w, b) in builds {
        if !out.sources.contains(&w.file) {
            out.sources.push(w.file.clone());
        }
        for p in &b.platforms {
            if !out.platforms.contains(p) {
                out.platforms.push(p.clone());
            }
        }
        out.interpreters.extend(b.interpreters.iter().copied());
        out.sdist |= b.sdist;
        for w in &b.wheels {
            match out
                .wheels
                .iter_mut()
                .find(|x| x.platform == w.platform && x.family == w.family)
            {
                Some(x) => x.versions.extend(w.versions.iter().cloned()),
                None => out.wheels.push(w.clone()),
            }
        }
        for (p, s) in &b.settings {
            out.settings.entry(p.clone()).or_insert_with(|| s.clone());
        }
    }
}

/// The build answers: platforms, interpreter families, manylinux, maturin
/// arguments and the Linux before-script (one key when every platform
/// agrees, else per platform in `[tool.pyrel.platform]`).
fn build_answers(project: &Project, builds: &[Build<'_>], out: &mut Imports) {
    // The cibuildwheel pipeline builds native platforms only.
    let known: Vec<String> = out
        .platforms
        .iter()
        .filter(|p| {
            platforms::find(p)
                .is_some_and(|p| !project.is_cibuildwheel() || p.cibuildwheel_native())
        })
        .cloned()
        .collect();
    if !known.is_empty() {
        out.values.push((Key::Platforms, Value::List(known)));
    }
    if out.interpreters.contains(&Interpreter::Pypy) {
        out.values.push((Key::Pypy, Value::Bool(true)));
    }
    // An abi3 setuptools-rust package cannot also build 3.14t.
    let no_free_threaded = project.is_cibuildwheel() && project.abi3.is_some();
    if out.interpreters.contains(&Interpreter::FreeThreaded) && !no_free_threaded {
        out.values.push((Key::FreeThreaded, Value::Bool(true)));
    }
    let first =
        |f: fn(&ImportedBuild) -> Option<&String>| builds.iter().find_map(|(_, b)| f(b).cloned());
    checked(
        out,
        Key::Manylinux,
        first(|b| b.manylinux.as_ref()).map(|m| normalize_manylinux(&m)),
        validate::manylinux,
    );
    // A value every platform shares is one [tool.pyrel] key; values that
    // differ go to each platform's table.
    let uniform = |f: fn(&BuildSettings) -> Option<String>, linux_only: bool| {
        let values: std::collections::BTreeSet<Option<String>> = out
            .settings
            .iter()
            .filter(|(p, _)| platforms::find(p).is_some())
            .filter(|(p, _)| !linux_only || p.starts_with("linux-") || p.starts_with("musllinux-"))
            .map(|(_, s)| f(s))
            .collect();
        match values.len() {
            0 => None,
            1 => values.into_iter().next().flatten(),
            _ => None,
        }
    };
    let has_settings = !out.settings.is_empty();
    let args = if has_settings {
        uniform(|s| s.maturin_args.clone(), false)
    } else {
        first(|b| b.maturin_args.as_ref())
    };
    let before = if has_settings {
        uniform(|s| s.before_script_linux.clone(), true)
    } else {
        first(|b| b.before_script_linux.as_ref())
    };
    checked(out, Key::MaturinArgs, args.clone(), validate::arguments);
    checked(
        out,
        Key::BeforeScriptLinux,
        before.clone(),
        validate::command,
    );
    let global_args = out.values.iter().find_map(|(k, v)| match (*k, v) {
        (Key::MaturinArgs, Value::Str(s)) => Some(s.clone()),
        _ => None,
    });
    let global_before = out.values.iter().find_map(|(k, v)| match (*k, v) {
        (Key::BeforeScriptLinux, Value::Str(s)) => Some(s.clone()),
        _ => None,
    });
    if !project.is_cibuildwheel() {
        let table = settings::import(
            &out.settings,
            global_args.as_deref(),
            global_before.as_deref(),
            &mut out.notes,
        );
        if !table.is_empty() {
            out.values.push((settings::KEY, settings::encode(&table)));
        }
    }
}

/// Pull requests the old workflows built on: their path filters, kept.
fn pull_request_answers(builds: &[Build<'_>], out: &mut Imports) {
    if let Some(paths) = builds
        .iter()
        .find_map(|(w, _)| w.pull_request_paths.as_ref().filter(|p| !p.is_empty()))
    {
        match paths.iter().try_for_each(|p| validate::path_filter(p)) {
            Ok(()) => out
                .values
                .push((Key::PullRequestPaths, Value::List(paths.clone()))),
            Err(m) => out
                .notes
                .push(format!("pull-request-paths not imported: {m}")),
        }
    }
}

/// The publishing answers, from the workflow that publishes: trigger, tag
/// prefix, publish mode and secrets, environments, TestPyPI, GitHub release.
fn publishing_answers(w: &ExistingWorkflow, out: &mut Imports) {
    match &w.trigger {
        Some(WorkflowTrigger::Release) => checked(
            out,
            Key::Trigger,
            Some(Trigger::Release.as_str().into()),
            ok,
        ),
        Some(WorkflowTrigger::Tag { prefix, glob }) => {
            checked(out, Key::Trigger, Some(Trigger::Tag.as_str().into()), ok);
            if prefix.is_empty() {
                out.notes.push(format!(
                    "the tag pattern {glob:?} has no fixed prefix; pyrel checks that the tag is \
                     <prefix><version> and keeps its default prefix (set --tag-prefix \"\" for bare versions)"
                ));
            } else {
                checked(
                    out,
                    Key::TagPrefix,
                    Some(prefix.clone()),
                    validate::tag_prefix,
                );
            }
        }
        _ => {}
    }
    if let Some(pypi) = w.publish_jobs.iter().find(|j| !j.testpypi) {
        match &pypi.secret {
            Some(s) => {
                checked(out, Key::Publish, Some(Publish::Token.as_str().into()), ok);
                checked(
                    out,
                    Key::TokenSecret,
                    Some(s.clone()),
                    validate::secret_name,
                );
            }
            None => checked(
                out,
                Key::Publish,
                Some(Publish::Trusted.as_str().into()),
                ok,
            ),
        }
        checked(
            out,
            Key::Environment,
            pypi.environment.clone(),
            validate::environment,
        );
    }
    if let Some(test) = w.publish_jobs.iter().find(|j| j.testpypi) {
        out.values.push((Key::Testpypi, Value::Bool(true)));
        checked(
            out,
            Key::TestpypiEnvironment,
            test.environment.clone(),
            validate::environment,
        );
        checked(
            out,
            Key::TestpypiTokenSecret,
            test.secret.clone(),
            validate::secret_name,
        );
    }
    if w.github_release {
        out.values.push((Key::GithubRelease, Value::Bool(true)));
    }
}

/// Import a value if pyrel would accept it; otherwise say why not.
fn checked(out: &mut Imports, key: Key, v: Option<String>, check: fn(&str) -> Result<(), String>) {
    if let Some(v) = v {
        match check(&v) {
            Ok(()) => out.values.push((key, Value::Str(v))),
            Err(m) => out.notes.push(format!("{key} not imported: {m}")),
        }
    }
}

fn ok(_: &str) -> Result<(), String> {
    Ok(())
}

/// maturin-action spells policies `2_28`, `manylinux_2_28`, `manylinux2014`
/// or `auto`; pyrel keeps them as written when valid.
fn normalize_manylinux(m: &str) -> String {
    m.trim().to_string()
}
