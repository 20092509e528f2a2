//! What maturin needs from the crate: a `cdylib` for extension modules, a
//! module name the extension actually exports, the Python source directory,
//! and a Cargo.lock so the wheels are built from the dependencies you tested.

use toml_edit::Item;

use super::{line_of, line_of_table, Finding, FindingId, Fix, Inputs, Severity};
use crate::inspect::display_path;
use crate::inspect::tomlfile::TomlFile;

pub(super) fn check(i: &Inputs<'_>, cargo: Option<&TomlFile>, out: &mut Vec<Finding>) {
    let p = i.project;
    let Some(cargo) = cargo else {
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
            line: line_of(cargo, &["lib", "crate-type"]).or_else(|| line_of_table(cargo, &["lib"])),
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
        module_name(i, cargo, out);
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

/// The extension module maturin builds is imported as the last component of
/// `module-name` (default: the `[lib]` name), and Python then calls
/// `PyInit_<that name>`. PyO3 exports `PyInit_<name>` for each `#[pymodule]`:
/// the function's (or inline module's) name, unless `#[pyo3(name = "...")]`
/// or `#[pymodule(name = ...)]` renames it; the `[lib]` name plays no part.
/// Sources: PyO3 guide "Python modules" (pyo3.rs/main/module.html) and
/// maturin's project layout guide.
///
/// An error only when the crate's lib.rs is read whole (no `mod x;` in
/// other files, no macros that could define a module) and no module it
/// defines has the name: then `import` certainly fails. Otherwise a warning,
/// and no finding at all when pyrel cannot find a `#[pymodule]`.
fn module_name(i: &Inputs<'_>, cargo: &crate::inspect::tomlfile::TomlFile, out: &mut Vec<Finding>) {
    let p = i.project;
    let last = p.module_name.rsplit('.').next().unwrap_or(&p.module_name);
    let manifest_dir = cargo.display.rsplit_once('/').map_or("", |(d, _)| d);
    let lib_rel = cargo
        .get(&["lib", "path"])
        .and_then(Item::as_str)
        .unwrap_or("src/lib.rs");
    let lib_file = display_path(manifest_dir, lib_rel);
    let Ok(src) = std::fs::read_to_string(p.paths.repo_root.join(&lib_file)) else {
        return;
    };
    let found = pymodules(&src);
    if found.modules.is_empty() || found.modules.iter().any(|m| m.exported == last) {
        return;
    }
    let certain = !found.other_files && !found.macros;
    let first = &found.modules[0];
    let names: Vec<String> = found
        .modules
        .iter()
        .map(|m| format!("PyInit_{}", m.exported))
        .collect();
    out.push(Finding {
        id: FindingId::ModuleNameMismatch,
        severity: if certain {
            Severity::Error
        } else {
            Severity::Warning
        },
        file: lib_file.clone(),
        line: Some(first.line),
        message: format!(
            "maturin names the extension {:?} (module-name {:?}), so Python looks for \
             PyInit_{last}, but {lib_file} {} {}{}",
            last,
            p.module_name,
            if certain {
                "exports"
            } else {
                "appears to export only"
            },
            names.join(", "),
            if certain {
                ": `import` fails"
            } else {
                " (pyrel did not read the other source files)"
            }
        ),
        fix: Fix::Text {
            text: format!(
                "add `#[pyo3(name = \"{last}\")]` under `#[pymodule]` on `{}` in {lib_file}, or \
                 set [tool.maturin] module-name to end in `{}`",
                first.item, first.exported
            ),
        },
    });
}

/// A `#[pymodule]` in a Rust file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PyModule {
    /// The function or module the attribute is on.
    pub item: String,
    /// The name Python imports it by (`PyInit_<exported>`).
    pub exported: String,
    pub line: usize,
}

#[derive(Debug, Default)]
pub(crate) struct PyModules {
    pub modules: Vec<PyModule>,
    /// `mod x;`: some of the crate is in files not read here.
    pub other_files: bool,
    /// A macro call at item level (`macro_rules!`, `include!`) could define
    /// a module pyrel cannot see.
    pub macros: bool,
}

/// Every `#[pymodule]` item of `src`, with the name it exports.
pub(crate) fn pymodules(src: &str) -> PyModules {
    let code = strip_comments(src);
    let b = code.as_bytes();
    let mut out = PyModules {
        other_files: code.lines().any(|l| {
            let t = l.trim_start();
            let t = t.strip_prefix("pub ").unwrap_or(t).trim_start();
            t.starts_with("mod ") && t.trim_end().ends_with(';')
        }),
        macros: code.contains("macro_rules!") || code.contains("include!"),
        ..Default::default()
    };
    let mut i = 0;
    while i < b.len() {
        // Not inside a string or a character literal.
        if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            continue;
        }
        if b[i] == b'\'' && b.get(i + 2) == Some(&b'\'') {
            i += 3;
            continue;
        }
        if !(b[i] == b'#' && b.get(i + 1) == Some(&b'[')) {
            i += 1;
            continue;
        }
        // A run of outer attributes, then the item they are on.
        let start = i;
        let mut attrs = Vec::new();
        while b.get(i) == Some(&b'#') && b.get(i + 1) == Some(&b'[') {
            let Some(end) = matching(b, i + 1) else {
                return out;
            };
            attrs.push(code[i + 2..end].trim().to_string());
            i = skip_ws(b, end + 1);
        }
        let Some(pymodule) = attrs.iter().find(|a| {
            a.starts_with("pymodule")
                && !a[8..].starts_with(|c: char| c == '_' || c.is_alphanumeric())
        }) else {
            continue;
        };
        let Some(item) = item_name(&code[i..]) else {
            continue;
        };
        let renamed = attrs
            .iter()
            .filter(|a| a.starts_with("pyo3"))
            .chain(std::iter::once(pymodule))
            .find_map(|a| name_arg(a));
        out.modules.push(PyModule {
            exported: renamed.unwrap_or_else(|| item.clone()),
            item,
            line: code[..start].matches('\n').count() + 1,
        });
    }
    out
}

/// `src` with `//` and `/* */` comments blanked (newlines kept), strings kept.
fn strip_comments(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1)) {
            (b'"', _) => {
                out.push(b'"');
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' && i + 1 < b.len() {
                        out.push(b[i]);
                        i += 1;
                    }
                    out.push(b[i]);
                    i += 1;
                }
                if i < b.len() {
                    out.push(b'"');
                    i += 1;
                }
            }
            (b'/', Some(b'/')) => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            (b'/', Some(b'*')) => {
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    if b[i] == b'\n' {
                        out.push(b'\n');
                    }
                    i += 1;
                }
                i += 2;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The index of the `]` closing the `[` at `open`, skipping strings.
fn matching(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    let mut in_str = false;
    while i < b.len() {
        match b[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'[' if !in_str => depth += 1,
            b']' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// `fn NAME` or `mod NAME` after visibility and qualifiers.
fn item_name(rest: &str) -> Option<String> {
    let mut words = rest
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#'))
        .filter(|w| !w.is_empty());
    loop {
        match words.next()? {
            "pub" | "crate" | "super" | "in" | "unsafe" | "extern" | "C" | "async" | "const" => {}
            "fn" | "mod" => {
                let name = words.next()?;
                return Some(name.strip_prefix("r#").unwrap_or(name).to_string());
            }
            _ => return None,
        }
    }
}

/// `name = "x"` or `name = x` in an attribute's arguments.
fn name_arg(attr: &str) -> Option<String> {
    let args = attr.split_once('(')?.1;
    let at = args
        .match_indices("name")
        .find(|(at, _)| {
            let before = args[..*at].chars().next_back();
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                && args[at + 4..].trim_start().starts_with('=')
        })?
        .0;
    let value = args[at + 4..].trim_start()[1..].trim_start();
    let value = value.strip_prefix('"').unwrap_or(value);
    let name: String = value
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pymodule_names_follow_pyo3() {
        let m = pymodules("use pyo3::prelude::*;\n\n#[pymodule]\nfn docpkg(_m: &Bound<'_, PyModule>) -> PyResult<()> {\n    Ok(())\n}\n");
        assert_eq!(
            m.modules,
            [PyModule {
                item: "docpkg".into(),
                exported: "docpkg".into(),
                line: 3
            }]
        );
        let m = pymodules("#[pymodule]\n#[pyo3(name = \"_native\")]\npub(crate) fn x() {}\n#[pymodule(name = other)]\nmod y {}\n");
        let names: Vec<&str> = m.modules.iter().map(|m| m.exported.as_str()).collect();
        assert_eq!(names, ["_native", "other"]);
        assert!(!m.other_files && !m.macros);
        assert!(pymodules("mod a;\n").other_files);
        assert!(pymodules("pub mod a;\n").other_files);
        assert!(!pymodules("mod a {}\n").other_files);
    }
}
