//! `.github/dependabot.yml`: the pins in the generated workflow are only
//! safe if someone moves them forward, so `init` and `generate` make sure
//! Dependabot watches the `github-actions` ecosystem (weekly, one grouped
//! pull request), unless `[tool.pyrel] dependabot = false`.
//!
//! The file is the maintainer's: pyrel creates it when it is missing, adds
//! its one entry at the end of `updates:` when no `github-actions` entry
//! exists (every other byte kept, the result parsed back and compared), and
//! otherwise leaves it alone.

use serde_yaml::Value as Yaml;

use crate::answers::Config;
use crate::error::{Error, Result};
use crate::inspect::Project;
use crate::plan::{Action, Change};
use crate::render::{self, context::DependabotContext};

const PATHS: [&str; 2] = [".github/dependabot.yml", ".github/dependabot.yaml"];

/// The change to `.github/dependabot.yml`, if pyrel has one to make.
pub(crate) fn plan(project: &Project, config: &Config) -> Result<Vec<Change>> {
    if !config.dependabot {
        return Ok(Vec::new());
    }
    let root = &project.paths.repo_root;
    let mut existing = None;
    for path in PATHS {
        if let Some((text, _)) = crate::plan::read_current(root, path)? {
            existing = Some((path, text));
            break;
        }
    }
    let created = || {
        render::render_one(
            "dependabot.yml.j2",
            &DependabotContext {
                indent: "  ".into(),
            },
        )
    };
    let Some((path, old)) = existing else {
        return Ok(vec![change(PATHS[0], None, created()?, Action::Create)]);
    };
    // The file pyrel creates, byte for byte, watches the actions (a test
    // parses it): no need to parse it again on every run.
    if old == created()? {
        return Ok(vec![change(
            path,
            Some(old.clone()),
            old,
            Action::Unchanged,
        )]);
    }
    if let Err((line, why)) = crate::inspect::limits::check_yaml(&old) {
        return Err(
            Error::input(format!("{path}:{line}: unreadable YAML: {why}"))
                .with_hint("fix the file, or set `dependabot = false` in [tool.pyrel]"),
        );
    }
    let doc: Yaml = serde_yaml::from_str(&old).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(":{}:{}", l.line(), l.column()))
            .unwrap_or_default();
        Error::input(format!("{path}{at}: not valid YAML: {e}"))
            .with_hint("fix the file, or set `dependabot = false` in [tool.pyrel]")
    })?;
    if watches_actions(&doc) {
        return Ok(vec![change(
            path,
            Some(old.clone()),
            old,
            Action::Unchanged,
        )]);
    }
    match add_entry(&old, &doc)? {
        Some(new) => Ok(vec![change(path, Some(old), new, Action::Update)]),
        None => {
            crate::out::eprintln!(
                "warning: {path} has no github-actions entry and pyrel cannot add one safely \
                 (it needs a block-style `updates:` list); add the entry from `pyrel init \
                 --dry-run` in a repository without one, or set `dependabot = false` in [tool.pyrel]"
            );
            Ok(Vec::new())
        }
    }
}

fn change(path: &str, old: Option<String>, new: String, action: Action) -> Change {
    Change {
        path: path.to_string(),
        old,
        new,
        action,
        pin_updates: Vec::new(),
        encoding: Default::default(),
    }
}

fn updates(doc: &Yaml) -> Option<&Vec<Yaml>> {
    doc.get("updates").and_then(Yaml::as_sequence)
}

fn watches_actions(doc: &Yaml) -> bool {
    updates(doc).is_some_and(|list| {
        list.iter()
            .any(|u| u.get("package-ecosystem").and_then(Yaml::as_str) == Some("github-actions"))
    })
}

/// Insert pyrel's entry after the last item of the block-style top-level
/// `updates:` list; `None` when the file has no such list.
fn add_entry(old: &str, doc: &Yaml) -> Result<Option<String>> {
    let crlf = old.contains("\r\n");
    let text = old.replace("\r\n", "\n");
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_key = |l: &str| {
        let body = l.trim_end();
        body == "updates:" || body.starts_with("updates: #") || body.starts_with("updates:\t#")
    };
    let Some(start) = lines.iter().position(|l| is_key(l)) else {
        return Ok(None);
    };
    // The block ends at the next line that starts a top-level key (column 0,
    // not a list item, not a comment), or at the end of the file.
    let mut end = lines.len();
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        let c = l.chars().next().unwrap_or('\n');
        if !(c == ' ' || c == '-' || c == '#' || c == '\n' || c == '\t') {
            end = i;
            break;
        }
    }
    // Insert after the last non-blank, non-comment line of the block.
    let mut at = start + 1;
    for (i, l) in lines.iter().enumerate().take(end).skip(start + 1) {
        let t = l.trim();
        if !t.is_empty() && !t.starts_with('#') {
            at = i + 1;
        }
    }
    let indent: String = lines[start + 1..end]
        .iter()
        .find(|l| l.trim_start().starts_with("- "))
        .map(|l| l.chars().take_while(|c| *c == ' ').collect())
        .unwrap_or_else(|| "  ".into());
    let entry = render::render_one("dependabot-entry.yml.j2", &DependabotContext { indent })?;
    let mut new = String::new();
    for l in &lines[..at] {
        new.push_str(l);
    }
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    new.push_str(&entry);
    for l in &lines[at..] {
        new.push_str(l);
    }
    // Parse back: exactly the old document plus one github-actions entry.
    let Ok(parsed) = serde_yaml::from_str::<Yaml>(&new) else {
        return Ok(None);
    };
    let (Some(before), Some(after)) = (updates(doc), updates(&parsed)) else {
        return Ok(None);
    };
    let same_rest = {
        let strip = |d: &Yaml| {
            let mut d = d.clone();
            if let Some(m) = d.as_mapping_mut() {
                m.remove("updates");
            }
            d
        };
        strip(doc) == strip(&parsed)
    };
    if !same_rest
        || after.len() != before.len() + 1
        || after[..before.len()] != before[..]
        || !watches_actions(&parsed)
    {
        return Ok(None);
    }
    Ok(Some(if crlf { new.replace('\n', "\r\n") } else { new }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path of `plan` (a file equal to the one pyrel creates is
    /// unchanged without parsing) rests on this.
    #[test]
    fn the_created_file_watches_the_actions() {
        let created = render::render_one(
            "dependabot.yml.j2",
            &DependabotContext {
                indent: "  ".into(),
            },
        )
        .unwrap();
        let doc: Yaml = serde_yaml::from_str(&created).unwrap();
        assert!(watches_actions(&doc), "{created}");
    }

    fn added(old: &str) -> Option<String> {
        let doc: Yaml = serde_yaml::from_str(old).unwrap();
        add_entry(old, &doc).unwrap()
    }

    #[test]
    fn entry_goes_at_the_end_of_updates_keeping_every_byte() {
        let old = "# mine\nversion: 2\nupdates:\n    - package-ecosystem: \"cargo\"   # rust\n      directory: \"/\"\n      schedule: {interval: daily}\n\n# trailing note\n";
        let new = added(old).unwrap();
        assert!(new.starts_with(
            "# mine\nversion: 2\nupdates:\n    - package-ecosystem: \"cargo\"   # rust\n      directory: \"/\"\n      schedule: {interval: daily}\n    - package-ecosystem: \"github-actions\"\n"
        ), "{new}");
        assert!(new.ends_with("\n\n# trailing note\n"), "{new}");
        // A key after `updates:` stays after it.
        let old = "version: 2\nupdates:\n- package-ecosystem: pip\n  directory: /\n  schedule:\n    interval: weekly\nregistries: {}\n";
        let new = added(old).unwrap();
        assert!(
            new.contains("    interval: weekly\n- package-ecosystem: \"github-actions\"\n"),
            "{new}"
        );
        assert!(new.ends_with("        - \"*\"\nregistries: {}\n"), "{new}");
        // Flow style or no list: pyrel does not guess.
        assert_eq!(added("version: 2\nupdates: []\n"), None);
        assert_eq!(added("version: 2\n"), None);
    }
}
