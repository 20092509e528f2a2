//! The migration report: what adopting pyrel keeps, adds and drops compared
//! with the workflows the repository already has, what it hardens, and
//! which old workflow would still publish. Pure data from `Project`,
//! `Imports`, `Answers` and `Config`; `commands` prints it and decides the
//! exit status.

use std::collections::BTreeSet;

use crate::answers::adopt::{self, Imports};
use crate::answers::{platforms, Answers, Config, Key, Origin, Publish, Value};
use crate::inspect::workflows::{ExistingWorkflow, Interpreter, PublishJob, Wheels};
use crate::inspect::Project;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Kept,
    Added,
    /// A setting the user changed from the imported value.
    Changed,
    Dropped,
}

#[derive(Debug)]
pub(crate) struct Line {
    pub status: Status,
    pub what: String,
    /// Why it was added or dropped.
    pub reason: Option<String>,
}

/// An old workflow that would still upload to PyPI next to pyrel's.
#[derive(Debug)]
pub(crate) struct OtherPublisher<'a> {
    pub file: &'a str,
    pub jobs: Vec<&'a PublishJob>,
}

#[derive(Debug, Default)]
pub(crate) struct Migration<'a> {
    pub sources: Vec<String>,
    pub lines: Vec<Line>,
    pub hardening: Vec<String>,
    pub notes: Vec<String>,
    pub problems: Vec<String>,
    pub others: Vec<OtherPublisher<'a>>,
    /// A foreign workflow at pyrel's own target path.
    pub replaces: Option<&'a ExistingWorkflow>,
    /// pyrel's workflow goes elsewhere because a workflow that does not
    /// publish to PyPI holds the usual path: (that path, why).
    pub moved: Option<String>,
    /// pyrel's workflow path.
    pub workflow: String,
}

impl Migration<'_> {
    pub(crate) fn dropped(&self) -> Vec<&Line> {
        self.lines
            .iter()
            .filter(|l| l.status == Status::Dropped)
            .collect()
    }

    /// Everything that may be lost: DROPPED lines and what could not be
    /// read (a job, a matrix row or a setting pyrel cannot account for).
    pub(crate) fn possible_drops(&self) -> Vec<String> {
        self.dropped()
            .iter()
            .map(|l| l.what.clone())
            .chain(self.problems.iter().map(|p| format!("unread {p}")))
            .collect()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.sources.is_empty()
            && self.problems.is_empty()
            && self.others.is_empty()
            && self.replaces.is_none()
            && self.moved.is_none()
    }
}

/// The one order of steps for retiring an old publisher, as the migration
/// report, RELEASING.md and doctor's `other-publisher` fix (which `pyrel
/// release` shows too) all say it: try pyrel's workflow without uploading,
/// delete the old publishing jobs before the next release (two uploaders
/// of one version fail), regenerate so RELEASING.md drops its migration
/// section, release.
pub(crate) fn retire_steps(file: &str, jobs: &[&str], workflow: &str) -> Vec<String> {
    let name = workflow.rsplit('/').next().unwrap_or(workflow);
    let jobs = jobs
        .iter()
        .map(|j| format!("`{j}`"))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        format!(
            "try {workflow} without uploading: `gh workflow run {name} -f publish=none`, then \
             `-f publish=testpypi`"
        ),
        format!(
            "delete the publishing job(s) {jobs} from {file} (and the jobs only they need; the \
             whole file if nothing else is left) before the next release, so only {workflow} \
             uploads"
        ),
        "run `pyrel generate` (RELEASING.md drops its \"Migrating from\" section) and commit"
            .into(),
        "release with `pyrel release <version>`".into(),
    ]
}

/// Old workflows (not pyrel's) that publish to PyPI from another file.
pub(crate) fn other_publishers<'a>(
    project: &'a Project,
    workflow: &str,
) -> Vec<OtherPublisher<'a>> {
    adopt::foreign(project)
        .filter(|w| w.file != workflow)
        .filter(|w| w.publishes())
        .map(|w| OtherPublisher {
            file: &w.file,
            // Its TestPyPI jobs go too: they would upload the same version.
            jobs: w.publish_jobs.iter().collect(),
        })
        .collect()
}

fn origin_reason(origin: Option<Origin>, key: Key) -> String {
    match origin {
        Some(Origin::Flag) => format!("removed with --{key}"),
        Some(Origin::Saved) => format!("not in [tool.pyrel] {key}"),
        Some(Origin::Prompt) => "deselected in the prompt".into(),
        _ => "not chosen".into(),
    }
}

pub(crate) fn migration<'a>(
    project: &'a Project,
    imports: &Imports,
    answers: &Answers,
    config: &Config,
) -> Migration<'a> {
    let mut m = Migration {
        sources: imports.sources.clone(),
        notes: imports.notes.clone(),
        others: other_publishers(project, &config.workflow),
        replaces: adopt::foreign(project).find(|w| w.file == config.workflow),
        moved: moved(project, config),
        workflow: config.workflow.clone(),
        ..Default::default()
    };
    // What could not be read may be a wheel or a setting that would vanish:
    // each counts as a possible drop.
    for w in adopt::foreign(project) {
        m.problems.extend(w.problems.iter().cloned());
    }
    if m.sources.is_empty() {
        return m;
    }
    if project.builds_platform_wheels() {
        let lines = wheel_lines(project, imports, answers, config, &mut m.notes);
        m.lines.extend(lines);
        m.lines
            .extend(interpreter_lines(project, imports, answers, config));
    }
    m.lines.extend(setting_lines(imports, answers));
    if project.builds_platform_wheels() {
        m.lines
            .extend(platform_setting_lines(project, imports, config));
    }
    // pyrel always builds and publishes the sdist.
    if !imports.platforms.is_empty() || imports.sdist {
        m.lines.push(if imports.sdist {
            line(Status::Kept, "sdist".into(), None)
        } else {
            line(
                Status::Added,
                "sdist".into(),
                Some("pyrel always publishes the source distribution".into()),
            )
        });
    }
    if config.publish == Publish::Token && answers.origin(Key::Publish) == Some(Origin::Imported) {
        m.notes.push(
            "token publishing kept as the old workflow did it; trusted publishing \
             (--publish trusted, see RELEASING.md) needs no stored token"
                .into(),
        );
    }
    m.hardening = hardening(project, &m.sources, config);
    m
}

/// When pyrel's workflow does not take its usual path, the sentence saying why.
fn moved(project: &Project, config: &Config) -> Option<String> {
    let usual = crate::answers::questions::preferred_workflow(project);
    if config.workflow == usual {
        return None;
    }
    let other = adopt::foreign(project).find(|w| w.file == usual && w.unrelated())?;
    Some(format!(
        "{} is a workflow that does not build or publish Python distributions (left as it is); \
         pyrel's workflow is {} (--workflow to choose another path)",
        other.file, config.workflow
    ))
}

fn line(status: Status, what: String, reason: Option<String>) -> Line {
    Line {
        status,
        what,
        reason,
    }
}

/// PyPy builds exist where pyrel's workflow builds them (see
/// `render::context::extra_builds`), for this one PyPy version.
const PYPY_PLATFORMS: &[&str] = &[
    "linux-x86_64",
    "linux-aarch64",
    "linux-i686",
    "windows-x64",
    "macos-x86_64",
    "macos-aarch64",
];
const PYPY_VERSION: &str = "3.11";
const FREE_THREADED_VERSION: &str = "3.14";

/// The interpreter families (and versions, where pyrel builds only some)
/// pyrel's workflow builds on one platform; `Err` says why a family is not.
fn planned(
    project: &Project,
    config: &Config,
    platform: &str,
    family: Interpreter,
) -> Result<Option<Vec<String>>, String> {
    let p = platforms::find(platform).ok_or("pyrel cannot build it")?;
    match family {
        Interpreter::Cpython => {
            if project.abi3.is_some() || project.is_bin() {
                Ok(None)
            } else {
                Ok(Some(
                    crate::build_plan::cpython_interpreters(project, p, false)
                        .iter()
                        .map(|i| i.version())
                        .collect(),
                ))
            }
        }
        Interpreter::FreeThreaded => {
            if project.is_cibuildwheel() && project.abi3.is_some() {
                return Err(
                    "setuptools refuses an abi3 (py_limited_api) build on free-threaded \
                            CPython before 3.15"
                        .into(),
                );
            }
            if !crate::build_plan::free_threaded_supported(project) {
                return Err("this PyO3 version does not support free-threaded CPython".into());
            }
            if !config.free_threaded {
                return Err(String::new());
            }
            Ok(Some(vec![FREE_THREADED_VERSION.to_string()]))
        }
        Interpreter::Pypy => {
            if !config.pypy {
                return Err(String::new());
            }
            if !PYPY_PLATFORMS.contains(&platform) {
                return Err(format!(
                    "pyrel builds PyPy on {} only",
                    PYPY_PLATFORMS.join(", ")
                ));
            }
            Ok(Some(vec![PYPY_VERSION.to_string()]))
        }
        Interpreter::Graalpy => Err("pyrel cannot build it".into()),
    }
}

/// A `3.N` below the package's `requires-python` floor.
fn below_floor(project: &Project, version: &str) -> bool {
    let minor = |v: &str| -> Option<(u32, u32)> {
        let (a, b) = v.split_once('.')?;
        Some((a.parse().ok()?, b.split('.').next()?.parse().ok()?))
    };
    let floor = project
        .requires_python
        .as_deref()
        .and_then(crate::answers::python_floor);
    match (floor.as_deref().and_then(minor), minor(version)) {
        (Some(f), Some(v)) => v < f,
        _ => false,
    }
}

/// "3.9–3.13" for a run of minors, else a list.
pub(crate) fn version_range(versions: &BTreeSet<String>) -> String {
    let mut minors: Vec<(u32, u32, &str)> = versions
        .iter()
        .filter_map(|v| {
            let (a, b) = v.split_once('.')?;
            Some((a.parse().ok()?, b.parse().ok()?, v.as_str()))
        })
        .collect();
    minors.sort();
    if minors.len() != versions.len() || minors.is_empty() {
        return versions.iter().cloned().collect::<Vec<_>>().join(", ");
    }
    let contiguous = minors
        .windows(2)
        .all(|w| w[0].0 == w[1].0 && w[1].1 == w[0].1 + 1);
    if minors.len() > 2 && contiguous {
        format!("{}–{}", minors[0].2, minors[minors.len() - 1].2)
    } else {
        minors.iter().map(|m| m.2).collect::<Vec<_>>().join(", ")
    }
}

fn family_text(family: Interpreter, versions: &BTreeSet<String>) -> String {
    if versions.is_empty() {
        family.label().to_string()
    } else {
        format!("{} {}", family.label(), version_range(versions))
    }
}

/// Per platform × interpreter family: the wheels the old workflow builds,
/// kept or DROPPED with the reason; platforms pyrel adds.
fn wheel_lines(
    project: &Project,
    imports: &Imports,
    answers: &Answers,
    config: &Config,
    notes: &mut Vec<String>,
) -> Vec<Line> {
    let mut out = Vec::new();
    let mut excluded_notes: Vec<(String, Vec<String>)> = Vec::new();
    let chosen: Vec<&str> = config.platforms.iter().map(|p| p.name).collect();
    let bin = project.is_bin();
    for p in &imports.platforms {
        let wheels: Vec<&Wheels> = imports.wheels.iter().filter(|w| &w.platform == p).collect();
        let families = if wheels.is_empty() {
            "CPython".to_string()
        } else {
            wheels
                .iter()
                .map(|w| family_text(w.family, &w.versions))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !chosen.contains(&p.as_str()) {
            out.push(line(
                Status::Dropped,
                format!("wheels {p}: {families}"),
                Some(not_chosen_reason(project, answers, p)),
            ));
            continue;
        }
        if bin {
            out.push(line(
                Status::Kept,
                format!("wheels {p}: {families}"),
                Some("a bin wheel (py3-none) serves every interpreter".into()),
            ));
            continue;
        }
        let mut kept = Vec::new();
        for w in &wheels {
            match planned(project, config, p, w.family) {
                Ok(None) => kept.push(family_text(w.family, &w.versions)),
                Ok(Some(versions)) => {
                    let dropped =
                        versions_lines(project, p, w, &versions, &mut kept, &mut excluded_notes);
                    out.extend(dropped);
                }
                Err(reason) => {
                    out.push(line(
                        Status::Dropped,
                        format!("wheels {p}: {}", family_text(w.family, &w.versions)),
                        Some(not_built_reason(answers, w.family, reason)),
                    ));
                }
            }
        }
        if wheels.is_empty() {
            kept.push("CPython".into());
        }
        if !kept.is_empty() {
            out.push(line(
                Status::Kept,
                format!("wheels {p}: {}", kept.join(", ")),
                None,
            ));
        }
    }
    for (what, platforms) in excluded_notes {
        notes.push(format!(
            "the old workflow also builds {what} wheels (on {}), which requires-python ({}) \
             excludes: pip never installs them; pyrel does not build them",
            platforms.join(", "),
            project.requires_python.as_deref().unwrap_or("")
        ));
    }
    out.extend(added_platforms(imports, answers, &chosen));
    out
}

/// Why an imported platform is not built: pyrel cannot, the pipeline
/// cannot, or it was not chosen.
fn not_chosen_reason(project: &Project, answers: &Answers, p: &str) -> String {
    if platforms::find(p).is_none() {
        "pyrel cannot build it".to_string()
    } else if project.is_cibuildwheel()
        && !platforms::find(p).is_some_and(|p| p.cibuildwheel_native())
    {
        "the cibuildwheel workflow builds on native runners only".into()
    } else {
        origin_reason(answers.origin(Key::Platforms), Key::Platforms)
    }
}

/// Why a family's wheels are not built on a platform: the planner's reason,
/// or the family was not chosen.
fn not_built_reason(answers: &Answers, family: Interpreter, reason: String) -> String {
    if reason.is_empty() {
        let key = match family {
            Interpreter::Pypy => Key::Pypy,
            _ => Key::FreeThreaded,
        };
        origin_reason(answers.origin(key), key)
    } else {
        reason
    }
}

/// A family's versions on one platform against the versions pyrel builds:
/// those built are kept, those below requires-python are noted (not
/// dropped), the rest DROPPED (the returned line).
fn versions_lines(
    project: &Project,
    p: &str,
    w: &Wheels,
    versions: &[String],
    kept: &mut Vec<String>,
    excluded_notes: &mut Vec<(String, Vec<String>)>,
) -> Option<Line> {
    let missing: BTreeSet<String> = w
        .versions
        .iter()
        .filter(|v| !versions.contains(v))
        .cloned()
        .collect();
    let have: BTreeSet<String> = w
        .versions
        .iter()
        .filter(|v| versions.contains(v))
        .cloned()
        .collect();
    if w.versions.is_empty() || !have.is_empty() {
        kept.push(family_text(w.family, &have));
    }
    // Below requires-python: pip never installs them, so
    // not a wheel anyone had (said in a note, not dropped).
    let (excluded, missing): (BTreeSet<String>, BTreeSet<String>) =
        missing.into_iter().partition(|v| {
            matches!(w.family, Interpreter::Cpython | Interpreter::FreeThreaded)
                && below_floor(project, v)
        });
    if !excluded.is_empty() {
        let what = family_text(w.family, &excluded);
        match excluded_notes.iter_mut().find(|(k, _)| *k == what) {
            Some((_, ps)) => ps.push(p.to_string()),
            None => excluded_notes.push((what, vec![p.to_string()])),
        }
    }
    (!missing.is_empty()).then(|| {
        line(
            Status::Dropped,
            format!("wheels {p}: {}", family_text(w.family, &missing)),
            Some(format!(
                "pyrel builds {} {}",
                w.family.label(),
                versions.join(", ")
            )),
        )
    })
}

/// Platforms pyrel builds that the old workflows did not, and why.
fn added_platforms(imports: &Imports, answers: &Answers, chosen: &[&str]) -> Vec<Line> {
    let mut out = Vec::new();
    for p in chosen {
        if !imports.platforms.iter().any(|i| i == p) {
            let why = match answers.origin(Key::Platforms) {
                Some(Origin::Flag) => "added with --platforms",
                Some(Origin::Saved) => "in [tool.pyrel] platforms",
                Some(Origin::Prompt) => "selected in the prompt",
                _ => "pyrel default",
            };
            out.push(line(
                Status::Added,
                format!("platform {p}"),
                Some(why.into()),
            ));
        }
    }
    out
}

/// Interpreter families as a whole: kept, DROPPED, or added by pyrel.
fn interpreter_lines(
    project: &Project,
    imports: &Imports,
    answers: &Answers,
    config: &Config,
) -> Vec<Line> {
    let mut out = Vec::new();
    if imports.interpreters.is_empty() {
        return out;
    }
    let bin = project.is_bin();
    let mut built: BTreeSet<Interpreter> = BTreeSet::from([Interpreter::Cpython]);
    let ft_reason = if project.is_cibuildwheel() && project.abi3.is_some() {
        Some(
            "setuptools refuses an abi3 (py_limited_api) build on free-threaded CPython \
             before 3.15",
        )
    } else {
        (config.free_threaded && !crate::build_plan::free_threaded_supported(project))
            .then_some("this PyO3 version does not support free-threaded CPython")
    };
    if config.free_threaded && !bin && ft_reason.is_none() {
        built.insert(Interpreter::FreeThreaded);
    }
    if config.pypy && !bin {
        built.insert(Interpreter::Pypy);
    }
    for i in &imports.interpreters {
        let what = format!("interpreters {}", i.label());
        if bin {
            out.push(line(
                Status::Kept,
                what,
                Some("a bin wheel (py3-none) serves every interpreter".into()),
            ));
        } else if built.contains(i) {
            out.push(line(Status::Kept, what, None));
        } else if let (Interpreter::FreeThreaded, Some(r)) = (i, ft_reason) {
            out.push(line(Status::Dropped, what, Some(r.into())));
        } else if *i == Interpreter::Graalpy {
            out.push(line(
                Status::Dropped,
                what,
                Some("pyrel cannot build it".into()),
            ));
        } else {
            let key = match i {
                Interpreter::Pypy => Key::Pypy,
                _ => Key::FreeThreaded,
            };
            out.push(line(
                Status::Dropped,
                what,
                Some(origin_reason(answers.origin(key), key)),
            ));
        }
    }
    for i in built.difference(&imports.interpreters) {
        out.push(line(
            Status::Added,
            format!("interpreters {}", i.label()),
            Some("pyrel default".into()),
        ));
    }
    out
}

/// Settings imported from the old workflow: kept, or changed by the user.
fn setting_lines(imports: &Imports, answers: &Answers) -> Vec<Line> {
    let mut out = Vec::new();
    for (key, imported) in &imports.values {
        if matches!(
            *key,
            Key::Platforms | Key::Pypy | Key::FreeThreaded | Key::Platform
        ) {
            continue;
        }
        let key = *key;
        let now = answers.get(key);
        let shown = |v: &Value| match v {
            Value::Bool(b) => b.to_string(),
            Value::Str(s) => format!("{s:?}"),
            Value::List(l) => l.join(","),
        };
        if now == Some(imported) {
            out.push(line(
                Status::Kept,
                format!("{key} {}", shown(imported)),
                None,
            ));
        } else if let Some(now) = now {
            let why = match answers.origin(key) {
                Some(Origin::Flag) => format!("set with --{key}"),
                Some(Origin::Saved) => format!("[tool.pyrel] {key}"),
                Some(Origin::Prompt) => "answered in the prompt".into(),
                _ => "pyrel default".into(),
            };
            out.push(line(
                Status::Changed,
                format!("{key} {} (was {})", shown(now), shown(imported)),
                Some(why),
            ));
        }
    }
    out
}

/// Build settings per platform (toolchain, build variables, container,
/// per-platform maturin arguments, cibuildwheel options): each kept where
/// `[tool.pyrel]` carries it for that platform, else DROPPED by name.
fn platform_setting_lines(project: &Project, imports: &Imports, config: &Config) -> Vec<Line> {
    let chosen: Vec<&str> = config.platforms.iter().map(|p| p.name).collect();
    // One line per setting and value, naming every platform it applies to.
    type Setting = (bool, String, String, String);
    let mut grouped: Vec<(Setting, Vec<&str>)> = Vec::new();
    for (p, old) in &imports.settings {
        if !chosen.contains(&p.as_str()) {
            continue; // the platform's own line says it is dropped
        }
        let now = config.platform_settings(p);
        for (what, value, kept, why) in
            crate::answers::settings::compare(old, &now, config, project)
        {
            let key = (kept, what, value, if kept { String::new() } else { why });
            match grouped.iter_mut().find(|(k, _)| *k == key) {
                Some((_, platforms)) => platforms.push(p),
                None => grouped.push((key, vec![p.as_str()])),
            }
        }
    }
    grouped
        .into_iter()
        .map(|((kept, what, value, why), platforms)| {
            let what = format!("{what} {value:?} on {}", platforms.join(", "));
            if kept {
                line(Status::Kept, what, None)
            } else {
                line(Status::Dropped, what, Some(why))
            }
        })
        .collect()
}

fn hardening(project: &Project, sources: &[String], config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    let old: Vec<&ExistingWorkflow> = project
        .existing_workflows
        .iter()
        .filter(|w| sources.contains(&w.file))
        .collect();
    let sum = |f: fn(&ExistingWorkflow) -> usize| old.iter().map(|w| f(w)).sum::<usize>();
    let unpinned = sum(|w| w.posture.unpinned_actions);
    if unpinned > 0 {
        out.push(format!(
            "{unpinned} action reference(s) pinned to verified commit SHAs (were tags or branches)"
        ));
    }
    if old.iter().any(|w| w.posture.broad_permissions) {
        out.push("`permissions: {}` at the top, least privilege per job".into());
    }
    let persisted = sum(|w| w.posture.persisted_credentials);
    if persisted > 0 {
        out.push(format!(
            "`persist-credentials: false` on every checkout ({persisted} kept the token before)"
        ));
    }
    let caches = sum(|w| w.posture.caches);
    if caches > 0 {
        out.push(format!(
            "no caches in the release build ({caches} before: cache poisoning)"
        ));
    }
    let expressions = sum(|w| w.posture.expressions_in_run);
    if expressions > 0 {
        out.push(format!(
            "no `${{{{ }}}}` expressions in `run:` scripts ({expressions} before)"
        ));
    }
    let jobs: Vec<&PublishJob> = old.iter().flat_map(|w| &w.publish_jobs).collect();
    if jobs.iter().any(|j| !j.testpypi && j.environment.is_none()) {
        out.push(format!(
            "publishing runs in the GitHub environment {:?} (protect it with required reviewers)",
            config.environment
        ));
    }
    if config.publish == Publish::Trusted && jobs.iter().any(|j| j.secret.is_some()) {
        out.push("trusted publishing instead of a stored token".into());
    }
    out.push(
        "a preflight job checks the tag against every version source before anything is built"
            .into(),
    );
    out.push(
        "every wheel a runner can run is smoke-tested; `twine check --strict` before upload".into(),
    );
    out
}

/// The report as printed by `init` and `inspect`.
pub(crate) fn render(m: &Migration<'_>) -> String {
    let mut out = String::new();
    if m.is_empty() {
        return out;
    }
    if !m.sources.is_empty() {
        out.push_str(&format!("Migration from {}:\n", m.sources.join(", ")));
        for status in [
            Status::Kept,
            Status::Added,
            Status::Changed,
            Status::Dropped,
        ] {
            for l in m.lines.iter().filter(|l| l.status == status) {
                let word = match status {
                    Status::Kept => "kept",
                    Status::Added => "added",
                    Status::Changed => "changed",
                    Status::Dropped => "DROPPED",
                };
                match &l.reason {
                    Some(r) => out.push_str(&format!("  {word:<8} {} ({r})\n", l.what)),
                    None => out.push_str(&format!("  {word:<8} {}\n", l.what)),
                }
            }
        }
        for n in &m.notes {
            out.push_str(&format!("  note     {n}\n"));
        }
        for h in &m.hardening {
            out.push_str(&format!("  hardened {h}\n"));
        }
    }
    if let Some(moved) = &m.moved {
        out.push_str(&format!("  path     {moved}\n"));
    }
    for p in &m.problems {
        out.push_str(&format!("  unread   {p}\n"));
    }
    if let Some(w) = m.replaces {
        out.push_str(&format!(
            "  replaces {} (pyrel's workflow path; needs --replace or confirmation)\n",
            w.file
        ));
    }
    for o in &m.others {
        for j in &o.jobs {
            out.push_str(&format!(
                "  publish  {}:{} job `{}` ({}) also uploads to {}\n",
                o.file,
                j.line,
                j.job,
                j.uploader.label(),
                if j.testpypi { "TestPyPI" } else { "PyPI" },
            ));
        }
        let mut jobs: Vec<&str> = o.jobs.iter().map(|j| j.job.as_str()).collect();
        jobs.dedup();
        for (i, step) in retire_steps(o.file, &jobs, &m.workflow).iter().enumerate() {
            out.push_str(&format!("  retire   {}. {step}\n", i + 1));
        }
    }
    out
}
