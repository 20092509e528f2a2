//! The five publishing setups in the seed guides, each produced by
//! `pyrel init --yes` plus flags only, from a repository shaped like that
//! project: snapshotted, checked for the guide's specifics, and validated.

mod common;

use common::{assert_actionlint, assert_zizmor, shared_target_dir, step, tool, Repo};

struct Seed {
    /// The guide's project; names the snapshots.
    label: &'static str,
    /// The fixture shaped like it.
    name: &'static str,
    /// One `pyrel init <dir> --yes <flags>` per package in the repository.
    packages: &'static [(&'static str, &'static [&'static str])],
}

const SEEDS: &[Seed] = &[
    Seed {
        label: "krasis",
        name: "seed-krasis",
        packages: &[(
            ".",
            &[
                "--platforms", "linux-x86_64", "--publish", "token", "--token-secret",
                "PYPI_API_TOKEN", "--no-testpypi", "--no-smoke-deps", "--smoke-test",
                "python -c 'import krasis; assert callable(krasis.main)'",
            ],
        )],
    },
    Seed {
        label: "flakestorm",
        name: "seed-flakestorm",
        packages: &[
            (".", &["--publish", "token", "--token-secret", "PYPI_TOKEN", "--smoke-test", "python -c 'import flakestorm'"]),
            ("rust", &["--platforms", "linux-x86_64,macos-aarch64,windows-x64", "--publish", "token", "--token-secret", "PYPI_TOKEN"]),
        ],
    },
    Seed {
        label: "edgequake",
        name: "seed-edgequake",
        packages: &[(
            ".",
            &[
                "--platforms",
                "linux-x86_64,linux-aarch64,musllinux-x86_64,macos-x86_64,macos-aarch64,macos-universal2,windows-x64",
                "--trigger", "tag", "--tag-prefix", "py-v", "--environment", "pypi", "--workflow",
                ".github/workflows/python-publish.yml",
            ],
        )],
    },
    Seed {
        label: "budtiktok",
        name: "seed-budtiktok",
        packages: &[(
            "crates/budtiktok-python",
            &[
                "--platforms", "linux-x86_64,linux-aarch64,macos-x86_64,macos-aarch64,windows-x64",
                "--manylinux", "2_28", "--publish", "token", "--token-secret", "PYPI_API_TOKEN",
                "--testpypi-token-secret", "TEST_PYPI_API_TOKEN", "--testpypi", "--workflow",
                ".github/workflows/python-release.yml",
            ],
        )],
    },
    Seed {
        label: "arshai",
        name: "poetry",
        packages: &[(
            ".",
            &[
                "--publish", "token", "--token-secret", "PYPI_TOKEN", "--test-command",
                "python -c 'import arshai_like; assert arshai_like.__version__'",
            ],
        )],
    },
];

fn workflows(repo: &Repo) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(repo.path().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    out.sort();
    out
}

fn generate(seed: &Seed) -> Repo {
    let repo = Repo::fixture(seed.name);
    for (dir, flags) in seed.packages {
        let mut args = vec!["init", dir, "--yes"];
        args.extend(flags.iter().copied());
        repo.pyrel(&args).expect(0);
        repo.pyrel(&["generate", dir, "--check"]).expect(0);
    }
    repo
}

#[test]
fn seeds_are_generated_from_flags_alone() {
    for seed in SEEDS {
        let repo = generate(seed);
        for wf in workflows(&repo) {
            let name = wf.file_name().unwrap().to_string_lossy().into_owned();
            snapshot!(
                format!("seed-{}__{name}", seed.label),
                std::fs::read_to_string(&wf).unwrap()
            );
        }
        for (dir, _) in seed.packages {
            let docs = if *dir == "." {
                "RELEASING.md".to_string()
            } else {
                format!("{dir}/RELEASING.md")
            };
            let key = if *dir == "." {
                "root".to_string()
            } else {
                dir.replace('/', "-")
            };
            snapshot!(
                format!("seed-{}__{key}__RELEASING.md", seed.label),
                repo.read(&docs)
            );
            let plan = repo.pyrel(&["plan", dir, "--json"]);
            plan.expect(0);
            snapshot!(
                format!("seed-{}__{key}__plan.json", seed.label),
                plan.stdout()
            );
            // What would still make this package's first release fail.
            let doctor = repo.pyrel(&["doctor", dir]);
            snapshot!(
                format!("seed-{}__{key}__doctor", seed.label),
                format!("exit {}\n{}", doctor.code(), doctor.stdout())
            );
        }
    }
}

#[test]
fn seed_specifics_hold() {
    let krasis = generate(&SEEDS[0]);
    let wf = krasis.read(".github/workflows/release.yml");
    assert!(wf.contains("secrets.PYPI_API_TOKEN"));
    assert!(!wf.contains("musllinux") && !wf.contains("macos") && !wf.contains("windows"));
    assert!(
        !wf.contains("python -m pip install --find-links"),
        "torch would be installed"
    );

    // flakestorm: two packages, two workflows that don't collide.
    let flake = generate(&SEEDS[1]);
    let names: Vec<String> = workflows(&flake)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["release-flakestorm-rust.yml", "release.yml"]);
    let rust = flake.read(".github/workflows/release-flakestorm-rust.yml");
    assert!(rust.contains("TAG_PREFIX: \"flakestorm-rust-v\""));
    assert!(rust.contains("name: \"pypi-flakestorm-rust\""));
    assert!(rust.contains("working-directory: \"rust\""));
    assert!(flake.read("RELEASING.md") != flake.read("rust/RELEASING.md"));
    // A release of one package skips the other's workflow: every root job
    // (the ones that need nothing; all others need them) carries its prefix.
    for (file, prefix) in [
        ("release.yml", "'v'"),
        ("release-flakestorm-rust.yml", "'flakestorm-rust-v'"),
    ] {
        let wf: serde_yaml::Value =
            serde_yaml::from_str(&flake.read(&format!(".github/workflows/{file}"))).unwrap();
        let jobs = wf["jobs"].as_mapping().unwrap();
        let roots: Vec<&serde_yaml::Value> =
            jobs.values().filter(|j| j.get("needs").is_none()).collect();
        assert!(!roots.is_empty());
        for job in roots {
            assert_eq!(
                job["if"].as_str(),
                Some(
                    format!(
                        "github.event_name != 'release' || startsWith(github.event.release.tag_name, {prefix})"
                    )
                    .as_str()
                ),
                "{file}"
            );
        }
        for (id, job) in jobs {
            if job.get("needs").is_some() {
                // Skipped dependencies skip the job, unless it overrides that.
                let cond = job["if"].as_str().unwrap_or("");
                assert!(
                    !cond.contains("always()") && !cond.contains("!cancelled()"),
                    "{file}: {id:?} would run after a skipped preflight"
                );
            }
        }
    }

    let eq = generate(&SEEDS[2]);
    let wf = eq.read(".github/workflows/python-publish.yml");
    assert!(wf.contains("- \"py-v*\""));
    assert_eq!(wf.matches("          - platform: ").count(), 7);
    let docs = eq.read("RELEASING.md");
    assert!(docs.contains("| Workflow name | `python-publish.yml` |"));
    assert!(docs.contains("| Environment name | `pypi` |"));

    let bud = generate(&SEEDS[3]);
    let wf = bud.read(".github/workflows/python-release.yml");
    assert!(wf.contains("manylinux: \"2_28\""));
    assert!(wf.contains("secrets.TEST_PYPI_API_TOKEN"));
    assert!(wf.contains("working-directory: \"crates/budtiktok-python\""));
    assert_eq!(
        version_files(&bud, "crates/budtiktok-python"),
        [
            "crates/budtiktok-python/pyproject.toml",
            "crates/budtiktok-python/Cargo.toml"
        ]
    );

    let arshai = generate(&SEEDS[4]);
    let wf = arshai.read(".github/workflows/release.yml");
    assert!(wf.contains("secrets.PYPI_TOKEN"));
    assert!(wf.contains("TEST_COMMAND: \"python -c 'import arshai_like"));
    assert_eq!(
        version_files(&arshai, "."),
        // `__version__` and `__version_info__` are two sources in one file.
        [
            "pyproject.toml",
            "arshai_like/_version.py",
            "arshai_like/_version.py"
        ]
    );
}

/// The files `pyrel inspect --json` reports as holding the version.
fn version_files(repo: &Repo, dir: &str) -> Vec<String> {
    let inspect = repo.pyrel(&["inspect", dir, "--json"]);
    let json: serde_json::Value = serde_json::from_str(&inspect.stdout()).unwrap();
    json["version_sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap().to_string())
        .collect()
}

#[test]
#[ignore = "needs actionlint and zizmor: run scripts/test.sh"]
fn seed_workflows_pass_the_validators() {
    for seed in SEEDS {
        let repo = generate(seed);
        let token = seed.packages.iter().any(|(_, f)| f.contains(&"token"));
        for wf in workflows(&repo) {
            assert_actionlint(&wf);
            assert_zizmor(&wf, token);
        }
    }
}

/// The metadata check the workflows run (`twine check --strict`) passes on
/// every seed package's sdist, built the way its workflow builds it (`maturin
/// sdist`, or `python -m build --sdist`): the long description and the rest
/// of the metadata are what the wheels carry too. (The seed crates are
/// shaped, not complete programs, so their wheels are not compiled here.)
#[test]
#[ignore = "needs maturin, build and twine: run scripts/test.sh"]
fn seed_distributions_pass_the_strict_metadata_check() {
    for seed in SEEDS {
        let repo = generate(seed);
        for (dir, _) in seed.packages {
            let label = format!("{}:{dir}", seed.label);
            let pkg = repo.path().join(dir);
            let out = repo.path().join("sdists").join(if *dir == "." {
                "root".to_string()
            } else {
                dir.replace('/', "-")
            });
            std::fs::create_dir_all(&out).unwrap();
            let pyproject = std::fs::read_to_string(pkg.join("pyproject.toml")).unwrap();
            if pyproject.contains("build-backend = \"maturin\"") {
                step(
                    &label,
                    "maturin sdist",
                    std::process::Command::new(tool("maturin"))
                        .args(["sdist", "--out"])
                        .arg(&out)
                        .current_dir(&pkg)
                        .env("CARGO_TARGET_DIR", shared_target_dir()),
                );
            } else {
                step(
                    &label,
                    "python -m build --sdist",
                    std::process::Command::new(tool("python"))
                        .args(["-m", "build", "--sdist", "--outdir"])
                        .arg(&out)
                        .arg(&pkg),
                );
            }
            let sdists: Vec<std::path::PathBuf> = std::fs::read_dir(&out)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            assert_eq!(sdists.len(), 1, "[{label}] {sdists:?}");
            step(
                &label,
                "twine check --strict",
                std::process::Command::new(tool("twine"))
                    .args(["check", "--strict"])
                    .args(&sdists),
            );
        }
    }
}
