//! The facts pyrel needs from pyproject.toml: `[build-system]`, `[project]`
//! and `[tool.maturin]`. `[tool.pyrel]` is read by `answers`, not here.

use std::collections::BTreeMap;
use std::path::Path;

use super::tomlfile::TomlFile;
use crate::error::{Error, Result};

#[derive(Debug, Default, Clone)]
pub(crate) struct Pyproject {
    pub build_backend: Option<String>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub dynamic: Vec<String>,
    pub requires_python: Option<String>,
    pub scripts: BTreeMap<String, String>,
    pub maturin: MaturinConfig,
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
    Ok(Pyproject {
        build_backend: f.str(&["build-system", "build-backend"])?,
        name: f.str(&["project", "name"])?,
        version: f.str(&["project", "version"])?,
        dynamic: f.str_list(&["project", "dynamic"])?.unwrap_or_default(),
        requires_python: f.str(&["project", "requires-python"])?,
        scripts,
        maturin: MaturinConfig {
            bindings: f.str(&["tool", "maturin", "bindings"])?,
            python_source: f.str(&["tool", "maturin", "python-source"])?,
            module_name: f.str(&["tool", "maturin", "module-name"])?,
            features: f
                .str_list(&["tool", "maturin", "features"])?
                .unwrap_or_default(),
            manifest_path: f.str(&["tool", "maturin", "manifest-path"])?,
        },
    })
}
