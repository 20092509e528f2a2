//! Release-day failures: a version PEP 440 rejects, version files that
//! disagree, generated files that drifted, a second workflow uploading the
//! same version, and a tag that already exists.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::{Finding, FindingId, Fix, Inputs, Severity};
use crate::answers::Key;
use crate::inspect::{pep440, Locator};
use crate::plan::Action;

pub(super) fn check(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    versions(i, out);
    generated(i, out);
    other_publishers(i, out);
    tag_exists(i, out);
    immutable_release(i, out);
}

/// With the release trigger the release is published before the workflow
/// runs; a repository with immutable releases (GitHub, GA October 2025)
/// then refuses the assets. Whether the setting is on cannot be known
/// offline, so this is a warning whenever the combination is configured.
fn immutable_release(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    if !i.attaches_to_published_release {
        return;
    }
    out.push(Finding {
        id: FindingId::ImmutableRelease,
        severity: Severity::Warning,
        file: i.pyproject.display.clone(),
        line: super::line_of(i.pyproject, &["tool", "pyrel", Key::GithubRelease.as_str()])
            .or_else(|| super::line_of_table(i.pyproject, &["tool", "pyrel"])),
        message: "the workflow attaches the distributions to a GitHub release that is already \
                  published (trigger = \"release\"); with immutable releases on, GitHub refuses \
                  the upload and that job fails (PyPI is not affected)"
            .into(),
        fix: Fix::Text {
            text:
                "set trigger = \"tag\" in [tool.pyrel] (the workflow then creates the release as a \
                   draft, attaches the distributions and publishes it), or github-release = false"
                    .into(),
        },
    });
}

fn versions(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    let p = i.project;
    if p.version_sources.is_empty() && !p.vcs_version {
        out.push(Finding {
            id: FindingId::VersionMissing,
            severity: Severity::Error,
            file: i.pyproject.display.clone(),
            line: super::line_of_table(i.pyproject, &["project", "version"]),
            message: "no file holds the package version, and it is not derived from git tags: \
                      the build has no version to give the distributions"
                .into(),
            fix: Fix::Toml {
                file: i.pyproject.display.clone(),
                table: "project".into(),
                key: "version".into(),
                value: "\"0.1.0\"".into(),
            },
        });
    }
    for s in &p.version_sources {
        let spelled = pep440(&s.value);
        if pep440_rs::Version::from_str(&spelled).is_err() {
            out.push(Finding {
                id: FindingId::VersionInvalid,
                severity: Severity::Error,
                file: s.file.clone(),
                line: line_in(p, &s.file, &s.locator),
                message: format!(
                    "{:?} is not a PEP 440 version (nor a Cargo version maturin converts to one): \
                     PyPI rejects the upload",
                    s.value
                ),
                fix: Fix::Text {
                    text: "use a version like 1.2.3, 1.2.3rc1 (Cargo: 1.2.3-rc.1) or 1.2.3.post1"
                        .into(),
                },
            });
        }
    }
    let first = p.version_sources.first();
    for s in p.version_sources.iter().skip(1) {
        let (Some(first), a, b) = (first, pep440(&s.value), first.map(|f| pep440(&f.value))) else {
            continue;
        };
        if Some(&a) != b.as_ref() {
            out.push(Finding {
                id: FindingId::VersionMismatch,
                severity: Severity::Error,
                file: s.file.clone(),
                line: line_in(p, &s.file, &s.locator),
                message: format!(
                    "{} has version {} but {} has {}: the release check fails until they agree",
                    s.file, s.value, first.file, first.value
                ),
                fix: Fix::Text {
                    text: format!(
                        "write the same version in every file that holds it ({})",
                        p.version_sources
                            .iter()
                            .map(|s| s.file.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            });
        }
    }
}

/// The line of a version source, for TOML keys and Python assignments.
fn line_in(p: &crate::inspect::Project, file: &str, locator: &Locator) -> Option<usize> {
    let text = std::fs::read_to_string(p.paths.repo_root.join(file)).ok()?;
    let needle = match locator {
        Locator::Python { variable } => variable.clone(),
        Locator::Toml { key } => key.last()?.clone(),
        _ => return None,
    };
    text.lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix(needle.as_str())
                .is_some_and(|rest| rest.trim_start().starts_with(['=', ':']))
        })
        .map(|n| n + 1)
}

fn generated(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    if !i.configured {
        out.push(Finding {
            id: FindingId::NotConfigured,
            severity: Severity::Warning,
            file: i.pyproject.display.clone(),
            line: None,
            message: "pyrel has not generated a release workflow for this package yet".into(),
            fix: Fix::Command {
                command: "pyrel init".into(),
            },
        });
        return;
    }
    for c in i.generated.iter().filter(|c| c.action != Action::Unchanged) {
        let why = match c.action {
            Action::Create => "is missing",
            Action::Update => "is out of date with [tool.pyrel]",
            _ => "was edited by hand",
        };
        out.push(Finding {
            id: FindingId::GeneratedStale,
            severity: Severity::Error,
            file: c.path.clone(),
            line: None,
            message: format!(
                "{} {why}: the release would run something else than configured",
                c.path
            ),
            fix: Fix::Command {
                command: if c.action == Action::HandEdited {
                    "move the edit into [tool.pyrel], then pyrel generate --force".into()
                } else {
                    "pyrel generate".into()
                },
            },
        });
    }
}

/// Another workflow that uploads this package would race pyrel's on every
/// release: one of them fails with "File already exists", or both publish.
/// The publishers are the workflow reader's (`inspect::workflows`), the
/// same adoption uses: every uploader, maturin-action `command: upload`,
/// and jobs holding PyPI credentials whose upload sits in a script.
fn other_publishers(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    let p = i.project;
    for w in p.existing_workflows.iter().filter(|w| !w.pyrel) {
        if w.file == i.workflow {
            continue;
        }
        let Some(job) = w
            .publish_jobs
            .iter()
            .find(|j| !j.testpypi)
            .or(w.publish_jobs.first())
        else {
            continue;
        };
        // In a repository with several packages, only a workflow that names
        // this one's directory or distribution publishes it.
        if !p.package_dir.is_empty() {
            let text = std::fs::read_to_string(p.paths.repo_root.join(&w.file)).unwrap_or_default();
            if !text.contains(&p.package_dir) && !text.contains(&p.name) {
                continue;
            }
        }
        let rel = &w.file;
        let what = job.uploader.label();
        out.push(Finding {
            id: FindingId::OtherPublisher,
            severity: Severity::Error,
            file: rel.clone(),
            line: Some(job.step_line),
            message: format!(
                "{rel} also publishes ({what}, job `{}`): two workflows uploading the same version \
                 means a failed run on every release (\"File already exists\"), or a release \
                 published by the wrong one",
                job.job
            ),
            fix: Fix::Text {
                text: {
                    let mut jobs: Vec<&str> =
                        w.publish_jobs.iter().map(|j| j.job.as_str()).collect();
                    jobs.dedup();
                    crate::adopt::retire_steps(rel, &jobs, i.workflow)
                        .iter()
                        .enumerate()
                        .map(|(n, s)| format!("{}. {s}", n + 1))
                        .collect::<Vec<_>>()
                        .join("; ")
                },
            },
        });
    }
}

/// The tag this version would be released under must not exist yet; local
/// refs only (`.git/refs/tags`, `.git/packed-refs`), no git process.
fn tag_exists(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    let p = i.project;
    let Some(version) = &p.version else {
        return;
    };
    let mut tags = vec![format!("{}{}", i.tag_prefix, version)];
    // Cargo spelling of the same version (`v1.0.0-rc.1`) counts too.
    if let Some(raw) = p.version_sources.first().map(|s| &s.value) {
        let raw_tag = format!("{}{raw}", i.tag_prefix);
        if !tags.contains(&raw_tag) {
            tags.push(raw_tag);
        }
    }
    let Some(git) = git_common_dir(&p.paths.repo_root) else {
        return;
    };
    let packed = std::fs::read_to_string(git.join("packed-refs")).unwrap_or_default();
    for tag in tags {
        let loose = git.join("refs/tags").join(&tag).is_file();
        let in_packed = packed.lines().any(|l| {
            l.split_once(' ')
                .is_some_and(|(_, r)| r == format!("refs/tags/{tag}"))
        });
        if loose || in_packed {
            out.push(Finding {
                id: FindingId::TagExists,
                severity: Severity::Error,
                file: i.pyproject.display.clone(),
                line: None,
                message: format!(
                    "the tag {tag} already exists: version {version} was released (or tagged) \
                     already, and an index never accepts the same version twice"
                ),
                fix: Fix::Command {
                    command: "pyrel bump patch (or minor/major) before releasing".into(),
                },
            });
            return;
        }
    }
}

/// `.git`, following a worktree's or submodule's `gitdir:` file to the
/// directory that holds the refs.
fn git_common_dir(repo_root: &Path) -> Option<PathBuf> {
    let dot_git = repo_root.join(".git");
    let dir = if dot_git.is_dir() {
        dot_git
    } else {
        let text = std::fs::read_to_string(&dot_git).ok()?;
        let rel = text.trim().strip_prefix("gitdir:")?.trim();
        repo_root.join(rel)
    };
    match std::fs::read_to_string(dir.join("commondir")) {
        Ok(common) => Some(dir.join(common.trim())),
        Err(_) => Some(dir),
    }
}
