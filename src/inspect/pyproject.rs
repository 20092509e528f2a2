//! The facts pyrel needs from pyproject.toml: `[build-system]`, `[project]`
//! and `[tool.maturin]`. `[tool.pyrel]` is read by `answers`, not here.

use std::collections::BTreeMap;
use std::path::Path;

use super::tomlfile::TomlFile;
use crate::error::{Error, Result};

#[derive(Debug, Default, Clone)]
pub(crate) struct Pyproject {
    pub build_backend: Option<String>,
    /// `[build-system] requires`, as written.
    pub requires: Vec<String>,
    /// `[build-system] backend-path`: an in-tree backend lives there.
    pub backend_path: Vec<String>,
    /// `[tool.setuptools-rust]` is present.
    pub setuptools_rust: bool,
    /// `[tool.setuptools] ext-modules` is present.
    pub setuptools_ext_modules: bool,
    /// A backend build hook or script that compiles code, as `where`.
    pub build_hook: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub dynamic: Vec<String>,
    pub requires_python: Option<String>,
    pub scripts: BTreeMap<String, String>,
    /// `[project.urls]` label → URL (string values only), as written.
    pub urls: Vec<(String, String)>,
    pub maturin: MaturinConfig,
    pub python: PythonConfig,
}

/// What pure-Python backends (hatchling, poetry-core, setuptools, pdm,
/// flit) say about versions and packages.
#[derive(Debug, Default, Clone)]
pub(crate) struct PythonConfig {
    /// `[tool.poetry] version` (legacy Poetry metadata).
    pub poetry_version: Option<String>,
    /// A file the backend reads the version from, relative to the package
    /// directory: `[tool.hatch.version] path`, `[tool.pdm.version] path`,
    /// setuptools `attr:`/`file:`.
    pub version_file: Option<VersionFile>,
    /// The version comes from git tags (hatch-vcs, setuptools-scm, pdm scm).
    pub vcs: bool,
    /// Importable top-level packages named by the backend's config.
    pub packages: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) enum VersionFile {
    /// `__version__ = "..."` (or another variable) in a Python file.
    Python { path: String, variable: String },
    /// The whole (stripped) content of a text file.
    Text { path: String },
    /// hatch's regex source: its default pattern (a `__version__` or
    /// `VERSION` assignment, any case) or a custom one with a `version` group.
    Hatch {
        path: String,
        pattern: Option<String>,
    },
}

#[derive(Debug, Default, Clone)]
pub(crate) struct MaturinConfig {
    pub bindings: Option<String>,
    pub python_source: Option<String>,
    pub module_name: Option<String>,
    pub features: Vec<String>,
    pub manifest_path: Option<String>,
}

pub(crate) fn read(path: &Path, display: &str) -> Result<Pyproject> {
    let file = TomlFile::read(path, display)?.ok_or_else(|| {
        Error::in_file(display, "not found").with_hint(
            "run pyrel in (or pass the path of) the directory that holds the package's \
             pyproject.toml; for a new Rust extension, `maturin init` creates one",
        )
    })?;
    parse(&file)
}

pub(crate) fn parse(f: &TomlFile) -> Result<Pyproject> {
    let mut scripts = BTreeMap::new();
    if let Some(item) = f.get(&["project", "scripts"]) {
        let table = item
            .as_table_like()
            .ok_or_else(|| f.type_error(&["project", "scripts"], item, "a table"))?;
        for (k, v) in table.iter() {
            let target = v
                .as_str()
                .ok_or_else(|| f.type_error(&["project", "scripts", k], v, "a string"))?;
            scripts.insert(k.to_string(), target.to_string());
        }
    }
    if scripts.is_empty() {
        if let Some(t) = f
            .get(&["tool", "poetry", "scripts"])
            .and_then(|i| i.as_table_like())
        {
            for (k, v) in t.iter() {
                if let Some(target) = v.as_str() {
                    scripts.insert(k.to_string(), target.to_string());
                }
            }
        }
    }
    Ok(Pyproject {
        build_backend: f.str(&["build-system", "build-backend"])?,
        requires: f
            .str_list(&["build-system", "requires"])?
            .unwrap_or_default(),
        backend_path: f
            .str_list(&["build-system", "backend-path"])?
            .unwrap_or_default(),
        setuptools_rust: f.get(&["tool", "setuptools-rust"]).is_some(),
        setuptools_ext_modules: f.get(&["tool", "setuptools", "ext-modules"]).is_some(),
        build_hook: build_hook(f),
        name: match f.str(&["project", "name"])? {
            Some(n) => Some(n),
            None => f.str(&["tool", "poetry", "name"])?,
        },
        version: f.str(&["project", "version"])?,
        dynamic: f.str_list(&["project", "dynamic"])?.unwrap_or_default(),
        requires_python: f.str(&["project", "requires-python"])?,
        scripts,
        urls: f
            .get(&["project", "urls"])
            .and_then(|i| i.as_table_like())
            .map(|t| {
                t.iter()
                    .filter_map(|(k, v)| Some((k.to_string(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default(),
        maturin: MaturinConfig {
            bindings: f.str(&["tool", "maturin", "bindings"])?,
            python_source: f.str(&["tool", "maturin", "python-source"])?,
            module_name: f.str(&["tool", "maturin", "module-name"])?,
            features: f
                .str_list(&["tool", "maturin", "features"])?
                .unwrap_or_default(),
            manifest_path: f.str(&["tool", "maturin", "manifest-path"])?,
        },
        python: python_config(f)?,
    })
}

fn python_config(f: &TomlFile) -> Result<PythonConfig> {
    let requires = f
        .str_list(&["build-system", "requires"])?
        .unwrap_or_default();
    let needs = |dist: &str| {
        requires
            .iter()
            .any(|r| r.trim().to_lowercase().replace('_', "-").starts_with(dist))
    };
    let hatch_source = f.str(&["tool", "hatch", "version", "source"])?;
    let pdm_source = f.str(&["tool", "pdm", "version", "source"])?;
    let vcs = hatch_source.as_deref() == Some("vcs")
        || pdm_source.as_deref() == Some("scm")
        || f.get(&["tool", "setuptools_scm"]).is_some()
        || (needs("setuptools-scm")
            && f.get(&["tool", "setuptools", "dynamic", "version"])
                .is_none())
        || f.get(&["tool", "poetry-dynamic-versioning"]).is_some();

    let mut version_file = None;
    if let Some(path) = f.str(&["tool", "hatch", "version", "path"])? {
        // hatch's `pattern` is a regex, or `true` for its default one.
        let pattern = match f.get(&["tool", "hatch", "version", "pattern"]) {
            Some(item) if item.as_bool().is_some() => None,
            _ => f.str(&["tool", "hatch", "version", "pattern"])?,
        };
        version_file = Some(VersionFile::Hatch { path, pattern });
    } else if pdm_source.as_deref() == Some("file") {
        if let Some(path) = f.str(&["tool", "pdm", "version", "path"])? {
            version_file = Some(VersionFile::Python {
                path,
                variable: "__version__".into(),
            });
        }
    } else if let Some(attr) = f.str(&["tool", "setuptools", "dynamic", "version", "attr"])? {
        version_file = attr_file(&attr);
    } else if let Some(item) = f.get(&["tool", "setuptools", "dynamic", "version", "file"]) {
        let path = item
            .as_str()
            .map(str::to_string)
            .or_else(|| super::tomlfile::str_array(item).and_then(|v| v.into_iter().next()));
        version_file = path.map(|path| VersionFile::Text { path });
    }

    let mut packages = Vec::new();
    if let Some(list) = f.str_list(&["tool", "hatch", "build", "targets", "wheel", "packages"])? {
        packages.extend(
            list.iter()
                .filter_map(|p| p.rsplit('/').next().map(str::to_string)),
        );
    }
    if let Some(arr) = f
        .get(&["tool", "poetry", "packages"])
        .and_then(|i| i.as_array())
    {
        for v in arr.iter() {
            if let Some(inc) = v
                .as_inline_table()
                .and_then(|t| t.get("include"))
                .and_then(|i| i.as_str())
            {
                packages.push(inc.to_string());
            }
        }
    }
    Ok(PythonConfig {
        poetry_version: f.str(&["tool", "poetry", "version"])?,
        version_file,
        vcs,
        packages,
    })
}

/// Backend build hooks that exist to compile code: a poetry build script,
/// pdm's setuptools pass, hatch's cython/mypyc hooks.
fn build_hook(f: &TomlFile) -> Option<String> {
    if f.get(&["tool", "poetry", "build"]).is_some() {
        return Some("[tool.poetry] build".into());
    }
    if f.get(&["tool", "pdm", "build", "run-setuptools"])
        .and_then(|i| i.as_bool())
        == Some(true)
    {
        return Some("[tool.pdm.build] run-setuptools".into());
    }
    for keys in [
        &["tool", "hatch", "build", "hooks"][..],
        &["tool", "hatch", "build", "targets", "wheel", "hooks"][..],
    ] {
        let Some(hooks) = f.get(keys).and_then(|i| i.as_table_like()) else {
            continue;
        };
        for (name, _) in hooks.iter() {
            if ["cython", "mypyc", "scikit-build", "cmake", "zig"]
                .iter()
                .any(|c| name.contains(c))
            {
                return Some(format!("[{}.{name}]", keys.join(".")));
            }
        }
    }
    None
}

/// `attr: pkg.mod.__version__` → `pkg/mod.py` (or `pkg/mod/__init__.py`,
/// decided by the caller that can look at the disk).
fn attr_file(attr: &str) -> Option<VersionFile> {
    let (module, variable) = attr.trim().rsplit_once('.')?;
    Some(VersionFile::Python {
        path: format!("{}.py", module.replace('.', "/")),
        variable: variable.to_string(),
    })
}
