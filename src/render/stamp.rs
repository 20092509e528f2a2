//! The digest stamped into every generated file's header. It records what
//! pyrel wrote, so a later run can tell "pyrel's own older output" (safe to
//! replace) from "a maintainer edited this" (never silently overwritten).

use sha2::{Digest, Sha256};

const MARKER: &str = "pyrel-digest: sha256:";
const PENDING: &str = "pending";

/// What the digest line of a freshly rendered file holds before stamping.
pub(crate) fn placeholder() -> String {
    format!("{MARKER}{PENDING}")
}

/// Replace the placeholder with the digest of everything else in `text`.
pub(crate) fn stamp(text: &str) -> String {
    let digest = digest_without_marker(text);
    text.replacen(&placeholder(), &format!("{MARKER}{digest}"), 1)
}

/// Whether a file on disk is still exactly what pyrel generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Provenance {
    /// Stamped by pyrel and unmodified since.
    Pristine,
    /// Stamped by pyrel, then edited.
    Edited,
    /// No pyrel stamp: someone else's file.
    Foreign,
}

pub(crate) fn provenance(text: &str) -> Provenance {
    let text = text.replace("\r\n", "\n");
    let Some(recorded) = text.lines().find_map(|l| {
        let start = l.find(MARKER)? + MARKER.len();
        let hex: String = l[start..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .collect();
        Some(hex)
    }) else {
        return Provenance::Foreign;
    };
    if digest_without_marker(&text) == recorded {
        Provenance::Pristine
    } else {
        Provenance::Edited
    }
}

fn digest_without_marker(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut hasher = Sha256::new();
    let mut skipped = false;
    for line in text.split_inclusive('\n') {
        if !skipped && line.contains(MARKER) {
            skipped = true;
            continue;
        }
        hasher.update(line.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_edits_anywhere_but_the_digest_line() {
        let text = stamp(&format!("# header\n# {}\nbody: 1\n", placeholder()));
        assert_eq!(provenance(&text), Provenance::Pristine);
        assert_eq!(
            provenance(&text.replace("\n", "\r\n")),
            Provenance::Pristine
        );
        assert_eq!(
            provenance(&text.replace("body: 1", "body: 2")),
            Provenance::Edited
        );
        assert_eq!(
            provenance(&text.replace("# header", "# edited")),
            Provenance::Edited
        );
        assert_eq!(provenance("body: 1\n"), Provenance::Foreign);
    }
}
