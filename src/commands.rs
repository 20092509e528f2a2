//! The commands' faces: each calls the operations in `ops` (which return
//! data), prints what they returned (summaries, diffs, reports, findings)
//! and maps the outcome to an exit status. Policy that decides what to
//! write lives in `ops` and below, never here.

use std::path::Path;

use crate::adopt;
use crate::answers::{self, Key, NoPrompt, Prompter, Value};
use crate::apply;
use crate::doctor;
use crate::error::{Error, Result, Status};
use crate::inspect::{self, Project};
use crate::merge;
use crate::ops;
use crate::plan::{self, Action, Change, Ownership};
use crate::render;

/// Whether `init` may ask questions.
pub(crate) enum Interaction {
    None,
    Terminal,
}

/// What `generate` does with its plan of writes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Mode {
    Write {
        force: bool,
    },
    /// `--check`: exit 1 with the diff when a file would change.
    Check,
    /// `--dry-run` (alias `--diff`): print the diff, write nothing.
    DryRun,
}

impl Mode {
    pub(crate) fn from_flags(check: bool, dry_run: bool, force: bool) -> Mode {
        match (check, dry_run) {
            (true, _) => Mode::Check,
            (_, true) => Mode::DryRun,
            _ => Mode::Write { force },
        }
    }
}

pub(crate) fn inspect(path: &Path, json: bool) -> Result<Status> {
    let project = inspect::inspect(path)?;
    if json {
        let text =
            serde_json::to_string_pretty(&project).map_err(|e| Error::Internal(e.to_string()))?;
        crate::out::print(&format!("{text}\n"))?;
    } else {
        crate::out::print(&summary(&project))?;
        crate::out::print(&preview_migration(&project))?;
    }
    Ok(Status::Ok)
}

/// The migration report `init --yes` would print, for `inspect`: imports
/// and the saved `[tool.pyrel]`, no flags. Unusable config shows nothing
/// here; `init` reports it.
fn preview_migration(project: &Project) -> String {
    let saved = ops::read_pyproject(project)
        .and_then(|p| answers::saved(&p))
        .unwrap_or_default();
    let imports = answers::adopt::imports(project);
    let Ok(answers) = answers::resolve_adopting(
        project,
        imports.values.clone(),
        saved,
        Vec::new(),
        &mut NoPrompt,
    ) else {
        return String::new();
    };
    match ops::validate(&answers, project) {
        Ok(config) => adopt::render(&adopt::migration(project, &imports, &answers, &config)),
        Err(_) => String::new(),
    }
}

/// The human summary `inspect` prints and `init` shows before asking.
pub(crate) fn summary(p: &Project) -> String {
    let mut out = String::new();
    let mut line = |k: &str, v: String| out.push_str(&format!("  {k:<16} {v}\n"));
    line("package", p.name.clone());
    line("backend", p.backend.display_name().to_string());
    if let Some(w) = &p.backend_wrapper {
        line("wrapper", format!("{w} (in-tree backend)"));
    }
    if let Some(c) = &p.compiled {
        line("compiled", c.clone());
    }
    if let Some(b) = p.bindings {
        line("bindings", b.to_string());
    }
    if let Some(m) = &p.cargo_manifest {
        let ws = match &p.workspace_manifest {
            Some(w) => format!(" (workspace {w})"),
            None => String::new(),
        };
        line("crate", format!("{m}{ws}"));
    }
    if p.builds_platform_wheels() {
        line("abi3", p.abi3.map_or("no".into(), |a| a.tag()));
    }
    if let Some(s) = &p.python_source {
        line("python-source", s.clone());
    }
    line(
        if p.is_bin() { "binary" } else { "module" },
        p.module_name.clone(),
    );
    let mut sources: Vec<String> = if p.vcs_version {
        vec!["from git tags".into()]
    } else {
        p.version_sources.iter().map(|s| s.file.clone()).collect()
    };
    sources.dedup(); // `__version__` and `__version_info__` share a file
    line(
        "version",
        format!(
            "{} ({})",
            p.version.clone().unwrap_or_else(|| "unknown".into()),
            if sources.is_empty() {
                "no file holds it".into()
            } else {
                sources.join(", ")
            }
        ),
    );
    line(
        "github",
        p.github
            .as_ref()
            .map_or("not found".into(), |g| format!("{}/{}", g.owner, g.repo)),
    );
    for w in p.existing_workflows.iter().filter(|w| !w.pyrel) {
        let mut what = Vec::new();
        for b in &w.builds {
            let at = match (&b.manifest, b.dir.as_str()) {
                (Some(m), _) => format!(" for {m}"),
                (None, "") => String::new(),
                (None, d) => format!(" in {d}"),
            };
            what.push(format!("builds {} platform(s){at}", b.platforms.len()));
        }
        for j in &w.publish_jobs {
            let index = if j.testpypi { "TestPyPI" } else { "PyPI" };
            what.push(format!("job `{}` publishes to {index}", j.job));
        }
        if !w.problems.is_empty() {
            what.push(format!("{} thing(s) unreadable", w.problems.len()));
        }
        if w.unrelated() {
            what.push("builds and publishes no Python distribution".into());
        }
        line("workflow", format!("{}: {}", w.file, what.join(", ")));
    }
    for w in &p.warnings {
        out.push_str(&format!("  warning: {w}\n"));
    }
    out
}

/// How `init` may treat what an existing workflow does.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Adoption {
    /// Replace a foreign publishing workflow at pyrel's target path.
    pub replace: bool,
    /// Write even though a platform or interpreter family is dropped.
    pub allow_drop: bool,
}

pub(crate) fn init(
    path: &Path,
    flags: Vec<(Key, Value)>,
    interaction: Interaction,
    dry_run: bool,
    force: bool,
    adoption: Adoption,
) -> Result<Status> {
    let _lock = (!dry_run).then(|| apply::lock(path)).transpose()?;
    let project = inspect::inspect(path)?;
    project.require_pipeline()?;
    let pyproject = ops::read_pyproject(&project)?;
    let saved = answers::saved(&pyproject)?;
    let interactive = matches!(interaction, Interaction::Terminal);
    let mut prompter: Box<dyn Prompter> = if interactive {
        crate::out::eprintln!("pyrel found:\n{}", summary(&project));
        Box::new(crate::answers::terminal::Terminal::new())
    } else {
        warn(&project.warnings);
        Box::new(NoPrompt)
    };
    let imports = answers::adopt::imports(&project);
    let answers = answers::resolve_adopting(
        &project,
        imports.values.clone(),
        saved,
        flags,
        prompter.as_mut(),
    )?;
    let config = ops::validate(&answers, &project)?;
    note(&crate::build_plan::constraints::adaptations(
        &project, &config,
    ));
    let migration = adopt::migration(&project, &imports, &answers, &config);
    crate::out::eprint!("{}", adopt::render(&migration));
    let merged = merge::merge(
        &pyproject.text,
        &pyproject.display,
        answers::to_table(&answers, &project),
        &project,
    )?;
    warn(&merged.conflicts);
    // Planned from the text the merge started from: that is what `apply`
    // verifies is still on disk before replacing it.
    let mut changes = vec![plan::plan_known(
        &pyproject.display,
        Some(pyproject.text.clone()),
        crate::inspect::pyversion::Encoding::Utf8,
        merged.text,
        Ownership::Merged,
    )?];
    changes.extend(ops::generated(&project, &config)?);
    let may_write = adoption_allows(&migration, &mut changes, adoption, interactive, dry_run);
    if !may_write {
        return Ok(Status::Refused);
    }
    if dry_run {
        print_diffs(&changes, |_| true)?;
        report(&changes, "would ");
        return Ok(Status::Ok);
    }
    if refuse_hand_edits(&changes, force)? {
        return Ok(Status::Refused);
    }
    if interactive && !crate::answers::terminal::confirm_changes(&changes)? {
        crate::out::eprintln!("Nothing written.");
        return Ok(Status::Refused);
    }
    let next_steps = crate::next_steps::render(&project, &config)?;
    ops::write(&project, &changes, force)?;
    report(&changes, "");
    report_findings(path)?;
    crate::out::eprint!("{next_steps}");
    Ok(Status::Ok)
}

/// What an existing workflow allows `init` to write: someone else's
/// workflow at pyrel's path is replaced only when asked (`--replace`) or
/// confirmed (`--force` is for pyrel's own files), and nothing the old
/// workflow builds is dropped without `--allow-drop`. False (after saying
/// why) when nothing may be written.
fn adoption_allows(
    migration: &adopt::Migration<'_>,
    changes: &mut [Change],
    adoption: Adoption,
    interactive: bool,
    dry_run: bool,
) -> bool {
    if let Some(old) = &migration.replaces {
        let confirmed = adoption.replace || interactive;
        for c in changes.iter_mut().filter(|c| c.path == old.file) {
            if c.action == Action::HandEdited && confirmed {
                c.action = Action::Update;
            }
        }
        if !confirmed && !dry_run {
            crate::out::eprintln!(
                "pyrel: {} is an existing workflow{} at pyrel's workflow path; re-run with \
                 --replace to replace it with pyrel's (the report above lists what is kept), \
                 or choose another path with --workflow. Nothing was written.",
                old.file,
                if old.publishes() {
                    " that publishes to PyPI"
                } else {
                    ""
                }
            );
            return false;
        }
    }
    let dropped = migration.possible_drops();
    if !dropped.is_empty() && !interactive && !adoption.allow_drop && !dry_run {
        crate::out::eprintln!(
            "pyrel: refusing to write: {} of what the existing workflow builds would be lost or \
             could not be read (listed as DROPPED and unread above): {}. Keep them (add them to \
             --platforms or [tool.pyrel]), or re-run with --allow-drop. Nothing was written.",
            dropped.len(),
            dropped.join("; ")
        );
        return false;
    }
    true
}

pub(crate) fn generate(path: &Path, mode: Mode) -> Result<Status> {
    let _lock = matches!(mode, Mode::Write { .. })
        .then(|| apply::lock(path))
        .transpose()?;
    let (configured, changes) = ops::generate(path)?;
    let project = &configured.loaded.project;
    if !matches!(mode, Mode::Check) {
        note(&crate::build_plan::constraints::adaptations(
            project,
            &configured.config,
        ));
    }
    match mode {
        Mode::DryRun => {
            print_diffs(&changes, |_| true)?;
            Ok(Status::Ok)
        }
        Mode::Check => check(&changes, project),
        Mode::Write { force } => {
            if refuse_hand_edits(&changes, force)? {
                return Ok(Status::Refused);
            }
            ops::write(project, &changes, force)?;
            report(&changes, "");
            report_findings(path)?;
            Ok(Status::Ok)
        }
    }
}

/// `pyrel doctor`: release readiness, offline. Exit 1 when a finding is an
/// error (the release would fail).
pub(crate) fn doctor(path: &Path, json: bool) -> Result<Status> {
    let (loaded, findings) = ops::doctor(path)?;
    let project = &loaded.project;
    if json {
        let text =
            serde_json::to_string_pretty(&findings).map_err(|e| Error::Internal(e.to_string()))?;
        crate::out::print(&format!("{text}\n"))?;
    } else if findings.is_empty() {
        crate::out::eprintln!(
            "pyrel doctor: no findings; {} is ready to release",
            project.name
        );
    } else {
        crate::out::print(&doctor::format(&findings))?;
    }
    Ok(if doctor::has_errors(&findings) {
        Status::Refused
    } else {
        Status::Ok
    })
}

/// `pyrel plan`: the distributions the next release publishes.
pub(crate) fn plan(path: &Path, json: bool) -> Result<Status> {
    let plan = ops::build_plan(path)?;
    if json {
        let text =
            serde_json::to_string_pretty(&plan).map_err(|e| Error::Internal(e.to_string()))?;
        crate::out::print(&format!("{text}\n"))?;
    } else {
        crate::out::print(&crate::build_plan::text(&plan))?;
    }
    Ok(Status::Ok)
}

/// After `init`/`generate` wrote the files: what could still fail the release.
fn report_findings(path: &Path) -> Result<()> {
    let findings = ops::doctor_findings(path)?;
    if findings.is_empty() {
        return Ok(());
    }
    crate::out::eprintln!("\npyrel doctor found what would make the release fail or look wrong:");
    crate::out::eprint!("{}", doctor::format(&findings));
    if doctor::has_errors(&findings) {
        crate::out::eprintln!(
            "The files were written; fix the errors above before the first release."
        );
    }
    Ok(())
}

fn check(changes: &[Change], project: &Project) -> Result<Status> {
    let stale = ops::stale(changes);
    if stale.is_empty() {
        crate::out::eprintln!("pyrel: generated files are up to date");
        return Ok(Status::Ok);
    }
    print_diffs(changes, |c| c.action != Action::Unchanged)?;
    let cmd = render::context::common(project).regenerate;
    for c in stale {
        let why = match c.action {
            Action::Create => format!("is missing; run `{cmd}` to create it"),
            Action::Update => format!("is out of date with [tool.pyrel]; run `{cmd}`"),
            Action::HandEdited => "was edited by hand: move the change into [tool.pyrel], \
                 or run `pyrel generate --force` to discard it"
                .to_string(),
            Action::Unchanged => unreachable!(),
        };
        crate::out::eprintln!("pyrel: {} {why}", c.path);
        if let Some(note) = plan::pin_note(c) {
            crate::out::eprintln!("pyrel: {}: {note}", c.path);
        }
    }
    Ok(Status::Refused)
}

/// Print the diff of every hand-edited file and refuse, unless forced.
fn refuse_hand_edits(changes: &[Change], force: bool) -> Result<bool> {
    let edited = ops::hand_edited(changes);
    if edited.is_empty() || force {
        return Ok(false);
    }
    print_diffs(changes, |c| c.action == Action::HandEdited)?;
    for c in edited {
        crate::out::eprintln!(
            "pyrel: refusing to overwrite {}: it was edited by hand (or not written by pyrel). \
             The diff above shows what regenerating would change. Move your change into \
             [tool.pyrel] (smoke-test, maturin-args, before-script-linux, platforms, ...), \
             or re-run with --force to replace the file. Nothing was written.",
            c.path
        );
    }
    Ok(true)
}

fn print_diffs(changes: &[Change], include: impl Fn(&Change) -> bool) -> Result<()> {
    for c in changes
        .iter()
        .filter(|c| c.action != Action::Unchanged && include(c))
    {
        crate::out::print(&crate::style::diff(&plan::diff(c)))?;
    }
    Ok(())
}

/// One line per file: what happened (or, with `would `, what would).
fn report(changes: &[Change], prefix: &str) {
    for c in changes {
        let verb = match (c.action, prefix.is_empty()) {
            (Action::Create, true) => "created",
            (Action::Create, false) => "create",
            (Action::Update, true) => "updated",
            (Action::Update, false) => "update",
            (Action::HandEdited, true) => "replaced hand-edited",
            (Action::HandEdited, false) => "replace hand-edited",
            (Action::Unchanged, _) => "unchanged",
        };
        let prefix = if c.action == Action::Unchanged {
            ""
        } else {
            prefix
        };
        crate::out::eprintln!("  {:<12} {}", format!("{prefix}{verb}"), c.path);
        if let Some(note) = plan::pin_note(c) {
            crate::out::eprintln!("  {:<12} {note}", "");
        }
    }
}

/// What pyrel adapted so that every build row can run (see
/// `build_plan::constraints::adaptations`).
fn note(notes: &[String]) {
    for n in notes {
        crate::out::eprintln!("note: {n}");
    }
}

fn warn(warnings: &[String]) {
    for w in warnings {
        crate::out::eprintln!("warning: {w}");
    }
}

// ---- release day: bump and release ----

/// `pyrel bump`: plan every version edit, then print (dry run) or write all
/// files at once.
pub(crate) fn bump(path: &Path, req: &crate::bump::Request<'_>, dry_run: bool) -> Result<Status> {
    let _lock = (!dry_run).then(|| apply::lock(path)).transpose()?;
    let (project, bump) = ops::bump(path, req)?;
    if dry_run {
        print_diffs(&bump.changes, |_| true)?;
        report(&bump.changes, "would ");
        crate::out::eprintln!(
            "pyrel: would bump {} to {}; nothing written",
            bump.old,
            bump.new
        );
        return Ok(Status::Ok);
    }
    ops::write(&project, &bump.changes, false)?;
    report(&bump.changes, "");
    crate::out::eprintln!("pyrel: bumped {} to {}", bump.old, bump.new);
    Ok(Status::Ok)
}

/// `pyrel release`: see `crate::release`.
pub(crate) fn release(path: &Path, opts: &crate::release::Options) -> Result<Status> {
    crate::release::run(path, opts, &mut print_release_event)
}

/// One step of `pyrel release`, as it happens: progress on stderr; the
/// commands the user runs (and the dry run's diffs) on stdout.
fn print_release_event(event: crate::release::Event<'_>) -> Result<()> {
    use crate::release::checks::Outcome;
    use crate::release::Event;
    match event {
        Event::Fetching => crate::out::eprintln!("pyrel: fetching origin (--fetch)"),
        Event::Releasing { tag } => crate::out::eprintln!("pyrel: releasing {tag}"),
        Event::Checked { name, outcome } => match outcome {
            Outcome::Pass(detail) => crate::out::eprintln!("  ok          {name}: {detail}"),
            Outcome::NotChecked(why) => crate::out::eprintln!("  not checked {name}: {why}"),
            Outcome::Fail { message, hint } => {
                crate::out::eprintln!("  FAILED      {name}: {message}");
                crate::out::eprintln!(
                    "pyrel: release refused; nothing was changed.\n  hint: {hint}"
                );
            }
        },
        Event::WouldRun(run) => {
            for c in run.changes {
                crate::out::print(&crate::plan::diff(c))?;
            }
            crate::out::eprintln!("pyrel: would run:");
            if run.untracked_lock {
                crate::out::eprintln!("  (bump Cargo.lock on disk; git does not track it)");
            }
            if !run.files.is_empty() {
                crate::out::eprintln!("  git add -- {}", run.files.join(" "));
                crate::out::eprintln!("  git commit -m {:?}", run.message);
            }
            let tag = run.tag;
            crate::out::eprintln!("  git tag -a {tag} -m \"Release {tag}\"");
            for cmd in run.push {
                let by = if run.pushes { "" } else { "(then, by you) " };
                crate::out::eprintln!("  {by}{cmd}");
            }
            crate::out::eprintln!("Nothing was changed (--dry-run).");
        }
        Event::Committed { message, files } => {
            crate::out::eprintln!("pyrel: committed {message:?} ({})", files.join(", "))
        }
        Event::Tagged { tag } => crate::out::eprintln!("pyrel: tagged {tag}"),
        Event::PushYourself { commands } => {
            crate::out::eprintln!("Next, push and publish:");
            for cmd in commands {
                crate::out::print(&format!("{cmd}\n"))?;
            }
        }
        Event::GhMissing { command } => {
            crate::out::eprintln!(
                "pyrel: the GitHub CLI (gh) is not installed; run this yourself:"
            );
            crate::out::print(&format!("{command}\n"))?;
        }
        Event::Running { command } => crate::out::eprintln!("pyrel: running `{command}`"),
        Event::Released { tag } => crate::out::eprintln!("pyrel: released {tag}"),
    }
    Ok(())
}

// ---- end release day ----
