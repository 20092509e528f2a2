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

/// owner/repo of the `origin` remote (else the first GitHub remote).
pub(crate) fn github_remote(repo_root: &Path, warnings: &mut Vec<String>) -> Option<GitHub> {
    let config = std::fs::read_to_string(git_dir(repo_root)?.join("config")).ok()?;
    let remotes = remotes(&config);
    let pick = remotes
        .iter()
        .find(|(name, _)| name == "origin")
        .or_else(|| remotes.iter().find(|(_, url)| url.contains("github.com")))?;
    let gh = parse_url(&pick.1);
    if gh.is_none() && pick.1.contains("github.com") {
        warnings.push(format!(
            "could not read a GitHub owner/repo from remote {:?}; pass --repository OWNER/REPO",
            pick.0
        ));
    }
    gh
}

/// `.git` is a directory, or (worktrees, submodules) a file pointing to one;
/// a worktree's config lives in its common dir.
fn git_dir(root: &Path) -> Option<PathBuf> {
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
