//! Terminal conventions: completions that load in their shells, man pages,
//! examples at the end of every `--help`, and `--color`/`NO_COLOR`.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::Repo;

fn pyrel(args: &[&str]) -> common::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_pyrel"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    common::Run(out)
}

/// Feed `script` to `shell args...` on stdin; it must exit 0 with no output.
fn syntax_check(shell: &str, args: &[&str], script: &str) {
    let mut child = Command::new(shell)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{shell} not found ({e}): run scripts/setup-tools.sh"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{shell} {args:?} rejects the completion script:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every command of pyrel; `every_command_is_listed` keeps it equal to what
/// `pyrel --help` lists, so a new command cannot miss the checks below.
const COMMANDS: [&str; 10] = [
    "inspect",
    "init",
    "doctor",
    "plan",
    "generate",
    "bump",
    "release",
    "completions",
    "man",
    "schema",
];

#[test]
fn every_command_is_listed() {
    let help = pyrel(&["--help"]);
    help.expect(0);
    let text = help.stdout();
    let section = text
        .split_once("Commands:\n")
        .and_then(|(_, rest)| rest.split_once("\n\n"))
        .map(|(commands, _)| commands)
        .unwrap_or_else(|| panic!("no Commands section:\n{text}"));
    let listed: Vec<&str> = section
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert_eq!(listed, COMMANDS);
}

fn completion(shell: &str) -> String {
    let run = pyrel(&["completions", shell]);
    run.expect(0);
    let text = run.stdout();
    // Every command and a nested flag are completed.
    for word in COMMANDS
        .iter()
        .copied()
        .chain(["tag-prefix", "allow-downgrade", "from-file"])
    {
        assert!(text.contains(word), "{shell} completion lacks {word}");
    }
    text
}

#[test]
fn bash_completion_loads_and_completes() {
    let script = completion("bash");
    syntax_check("bash", &["-n"], &script);
    // Source it for real and ask for completions of `pyrel gen`.
    let probe = format!(
        "{script}\nCOMP_WORDS=(pyrel gen); COMP_CWORD=1; COMP_LINE='pyrel gen'; COMP_POINT=9\n\
         _pyrel pyrel gen pyrel\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &probe])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "generate");
}

#[test]
fn other_shells_are_generated() {
    for shell in ["powershell", "elvish"] {
        completion(shell);
    }
    pyrel(&["completions", "tcsh"]).expect(2);
}

#[test]
#[ignore = "needs zsh and fish: run scripts/test.sh (setup-tools installs them)"]
fn zsh_and_fish_completions_load() {
    syntax_check("zsh", &["-n"], &completion("zsh"));
    syntax_check("fish", &["--no-execute"], &completion("fish"));
}

#[test]
fn man_pages_cover_every_command() {
    let top = pyrel(&["man"]);
    top.expect(0);
    let text = top.stdout();
    assert!(text.contains(".TH pyrel 1"), "{text}");
    for sub in COMMANDS {
        assert!(
            text.contains(&format!("pyrel\\-{sub}(1)")),
            "{sub} missing from:\n{text}"
        );
        let page = pyrel(&["man", sub]);
        page.expect(0);
        assert!(page.stdout().contains(&format!(".TH pyrel-{sub} 1")));
        assert!(
            page.stdout().contains("\\-\\-color"),
            "{sub}: global flag missing"
        );
        assert!(page.stdout().contains("Examples:"), "{sub}: no examples");
    }
    assert!(pyrel(&["man", "init"])
        .stdout()
        .contains("\\-\\-tag\\-prefix"));
    let bad = pyrel(&["man", "nope"]);
    bad.expect(2);
    assert!(bad.stderr().contains("\"nope\""), "{}", bad.stderr());
}

#[test]
fn every_help_ends_with_examples() {
    let mut commands = vec![vec![]];
    for sub in COMMANDS {
        commands.push(vec![sub]);
    }
    for cmd in commands {
        for help in ["--help", "-h"] {
            let mut args = cmd.clone();
            args.push(help);
            let run = pyrel(&args);
            run.expect(0);
            let text = run.stdout();
            let (_, tail) = text
                .rsplit_once("Examples:\n")
                .unwrap_or_else(|| panic!("{args:?}: no examples:\n{text}"));
            let lines: Vec<&str> = tail.lines().filter(|l| !l.trim().is_empty()).collect();
            assert!(
                (2..=3).contains(&lines.len()) && lines.iter().all(|l| l.starts_with("  pyrel ")),
                "{args:?}: examples must end the help, 2-3 `pyrel` lines:\n{tail}"
            );
        }
    }
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes"]).expect(0);
    let py = repo
        .read("pyproject.toml")
        .replace("tag-prefix = \"v\"", "tag-prefix = \"r\"");
    repo.write("pyproject.toml", &py);
    let diff = |args: &[&str], no_color: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pyrel"));
        cmd.args(args)
            .current_dir(repo.path())
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).unwrap()
    };
    let colored = diff(&["generate", "--diff", "--color", "always"], None);
    assert!(colored.contains("\x1b[32m+"), "{colored}");
    assert!(colored.contains("\x1b[31m-"), "{colored}");
    // `always` beats NO_COLOR; `auto` off a terminal and `never` print plain text.
    assert!(diff(&["--color=always", "generate", "--diff"], Some("1")).contains("\x1b["));
    let plain = diff(&["generate", "--diff"], None);
    assert!(!plain.contains('\x1b') && plain.contains("+          TAG_PREFIX: \"r\""));
    assert!(!diff(&["generate", "--diff", "--color", "never"], None).contains('\x1b'));
    pyrel(&["--color", "sometimes", "inspect"]).expect(2);
}

/// On Linux the executable is linked at a fixed address (build.rs says
/// why): an ELF `ET_EXEC`, not a position-independent `ET_DYN` the loader
/// must relocate at every start. A toolchain that drops the flag fails here
/// rather than silently adding a millisecond to every run.
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
#[test]
fn the_executable_needs_no_relocation_at_start() {
    let elf = std::fs::read(env!("CARGO_BIN_EXE_pyrel")).unwrap();
    assert_eq!(&elf[..4], b"\x7fELF");
    let e_type = u16::from_le_bytes([elf[16], elf[17]]);
    assert_eq!(
        e_type, 2,
        "ET_EXEC expected, found e_type {e_type} (3 is a PIE)"
    );
}

/// `build.rs` links the unwinder from `libgcc_eh.a` when the C compiler
/// names it, so that `libgcc_s.so.1` (and its start-up `cpuid`s) is not
/// loaded at every start; where the compiler does not, the executable still
/// builds and asks for the shared library. Either way this says which.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_unwinder_is_linked_in_when_the_compiler_has_it() {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let has_archive = |name: &str| {
        std::process::Command::new(&cc)
            .arg(format!("-print-file-name={name}"))
            .output()
            .is_ok_and(|o| {
                std::path::Path::new(String::from_utf8_lossy(&o.stdout).trim()).is_absolute()
            })
    };
    let static_unwinder = has_archive("libgcc_eh.a") && has_archive("libgcc.a");
    let elf = std::fs::read(env!("CARGO_BIN_EXE_pyrel")).unwrap();
    let needs_shared = memchr::memmem::find(&elf, b"libgcc_s.so.1").is_some();
    assert_eq!(
        needs_shared, !static_unwinder,
        "libgcc_eh.a found: {static_unwinder}; executable names libgcc_s.so.1: {needs_shared}"
    );
}
