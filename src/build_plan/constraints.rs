//! What the builders can build, as data: which (builder, target, policy)
//! pairs have a container image, which Rust targets rustup installs, the
//! macOS deployment floor Rust needs, which interpreters a PyO3 version
//! accepts and which platform tags PyPI takes. Every table names its
//! source; `answers::validate` refuses, and the render context adapts, from
//! these tables only, so a configuration pyrel accepts is one the builders
//! can build.

use crate::answers::platforms::{Os, Platform};
use crate::answers::{Config, Key};
use crate::inspect::Project;

pub(crate) use crate::validate::Manylinux;

/// The architecture of the GitHub runner a build runs on (maturin-action
/// keys its image table by it: `process.arch`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunnerArch {
    X64,
    Arm64,
}

pub(crate) fn runner_arch(p: &Platform) -> RunnerArch {
    if p.runner.ends_with("-arm") || p.runner == "macos-15" {
        RunnerArch::Arm64
    } else {
        RunnerArch::X64
    }
}

/// The Rust target triple maturin-action resolves a Linux platform to
/// (`TARGET_ALIASES.manylinux` / `.musllinux` in its src/index.ts).
pub(crate) fn linux_triple(p: &Platform) -> Option<&'static str> {
    Some(match (p.os, p.target) {
        (Os::Linux, "x86_64") => "x86_64-unknown-linux-gnu",
        (Os::Linux, "aarch64") => "aarch64-unknown-linux-gnu",
        (Os::Linux, "i686") => "i686-unknown-linux-gnu",
        (Os::Linux, "armv7") => "armv7-unknown-linux-gnueabihf",
        (Os::Linux, "ppc64le") => "powerpc64le-unknown-linux-gnu",
        (Os::Linux, "s390x") => "s390x-unknown-linux-gnu",
        (Os::Linux, t) if t.contains('-') => return linux_full_triple(t),
        (Os::Musllinux, "x86_64") => "x86_64-unknown-linux-musl",
        (Os::Musllinux, "aarch64") => "aarch64-unknown-linux-musl",
        (Os::Musllinux, "i686") => "i686-unknown-linux-musl",
        (Os::Musllinux, "armv7") => "armv7-unknown-linux-musleabihf",
        _ => return None,
    })
}

fn linux_full_triple(t: &str) -> Option<&'static str> {
    MATURIN_IMAGES
        .iter()
        .map(|i| i.triple)
        .find(|triple| *triple == t)
}

/// One row of maturin-action's image table.
#[derive(Debug)]
pub(crate) struct MaturinImage {
    pub runner: RunnerArch,
    pub triple: &'static str,
    /// maturin-action's key: `auto`, `2014`, `2_17`, `2_28`, `2_31`,
    /// `2_34`, `musllinux_1_2`.
    pub policy: &'static str,
    pub image: &'static str,
}

const fn mi(
    runner: RunnerArch,
    triple: &'static str,
    policy: &'static str,
    image: &'static str,
) -> MaturinImage {
    MaturinImage {
        runner,
        triple,
        policy,
        image,
    }
}

use RunnerArch::{Arm64, X64};

/// PyO3/maturin-action v1.51.0, src/index.ts `DEFAULT_CONTAINERS`: the
/// image per runner architecture × Rust target × `manylinux` input, for the
/// targets pyrel builds on the runner it uses (x86_64, i686 and the cross
/// targets on x64 runners; aarch64 on arm64 runners). Deprecated 2010/2_24
/// entries are left out: pyrel does not offer those policies. A missing
/// (target, policy) pair makes maturin-action fall back to the x64 host
/// table (`DEFAULT_CONTAINER[manylinux]`), an x86_64 image with no cross
/// toolchain, and the link fails: those pairs must never be emitted.
/// (Read from the stored src/index.ts of the v1.5x line; its missing pairs
/// are exactly the ones issue 23 lists for v1.51.0, the release pyrel pins
/// in data/action-pins.toml. `innerMain` strips a `manylinux_` prefix from
/// the input before the lookup, so `manylinux_2_28` finds `2_28`.)
pub(crate) const MATURIN_IMAGES: &[MaturinImage] = &[
    mi(
        X64,
        "x86_64-unknown-linux-gnu",
        "auto",
        "quay.io/pypa/manylinux2014_x86_64:latest",
    ),
    mi(
        X64,
        "x86_64-unknown-linux-gnu",
        "2014",
        "quay.io/pypa/manylinux2014_x86_64:latest",
    ),
    mi(
        X64,
        "x86_64-unknown-linux-gnu",
        "2_17",
        "quay.io/pypa/manylinux2014_x86_64:latest",
    ),
    mi(
        X64,
        "x86_64-unknown-linux-gnu",
        "2_28",
        "quay.io/pypa/manylinux_2_28_x86_64:latest",
    ),
    mi(
        X64,
        "x86_64-unknown-linux-gnu",
        "2_34",
        "quay.io/pypa/manylinux_2_34_x86_64:latest",
    ),
    mi(
        X64,
        "i686-unknown-linux-gnu",
        "auto",
        "quay.io/pypa/manylinux2014_i686:latest",
    ),
    mi(
        X64,
        "i686-unknown-linux-gnu",
        "2014",
        "quay.io/pypa/manylinux2014_i686:latest",
    ),
    mi(
        X64,
        "i686-unknown-linux-gnu",
        "2_17",
        "quay.io/pypa/manylinux2014_i686:latest",
    ),
    mi(
        X64,
        "armv7-unknown-linux-gnueabihf",
        "auto",
        "ghcr.io/rust-cross/manylinux2014-cross:armv7",
    ),
    mi(
        X64,
        "armv7-unknown-linux-gnueabihf",
        "2014",
        "ghcr.io/rust-cross/manylinux2014-cross:armv7",
    ),
    mi(
        X64,
        "armv7-unknown-linux-gnueabihf",
        "2_17",
        "ghcr.io/rust-cross/manylinux2014-cross:armv7",
    ),
    mi(
        X64,
        "armv7-unknown-linux-gnueabihf",
        "2_28",
        "ghcr.io/rust-cross/manylinux_2_28-cross:armv7",
    ),
    mi(
        X64,
        "powerpc64-unknown-linux-gnu",
        "auto",
        "ghcr.io/rust-cross/manylinux2014-cross:ppc64",
    ),
    mi(
        X64,
        "powerpc64-unknown-linux-gnu",
        "2014",
        "ghcr.io/rust-cross/manylinux2014-cross:ppc64",
    ),
    mi(
        X64,
        "powerpc64-unknown-linux-gnu",
        "2_17",
        "ghcr.io/rust-cross/manylinux2014-cross:ppc64",
    ),
    mi(
        X64,
        "powerpc64le-unknown-linux-gnu",
        "auto",
        "ghcr.io/rust-cross/manylinux2014-cross:ppc64le",
    ),
    mi(
        X64,
        "powerpc64le-unknown-linux-gnu",
        "2014",
        "ghcr.io/rust-cross/manylinux2014-cross:ppc64le",
    ),
    mi(
        X64,
        "powerpc64le-unknown-linux-gnu",
        "2_17",
        "ghcr.io/rust-cross/manylinux2014-cross:ppc64le",
    ),
    mi(
        X64,
        "powerpc64le-unknown-linux-gnu",
        "2_28",
        "ghcr.io/rust-cross/manylinux_2_28-cross:ppc64le",
    ),
    mi(
        X64,
        "s390x-unknown-linux-gnu",
        "auto",
        "ghcr.io/rust-cross/manylinux2014-cross:s390x",
    ),
    mi(
        X64,
        "s390x-unknown-linux-gnu",
        "2014",
        "ghcr.io/rust-cross/manylinux2014-cross:s390x",
    ),
    mi(
        X64,
        "s390x-unknown-linux-gnu",
        "2_17",
        "ghcr.io/rust-cross/manylinux2014-cross:s390x",
    ),
    mi(
        X64,
        "s390x-unknown-linux-gnu",
        "2_28",
        "ghcr.io/rust-cross/manylinux_2_28-cross:s390x",
    ),
    mi(
        X64,
        "riscv64gc-unknown-linux-gnu",
        "auto",
        "ghcr.io/rust-cross/manylinux_2_31-cross:riscv64",
    ),
    mi(
        X64,
        "riscv64gc-unknown-linux-gnu",
        "2_31",
        "ghcr.io/rust-cross/manylinux_2_31-cross:riscv64",
    ),
    mi(
        X64,
        "x86_64-unknown-linux-musl",
        "musllinux_1_2",
        "ghcr.io/rust-cross/rust-musl-cross:x86_64-musl",
    ),
    mi(
        X64,
        "i686-unknown-linux-musl",
        "musllinux_1_2",
        "ghcr.io/rust-cross/rust-musl-cross:i686-musl",
    ),
    mi(
        X64,
        "armv7-unknown-linux-musleabihf",
        "musllinux_1_2",
        "ghcr.io/rust-cross/rust-musl-cross:armv7-musleabihf",
    ),
    mi(
        Arm64,
        "aarch64-unknown-linux-gnu",
        "auto",
        "quay.io/pypa/manylinux2014_aarch64:latest",
    ),
    mi(
        Arm64,
        "aarch64-unknown-linux-gnu",
        "2014",
        "quay.io/pypa/manylinux2014_aarch64:latest",
    ),
    mi(
        Arm64,
        "aarch64-unknown-linux-gnu",
        "2_17",
        "quay.io/pypa/manylinux2014_aarch64:latest",
    ),
    mi(
        Arm64,
        "aarch64-unknown-linux-gnu",
        "2_28",
        "quay.io/pypa/manylinux_2_28_aarch64:latest",
    ),
    mi(
        Arm64,
        "aarch64-unknown-linux-gnu",
        "2_34",
        "quay.io/pypa/manylinux_2_34_aarch64:latest",
    ),
    mi(
        Arm64,
        "aarch64-unknown-linux-musl",
        "musllinux_1_2",
        "ghcr.io/rust-cross/rust-musl-cross:aarch64-musl",
    ),
];

/// The musllinux policy both builders use (maturin-action's
/// `musllinux_1_2` images; cibuildwheel's default since 3.0).
pub(crate) const MUSLLINUX: &str = "musllinux_1_2";

/// The image maturin-action pulls for a Linux platform at `policy` (its
/// `manylinux` input, already without a `manylinux_` prefix), or none:
/// then the build would run in the wrong image.
pub(crate) fn maturin_image(p: &Platform, policy: &str) -> Option<&'static str> {
    let triple = linux_triple(p)?;
    let arch = runner_arch(p);
    MATURIN_IMAGES
        .iter()
        .find(|i| i.runner == arch && i.triple == triple && i.policy == policy)
        .map(|i| i.image)
}

/// The `manylinux` input one maturin Linux row gets: the chosen policy
/// where maturin-action has an image for the target, else the newest older
/// policy it has one for, else its default (`auto`; for riscv64 that is
/// manylinux_2_31). The second value explains an adaptation.
pub(crate) fn maturin_policy(p: &Platform, chosen: Manylinux) -> (&'static str, Option<String>) {
    if p.os == Os::Musllinux {
        return (MUSLLINUX, None);
    }
    if maturin_image(p, chosen.as_str()).is_some() {
        return (chosen.as_str(), None);
    }
    let older = Manylinux::ALL
        .iter()
        .rev()
        .filter(|m| **m != Manylinux::Auto && **m < chosen)
        .find(|m| maturin_image(p, m.as_str()).is_some());
    let (policy, what) = match older {
        Some(m) => (m.as_str(), m.tag().to_string()),
        None => (
            "auto",
            format!(
                "maturin-action's default image ({})",
                maturin_image(p, "auto").unwrap_or("none")
            ),
        ),
    };
    (
        policy,
        Some(format!(
            "{}: maturin-action has no {} image for {}; this row is built with {} instead",
            p.name,
            chosen.tag(),
            linux_triple(p).unwrap_or(p.target),
            what
        )),
    )
}

/// cibuildwheel 4.2.0, cibuildwheel/resources/pinned_docker_images.cfg:
/// the image names `CIBW_{MANY,MUSL}LINUX_<ARCH>_IMAGE` accepts as pinned
/// names, per architecture pyrel builds natively. Any other value is taken
/// as a Docker image reference and pulled as is.
pub(crate) const CIBW_PINNED_IMAGES: &[(&str, &[&str])] = &[
    (
        "x86_64",
        &[
            "manylinux2014",
            "manylinux_2_28",
            "manylinux_2_34",
            "musllinux_1_2",
        ],
    ),
    (
        "i686",
        &[
            "manylinux2014",
            "manylinux_2_28",
            "manylinux_2_34",
            "musllinux_1_2",
        ],
    ),
    (
        "aarch64",
        &[
            "manylinux2014",
            "manylinux_2_28",
            "manylinux_2_34",
            "musllinux_1_2",
        ],
    ),
];

pub(crate) fn cibw_pinned(arch: &str, image: &str) -> bool {
    CIBW_PINNED_IMAGES
        .iter()
        .any(|(a, names)| *a == arch && names.contains(&image))
}

/// Host triples rustup publishes `rustup-init` for, among the containers
/// and runners pyrel builds in (https://rust-lang.github.io/rustup/installation/other.html,
/// https://static.rust-lang.org/rustup/dist/): `sh.rustup.rs` downloads the
/// installer of the machine it runs on. There is no
/// `i686-unknown-linux-musl` installer (404), so Rust cannot be installed in
/// cibuildwheel's musllinux i686 container.
pub(crate) const RUSTUP_HOSTS: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "i686-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
    "aarch64-pc-windows-msvc",
    "i686-pc-windows-msvc",
];

/// Whether rustup can install Rust inside the container cibuildwheel builds
/// a Linux platform in.
pub(crate) fn rustup_installs_in_container(p: &Platform) -> bool {
    linux_triple(p).is_some_and(|t| RUSTUP_HOSTS.contains(&t))
}

/// The oldest macOS Rust's standard library supports per architecture
/// (rustc's platform-support/apple-darwin.md: x86_64 10.12 since Rust
/// 1.74, aarch64 11.0). cibuildwheel defaults to 10.9 for CPython < 3.12 on
/// x86_64/universal2, and delocate then rejects the wheel ("Library
/// dependencies do not satisfy target MacOS version 10.9"); cibuildwheel's
/// FAQ ("Building Rust wheels", docs/faq.md) says to set
/// `MACOSX_DEPLOYMENT_TARGET = "10.12"` in `[tool.cibuildwheel.macos.environment]`,
/// and cibuildwheel raises it where a CPython needs more (arm64 11.0,
/// 3.12+ 10.13, 3.14+ 10.15; cibuildwheel/platforms/macos.py).
pub(crate) fn rust_macos_floor(p: &Platform) -> Option<&'static str> {
    match (p.os, p.target) {
        (Os::Macos, "aarch64") => Some("11.0"),
        (Os::Macos, _) => Some("10.12"),
        _ => None,
    }
}

/// The deployment target a setuptools-rust (cibuildwheel) macOS job sets:
/// the highest Rust floor of its x86_64/universal2 rows, the value of the
/// FAQ (arm64 rows are raised to 11.0 by cibuildwheel itself).
pub(crate) fn cibw_macos_deployment_target(platforms: &[&Platform]) -> Option<&'static str> {
    platforms
        .iter()
        .filter(|p| p.os == Os::Macos && p.target != "aarch64")
        .filter_map(|p| rust_macos_floor(p))
        .max_by(|a, b| version_cmp(a, b))
        .or_else(|| {
            platforms
                .iter()
                .any(|p| p.os == Os::Macos)
                .then_some("10.12")
        })
}

fn version_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |s: &str| -> Vec<u32> { s.split('.').filter_map(|p| p.parse().ok()).collect() };
    parts(a).cmp(&parts(b))
}

/// Whether PyPI accepts a wheel's platform tag. warehouse
/// (warehouse/forklift/legacy.py `_valid_platform_tag`): `any`, `win32`,
/// `win_amd64`, `win_arm64`, `manylinux1/2010/2014_<arch>`,
/// `manylinux_<x>_<y>_<arch>`, `musllinux_<x>_<y>_<arch>`, `macosx_*`,
/// `android_*`, `ios_*` and (PEP 783) `pyemscripten_*`. Plain `linux_*`
/// is rejected.
pub(crate) fn pypi_accepts(platform_tag: &str) -> bool {
    let t = platform_tag;
    matches!(t, "any" | "win32" | "win_amd64" | "win_arm64")
        || ["manylinux1_", "manylinux2010_", "manylinux2014_"]
            .iter()
            .any(|p| t.starts_with(p))
        || versioned(t, "manylinux_")
        || versioned(t, "musllinux_")
        || ["macosx_", "android_", "ios_", "pyemscripten_"]
            .iter()
            .any(|p| t.starts_with(p))
}

fn versioned(t: &str, prefix: &str) -> bool {
    let Some(rest) = t.strip_prefix(prefix) else {
        return false;
    };
    let mut parts = rest.splitn(3, '_');
    let digits =
        |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    digits(parts.next()) && digits(parts.next()) && parts.next().is_some_and(|a| !a.is_empty())
}

/// The platform tag a Linux row's wheels carry at most (maturin and
/// auditwheel tag the lowest policy the binary satisfies, never above the
/// image's), for the walk over every configuration in the tests.
pub(crate) fn linux_platform_tag(p: &Platform, policy: &str) -> Option<String> {
    if !matches!(p.os, Os::Linux | Os::Musllinux) {
        return None;
    }
    let arch = match p.target {
        "x86_64" => "x86_64",
        "aarch64" => "aarch64",
        "i686" => "i686",
        "armv7" => "armv7l",
        "ppc64le" => "ppc64le",
        "s390x" => "s390x",
        "powerpc64-unknown-linux-gnu" => "ppc64",
        "riscv64gc-unknown-linux-gnu" => "riscv64",
        _ => return None,
    };
    let glibc = match (p.os, policy) {
        (Os::Musllinux, _) => return Some(format!("musllinux_1_2_{arch}")),
        (_, "auto") if arch == "riscv64" => "2_31",
        (_, "auto" | "2014" | "2_17") => "2_17",
        (_, "2_28") => "2_28",
        (_, "2_34") => "2_34",
        (_, "2_31") => "2_31",
        _ => return Some(format!("linux_{arch}")),
    };
    Some(format!("manylinux_{glibc}_{arch}"))
}

/// The Android CPython maturin-action provides: it downloads one Android
/// build of CPython for the cross build (PyO3/maturin-action v1.51.0, as
/// issue 23 reads its source; the stored copy pyrel's authors could search
/// predates Android support, so this value is the issue's), so a non-abi3
/// Android job produces cp314 wheels only, whatever else the matrix lists.
pub(crate) const ANDROID_CPYTHON: &str = "3.14";

/// PyPy 3.11 (the PyPy setup-python and the manylinux images carry) needs
/// PyO3 0.23 (pyo3-ffi 0.22 refuses it: "PyPy 3.11 is newer than PyO3's
/// maximum supported version"; PyO3 0.23 CHANGELOG adds PyPy 3.11).
pub(crate) fn pyo3_builds_pypy311(pyo3_minor: Option<u32>) -> bool {
    pyo3_minor.is_none_or(|m| m >= 23)
}

/// A configuration the builders cannot build, as the `[tool.pyrel]` key to
/// change and the reason (exit 2 at `init`/`generate`).
pub(crate) fn refusal(project: &Project, config: &Config) -> Option<(Key, String)> {
    if project.is_cibuildwheel()
        && !config.platforms.is_empty()
        && config
            .platforms
            .iter()
            .all(|p| matches!(p.os, Os::Linux | Os::Musllinux) && !rustup_installs_in_container(p))
    {
        return Some((
            Key::Platforms,
            "nothing would be built: rustup has no installer for i686-unknown-linux-musl, \
             so setuptools-rust cannot build musllinux-i686 wheels in cibuildwheel's container; \
             choose another platform"
                .into(),
        ));
    }
    if !project.builds_platform_wheels() || project.is_bin() {
        return None;
    }
    let pyo3 = project.pyo3_version.as_deref().and_then(super::pyo3_minor);
    if config.pypy && !pyo3_builds_pypy311(pyo3) {
        return Some((
            Key::Pypy,
            format!(
                "PyO3 0.{} cannot build PyPy 3.11, the PyPy the builders provide (pyo3-ffi \
                 refuses it as newer than its maximum supported version); raise pyo3 to 0.23 \
                 or later in Cargo.toml, or set pypy = false",
                pyo3.unwrap_or_default()
            ),
        ));
    }
    if project.is_maturin() {
        // Every Linux row's wheels must carry a tag PyPI takes.
        for p in config.platforms.iter() {
            let (policy, _) = maturin_policy(p, config.manylinux_policy());
            if let Some(tag) = linux_platform_tag(p, policy).filter(|t| !pypi_accepts(t)) {
                return Some((
                    Key::Manylinux,
                    format!(
                        "{}: its wheels would be tagged {tag}, which PyPI rejects",
                        p.name
                    ),
                ));
            }
        }
    }
    if project.abi3.is_some() {
        return None;
    }
    for p in config.platforms.iter().filter(|p| p.os != Os::Emscripten) {
        let built: Vec<String> = super::cpython_interpreters(project, p, false)
            .iter()
            .map(|i| i.version())
            .collect();
        if p.os == Os::Android && project.is_maturin() {
            if !built.iter().any(|v| v == ANDROID_CPYTHON) {
                return Some((
                    Key::Platforms,
                    format!(
                        "{}: maturin-action builds non-abi3 Android wheels for CPython {ANDROID_CPYTHON} \
                         only (it provides one Android CPython), and this package builds {}; \
                         drop the Android platforms, or build abi3 wheels",
                        p.name,
                        describe(&built)
                    ),
                ));
            }
        } else if built.is_empty() {
            return Some((
                Key::Platforms,
                format!(
                    "{}: no CPython satisfies both requires-python ({}) and what {} can build; \
                     raise pyo3 in Cargo.toml or lower requires-python",
                    p.name,
                    project.requires_python.as_deref().unwrap_or("unset"),
                    pyo3.map_or("the crate".to_string(), |m| format!("PyO3 0.{m}"))
                ),
            ));
        }
    }
    None
}

fn describe(versions: &[String]) -> String {
    if versions.is_empty() {
        "no CPython".to_string()
    } else {
        format!("CPython {}", versions.join(", "))
    }
}

/// What pyrel changed so that every row builds, one sentence each, printed
/// by `init` and `generate`.
pub(crate) fn adaptations(project: &Project, config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    if !project.builds_platform_wheels() {
        return out;
    }
    let bin = project.is_bin();
    if project.is_maturin() {
        let chosen = config.manylinux_policy();
        out.extend(
            config
                .platforms
                .iter()
                .filter(|p| p.os == Os::Linux)
                .filter_map(|p| maturin_policy(p, chosen).1),
        );
        if !bin && project.abi3.is_none() {
            out.extend(config.platforms.iter().filter(|p| p.os == Os::Android).map(|p| {
                format!(
                    "{}: maturin-action provides one Android CPython, so only cp{} wheels are built for it",
                    p.name,
                    ANDROID_CPYTHON.replace('.', "")
                )
            }));
        }
    }
    if project.is_cibuildwheel() {
        out.extend(
            config
                .platforms
                .iter()
                .filter(|p| matches!(p.os, Os::Linux | Os::Musllinux) && !rustup_installs_in_container(p))
                .map(|p| {
                    format!(
                        "{}: skipped (`*-musllinux_i686`): rustup has no installer for {}, so Rust \
                         cannot be installed in cibuildwheel's container (cibuildwheel FAQ, Building Rust wheels)",
                        p.name,
                        linux_triple(p).unwrap_or(p.target)
                    )
                }),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::platforms::{find, ALL};

    #[test]
    fn policies_parse_in_every_spelling_and_off_is_refused() {
        for (s, m) in [
            ("auto", Manylinux::Auto),
            ("2014", Manylinux::M2014),
            ("2_17", Manylinux::M2014),
            ("manylinux2014", Manylinux::M2014),
            ("manylinux_2_17", Manylinux::M2014),
            ("2_28", Manylinux::M2_28),
            ("manylinux_2_28", Manylinux::M2_28),
            ("2_34", Manylinux::M2_34),
            ("manylinux_2_34", Manylinux::M2_34),
        ] {
            assert_eq!(Manylinux::parse(s), Ok(m), "{s}");
        }
        let off = Manylinux::parse("off").unwrap_err();
        assert!(off.contains("PyPI rejects"), "{off}");
        for bad in [
            "2_31",
            "2_24",
            "2010",
            "manylinux_2_39",
            "musllinux_1_2",
            "",
            "autox",
        ] {
            assert!(Manylinux::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn maturin_cross_targets_without_an_image_are_adapted() {
        // The list: 2_34 × armv7/ppc64le/s390x/ppc64/riscv64,
        // 2_28 × ppc64/riscv64, 2014 × riscv64.
        let cases = [
            ("linux-armv7", Manylinux::M2_34, "2_28"),
            ("linux-ppc64le", Manylinux::M2_34, "2_28"),
            ("linux-s390x", Manylinux::M2_34, "2_28"),
            ("linux-ppc64", Manylinux::M2_34, "2014"),
            ("linux-riscv64", Manylinux::M2_34, "auto"),
            ("linux-ppc64", Manylinux::M2_28, "2014"),
            ("linux-riscv64", Manylinux::M2_28, "auto"),
            ("linux-riscv64", Manylinux::M2014, "auto"),
            ("linux-i686", Manylinux::M2_28, "2014"),
        ];
        for (name, chosen, want) in cases {
            let p = find(name).unwrap();
            let (policy, note) = maturin_policy(p, chosen);
            assert_eq!(policy, want, "{name} at {chosen:?}");
            assert!(note.is_some_and(|n| n.contains(name)), "{name}: reported");
        }
        for name in ["linux-x86_64", "linux-aarch64"] {
            for m in Manylinux::ALL {
                assert_eq!(maturin_policy(find(name).unwrap(), m), (m.as_str(), None));
            }
        }
    }

    #[test]
    fn every_linux_platform_has_an_image_at_its_policy() {
        for p in ALL
            .iter()
            .filter(|p| matches!(p.os, Os::Linux | Os::Musllinux))
        {
            for m in Manylinux::ALL {
                let (policy, _) = maturin_policy(p, m);
                assert!(maturin_image(p, policy).is_some(), "{} {policy}", p.name);
                let tag = linux_platform_tag(p, policy).unwrap();
                assert!(pypi_accepts(&tag), "{tag}");
            }
        }
    }

    #[test]
    fn pypi_tags() {
        for ok in [
            "manylinux_2_17_x86_64",
            "manylinux2014_aarch64",
            "musllinux_1_2_armv7l",
            "win_amd64",
            "macosx_10_12_x86_64",
            "android_24_arm64_v8a",
            "pyemscripten_2025_0_wasm32",
            "any",
        ] {
            assert!(pypi_accepts(ok), "{ok}");
        }
        for bad in [
            "linux_x86_64",
            "linux_armv7l",
            "manylinux_x_y_z",
            "emscripten_3_1_58_wasm32",
            "pyodide_2024_0_wasm32",
        ] {
            assert!(!pypi_accepts(bad), "{bad}");
        }
    }

    #[test]
    fn rustup_has_no_musl_i686_installer() {
        assert!(!rustup_installs_in_container(
            find("musllinux-i686").unwrap()
        ));
        for name in [
            "linux-x86_64",
            "linux-aarch64",
            "linux-i686",
            "musllinux-x86_64",
            "musllinux-aarch64",
        ] {
            assert!(rustup_installs_in_container(find(name).unwrap()), "{name}");
        }
    }

    #[test]
    fn cibuildwheel_pins_the_policies_pyrel_maps_to() {
        for m in Manylinux::ALL {
            if let Some(image) = m.cibw_image() {
                for arch in ["x86_64", "i686", "aarch64"] {
                    assert!(cibw_pinned(arch, image), "{arch} {image}");
                }
            }
        }
        assert!(!cibw_pinned("x86_64", "manylinux_2_17"));
    }
}

#[cfg(test)]
#[path = "constraints_tests.rs"]
mod walk;
