//! The build backends are the oracle for `pyrel inspect`.
//!
//! Projects are generated at test time by the packaging tools' own
//! scaffolding (`maturin new` with every binding and layout, `uv init --lib`
//! with every build backend it offers), plus small hand-made projects for each
//! dynamic-version mechanism. Each is built with its own backend, and what
//! the built wheel says (METADATA name and version, wheel tag, where the
//! compiled part landed) must equal what `pyrel inspect --json` reported
//! before the build. Then `pyrel init --yes` runs and the workflow's own
//! smoke-test command must pass against the installed wheel; a backend pyrel
//! cannot build must be refused instead. Any disagreement fails the test.
//!
//! Run by `scripts/test.sh` (it prints the table of what was covered);
//! `#[ignore]`d for a bare `cargo test` since it needs the pinned tools.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{build_step, shared_target_dir, step, tool};
use serde_json::Value;

/// How the backend builds a wheel.
#[derive(Clone, Copy, Debug)]
enum Builder {
    Maturin,
    Uv,
    PythonBuild,
}

struct Case {
    label: String,
    root: PathBuf,
    builder: Builder,
}

/// What one case proved, for the printed table.
struct Row {
    label: String,
    backend: String,
    version: String,
    wheel_tag: String,
    module: String,
    smoke: String,
}

fn pyrel(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_pyrel"))
        .args(args)
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

/// A `.git` with a GitHub remote, as a cloned repository has.
fn as_github_checkout(root: &Path, name: &str) {
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(
        root.join(".git/config"),
        format!("[remote \"origin\"]\n\turl = https://github.com/pyrel-oracle/{name}.git\n"),
    )
    .unwrap();
}

/// PATH with the pinned tools first.
fn tools_path() -> String {
    format!(
        "{}:{}",
        tool("python").parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn uv(args: &[&str], dir: &Path) -> Command {
    let mut cmd = Command::new(tool("uv"));
    cmd.args(args)
        .current_dir(dir)
        // Only the pinned interpreter; uv must never try to download one.
        .env("UV_PYTHON", tool("python"))
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("UV_CACHE_DIR", shared_target_dir().join("uv-cache"))
        .env("CARGO_TARGET_DIR", shared_target_dir())
        .env("PATH", tools_path());
    cmd
}

fn build_wheel(case: &Case) -> PathBuf {
    let out = case.root.join("oracle-dist");
    match case.builder {
        Builder::Maturin => {
            build_step(
                &case.label,
                "maturin build",
                Command::new(tool("maturin"))
                    .args(["build", "--release", "--out"])
                    .arg(&out)
                    .arg("--interpreter")
                    .arg(tool("python"))
                    .current_dir(&case.root)
                    .env("CARGO_TARGET_DIR", shared_target_dir())
                    // uniffi bindings need `uniffi-bindgen` on PATH.
                    .env("PATH", tools_path()),
            );
        }
        Builder::Uv => {
            let out_s = out.display().to_string();
            build_step(
                &case.label,
                "uv build --wheel",
                &mut uv(&["build", "--wheel", "--out-dir", &out_s], &case.root),
            );
        }
        Builder::PythonBuild => {
            step(
                &case.label,
                "python -m build --wheel",
                Command::new(tool("python"))
                    .args(["-m", "build", "--wheel", "--outdir"])
                    .arg(&out)
                    .arg(&case.root),
            );
        }
    }
    let wheels: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "whl"))
        .collect();
    assert_eq!(wheels.len(), 1, "[{}] wheels: {wheels:?}", case.label);
    wheels.into_iter().next().unwrap()
}

/// METADATA name and version, the wheel tag and the file list.
fn wheel_facts(label: &str, wheel: &Path) -> (String, String, String, Vec<String>) {
    let script = "import sys, zipfile, email.parser\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        names = z.namelist()\n\
        meta = next(n for n in names if n.endswith('.dist-info/METADATA'))\n\
        wheel = next(n for n in names if n.endswith('.dist-info/WHEEL'))\n\
        m = email.parser.Parser().parsestr(z.read(meta).decode())\n\
        w = email.parser.Parser().parsestr(z.read(wheel).decode())\n\
        print(m['Name']); print(m['Version']); print('.'.join(w.get_all('Tag')))\n\
        print('\\n'.join(names))\n";
    let text = step(
        label,
        "read the wheel",
        Command::new(tool("python")).args(["-c", script]).arg(wheel),
    );
    let mut lines = text.lines().map(str::to_string);
    let name = lines.next().unwrap();
    let version = lines.next().unwrap();
    let tag = lines.next().unwrap();
    (name, version, tag, lines.collect())
}

/// PEP 503 normalization, as PyPI compares names.
fn normalize(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let c = if matches!(c, '-' | '_' | '.') { '-' } else { c };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out
}

/// Where pyrel says the importable part is, checked against the wheel's
/// files; returns a short description for the table.
fn check_module(label: &str, p: &Value, files: &[String], dist_name: &str) -> String {
    let module = p["module_name"].as_str().unwrap();
    let has = |path: &str| files.iter().any(|f| f == path);
    match p["bindings"].as_str() {
        Some("bin") => {
            let script = files
                .iter()
                .find(|f| f.contains(".data/scripts/"))
                .unwrap_or_else(|| panic!("[{label}] no script in the wheel: {files:?}"));
            assert_eq!(
                script.rsplit('/').next(),
                Some(module),
                "[{label}] pyrel says the binary is {module}"
            );
            format!("bin {module}")
        }
        Some("pyo3") | Some("pyo3-ffi") => {
            let ext = p["extension_module"].as_str().unwrap();
            let stem = format!("{}.", ext.replace('.', "/"));
            assert!(
                files
                    .iter()
                    .any(|f| f.starts_with(&stem) && (f.ends_with(".so") || f.ends_with(".pyd"))),
                "[{label}] pyrel says the extension is {ext}, the wheel has: {files:?}"
            );
            format!("ext {ext}")
        }
        Some(_) => {
            let ext = p["extension_module"].as_str().unwrap();
            let init = format!("{}/__init__.py", ext.replace('.', "/"));
            assert!(
                has(&init),
                "[{label}] pyrel says the package is {ext}, the wheel has: {files:?}"
            );
            format!("pkg {ext}")
        }
        None => {
            let init = format!("{}/__init__.py", module.replace('.', "/"));
            assert!(
                has(&init),
                "[{label}] pyrel says the module is {module} ({dist_name}), the wheel has: {files:?}"
            );
            format!("py {module}")
        }
    }
}

/// Install the wheel into a fresh venv and run the smoke test the generated
/// workflow runs, from outside the project.
fn smoke(label: &str, root: &Path, wheel: &Path) -> String {
    // The repository root holds the workflow, even for a package in a subdirectory.
    let repo = root.ancestors().find(|d| d.join(".git").is_dir()).unwrap();
    let wf_dir = repo.join(".github/workflows");
    let file = std::fs::read_dir(&wf_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("release") && n.ends_with(".yml")
        })
        .unwrap_or_else(|| panic!("[{label}] no release workflow in {}", wf_dir.display()));
    let wf: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let command = wf["jobs"]
        .as_mapping()
        .unwrap()
        .values()
        .flat_map(|j| j["steps"].as_sequence().cloned().unwrap_or_default())
        .find(|s| s["name"].as_str() == Some("Smoke-test the wheel"))
        .and_then(|s| s["env"]["SMOKE_TEST"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("[{label}] the workflow has no smoke test"));
    let scratch = tempfile::tempdir().unwrap();
    let venv = scratch.path().join("venv");
    let python = common::venv(label, &venv);
    step(
        label,
        "pip install <wheel>",
        // As the workflow's smoke test does (smoke-deps on): this wheel,
        // then its dependencies from the index.
        common::pip_install(&python).arg(wheel),
    );
    let path = format!(
        "{}:{}",
        venv.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    step(
        label,
        "the workflow's smoke test",
        Command::new("bash")
            .args(["-euo", "pipefail", "-c", &command])
            .current_dir(scratch.path())
            .env("PATH", path),
    );
    command
}

fn run_case(case: &Case) -> Row {
    let label = &case.label;
    let out = pyrel(&case.root, &["inspect", "--json"]);
    assert!(
        out.status.success(),
        "[{label}] pyrel inspect: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p: Value = serde_json::from_slice(&out.stdout).unwrap();
    let wheel = build_wheel(case);
    let (name, version, tag, files) = wheel_facts(label, &wheel);

    assert_eq!(
        normalize(p["name"].as_str().unwrap()),
        normalize(&name),
        "[{label}] name"
    );
    assert_eq!(
        p["version"].as_str(),
        Some(version.as_str()),
        "[{label}] version"
    );
    let pure_wheel = tag.ends_with("-none-any");
    let init = pyrel(&case.root, &["init", "--yes"]);
    let backend = p["backend"].as_str().unwrap().to_string();
    let maturin = backend == "maturin";
    let refused = init.status.code() == Some(2);
    if refused {
        // pyrel refuses only what it cannot build: platform wheels from a
        // backend other than maturin.
        let err = String::from_utf8_lossy(&init.stderr);
        assert!(
            !pure_wheel && !maturin && err.contains("platform-specific wheels"),
            "[{label}] pyrel refused {tag} ({backend}): {err}"
        );
        return Row {
            label: label.clone(),
            backend,
            version,
            wheel_tag: tag,
            module: "-".into(),
            smoke: "refused by pyrel init (exit 2)".into(),
        };
    }
    assert!(
        init.status.success(),
        "[{label}] pyrel init: {}",
        String::from_utf8_lossy(&init.stderr)
    );
    // A pure-Python pipeline only for wheels that are pure; maturin's never are.
    assert_eq!(
        pure_wheel, !maturin,
        "[{label}] pyrel chose the {backend} pipeline for a {tag} wheel"
    );
    let module = check_module(label, &p, &files, &name);
    let smoke = smoke(label, &case.root, &wheel);
    Row {
        label: label.clone(),
        backend,
        version,
        wheel_tag: tag,
        module,
        smoke,
    }
}

fn print_table(title: &str, rows: &[Row]) {
    println!("\n{title}: {} combinations, all agree", rows.len());
    println!(
        "{:<30} {:<18} {:<9} {:<28} {:<36} smoke test",
        "case", "backend", "version", "wheel tag", "import path"
    );
    for r in rows {
        println!(
            "{:<30} {:<18} {:<9} {:<28} {:<36} {}",
            r.label, r.backend, r.version, r.wheel_tag, r.module, r.smoke
        );
    }
}

/// `maturin new` with every binding × layout (plain, `--mixed`, `--mixed
/// --src`), and `maturin init` in an existing directory.
#[test]
#[ignore = "needs maturin: run scripts/test.sh"]
fn maturin_scaffolds_agree_with_maturin() {
    let scratch = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    for bindings in ["pyo3", "cffi", "uniffi", "bin"] {
        for (layout, flags) in [
            ("plain", &[][..]),
            ("mixed", &["--mixed"][..]),
            ("mixed-src", &["--mixed", "--src"][..]),
        ] {
            // maturin 1.16 looks for a `--mixed` bin crate's package under the
            // hyphenated crate name, so its own template fails to build with
            // a hyphen in the name; a plain name sidesteps that bug.
            let name = if bindings == "bin" && layout == "mixed" {
                "oraclebinmixed".to_string()
            } else {
                format!("oracle-{bindings}-{layout}")
            };
            step(
                &name,
                "maturin new",
                Command::new(tool("maturin"))
                    .args(["new", "--bindings", bindings])
                    .args(flags)
                    .arg(&name)
                    .current_dir(scratch.path()),
            );
            let root = scratch.path().join(&name);
            if bindings == "uniffi" {
                // maturin 1.16's uniffi template pairs edition 2024 with
                // uniffi 0.28, whose generated code does not compile there.
                let manifest = ["Cargo.toml", "rust/Cargo.toml"]
                    .iter()
                    .map(|m| root.join(m))
                    .find(|m| m.is_file())
                    .unwrap();
                let text = std::fs::read_to_string(&manifest).unwrap();
                std::fs::write(
                    &manifest,
                    text.replace("edition = \"2024\"", "edition = \"2021\""),
                )
                .unwrap();
            }
            as_github_checkout(&root, &name);
            cases.push(Case {
                label: format!("maturin new {bindings} {layout}"),
                root,
                builder: Builder::Maturin,
            });
        }
    }
    let root = scratch.path().join("existing-dir");
    std::fs::create_dir(&root).unwrap();
    step(
        "maturin init",
        "maturin init",
        Command::new(tool("maturin"))
            .args(["init", "--bindings", "pyo3", "--name", "oracle-init"])
            .current_dir(&root),
    );
    as_github_checkout(&root, "oracle-init");
    cases.push(Case {
        label: "maturin init pyo3".into(),
        root,
        builder: Builder::Maturin,
    });
    let rows: Vec<Row> = cases.iter().map(run_case).collect();
    print_table("maturin new/init vs pyrel inspect", &rows);
}

/// `uv init --lib --build-backend B` for every backend uv offers.
#[test]
#[ignore = "needs uv, maturin and PyPI for build backends: run scripts/test.sh"]
fn uv_scaffolds_agree_with_their_backends() {
    let scratch = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    for backend in [
        "maturin",
        "hatch",
        "flit",
        "pdm",
        "setuptools",
        "poetry",
        "uv",
        "scikit",
    ] {
        let name = format!("oracle-uv-{backend}");
        step(
            &name,
            "uv init",
            &mut uv(
                &[
                    "init",
                    "--lib",
                    "--no-workspace",
                    "--vcs",
                    "none",
                    "--build-backend",
                    backend,
                    &name,
                ],
                scratch.path(),
            ),
        );
        let root = scratch.path().join(&name);
        as_github_checkout(&root, &name);
        cases.push(Case {
            label: format!("uv init --build-backend {backend}"),
            root,
            builder: Builder::Uv,
        });
    }
    let rows: Vec<Row> = cases.iter().map(run_case).collect();
    print_table("uv init vs the backends", &rows);
}

/// Write `files` into a fresh project directory.
fn project(scratch: &Path, name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = scratch.join(name);
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    as_github_checkout(&root, name);
    root
}

/// Each dynamic-version mechanism: the version pyrel reads is the one the
/// backend writes into METADATA.
#[test]
#[ignore = "needs build, maturin and PyPI for build backends: run scripts/test.sh"]
fn version_sources_agree_with_their_backends() {
    let scratch = tempfile::tempdir().unwrap();
    let s = scratch.path();
    let hatch = |path: &str, extra: &str| {
        format!(
            "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n\
             [project]\nname = \"vs-hatch\"\ndynamic = [\"version\"]\n\n\
             [tool.hatch.version]\npath = \"{path}\"\n{extra}"
        )
    };
    let cases = [
        Case {
            label: "hatch path __version__".into(),
            root: project(
                s,
                "hatch-dunder",
                &[
                    ("pyproject.toml", &hatch("src/vs_hatch/__about__.py", "")),
                    ("src/vs_hatch/__init__.py", ""),
                    ("src/vs_hatch/__about__.py", "__version__ = \"1.4.2\"\n"),
                ],
            ),
            builder: Builder::PythonBuild,
        },
        Case {
            label: "hatch path VERSION".into(),
            root: project(
                s,
                "hatch-upper",
                &[
                    ("pyproject.toml", &hatch("vs_hatch/version.py", "")),
                    ("vs_hatch/__init__.py", "from .version import VERSION\n"),
                    ("vs_hatch/version.py", "VERSION = '2.14.0b1'\n"),
                ],
            ),
            builder: Builder::PythonBuild,
        },
        Case {
            label: "hatch custom pattern".into(),
            root: project(
                s,
                "hatch-pattern",
                &[
                    (
                        "pyproject.toml",
                        &hatch(
                            "vs_hatch/meta.py",
                            "pattern = \"^RELEASE = \\\"(?P<version>[^\\\"]+)\\\"\"\n",
                        ),
                    ),
                    ("vs_hatch/__init__.py", ""),
                    ("vs_hatch/meta.py", "NAME = \"vs\"\nRELEASE = \"0.9.0rc2\"\n"),
                ],
            ),
            builder: Builder::PythonBuild,
        },
        Case {
            label: "setuptools attr:".into(),
            root: project(
                s,
                "st-attr",
                &[
                    (
                        "pyproject.toml",
                        "[build-system]\nrequires = [\"setuptools>=77\"]\nbuild-backend = \"setuptools.build_meta\"\n\n\
                         [project]\nname = \"vs-st-attr\"\ndynamic = [\"version\"]\n\n\
                         [tool.setuptools.dynamic]\nversion = { attr = \"vs_st_attr.__version__\" }\n",
                    ),
                    ("src/vs_st_attr/__init__.py", "__version__ = \"3.0.1\"\n"),
                ],
            ),
            builder: Builder::PythonBuild,
        },
        Case {
            label: "setuptools file:".into(),
            root: project(
                s,
                "st-file",
                &[
                    (
                        "pyproject.toml",
                        "[build-system]\nrequires = [\"setuptools>=77\"]\nbuild-backend = \"setuptools.build_meta\"\n\n\
                         [project]\nname = \"vs-st-file\"\ndynamic = [\"version\"]\n\n\
                         [tool.setuptools.dynamic]\nversion = { file = \"VERSION\" }\n",
                    ),
                    ("VERSION", "5.6.0\n"),
                    ("vs_st_file/__init__.py", ""),
                ],
            ),
            builder: Builder::PythonBuild,
        },
        Case {
            label: "pdm file".into(),
            root: project(
                s,
                "pdm-file",
                &[
                    (
                        "pyproject.toml",
                        "[build-system]\nrequires = [\"pdm-backend\"]\nbuild-backend = \"pdm.backend\"\n\n\
                         [project]\nname = \"vs-pdm\"\ndynamic = [\"version\"]\n\n\
                         [tool.pdm.version]\nsource = \"file\"\npath = \"src/vs_pdm/_version.py\"\n",
                    ),
                    ("src/vs_pdm/__init__.py", ""),
                    ("src/vs_pdm/_version.py", "__version__ = \"0.4.0\"\n"),
                ],
            ),
            builder: Builder::PythonBuild,
        },
        Case {
            label: "flit __version__".into(),
            root: project(
                s,
                "flit-dunder",
                &[
                    (
                        "pyproject.toml",
                        "[build-system]\nrequires = [\"flit_core>=3.4,<4\"]\nbuild-backend = \"flit_core.buildapi\"\n\n\
                         [project]\nname = \"vs_flit\"\ndynamic = [\"version\", \"description\"]\n",
                    ),
                    ("vs_flit/__init__.py", "\"\"\"A flit package.\"\"\"\n__version__ = \"7.1.3\"\n"),
                ],
            ),
            builder: Builder::PythonBuild,
        },
        Case {
            label: "maturin version.workspace".into(),
            root: project(
                s,
                "ws-inherit",
                &[
                    (
                        "Cargo.toml",
                        "[workspace]\nmembers = [\"cli\"]\nresolver = \"2\"\n\n[workspace.package]\nversion = \"0.8.0-rc.1\"\nedition = \"2021\"\n",
                    ),
                    (
                        "cli/Cargo.toml",
                        "[package]\nname = \"vs-ws-cli\"\nversion.workspace = true\nedition.workspace = true\n",
                    ),
                    ("cli/src/main.rs", "fn main() {\n    println!(\"ok\");\n}\n"),
                    (
                        "cli/pyproject.toml",
                        "[build-system]\nrequires = [\"maturin>=1.9,<2.0\"]\nbuild-backend = \"maturin\"\n\n\
                         [project]\nname = \"vs-ws-cli\"\ndynamic = [\"version\"]\n\n\
                         [tool.maturin]\nbindings = \"bin\"\n",
                    ),
                ],
            )
            .join("cli"),
            builder: Builder::Maturin,
        },
    ];
    let rows: Vec<Row> = cases.iter().map(run_case).collect();
    print_table("version sources vs the backends", &rows);
}
