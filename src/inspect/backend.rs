//! Which build backend makes the distributions, and so which pipeline can
//! build them. This decides everything downstream: a backend that compiles
//! extensions makes one wheel per platform, and publishing a single Linux
//! wheel of such a package as if it were universal is a broken release for
//! every other user. So a backend is trusted to be pure Python only when
//! nothing in its configuration says it compiles code; when something does,
//! pyrel names it and refuses rather than guess.

use std::path::Path;

use serde::Serialize;

use super::pyproject::Pyproject;

/// The build backends pyrel tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Backend {
    Maturin,
    SetuptoolsRust,
    Hatchling,
    PoetryCore,
    Setuptools,
    #[serde(rename = "pdm-backend")]
    Pdm,
    FlitCore,
    UvBuild,
    ScikitBuildCore,
    MesonPython,
    /// A backend pyrel does not know; built as pure Python, guarded by the
    /// workflow's wheel-tag check.
    Other,
}

/// What kind of pipeline a backend needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pipeline {
    Maturin,
    PurePython,
    /// Platform wheels built by cibuildwheel (setuptools-rust).
    Cibuildwheel,
    /// Platform wheels pyrel cannot build yet.
    Unsupported,
}

impl Backend {
    /// The backend named by a `build-backend` module path.
    fn from_module(module: &str) -> Backend {
        match module.split(':').next().unwrap_or(module).trim() {
            "maturin" => Backend::Maturin,
            "hatchling.build" | "hatchling.ouroboros" => Backend::Hatchling,
            "poetry.core.masonry.api" | "poetry.masonry.api" => Backend::PoetryCore,
            "setuptools.build_meta" => Backend::Setuptools,
            "pdm.backend" | "pdm.pep517.api" => Backend::Pdm,
            "flit_core.buildapi" | "flit.buildapi" => Backend::FlitCore,
            "uv_build" => Backend::UvBuild,
            "scikit_build_core.build" | "scikit_build_core.setuptools.build_meta" => {
                Backend::ScikitBuildCore
            }
            "mesonpy" => Backend::MesonPython,
            _ => Backend::Other,
        }
    }

    /// The backend a requirement string installs (`maturin>=1,<2` → maturin).
    fn from_requirement(req: &str) -> Option<Backend> {
        match requirement_name(req).as_str() {
            "maturin" => Some(Backend::Maturin),
            "setuptools-rust" => Some(Backend::SetuptoolsRust),
            "hatchling" => Some(Backend::Hatchling),
            "poetry-core" => Some(Backend::PoetryCore),
            "pdm-backend" => Some(Backend::Pdm),
            "flit-core" => Some(Backend::FlitCore),
            "uv-build" => Some(Backend::UvBuild),
            "scikit-build-core" => Some(Backend::ScikitBuildCore),
            "meson-python" => Some(Backend::MesonPython),
            "setuptools" => Some(Backend::Setuptools),
            _ => None,
        }
    }

    pub(crate) fn pipeline(self) -> Pipeline {
        match self {
            Backend::Maturin => Pipeline::Maturin,
            Backend::SetuptoolsRust => Pipeline::Cibuildwheel,
            Backend::ScikitBuildCore | Backend::MesonPython => Pipeline::Unsupported,
            _ => Pipeline::PurePython,
        }
    }

    /// The name users know the backend by (its distribution on PyPI).
    pub(crate) fn display_name(self) -> &'static str {
        match self {
            Backend::Maturin => "maturin",
            Backend::SetuptoolsRust => "setuptools-rust",
            Backend::Hatchling => "hatchling",
            Backend::PoetryCore => "poetry-core",
            Backend::Setuptools => "setuptools",
            Backend::Pdm => "pdm-backend",
            Backend::FlitCore => "flit-core",
            Backend::UvBuild => "uv_build",
            Backend::ScikitBuildCore => "scikit-build-core",
            Backend::MesonPython => "meson-python",
            Backend::Other => "an unknown backend",
        }
    }
}

/// The outcome of backend detection.
#[derive(Debug, Clone)]
pub(crate) struct Detected {
    pub backend: Backend,
    /// For an in-tree backend (`backend-path`): the module that wraps it.
    pub wrapper: Option<String>,
    /// Why the package is believed to build platform-specific wheels, when
    /// its backend would otherwise be pure Python.
    pub compiled: Option<String>,
}

/// Build requirements that only make sense for compiled extensions.
const COMPILED_REQUIREMENTS: &[&str] = &[
    "cython",
    "pybind11",
    "nanobind",
    "cffi",
    "numpy",
    "scikit-build",
    "cmake",
    "ninja",
    "meson",
    "mypy",
    "hatch-cython",
    "hatch-mypyc",
    "setuptools-rust",
    "setuptools-golang",
];

/// Decide the backend from `[build-system]`, the wrapper module of an
/// in-tree backend, and (for setuptools) `setup.py`: the only files read.
pub(crate) fn detect(py: &Pyproject, package_dir: &Path, has_crate: bool) -> Detected {
    let requires: Vec<String> = py.requires.iter().map(|r| requirement_name(r)).collect();
    let setup_py = std::fs::read_to_string(package_dir.join("setup.py")).unwrap_or_default();
    let rust_signals = setuptools_rust_signals(py, &setup_py);
    let mut wrapper = None;
    let mut backend = match py.build_backend.as_deref() {
        // A crate beside a setup.py that builds it is not a maturin project.
        None if has_crate && !rust_signals => Backend::Maturin,
        None => Backend::Setuptools,
        Some(module) if !py.backend_path.is_empty() => {
            // An in-tree backend wraps a real one: find which, from what it
            // imports, else from what the build installs.
            wrapper = Some(module.to_string());
            let text = wrapper_source(package_dir, &py.backend_path, module);
            wrapped_backend(&text)
                .or_else(|| wrapped_by_requirements(&py.requires))
                .unwrap_or(Backend::Other)
        }
        Some(module) => Backend::from_module(module),
    };
    if backend == Backend::Setuptools && rust_signals {
        backend = Backend::SetuptoolsRust;
    }
    let compiled = match backend.pipeline() {
        Pipeline::PurePython => compiled_reason(py, &requires, &setup_py),
        _ => None,
    };
    Detected {
        backend,
        wrapper,
        compiled,
    }
}

/// setuptools-rust is required, configured, or called from setup.py.
pub(crate) fn setuptools_rust_signals(py: &Pyproject, setup_py: &str) -> bool {
    py.requires
        .iter()
        .any(|r| requirement_name(r) == "setuptools-rust")
        || py.setuptools_rust
        || setup_py.contains("RustExtension(")
        || setup_py.contains("RustBin(")
}

fn compiled_reason(py: &Pyproject, requires: &[String], setup_py: &str) -> Option<String> {
    if let Some(r) = requires
        .iter()
        .find(|r| COMPILED_REQUIREMENTS.contains(&r.as_str()))
    {
        return Some(format!(
            "[build-system] requires {r:?}, which builds compiled extensions"
        ));
    }
    if py.setuptools_ext_modules {
        return Some("[tool.setuptools] declares ext-modules".into());
    }
    if setup_py.contains("ext_modules") || setup_py.contains("Extension(") {
        return Some("setup.py builds extension modules (ext_modules)".into());
    }
    if let Some(hook) = &py.build_hook {
        return Some(format!("{hook} runs a build script or hook"));
    }
    None
}

/// `maturin>=1.0,<2` → `maturin`; `Setuptools_Rust[extra]` → `setuptools-rust`.
fn requirement_name(req: &str) -> String {
    req.trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect::<String>()
        .to_ascii_lowercase()
        .replace(['_', '.'], "-")
}

/// The source of an in-tree backend module, looked up in its `backend-path`
/// (`pkg.mod` is `pkg/mod.py` or `pkg/mod/__init__.py`).
fn wrapper_source(package_dir: &Path, backend_path: &[String], module: &str) -> String {
    let module = module.split(':').next().unwrap_or(module).trim();
    let rel = module.replace('.', "/");
    for dir in backend_path {
        for candidate in [format!("{rel}.py"), format!("{rel}/__init__.py")] {
            if let Ok(text) = std::fs::read_to_string(package_dir.join(dir).join(candidate)) {
                return text;
            }
        }
    }
    String::new()
}

fn wrapped_backend(source: &str) -> Option<Backend> {
    let imports = |module: &str| {
        source.lines().any(|line| {
            let line = line.trim();
            line.starts_with(&format!("from {module} import"))
                || line.starts_with(&format!("from {module}."))
                || line == format!("import {module}")
                || line.starts_with(&format!("import {module} "))
                || line.starts_with(&format!("import {module}."))
        })
    };
    [
        ("maturin", Backend::Maturin),
        ("setuptools_rust", Backend::SetuptoolsRust),
        ("scikit_build_core", Backend::ScikitBuildCore),
        ("mesonpy", Backend::MesonPython),
        ("hatchling", Backend::Hatchling),
        ("poetry.core", Backend::PoetryCore),
        ("pdm.backend", Backend::Pdm),
        ("flit_core", Backend::FlitCore),
        ("uv_build", Backend::UvBuild),
        ("setuptools", Backend::Setuptools),
    ]
    .into_iter()
    .find(|(module, _)| imports(module))
    .map(|(_, b)| b)
}

/// The most specific backend the build requirements install.
fn wrapped_by_requirements(requires: &[String]) -> Option<Backend> {
    let found: Vec<Backend> = requires
        .iter()
        .filter_map(|r| Backend::from_requirement(r))
        .collect();
    // setuptools-rust needs setuptools too: the extension backend wins.
    found
        .iter()
        .copied()
        .find(|b| *b != Backend::Setuptools)
        .or(found.first().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(backend: Option<&str>, requires: &[&str]) -> Pyproject {
        Pyproject {
            build_backend: backend.map(str::to_string),
            requires: requires.iter().map(|s| s.to_string()).collect(),
            ..Pyproject::default()
        }
    }

    #[test]
    fn names_every_known_backend() {
        let dir = tempfile::tempdir().unwrap();
        for (module, want) in [
            ("maturin", Backend::Maturin),
            ("hatchling.build", Backend::Hatchling),
            ("poetry.core.masonry.api", Backend::PoetryCore),
            ("setuptools.build_meta:__legacy__", Backend::Setuptools),
            ("pdm.backend", Backend::Pdm),
            ("flit_core.buildapi", Backend::FlitCore),
            ("uv_build", Backend::UvBuild),
            ("scikit_build_core.build", Backend::ScikitBuildCore),
            ("mesonpy", Backend::MesonPython),
            ("something.else", Backend::Other),
        ] {
            assert_eq!(
                detect(&py(Some(module), &[]), dir.path(), false).backend,
                want
            );
        }
        assert_eq!(
            detect(&py(None, &[]), dir.path(), true).backend,
            Backend::Maturin
        );
    }

    #[test]
    fn compiled_signals_make_pure_backends_unsafe() {
        let dir = tempfile::tempdir().unwrap();
        let d = detect(
            &py(Some("setuptools.build_meta"), &["setuptools", "Cython>=3"]),
            dir.path(),
            false,
        );
        assert!(d.compiled.unwrap().contains("cython"));
        std::fs::write(
            dir.path().join("setup.py"),
            "from setuptools import setup, Extension\nsetup(ext_modules=[Extension('m', ['m.c'])])\n",
        )
        .unwrap();
        let d = detect(&py(Some("setuptools.build_meta"), &[]), dir.path(), false);
        assert!(d.compiled.unwrap().contains("setup.py"));
        let d = detect(
            &py(
                Some("setuptools.build_meta"),
                &["setuptools", "setuptools-rust"],
            ),
            dir.path(),
            false,
        );
        assert_eq!(d.backend, Backend::SetuptoolsRust);
        assert_eq!(d.backend.pipeline(), Pipeline::Cibuildwheel);
        // A crate beside such a setup.py is not a maturin project.
        let d = detect(
            &py(None, &["setuptools", "setuptools-rust"]),
            dir.path(),
            true,
        );
        assert_eq!(d.backend, Backend::SetuptoolsRust);
        for b in [Backend::ScikitBuildCore, Backend::MesonPython] {
            assert_eq!(b.pipeline(), Pipeline::Unsupported);
        }
    }

    #[test]
    fn in_tree_backends_are_seen_through() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("_build")).unwrap();
        std::fs::write(
            dir.path().join("_build/bootstrap.py"),
            "import os\nfrom maturin import *  # noqa\n",
        )
        .unwrap();
        let mut p = py(Some("bootstrap"), &["maturin>=1.5"]);
        p.backend_path = vec!["_build".into()];
        let d = detect(&p, dir.path(), true);
        assert_eq!(d.backend, Backend::Maturin);
        assert_eq!(d.wrapper.as_deref(), Some("bootstrap"));
        // No readable wrapper: the requirements decide.
        let mut p = py(Some("backend"), &["setuptools>=70", "setuptools_rust"]);
        p.backend_path = vec!["missing".into()];
        assert_eq!(
            detect(&p, dir.path(), false).backend,
            Backend::SetuptoolsRust
        );
    }
}
