//! Actions pinned to verified commit SHAs. The data file is a copy of the
//! verified pins; a template asks for an action by name and cannot invent one.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

const PINS: &str = include_str!("../../data/action-pins.toml");

#[derive(Debug, Deserialize)]
pub(crate) struct Pin {
    pub version: String,
    pub sha: String,
}

/// The file as TOML: the tests' reference reading.
#[cfg(test)]
#[derive(Debug, Deserialize)]
struct PinFile {
    actions: BTreeMap<String, Pin>,
}

pub(crate) fn all() -> &'static BTreeMap<String, Pin> {
    static PARSED: OnceLock<BTreeMap<String, Pin>> = OnceLock::new();
    PARSED.get_or_init(|| {
        read(PINS).expect("data/action-pins.toml is in its one shape (checked by tests)")
    })
}

/// The pins file read line by line: it is pyrel's own, embedded, in one
/// shape (`[actions."owner/name"]`, then `version = "..."` and
/// `sha = "..."`), and deserializing it as TOML was a tenth of a
/// `generate --check`. `None` for anything else; a test checks the reading
/// equals the TOML one.
fn read(text: &str) -> Option<BTreeMap<String, Pin>> {
    let quoted = |line: &str, key: &str| {
        line.strip_prefix(key)?
            .strip_prefix(" = \"")?
            .strip_suffix('"')
            .map(str::to_string)
    };
    let mut pins = BTreeMap::new();
    let mut current: Option<(String, Option<String>, Option<String>)> = None;
    let mut finish = |entry: Option<(String, Option<String>, Option<String>)>| match entry {
        Some((name, Some(version), Some(sha))) => pins.insert(name, Pin { version, sha }).is_none(),
        Some(_) => false,
        None => true,
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line
            .strip_prefix("[actions.\"")
            .and_then(|l| l.strip_suffix("\"]"))
        {
            if !finish(current.take()) {
                return None;
            }
            current = Some((name.to_string(), None, None));
        } else if let Some(v) = quoted(line, "version") {
            current.as_mut()?.1.get_or_insert(v);
        } else if let Some(v) = quoted(line, "sha") {
            current.as_mut()?.2.get_or_insert(v);
        } else {
            return None;
        }
    }
    finish(current.take()).then_some(())?;
    Some(pins)
}

/// `owner/name@<sha> # <version>`, the form Dependabot understands.
pub(crate) fn uses(action: &str) -> Result<String, minijinja::Error> {
    let pin = all().get(action).ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("no verified pin for action {action:?} in data/action-pins.toml"),
        )
    })?;
    Ok(format!("{action}@{} # {}", pin.sha, pin.version))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line reading is the TOML reading, and refuses any other shape.
    #[test]
    fn the_pins_read_as_toml_reads_them() {
        let toml = toml_edit::de::from_str::<PinFile>(PINS).unwrap().actions;
        let read = read(PINS).unwrap();
        assert_eq!(
            read.iter()
                .map(|(k, p)| (k, &p.version, &p.sha))
                .collect::<Vec<_>>(),
            toml.iter()
                .map(|(k, p)| (k, &p.version, &p.sha))
                .collect::<Vec<_>>()
        );
        assert!(!read.is_empty());
        for other in [
            "[actions.\"a/b\"]\nversion = \"v1\"\n",
            "[actions.\"a/b\"]\nsha = \"x\"\nversion = \"v1\"\nname = \"y\"\n",
            "version = \"v1\"\n",
            "[actions.\"a/b\"]\nversion = \"v1\"\nsha = \"x\"\n[actions.\"a/b\"]\nversion = \"v2\"\nsha = \"y\"\n",
            "[actions.a]\nversion = \"v1\"\nsha = \"x\"\n",
        ] {
            assert!(super::read(other).is_none(), "{other}");
        }
    }

    #[test]
    fn every_pin_is_a_full_commit_sha() {
        assert!(!all().is_empty());
        for (name, pin) in all() {
            assert_eq!(pin.sha.len(), 40, "{name}");
            assert!(
                pin.sha
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
                "{name}"
            );
            assert!(pin.version.starts_with('v'), "{name}");
        }
    }

    /// The copy must agree with the verified source. A missing source is a
    /// failure, never a silent pass: the test is ignored by a bare `cargo
    /// test` (reported as ignored) and run by scripts/test.sh, where the
    /// source must be beside the repository (`../shared/action-pins.toml`)
    /// or named by `PYREL_VERIFIED_PINS`.
    #[test]
    #[ignore = "needs the verified pins (../shared/action-pins.toml): run scripts/test.sh"]
    fn pins_match_the_verified_source() {
        let path = std::env::var_os("PYREL_VERIFIED_PINS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/action-pins.toml")
            });
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "the verified action pins {} cannot be read ({e}): the cross-check cannot run",
                path.display()
            )
        });
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        for (name, pin) in all() {
            let src = &doc["actions"][name.as_str()];
            assert_eq!(src["sha"].as_str(), Some(pin.sha.as_str()), "{name}");
            assert_eq!(
                src["version"].as_str(),
                Some(pin.version.as_str()),
                "{name}"
            );
        }
    }
}
