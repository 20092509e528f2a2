//! Manifest readers against arbitrary input: every pyproject.toml/Cargo.toml
//! pair, however malformed, yields a `Project` or an error, never a panic.

use proptest::prelude::*;

fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "\"[a-z0-9._/-]{0,12}\"".prop_map(|s| s),
        any::<i64>().prop_map(|i| i.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("[]".to_string()),
        Just("[\"abi3\", \"abi3-py39\"]".to_string()),
        Just("[\"pyo3/abi3-py310\", \"dep:pyo3\", \"x\"]".to_string()),
        Just("{ workspace = true }".to_string()),
        Just("{ version = \"0.29\", features = [\"abi3-py311\"] }".to_string()),
        Just("{ path = \"../x\" }".to_string()),
        Just("\"..\"".to_string()),
        Just("'''multi\nline'''".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("{ a = { b = [1, \"2\", { c = 3 }] } }".to_string()),
    ]
}

fn toml_doc(
    tables: &'static [&'static str],
    keys: &'static [&'static str],
) -> impl Strategy<Value = String> {
    let entry =
        (prop::sample::select(keys), toml_value()).prop_map(|(k, v)| format!("{k} = {v}\n"));
    let section = (
        prop::sample::select(tables),
        prop::collection::vec(entry, 0..6),
    )
        .prop_map(|(t, es)| format!("[{t}]\n{}", es.concat()));
    prop_oneof![
        4 => prop::collection::vec(section, 0..6).prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
}

const PY_TABLES: &[&str] = &[
    "project",
    "build-system",
    "tool.maturin",
    "tool.pyrel",
    "project.scripts",
];
const PY_KEYS: &[&str] = &[
    "name",
    "version",
    "dynamic",
    "requires-python",
    "build-backend",
    "bindings",
    "python-source",
    "module-name",
    "features",
    "manifest-path",
    "platforms",
    "publish",
    "x",
];
const CARGO_TABLES: &[&str] = &[
    "package",
    "lib",
    "dependencies",
    "features",
    "workspace",
    "workspace.package",
    "workspace.dependencies",
    "dependencies.pyo3",
    "package.version",
];
const CARGO_KEYS: &[&str] = &[
    "name",
    "version",
    "crate-type",
    "pyo3",
    "pyo3-ffi",
    "uniffi",
    "default",
    "workspace",
    "features",
    "package",
    "members",
    "abi3",
    "python",
];

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PYREL_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(3_000),
        .. ProptestConfig::default()
    })]

    #[test]
    fn inspect_never_panics(
        py in toml_doc(PY_TABLES, PY_KEYS),
        cargo in toml_doc(CARGO_TABLES, CARGO_KEYS),
        root in toml_doc(CARGO_TABLES, CARGO_KEYS),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(pkg.join("pyproject.toml"), &py).unwrap();
        std::fs::write(pkg.join("Cargo.toml"), &cargo).unwrap();
        std::fs::write(dir.path().join("Cargo.toml"), &root).unwrap();
        let _ = super::inspect(&pkg);
        // And the saved-answers reader on the same pyproject.
        if let Ok(f) = super::tomlfile::TomlFile::parse(py, "pyproject.toml") {
            let _ = crate::answers::saved(&f);
        }
    }
}

// ---- Real shapes: the projects pyrel reads, with their parts varied ----

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(items)
}

/// A version string, valid or not, in the places versions are written.
fn version_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => pick(&["0.1.0", "1.2.0rc1", "1.2.0-rc.1", "2.0.0.post1", "1.0", "1!2.0", "v1.0.0"]).prop_map(String::from),
        1 => "[0-9a-z.+!-]{0,10}",
    ]
}

/// The crate: a `[package]` with the shapes maturin and setuptools-rust
/// read (cdylib or bin, pyo3 with abi3 features, a version inherited from
/// the workspace), or something broken.
fn cargo_manifest() -> impl Strategy<Value = String> {
    (
        pick(&["demo", "demo-core", "x"]),
        prop_oneof![
            version_text().prop_map(|v| format!("version = \"{v}\"")),
            Just("version.workspace = true".to_string()),
            Just(String::new()),
        ],
        pick(&["[\"cdylib\"]", "[\"cdylib\", \"rlib\"]", "[\"rlib\"]", "\"cdylib\""]),
        pick(&[
            "pyo3 = { version = \"0.29\", features = [\"extension-module\", \"abi3-py39\"] }",
            "pyo3 = \"0.29\"",
            "pyo3 = { workspace = true }",
            "pyo3-ffi = \"0.29\"",
            "uniffi = \"0.28\"",
            "",
        ]),
        pick(&["", "[[bin]]\nname = \"demo\"\npath = \"src/main.rs\"\n", "[features]\nabi3 = [\"pyo3/abi3-py310\"]\n"]),
        prop::bool::weighted(0.05),
        any::<String>(),
    )
        .prop_map(|(name, version, crate_type, dep, extra, broken, noise)| {
            if broken {
                return noise;
            }
            format!(
                "[package]\nname = \"{name}\"\n{version}\nedition = \"2021\"\n\n[lib]\nname = \"{}\"\ncrate-type = {crate_type}\n\n[dependencies]\n{dep}\n{extra}",
                name.replace('-', "_")
            )
        })
}

/// The workspace root, when the crate is a member.
fn workspace_root() -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(
        0.4,
        (
            pick(&["[\"pkg\"]", "[\"pkg\", \"other\"]", "[\"*\"]", "[]"]),
            version_text(),
            pick(&["", "[workspace.dependencies]\npyo3 = { version = \"0.29\", features = [\"abi3-py310\"] }\n"]),
        )
            .prop_map(|(members, version, deps)| {
                format!(
                    "[workspace]\nmembers = {members}\nresolver = \"2\"\n\n[workspace.package]\nversion = \"{version}\"\n\n{deps}"
                )
            }),
    )
}

#[derive(Debug, Clone)]
struct Shaped {
    pyproject: String,
    cargo: String,
    root_cargo: Option<String>,
    /// Extra files: (path relative to the package, contents).
    files: Vec<(String, String)>,
}

/// A package as maturin, setuptools-rust (pyproject tables or setup.py) or
/// hatchling (static, `path`/`pattern` version sources, hatch-vcs) lay it out.
fn shaped_project() -> impl Strategy<Value = Shaped> {
    let project = (pick(&["demo", "demo-py", "Demo.Py"]), version_text(), prop::bool::ANY).prop_map(
        |(name, version, dynamic)| {
            if dynamic {
                format!("[project]\nname = \"{name}\"\ndynamic = [\"version\"]\nrequires-python = \">=3.9\"\n")
            } else {
                format!("[project]\nname = \"{name}\"\nversion = \"{version}\"\nrequires-python = \">=3.9\"\n")
            }
        },
    );
    let maturin = (
        pick(&[
            "",
            "module-name = \"demo._core\"\n",
            "module-name = \"demo\"\n",
        ]),
        pick(&[
            "",
            "python-source = \"python\"\n",
            "python-source = \"../x\"\n",
        ]),
        pick(&[
            "",
            "manifest-path = \"Cargo.toml\"\n",
            "manifest-path = \"rust/Cargo.toml\"\n",
            "manifest-path = \"../../etc/passwd\"\n",
        ]),
        pick(&[
            "",
            "bindings = \"bin\"\n",
            "bindings = \"pyo3\"\n",
            "features = [\"pyo3/abi3-py311\"]\n",
        ]),
    )
        .prop_map(|(m, p, f, b)| {
            (
                "[build-system]\nrequires = [\"maturin>=1.5,<2\"]\nbuild-backend = \"maturin\"\n"
                    .to_string(),
                format!("[tool.maturin]\n{m}{p}{f}{b}"),
                Vec::new(),
            )
        });
    let strust_tables = (
        pick(&["demo._native", "demo", "_native"]),
        pick(&["Cargo.toml", "rust/Cargo.toml", "missing/Cargo.toml"]),
        pick(&["PyO3", "PyO3Ffi", "RustCPython", "NoBinding"]),
        pick(&["", "py-limited-api = \"cp39\"\n"]),
        prop::bool::ANY,
    )
        .prop_map(|(target, path, binding, abi3, bins)| {
            let table = if bins { "bins" } else { "ext-modules" };
            (
                "[build-system]\nrequires = [\"setuptools>=77\", \"setuptools-rust>=1.11\"]\nbuild-backend = \"setuptools.build_meta\"\n".to_string(),
                format!(
                    "[[tool.setuptools-rust.{table}]]\ntarget = \"{target}\"\npath = \"{path}\"\nbinding = \"{binding}\"\n\n[tool.distutils.bdist_wheel]\n{abi3}"
                ),
                Vec::new(),
            )
        });
    let strust_setup_py = (
        pick(&["demo._speedups", "demo", "\"demo\" + X"]),
        pick(&["Cargo.toml", "rust/Cargo.toml"]),
        pick(&["Binding.PyO3", "Binding.RustCPython", "binding"]),
        pick(&["RustExtension", "RustBin", "Extension"]),
        pick(&["", "py_limited_api=True, ", "features=[\"x\"], "]),
    )
        .prop_map(|(target, path, binding, kind, extra)| {
            let setup = format!(
                "from setuptools import setup\nfrom setuptools_rust import Binding, RustExtension, RustBin\n\nsetup(\n    rust_extensions=[\n        {kind}(\n            \"{target}\",\n            path=\"{path}\",\n            binding={binding},\n            {extra}\n        )\n    ],\n)\n"
            );
            (
                "[build-system]\nrequires = [\"setuptools\", \"setuptools-rust\"]\nbuild-backend = \"setuptools.build_meta\"\n".to_string(),
                String::new(),
                vec![("setup.py".to_string(), setup)],
            )
        });
    let hatch = (
        pick(&["path", "path-pattern", "vcs", "code", "none"]),
        version_text(),
    )
        .prop_map(|(source, version)| {
            let (table, files) = match source {
                "path" => (
                    "[tool.hatch.version]\npath = \"src/demo/__about__.py\"\n".to_string(),
                    vec![("src/demo/__about__.py".to_string(), format!("__version__ = \"{version}\"\n"))],
                ),
                "path-pattern" => (
                    "[tool.hatch.version]\npath = \"src/demo/about.py\"\npattern = \"^RELEASE = ['\\\"](?P<version>[^'\\\"]+)['\\\"]\"\n".to_string(),
                    vec![("src/demo/about.py".to_string(), format!("RELEASE = '{version}'\n"))],
                ),
                "vcs" => ("[tool.hatch.version]\nsource = \"vcs\"\n".to_string(), Vec::new()),
                "code" => ("[tool.hatch.version]\nsource = \"code\"\npath = \"missing.py\"\n".to_string(), Vec::new()),
                _ => (String::new(), Vec::new()),
            };
            (
                "[build-system]\nrequires = [\"hatchling\", \"hatch-vcs\"]\nbuild-backend = \"hatchling.build\"\n".to_string(),
                table,
                files,
            )
        });
    (
        prop_oneof![maturin, strust_tables, strust_setup_py, hatch],
        project,
        cargo_manifest(),
        workspace_root(),
        pick(&[
            "",
            "[tool.pyrel]\npublish = \"token\"\n",
            "[tool.pyrel]\nplatforms = \"x\"\n",
        ]),
    )
        .prop_map(
            |((build, tool, files), project, cargo, root_cargo, pyrel)| Shaped {
                pyproject: format!("{build}\n{project}\n{tool}\n{pyrel}"),
                cargo,
                root_cargo,
                files,
            },
        )
}

fn write_shaped(s: &Shaped) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(pkg.join("src")).unwrap();
    std::fs::write(pkg.join("pyproject.toml"), &s.pyproject).unwrap();
    std::fs::write(pkg.join("Cargo.toml"), &s.cargo).unwrap();
    std::fs::create_dir_all(pkg.join("rust")).unwrap();
    std::fs::write(pkg.join("rust/Cargo.toml"), &s.cargo).unwrap();
    if let Some(root) = &s.root_cargo {
        std::fs::write(dir.path().join("Cargo.toml"), root).unwrap();
    }
    for (path, text) in &s.files {
        let p = pkg.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// inspect over real shapes: never a panic, and the generator reaches the
/// paths that matter (a maturin crate, a setuptools-rust one from tables
/// and from setup.py, hatch `path`/`pattern` version sources, hatch-vcs, a
/// version inherited from a workspace), which random strings never do.
#[test]
fn inspect_real_shapes_never_panics_and_reaches_every_reader() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let cases: usize = std::env::var("PYREL_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1_500);
    let mut runner = TestRunner::deterministic();
    let mut reached = std::collections::BTreeMap::<&str, usize>::new();
    for _ in 0..cases {
        let shaped = shaped_project().new_tree(&mut runner).unwrap().current();
        let dir = write_shaped(&shaped);
        let pkg = dir.path().join("pkg");
        let outcome = std::panic::catch_unwind(|| super::inspect(&pkg));
        let project = match outcome {
            Err(_) => panic!("inspect panicked on:\n{shaped:#?}"),
            Ok(Err(_)) => {
                *reached.entry("error").or_default() += 1;
                continue;
            }
            Ok(Ok(p)) => p,
        };
        let _ = project.require_pipeline();
        let mut hit = |k: &'static str| *reached.entry(k).or_default() += 1;
        match project.backend {
            super::backend::Backend::Maturin => hit("maturin"),
            super::backend::Backend::SetuptoolsRust
                if shaped.files.iter().any(|(p, _)| p == "setup.py") =>
            {
                hit("setuptools-rust setup.py")
            }
            super::backend::Backend::SetuptoolsRust => hit("setuptools-rust tables"),
            super::backend::Backend::Hatchling => hit("hatchling"),
            _ => {}
        }
        if project.vcs_version {
            hit("vcs");
        }
        for s in &project.version_sources {
            match &s.locator {
                super::Locator::Pattern { .. } => hit("pattern"),
                super::Locator::Python { .. } => hit("python"),
                super::Locator::Toml { key }
                    if key.first().map(String::as_str) == Some("workspace") =>
                {
                    hit("workspace version")
                }
                _ => {}
            }
        }
    }
    for k in [
        "maturin",
        "setuptools-rust tables",
        "setuptools-rust setup.py",
        "hatchling",
        "vcs",
        "pattern",
        "python",
        "workspace version",
        "error",
    ] {
        assert!(
            reached.get(k).copied().unwrap_or(0) > 0,
            "never reached {k}: {reached:?}"
        );
    }
}

// ---- The workflow reader, on generated workflows ----

/// A step of a release workflow, in the shapes the reader looks for.
fn workflow_step() -> impl Strategy<Value = String> {
    let target = pick(&[
        "x86_64",
        "aarch64",
        "${{ matrix.target }}",
        "${{ matrix.platform.target }}",
        "armv7",
        "x86_64-pc-windows-msvc",
        "${{ inputs.t }}",
    ]);
    let args = pick(&[
        "--release --out dist",
        "--release --out dist -i 3.9 3.13t pypy3.10",
        "--release --out dist --find-interpreter",
        "--zig -m rust/Cargo.toml",
        "${{ matrix.args }}",
        "--sdist",
    ]);
    prop_oneof![
        (target, args, pick(&["auto", "2_28", "musllinux_1_2", "${{ matrix.manylinux }}"]), pick(&["build", "upload", "publish", "sdist"]), pick(&["", "          working-directory: rust\n", "          before-script-linux: yum install -y openssl\n"])).prop_map(|(t, a, m, c, extra)| format!(
            "      - uses: PyO3/maturin-action@v1\n        with:\n          command: {c}\n          target: {t}\n          manylinux: {m}\n          args: {a}\n{extra}"
        )),
        (pick(&["native", "auto64", "AMD64 x86", "${{ matrix.archs }}"]), pick(&["cp3*", "pp*", "cp313t-*"])).prop_map(|(a, b)| format!(
            "      - uses: pypa/cibuildwheel@v3.1.4\n        env:\n          CIBW_ARCHS: {a}\n          CIBW_BUILD: \"{b}\"\n          CIBW_ENABLE: cpython-freethreading pypy\n"
        )),
        (pick(&["", "          repository-url: https://test.pypi.org/legacy/\n", "          password: ${{ secrets.PYPI_TOKEN }}\n"])).prop_map(|w| format!(
            "      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          packages-dir: dist\n{w}"
        )),
        pick(&[
            "      - run: maturin build --release -i python3.12 --target aarch64-unknown-linux-gnu\n",
            "      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: ${{ secrets.PYPI }}\n",
            "      - run: uv build && uv publish --trusted-publishing always\n",
            "      - run: python -m build\n",
            "      - run: |\n          maturin upload --skip-existing dist/*\n",
            "      - uses: actions/checkout@v4\n",
            "      - uses: softprops/action-gh-release@v2\n        with:\n          files: dist/*\n",
        ])
        .prop_map(String::from),
    ]
}

fn workflow_job() -> impl Strategy<Value = String> {
    let matrix = prop_oneof![
        Just(String::new()),
        (pick(&["[x86_64, aarch64]", "[x86_64, x86, aarch64, armv7, s390x, ppc64le]", "${{ fromJSON(inputs.targets) }}"]), pick(&["[ubuntu-latest, windows-latest, macos-14]", "[ubuntu-24.04-arm]"]))
            .prop_map(|(t, os)| format!("    strategy:\n      matrix:\n        target: {t}\n        os: {os}\n        include:\n          - os: windows-latest\n            target: x86\n        exclude:\n          - os: macos-14\n            target: armv7\n")),
        Just("    strategy:\n      matrix:\n        platform:\n          - runner: ubuntu-22.04\n            target: x86_64\n          - runner: macos-13\n            target: aarch64\n".to_string()),
    ];
    (
        pick(&[
            "linux",
            "build",
            "release",
            "publish",
            "wheels-${{ matrix.os }}",
        ]),
        pick(&[
            "ubuntu-latest",
            "${{ matrix.os }}",
            "${{ matrix.platform.runner }}",
            "[self-hosted, linux]",
        ]),
        matrix,
        pick(&[
            "",
            "    environment: pypi\n",
            "    environment:\n      name: release\n      url: https://pypi.org/p/x\n",
        ]),
        pick(&["", "    permissions:\n      id-token: write\n"]),
        prop::collection::vec(workflow_step(), 0..5),
    )
        .prop_map(|(id, runs_on, matrix, env, perms, steps)| {
            format!(
                "  {id}:\n    runs-on: {runs_on}\n{matrix}{env}{perms}    steps:\n{}",
                steps.concat()
            )
        })
}

fn workflow_text() -> impl Strategy<Value = String> {
    let on = pick(&[
        "on:\n  release:\n    types: [published]\n",
        "on:\n  push:\n    tags:\n      - 'v*'\n      - 'py-*'\n",
        "on: [push, workflow_dispatch]\n",
        "on: push\n",
        "",
    ]);
    let doc = (on, prop::collection::vec(workflow_job(), 0..4)).prop_map(|(on, jobs)| {
        format!(
            "name: Release\n{on}permissions:\n  contents: read\njobs:\n{}",
            jobs.concat()
        )
    });
    // Whole documents, and documents cut or spliced where a reader would
    // least expect it.
    (
        doc,
        any::<prop::sample::Index>(),
        pick(&["", "\t", ": [", "*a", "&a x", "${{", "\u{0}", "- - -", "'"]),
        prop::bool::weighted(0.3),
    )
        .prop_map(|(doc, at, splice, cut)| {
            if !cut {
                return doc;
            }
            let mut i = at.index(doc.len() + 1);
            while !doc.is_char_boundary(i) {
                i -= 1;
            }
            format!("{}{splice}{}", &doc[..i], &doc[i..])
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PYREL_FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2_000),
        .. ProptestConfig::default()
    })]

    /// The reader on generated release workflows: no panic, a bounded time
    /// per file, and every problem it reports names the file and a line.
    #[test]
    fn workflow_reader_never_panics_on_generated_workflows(text in workflow_text()) {
        let start = std::time::Instant::now();
        let w = super::workflows::analyze(".github/workflows/release.yml", &text);
        let took = start.elapsed();
        prop_assert!(took < std::time::Duration::from_secs(2), "took {took:?}");
        for p in &w.problems {
            prop_assert!(p.starts_with(".github/workflows/release.yml:"), "{p}");
        }
        for b in &w.builds {
            prop_assert!(!b.dir.starts_with('/'), "{:?}", b.dir);
        }
    }
}

/// The workflow generator is not vacuous: its documents are read as builds,
/// publishing jobs, triggers and problems.
#[test]
fn generated_workflows_reach_the_reader() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut builds, mut publishes, mut triggers, mut problems) = (0, 0, 0, 0);
    for _ in 0..300 {
        let text = workflow_text().new_tree(&mut runner).unwrap().current();
        let w = super::workflows::analyze(".github/workflows/release.yml", &text);
        builds += usize::from(!w.builds.is_empty());
        publishes += usize::from(w.publishes());
        triggers += usize::from(w.trigger.is_some());
        problems += usize::from(!w.problems.is_empty());
    }
    assert!(
        builds > 30 && publishes > 30 && triggers > 30 && problems > 10,
        "builds {builds}, publishes {publishes}, triggers {triggers}, problems {problems}"
    );
}
