//! Dependabot and pyrel's pins live together: a generated workflow whose
//! action pins were moved forward (same action, another full SHA, a newer
//! version comment) passes `--check` and survives `generate`; pins older
//! than pyrel's verified data are updated and named; any other edit is still
//! a hand edit. `init` also sets Dependabot up (`.github/dependabot.yml`).

mod common;

use common::Repo;

const WORKFLOW: &str = ".github/workflows/release.yml";
const OTHER_SHA: &str = "0123456789abcdef0123456789abcdef01234567";

/// pyrel's own pin of `action` in a rendered workflow: (sha, version).
fn pin_of(text: &str, action: &str) -> (String, String) {
    let needle = format!("uses: {action}@");
    let line = text.lines().find(|l| l.contains(&needle)).unwrap();
    let rest = line.split_once('@').unwrap().1;
    let (sha, version) = rest.split_once(" # ").unwrap();
    (sha.to_string(), version.to_string())
}

/// Replace every pin of `action`, as Dependabot does.
fn repin(text: &str, action: &str, sha: &str, version: &str) -> String {
    let (old_sha, old_version) = pin_of(text, action);
    let from = format!("{action}@{old_sha} # {old_version}\n");
    assert!(text.matches(&from).count() >= 1);
    text.replace(&from, &format!("{action}@{sha} # {version}\n"))
}

fn fresh() -> Repo {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes"]).expect(0);
    repo
}

#[test]
fn a_dependabot_bump_passes_check_and_survives_generate() {
    let repo = fresh();
    let ours = repo.read(WORKFLOW);
    let bumped = repin(&ours, "actions/checkout", OTHER_SHA, "v99.1.0");
    let bumped = repin(&bumped, "PyO3/maturin-action", OTHER_SHA, "v2.0.0");
    assert!(
        bumped.matches("v99.1.0").count() >= 2,
        "every checkout is bumped"
    );
    repo.write(WORKFLOW, &bumped);

    repo.pyrel(&["generate", "--check"]).expect(0);
    let run = repo.pyrel(&["generate"]);
    run.expect(0);
    assert_eq!(
        repo.read(WORKFLOW),
        bumped,
        "generate reverted Dependabot's pins"
    );
    assert!(!run.stderr().contains("pins updated"), "{}", run.stderr());

    // A config change regenerates the file and still keeps the newer pins.
    let py = repo
        .read("pyproject.toml")
        .replace("tag-prefix = \"v\"", "tag-prefix = \"rel-\"");
    repo.write("pyproject.toml", &py);
    repo.pyrel(&["generate", "--check"]).expect(1);
    repo.pyrel(&["generate"]).expect(0);
    let regenerated = repo.read(WORKFLOW);
    assert!(regenerated.contains("TAG_PREFIX: \"rel-\""));
    assert!(regenerated.contains(&format!("actions/checkout@{OTHER_SHA} # v99.1.0")));
    assert!(regenerated.contains(&format!("PyO3/maturin-action@{OTHER_SHA} # v2.0.0")));
    repo.pyrel(&["generate", "--check"]).expect(0);
}

#[test]
fn pins_older_than_pyrels_data_are_updated_and_named() {
    let repo = fresh();
    let ours = repo.read(WORKFLOW);
    let (_, version) = pin_of(&ours, "actions/checkout");
    let behind = repin(&ours, "actions/checkout", OTHER_SHA, "v1.0.0");
    repo.write(WORKFLOW, &behind);

    let check = repo.pyrel(&["generate", "--check"]);
    check.expect(1);
    let note = format!("actions/checkout v1.0.0 → {version}");
    assert!(check.stderr().contains(&note), "{}", check.stderr());
    assert!(!check.stderr().contains("by hand"), "{}", check.stderr());
    assert_eq!(repo.read(WORKFLOW), behind, "--check wrote");

    let run = repo.pyrel(&["generate"]);
    run.expect(0);
    assert!(run.stderr().contains(&note), "{}", run.stderr());
    assert_eq!(repo.read(WORKFLOW), ours);
}

#[test]
fn every_other_edit_is_still_a_hand_edit() {
    let ours = fresh().read(WORKFLOW);
    let (sha, version) = pin_of(&ours, "actions/checkout");
    let pin = format!("actions/checkout@{sha} # {version}\n");
    let first_comment = ours
        .lines()
        .find(|l| l.trim_start().starts_with("# ") && !l.contains("pyrel-digest"))
        .unwrap()
        .to_string();
    let edits: Vec<(&str, String)> = vec![
        (
            "comment on a non-uses line",
            ours.replacen(&first_comment, &format!("{first_comment} (edited)"), 1),
        ),
        (
            "version comment rewritten on the same SHA",
            ours.replace(&pin, &format!("actions/checkout@{sha} # v99.0.0\n")),
        ),
        (
            "SHA swapped under the same version",
            ours.replace(&pin, &format!("actions/checkout@{OTHER_SHA} # {version}\n")),
        ),
        (
            "version comment dropped",
            ours.replace(&pin, &format!("actions/checkout@{OTHER_SHA}\n")),
        ),
        (
            "short SHA",
            ours.replace(
                &pin,
                &format!("actions/checkout@{} # v99.0.0\n", &OTHER_SHA[..12]),
            ),
        ),
        (
            "tag instead of SHA",
            ours.replace(&pin, "actions/checkout@v99 # v99.0.0\n"),
        ),
        (
            "another action",
            ours.replacen(
                &pin,
                &format!("actions/checkoutx@{OTHER_SHA} # v99.0.0\n"),
                1,
            ),
        ),
        (
            "decorated comment",
            ours.replace(
                &pin,
                &format!("actions/checkout@{OTHER_SHA} # v99.0.0 # mine\n"),
            ),
        ),
        (
            "a step added",
            ours.replacen("    steps:\n", "    steps:\n      - run: echo hi\n", 1),
        ),
    ];
    for (what, text) in edits {
        assert_ne!(text, ours, "{what}: the edit did not apply");
        let repo = fresh();
        repo.write(WORKFLOW, &text);
        let check = repo.pyrel(&["generate", "--check"]);
        check.expect(1);
        assert!(
            check.stderr().contains("edited by hand"),
            "{what}: {}",
            check.stderr()
        );
        repo.pyrel(&["generate"]).expect(1);
        assert_eq!(
            repo.read(WORKFLOW),
            text,
            "{what}: generate overwrote a hand edit"
        );
    }
}

#[test]
fn init_sets_dependabot_up() {
    let repo = fresh();
    let text = repo.read(".github/dependabot.yml");
    assert!(
        text.contains("package-ecosystem: \"github-actions\""),
        "{text}"
    );
    assert!(text.contains("interval: \"weekly\""), "{text}");
    assert!(text.contains("groups:"), "{text}");
    assert!(repo.read("pyproject.toml").contains("dependabot = true"));
    // Once there, it is the maintainer's: edits are kept, not drift.
    repo.write(".github/dependabot.yml", &text.replace("weekly", "daily"));
    repo.pyrel(&["generate", "--check"]).expect(0);

    // An existing file without a github-actions entry gets one, every byte kept.
    let repo = Repo::fixture("abi3");
    let mine = "# ours\nversion: 2\nupdates:\n  - package-ecosystem: \"pip\"  # deps\n    directory: \"/\"\n    schedule:\n      interval: \"monthly\"\n";
    repo.write(".github/dependabot.yml", mine);
    repo.pyrel(&["init", "--yes"]).expect(0);
    let merged = repo.read(".github/dependabot.yml");
    assert!(merged.starts_with(mine), "{merged}");
    assert!(
        merged[mine.len()..].starts_with("  - package-ecosystem: \"github-actions\"\n"),
        "{merged}"
    );
    repo.pyrel(&["generate", "--check"]).expect(0);

    // A file that pyrel cannot extend safely is left alone, with a warning.
    let repo = Repo::fixture("abi3");
    repo.write(".github/dependabot.yml", "version: 2\nupdates: []\n");
    let run = repo.pyrel(&["init", "--yes"]);
    run.expect(0);
    assert!(
        run.stderr().contains("cannot add one safely"),
        "{}",
        run.stderr()
    );
    assert_eq!(
        repo.read(".github/dependabot.yml"),
        "version: 2\nupdates: []\n"
    );

    // Broken YAML is bad input: exit 2, nothing written.
    let repo = Repo::fixture("abi3");
    repo.write(".github/dependabot.yml", "updates: [\n");
    let before = repo.tree();
    let run = repo.pyrel(&["init", "--yes"]);
    run.expect(2);
    assert!(
        run.stderr().contains(".github/dependabot.yml:"),
        "{}",
        run.stderr()
    );
    assert_eq!(before, repo.tree());
}

#[test]
fn dependabot_opt_out() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes", "--no-dependabot"]).expect(0);
    assert!(!repo.path().join(".github/dependabot.yml").exists());
    assert!(repo.read("pyproject.toml").contains("dependabot = false"));
    repo.pyrel(&["generate", "--check"]).expect(0);
    repo.pyrel(&["generate"]).expect(0);
    assert!(!repo.path().join(".github/dependabot.yml").exists());
}

/// The file pyrel writes is a valid Dependabot config (the schema vendored by
/// check-jsonschema) and zizmor's Dependabot audits find nothing.
#[test]
#[ignore = "needs check-jsonschema and zizmor: run scripts/test.sh"]
fn dependabot_file_validates() {
    let repo = fresh();
    let file = repo.path().join(".github/dependabot.yml");
    let out = std::process::Command::new(common::tool("check-jsonschema"))
        .args(["--builtin-schema", "vendor.dependabot"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    common::assert_zizmor(&file, false);
}
