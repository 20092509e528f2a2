//! The stable-ABI floor of an abi3 crate: the oldest CPython 3.x its one
//! wheel per platform loads on. One type for the tag (`cp39`) the wheels
//! and `inspect --json` carry and the version (`3.9`) requires-python and
//! the docs speak.

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Abi3 {
    /// CPython `3.<minor>`.
    pub minor: u32,
}

impl Abi3 {
    /// `cp39`, `cp310`: the wheel tag (and setuptools' `py_limited_api`).
    pub(crate) fn from_tag(tag: &str) -> Option<Abi3> {
        let minor = tag.strip_prefix("cp3")?;
        (!minor.is_empty() && minor.len() <= 2 && minor.chars().all(|c| c.is_ascii_digit()))
            .then(|| minor.parse().ok().map(|minor| Abi3 { minor }))?
    }

    /// `cp39`.
    pub(crate) fn tag(self) -> String {
        format!("cp3{}", self.minor)
    }

    /// `3.9`.
    pub(crate) fn version(self) -> String {
        format!("3.{}", self.minor)
    }
}

impl std::fmt::Display for Abi3 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cp3{}", self.minor)
    }
}

/// As the tag, the shape `inspect --json` and the templates always had.
impl Serialize for Abi3 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_and_version() {
        let a = Abi3::from_tag("cp310").unwrap();
        assert_eq!(
            (a.minor, a.tag(), a.version()),
            (10, "cp310".into(), "3.10".into())
        );
        assert_eq!(serde_json::to_value(a).unwrap(), "cp310");
        assert_eq!(
            Abi3::from_tag("cp39").map(Abi3::version).as_deref(),
            Some("3.9")
        );
        for bad in ["cp2", "cp3", "py39", "cp3x", "cp3100", "abi3"] {
            assert_eq!(Abi3::from_tag(bad), None, "{bad}");
        }
        assert!(Abi3::from_tag("cp38") < Abi3::from_tag("cp310"));
    }
}
