//! The doctor's finding ids: a closed set, stable (scripts match on them,
//! RELEASING.md explains each), one definition for the checks, the JSON
//! (`id`), the text output and the docs test.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum FindingId {
    ReadmeMissing,
    ReadmeNotFound,
    ReadmeContentType,
    ReadmeRst,
    LicenseMissing,
    LicenseFileNotFound,
    LicenseFileMissing,
    RequiresPythonMissing,
    RequiresPythonInvalid,
    RequiresPythonAbi3,
    BuildSystemMissing,
    ScriptTargetMissing,
    CrateTypeCdylib,
    ModuleNameMismatch,
    PythonSourceMissing,
    CargoLockMissing,
    Pyo3CannotBuild,
    Pyo3Advisory,
    VersionMissing,
    VersionInvalid,
    VersionMismatch,
    GeneratedStale,
    OtherPublisher,
    TagExists,
    ImmutableRelease,
    NotConfigured,
}

impl FindingId {
    /// Every id, in the order RELEASING.md lists them (the docs test
    /// requires a row for each).
    #[cfg(test)]
    pub(crate) const ALL: [FindingId; 26] = [
        FindingId::ReadmeMissing,
        FindingId::ReadmeNotFound,
        FindingId::ReadmeContentType,
        FindingId::ReadmeRst,
        FindingId::LicenseMissing,
        FindingId::LicenseFileNotFound,
        FindingId::LicenseFileMissing,
        FindingId::RequiresPythonMissing,
        FindingId::RequiresPythonInvalid,
        FindingId::RequiresPythonAbi3,
        FindingId::BuildSystemMissing,
        FindingId::ScriptTargetMissing,
        FindingId::CrateTypeCdylib,
        FindingId::ModuleNameMismatch,
        FindingId::PythonSourceMissing,
        FindingId::CargoLockMissing,
        FindingId::Pyo3CannotBuild,
        FindingId::Pyo3Advisory,
        FindingId::VersionMissing,
        FindingId::VersionInvalid,
        FindingId::VersionMismatch,
        FindingId::GeneratedStale,
        FindingId::OtherPublisher,
        FindingId::TagExists,
        FindingId::ImmutableRelease,
        FindingId::NotConfigured,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FindingId::ReadmeMissing => "readme-missing",
            FindingId::ReadmeNotFound => "readme-not-found",
            FindingId::ReadmeContentType => "readme-content-type",
            FindingId::ReadmeRst => "readme-rst",
            FindingId::LicenseMissing => "license-missing",
            FindingId::LicenseFileNotFound => "license-file-not-found",
            FindingId::LicenseFileMissing => "license-file-missing",
            FindingId::RequiresPythonMissing => "requires-python-missing",
            FindingId::RequiresPythonInvalid => "requires-python-invalid",
            FindingId::RequiresPythonAbi3 => "requires-python-abi3",
            FindingId::BuildSystemMissing => "build-system-missing",
            FindingId::ScriptTargetMissing => "script-target-missing",
            FindingId::CrateTypeCdylib => "crate-type-cdylib",
            FindingId::ModuleNameMismatch => "module-name-mismatch",
            FindingId::PythonSourceMissing => "python-source-missing",
            FindingId::CargoLockMissing => "cargo-lock-missing",
            FindingId::Pyo3CannotBuild => "pyo3-cannot-build",
            FindingId::Pyo3Advisory => "pyo3-advisory",
            FindingId::VersionMissing => "version-missing",
            FindingId::VersionInvalid => "version-invalid",
            FindingId::VersionMismatch => "version-mismatch",
            FindingId::GeneratedStale => "generated-stale",
            FindingId::OtherPublisher => "other-publisher",
            FindingId::TagExists => "tag-exists",
            FindingId::ImmutableRelease => "immutable-release",
            FindingId::NotConfigured => "not-configured",
        }
    }

    /// Checked for maturin packages only (explained only in their docs).
    #[cfg(test)]
    pub(crate) fn maturin_only(self) -> bool {
        matches!(
            self,
            FindingId::CrateTypeCdylib
                | FindingId::ModuleNameMismatch
                | FindingId::PythonSourceMissing
                | FindingId::CargoLockMissing
                | FindingId::Pyo3CannotBuild
                | FindingId::Pyo3Advisory
        )
    }
}

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compare with an id as scripts and tests spell it.
impl PartialEq<&str> for FindingId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialised_as_spelled() {
        for id in FindingId::ALL {
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
            assert_eq!(id.to_string(), id.as_str());
        }
        let mut unique = FindingId::ALL.map(FindingId::as_str).to_vec();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), FindingId::ALL.len());
    }
}
