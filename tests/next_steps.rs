//! After `init` writes its files it prints what only the maintainer can do,
//! with the exact values: the publisher to register (or the token secrets),
//! the environments to create, how to try a run. Nothing after a dry run or
//! a refusal.

mod common;

use common::Repo;

fn next_steps(stderr: &str) -> String {
    let at = stderr
        .find("\nNext steps")
        .unwrap_or_else(|| panic!("no next steps:\n{stderr}"));
    stderr[at + 1..].to_string()
}

#[test]
fn init_prints_next_steps_with_exact_values() {
    let repo = Repo::bare_fixture("abi3");
    let run = repo.pyrel(&["init", "--yes", "--repository", "acme/widget"]);
    run.expect(0);
    let text = next_steps(&run.stderr());
    snapshot!("next-steps__trusted", text);
    for line in [
        "PyPI project name  abi3-demo",
        "Owner              acme",
        "Repository name    widget",
        "Workflow name      release.yml",
        "Environment name   pypi",
        "with environment name testpypi",
        "https://github.com/acme/widget/settings/environments",
        "gh workflow run release.yml -f publish=testpypi",
    ] {
        assert!(text.contains(line), "missing {line:?}:\n{text}");
    }

    let repo = Repo::fixture("workspace");
    let run = repo.pyrel(&[
        "init",
        "crates/wsdemo-py",
        "--yes",
        "--publish",
        "token",
        "--trigger",
        "tag",
        "--no-testpypi",
    ]);
    run.expect(0);
    let text = next_steps(&run.stderr());
    snapshot!("next-steps__token-subdir", text);
    assert!(
        text.contains(
            "gh secret set PYPI_API_TOKEN --env pypi-wsdemo --repo pyrel-fixtures/workspace"
        ),
        "{text}"
    );
    assert!(!text.contains("TestPyPI"), "{text}");

    // A dry run or a refusal writes nothing and has no next steps.
    let dry = repo.pyrel(&["init", "crates/wsdemo-py", "--yes", "--dry-run"]);
    dry.expect(0);
    assert!(!dry.stderr().contains("Next steps"));
}
