//! The interactive `init`, driven for real: the binary runs in a
//! pseudo-terminal and the test answers dialoguer's prompts with key presses.

mod common;

use std::process::Command;

use common::Repo;
use rexpect::session::{spawn_command, PtySession};

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";

fn spawn(repo: &Repo, args: &[&str]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pyrel"));
    cmd.args(args).current_dir(repo.path()).env("TERM", "xterm");
    spawn_command(cmd, Some(20_000)).expect("spawn pyrel in a pty")
}

fn key(p: &mut PtySession, keys: &str) {
    p.send(keys).unwrap();
    p.flush().unwrap();
}

/// Wait for a prompt, then press keys.
fn answer(p: &mut PtySession, prompt: &str, keys: &str) {
    p.exp_string(prompt)
        .unwrap_or_else(|e| panic!("waiting for {prompt:?}: {e}"));
    // Let the widget finish drawing before typing.
    std::thread::sleep(std::time::Duration::from_millis(150));
    key(p, keys);
}

fn exit_code(p: &mut PtySession) -> i32 {
    match p.process().wait().unwrap() {
        rexpect::process::WaitStatus::Exited(_, code) => code,
        other => panic!("pyrel did not exit normally: {other:?}"),
    }
}

#[test]
fn interactive_init_takes_changed_answers_and_remembers_them() {
    let repo = Repo::fixture("abi3");
    let mut p = spawn(&repo, &["init"]);
    p.exp_string("pyrel found").unwrap();
    p.exp_string("abi3-demo").unwrap();
    p.exp_string("cp39").unwrap();
    // Deselect linux-aarch64 (second item).
    answer(
        &mut p,
        "Platforms to build wheels for",
        &format!("{DOWN} {ENTER}"),
    );
    answer(&mut p, "Publish when", ENTER);
    answer(&mut p, "Release tag prefix", ENTER);
    answer(
        &mut p,
        "Authenticate to PyPI with",
        &format!("{DOWN}{ENTER}"),
    );
    answer(
        &mut p,
        "holding the PyPI token",
        &format!("MY_PYPI_TOKEN{ENTER}"),
    );
    answer(&mut p, "publishes to TestPyPI", ENTER);
    answer(&mut p, "holding the TestPyPI token", ENTER);
    answer(&mut p, "Smoke-test command", ENTER);
    answer(&mut p, "Attach the built distributions", ENTER);
    answer(&mut p, "Where to write the release workflow", ENTER);
    answer(&mut p, "Where to write the maintainer docs", ENTER);
    p.exp_string("pyrel will write").unwrap();
    answer(&mut p, "Write these files?", ENTER);
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&mut p), 0);

    let py = repo.read("pyproject.toml");
    assert!(!py.contains("\"linux-aarch64\""), "{py}");
    assert!(py.contains("\"linux-x86_64\""), "{py}");
    assert!(py.contains("publish = \"token\""), "{py}");
    assert!(py.contains("token-secret = \"MY_PYPI_TOKEN\""), "{py}");
    let wf = repo.read(".github/workflows/release.yml");
    assert!(wf.contains("secrets.MY_PYPI_TOKEN"));
    assert!(!wf.contains("platform: \"linux-aarch64\""));
    assert!(wf.contains("platform: \"musllinux-aarch64\""));
    assert!(repo
        .read("RELEASING.md")
        .contains("gh secret set MY_PYPI_TOKEN"));

    // A second run starts from the saved answers; Ctrl-C writes nothing.
    let before = repo.tree();
    let mut p = spawn(&repo, &["init"]);
    answer(&mut p, "Platforms to build wheels for", ENTER);
    answer(&mut p, "Publish when", ENTER);
    answer(&mut p, "Release tag prefix", ENTER);
    answer(&mut p, "Authenticate to PyPI with", ENTER);
    p.exp_string("MY_PYPI_TOKEN").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').unwrap();
    p.exp_eof().unwrap();
    assert_eq!(before, repo.tree(), "Ctrl-C changed files");
}

#[test]
fn no_terminal_behaves_like_yes() {
    let a = Repo::fixture("mixed");
    let b = Repo::fixture("mixed");
    a.pyrel(&["init"]).expect(0); // stdin is /dev/null in the harness
    b.pyrel(&["init", "--yes"]).expect(0);
    assert_eq!(a.tree(), b.tree());
}

/// Drive `init` through every prompt with Enter, up to the confirmation.
fn accept_all_until_confirm(p: &mut PtySession) {
    for prompt in [
        "Platforms to build wheels for",
        "Publish when",
        "Release tag prefix",
        "Authenticate to PyPI with",
        "publishes to TestPyPI",
        "Smoke-test command",
        "Attach the built distributions",
        "Where to write the release workflow",
        "Where to write the maintainer docs",
    ] {
        answer(p, prompt, ENTER);
    }
    p.exp_string("Write these files?").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
}

#[test]
fn a_file_changed_at_the_confirmation_is_not_lost() {
    let repo = Repo::fixture("abi3");
    let mut p = spawn(&repo, &["init"]);
    accept_all_until_confirm(&mut p);
    // Someone edits pyproject.toml while pyrel waits for the answer.
    let edited = format!("{}\n# my edit\n", repo.read("pyproject.toml"));
    repo.write("pyproject.toml", &edited);
    let before = repo.tree();
    key(&mut p, ENTER);
    p.exp_string("pyproject.toml").unwrap();
    p.exp_string("was changed while pyrel was running").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&mut p), 2);
    assert_eq!(before, repo.tree(), "something was written");
    assert!(repo.read("pyproject.toml").ends_with("# my edit\n"));
}

#[test]
fn an_invalid_answer_is_asked_again_and_named_as_an_answer() {
    let repo = Repo::fixture("abi3");
    let mut p = spawn(&repo, &["init"]);
    answer(&mut p, "Platforms to build wheels for", ENTER);
    answer(&mut p, "Publish when", ENTER);
    // A tag prefix with a space is not a git ref: refused at once, asked again.
    answer(&mut p, "Release tag prefix", &format!("bad prefix{ENTER}"));
    p.exp_string("invalid answer").unwrap();
    p.exp_string("please answer \"Release tag prefix").unwrap();
    // Clear the rejected text, then give a good prefix.
    answer(
        &mut p,
        "Release tag prefix",
        &format!("{}rel-{ENTER}", "\x08".repeat(20)),
    );
    answer(&mut p, "Authenticate to PyPI with", ENTER);
    answer(&mut p, "publishes to TestPyPI", ENTER);
    answer(&mut p, "Smoke-test command", ENTER);
    answer(&mut p, "Attach the built distributions", ENTER);
    answer(&mut p, "Where to write the release workflow", ENTER);
    // The docs may not replace one of pyrel's inputs.
    answer(
        &mut p,
        "Where to write the maintainer docs",
        &format!("{}Cargo.toml{ENTER}", "\x08".repeat(20)),
    );
    p.exp_string("is a file pyrel reads").unwrap();
    answer(
        &mut p,
        "Where to write the maintainer docs",
        &format!("{}docs/RELEASE.md{ENTER}", "\x08".repeat(20)),
    );
    answer(&mut p, "Write these files?", ENTER);
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&mut p), 0);
    let py = repo.read("pyproject.toml");
    assert!(py.contains("tag-prefix = \"rel-\""), "{py}");
    assert!(py.contains("docs = \"docs/RELEASE.md\""), "{py}");
    assert!(repo.path().join("docs/RELEASE.md").is_file());
}

#[test]
fn ctrl_c_in_a_prompt_shows_the_cursor_again() {
    let repo = Repo::fixture("abi3");
    let before = repo.tree();
    let mut p = spawn(&repo, &["init"]);
    answer(&mut p, "Platforms to build wheels for", ENTER);
    // A Select hides the cursor while it is shown (dialoguer draws it
    // after hiding the cursor).
    p.exp_string("Publish when").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send_control('c').unwrap();
    let rest = p.exp_eof().unwrap();
    let shown = rest.rfind("\x1b[?25h");
    let hidden = rest.rfind("\x1b[?25l");
    assert!(
        shown.is_some() && shown > hidden,
        "the cursor was left hidden: {rest:?}"
    );
    assert_eq!(exit_code(&mut p), 130);
    assert_eq!(before, repo.tree(), "Ctrl-C changed files");
}

/// "no, write nothing" at the confirmation: exit 1, not a byte written.
#[test]
fn no_at_the_confirmation_writes_nothing() {
    let repo = Repo::fixture("abi3");
    let before = repo.tree();
    let mut p = spawn(&repo, &["init"]);
    accept_all_until_confirm(&mut p);
    // The third item: "no, write nothing".
    key(&mut p, &format!("{DOWN}{DOWN}{ENTER}"));
    p.exp_string("Nothing written.").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(exit_code(&mut p), 1);
    assert_eq!(before, repo.tree(), "answering no changed files");
}

/// Started with standard output closed, pyrel has it open on `/dev/null`
/// while it runs (seen in `/proc` while it waits at a prompt), so no file
/// it opens can take descriptor 1. On Linux `main` is a C `main`
/// (`src/main.rs`) that must do this itself, as std's runtime would.
#[cfg(target_os = "linux")]
#[test]
fn a_closed_stdout_is_reopened_on_dev_null() {
    let repo = Repo::fixture("abi3");
    let mut cmd = Command::new("sh");
    cmd.args([
        "-c",
        "echo \"pid=$$.\"; exec \"$0\" init 1>&-",
        env!("CARGO_BIN_EXE_pyrel"),
    ])
    .current_dir(repo.path())
    .env("TERM", "xterm");
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn pyrel in a pty");
    // `exec`: the shell's process becomes pyrel's.
    p.exp_string("pid=").unwrap();
    let pid = p.exp_string(".").unwrap();
    p.exp_string("Platforms to build wheels for").unwrap();
    let stdout = std::fs::read_link(format!("/proc/{pid}/fd/1"));
    p.process_mut().exit().unwrap();
    assert!(pid.chars().all(|c| c.is_ascii_digit()), "{pid:?}");
    assert_eq!(stdout.unwrap(), std::path::Path::new("/dev/null"));
}
