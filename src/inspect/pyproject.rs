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

/// The package's pyproject.toml, which must exist.
pub(crate) fn read_file(path: &Path, display: &str) -> Result<TomlFile> {
    TomlFile::read(path, display)?.ok_or_else(|| {
        Error::in_file(display, "not found").with_hint(
            "run pyrel in (or pass the path of) the directory that holds the package's \
             pyproject.toml; for a new Rust extension, `maturin init` creates one",
        )
    })
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

#[cfg(test)]
mod tests {
    //! What `parse` reads, key by key (several were survivors of mutation
    //! testing: see README, "Mutation testing").
    use super::*;

    fn parse_text(text: &str) -> Pyproject {
        parse(&TomlFile::parse(text.to_string(), "pyproject.toml").unwrap()).unwrap()
    }

    fn python(text: &str) -> PythonConfig {
        parse_text(text).python
    }

    #[test]
    fn each_vcs_plugin_alone_makes_the_version_vcs() {
        for (config, vcs) in [
            ("[tool.hatch.version]\nsource = \"vcs\"\n", true),
            ("[tool.hatch.version]\nsource = \"regex\"\npath = \"v.py\"\n", false),
            ("[tool.pdm.version]\nsource = \"scm\"\n", true),
            ("[tool.pdm.version]\nsource = \"file\"\npath = \"v.py\"\n", false),
            ("[tool.setuptools_scm]\n", true),
            ("[build-system]\nrequires = [\"setuptools>=64\", \"setuptools_scm>=8\"]\n", true),
            ("[build-system]\nrequires = [\"Setuptools-SCM\"]\n", true),
            // setuptools-scm installed, but the version is an attribute.
            ("[build-system]\nrequires = [\"setuptools\", \"setuptools-scm\"]\n[tool.setuptools.dynamic]\nversion = { attr = \"pkg.__version__\" }\n", false),
            ("[tool.poetry-dynamic-versioning]\nenable = true\n", true),
            ("[build-system]\nrequires = [\"setuptools\"]\n", false),
            ("", false),
        ] {
            assert_eq!(python(config).vcs, vcs, "{config}");
        }
    }

    #[test]
    fn version_files_by_backend() {
        let file = |text: &str| python(text).version_file;
        // hatch: `pattern = true` is hatch's default pattern; a string is its own.
        assert!(matches!(
            file("[tool.hatch.version]\npath = \"pkg/v.py\"\npattern = true\n"),
            Some(VersionFile::Hatch { path, pattern: None }) if path == "pkg/v.py"
        ));
        assert!(matches!(
            file("[tool.hatch.version]\npath = \"pkg/v.py\"\npattern = \"V = (?P<version>.+)\"\n"),
            Some(VersionFile::Hatch { pattern: Some(p), .. }) if p == "V = (?P<version>.+)"
        ));
        assert!(matches!(
            file("[tool.hatch.version]\npath = \"pkg/v.py\"\n"),
            Some(VersionFile::Hatch { pattern: None, .. })
        ));
        // pdm: only the `file` source names one.
        assert!(matches!(
            file("[tool.pdm.version]\nsource = \"file\"\npath = \"pkg/v.py\"\n"),
            Some(VersionFile::Python { path, variable }) if path == "pkg/v.py" && variable == "__version__"
        ));
        assert!(file("[tool.pdm.version]\nsource = \"scm\"\npath = \"pkg/v.py\"\n").is_none());
        // setuptools: `attr:` and `file:` (a string or the first of a list).
        assert!(matches!(
            file("[tool.setuptools.dynamic]\nversion = { attr = \" pkg.sub.VERSION \" }\n"),
            Some(VersionFile::Python { path, variable }) if path == "pkg/sub.py" && variable == "VERSION"
        ));
        assert!(file("[tool.setuptools.dynamic]\nversion = { attr = \"VERSION\" }\n").is_none());
        for spec in ["\"VERSION.txt\"", "[\"VERSION.txt\", \"other\"]"] {
            assert!(
                matches!(
                    file(&format!("[tool.setuptools.dynamic]\nversion = {{ file = {spec} }}\n")),
                    Some(VersionFile::Text { path }) if path == "VERSION.txt"
                ),
                "{spec}"
            );
        }
        assert!(file("").is_none());
    }

    #[test]
    fn build_hooks_that_compile_are_named() {
        for (config, hook) in [
            (
                "[tool.poetry]\nbuild = \"build.py\"\n",
                Some("[tool.poetry] build"),
            ),
            (
                "[tool.pdm.build]\nrun-setuptools = true\n",
                Some("[tool.pdm.build] run-setuptools"),
            ),
            ("[tool.pdm.build]\nrun-setuptools = false\n", None),
            (
                "[tool.hatch.build.hooks.mypyc]\n",
                Some("[tool.hatch.build.hooks.mypyc]"),
            ),
            (
                "[tool.hatch.build.targets.wheel.hooks.cython]\n",
                Some("[tool.hatch.build.targets.wheel.hooks.cython]"),
            ),
            (
                "[tool.hatch.build.hooks.vcs]\nversion-file = \"v.py\"\n",
                None,
            ),
            ("", None),
        ] {
            assert_eq!(parse_text(config).build_hook.as_deref(), hook, "{config}");
        }
    }

    #[test]
    fn project_tables_are_read_as_written() {
        let p = parse_text(
            "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\nbackend-path = [\"_build\"]\n\
             [project]\nname = \"pkg\"\nversion = \"1.0\"\ndynamic = [\"readme\"]\nrequires-python = \">=3.9\"\n\
             [project.scripts]\npkg = \"pkg.cli:main\"\n[project.urls]\nSource = \"https://github.com/o/r\"\nOdd = 3\n\
             [tool.setuptools-rust]\n[tool.setuptools]\next-modules = []\n\
             [tool.maturin]\nbindings = \"pyo3\"\npython-source = \"python\"\nmodule-name = \"pkg._pkg\"\nfeatures = [\"f\"]\nmanifest-path = \"rust/Cargo.toml\"\n\
             [tool.hatch.build.targets.wheel]\npackages = [\"src/pkg\", \"other\"]\n",
        );
        assert_eq!(p.build_backend.as_deref(), Some("hatchling.build"));
        assert_eq!(p.requires, ["hatchling"]);
        assert_eq!(p.backend_path, ["_build"]);
        assert!(p.setuptools_rust && p.setuptools_ext_modules);
        assert_eq!(
            (p.name.as_deref(), p.version.as_deref()),
            (Some("pkg"), Some("1.0"))
        );
        assert_eq!(p.dynamic, ["readme"]);
        assert_eq!(p.requires_python.as_deref(), Some(">=3.9"));
        assert_eq!(
            p.scripts.get("pkg").map(String::as_str),
            Some("pkg.cli:main")
        );
        assert_eq!(
            p.urls,
            [("Source".to_string(), "https://github.com/o/r".to_string())]
        );
        let m = &p.maturin;
        assert_eq!(
            (
                m.bindings.as_deref(),
                m.python_source.as_deref(),
                m.module_name.as_deref(),
                m.manifest_path.as_deref()
            ),
            (
                Some("pyo3"),
                Some("python"),
                Some("pkg._pkg"),
                Some("rust/Cargo.toml")
            )
        );
        assert_eq!(m.features, ["f"]);
        assert_eq!(p.python.packages, ["pkg", "other"]);
        // Poetry's own tables when [project] is silent.
        let p = parse_text(
            "[tool.poetry]\nname = \"legacy\"\nversion = \"0.3.0\"\npackages = [{ include = \"legacy\" }, { from = \"src\" }]\n\
             [tool.poetry.scripts]\nlegacy = \"legacy:main\"\n",
        );
        assert_eq!(p.name.as_deref(), Some("legacy"));
        assert_eq!(p.python.poetry_version.as_deref(), Some("0.3.0"));
        assert_eq!(p.python.packages, ["legacy"]);
        assert_eq!(
            p.scripts.get("legacy").map(String::as_str),
            Some("legacy:main")
        );
        // A script that is not a string is an error at its line.
        let err =
            parse(&TomlFile::parse("[project.scripts]\nx = 1\n".into(), "pyproject.toml").unwrap())
                .unwrap_err()
                .to_string();
        assert!(
            err.contains("pyproject.toml:2:5: `project.scripts.x` must be a string"),
            "{err}"
        );
    }
}
