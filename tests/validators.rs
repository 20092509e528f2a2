//! Every workflow the suite can generate goes through the real validators:
//! actionlint must report nothing, and zizmor (auditor persona, offline) must
//! report zero findings. The only suppression pyrel ever writes is
//! `use-trusted-publishing` on the token line when the user chose tokens.

mod common;

use std::path::PathBuf;

use common::{package_subdir, Repo, FIXTURES};

/// (fixture, flags) pairs covering every template branch.
fn configurations() -> Vec<(&'static str, Vec<&'static str>)> {
    let mut out: Vec<(&'static str, Vec<&'static str>)> =
        FIXTURES.iter().map(|f| (*f, vec![])).collect();
    out.extend([
        (
            "abi3",
            vec![
                "--publish", "token", "--token-secret", "PYPI_API_TOKEN", "--trigger", "tag",
                "--tag-prefix", "py-v", "--github-release", "--no-testpypi",
            ],
        ),
        ("abi3", vec!["--publish", "token", "--testpypi", "--github-release"]),
        (
            "mixed",
            vec![
                "--platforms",
                "linux-x86_64,linux-aarch64,linux-armv7,linux-ppc64le,linux-s390x,linux-i686,musllinux-x86_64,musllinux-aarch64,musllinux-armv7,windows-x64,windows-x86,windows-aarch64,macos-x86_64,macos-aarch64,macos-universal2",
                "--manylinux", "2_28", "--trigger", "tag", "--github-release",
            ],
        ),
        (
            "bin",
            vec![
                "--smoke-test", "hello-bin --help | grep -q 'usage: #'\necho \"ok: ${HOME}\"",
                "--no-testpypi", "--platforms", "linux-x86_64",
            ],
        ),
        ("workspace", vec!["--publish", "token", "--environment", "release"]),
        (
            "abi3",
            vec![
                "--platforms",
                "linux-x86_64,linux-i686,linux-ppc64,linux-riscv64,musllinux-i686,windows-x64,windows-x86,windows-aarch64,macos-aarch64,android-aarch64,android-x86_64,emscripten",
                "--free-threaded", "--pypy", "--github-release", "--maturin-args", "--features fast",
            ],
        ),
        ("mixed", vec!["--pypy", "--no-free-threaded", "--platforms", "linux-x86_64,macos-aarch64,windows-x64,emscripten"]),
        (
            "mixed",
            vec![
                "--maturin-args", "--locked --strip",
                "--before-script-linux", "yum install -y openssl-devel || apk add openssl-dev\necho \"# done: ok\"",
            ],
        ),
        (
            "strust-abi3",
            vec![
                "--platforms",
                "linux-x86_64,linux-aarch64,linux-i686,musllinux-x86_64,musllinux-aarch64,musllinux-i686,windows-x64,windows-x86,windows-aarch64,macos-x86_64,macos-aarch64,macos-universal2",
                "--manylinux", "2_28", "--pypy", "--trigger", "tag",
                "--github-release", "--test-command", "python -c 'import strust_abi3; assert strust_abi3.double(2) == 4'",
            ],
        ),
        // Pull-request and weekly builds off, or with the user's own paths.
        ("abi3", vec!["--no-pull-requests", "--no-weekly-build", "--github-release"]),
        (
            "hatch",
            vec!["--pull-request-paths", "src/**,!docs/**,tests/*.py", "--no-weekly-build", "--publish", "token"],
        ),
        ("bin", vec!["--no-pull-requests", "--trigger", "tag", "--github-release"]),
        // Per-row manylinux policies (cross targets without a 2_34 image),
        // test requirements, the Windows smoke venv, non-abi3 Android.
        (
            "mixed",
            vec![
                "--manylinux", "2_34", "--platforms",
                "linux-x86_64,linux-armv7,linux-riscv64,linux-ppc64,windows-x64,macos-x86_64,android-aarch64",
                "--test-command", "pytest -q", "--test-requires", "pytest hypothesis>=6",
            ],
        ),
        (
            "strust-abi3",
            vec!["--test-command", "pytest -q", "--test-requires", "pytest", "--manylinux", "2_34"],
        ),
        (
            "strust-setup-py",
            vec![
                "--publish", "token", "--pypy", "--free-threaded", "--manylinux", "2014",
                "--smoke-test", "python -c \"import strust_setup; print('${HOME}')\"",
            ],
        ),
    ]);
    out
}

fn generate_all() -> Vec<(Repo, PathBuf, bool)> {
    configurations()
        .into_iter()
        .map(|(fixture, flags)| {
            let repo = Repo::fixture(fixture);
            let pkg = package_subdir(fixture);
            let mut args = vec!["init", pkg, "--yes"];
            args.extend(flags.iter().copied());
            let workflow_flag = flags.iter().position(|f| *f == "--workflow");
            assert!(workflow_flag.is_none());
            let out = repo.pyrel(&args);
            out.expect(0);
            let token = flags.contains(&"token");
            let dir = repo.path().join(".github/workflows");
            let file = std::fs::read_dir(&dir)
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path();
            (repo, file, token)
        })
        .collect()
}

#[test]
#[ignore = "needs actionlint: run scripts/test.sh"]
fn actionlint_reports_nothing() {
    for (_repo, file, _) in &generate_all() {
        common::assert_actionlint(file);
    }
}

#[test]
#[ignore = "needs zizmor: run scripts/test.sh"]
fn zizmor_auditor_reports_zero_findings() {
    for (_repo, file, token) in &generate_all() {
        common::assert_zizmor(file, *token);
    }
}
