//! Which interpreters exist, which each PyO3 release can build, and where
//! the runners can provide them: one table per fact, with its source.
//!
//! Everything the build plan decides about interpreters is a lookup here;
//! nothing else in pyrel names a Python version.

/// CPython minors pyrel builds for, oldest first. 3.15.0 final was released
/// in October 2026 (PEP 790); 3.9 is the oldest that actions/setup-python
/// (actions/python-versions) still provides on every runner pyrel uses.
pub(crate) const OLDEST_MINOR: u32 = 9;
pub(crate) const NEWEST_MINOR: u32 = 15;

/// The oldest free-threaded CPython pyrel builds: 3.14t, the first that
/// CPython declares supported (PEP 779). 3.13t was experimental and PyO3
/// 0.29 dropped it (CHANGELOG 0.29.0, #5865), so pyrel never builds it.
pub(crate) const OLDEST_FREE_THREADED_MINOR: u32 = 14;

/// The one PyPy line pyrel builds: PyPy 3.11 (7.3.x). PyPy 3.9/3.10 are no
/// longer released; PyO3 0.27 dropped them (CHANGELOG 0.27.0).
pub(crate) const PYPY_MINOR: u32 = 11;

/// Python used by pyrel's own helper jobs (version check, metadata check)
/// and for smoke tests: current, with wheels for every runner architecture.
pub(crate) const TOOL_PYTHON: &str = "3.13";

/// What one PyO3 minor release can build. `cpython` is the inclusive minor
/// range its `pyo3-ffi` build script accepts (it refuses a newer interpreter
/// with "newer than PyO3's maximum supported version"; one minor newer is
/// only an experimental "do not distribute" build, which pyrel never plans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pyo3Support {
    /// `0.<minor>`.
    pub minor: u32,
    pub cpython: (u32, u32),
    /// Free-threaded minors it builds (`None`: no free-threaded support).
    pub free_threaded: Option<(u32, u32)>,
    /// PyPy minors it builds (`None`: none).
    pub pypy: Option<(u32, u32)>,
    /// Oldest GraalPy language version it builds (pyrel builds no GraalPy:
    /// no runner or manylinux image pyrel uses provides it to maturin-action).
    pub graalpy: Option<u32>,
    /// PEP 803 `abi3t` (free-threaded stable ABI, CPython 3.15+).
    pub abi3t: bool,
}

const fn v(
    minor: u32,
    cpython: (u32, u32),
    free_threaded: Option<(u32, u32)>,
    pypy: Option<(u32, u32)>,
    graalpy: Option<u32>,
    abi3t: bool,
) -> Pyo3Support {
    Pyo3Support {
        minor,
        cpython,
        free_threaded,
        pypy,
        graalpy,
        abi3t,
    }
}

/// PyO3 releases, oldest first. Sources: PyO3's CHANGELOG.md ("Packaging"
/// sections) and `pyo3-ffi/build.rs` (`SUPPORTED_VERSIONS_CPYTHON`,
/// `SUPPORTED_VERSIONS_PYPY`, `SUPPORTED_VERSIONS_GRAALPY`,
/// `MIN_FREE_THREADED_VERSION`) of each release.
pub(crate) const PYO3: &[Pyo3Support] = &[
    // 0.20: CPython 3.7-3.12, PyPy 3.7-3.10.
    v(20, (7, 12), None, Some((7, 10)), None, false),
    // 0.21.0: "Add support for GraalPy (24.0 and up)" (#3247), Python 3.10.
    v(21, (7, 12), None, Some((7, 10)), Some(10), false),
    // 0.22.0: Python 3.13.
    v(22, (7, 13), None, Some((7, 10)), Some(10), false),
    // 0.23.0: "Support free-threaded Python 3.13t" (#4588); "Drop support
    // for PyPy 3.7 and 3.8" (#4582). 0.23.5: "Add support for PyPy3.11"
    // (#4760); a `0.23` requirement resolves to the newest 0.23.x, as
    // `constraints::pyo3_builds_pypy311` also assumes.
    v(23, (7, 13), Some((13, 13)), Some((9, 11)), Some(10), false),
    // 0.24.0: PyPy 3.11 (since 0.23.5).
    v(24, (7, 13), Some((13, 13)), Some((9, 11)), Some(10), false),
    // 0.25.0: "Support Python 3.14.0b1" (#4811); GraalPy 24.2 (#5116).
    // Free-threaded 3.14t only from 0.26, the first release tested against
    // the 3.14 release candidates (pyrel's rule since it builds 3.14t).
    v(25, (7, 14), Some((13, 13)), Some((9, 11)), Some(11), false),
    // 0.26.0: "Set the same maximum supported version for alternative
    // interpreters as for CPython" (#5192); tested against 3.14 rc.
    v(26, (7, 14), Some((13, 14)), Some((9, 14)), Some(11), false),
    // 0.27.0: first tested against 3.14.0 final; "Support for PyPy 3.9 and
    // PyPy 3.10 ... has been dropped".
    v(27, (7, 14), Some((13, 14)), Some((11, 14)), Some(11), false),
    // 0.28: unchanged ranges (pyo3-ffi/build.rs: CPython 3.7-3.14, PyPy 3.11).
    v(28, (7, 14), Some((13, 14)), Some((11, 14)), Some(11), false),
    // 0.29.0: "Support Python 3.15.0b1" (#6014); "Support the new PEP 803
    // abi3t ABI with new abi3t and abi3t-py315 features" (#5807); "Drop
    // support for Python 3.13t" (#5865); "Drop support for Python 3.7" (#5912).
    v(29, (8, 15), Some((14, 15)), Some((11, 15)), Some(11), true),
    // 0.30.0: "confirmed testing against Python 3.15.0 final. Support for
    // Python 3.8 has been dropped" (release notes); pyo3-ffi/build.rs:
    // CPython 3.9-3.15, PyPy 3.11+, GraalPy 3.10+, free-threaded 3.14+.
    v(30, (9, 15), Some((14, 15)), Some((11, 15)), Some(10), true),
];

/// The support of a PyO3 minor: its row, or for a release newer than the
/// table the newest row (pyrel does not guess beyond what is published),
/// and for one older than the table the oldest row.
pub(crate) fn pyo3(minor: Option<u32>) -> &'static Pyo3Support {
    let newest = PYO3.last().expect("the table is not empty");
    match minor {
        None => newest,
        Some(m) => PYO3.iter().rev().find(|s| s.minor <= m).unwrap_or(&PYO3[0]),
    }
}

/// The oldest PyO3 minor that builds CPython `3.<minor>` (`t`: the
/// free-threaded build), for doctor's fix.
pub(crate) fn pyo3_for_cpython(minor: u32, free_threaded: bool) -> Option<u32> {
    PYO3.iter()
        .find(|s| {
            let range = if free_threaded {
                s.free_threaded
            } else {
                Some(s.cpython)
            };
            range.is_some_and(|(lo, hi)| (lo..=hi).contains(&minor))
        })
        .map(|s| s.minor)
}

/// maturin: the release that first writes PEP 803 `abi3t` tags (maturin
/// 1.16.0 knows the `Abi3t` stable ABI; pyrel pins it in
/// scripts/tools-requirements.txt and for Emscripten).
///
/// pyrel does not build `abi3t` wheels yet: a crate opts in with PyO3's
/// `abi3t`/`abi3t-py315` feature, which `inspect` does not read, and
/// cibuildwheel 4.2 / setuptools-rust 1.13 have no abi3t build. The plan
/// builds version-specific `cp3XXt` wheels instead, which PyO3's 0.29
/// release notes also recommend next to an abi3 wheel.
pub(crate) const ABI3T_MATURIN: &str = "1.16.0";

/// Where actions/setup-python can install a CPython `3.<minor>` for a
/// platform (actions/python-versions manifest): every minor pyrel builds on
/// x64/x86/arm64 Linux, macOS and Windows, except Windows on Arm, whose
/// builds start at 3.11.
pub(crate) fn setup_python_oldest(platform: &str) -> u32 {
    match platform {
        "windows-aarch64" => 11,
        _ => OLDEST_MINOR,
    }
}

/// Platforms where PyPy can be built: the manylinux images ship PyPy for
/// x86_64/aarch64/i686 (pypa/manylinux), and PyPy publishes macOS
/// (x86_64, arm64) and Windows x64 builds that setup-python installs
/// (pypy.org/download.html). Nothing for musllinux, other Linux
/// architectures, Windows x86/arm64, Android or Emscripten.
pub(crate) fn has_pypy(platform: &str) -> bool {
    matches!(
        platform,
        "linux-x86_64"
            | "linux-aarch64"
            | "linux-i686"
            | "windows-x64"
            | "macos-x86_64"
            | "macos-aarch64"
    )
}

/// The CPython minor of the Android interpreter maturin-action downloads
/// for a non-abi3 Android build (one per build, whatever `-i` says).
pub(crate) const ANDROID_CPYTHON_MINOR: u32 = 14;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_ordered_and_consistent() {
        for pair in PYO3.windows(2) {
            assert!(pair[0].minor < pair[1].minor);
        }
        for s in PYO3 {
            assert!(s.cpython.0 <= s.cpython.1);
            if let Some((lo, hi)) = s.free_threaded {
                assert!(lo <= hi && hi <= s.cpython.1);
            }
        }
        assert_eq!(PYO3.last().unwrap().cpython.1, NEWEST_MINOR);
    }

    #[test]
    fn lookups() {
        assert_eq!(pyo3(Some(29)).cpython, (8, 15));
        assert_eq!(pyo3(Some(31)).minor, 30, "newer than the table: newest row");
        assert_eq!(pyo3(Some(15)).minor, 20, "older than the table: oldest row");
        assert_eq!(pyo3(None).minor, 30);
        assert_eq!(pyo3_for_cpython(15, false), Some(29));
        assert_eq!(pyo3_for_cpython(15, true), Some(29));
        assert_eq!(pyo3_for_cpython(14, true), Some(26));
        assert_eq!(pyo3_for_cpython(13, true), Some(23));
        assert_eq!(pyo3_for_cpython(13, false), Some(22));
        assert_eq!(pyo3_for_cpython(16, false), None);
    }
}
