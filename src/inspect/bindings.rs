//! What the crate binds to Python: a closed set, one definition for
//! detection, the JSON of `pyrel inspect` (same strings as maturin's
//! `bindings`), the templates and every decision that depends on it.

use serde::Serialize;

/// maturin's `bindings` values, plus setuptools-rust's `rust-cpython`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Bindings {
    Pyo3,
    Pyo3Ffi,
    Cffi,
    Uniffi,
    RustCpython,
    /// A Rust binary shipped in the wheel (no extension module).
    Bin,
}

impl Bindings {
    pub(crate) const ALL: [Bindings; 6] = [
        Bindings::Pyo3,
        Bindings::Pyo3Ffi,
        Bindings::Cffi,
        Bindings::Uniffi,
        Bindings::RustCpython,
        Bindings::Bin,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Bindings::Pyo3 => "pyo3",
            Bindings::Pyo3Ffi => "pyo3-ffi",
            Bindings::Cffi => "cffi",
            Bindings::Uniffi => "uniffi",
            Bindings::RustCpython => "rust-cpython",
            Bindings::Bin => "bin",
        }
    }

    /// maturin's spelling (`[tool.maturin] bindings`); `rust-cpython` is
    /// setuptools-rust's only, so maturin's names are the ones accepted.
    pub(crate) fn from_maturin(s: &str) -> Option<Bindings> {
        Bindings::ALL
            .into_iter()
            .filter(|b| *b != Bindings::RustCpython)
            .find(|b| b.as_str() == s)
    }

    /// The wheel holds an extension module Python imports (not a binary).
    pub(crate) fn is_extension(self) -> bool {
        self != Bindings::Bin
    }
}

impl std::fmt::Display for Bindings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_maturin_spells_it() {
        for b in Bindings::ALL {
            assert_eq!(
                serde_json::to_value(b).unwrap(),
                serde_json::Value::String(b.as_str().into())
            );
        }
        assert_eq!(Bindings::from_maturin("pyo3-ffi"), Some(Bindings::Pyo3Ffi));
        assert_eq!(Bindings::from_maturin("bin"), Some(Bindings::Bin));
        assert_eq!(Bindings::from_maturin("rust-cpython"), None);
        assert_eq!(Bindings::from_maturin("PyO3"), None);
    }
}
