//! From what a workflow says (runner label, maturin/cibuildwheel target,
//! manylinux policy) to pyrel's platform names. Names pyrel cannot build
//! are still produced (`linux-loongarch64`, ...), so the migration report
//! can say exactly what would be dropped.

/// The runner's operating system and native architecture, from its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunnerOs {
    Linux,
    Windows,
    Macos,
}

pub(crate) fn runner(label: &str) -> Option<(RunnerOs, &'static str)> {
    let l = label.to_ascii_lowercase();
    let arm = l.contains("arm") || l.contains("aarch64");
    if l.contains("ubuntu") || l.contains("linux") {
        return Some((RunnerOs::Linux, if arm { "aarch64" } else { "x86_64" }));
    }
    if l.contains("windows") {
        return Some((RunnerOs::Windows, if arm { "aarch64" } else { "x64" }));
    }
    if l.contains("macos") {
        // macos-13 and the -intel/-large images are x86_64; the rest arm64.
        let intel = l.contains("intel")
            || l.contains("large")
            || l.starts_with("macos-13")
            || l.starts_with("macos-12")
            || l.starts_with("macos-11");
        return Some((RunnerOs::Macos, if intel { "x86_64" } else { "aarch64" }));
    }
    None
}

/// Family hints from the job id or name, for jobs whose runner is an
/// expression pyrel could not resolve.
pub(crate) fn os_hint(job: &str) -> Option<RunnerOs> {
    let j = job.to_ascii_lowercase();
    if j.contains("linux") || j.contains("ubuntu") {
        Some(RunnerOs::Linux)
    } else if j.contains("windows") || j.contains("win") {
        Some(RunnerOs::Windows)
    } else if j.contains("mac") || j.contains("darwin") {
        Some(RunnerOs::Macos)
    } else {
        None
    }
}

/// Normalize an architecture spelling to pyrel's (`arm64` → `aarch64`, ...).
fn arch(a: &str, os: &str) -> String {
    let a = a.to_ascii_lowercase();
    let a = match a.as_str() {
        "arm64" => "aarch64",
        "amd64" | "x64" if os == "windows" => "x64",
        "amd64" | "x64" => "x86_64",
        "x86_64" if os == "windows" => "x64",
        "x86" | "i686" | "i386" if os != "windows" => "i686",
        "x86" | "i686" | "i386" | "win32" => "x86",
        "armv7l" | "armv7" | "armv7a" => "armv7",
        // maturin's `arm` is armv6 (arm-unknown-linux-gnueabihf).
        "arm" | "armv6" | "armv6l" => "armv6",
        "riscv64gc" => "riscv64",
        "powerpc64le" => "ppc64le",
        "powerpc64" => "ppc64",
        other => other,
    };
    a.to_string()
}

/// The pyrel platform for one maturin build: the `target` (short form or
/// Rust triple), else the runner's native architecture; `manylinux` decides
/// glibc vs musl on Linux.
pub(crate) fn maturin_platform(
    runner_os: Option<RunnerOs>,
    runner_arch: Option<&str>,
    target: Option<&str>,
    manylinux: Option<&str>,
    python_arch: Option<&str>,
) -> Option<String> {
    let target = target.map(str::trim).filter(|t| !t.is_empty());
    if let Some(t) = target {
        let t = t.to_ascii_lowercase();
        if t.contains("emscripten") || t.starts_with("wasm32") {
            return Some("emscripten".into());
        }
        if t.contains("android") {
            let a = arch(t.split('-').next().unwrap_or(&t), "android");
            return Some(format!("android-{a}"));
        }
        if t.starts_with("universal2") {
            return Some("macos-universal2".into());
        }
        if t.contains('-') {
            // A Rust triple: arch-vendor-os[-env].
            let a = t.split('-').next().unwrap_or("");
            let os = if t.contains("apple-darwin") {
                "macos"
            } else if t.contains("windows") {
                "windows"
            } else if t.contains("musl") {
                "musllinux"
            } else if t.contains("linux") {
                linux_family(manylinux)
            } else {
                return Some(t.clone());
            };
            return Some(format!("{os}-{}", arch(a, os)));
        }
        let os = match runner_os? {
            RunnerOs::Linux => linux_family(manylinux),
            RunnerOs::Windows => "windows",
            RunnerOs::Macos => "macos",
        };
        return Some(format!("{os}-{}", arch(&t, os)));
    }
    let os = runner_os?;
    let native = runner_arch.unwrap_or(match os {
        RunnerOs::Windows => "x64",
        _ => "x86_64",
    });
    Some(match os {
        RunnerOs::Linux => format!("{}-{}", linux_family(manylinux), native),
        RunnerOs::Windows => format!("windows-{}", arch(python_arch.unwrap_or(native), "windows")),
        RunnerOs::Macos => format!("macos-{native}"),
    })
}

fn linux_family(manylinux: Option<&str>) -> &'static str {
    match manylinux {
        Some(m) if m.contains("musllinux") => "musllinux",
        _ => "linux",
    }
}

/// cibuildwheel: the architectures one runner builds (`CIBW_ARCHS*`, or
/// `auto`, which adds the 32-bit variant on x86 Linux and Windows).
pub(crate) fn cibuildwheel_platforms(
    os: RunnerOs,
    native: &str,
    archs: Option<&str>,
    musl: bool,
    glibc: bool,
) -> Vec<String> {
    let archs = archs.unwrap_or("auto");
    let mut list: Vec<String> = Vec::new();
    for a in archs.split([' ', ',']).filter(|s| !s.is_empty()) {
        match a {
            "auto" => {
                list.push(native.to_string());
                match (os, native) {
                    (RunnerOs::Linux, "x86_64") => list.push("i686".into()),
                    (RunnerOs::Windows, "x64") => list.push("x86".into()),
                    _ => {}
                }
            }
            "auto64" | "native" => list.push(native.to_string()),
            "auto32" => match os {
                RunnerOs::Linux => list.push("i686".into()),
                RunnerOs::Windows => list.push("x86".into()),
                RunnerOs::Macos => {}
            },
            other => list.push(other.to_string()),
        }
    }
    let mut out = Vec::new();
    for a in list {
        match os {
            RunnerOs::Linux => {
                let a = arch(&a, "linux");
                if glibc {
                    out.push(format!("linux-{a}"));
                }
                if musl {
                    out.push(format!("musllinux-{a}"));
                }
            }
            RunnerOs::Windows => out.push(format!("windows-{}", arch(&a, "windows"))),
            RunnerOs::Macos => {
                if a == "universal2" {
                    out.push("macos-universal2".into());
                } else {
                    out.push(format!("macos-{}", arch(&a, "macos")));
                }
            }
        }
    }
    out
}

/// A platform name made only of what the vocabulary is made of: never a
/// leftover `${{ }}`, a space or a quote.
pub(crate) fn is_clean(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 64
        && p.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// The platform of a cibuildwheel build identifier (`cp312-manylinux_x86_64`,
/// `pp310-win_amd64`, `cp313-macosx_arm64`).
pub(crate) fn cibuildwheel_identifier(id: &str) -> Option<String> {
    let (_, plat) = id.split_once('-')?;
    let plat = plat.to_ascii_lowercase();
    let p = if let Some(a) = plat.strip_prefix("manylinux_") {
        format!("linux-{}", arch(a, "linux"))
    } else if let Some(a) = plat.strip_prefix("musllinux_") {
        format!("musllinux-{}", arch(a, "linux"))
    } else if let Some(a) = plat.strip_prefix("win_") {
        format!("windows-{}", arch(a, "windows"))
    } else if plat == "win32" {
        "windows-x86".to_string()
    } else if let Some(a) = plat.strip_prefix("macosx_") {
        format!(
            "macos-{}",
            if a == "universal2" {
                "universal2".into()
            } else {
                arch(a, "macos")
            }
        )
    } else {
        return None;
    };
    is_clean(&p).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_maturin_generate_ci_rows() {
        let l = Some(RunnerOs::Linux);
        assert_eq!(
            maturin_platform(l, None, Some("x86"), Some("auto"), None).unwrap(),
            "linux-i686"
        );
        assert_eq!(
            maturin_platform(l, None, Some("x86"), Some("musllinux_1_2"), None).unwrap(),
            "musllinux-i686"
        );
        assert_eq!(
            maturin_platform(l, None, Some("aarch64-linux-android"), None, None).unwrap(),
            "android-aarch64"
        );
        assert_eq!(
            maturin_platform(l, None, Some("wasm32-unknown-emscripten"), None, None).unwrap(),
            "emscripten"
        );
        let w = Some(RunnerOs::Windows);
        assert_eq!(
            maturin_platform(w, None, Some("x86"), None, None).unwrap(),
            "windows-x86"
        );
        assert_eq!(
            maturin_platform(w, None, Some("x64"), None, None).unwrap(),
            "windows-x64"
        );
        assert_eq!(
            maturin_platform(w, Some("x64"), None, None, Some("x86")).unwrap(),
            "windows-x86"
        );
        assert_eq!(
            maturin_platform(
                Some(RunnerOs::Macos),
                None,
                Some("universal2-apple-darwin"),
                None,
                None
            )
            .unwrap(),
            "macos-universal2"
        );
        assert_eq!(
            maturin_platform(None, None, Some("riscv64gc-unknown-linux-gnu"), None, None).unwrap(),
            "linux-riscv64"
        );
        assert_eq!(runner("macos-13").unwrap(), (RunnerOs::Macos, "x86_64"));
        assert_eq!(
            runner("macos-latest").unwrap(),
            (RunnerOs::Macos, "aarch64")
        );
        assert_eq!(
            runner("ubuntu-24.04-arm").unwrap(),
            (RunnerOs::Linux, "aarch64")
        );
    }

    #[test]
    fn cibuildwheel_auto_adds_32_bit() {
        assert_eq!(
            cibuildwheel_platforms(RunnerOs::Linux, "x86_64", None, true, true),
            [
                "linux-x86_64",
                "musllinux-x86_64",
                "linux-i686",
                "musllinux-i686"
            ]
        );
        assert_eq!(
            cibuildwheel_platforms(RunnerOs::Windows, "x64", Some("AMD64 ARM64"), false, true),
            ["windows-x64", "windows-aarch64"]
        );
    }
}
