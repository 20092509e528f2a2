//! Where a wheel its build runner cannot run natively is smoke-tested: a
//! container of the wheel's libc and architecture on the build runner,
//! under QEMU user emulation when the runner's CPU cannot execute it. The
//! one table of images, and the reason for each wheel that is not executed.
//!
//! Images are the Docker official `python` images (multi-architecture
//! manifests; architectures as listed on <https://hub.docker.com/_/python>):
//! `alpine` (musl libc) for musllinux wheels, `slim-trixie` (Debian 13,
//! glibc 2.41, newer than every manylinux policy) for manylinux wheels, with
//! the smoke-test Python (`render::context::smoke_python`). They are pinned
//! to the Python minor and the distribution release; a digest pin
//! cannot be verified offline (pyrel has no registry access when it
//! generates), so none is written rather than an unverified one.

use crate::answers::platforms::{Os, Platform};

/// How one platform's wheel is smoke-tested in a container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SmokeContainer {
    /// The `python` image's variant: `python:<smoke Python>-<variant>`.
    pub variant: &'static str,
    /// `docker run --platform`.
    pub docker_platform: &'static str,
    /// The runner's CPU cannot execute it: register QEMU first.
    pub emulated: bool,
}

/// musl libc (Alpine 3.22).
const ALPINE: &str = "alpine3.22";
/// glibc 2.41 (Debian 13).
const DEBIAN: &str = "slim-trixie";

impl SmokeContainer {
    /// The image for the smoke-test Python (`3.13` -> `python:3.13-alpine3.22`).
    pub(crate) fn image(&self, python: &str) -> String {
        format!("python:{python}-{}", self.variant)
    }
}

pub(crate) fn container(p: &Platform) -> Option<SmokeContainer> {
    if p.native {
        return None;
    }
    let variant = match p.os {
        Os::Musllinux => ALPINE,
        Os::Linux => DEBIAN,
        _ => return None,
    };
    // Architectures both images publish; no big-endian ppc64 image exists.
    let docker_platform = match p.target {
        "x86_64" => "linux/amd64",
        "aarch64" => "linux/arm64",
        "i686" => "linux/386",
        "armv7" => "linux/arm/v7",
        "ppc64le" => "linux/ppc64le",
        "s390x" => "linux/s390x",
        "riscv64gc-unknown-linux-gnu" => "linux/riscv64",
        _ => return None,
    };
    let host = if p.runner.ends_with("-arm") {
        "linux/arm64"
    } else {
        "linux/amd64"
    };
    // x86_64 CPUs run i386 code natively; Arm runners' CPUs may lack
    // AArch32, so armv7 is emulated everywhere.
    let emulated =
        docker_platform != host && !(docker_platform == "linux/386" && host == "linux/amd64");
    Some(SmokeContainer {
        variant,
        docker_platform,
        emulated,
    })
}

/// Why a wheel is not executed before publishing, or `None` if it is
/// (natively or in a container).
pub(crate) fn not_executed(p: &Platform) -> Option<&'static str> {
    if p.native || container(p).is_some() {
        return None;
    }
    Some(match p.os {
        Os::Android => "Android wheels need an Android device or emulator",
        Os::Emscripten => {
            "Pyodide wheels need a Pyodide runtime (Node.js), which the workflow does not set up"
        }
        _ if p.target.starts_with("powerpc64-") => {
            "no Python container image exists for big-endian ppc64"
        }
        _ => "the runner cannot run this wheel",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::platforms::{find, ALL};

    #[test]
    fn every_linux_wheel_but_ppc64_runs_somewhere() {
        for p in ALL {
            let runs = p.native || container(p).is_some();
            match p.os {
                Os::Linux | Os::Musllinux => {
                    assert_eq!(runs, p.name != "linux-ppc64", "{}", p.name)
                }
                Os::Android | Os::Emscripten => assert!(!runs, "{}", p.name),
                _ => assert!(p.native, "{}", p.name),
            }
            assert_eq!(not_executed(p).is_none(), runs, "{}", p.name);
        }
    }

    #[test]
    fn emulation_only_where_the_cpu_cannot_run_it() {
        let c = |n: &str| container(find(n).unwrap()).unwrap();
        assert!(!c("musllinux-x86_64").emulated);
        assert!(!c("musllinux-aarch64").emulated);
        assert_eq!(c("musllinux-aarch64").docker_platform, "linux/arm64");
        assert!(!c("linux-i686").emulated);
        assert!(!c("musllinux-i686").emulated);
        assert_eq!(c("musllinux-i686").image("3.13"), "python:3.13-alpine3.22");
        assert_eq!(c("linux-i686").image("3.12"), "python:3.12-slim-trixie");
        for n in [
            "linux-armv7",
            "musllinux-armv7",
            "linux-ppc64le",
            "linux-s390x",
            "linux-riscv64",
        ] {
            assert!(c(n).emulated, "{n}");
        }
    }
}
