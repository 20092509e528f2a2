//! The digest stamped into every generated file's header. It records what
//! pyrel wrote, so a later run can tell "pyrel's own older output" (safe to
//! replace) from "a maintainer edited this" (never silently overwritten).
//! Action pins on `uses:` lines are hashed as a fixed token (see `uses`), so
//! Dependabot bumping them is not an edit; every other byte counts.

use sha2::{Digest, Sha256};

const MARKER: &str = "pyrel-digest: sha256:";
const PENDING: &str = "pending";

/// What the digest line of a freshly rendered file holds before stamping.
pub(crate) fn placeholder() -> String {
    format!("{MARKER}{PENDING}")
}

/// Replace the placeholder with the digest of everything else in `text`.
pub(crate) fn stamp(mut text: String) -> String {
    let digest = digest_without_marker(&text);
    let placeholder = placeholder();
    // In place: no second copy of a 40 KB workflow.
    if let Some(at) = text.find(&placeholder) {
        text.replace_range(at..at + placeholder.len(), &format!("{MARKER}{digest}"));
    }
    text
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
    let text = crlf_to_lf(text);
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
    // The second form is the whole-text digest of files stamped before pins
    // were normalized: such a file is pristine if it is byte-for-byte as written.
    if digest_without_marker(&text) == recorded || digest(&text, false) == recorded {
        Provenance::Pristine
    } else {
        Provenance::Edited
    }
}

fn digest_without_marker(text: &str) -> String {
    digest(text, true)
}

fn digest(text: &str, normalize_pins: bool) -> String {
    let text = crlf_to_lf(text);
    let mut hasher = Sha256::new();
    // Every line but the first one holding the marker (the digest's own),
    // hashed in as few pieces as the pins allow: per-line updates were
    // most of the cost of stamping a 40 KB workflow.
    let bytes = text.as_bytes();
    let (before, after) = match text.find(MARKER) {
        Some(at) => {
            let (start, end) = line_around(bytes, at);
            (&text[..start], &text[end..])
        }
        None => (&text[..], ""),
    };
    for part in [before, after] {
        if normalize_pins {
            update_normalized(&mut hasher, part);
        } else {
            hasher.update(part.as_bytes());
        }
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    hasher
        .finalize()
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]])
        .map(char::from)
        .collect()
}

/// `part` (whole lines) into `hasher`, each pin line as `uses::normalized`
/// has it. Only a line holding `uses: ` can be a pin line; the others go in
/// unchanged, in runs.
fn update_normalized(hasher: &mut Sha256, part: &str) {
    let bytes = part.as_bytes();
    let mut done = 0;
    let mut seen = 0;
    for (i, _) in part.match_indices("uses: ") {
        if i < seen {
            continue; // a second `uses: ` on a line already looked at
        }
        let (start, end) = line_around(bytes, i);
        if let std::borrow::Cow::Owned(line) = super::uses::normalized(&part[start..end]) {
            hasher.update(&bytes[done..start]);
            hasher.update(line.as_bytes());
            done = end;
        }
        seen = end;
    }
    hasher.update(&bytes[done..]);
}

/// The line holding byte `at`: where it starts, and where the next one
/// does (past its `\n`, or the end of the text).
///
/// std's searches, not the memchr crate's: its first search asks the
/// processor for its features (seven `cpuid` instructions, each an exit to
/// the hypervisor on a virtual machine: 40 µs per run on the CI machines),
/// more than the searches of a 40 KB workflow cost.
fn line_around(bytes: &[u8], at: usize) -> (usize, usize) {
    let start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |n| n + 1);
    let end = bytes[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| at + n + 1);
    (start, end)
}

/// `text` with CRLF line ends as LF, copied only when it has a `\r`.
fn crlf_to_lf(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digest as first written: line by line, the first marker line
    /// skipped. Stamps already committed hold its values, so the chunked
    /// digest must agree with it on every text.
    fn line_by_line(text: &str, normalize_pins: bool) -> String {
        let text = crlf_to_lf(text);
        let mut hasher = Sha256::new();
        let mut skipped = false;
        for line in text.split_inclusive('\n') {
            if !skipped && line.contains(MARKER) {
                skipped = true;
                continue;
            }
            if normalize_pins {
                hasher.update(crate::provenance::uses::normalized(line).as_bytes());
            } else {
                hasher.update(line.as_bytes());
            }
        }
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn the_chunked_digest_is_the_line_by_line_one(
            lines in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("[ -~]{0,12}").unwrap(),
                    proptest::strategy::Just("      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1".to_string()),
                    proptest::strategy::Just("        uses: a/b@0123456789abcdef0123456789abcdef01234567 # v1 uses: x".to_string()),
                    proptest::strategy::Just("  run: echo uses: a/b@0123456789abcdef0123456789abcdef01234567 # v1".to_string()),
                    proptest::strategy::Just("uses: a/b@0123456789abcdef0123456789abcdef01234567 # v2.0\r".to_string()),
                    proptest::strategy::Just(format!("# {MARKER}{PENDING}")),
                    proptest::strategy::Just(format!("x {MARKER}ab uses: a/b@0123456789abcdef0123456789abcdef01234567 # v1")),
                ],
                0..12,
            ),
            newline_at_end in proptest::bool::ANY,
        ) {
            let mut text = lines.join("\n");
            if newline_at_end {
                text.push('\n');
            }
            for normalize in [true, false] {
                proptest::prop_assert_eq!(digest(&text, normalize), line_by_line(&text, normalize));
            }
        }
    }

    #[test]
    fn detects_edits_anywhere_but_the_digest_line() {
        let text = stamp(format!("# header\n# {}\nbody: 1\n", placeholder()));
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

    #[test]
    fn a_pin_bump_is_not_an_edit_anything_else_is() {
        let a = "3d3c42e5aac5ba805825da76410c181273ba90b1";
        let b = "0123456789abcdef0123456789abcdef01234567";
        let text = stamp(format!(
            "# {}\n# actions/checkout {a} # v7.0.1\n    steps:\n      - uses: actions/checkout@{a} # v7.0.1\n",
            placeholder()
        ));
        assert_eq!(provenance(&text), Provenance::Pristine);
        let bumped = text.replace(&format!("@{a} # v7.0.1"), &format!("@{b} # v7.1.0"));
        assert_eq!(provenance(&bumped), Provenance::Pristine);
        for edited in [
            // The same pin text on a comment line is not a `uses:` line.
            text.replace(
                &format!("# actions/checkout {a} # v7.0.1"),
                &format!("# actions/checkout {b} # v7.1.0"),
            ),
            text.replace("actions/checkout@", "actions/setup-python@"),
            text.replace(" # v7.0.1\n", "\n"),
            text.replace(&format!("@{a}"), "@v7"),
            text.replace(" # v7.0.1\n", " # v7.0.1 # mine\n"),
        ] {
            assert_eq!(provenance(&edited), Provenance::Edited, "{edited}");
        }
    }

    /// Files stamped with the whole-text digest (before pin normalization)
    /// are still recognised as pyrel's.
    #[test]
    fn legacy_digest_is_pristine() {
        let body =
            "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1\n";
        let legacy = format!("# {MARKER}{}\n{body}", digest(body, false));
        assert_eq!(provenance(&legacy), Provenance::Pristine);
        assert_eq!(
            provenance(&legacy.replace("v7.0.1", "v7.0.2")),
            Provenance::Edited
        );
    }
}
