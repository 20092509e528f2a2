//! Read-only detection: a handful of known files in, `Project` facts out.
//!
//! pyrel never runs `cargo metadata`, never touches the network and never
//! walks the tree: it opens the few files whose paths it can derive
//! (pyproject.toml, the crate's Cargo.toml, its workspace root, `.git/config`,
//! version modules), so it is instant on any repository and cannot be
//! surprised by what else lives there.

mod abi3;
pub(crate) mod backend;
mod bindings;
mod cargo;
#[cfg(test)]
mod detect_tests;
#[cfg(test)]
mod fuzz;
pub(crate) mod git;
pub(crate) mod git_index;
pub(crate) mod limits;
mod pyproject;
pub(crate) mod pytuple;
pub(crate) mod pyversion;
pub(crate) mod setuptools_rust;
pub(crate) mod test_workflow;
pub(crate) mod tomlfile;
pub(crate) mod workflows;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::validate;

pub(crate) use abi3::Abi3;
pub(crate) use backend::{Backend, Pipeline};
pub(crate) use bindings::Bindings;
pub(crate) use git::GitHub;

/// Everything pyrel knows about the package, independent of any answer.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Project {
    /// Distribution name from `[project] name` (as written).
    pub name: String,
    /// The build backend (for an in-tree backend, the one it wraps).
    pub backend: Backend,
    /// `[build-system] build-backend` as written, when it is not the
    /// backend's own module (an in-tree wrapper).
    pub backend_wrapper: Option<String>,
    /// Why a backend that is usually pure Python builds platform wheels here.
    pub compiled: Option<String>,
    /// `"pyo3" | "pyo3-ffi" | "cffi" | "uniffi" | "rust-cpython" | "bin"`, or
    /// null for pure Python.
    pub bindings: Option<Bindings>,
    /// Path of the crate's Cargo.toml relative to the repository root.
    pub cargo_manifest: Option<String>,
    /// Whether the crate is a member of a Cargo workspace.
    pub workspace: bool,
    /// The workspace root manifest (relative to the repository root), if any.
    pub workspace_manifest: Option<String>,
    /// Stable-ABI floor as a CPython tag (`"cp39"`), or null.
    pub abi3: Option<Abi3>,
    /// `[tool.maturin] python-source`, or setuptools' `package-dir` root for
    /// setuptools-rust, relative to the package directory.
    pub python_source: Option<String>,
    /// The importable module (`pkg._pkg`) or, for `bindings = "bin"`, the binary.
    pub module_name: String,
    /// Where maturin puts the compiled part in the wheel, as an import path:
    /// the extension module (pyo3) or the generated package (cffi, uniffi).
    /// Null for binaries and pure Python.
    pub extension_module: Option<String>,
    /// Cargo features maturin builds with (`[tool.maturin] features`).
    pub features: Vec<String>,
    /// The version the next build will carry, if pyrel can tell.
    pub version: Option<String>,
    /// Every place the version is written; a release must bump all of them.
    pub version_sources: Vec<VersionSource>,
    /// The version is derived from git tags (hatch-vcs, setuptools-scm, pdm
    /// scm): the tag *is* the version and no file holds it.
    pub vcs_version: bool,
    pub requires_python: Option<String>,
    pub scripts: BTreeMap<String, String>,
    /// The project's GitHub repository: `[project.urls]`, else the
    /// `upstream` remote, else `origin` (see `git::github_remote`).
    pub github: Option<GitHub>,
    /// `github` comes from `[project.urls]`, which every clone shares; one
    /// read from a remote is saved in `[tool.pyrel]` by `init`, so that a
    /// fork's clone generates the same files.
    #[serde(skip)]
    pub github_declared: bool,
    /// The `pyo3` dependency's version requirement (`"0.29.0"`), if any.
    pub pyo3_version: Option<String>,
    /// Package directory relative to the repository root (`""` for the root).
    pub package_dir: String,
    /// Things that look wrong; shown by `inspect` and `init`, never fatal.
    pub warnings: Vec<String>,
    /// Workflows already in `.github/workflows/` that build or publish.
    pub existing_workflows: Vec<workflows::ExistingWorkflow>,
    #[serde(skip)]
    pub paths: Paths,
}

/// Where the project lives on disk; not part of the JSON contract.
#[derive(Debug, Clone, Default)]
pub(crate) struct Paths {
    pub repo_root: PathBuf,
    pub pyproject: PathBuf,
}

/// One place a version string is written.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct VersionSource {
    /// Path relative to the repository root.
    pub file: String,
    pub value: String,
    /// How to read it back: a TOML key path or a Python assignment.
    #[serde(flatten)]
    pub locator: Locator,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Locator {
    /// A string at this key path in a TOML file.
    Toml { key: Vec<String> },
    /// `__version__ = "..."` (or the named variable) in a Python module.
    Python { variable: String },
    /// The whole file, stripped (setuptools `version = { file = ... }`).
    Text,
    /// The `version` group of a regex searched in multi-line mode (a custom
    /// hatch `pattern`).
    Pattern { pattern: String },
    /// `__version_info__ = (1, 2, 0)` beside `__version__`; `value` is the
    /// version it spells (`inspect::pytuple` lists the shapes).
    PythonTuple { variable: String },
}

/// `"0.29.0"`, `"^0.23"`, `"=0.25.1"`, `">=0.24, <0.26"` → the minor of its
/// lower bound.
pub(crate) fn pyo3_minor(req: &str) -> Option<u32> {
    let v = req.trim_start_matches(|c: char| !c.is_ascii_digit());
    let mut parts = v.split(|c: char| !c.is_ascii_digit());
    (parts.next()? == "0").then_some(())?;
    parts.next()?.parse().ok()
}

impl Project {
    /// The wheel ships a Rust binary, not an extension module.
    pub(crate) fn is_bin(&self) -> bool {
        self.bindings == Some(Bindings::Bin)
    }

    pub(crate) fn is_maturin(&self) -> bool {
        self.backend == Backend::Maturin
    }

    /// setuptools-rust, built with cibuildwheel.
    pub(crate) fn is_cibuildwheel(&self) -> bool {
        self.backend.pipeline() == Pipeline::Cibuildwheel
    }

    /// One wheel per platform (maturin or cibuildwheel), so `platforms`,
    /// `manylinux`, `free-threaded` and `pypy` apply.
    pub(crate) fn builds_platform_wheels(&self) -> bool {
        self.is_maturin() || self.is_cibuildwheel()
    }

    /// Refuse (exit 2) a package whose wheels pyrel's pipelines would build
    /// wrongly: publishing one Linux wheel of a compiled package as if it were
    /// universal breaks every other platform's users.
    pub(crate) fn require_pipeline(&self) -> Result<()> {
        let pyproject = display_path(&self.package_dir, "pyproject.toml");
        let why = match (self.backend.pipeline(), &self.compiled) {
            (Pipeline::Unsupported, _) => format!(
                "the build backend is {}, which builds platform-specific wheels; pyrel builds \
                 maturin, setuptools-rust and pure-Python packages only",
                self.backend.display_name()
            ),
            (Pipeline::PurePython, Some(reason)) => format!(
                "the build backend is {}, but {reason}: the package builds platform-specific \
                 wheels, and pyrel's pure-Python pipeline would publish one Linux wheel as if \
                 it were universal",
                self.backend.display_name()
            ),
            _ => return Ok(()),
        };
        Err(Error::in_file(pyproject, why).with_hint(
            "build such packages with cibuildwheel (pypa/cibuildwheel) on every platform; \
             pyrel generates nothing for this package",
        ))
    }
}

/// The package directory (canonical), the repository root holding it (or
/// itself, outside git), and the one relative to the other.
fn locate(dir: &Path) -> Result<(PathBuf, PathBuf, String)> {
    let package_dir = dir
        .canonicalize()
        .map_err(|e| Error::in_file(dir, format!("the package directory does not exist ({e})")))?;
    let repo_root = git::repo_root(&package_dir).unwrap_or_else(|| package_dir.clone());
    let rel_dir = relative(&repo_root, &package_dir);
    Ok((package_dir, repo_root, rel_dir))
}

/// Inspect the package whose pyproject.toml is in `dir`.
pub(crate) fn inspect(dir: &Path) -> Result<Project> {
    inspect_with_pyproject(dir).map(|(project, _)| project)
}

/// `inspect`, and the pyproject.toml it read (parsed once: `load` needs it
/// again for the saved answers).
pub(crate) fn inspect_with_pyproject(dir: &Path) -> Result<(Project, tomlfile::TomlFile)> {
    let (package_dir, repo_root, rel_dir) = locate(dir)?;
    let pyproject_path = package_dir.join("pyproject.toml");
    let file = pyproject::read_file(&pyproject_path, &display_path(&rel_dir, "pyproject.toml"))?;
    let py = pyproject::parse(&file)?;

    let mut warnings = Vec::new();
    let maturin_backend = py.build_backend.as_deref() == Some("maturin");
    let rust = setuptools_rust_config(&package_dir, &rel_dir, &py, &pyproject_path)?;
    let cargo = rust_crate(
        &repo_root,
        &package_dir,
        &py,
        rust.as_ref(),
        maturin_backend,
        &mut warnings,
    )?;
    let detected = backend::detect(&py, &package_dir, cargo.is_some());
    let backend = detected.backend;
    if let Some(wrapper) = &detected.wrapper {
        warnings.push(format!(
            "[build-system] build-backend {wrapper:?} is an in-tree backend wrapping {}; the \
             workflow builds with {} directly, so whatever {wrapper:?} adds does not run there",
            backend.display_name(),
            backend.display_name()
        ));
    }
    if backend == Backend::Maturin && cargo.is_none() {
        return Err(Error::in_file(
            display_path(&rel_dir, "Cargo.toml"),
            "not found, but the build backend is maturin",
        )
        .with_hint(
            "run pyrel on the directory whose pyproject.toml sits beside the crate, or set \
             [tool.maturin] manifest-path to the crate's Cargo.toml",
        ));
    }
    let declared = git::github_from_urls(&py.urls);
    let github_declared = declared.is_some();
    let github = declared.or_else(|| git::github_remote(&repo_root, &mut warnings));

    let name = package_name(&py, &rel_dir)?;

    let mut project = Project {
        name,
        backend,
        backend_wrapper: detected.wrapper.clone(),
        compiled: detected.compiled.clone(),
        bindings: None,
        cargo_manifest: None,
        workspace: false,
        workspace_manifest: None,
        abi3: None,
        python_source: py.maturin.python_source.clone(),
        module_name: String::new(),
        extension_module: None,
        features: py.maturin.features.clone(),
        version: None,
        version_sources: Vec::new(),
        vcs_version: py.python.vcs,
        requires_python: py.requires_python.clone(),
        scripts: py.scripts.clone(),
        github,
        github_declared,
        pyo3_version: None,
        package_dir: rel_dir.clone(),
        warnings: Vec::new(),
        existing_workflows: workflows::read(&repo_root),
        paths: Paths {
            repo_root: repo_root.clone(),
            pyproject: pyproject_path,
        },
    };

    if let (Some(rust), Backend::SetuptoolsRust) = (&rust, backend) {
        setuptools_rust_facts(&mut project, rust, cargo.as_ref(), &mut warnings)?;
    } else if let Some(c) = &cargo {
        crate_facts(&mut project, &py, c, &rel_dir)?;
    }
    if !project.is_cibuildwheel() {
        project.module_name = module_name(&py, cargo.as_ref(), &project);
        if project.python_source.is_none() && project.is_maturin() {
            project.python_source = src_layout(&project);
        }
        project.extension_module = extension_module(&project);
    }
    if let (Some(c), Some(m)) = (&cargo, &py.maturin.module_name) {
        warnings.extend(module_name_mismatch(&project, m, &c.lib_name));
    }
    // setuptools reads no version from Cargo.toml.
    let version_crate = cargo.as_ref().filter(|_| !project.is_cibuildwheel());
    versions(&mut project, &py, version_crate, &mut warnings)?;
    check_consistency(&project, &mut warnings);
    project.warnings = warnings;
    validate_facts(&project)?;
    Ok((project, file))
}

/// The crate the package builds, if any: maturin's, or the one
/// setuptools-rust names (with its features), read the same way.
fn rust_crate(
    repo_root: &Path,
    package_dir: &Path,
    py: &pyproject::Pyproject,
    rust: Option<&setuptools_rust::Config>,
    maturin_backend: bool,
    warnings: &mut Vec<String>,
) -> Result<Option<cargo::Crate>> {
    let cargo_py = match rust.and_then(|c| c.main()) {
        Some(t) => {
            let mut p = py.clone();
            p.maturin.manifest_path = Some(t.path.clone());
            p.maturin.features = t.features.clone();
            p
        }
        None => py.clone(),
    };
    cargo::detect(repo_root, package_dir, &cargo_py, maturin_backend, warnings)
}

/// `[project] name`, the name on PyPI.
fn package_name(py: &pyproject::Pyproject, rel_dir: &str) -> Result<String> {
    py.name.clone().ok_or_else(|| {
        Error::in_file(
            display_path(rel_dir, "pyproject.toml"),
            "[project] has no `name`",
        )
        .with_hint("add `name = \"your-package\"` under [project]: it is the name on PyPI")
    })
}

/// What a maturin package's crate says: bindings (`[tool.maturin] bindings`
/// wins), manifest and workspace, abi3, PyO3.
fn crate_facts(
    project: &mut Project,
    py: &pyproject::Pyproject,
    c: &cargo::Crate,
    rel_dir: &str,
) -> Result<()> {
    project.bindings = match py.maturin.bindings.as_deref() {
        Some(b) => Some(Bindings::from_maturin(b).ok_or_else(|| {
            Error::in_file(
                display_path(rel_dir, "pyproject.toml"),
                format!("[tool.maturin] bindings = {b:?} is not a binding maturin knows"),
            )
            .with_hint("use one of: pyo3, pyo3-ffi, cffi, uniffi, bin (or remove the key)")
        })?),
        None => c.bindings,
    };
    project.cargo_manifest = Some(c.manifest.clone());
    project.workspace = c.workspace_manifest.is_some();
    project.workspace_manifest = c.workspace_manifest.clone();
    project.abi3 = c.abi3;
    project.pyo3_version = c.pyo3_version.clone();
    Ok(())
}

/// A PyO3 `module-name` whose last part is not the crate's `[lib] name`.
fn module_name_mismatch(project: &Project, m: &str, lib_name: &str) -> Option<String> {
    let last = m.rsplit('.').next().unwrap_or(m);
    (project.bindings == Some(Bindings::Pyo3) && last != lib_name).then(|| {
        format!(
            "[tool.maturin] module-name is {m:?} but the crate's [lib] name is {lib_name:?}: the extension \
             will not import as {last:?} unless its #[pymodule] is named so; left as is"
        )
    })
}

/// setuptools-rust's configuration, when anything says the package uses it.
fn setuptools_rust_config(
    package_dir: &Path,
    rel_dir: &str,
    py: &pyproject::Pyproject,
    pyproject_path: &Path,
) -> Result<Option<setuptools_rust::Config>> {
    let setup_py = std::fs::read_to_string(package_dir.join("setup.py")).unwrap_or_default();
    if !backend::setuptools_rust_signals(py, &setup_py) {
        return Ok(None);
    }
    let display = display_path(rel_dir, "pyproject.toml");
    let Some(file) = tomlfile::TomlFile::read(pyproject_path, &display)? else {
        return Ok(None);
    };
    let config = setuptools_rust::read(&file, package_dir, rel_dir)?;
    if let Some(t) = config.main() {
        if !package_dir.join(&t.path).is_file() {
            let table = if t.bin { "bins" } else { "ext-modules" };
            return Err(Error::in_file(
                &display,
                format!(
                    "the setuptools-rust {table} entry points to {}, which does not exist",
                    display_path(rel_dir, &t.path)
                ),
            )
            .with_hint("fix its `path` (relative to the directory of pyproject.toml)"));
        }
    }
    Ok(Some(config))
}

/// What a setuptools-rust package builds: the first extension (else binary)
/// is the module the smoke test imports.
fn setuptools_rust_facts(
    p: &mut Project,
    rust: &setuptools_rust::Config,
    cargo: Option<&cargo::Crate>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    use setuptools_rust::{Binding, LimitedApi};
    let pyproject = display_path(&p.package_dir, "pyproject.toml");
    let Some(main) = rust.main() else {
        let mut e = Error::in_file(
            &pyproject,
            "setuptools-rust builds this package, but no Rust extension or binary was found in \
             [[tool.setuptools-rust.ext-modules]], [[tool.setuptools-rust.bins]] or a literal \
             RustExtension(...)/RustBin(...) call in setup.py",
        );
        if !rust.unreadable.is_empty() {
            e = Error::in_file(&pyproject, rust.unreadable.join("; "));
        }
        return Err(e.with_hint(
            "declare the extension in [[tool.setuptools-rust.ext-modules]] (target, path) in \
             pyproject.toml, which pyrel reads without running setup.py",
        ));
    };
    let Some(c) = cargo else {
        return Err(Error::in_file(
            display_path(&p.package_dir, &main.path),
            "not found, but setuptools-rust builds it",
        ));
    };
    let target = match &main.target {
        Some(t) => t.clone(),
        None if main.bin => c.bin_name.clone().unwrap_or_else(|| c.package_name.clone()),
        None => {
            return Err(Error::in_file(
                &pyproject,
                format!(
                    "the setuptools-rust extension's target could not be read: {}",
                    rust.unreadable.join("; ")
                ),
            )
            .with_hint(
                "spell the target as a string literal in RustExtension(...), or declare it in \
                 [[tool.setuptools-rust.ext-modules]] in pyproject.toml",
            ))
        }
    };
    warnings.extend(rust.unreadable.iter().cloned());
    p.bindings = Some(match main.binding {
        Binding::Exec => Bindings::Bin,
        Binding::PyO3 => Bindings::Pyo3,
        Binding::RustCPython => Bindings::RustCpython,
        Binding::NoBinding => match c.bindings {
            Some(Bindings::Pyo3) => Bindings::Pyo3,
            _ => Bindings::Pyo3Ffi,
        },
    });
    p.cargo_manifest = Some(c.manifest.clone());
    p.workspace = c.workspace_manifest.is_some();
    p.workspace_manifest = c.workspace_manifest.clone();
    p.pyo3_version = c.pyo3_version.clone();
    p.features = main.features.clone();
    p.python_source = rust.package_dir.clone().filter(|d| !d.is_empty());
    p.module_name = target.clone();
    p.extension_module = (!main.bin).then_some(target);
    // The wheel is tagged abi3 only when bdist_wheel's py_limited_api says
    // so; setuptools-rust then builds with `pyo3/abi3-pyXY`.
    p.abi3 = match main.py_limited_api {
        LimitedApi::Off => None,
        _ if main.bin => None,
        _ => rust.wheel_limited_api.as_deref().and_then(Abi3::from_tag),
    };
    if p.abi3.is_none() && !main.bin && (c.abi3.is_some() || main.py_limited_api == LimitedApi::On)
    {
        warnings.push(format!(
            "{pyproject}: the extension is built for the stable ABI, but bdist_wheel's \
             py_limited_api is not set, so the wheels are tagged for one CPython each; set \
             [tool.distutils.bdist_wheel] py-limited-api = \"cp39\" (your floor) to publish \
             one abi3 wheel per platform"
        ));
    }
    Ok(())
}

/// Detected values end up in generated files; refuse the ones that could not
/// be written there safely, naming the file they came from.
fn validate_facts(p: &Project) -> Result<()> {
    let pyproject = display_path(&p.package_dir, "pyproject.toml");
    let fail = |file: &str, msg: String| Err(Error::in_file(file, msg));
    if let Err(m) = validate::package_name(&p.name) {
        return fail(&pyproject, format!("[project] name: {m}"));
    }
    let module_check = if p.is_bin() {
        validate::binary_name(&p.module_name)
    } else {
        validate::module_path(&p.module_name)
    };
    if let Err(m) = module_check {
        let origin = p.cargo_manifest.as_deref().unwrap_or(&pyproject);
        return fail(origin, format!("module or binary name: {m}"));
    }
    for path in [&p.python_source, &p.cargo_manifest, &p.workspace_manifest]
        .into_iter()
        .flatten()
        .chain((!p.package_dir.is_empty()).then_some(&p.package_dir))
    {
        if let Err(m) = validate::repo_path(path) {
            return fail(&pyproject, format!("path {m}"));
        }
    }
    for s in &p.version_sources {
        if let Err(m) = validate::version(&s.value) {
            return fail(&s.file, m);
        }
    }
    Ok(())
}

/// maturin's "Python first" src layout: with the crate in `rust/` and no
/// `python-source`, maturin takes the Python package from `src/`.
fn src_layout(p: &Project) -> Option<String> {
    let manifest = p.cargo_manifest.as_deref()?;
    if manifest != display_path(&p.package_dir, "rust/Cargo.toml") {
        return None;
    }
    let top = p.module_name.split('.').next()?;
    let dir = p
        .paths
        .repo_root
        .join(display_path(&p.package_dir, "src"))
        .join(top);
    dir.is_dir().then(|| "src".to_string())
}

/// maturin's wheel layout: a dotted `module-name` is the extension's own
/// path; otherwise pyo3 extensions sit inside a package of the same name
/// (`m/m.so`, with an `__init__.py` maturin writes or the user's own), and
/// cffi/uniffi packages are nested the same way only in mixed layouts.
fn extension_module(p: &Project) -> Option<String> {
    let m = &p.module_name;
    let nested = format!("{m}.{}", m.rsplit('.').next().unwrap_or(m));
    match p.bindings? {
        Bindings::Bin => None,
        _ if m.contains('.') => Some(m.clone()),
        Bindings::Pyo3 | Bindings::Pyo3Ffi => Some(nested),
        _ if p.python_source.is_some() || python_package_beside(p) => Some(nested),
        _ => Some(m.clone()),
    }
}

/// A mixed layout without `python-source`: the package directory sits
/// beside Cargo.toml.
fn python_package_beside(p: &Project) -> bool {
    p.paths
        .repo_root
        .join(display_path(&p.package_dir, &p.module_name))
        .join("__init__.py")
        .is_file()
}

fn module_name(py: &pyproject::Pyproject, cargo: Option<&cargo::Crate>, p: &Project) -> String {
    if p.is_bin() {
        if let Some(c) = cargo {
            return c.bin_name.clone().unwrap_or_else(|| c.package_name.clone());
        }
    }
    if let Some(m) = &py.maturin.module_name {
        return m.clone();
    }
    if let Some(c) = cargo {
        return c.lib_name.clone();
    }
    if let Some(first) = py.python.packages.first() {
        return first.clone();
    }
    p.name.replace(['-', '.'], "_").to_lowercase()
}

fn versions(
    p: &mut Project,
    py: &pyproject::Pyproject,
    cargo: Option<&cargo::Crate>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let pyproject_file = display_path(&p.package_dir, "pyproject.toml");
    let mut sources = Vec::new();
    if let Some(v) = &py.version {
        sources.push(VersionSource {
            file: pyproject_file.clone(),
            value: v.clone(),
            locator: Locator::Toml {
                key: vec!["project".into(), "version".into()],
            },
        });
    }
    if let Some(c) = cargo {
        if let Some(cv) = &c.version {
            // maturin takes the version from Cargo.toml when [project] has none.
            // When both are written and agree, they are kept in sync by hand
            // (both are sources); when they differ the crate is versioned on
            // its own, as some projects deliberately do.
            match &py.version {
                None => sources.push(cv.clone()),
                Some(v) if *v == cv.value || pep440(&cv.value) == pep440(v) => {
                    sources.push(cv.clone())
                }
                Some(v) => warnings.push(format!(
                    "{} has version {} but {} has {}: treating the crate version as independent",
                    cv.file, cv.value, pyproject_file, v
                )),
            }
        }
    }
    if let Some(v) = &py.python.poetry_version {
        if py.version.is_none() {
            sources.push(VersionSource {
                file: pyproject_file.clone(),
                value: v.clone(),
                locator: Locator::Toml {
                    key: vec!["tool".into(), "poetry".into(), "version".into()],
                },
            });
        }
    }
    if let Some(vf) = &py.python.version_file {
        sources.extend(pyversion::from_config(p, vf, warnings)?);
    }
    let legacy_poetry = py.python.poetry_version.is_some();
    if py.version.is_none() && !legacy_poetry && !py.dynamic.iter().any(|d| d == "version") {
        warnings.push(format!(
            "{pyproject_file}: [project] has no `version` and does not list it in `dynamic`"
        ));
    }
    for found in pyversion::find(p, warnings)? {
        if !sources.iter().any(|s| s.file == found.file) {
            sources.push(found);
        }
    }
    // Each `__version_info__` right after the `__version__` it sits beside.
    for t in pytuple::beside(&p.paths.repo_root, &sources, warnings)? {
        let at = sources
            .iter()
            .rposition(|s| s.file == t.file)
            .map_or(sources.len(), |i| i + 1);
        sources.insert(at, t);
    }
    p.version = sources.first().map(|s| pep440(&s.value));
    let distinct: std::collections::BTreeSet<String> =
        sources.iter().map(|s| pep440(&s.value)).collect();
    if distinct.len() > 1 {
        let list: Vec<String> = sources
            .iter()
            .map(|s| format!("{} = {}", s.file, s.value))
            .collect();
        warnings.push(format!(
            "the version sources disagree ({}); the release check will fail until they match",
            list.join(", ")
        ));
    }
    p.version_sources = sources;
    Ok(())
}

/// A version in its normalised PEP 440 spelling, as maturin reads a Cargo
/// version (`1.0.0-alpha.1` → `1.0.0a1`, `-rc.2` → `rc2`); unchanged when it
/// is not a version at all.
pub(crate) fn pep440(v: &str) -> String {
    crate::version::canonical(v).unwrap_or_else(|| v.to_string())
}

fn check_consistency(p: &Project, warnings: &mut Vec<String>) {
    if let (Some(abi3), Some(rp)) = (&p.abi3, &p.requires_python) {
        let floor = abi3.version();
        if let Some(rp_floor) = crate::version::python_floor(rp) {
            if rp_floor != floor {
                warnings.push(format!(
                    "requires-python is {rp:?} but the abi3 wheels target Python {floor}+"
                ));
            }
        }
    }
}

/// `dir/file` with `/` separators, or `file` when `dir` is the root.
pub(crate) fn display_path(dir: &str, file: &str) -> String {
    if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    }
}

/// `path` relative to `root`, with `/` separators (`""` when equal).
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep440_matches_maturin_conversion() {
        assert_eq!(pep440("1.2.3"), "1.2.3");
        assert_eq!(pep440("1.0.0-alpha.1"), "1.0.0a1");
        assert_eq!(pep440("1.0.0-beta.2"), "1.0.0b2");
        assert_eq!(pep440("1.0.0-rc.3"), "1.0.0rc3");
        assert_eq!(pep440("1.0.0-weird"), "1.0.0-weird");
    }
}
