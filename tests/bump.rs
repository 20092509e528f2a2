//! `pyrel bump` on every fixture and seed repository: to a release, a
//! pre-release and back. The exact diffs are snapshotted; only the version
//! spans change; `generate --check` still passes; `inspect` reports the new
//! version in every source. Refusals exit 2 and write nothing. A real
//! Cargo.lock (made by `cargo generate-lockfile`, path dependencies only) is
//! bumped and `cargo metadata --locked --offline` still accepts it.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::Repo;

/// One bump: the argument, then the version every source must hold after
/// it, in PEP 440 (Python files) and SemVer (Cargo files).
type Step = (&'static str, &'static str, &'static str);

struct Case {
    label: &'static str,
    fixture: &'static str,
    package: &'static str,
    steps: &'static [Step],
}

const CASES: &[Case] = &[
    Case {
        label: "abi3",
        fixture: "abi3",
        package: ".",
        steps: &[
            ("minor", "0.4.0", "0.4.0"),
            ("1.0.0rc1", "1.0.0rc1", "1.0.0-rc.1"),
            ("release", "1.0.0", "1.0.0"),
        ],
    },
    Case {
        label: "mixed",
        fixture: "mixed",
        package: ".",
        steps: &[
            ("1.4.1", "1.4.1", "1.4.1"),
            ("beta", "1.4.2b1", "1.4.2-beta.1"),
            ("patch", "1.4.2", "1.4.2"),
        ],
    },
    Case {
        label: "workspace",
        fixture: "workspace",
        package: "crates/wsdemo-py",
        steps: &[
            ("release", "2.0.0", "2.0.0"),
            ("2.1.0-alpha.1", "2.1.0a1", "2.1.0-alpha.1"),
            ("2.1.0", "2.1.0", "2.1.0"),
        ],
    },
    Case {
        label: "bindings-python",
        fixture: "bindings-python",
        package: ".",
        steps: &[
            ("patch", "0.9.1", "0.9.1"),
            ("dev", "0.9.2.dev1", "0.9.2-dev.1"),
            ("release", "0.9.2", "0.9.2"),
        ],
    },
    Case {
        label: "bin",
        fixture: "bin",
        package: ".",
        steps: &[
            ("major", "1.0.0", "1.0.0"),
            ("1.0.1rc1", "1.0.1rc1", "1.0.1-rc.1"),
            ("1.0.1", "1.0.1", "1.0.1"),
        ],
    },
    Case {
        label: "hatch",
        fixture: "hatch",
        package: ".",
        steps: &[
            ("0.2.0", "0.2.0", "0.2.0"),
            ("0.3.0a1", "0.3.0a1", "0.3.0-alpha.1"),
            ("0.3.0", "0.3.0", "0.3.0"),
        ],
    },
    Case {
        label: "poetry-arshai",
        fixture: "poetry",
        package: ".",
        steps: &[
            ("0.3.0", "0.3.0", "0.3.0"),
            ("rc", "0.3.1rc1", "0.3.1-rc.1"),
            ("release", "0.3.1", "0.3.1"),
            ("post", "0.3.1.post1", "0.3.1-post.1"),
        ],
    },
    Case {
        label: "seed-krasis",
        fixture: "seed-krasis",
        package: ".",
        steps: &[
            ("0.2.0", "0.2.0", "0.2.0"),
            ("0.3.0rc1", "0.3.0rc1", "0.3.0-rc.1"),
            ("0.3.0", "0.3.0", "0.3.0"),
        ],
    },
    Case {
        label: "seed-flakestorm",
        fixture: "seed-flakestorm",
        package: ".",
        steps: &[
            ("0.2.0", "0.2.0", "0.2.0"),
            ("0.3.0b1", "0.3.0b1", "0.3.0-beta.1"),
            ("0.3.0", "0.3.0", "0.3.0"),
        ],
    },
    Case {
        label: "seed-flakestorm-rust",
        fixture: "seed-flakestorm",
        package: "rust",
        steps: &[
            ("0.2.0", "0.2.0", "0.2.0"),
            ("0.3.0b1", "0.3.0b1", "0.3.0-beta.1"),
            ("0.3.0", "0.3.0", "0.3.0"),
        ],
    },
    Case {
        label: "seed-edgequake",
        fixture: "seed-edgequake",
        package: ".",
        steps: &[
            ("0.2.0", "0.2.0", "0.2.0"),
            ("0.3.0rc1", "0.3.0rc1", "0.3.0-rc.1"),
            ("0.3.0", "0.3.0", "0.3.0"),
        ],
    },
    Case {
        label: "seed-budtiktok",
        fixture: "seed-budtiktok",
        package: "crates/budtiktok-python",
        steps: &[
            ("0.2.0", "0.2.0", "0.2.0"),
            ("0.3.0rc1", "0.3.0rc1", "0.3.0-rc.1"),
            ("0.3.0", "0.3.0", "0.3.0"),
        ],
    },
];

fn inspect(repo: &Repo, pkg: &str) -> serde_json::Value {
    let run = repo.pyrel(&["inspect", pkg, "--json"]);
    run.expect(0);
    serde_json::from_str(&run.stdout()).unwrap()
}

fn text_files(tree: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    tree.iter()
        .filter(|(k, _)| !k.ends_with('/'))
        .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned()))
        .collect()
}

#[test]
fn bump_every_fixture_to_a_release_a_prerelease_and_back() {
    for case in CASES {
        let repo = Repo::fixture(case.fixture);
        let pkg = case.package;
        repo.pyrel(&["init", pkg, "--yes"]).expect(0);
        let sources_before = inspect(&repo, pkg)["version_sources"].clone();
        let count_before = sources_before.as_array().unwrap().len();
        assert!(count_before > 0, "{}: no version source", case.label);
        let mut record = String::new();
        for (arg, pep, sem) in case.steps {
            let before = repo.tree();
            let dry = repo.pyrel(&["bump", arg, pkg, "--dry-run"]);
            dry.expect(0);
            assert_eq!(before, repo.tree(), "{}: --dry-run wrote", case.label);

            let run = repo.pyrel(&["bump", arg, pkg]);
            run.expect(0);
            let after = repo.tree();
            record.push_str(&format!("$ pyrel bump {arg}\n{}\n", dry.stdout()));

            // Only the version lines change, one per version source in the
            // file (Cargo.lock: one per bumped crate).
            let (old, new) = (text_files(&before), text_files(&after));
            assert_eq!(
                old.keys().collect::<Vec<_>>(),
                new.keys().collect::<Vec<_>>(),
                "{}: files appeared or vanished",
                case.label
            );
            let json = inspect(&repo, pkg);
            for (file, old_text) in &old {
                let new_text = &new[file];
                if old_text == new_text {
                    continue;
                }
                let old_lines: Vec<&str> = old_text.split('\n').collect();
                let new_lines: Vec<&str> = new_text.split('\n').collect();
                assert_eq!(old_lines.len(), new_lines.len(), "{}: {file}", case.label);
                let changed = old_lines
                    .iter()
                    .zip(&new_lines)
                    .filter(|(a, b)| a != b)
                    .count();
                let sources_here = json["version_sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|s| s["file"] == file.as_str())
                    .count();
                assert_eq!(
                    changed, sources_here,
                    "{}: {file} changed lines",
                    case.label
                );
                assert!(
                    dry.stdout().contains(&format!("+++ b/{file}")),
                    "{}: the dry run did not show {file}",
                    case.label
                );
            }

            // inspect: every source holds the new version, in its dialect.
            assert_eq!(json["version"], *pep, "{}", case.label);
            let sources = json["version_sources"].as_array().unwrap();
            assert_eq!(
                sources.len(),
                count_before,
                "{}: sources changed",
                case.label
            );
            for s in sources {
                let file = s["file"].as_str().unwrap();
                let want = if file.ends_with("Cargo.toml") {
                    sem
                } else {
                    pep
                };
                assert_eq!(s["value"], *want, "{}: {file}", case.label);
            }
            let warnings = json["warnings"].to_string();
            assert!(!warnings.contains("disagree"), "{}: {warnings}", case.label);

            repo.pyrel(&["generate", pkg, "--check"]).expect(0);
            preflight_accepts(&repo, pkg, pep, case.label);
        }
        snapshot!(format!("bump-{}", case.label), record);
    }
}

#[test]
fn edgequake_crate_version_stays_independent() {
    let repo = Repo::fixture("seed-edgequake");
    let cargo = repo.read("Cargo.toml");
    repo.pyrel(&["bump", "0.5.0", "."]).expect(0);
    assert_eq!(repo.read("Cargo.toml"), cargo);
    assert!(repo
        .read("pyproject.toml")
        .contains("version         = \"0.5.0\""));
    assert!(repo
        .read("python/edgequake_python/__init__.py")
        .contains("__version__ = \"0.5.0\""));
}

/// Every refusal exits 2, says why, and leaves the tree byte-identical.
#[test]
fn refusals_write_nothing() {
    let repo = Repo::fixture("poetry");
    let refuse = |repo: &Repo, args: &[&str], says: &[&str]| {
        let before = repo.tree();
        let run = repo.pyrel(args);
        run.expect(2);
        for s in says {
            assert!(run.stderr().contains(s), "{args:?}: {}", run.stderr());
        }
        assert_eq!(before, repo.tree(), "{args:?} wrote");
    };
    refuse(
        &repo,
        &["bump", "banana"],
        &["invalid version", "\"banana\""],
    );
    refuse(&repo, &["bump", "1.0.0+local"], &["PyPI rejects"]);
    refuse(
        &repo,
        &["bump", "0.2.2"],
        &["not greater than the current version 0.2.2"],
    );
    refuse(
        &repo,
        &["bump", "0.1.0"],
        &["not greater", "--allow-downgrade"],
    );
    // The tuple has three numbers; 0.3 would spell another version there.
    refuse(
        &repo,
        &["bump", "0.3"],
        &["__version_info__", "release numbers"],
    );

    // Sources that disagree are named; --from-file chooses.
    let v = repo.read("arshai_like/_version.py");
    repo.write("arshai_like/_version.py", &v.replacen("0.2.2", "0.2.1", 1));
    refuse(
        &repo,
        &["bump", "0.3.0"],
        &[
            "disagree",
            "pyproject.toml (`tool.poetry.version`) = 0.2.2",
            "arshai_like/_version.py (`__version__`) = 0.2.1",
            "arshai_like/_version.py (`__version_info__`) = 0.2.2",
            "--from-file",
        ],
    );
    refuse(
        &repo,
        &["bump", "0.3.0", "--from-file", "nope.py"],
        &["not one of"],
    );
    repo.pyrel(&["bump", "0.3.0", "--from-file", "pyproject.toml"])
        .expect(0);
    let json = inspect(&repo, ".");
    for s in json["version_sources"].as_array().unwrap() {
        assert_eq!(s["value"], "0.3.0");
    }
    // A downgrade is possible when asked for.
    repo.pyrel(&["bump", "0.2.9", "--allow-downgrade"])
        .expect(0);
    assert!(repo.read("pyproject.toml").contains("version = \"0.2.9\""));

    // Cargo needs MAJOR.MINOR.PATCH.
    let abi3 = Repo::fixture("abi3");
    refuse(
        &abi3,
        &["bump", "1.0"],
        &["Cargo", "exactly three release numbers"],
    );
    refuse(&abi3, &["bump", "1!2.0.0"], &["epoch"]);
}

#[test]
fn vcs_versions_point_to_release() {
    let repo = Repo::fixture("hatch");
    let py = repo.read("pyproject.toml");
    let py = py
        .replace(
            "requires = [\"hatchling\"]",
            "requires = [\"hatchling\", \"hatch-vcs\"]",
        )
        .replace("version = \"0.1.0\"\n", "dynamic = [\"version\"]\n")
        + "\n[tool.hatch.version]\nsource = \"vcs\"\n";
    repo.write("pyproject.toml", &py);
    repo.write("src/stormcheck/__init__.py", "\"\"\"stormcheck\"\"\"\n");
    let before = repo.tree();
    let run = repo.pyrel(&["bump", "patch"]);
    run.expect(2);
    assert!(
        run.stderr().contains("derived from git tags"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("pyrel release X.Y.Z"),
        "{}",
        run.stderr()
    );
    let run = repo.pyrel(&["bump", "1.2.0"]);
    run.expect(2);
    assert!(
        run.stderr().contains("`pyrel release 1.2.0`"),
        "{}",
        run.stderr()
    );
    assert_eq!(before, repo.tree());
}

/// Run the generated workflow's own preflight step (its Python, its env)
/// on the bumped repository: the tag for the new version passes, a tag for
/// another version fails.
fn preflight_accepts(repo: &Repo, pkg: &str, version: &str, label: &str) {
    let pyproject = if pkg == "." {
        "pyproject.toml".to_string()
    } else {
        format!("{pkg}/pyproject.toml")
    };
    let header = format!("from [tool.pyrel] in {pyproject}.");
    let workflow = std::fs::read_dir(repo.path().join(".github/workflows"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .find(|text| text.lines().next().is_some_and(|l| l.ends_with(&header)))
        .unwrap_or_else(|| panic!("{label}: no workflow generated for {pkg}"));
    let yaml: serde_yaml::Value = serde_yaml::from_str(&workflow).unwrap();
    let step = yaml["jobs"]["preflight"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| {
            s["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("Compare the release tag"))
        })
        .unwrap()
        .clone();
    let env = &step["env"];
    let prefix = env["TAG_PREFIX"].as_str().unwrap();
    for (tag, ok) in [
        (format!("{prefix}{version}"), true),
        (format!("{prefix}{version}.post99"), false),
    ] {
        let out = Command::new("python3")
            .arg("-c")
            .arg(step["run"].as_str().unwrap())
            .current_dir(repo.path())
            .env("EVENT", "release")
            .env("TAG", &tag)
            .env("TAG_PREFIX", prefix)
            .env("VERSION_SOURCES", env["VERSION_SOURCES"].as_str().unwrap())
            .env("PACKAGE", env["PACKAGE"].as_str().unwrap())
            .env("PUBLISH", "")
            // No index here: the lookup only warns (tests/preflight.rs covers it).
            .env("PYREL_INDEX_URL", "http://127.0.0.1:1/pypi")
            .output()
            .unwrap();
        assert_eq!(
            out.status.success(),
            ok,
            "{label}: preflight with tag {tag}:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[track_caller]
fn cargo_ok(dir: &Path, args: &[&str]) {
    let out = cargo().args(args).current_dir(dir).output().unwrap();
    assert!(
        out.status.success(),
        "cargo {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const PYPROJECT: &str = "[build-system]\nrequires = [\"maturin>=1.9,<2.0\"]\nbuild-backend = \"maturin\"\n\n[project]\nname = \"lockdemo\"\ndynamic = [\"version\"]\n";

/// A workspace whose Python crate inherits the version: the lock entries of
/// every inheriting member change, the member with its own version does not,
/// and Cargo accepts the lock as is.
#[test]
fn real_cargo_lock_workspace_inherited() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(root, "Cargo.toml", "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"0.3.0\"\nedition = \"2021\"\n");
    write(
        root,
        "crates/core/Cargo.toml",
        "[package]\nname = \"lockcore\"\nversion.workspace = true\nedition.workspace = true\n",
    );
    write(root, "crates/core/src/lib.rs", "pub fn f() {}\n");
    write(
        root,
        "crates/other/Cargo.toml",
        "[package]\nname = \"lockother\"\nversion = \"0.3.0\"\nedition = \"2021\"\n",
    );
    write(root, "crates/other/src/lib.rs", "");
    write(root, "crates/py/Cargo.toml", "[package]\nname = \"lockdemo\"\nversion.workspace = true\nedition.workspace = true\n\n[lib]\ncrate-type = [\"cdylib\"]\n\n[dependencies]\nlockcore = { path = \"../core\" }\n");
    write(root, "crates/py/src/lib.rs", "");
    write(root, "crates/py/pyproject.toml", PYPROJECT);
    cargo_ok(root, &["generate-lockfile", "--offline"]);
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_pyrel"))
        .args(["bump", "0.4.0rc1", "crates/py"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let new_lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let expected = lock
        .replace(
            "name = \"lockcore\"\nversion = \"0.3.0\"",
            "name = \"lockcore\"\nversion = \"0.4.0-rc.1\"",
        )
        .replace(
            "name = \"lockdemo\"\nversion = \"0.3.0\"",
            "name = \"lockdemo\"\nversion = \"0.4.0-rc.1\"",
        );
    assert_ne!(expected, lock);
    assert_eq!(new_lock, expected);
    assert!(new_lock.contains("name = \"lockother\"\nversion = \"0.3.0\""));
    cargo_ok(
        root,
        &["metadata", "--locked", "--offline", "--format-version", "1"],
    );
}

/// A single crate with a path dependency at the same version: only the
/// crate's own entry changes.
#[test]
fn real_cargo_lock_single_crate() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join(".git")).unwrap();
    write(root, "Cargo.toml", "[package]\nname = \"lockdemo\"\nversion = \"1.0.0\" # the version\nedition = \"2021\"\n\n[lib]\ncrate-type = [\"cdylib\"]\n\n[dependencies]\nhelper = { path = \"helper\" }\n");
    write(root, "src/lib.rs", "");
    write(
        root,
        "helper/Cargo.toml",
        "[package]\nname = \"helper\"\nversion = \"1.0.0\"\nedition = \"2021\"\n",
    );
    write(root, "helper/src/lib.rs", "");
    write(root, "pyproject.toml", PYPROJECT);
    cargo_ok(root, &["generate-lockfile", "--offline"]);
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pyrel"))
        .args(["bump", "minor"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(root.join("Cargo.lock")).unwrap(),
        lock.replace(
            "name = \"lockdemo\"\nversion = \"1.0.0\"",
            "name = \"lockdemo\"\nversion = \"1.1.0\""
        )
    );
    assert!(std::fs::read_to_string(root.join("Cargo.toml"))
        .unwrap()
        .contains("version = \"1.1.0\" # the version"));
    cargo_ok(
        root,
        &["metadata", "--locked", "--offline", "--format-version", "1"],
    );
}
