//! A contributor's clone of a fork: `origin` is the fork (another owner),
//! with or without an `upstream` remote naming the project. The repository
//! identity comes from the project's settings, so `generate --check` passes
//! and nothing changes; a remote that is not on GitHub is told plainly what
//! pyrel generates.

mod common;

use common::Repo;

const PROJECT: &str = "https://github.com/pyrel-fixtures/abi3.git";
const FORK: &str = "git@github.com:a-contributor/abi3-fork.git";

fn remotes(repo: &Repo, remotes: &[(&str, &str)]) {
    let mut config = String::from("[core]\n\trepositoryformatversion = 0\n");
    for (name, url) in remotes {
        config.push_str(&format!(
            "[remote \"{name}\"]\n\turl = {url}\n\tfetch = +refs/heads/*:refs/remotes/{name}/*\n"
        ));
    }
    repo.write(".git/config", &config);
}

/// `generate --check` and `doctor` pass, and no file changes, in each fork
/// layout; `generate` writes nothing either.
fn assert_fork_is_not_drift(repo: &Repo, layouts: &[&[(&str, &str)]]) {
    for layout in layouts {
        remotes(repo, layout);
        let before = repo.tree();
        let run = repo.pyrel(&["generate", "--check"]);
        run.expect(0);
        assert!(
            run.stderr().contains("generated files are up to date"),
            "{layout:?}: {}",
            run.stderr()
        );
        repo.pyrel(&["generate", "--dry-run"]).expect(0);
        let run = repo.pyrel(&["generate"]);
        run.expect(0);
        assert!(
            !run.stderr().contains("updated"),
            "{layout:?}: {}",
            run.stderr()
        );
        assert_eq!(before, repo.tree(), "{layout:?} changed files");
        let doctor = repo.pyrel(&["doctor"]);
        assert!(
            !doctor.stdout().contains("generated"),
            "{layout:?}: {}",
            doctor.stdout()
        );
    }
}

#[test]
fn a_fork_clone_of_a_configured_repository_is_not_drift() {
    let repo = Repo::fixture("abi3");
    remotes(&repo, &[("origin", PROJECT)]);
    repo.pyrel(&["init", "--yes"]).expect(0);
    // init saved the identity it read from the remote.
    assert!(
        repo.read("pyproject.toml")
            .contains("repository = \"pyrel-fixtures/abi3\""),
        "{}",
        repo.read("pyproject.toml")
    );
    assert!(repo.read("RELEASING.md").contains("pyrel-fixtures"));
    assert_fork_is_not_drift(
        &repo,
        &[
            &[("origin", FORK)],
            &[("origin", FORK), ("upstream", PROJECT)],
            &[("upstream", PROJECT), ("origin", FORK)],
            &[],
        ],
    );
    assert!(!repo.read("RELEASING.md").contains("a-contributor"));
}

/// A repository configured before the identity was saved (no `repository`
/// key): an `upstream` remote wins over the fork's `origin`.
#[test]
fn upstream_wins_over_origin_when_nothing_is_saved() {
    let repo = Repo::fixture("abi3");
    remotes(&repo, &[("origin", PROJECT)]);
    repo.pyrel(&["init", "--yes"]).expect(0);
    let py = repo
        .read("pyproject.toml")
        .replace("repository = \"pyrel-fixtures/abi3\"\n", "");
    assert!(!py.contains("repository ="), "{py}");
    repo.write("pyproject.toml", &py);
    assert_fork_is_not_drift(&repo, &[&[("origin", FORK), ("upstream", PROJECT)]]);
    // Without upstream, the fork's origin is all there is: drift, named.
    remotes(&repo, &[("origin", FORK)]);
    let run = repo.pyrel(&["generate", "--check"]);
    run.expect(1);
    assert!(run.stdout().contains("a-contributor"), "{}", run.stdout());
}

/// `[project.urls]` names the repository for every clone: nothing is saved,
/// and no remote is needed.
#[test]
fn project_urls_name_the_repository() {
    let repo = Repo::fixture("abi3");
    let py = repo.read("pyproject.toml").replacen(
        "[project]\n",
        "[project]\nurls = { Repository = \"https://github.com/declared/abi3\" }\n",
        1,
    );
    repo.write("pyproject.toml", &py);
    remotes(&repo, &[("origin", FORK)]);
    repo.pyrel(&["init", "--yes"]).expect(0);
    assert!(!repo.read("pyproject.toml").contains("repository ="));
    assert!(repo.read("RELEASING.md").contains("`declared`"));
    assert_fork_is_not_drift(&repo, &[&[("origin", PROJECT)], &[]]);
}

/// An origin on GitLab: init says what pyrel generates and what to adapt,
/// and a refusal's hint names options the command has.
#[test]
fn a_remote_elsewhere_gets_a_clear_statement() {
    let repo = Repo::fixture("abi3");
    remotes(
        &repo,
        &[(
            "origin",
            "https://deploy:glpat-SECRET@gitlab.com/acme/abi3.git",
        )],
    );
    let run = repo.pyrel(&["init", "--yes"]);
    run.expect(2);
    let err = run.stderr();
    assert!(err.contains("is on gitlab.com, not GitHub"), "{err}");
    assert!(err.contains("GitHub Actions workflow"), "{err}");
    assert!(!err.contains("SECRET") && !err.contains("deploy"), "{err}");
    assert!(err.contains("--repository OWNER/REPO"), "{err}");
    let inspect = repo.pyrel(&["inspect"]);
    inspect.expect(0);
    assert!(
        inspect.stdout().contains("is on gitlab.com, not GitHub"),
        "{}",
        inspect.stdout()
    );
    repo.pyrel(&["init", "--yes", "--repository", "acme/abi3"])
        .expect(0);
    assert!(repo
        .read("pyproject.toml")
        .contains("repository = \"acme/abi3\""));
    repo.pyrel(&["generate", "--check"]).expect(0);
}

/// `release` has no --repository: its refusal for a missing identity names
/// the `[tool.pyrel]` key (and init's flag as init's), not an option it lacks.
#[test]
fn release_hints_name_what_release_has() {
    let repo = Repo::fixture("abi3");
    repo.pyrel(&["init", "--yes"]).expect(0);
    let py = repo
        .read("pyproject.toml")
        .replace("repository = \"pyrel-fixtures/abi3\"\n", "");
    repo.write("pyproject.toml", &py);
    remotes(&repo, &[("origin", "https://gitlab.com/acme/abi3.git")]);
    let run = repo.pyrel(&["release", "--dry-run"]);
    run.expect(2);
    let err = run.stderr();
    assert!(
        err.contains("set `repository = \"OWNER/REPO\"` in [tool.pyrel]"),
        "{err}"
    );
    assert!(!err.contains("pass --repository"), "{err}");
}
