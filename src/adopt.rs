//! The migration report: what adopting pyrel keeps, adds and drops compared
//! with the workflows the repository already has, what it hardens, and
//! which old workflow would still publish. Pure data from `Project`,
//! `Imports`, `Answers` and `Config`; `commands` prints it and decides the
//! exit status.

use std::collections::BTreeSet;

use crate::answers::adopt::{self, Imports};
use crate::answers::{platforms, Answers, Config, Origin, Publish, Value};
use crate::inspect::workflows::{ExistingWorkflow, Interpreter, PublishJob};
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
}

impl Migration<'_> {
    pub(crate) fn dropped(&self) -> Vec<&Line> {
        self.lines
            .iter()
            .filter(|l| l.status == Status::Dropped)
            .collect()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.sources.is_empty()
            && self.problems.is_empty()
            && self.others.is_empty()
            && self.replaces.is_none()
    }
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

fn origin_reason(origin: Option<Origin>, key: &str) -> String {
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
        ..Default::default()
    };
    for w in &project.existing_workflows {
        m.problems.extend(w.problems.iter().cloned());
    }
    if m.sources.is_empty() {
        return m;
    }
    let line = |status, what: String, reason: Option<String>| Line {
        status,
        what,
        reason,
    };

    // Platforms.
    if project.builds_platform_wheels() && !imports.platforms.is_empty() {
        let chosen: Vec<&str> = config.platforms.iter().map(|p| p.name).collect();
        for p in &imports.platforms {
            if chosen.contains(&p.as_str()) {
                m.lines
                    .push(line(Status::Kept, format!("platform {p}"), None));
            } else if platforms::find(p).is_none() {
                m.lines.push(line(
                    Status::Dropped,
                    format!("platform {p}"),
                    Some("pyrel cannot build it".into()),
                ));
            } else if project.is_cibuildwheel()
                && !platforms::find(p).is_some_and(|p| p.cibuildwheel_native())
            {
                m.lines.push(line(
                    Status::Dropped,
                    format!("platform {p}"),
                    Some("the cibuildwheel workflow builds on native runners only".into()),
                ));
            } else {
                m.lines.push(line(
                    Status::Dropped,
                    format!("platform {p}"),
                    Some(origin_reason(answers.origin("platforms"), "platforms")),
                ));
            }
        }
        for p in chosen {
            if !imports.platforms.iter().any(|i| i == p) {
                let why = match answers.origin("platforms") {
                    Some(Origin::Flag) => "added with --platforms",
                    Some(Origin::Saved) => "in [tool.pyrel] platforms",
                    Some(Origin::Prompt) => "selected in the prompt",
                    _ => "pyrel default",
                };
                m.lines.push(line(
                    Status::Added,
                    format!("platform {p}"),
                    Some(why.into()),
                ));
            }
        }
    }

    // Interpreter families.
    if project.builds_platform_wheels() && !imports.interpreters.is_empty() {
        let bin = project.is_bin();
        let mut built: BTreeSet<Interpreter> = BTreeSet::from([Interpreter::Cpython]);
        let ft_reason = if project.is_cibuildwheel() && project.abi3.is_some() {
            Some(
                "setuptools refuses an abi3 (py_limited_api) build on free-threaded CPython \
                 before 3.15",
            )
        } else {
            (config.free_threaded && !project.free_threaded_supported())
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
                m.lines.push(line(
                    Status::Kept,
                    what,
                    Some("a bin wheel (py3-none) serves every interpreter".into()),
                ));
            } else if built.contains(i) {
                m.lines.push(line(Status::Kept, what, None));
            } else if let (Interpreter::FreeThreaded, Some(r)) = (i, ft_reason) {
                m.lines.push(line(Status::Dropped, what, Some(r.into())));
            } else if *i == Interpreter::Graalpy {
                m.lines.push(line(
                    Status::Dropped,
                    what,
                    Some("pyrel cannot build it".into()),
                ));
            } else {
                let key = match i {
                    Interpreter::Pypy => "pypy",
                    _ => "free-threaded",
                };
                m.lines.push(line(
                    Status::Dropped,
                    what,
                    Some(origin_reason(answers.origin(key), key)),
                ));
            }
        }
        for i in built.difference(&imports.interpreters) {
            m.lines.push(line(
                Status::Added,
                format!("interpreters {}", i.label()),
                Some("pyrel default".into()),
            ));
        }
    }

    // Settings imported from the old workflow: kept, or changed by the user.
    for (key, imported) in &imports.values {
        if matches!(*key, "platforms" | "pypy" | "free-threaded") {
            continue;
        }
        let now = answers.get(key);
        let shown = |v: &Value| match v {
            Value::Bool(b) => b.to_string(),
            Value::Str(s) => format!("{s:?}"),
            Value::List(l) => l.join(","),
        };
        if now == Some(imported) {
            m.lines.push(line(
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
            m.lines.push(line(
                Status::Changed,
                format!("{key} {} (was {})", shown(now), shown(imported)),
                Some(why),
            ));
        }
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
    if config.publish == Publish::Token && answers.origin("publish") == Some(Origin::Imported) {
        m.notes.push(
            "token publishing kept as the old workflow did it; trusted publishing \
             (--publish trusted, see RELEASING.md) needs no stored token"
                .into(),
        );
    }
    m.hardening = hardening(project, &m.sources, config);
    m
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
                "  publish  {}:{} job `{}` also uploads to {}: delete it once pyrel's workflow has published (see \"Migrating from {}\" in the docs)\n",
                o.file,
                j.line,
                j.job,
                if j.testpypi { "TestPyPI" } else { "PyPI" },
                o.file
            ));
        }
    }
    out
}
