//! The preconditions of a release, as a list of named checks run in order;
//! the first failure stops the release before anything is changed. A new
//! precondition is one more entry in `preconditions()`.

use std::path::Path;

use super::git::Git;
use crate::error::Result;

/// What a check sees.
pub(crate) struct Ctx<'a> {
    pub git: &'a Git,
    /// The package directory (where pyproject.toml is).
    pub package_dir: &'a Path,
    pub tag: &'a str,
    pub push: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Pass(String),
    /// Could not be checked; said so, never reported as passing.
    NotChecked(String),
    Fail {
        message: String,
        hint: String,
    },
}

pub(crate) struct Check {
    pub name: &'static str,
    pub run: fn(&Ctx<'_>) -> Result<Outcome>,
}

pub(crate) fn preconditions() -> Vec<Check> {
    vec![
        Check {
            name: "work tree is clean",
            run: clean,
        },
        Check {
            name: "on the default branch",
            run: on_default_branch,
        },
        Check {
            name: "not behind upstream",
            run: not_behind,
        },
        Check {
            name: "pyrel doctor reports no error",
            run: doctor_clean,
        },
        Check {
            name: "generated files are up to date",
            run: generated_up_to_date,
        },
        Check {
            name: "tag is new",
            run: tag_is_new,
        },
        Check {
            name: "origin remote to push to",
            run: origin_exists,
        },
    ]
}

fn fail(message: impl Into<String>, hint: impl Into<String>) -> Result<Outcome> {
    Ok(Outcome::Fail {
        message: message.into(),
        hint: hint.into(),
    })
}

/// Anything `pyrel doctor` says would fail the release. Two of its checks
/// are made here by other entries, on the version being released rather than
/// the current one: the tag, and the generated files.
fn doctor_clean(c: &Ctx<'_>) -> Result<Outcome> {
    use crate::doctor::{self, Severity};
    let errors: Vec<doctor::Finding> = crate::ops::doctor_findings(c.package_dir)?
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .filter(|f| {
            !matches!(
                f.id,
                doctor::FindingId::TagExists | doctor::FindingId::GeneratedStale
            )
        })
        .collect();
    if errors.is_empty() {
        return Ok(Outcome::Pass("no release-blocking findings".into()));
    }
    fail(
        format!(
            "pyrel doctor found {} error(s) that would fail the release:\n{}",
            errors.len(),
            doctor::format(&errors).trim_end()
        ),
        "apply each fix above (`pyrel doctor` shows them again), then release again",
    )
}

fn clean(c: &Ctx<'_>) -> Result<Outcome> {
    let status = c
        .git
        .read(&["status", "--porcelain", "--untracked-files=no"])?
        .unwrap_or_default();
    if status.is_empty() {
        return Ok(Outcome::Pass(
            "no uncommitted changes to tracked files".into(),
        ));
    }
    let files: Vec<&str> = status.lines().take(5).collect();
    fail(
        format!("uncommitted changes:\n    {}", files.join("\n    ")),
        "commit or stash them first: the release commit must hold the version bump only",
    )
}

/// The current branch, or `None` when HEAD is detached.
pub(crate) fn current_branch(git: &Git) -> Result<Option<String>> {
    git.read(&["symbolic-ref", "--quiet", "--short", "HEAD"])
}

/// `origin/HEAD`, else `main` or `master` when exactly that branch exists.
pub(crate) fn default_branch(git: &Git) -> Result<Option<String>> {
    if let Some(r) = git.read(&[
        "symbolic-ref",
        "--quiet",
        "--short",
        "refs/remotes/origin/HEAD",
    ])? {
        if let Some(b) = r.strip_prefix("origin/") {
            return Ok(Some(b.to_string()));
        }
    }
    for b in ["main", "master"] {
        let full = format!("refs/heads/{b}");
        if git
            .read(&["rev-parse", "--verify", "--quiet", &full])?
            .is_some()
        {
            return Ok(Some(b.to_string()));
        }
    }
    Ok(None)
}

fn on_default_branch(c: &Ctx<'_>) -> Result<Outcome> {
    let Some(branch) = current_branch(c.git)? else {
        return fail(
            "HEAD is detached",
            "switch to the default branch (`git switch main`) and release from there",
        );
    };
    let Some(default) = default_branch(c.git)? else {
        return fail(
            "cannot tell the default branch: no origin/HEAD and no main or master",
            "run `git remote set-head origin --auto` once",
        );
    };
    if branch != default {
        return fail(
            format!("on branch {branch}, but releases are cut from the default branch {default}"),
            format!("merge your work, then `git switch {default}` and run pyrel release again"),
        );
    }
    Ok(Outcome::Pass(format!("on {branch}")))
}

fn not_behind(c: &Ctx<'_>) -> Result<Outcome> {
    let Some(upstream) = c.git.read(&[
        "rev-parse",
        "--abbrev-ref",
        "--symbolic-full-name",
        "@{upstream}",
    ])?
    else {
        return Ok(Outcome::NotChecked(
            "the branch has no upstream to compare with".into(),
        ));
    };
    let behind: u64 = c
        .git
        .read(&["rev-list", "--count", "HEAD..@{upstream}"])?
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    if behind > 0 {
        return fail(
            format!("{behind} commit(s) behind {upstream}"),
            "pull first (`git pull --ff-only`); pyrel compares local refs only, pass --fetch \
             to fetch before checking",
        );
    }
    Ok(Outcome::Pass(format!(
        "up to date with {upstream} (local refs)"
    )))
}

/// The same check as `pyrel generate --check`: the workflow and docs match
/// [tool.pyrel]. The files are named; `pyrel generate --check` shows the diff.
fn generated_up_to_date(c: &Ctx<'_>) -> Result<Outcome> {
    let (_, changes) = crate::ops::generate(c.package_dir)?;
    let stale = crate::ops::stale(&changes);
    if stale.is_empty() {
        return Ok(Outcome::Pass("`pyrel generate --check` passes".into()));
    }
    let files: Vec<&str> = stale.iter().map(|c| c.path.as_str()).collect();
    fail(
        format!(
            "the generated files are missing, stale or edited by hand: {}",
            files.join(", ")
        ),
        "run `pyrel generate` (`pyrel generate --check` shows the diff), commit the result, \
         then release",
    )
}

fn tag_is_new(c: &Ctx<'_>) -> Result<Outcome> {
    let full = format!("refs/tags/{}", c.tag);
    if c.git
        .read(&["rev-parse", "--verify", "--quiet", &full])?
        .is_some()
    {
        return fail(
            format!("the tag {} already exists", c.tag),
            "choose the next version; a published version can never be uploaded again",
        );
    }
    Ok(Outcome::Pass(format!("{} does not exist", c.tag)))
}

fn origin_exists(c: &Ctx<'_>) -> Result<Outcome> {
    if !c.push {
        return Ok(Outcome::NotChecked("not pushing (no --push)".into()));
    }
    match c.git.read(&["remote", "get-url", "origin"])? {
        Some(url) => Ok(Outcome::Pass(url)),
        None => fail(
            "there is no `origin` remote to push to",
            "add it (`git remote add origin URL`) or release without --push",
        ),
    }
}
