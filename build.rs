//! Start-up cost of the `pyrel` executable on Linux: pyrel runs on every
//! commit (`generate --check` in pre-commit and CI) and its budget is a few
//! milliseconds, measured on the 2-core CI machines (`scripts/bench.sh`).
//! Two link choices, each worth a few tenths of a millisecond per run there:
//!
//! 1. **Fixed-position (non-PIE) executable** (GNU and musl toolchains). A
//!    position-independent executable is relocated by the dynamic loader at
//!    every start: about 14,500 pointers in 270 KB of `.data.rel.ro`, every
//!    one of those pages copied on write before `main`, about 1 ms of kernel
//!    time per run. What it costs: the executable's own code and data sit at
//!    a fixed address; the stack, heap, memory maps and shared libraries are
//!    still randomized. Go links its Linux executables this way by default.
//!
//! 2. **The unwinder linked in, not loaded** (GNU only): std asks for
//!    `libgcc_s.so.1`, whose start-up code queries the processor with ten
//!    `cpuid` instructions. In a virtual machine each one exits to the
//!    hypervisor (6 µs each here), and loading the library costs as much
//!    again. The same unwinder exists as a static archive (`libgcc_eh.a`,
//!    what Rust itself links for `+crt-static` executables): a one-line
//!    linker script named `libgcc_s.so`, found first, points the linker at
//!    it. Only when the C compiler knows where that archive is; otherwise
//!    the link is the usual one, as it is for a cross build.
//!
//! Both apply to the executables only (`[[bin]]`, the tests' binaries); the
//! library target is unaffected.
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CC");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && (env == "gnu" || env == "musl") {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
    // Native builds only: a cross build's C compiler is not `cc`.
    let native = std::env::var("HOST").ok() == std::env::var("TARGET").ok();
    if os == "linux" && env == "gnu" && native {
        if let Some(script_dir) = static_unwinder() {
            println!("cargo::rustc-link-search=native={}", script_dir.display());
        }
    }
}

/// A directory holding `libgcc_s.so`, a linker script that links the static
/// `libgcc_eh.a` and `libgcc.a` instead; `None` when the C compiler does not
/// name both archives.
fn static_unwinder() -> Option<PathBuf> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let archive = |name: &str| -> Option<PathBuf> {
        let out = Command::new(&cc)
            .arg(format!("-print-file-name={name}"))
            .output()
            .ok()?;
        let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
        // An unknown file is printed back as its bare name.
        (path.is_absolute() && path.is_file()).then_some(path)
    };
    let (eh, gcc) = (archive("libgcc_eh.a")?, archive("libgcc.a")?);
    let quote = |p: &PathBuf| {
        let p = p.to_str()?;
        (!p.contains('"')).then(|| format!("\"{p}\""))
    };
    let dir = PathBuf::from(std::env::var_os("OUT_DIR")?).join("static-unwinder");
    std::fs::create_dir_all(&dir).ok()?;
    let script = format!("GROUP({} {})\n", quote(&eh)?, quote(&gcc)?);
    std::fs::write(dir.join("libgcc_s.so"), script).ok()?;
    Some(dir)
}
