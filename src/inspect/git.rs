//! The repository root and its GitHub coordinates, from `.git` alone: no git
//! binary, no network.

use std::path::{Path, PathBuf};

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct GitHub {
    pub owner: String,
    pub repo: String,
}

impl GitHub {
    /// Parse `owner/repo`, accepting only what GitHub accepts as names, so the
    /// values are safe to print anywhere.
    pub(crate) fn parse_slug(s: &str) -> Option<GitHub> {
        let (owner, repo) = s.split_once('/')?;
        let repo = repo.strip_suffix(".git").unwrap_or(repo);
        let owner_ok = !owner.is_empty()
            && owner.len() <= 39
            && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !owner.starts_with('-');
        let repo_ok = !repo.is_empty()
            && repo.len() <= 100
            && repo != "."
            && repo != ".."
            && repo
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        (owner_ok && repo_ok).then(|| GitHub {
            owner: owner.to_string(),
            repo: repo.to_string(),
        })
    }
}

/// The nearest ancestor of `dir` (inclusive) that holds `.git`.
pub(crate) fn repo_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// owner/repo of the repository's GitHub remote: `upstream` wins over
/// `origin` (a fork's clone has the project as `upstream` and the fork as
/// `origin`), then the first other GitHub remote. A repository whose remotes
/// are all elsewhere gets a plain statement of what pyrel generates.
pub(crate) fn github_remote(repo_root: &Path, warnings: &mut Vec<String>) -> Option<GitHub> {
    let config = std::fs::read_to_string(git_dir(repo_root)?.join("config")).ok()?;
    pick_remote(&remotes(&config), warnings)
}

/// The remote that names the project, from `[remote "name"] url` pairs.
fn pick_remote(remotes: &[(String, String)], warnings: &mut Vec<String>) -> Option<GitHub> {
    let named = |n: &str| remotes.iter().find(|(name, _)| name == n);
    let on_github = |(_, url): &&(String, String)| is_github(url);
    let pick = named("upstream")
        .filter(on_github)
        .or_else(|| named("origin").filter(on_github))
        .or_else(|| remotes.iter().find(on_github));
    let Some((name, url)) = pick else {
        if let Some((name, url)) = named("upstream").or_else(|| named("origin")) {
            warnings.push(not_on_github(name, url));
        }
        return None;
    };
    let gh = parse_url(url);
    if gh.is_none() {
        warnings.push(format!(
            "could not read a GitHub owner/repo from remote {name:?}; set `repository = \"OWNER/REPO\"` \
             in [tool.pyrel] (`pyrel init --repository OWNER/REPO` saves it)"
        ));
    }
    gh
}

fn is_github(url: &str) -> bool {
    host(url).is_some_and(|h| h == "github.com" || h == "www.github.com")
}

/// The host of a remote URL (`https://u:p@host/..`, `git@host:..`,
/// `ssh://host:22/..`), without user, password or port; `None` for a local
/// path or anything that is not a plain host name.
fn host(url: &str) -> Option<String> {
    let authority = match url.split_once("://") {
        Some((_, rest)) => rest.split('/').next().unwrap_or(""),
        // scp-like `user@host:path`
        None if !url.starts_with(['/', '.']) => url.split_once(':')?.0,
        None => return None,
    };
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next().unwrap_or("");
    let ok = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    ok.then(|| host.to_ascii_lowercase())
}

/// What a repository hosted elsewhere (GitLab, Codeberg, a local path)
/// gets from pyrel, and what its maintainers must do themselves.
fn not_on_github(name: &str, url: &str) -> String {
    let place = match host(url) {
        Some(h) => format!("is on {h}, not GitHub"),
        None => "is not a GitHub URL".to_string(),
    };
    format!(
        "remote {name:?} {place}: pyrel generates a GitHub Actions workflow \
         (.github/workflows) and a RELEASING.md for PyPI trusted publishing from GitHub. \
         Elsewhere that workflow does not run: mirror the repository to GitHub and set \
         `repository = \"OWNER/REPO\"` in [tool.pyrel], or port the workflow's jobs to your CI \
         and register that CI as the trusted publisher on PyPI (or use a token)"
    )
}

/// The repository named in `[project.urls]`: the first label that means the
/// source (`Repository`, `Source`, `Source Code`, `GitHub`, `Code`, then
/// `Homepage`, normalised as PEP 753 says) whose URL is on GitHub. A deeper
/// URL (`.../tree/main`, `#readme`) names its first two path segments.
pub(crate) fn github_from_urls(urls: &[(String, String)]) -> Option<GitHub> {
    const LABELS: [&str; 6] = [
        "repository",
        "source",
        "sourcecode",
        "github",
        "code",
        "homepage",
    ];
    let norm = |label: &str| {
        label
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
            .collect::<String>()
            .to_lowercase()
    };
    LABELS.iter().find_map(|want| {
        urls.iter()
            .filter(|(label, _)| norm(label) == *want)
            .find_map(|(_, url)| {
                let url = url.split(['#', '?']).next().unwrap_or("");
                let path = url
                    .strip_prefix("https://github.com/")
                    .or_else(|| url.strip_prefix("https://www.github.com/"))?;
                let mut parts = path.split('/');
                GitHub::parse_slug(&format!("{}/{}", parts.next()?, parts.next()?))
            })
    })
}

/// `.git` is a directory, or (worktrees, submodules) a file pointing to one;
/// a worktree's config lives in its common dir.
pub(crate) fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot_git = root.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let dir = root.join(text.strip_prefix("gitdir:")?.trim());
    match std::fs::read_to_string(dir.join("commondir")) {
        Ok(common) => Some(dir.join(common.trim())),
        Err(_) => Some(dir),
    }
}

/// `[remote "name"] url = ...` pairs, in file order.
fn remotes(config: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            current = line
                .strip_prefix("[remote \"")
                .and_then(|r| r.strip_suffix("\"]"))
                .map(str::to_string);
        } else if let (Some(name), Some((key, value))) = (&current, line.split_once('=')) {
            if key.trim() == "url" {
                out.push((name.clone(), value.trim().trim_matches('"').to_string()));
            }
        }
    }
    out
}

/// https, ssh (`git@github.com:o/r.git`, `ssh://git@github.com/o/r`) and git forms.
pub(crate) fn parse_url(url: &str) -> Option<GitHub> {
    let rest = url.strip_prefix("git@github.com:").or_else(|| {
        let no_scheme = url.split_once("://")?.1;
        let host_path = no_scheme.rsplit_once('@').map_or(no_scheme, |(_, h)| h);
        host_path
            .strip_prefix("github.com/")
            .or_else(|| host_path.strip_prefix("github.com:"))
            .or_else(|| host_path.strip_prefix("www.github.com/"))
    })?;
    GitHub::parse_slug(rest.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gh(o: &str, r: &str) -> Option<GitHub> {
        Some(GitHub {
            owner: o.into(),
            repo: r.into(),
        })
    }

    #[test]
    fn parses_every_remote_form() {
        assert_eq!(
            parse_url("https://github.com/PyO3/maturin.git"),
            gh("PyO3", "maturin")
        );
        assert_eq!(
            parse_url("https://github.com/PyO3/maturin"),
            gh("PyO3", "maturin")
        );
        assert_eq!(
            parse_url("https://user:tok@github.com/a/b.git"),
            gh("a", "b")
        );
        assert_eq!(parse_url("git@github.com:a-b/c.d.git"), gh("a-b", "c.d"));
        assert_eq!(parse_url("ssh://git@github.com/a/b.git"), gh("a", "b"));
        assert_eq!(parse_url("git://github.com/a/b"), gh("a", "b"));
        assert_eq!(parse_url("https://gitlab.com/a/b"), None);
        assert_eq!(parse_url("https://github.com/a/b\"c"), None);
        assert_eq!(parse_url("https://github.com/a/${{x}}"), None);
    }

    fn remote(name: &str, url: &str) -> (String, String) {
        (name.into(), url.into())
    }

    #[test]
    fn upstream_wins_over_origin() {
        let mut w = Vec::new();
        let fork = remote("origin", "git@github.com:contributor/r.git");
        let project = remote("upstream", "https://github.com/project/r");
        assert_eq!(
            pick_remote(&[fork.clone(), project.clone()], &mut w),
            gh("project", "r")
        );
        assert_eq!(
            pick_remote(std::slice::from_ref(&fork), &mut w),
            gh("contributor", "r")
        );
        // An upstream elsewhere does not hide a GitHub origin.
        let elsewhere = remote("upstream", "https://gitlab.com/project/r.git");
        assert_eq!(
            pick_remote(&[elsewhere, fork], &mut w),
            gh("contributor", "r")
        );
        assert!(w.is_empty(), "{w:?}");
        let mirror = remote("mirror", "https://github.com/m/r");
        let origin = remote("origin", "https://codeberg.org/o/r");
        assert_eq!(pick_remote(&[origin, mirror], &mut w), gh("m", "r"));
    }

    #[test]
    fn a_remote_elsewhere_is_stated_without_its_credentials() {
        let mut w = Vec::new();
        let origin = remote(
            "origin",
            "https://user:s3cret@gitlab.example.com:8443/o/r.git",
        );
        assert_eq!(pick_remote(&[origin], &mut w), None);
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains("is on gitlab.example.com, not GitHub"),
            "{}",
            w[0]
        );
        assert!(w[0].contains("GitHub Actions workflow"), "{}", w[0]);
        assert!(
            !w[0].contains("s3cret") && !w[0].contains("user"),
            "{}",
            w[0]
        );
        let mut w = Vec::new();
        pick_remote(&[remote("origin", "/srv/git/r.git")], &mut w);
        assert!(w[0].contains("is not a GitHub URL"), "{}", w[0]);
        let mut w = Vec::new();
        pick_remote(&[remote("origin", "git@gitlab.com:o/r.git")], &mut w);
        assert!(w[0].contains("is on gitlab.com"), "{}", w[0]);
        // No remote at all: nothing to state.
        let mut w = Vec::new();
        assert_eq!(pick_remote(&[], &mut w), None);
        assert!(w.is_empty());
    }

    #[test]
    fn project_urls_name_the_repository() {
        let urls = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            github_from_urls(&urls(&[
                ("Homepage", "https://github.com/home/page"),
                (
                    "Source Code",
                    "https://github.com/acme/widget/tree/main#readme"
                ),
                ("Issues", "https://github.com/other/issues/issues"),
            ])),
            gh("acme", "widget")
        );
        assert_eq!(
            github_from_urls(&urls(&[("homepage", "https://github.com/a/b.git")])),
            gh("a", "b")
        );
        assert_eq!(
            github_from_urls(&urls(&[("Documentation", "https://github.com/a/b")])),
            None
        );
        assert_eq!(
            github_from_urls(&urls(&[("Repository", "https://gitlab.com/a/b")])),
            None
        );
        assert_eq!(
            github_from_urls(&urls(&[("Repository", "https://github.com/a/${{x}}")])),
            None
        );
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host("ssh://git@github.com:22/a/b").as_deref(),
            Some("github.com")
        );
        assert_eq!(host("git@GitHub.com:a/b").as_deref(), Some("github.com"));
        assert_eq!(
            host("https://github.com.evil.io/a/b").as_deref(),
            Some("github.com.evil.io")
        );
        assert_eq!(host("/local/path"), None);
        assert_eq!(host("https://bad host/x"), None);
    }

    #[test]
    fn reads_remotes_in_order() {
        let cfg = "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = git@github.com:u/r.git\n[remote \"origin\"]\n\turl = https://github.com/o/r\n";
        assert_eq!(
            remotes(cfg),
            vec![
                ("upstream".into(), "git@github.com:u/r.git".into()),
                ("origin".into(), "https://github.com/o/r".into())
            ]
        );
    }
}
