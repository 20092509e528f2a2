//! Action pins in generated workflows, as Dependabot sees them.
//!
//! pyrel writes every action as `uses: owner/name@<40-hex SHA> # <version>`,
//! the form Dependabot updates in place. Two things follow:
//!
//! - the digest (see `stamp`) hashes such a line with its SHA and version
//!   replaced by a fixed token, so a pin bump is not a hand edit, while any
//!   other byte (another action, a short SHA, a missing or decorated version
//!   comment, any other line) still is;
//! - `keep_newer_pins` decides, exactly and per line, which pin survives a
//!   regeneration: the file's when it is a newer version of the same action
//!   (Dependabot was there), pyrel's when its verified data is newer.

use std::cmp::Ordering;

/// One `uses:` line in pyrel's form, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UsesLine<'a> {
    /// Everything before the action: indentation, optional `- `, `uses: `.
    pub prefix: &'a str,
    pub action: &'a str,
    pub sha: &'a str,
    pub version: &'a str,
}

/// Parse a line (without its newline) written in exactly pyrel's form.
pub(crate) fn parse(line: &str) -> Option<UsesLine<'_>> {
    // Spaces, an optional `- `, then `uses: ` (which cannot start earlier:
    // the lead holds no `u`).
    let indented = line.trim_start_matches(' ');
    let item = indented.strip_prefix("- ").unwrap_or(indented);
    if !item.starts_with("uses: ") {
        return None;
    }
    let at = line.len() - item.len() + "uses: ".len();
    let prefix = &line[..at];
    let (action, rest) = line[at..].split_once('@')?;
    let (sha, version) = rest.split_once(" # ")?;
    let action_ok = action.split('/').count() >= 2
        && action.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        });
    let sha_ok = sha.len() == 40 && sha.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'));
    let version_ok = version.starts_with(|c: char| c == 'v' || c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c));
    (action_ok && sha_ok && version_ok).then_some(UsesLine {
        prefix,
        action,
        sha,
        version,
    })
}

/// The line as the digest sees it: a pin line with its pin replaced by a
/// fixed token, any other line unchanged.
pub(crate) fn normalized(line: &str) -> std::borrow::Cow<'_, str> {
    let (body, nl) = match line.strip_suffix('\n') {
        Some(b) => (b, "\n"),
        None => (line, ""),
    };
    match parse(body) {
        Some(u) => format!("{}{}@<pin>{nl}", u.prefix, u.action).into(),
        None => line.into(),
    }
}

/// `v1.2.3` < `v1.10.0`; `None` when either is not plain dotted numbers.
fn compare(a: &str, b: &str) -> Option<Ordering> {
    let parts = |v: &str| -> Option<Vec<u64>> {
        v.trim_start_matches('v')
            .split('.')
            .map(|p| p.parse().ok())
            .collect()
    };
    let (mut a, mut b) = (parts(a)?, parts(b)?);
    let n = a.len().max(b.len());
    a.resize(n, 0);
    b.resize(n, 0);
    Some(a.cmp(&b))
}

/// A pin pyrel's data moves forward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PinUpdate {
    pub action: String,
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Merge {
    /// The rendering, with each pin the newer of the file's and pyrel's.
    Merged {
        text: String,
        updates: Vec<PinUpdate>,
    },
    /// A pin line was changed in a way Dependabot never does (same SHA with
    /// another version, or another SHA with the same version): a hand edit.
    Tampered,
}

/// Carry the file's newer pins into pyrel's rendering `new`.
///
/// When the two have the same lines up to pins, pins are matched line by
/// line; otherwise (the configuration or the templates changed too) by
/// action name, taking the newest version the file holds for it.
pub(crate) fn keep_newer_pins(old: &str, new: &str) -> Merge {
    let old = old.replace("\r\n", "\n");
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let same_shape = old_lines.len() == new_lines.len()
        && old_lines
            .iter()
            .zip(&new_lines)
            .all(|(a, b)| normalized(a) == normalized(b));
    let on_disk: Vec<UsesLine<'_>> = old_lines
        .iter()
        .filter_map(|l| parse(l.trim_end_matches('\n')))
        .collect();
    let mut text = String::with_capacity(new.len());
    let mut updates: Vec<PinUpdate> = Vec::new();
    for (i, line) in new_lines.iter().enumerate() {
        let body = line.trim_end_matches('\n');
        let Some(ours) = parse(body) else {
            text.push_str(line);
            continue;
        };
        let theirs = if same_shape {
            parse(old_lines[i].trim_end_matches('\n'))
        } else {
            on_disk
                .iter()
                .filter(|u| u.action == ours.action)
                .max_by(|a, b| compare(a.version, b.version).unwrap_or(Ordering::Equal))
                .cloned()
        };
        let Some(theirs) = theirs else {
            text.push_str(line);
            continue;
        };
        if (theirs.sha == ours.sha) != (theirs.version == ours.version) {
            return Merge::Tampered;
        }
        let keep_theirs = compare(theirs.version, ours.version) == Some(Ordering::Greater);
        let pin = if keep_theirs { &theirs } else { &ours };
        text.push_str(&format!(
            "{}{}@{} # {}",
            ours.prefix, ours.action, pin.sha, pin.version
        ));
        text.push_str(&line[body.len()..]);
        if !keep_theirs
            && theirs.sha != ours.sha
            && !updates.iter().any(|u| u.action == ours.action)
        {
            updates.push(PinUpdate {
                action: ours.action.to_string(),
                from: theirs.version.to_string(),
                to: ours.version.to_string(),
            });
        }
    }
    Merge::Merged { text, updates }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "3d3c42e5aac5ba805825da76410c181273ba90b1";
    const B: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn parses_only_pyrels_form() {
        let line = format!("      - uses: actions/checkout@{A} # v7.0.1");
        let u = parse(&line).unwrap();
        assert_eq!(
            (u.action, u.sha, u.version),
            ("actions/checkout", A, "v7.0.1")
        );
        assert_eq!(u.prefix, "      - uses: ");
        assert!(parse(&format!("        uses: PyO3/maturin-action@{A} # v1.51.0")).is_some());
        for bad in [
            format!("        uses: actions/checkout@{A}"),
            format!("        uses: actions/checkout@{A} # v7.0.1 (edited)"),
            format!("        uses: actions/checkout@{A}  # v7.0.1"),
            format!("        uses: actions/checkout@{} # v7.0.1", &A[..39]),
            format!(
                "        uses: actions/checkout@{} # v7.0.1",
                A.to_uppercase()
            ),
            "        uses: actions/checkout@v7 # v7.0.1".to_string(),
            format!("        uses: checkout@{A} # v7.0.1"),
            format!("        # uses: actions/checkout@{A} # v7.0.1"),
            format!("        run: echo uses: actions/checkout@{A} # v7.0.1"),
        ] {
            assert_eq!(parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn versions_compare_numerically() {
        assert_eq!(compare("v1.10.0", "v1.9.9"), Some(Ordering::Greater));
        assert_eq!(compare("v7", "v7.0.0"), Some(Ordering::Equal));
        assert_eq!(compare("v7.0.1", "v7.0.2"), Some(Ordering::Less));
        assert_eq!(compare("v7.0.1-rc1", "v7.0.0"), None);
    }

    fn wf(sha: &str, version: &str) -> String {
        format!("jobs:\n  a:\n    steps:\n      - uses: actions/checkout@{sha} # {version}\n        with:\n          x: 1\n")
    }

    #[test]
    fn newer_pins_on_disk_survive_older_ones_are_updated() {
        let ours = wf(A, "v7.0.1");
        // Dependabot moved the pin forward: kept, nothing to report.
        let bumped = wf(B, "v7.1.0");
        assert_eq!(
            keep_newer_pins(&bumped, &ours),
            Merge::Merged {
                text: bumped.clone(),
                updates: vec![]
            }
        );
        // The file is behind pyrel's data: pyrel's pin, reported.
        let behind = wf(B, "v6.0.0");
        assert_eq!(
            keep_newer_pins(&behind, &ours),
            Merge::Merged {
                text: ours.clone(),
                updates: vec![PinUpdate {
                    action: "actions/checkout".into(),
                    from: "v6.0.0".into(),
                    to: "v7.0.1".into()
                }]
            }
        );
        // A comment rewritten on the same SHA, or a SHA swapped under the
        // same version, is not Dependabot's doing.
        assert_eq!(keep_newer_pins(&wf(A, "v9.0.0"), &ours), Merge::Tampered);
        assert_eq!(keep_newer_pins(&wf(B, "v7.0.1"), &ours), Merge::Tampered);
        // A changed rendering elsewhere still keeps the newer pin, by name.
        let changed = ours.replace("x: 1", "x: 2\n          y: 3");
        let Merge::Merged { text, .. } = keep_newer_pins(&bumped, &changed) else {
            panic!()
        };
        assert_eq!(text, changed.replace(A, B).replace("v7.0.1", "v7.1.0"));
    }

    #[test]
    fn normalization_touches_pin_lines_only() {
        let line = format!("      - uses: actions/checkout@{A} # v7.0.1\n");
        assert_eq!(normalized(&line), "      - uses: actions/checkout@<pin>\n");
        let other = format!("      # actions/checkout@{A} # v7.0.1\n");
        assert_eq!(normalized(&other), other);
    }
}
