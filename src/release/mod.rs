//! `pyrel release`: the release-day routine, on the maintainer's machine.
//! Check the repository (`checks::preconditions`), bump every version file,
//! commit them, create the annotated tag `<prefix><version>`, then push (with
//! `--push`) or print the exact commands. The first problem stops it with
//! nothing changed. Uses the user's `git`/`gh`; never rewrites history and
//! never force-pushes. It prints nothing itself: each step is reported as
//! an [`Event`] as it happens, and the command prints it.

pub(crate) mod checks;
pub(crate) mod git;

use std::path::Path;

use crate::answers::Trigger;
use crate::apply;
use crate::bump::{self, Target};
use crate::error::{Error, Result, Status};
use crate::inspect::Project;
use crate::plan::{self, Change};
use crate::version;
use checks::{Ctx, Outcome};
use git::Git;

pub(crate) struct Options {
    /// A version or bump part; `None` releases the version in the files.
    pub version: Option<String>,
    pub push: bool,
    pub dry_run: bool,
    pub fetch: bool,
    /// As `bump --allow-downgrade` (bump's refusals name these options).
    pub allow_downgrade: bool,
    /// As `bump --from-file`.
    pub from_file: Option<String>,
    /// Commit message; `{tag}` and `{version}` are replaced.
    pub message: String,
}

pub(crate) const DEFAULT_MESSAGE: &str = "Release {tag}";

/// A step of the release, reported as it happens (git may take a while).
pub(crate) enum Event<'a> {
    /// `git fetch` is about to run (`--fetch`).
    Fetching,
    /// The checks start for this tag.
    Releasing { tag: &'a str },
    /// One precondition's outcome; a failure ends the release unchanged.
    Checked { name: &'a str, outcome: &'a Outcome },
    /// `--dry-run`: what would be written and run; nothing was.
    WouldRun(&'a DryRun<'a>),
    /// The version files were committed.
    Committed {
        message: &'a str,
        files: &'a [String],
    },
    /// The annotated tag was created.
    Tagged { tag: &'a str },
    /// Without `--push`: the commands the user runs next.
    PushYourself { commands: &'a [PushCommand] },
    /// `--push`, but `gh` is not installed: the user runs this one.
    GhMissing { command: &'a PushCommand },
    /// `--push`: this command is about to run.
    Running { command: &'a PushCommand },
    /// Pushed (and the GitHub release created).
    Released { tag: &'a str },
}

/// What `--dry-run` would do.
pub(crate) struct DryRun<'a> {
    pub changes: &'a [Change],
    /// A Cargo.lock that git does not track is bumped on disk only.
    pub untracked_lock: bool,
    /// The files `git add` takes (empty: no commit).
    pub files: &'a [String],
    pub message: &'a str,
    pub tag: &'a str,
    pub push: &'a [PushCommand],
    /// `--push`: pyrel would run the push commands itself.
    pub pushes: bool,
}

/// Receives each [`Event`]; an error (stdout gone) stops the release.
pub(crate) type Report<'r> = &'r mut dyn FnMut(Event<'_>) -> Result<()>;

/// `[VERSION] [PATH]`: a single positional that names a directory and is not
/// a version is the path (`pyrel release rust/`).
pub(crate) fn positionals(
    version: Option<String>,
    path: Option<std::path::PathBuf>,
) -> (Option<String>, std::path::PathBuf) {
    match (version, path) {
        (Some(v), None)
            if version::parse(&v).is_err()
                && version::Part::parse(&v).is_none()
                && Path::new(&v).is_dir() =>
        {
            (None, v.into())
        }
        (v, p) => (v, p.unwrap_or_else(|| ".".into())),
    }
}

pub(crate) fn run(path: &Path, opts: &Options, report: Report<'_>) -> Result<Status> {
    let _lock = (!opts.dry_run).then(|| apply::lock(path)).transpose()?;
    let crate::ops::Configured { loaded, config } =
        crate::ops::load_configured(path, "the tag prefix and trigger come from there")?;
    let project = loaded.project;
    // The version (and the bump) first: a bad version is bad input, exit 2.
    let (version, bumped) = target_version(&project, opts)?;
    let tag = format!("{}{version}", config.tag_prefix);

    let git = Git::discover(&project.paths.repo_root)?;
    if opts.fetch {
        report(Event::Fetching)?;
        git.run(&["fetch", "--tags", "origin"])?;
    }
    let package_dir = project.paths.repo_root.join(&project.package_dir);
    let ctx = Ctx {
        git: &git,
        package_dir: &package_dir,
        tag: &tag,
        push: opts.push,
    };
    report(Event::Releasing { tag: &tag })?;
    if !preconditions_hold(&ctx, report)? {
        return Ok(Status::Refused);
    }
    let branch = checks::current_branch(&git)?.unwrap_or_default();
    let changes: &[Change] = bumped.as_ref().map_or(&[], |b| &b.changes);
    let message = opts
        .message
        .replace("{tag}", &tag)
        .replace("{version}", &version);
    let (all_files, files) = files_to_commit(&project.paths.repo_root, &git, changes)?;
    let commits = !files.is_empty();
    let push = push_commands(&branch, &tag, commits, config.trigger);

    if opts.dry_run {
        report(Event::WouldRun(&DryRun {
            changes,
            untracked_lock: all_files.len() > files.len(),
            files: &files,
            message: &message,
            tag: &tag,
            push: &push,
            pushes: opts.push,
        }))?;
        return Ok(Status::Ok);
    }

    commit_and_tag(
        &project.paths.repo_root,
        &git,
        changes,
        &files,
        &message,
        &tag,
        report,
    )?;
    if !opts.push {
        report(Event::PushYourself { commands: &push })?;
        return Ok(Status::Ok);
    }
    run_push(&git, &push, report)?;
    report(Event::Released { tag: &tag })?;
    Ok(Status::Ok)
}

/// The version to release and, when the files must change, the bump.
fn target_version(project: &Project, opts: &Options) -> Result<(String, Option<bump::Bump>)> {
    Ok(match (&opts.version, project.vcs_version) {
        (Some(v), true) => (
            version::parse(v)
                .map_err(|e| Error::input(format!("invalid version: {e}")))?
                .to_string(),
            None,
        ),
        (None, true) => {
            return Err(Error::input(
                "the version is derived from git tags: give the version to release",
            )
            .with_hint("pyrel release X.Y.Z"))
        }
        (Some(v), false) => {
            let b = bump::plan(
                project,
                &bump::Request {
                    target: Target::parse(v),
                    allow_downgrade: opts.allow_downgrade,
                    from_file: opts.from_file.as_deref(),
                },
            )?;
            (b.new.to_string(), Some(b))
        }
        (None, false) => (bump::current_version(project)?.to_string(), None),
    })
}

/// Run every precondition in order, reporting each; false at the first
/// failure (reported with its hint).
fn preconditions_hold(ctx: &Ctx<'_>, report: Report<'_>) -> Result<bool> {
    for check in checks::preconditions() {
        let outcome = (check.run)(ctx)?;
        report(Event::Checked {
            name: check.name,
            outcome: &outcome,
        })?;
        if matches!(outcome, Outcome::Fail { .. }) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Every changed file (relative to git's top level), and those to commit:
/// what git tracks. A Cargo.lock that is ignored or untracked (as libraries
/// often keep it) is still bumped on disk, just not committed; any other
/// untracked version file is a mistake to fix first.
fn files_to_commit(
    root: &Path,
    git: &Git,
    changes: &[Change],
) -> Result<(Vec<String>, Vec<String>)> {
    let all_files: Vec<String> = changes
        .iter()
        .map(|c| rel_to_git(root, git, &c.path))
        .collect();
    let tracked = tracked(git, &all_files)?;
    let mut files = Vec::new();
    for f in &all_files {
        if tracked.contains(f) {
            files.push(f.clone());
        } else if !f.ends_with("Cargo.lock") {
            return Err(Error::input(format!(
                "{f} holds the version but is not tracked by git"
            ))
            .with_hint("add and commit it first (or ignore it in pyrel's sources); nothing was changed"));
        }
    }
    Ok((all_files, files))
}

/// Write the bump, commit the tracked files (restoring them if the commit
/// fails) and create the annotated tag.
fn commit_and_tag(
    root: &Path,
    git: &Git,
    changes: &[Change],
    files: &[String],
    message: &str,
    tag: &str,
    report: Report<'_>,
) -> Result<()> {
    if !changes.is_empty() {
        apply::write(root, changes, false)?;
    }
    let commits = !files.is_empty();
    if commits {
        let mut add = vec!["add", "--"];
        add.extend(files.iter().map(String::as_str));
        let committed = git
            .run(&add)
            .and_then(|()| git.run(&["commit", "--quiet", "-m", message]));
        if let Err(e) = committed {
            return Err(match restore(root, git, changes, files) {
                Ok(()) => e.with_hint(
                    "the version files were restored; fix the problem (a commit hook?) \
                     and run pyrel release again",
                ),
                Err(failed) => e.with_hint(format!(
                    "restoring the version files FAILED ({failed}): they may hold the new \
                     version; check `git status` and `git diff`, then `git checkout -- {}`",
                    files.join(" ")
                )),
            });
        }
        report(Event::Committed { message, files })?;
    }
    let tag_message = format!("Release {tag}");
    git.run(&["tag", "-a", tag, "-m", &tag_message])
        .map_err(|e| {
            e.with_hint(if commits {
                "the release commit was made but not tagged; tag it by hand \
             (`git tag -a TAG -m MESSAGE`) or fix the problem and retry"
            } else {
                "nothing was changed"
            })
        })?;
    report(Event::Tagged { tag })?;
    Ok(())
}

/// Run the push commands (`gh` only when installed; otherwise printed).
fn run_push(git: &Git, push: &[PushCommand], report: Report<'_>) -> Result<()> {
    for cmd in push {
        if cmd.program == "gh" && !git::gh_available() {
            report(Event::GhMissing { command: cmd })?;
            continue;
        }
        report(Event::Running { command: cmd })?;
        let status = std::process::Command::new(cmd.program)
            .args(&cmd.args)
            .current_dir(&git.root)
            .status()
            .map_err(|e| Error::input(format!("could not run {}: {e}", cmd.program)))?;
        if !status.success() {
            return Err(
                Error::input(format!("`{cmd}` failed ({status})")).with_hint(
                    "the commit and tag are in your local repository; fix the problem and run the \
                 command again",
                ),
            );
        }
    }
    Ok(())
}

/// A command pyrel runs with `--push` or prints for the user.
pub(crate) struct PushCommand {
    pub program: &'static str,
    pub args: Vec<String>,
}

impl std::fmt::Display for PushCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.program, self.args.join(" "))
    }
}

/// The branch and the tag in one atomic push (never forced) when a release
/// commit was made, else the tag alone; then the GitHub release that
/// triggers the workflow, for the release trigger.
fn push_commands(branch: &str, tag: &str, committed: bool, trigger: Trigger) -> Vec<PushCommand> {
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let mut out = vec![PushCommand {
        program: "git",
        args: if committed {
            s(&["push", "--atomic", "origin", branch, tag])
        } else {
            s(&["push", "origin", tag])
        },
    }];
    if trigger == Trigger::Release {
        out.push(PushCommand {
            program: "gh",
            args: s(&["release", "create", tag, "--verify-tag", "--generate-notes"]),
        });
    }
    out
}

/// A repository-relative path (pyrel's root) as a path relative to git's
/// top level (they differ only when pyrel's root is inside it).
fn rel_to_git(pyrel_root: &Path, git: &Git, path: &str) -> String {
    let abs = pyrel_root.join(path);
    let root = git.root.canonicalize().unwrap_or_else(|_| git.root.clone());
    let abs = abs
        .parent()
        .and_then(|p| p.canonicalize().ok())
        .map(|p| p.join(abs.file_name().unwrap_or_default()))
        .unwrap_or(abs);
    abs.strip_prefix(&root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| path.to_string())
}

/// The subset of `files` (relative to the top level) that git tracks.
fn tracked(git: &Git, files: &[String]) -> Result<std::collections::BTreeSet<String>> {
    if files.is_empty() {
        return Ok(Default::default());
    }
    let mut args = vec!["ls-files", "-z", "--"];
    args.extend(files.iter().map(String::as_str));
    let out = git.output(&args)?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

/// Undo a bump whose commit failed: old contents back, index as it was.
/// An error says what could not be undone (the caller must not claim it was).
fn restore(root: &Path, git: &Git, changes: &[Change], files: &[String]) -> Result<()> {
    let back: Vec<Change> = changes
        .iter()
        .filter_map(|c| {
            Some(Change {
                path: c.path.clone(),
                old: Some(c.new.clone()),
                new: c.old.clone()?,
                action: plan::Action::Update,
                pin_updates: Vec::new(),
                encoding: c.encoding,
            })
        })
        .collect();
    let written = apply::write(root, &back, false);
    let mut reset = vec!["reset", "--quiet", "--"];
    reset.extend(files.iter().map(String::as_str));
    let reset = git.run(&reset);
    written.and(reset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_directory_is_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().to_string_lossy().into_owned();
        assert_eq!(positionals(Some(d.clone()), None), (None, d.clone().into()));
        assert_eq!(
            positionals(Some("1.2.0".into()), None),
            (Some("1.2.0".into()), ".".into())
        );
        assert_eq!(
            positionals(Some("patch".into()), Some(d.clone().into())),
            (Some("patch".into()), d.into())
        );
        // Not a directory: a (bad) version, refused as such later.
        assert_eq!(
            positionals(Some("banana".into()), None),
            (Some("banana".into()), ".".into())
        );
        assert_eq!(positionals(None, None), (None, ".".into()));
    }
}
