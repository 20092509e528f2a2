//! The wheel targets pyrel knows, and for each the GitHub runner that builds
//! it and whether that runner can run the wheel (and so smoke-test it).

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Os {
    Linux,
    Musllinux,
    Windows,
    Macos,
    /// Cross-compiled on Linux with the runner's Android NDK.
    Android,
    /// WebAssembly for Pyodide, built with emsdk and pyodide-build.
    Emscripten,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Platform {
    pub name: &'static str,
    pub os: Os,
    /// `target` input of PyO3/maturin-action.
    pub target: &'static str,
    pub runner: &'static str,
    /// The runner can execute the wheel it builds.
    pub native: bool,
}

const fn p(
    name: &'static str,
    os: Os,
    target: &'static str,
    runner: &'static str,
    native: bool,
) -> Platform {
    Platform {
        name,
        os,
        target,
        runner,
        native,
    }
}

/// Runner labels follow the GitHub-hosted images in use in 2026: native arm64
/// Linux and Windows runners, `macos-15` (arm64) and `macos-15-intel`.
pub(crate) const ALL: &[Platform] = &[
    p("linux-x86_64", Os::Linux, "x86_64", "ubuntu-24.04", true),
    p(
        "linux-aarch64",
        Os::Linux,
        "aarch64",
        "ubuntu-24.04-arm",
        true,
    ),
    p("linux-armv7", Os::Linux, "armv7", "ubuntu-24.04", false),
    p("linux-ppc64le", Os::Linux, "ppc64le", "ubuntu-24.04", false),
    p("linux-s390x", Os::Linux, "s390x", "ubuntu-24.04", false),
    p("linux-i686", Os::Linux, "i686", "ubuntu-24.04", false),
    p(
        "linux-ppc64",
        Os::Linux,
        "powerpc64-unknown-linux-gnu",
        "ubuntu-24.04",
        false,
    ),
    p(
        "linux-riscv64",
        Os::Linux,
        "riscv64gc-unknown-linux-gnu",
        "ubuntu-24.04",
        false,
    ),
    p(
        "musllinux-x86_64",
        Os::Musllinux,
        "x86_64",
        "ubuntu-24.04",
        false,
    ),
    p(
        "musllinux-aarch64",
        Os::Musllinux,
        "aarch64",
        "ubuntu-24.04-arm",
        false,
    ),
    p(
        "musllinux-i686",
        Os::Musllinux,
        "i686",
        "ubuntu-24.04",
        false,
    ),
    p(
        "musllinux-armv7",
        Os::Musllinux,
        "armv7",
        "ubuntu-24.04",
        false,
    ),
    p("windows-x64", Os::Windows, "x64", "windows-2025", true),
    // The x64 runner runs x86 Python too, so x86 wheels are smoke-tested.
    p("windows-x86", Os::Windows, "x86", "windows-2025", true),
    p(
        "windows-aarch64",
        Os::Windows,
        "aarch64",
        "windows-11-arm",
        true,
    ),
    p("macos-x86_64", Os::Macos, "x86_64", "macos-15-intel", true),
    p("macos-aarch64", Os::Macos, "aarch64", "macos-15", true),
    p(
        "macos-universal2",
        Os::Macos,
        "universal2-apple-darwin",
        "macos-15",
        true,
    ),
    p(
        "android-aarch64",
        Os::Android,
        "aarch64-linux-android",
        "ubuntu-24.04",
        false,
    ),
    p(
        "android-x86_64",
        Os::Android,
        "x86_64-linux-android",
        "ubuntu-24.04",
        false,
    ),
    p(
        "emscripten",
        Os::Emscripten,
        "wasm32-unknown-emscripten",
        "ubuntu-24.04",
        false,
    ),
];

/// What most projects ship: the tier-1 desktop/server platforms.
pub(crate) const DEFAULT: &[&str] = &[
    "linux-x86_64",
    "linux-aarch64",
    "musllinux-x86_64",
    "musllinux-aarch64",
    "windows-x64",
    "macos-x86_64",
    "macos-aarch64",
];

impl Platform {
    /// A platform cibuildwheel builds on its own runner without emulation,
    /// with its own name for the architecture (`CIBW_ARCHS`).
    pub(crate) fn cibuildwheel_native(&self) -> bool {
        self.cibw_arch().is_some()
    }

    /// cibuildwheel's architecture name, for the platforms it builds natively.
    pub(crate) fn cibw_arch(&self) -> Option<&'static str> {
        Some(match (self.os, self.target) {
            (Os::Linux | Os::Musllinux, "x86_64") => "x86_64",
            (Os::Linux | Os::Musllinux, "aarch64") => "aarch64",
            (Os::Linux | Os::Musllinux, "i686") => "i686",
            (Os::Windows, "x64") => "AMD64",
            (Os::Windows, "x86") => "x86",
            (Os::Windows, "aarch64") => "ARM64",
            (Os::Macos, "x86_64") => "x86_64",
            (Os::Macos, "aarch64") => "arm64",
            (Os::Macos, "universal2-apple-darwin") => "universal2",
            _ => return None,
        })
    }
}

pub(crate) fn find(name: &str) -> Option<&'static Platform> {
    ALL.iter().find(|p| p.name == name)
}

pub(crate) fn names() -> Vec<&'static str> {
    ALL.iter().map(|p| p.name).collect()
}
