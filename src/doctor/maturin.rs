//! What maturin needs from the crate: a `cdylib` for extension modules, a
//! module name the extension actually exports, the Python source directory,
//! and a Cargo.lock so the wheels are built from the dependencies you tested.

use toml_edit::Item;

use super::metadata::cargo_manifest;
use super::{line_of, line_of_table, Finding, FindingId, Fix, Inputs, Severity};
use crate::inspect::display_path;

pub(super) fn check(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    let p = i.project;
    let Some(cargo) = cargo_manifest(p) else {
        return;
    };
    let extension = p.bindings.is_some_and(|b| b.is_extension());
    let crate_types = cargo
        .get(&["lib", "crate-type"])
        .and_then(crate::inspect::tomlfile::str_array)
        .unwrap_or_default();
    if extension && !crate_types.iter().any(|t| t == "cdylib") {
        out.push(Finding {
            id: FindingId::CrateTypeCdylib,
            severity: Severity::Error,
            file: cargo.display.clone(),
            line: line_of(&cargo, &["lib", "crate-type"])
                .or_else(|| line_of_table(&cargo, &["lib"])),
            message: "[lib] crate-type does not include \"cdylib\": maturin cannot build a Python \
                      extension module from this crate"
                .into(),
            fix: Fix::Toml {
                file: cargo.display.clone(),
                table: "lib".into(),
                key: "crate-type".into(),
                value: "[\"cdylib\"]".into(),
            },
        });
    }
    if p.bindings == Some(crate::inspect::Bindings::Pyo3) {
        let lib = cargo
            .get(&["lib", "name"])
            .and_then(Item::as_str)
            .map(str::to_string)
            .or_else(|| {
                cargo
                    .get(&["package", "name"])
                    .and_then(Item::as_str)
                    .map(|n| n.replace('-', "_"))
            });
        let last = p.module_name.rsplit('.').next().unwrap_or(&p.module_name);
        if let Some(lib) = lib.filter(|l| l != last) {
            out.push(Finding {
                id: FindingId::ModuleNameMismatch,
                severity: Severity::Error,
                file: i.pyproject.display.clone(),
                line: line_of(i.pyproject, &["tool", "maturin", "module-name"]),
                message: format!(
                    "[tool.maturin] module-name ends in {last:?} but the crate's [lib] name is \
                     {lib:?}: the extension exports PyInit_{lib}, so `import {}` fails",
                    p.module_name
                ),
                fix: Fix::Toml {
                    file: cargo.display.clone(),
                    table: "lib".into(),
                    key: "name".into(),
                    value: format!("{last:?}"),
                },
            });
        }
    }
    if let Some(src) = &p.python_source {
        let dir = display_path(&p.package_dir, src);
        if !p.paths.repo_root.join(&dir).is_dir() {
            out.push(Finding {
                id: FindingId::PythonSourceMissing,
                severity: Severity::Error,
                file: i.pyproject.display.clone(),
                line: line_of(i.pyproject, &["tool", "maturin", "python-source"]),
                message: format!(
                    "python-source is {src:?}, but {dir}/ does not exist: maturin fails"
                ),
                fix: Fix::Text {
                    text: format!("create {dir}/ with the Python package, or remove python-source"),
                },
            });
        }
    }
    let lock_dir = p
        .workspace_manifest
        .as_deref()
        .or(p.cargo_manifest.as_deref())
        .and_then(|m| m.rsplit_once('/').map(|(d, _)| d.to_string()))
        .unwrap_or_default();
    let lock = display_path(&lock_dir, "Cargo.lock");
    if !p.paths.repo_root.join(&lock).is_file() {
        out.push(Finding {
            id: FindingId::CargoLockMissing,
            severity: Severity::Warning,
            file: lock.clone(),
            line: None,
            message: "no Cargo.lock is committed: each wheel resolves the crate's dependencies \
                      anew, so wheels of one release may be built from different versions than \
                      you tested"
                .into(),
            fix: Fix::Command {
                command: if lock_dir.is_empty() {
                    "cargo generate-lockfile && git add Cargo.lock".into()
                } else {
                    format!("cargo generate-lockfile --manifest-path {lock_dir}/Cargo.toml && git add {lock}")
                },
            },
        });
    }
}
