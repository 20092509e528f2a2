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

#[derive(Debug, Deserialize)]
struct PinFile {
    actions: BTreeMap<String, Pin>,
}

pub(crate) fn all() -> &'static BTreeMap<String, Pin> {
    static PARSED: OnceLock<BTreeMap<String, Pin>> = OnceLock::new();
    PARSED.get_or_init(|| {
        toml_edit::de::from_str::<PinFile>(PINS)
            .expect("data/action-pins.toml is valid (checked by tests)")
            .actions
    })
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
