//! Cargo.lock: the `version` of the bumped crates' own `[[package]]` entries,
//! so `cargo build --locked` keeps working. Cargo.lock is machine-written in
//! a fixed layout (`[[package]]`, then `name`, `version`, optional `source`
//! lines); a line scan edits exactly one value per entry and stays fast on
//! lock files with thousands of entries, where a full TOML parse would not.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;

use toml_edit::Item;

use crate::error::Result;
use crate::inspect::tomlfile::TomlFile;

/// A local (`source`-less) `[[package]]` entry.
#[derive(Debug, PartialEq, Eq)]
struct Entry {
    name: String,
    version: String,
    /// The version's text, between its quotes.
    span: Range<usize>,
}

fn local_entries(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut offset = 0;
    /// name, version and its span, has a `source`.
    type Partial = (Option<String>, Option<(String, Range<usize>)>, bool);
    fn finish(c: Option<Partial>, out: &mut Vec<Entry>) {
        if let Some((Some(name), Some((version, span)), false)) = c {
            out.push(Entry {
                name,
                version,
                span,
            });
        }
    }
    let mut current: Option<Partial> = None;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_end();
        if trimmed.starts_with('[') {
            finish(current.take(), &mut out);
            if trimmed == "[[package]]" {
                current = Some((None, None, false));
            }
            continue;
        }
        let Some(entry) = current.as_mut() else {
            continue;
        };
        if let Some((value, _)) = string_value(trimmed, "name") {
            entry.0 = Some(value.to_string());
        } else if let Some((value, span)) = string_value(trimmed, "version") {
            entry.1 = Some((value.to_string(), start + span.start..start + span.end));
        } else if trimmed.starts_with("source ") || trimmed.starts_with("source=") {
            entry.2 = true;
        }
    }
    finish(current.take(), &mut out);
    out
}

/// `key = "value"` → the value and its span within `line`.
fn string_value<'a>(line: &'a str, key: &str) -> Option<(&'a str, Range<usize>)> {
    let rest = line.strip_prefix(key)?;
    let after_eq = rest.trim_start().strip_prefix('=')?;
    let value = after_eq.trim_start().strip_prefix('"')?;
    let end = value.find('"')?;
    let start = line.len() - value.len();
    Some((&value[..end], start..start + end))
}

/// Set the version of each named local crate from `old` to `new`. Entries
/// at another version (or from a registry) are left alone; `None` when no
/// entry matched.
pub(crate) fn bump(text: &str, names: &BTreeSet<String>, old: &str, new: &str) -> Option<String> {
    let mut spans: Vec<Range<usize>> = local_entries(text)
        .into_iter()
        .filter(|e| names.contains(&e.name) && e.version == old)
        .map(|e| e.span)
        .collect();
    if spans.is_empty() {
        return None;
    }
    spans.sort_by_key(|s| s.start);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for span in spans {
        out.push_str(&text[last..span.start]);
        out.push_str(new);
        last = span.end;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// The workspace members (package names) that inherit their version from
/// `[workspace.package]`: their lock entries change with it. Reads the
/// member manifests named by `[workspace] members` (a `*` segment lists that
/// one directory, never a tree).
pub(crate) fn inheriting_members(ws: &TomlFile, ws_dir: &Path) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    if inherits(ws) {
        if let Some(name) = ws.str(&["package", "name"])? {
            out.insert(name);
        }
    }
    let members = ws.str_list(&["workspace", "members"])?.unwrap_or_default();
    let excluded = ws.str_list(&["workspace", "exclude"])?.unwrap_or_default();
    for pattern in members {
        for dir in expand(ws_dir, &pattern) {
            let rel = dir
                .strip_prefix(ws_dir)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if excluded.iter().any(|e| e.trim_end_matches('/') == rel) {
                continue;
            }
            let manifest = dir.join("Cargo.toml");
            let display = manifest.to_string_lossy().into_owned();
            if let Some(member) = TomlFile::read(&manifest, &display)? {
                if inherits(&member) {
                    if let Some(name) = member.str(&["package", "name"])? {
                        out.insert(name);
                    }
                }
            }
        }
    }
    Ok(out)
}

fn inherits(file: &TomlFile) -> bool {
    file.get(&["package", "version"])
        .and_then(|v| v.get("workspace"))
        .and_then(Item::as_bool)
        == Some(true)
}

/// Directories matching a member pattern (`crates/*`, `py`, `a/b?`).
fn expand(base: &Path, pattern: &str) -> Vec<std::path::PathBuf> {
    let mut dirs = vec![base.to_path_buf()];
    for segment in pattern.trim_end_matches('/').split('/') {
        if segment.is_empty() || segment == "." {
            continue;
        }
        let mut next = Vec::new();
        for d in dirs {
            if segment.contains(['*', '?', '[']) {
                let Ok(entries) = std::fs::read_dir(&d) else {
                    continue;
                };
                let mut found: Vec<_> = entries
                    .flatten()
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .filter(|e| glob_match(segment, &e.file_name().to_string_lossy()))
                    .map(|e| e.path())
                    .collect();
                found.sort();
                next.extend(found);
            } else {
                next.push(d.join(segment));
            }
        }
        dirs = next;
    }
    dirs
}

/// `*` and `?` wildcards (a `[...]` class matches any one character).
fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some('*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some('['), Some(_)) => match p.iter().position(|&c| c == ']') {
                Some(end) => go(&p[end + 1..], &n[1..]),
                None => false,
            },
            (Some('?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = "# This file is automatically @generated by Cargo.\n\
# It is not intended for manual editing.\n\
version = 4\n\
\n\
[[package]]\n\
name = \"core\"\n\
version = \"0.3.0\"\n\
\n\
[[package]]\n\
name = \"py\"\n\
version = \"0.3.0\"\n\
dependencies = [\n \"core\",\n \"serde\",\n]\n\
\n\
[[package]]\n\
name = \"serde\"\n\
version = \"0.3.0\"\n\
source = \"registry+https://github.com/rust-lang/crates.io-index\"\n\
checksum = \"abc\"\n";

    #[test]
    fn edits_only_the_named_local_entries() {
        let names: BTreeSet<String> = ["py".to_string()].into();
        let out = bump(LOCK, &names, "0.3.0", "0.4.0-rc.1").unwrap();
        let expected = LOCK.replacen(
            "name = \"py\"\nversion = \"0.3.0\"",
            "name = \"py\"\nversion = \"0.4.0-rc.1\"",
            1,
        );
        assert_eq!(out, expected);

        let both: BTreeSet<String> = ["py".into(), "core".into(), "serde".into()].into();
        let out = bump(LOCK, &both, "0.3.0", "0.4.0").unwrap();
        assert_eq!(out.matches("version = \"0.4.0\"").count(), 2, "{out}");
        assert!(out.contains("name = \"serde\"\nversion = \"0.3.0\""));

        assert_eq!(bump(LOCK, &names, "9.9.9", "1.0.0"), None);
        let crlf = LOCK.replace('\n', "\r\n");
        let out = bump(&crlf, &names, "0.3.0", "0.4.0").unwrap();
        assert_eq!(
            out,
            crlf.replacen(
                "name = \"py\"\r\nversion = \"0.3.0\"",
                "name = \"py\"\r\nversion = \"0.4.0\"",
                1
            )
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("*", "abc"));
        assert!(glob_match("py-*", "py-core"));
        assert!(!glob_match("py-*", "core"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("[ab]c", "bc"));
        // Edges (survivors of mutation testing): an empty star, a star with
        // nothing left to match, `?` needs a character, an unclosed class.
        assert!(glob_match("py-*", "py-"));
        assert!(glob_match("*-core", "py-core"));
        assert!(!glob_match("a*b", "a"));
        assert!(!glob_match("a*b", "ac"));
        assert!(!glob_match("a?", "a"));
        assert!(!glob_match("[ab", "a"));
        assert!(!glob_match("[ab]c", "c"));
        assert!(!glob_match("abc", "ab"));
        assert!(!glob_match("ab", "abc"));
        assert!(glob_match("", ""));
    }

    /// Only `source`-less `[[package]]` entries, each ended by the next
    /// table, whatever the spacing around `=`.
    #[test]
    fn local_entries_are_read_line_by_line() {
        let text = "version = 4\n\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n\n\
                    [[package]]\nname=\"b\"\nversion=\"2.0.0\"\nsource=\"git+https://x\"\n\n\
                    [[package]]\nname = \"c\"\n\n[metadata]\nversion = \"9.9.9\"\n\n\
                    [[package]]\nversion  =  \"3.0.0\"\nname  =  \"d\"\n";
        let entries = local_entries(text);
        let got: Vec<(&str, &str, &str)> = entries
            .iter()
            .map(|e| (e.name.as_str(), e.version.as_str(), &text[e.span.clone()]))
            .collect();
        assert_eq!(got, [("a", "1.0.0", "1.0.0"), ("d", "3.0.0", "3.0.0")]);
        assert_eq!(string_value("name = \"x\" # c", "name"), Some(("x", 8..9)));
        assert_eq!(string_value("name = x", "name"), None);
        assert_eq!(string_value("name \"x\"", "name"), None);
        assert_eq!(string_value("name = \"x", "name"), None);
        assert_eq!(string_value("names = \"x\"", "name"), None);
        // Several entries are edited in place, in file order.
        let names: BTreeSet<String> = ["d".to_string(), "a".to_string()].into();
        let out = bump(text, &names, "1.0.0", "1.0.1").unwrap();
        assert_eq!(out, text.replacen("\"1.0.0\"", "\"1.0.1\"", 1));
        let lock = "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n[[package]]\nname = \"b\"\nversion = \"1.0.0\"\n";
        let ab: BTreeSet<String> = ["b".to_string(), "a".to_string()].into();
        assert_eq!(
            bump(lock, &ab, "1.0.0", "2.0.0-rc.1").unwrap(),
            lock.replace("1.0.0", "2.0.0-rc.1")
        );
    }

    /// The members whose lock entries follow `[workspace.package] version`:
    /// the root package when it inherits, members by path or `*`, never an
    /// excluded one or one with its own version.
    #[test]
    fn inheriting_members_are_found_by_pattern() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |path: &str, text: &str| {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        let inheriting =
            |name: &str| format!("[package]\nname = \"{name}\"\nversion.workspace = true\n");
        write("Cargo.toml", "[workspace]\nmembers = [\"./py/\", \"crates/*\", \"x?\", \"missing/*\", \"./gone\"]\nexclude = [\"crates/skip/\", \"gone\"]\n[workspace.package]\nversion = \"1.0.0\"\n[package]\nname = \"root\"\nversion.workspace = true\n");
        write("py/Cargo.toml", &inheriting("py"));
        write("crates/core/Cargo.toml", &inheriting("core"));
        write("crates/skip/Cargo.toml", &inheriting("skip"));
        write(
            "crates/own/Cargo.toml",
            "[package]\nname = \"own\"\nversion = \"1.0.0\"\n",
        );
        write(
            "crates/table/Cargo.toml",
            "[package]\nname = \"table\"\nversion = { workspace = false }\n",
        );
        write("crates/file.txt", "");
        write("x1/Cargo.toml", &inheriting("x1"));
        write("gone/Cargo.toml", &inheriting("gone"));
        write("xyz/Cargo.toml", &inheriting("xyz"));
        let ws = TomlFile::read(&root.join("Cargo.toml"), "Cargo.toml")
            .unwrap()
            .unwrap();
        let got = inheriting_members(&ws, root).unwrap();
        assert_eq!(
            got.into_iter().collect::<Vec<_>>(),
            ["core", "py", "root", "x1"]
        );
        // A root package with its own version is not one of them.
        write(
            "Cargo.toml",
            "[workspace]\nmembers = [\"py\"]\n[package]\nname = \"root\"\nversion = \"1.0.0\"\n",
        );
        let ws = TomlFile::read(&root.join("Cargo.toml"), "Cargo.toml")
            .unwrap()
            .unwrap();
        assert_eq!(
            inheriting_members(&ws, root)
                .unwrap()
                .into_iter()
                .collect::<Vec<_>>(),
            ["py"]
        );
    }
}
