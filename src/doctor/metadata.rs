//! What PyPI and installers see: the long description (twine's strict check
//! rejects a distribution without one), the license, requires-python, the
//! build system, and console scripts that must resolve after install.

use std::path::Path;

use toml_edit::Item;

use super::{line_of, line_of_table, Finding, FindingId, Fix, Inputs, Severity};
use crate::inspect::tomlfile::TomlFile;
use crate::inspect::{display_path, Project};

pub(super) fn check(i: &Inputs<'_>, cargo: Option<&TomlFile>, out: &mut Vec<Finding>) {
    build_system(i, out);
    readme(i, cargo, out);
    license(i, cargo, out);
    requires_python(i, out);
    scripts(i, out);
}

/// The crate's manifest, for what maturin takes from Cargo when pyproject
/// is silent (readme, license).
pub(super) fn cargo_manifest(p: &Project) -> Option<TomlFile> {
    let rel = p.cargo_manifest.as_deref()?;
    TomlFile::read(&p.paths.repo_root.join(rel), rel)
        .ok()
        .flatten()
}

fn finding(
    id: FindingId,
    severity: Severity,
    file: &TomlFile,
    keys: &[&str],
    message: String,
    fix: Fix,
) -> Finding {
    Finding {
        id,
        severity,
        file: file.display.clone(),
        line: line_of(file, keys).or_else(|| line_of_table(file, keys)),
        message,
        fix,
    }
}

fn add(file: &TomlFile, table: &str, key: &str, value: &str) -> Fix {
    Fix::Toml {
        file: file.display.clone(),
        table: table.into(),
        key: key.into(),
        value: value.into(),
    }
}

fn dynamic(py: &TomlFile, key: &str) -> bool {
    py.get(&["project", "dynamic"])
        .and_then(crate::inspect::tomlfile::str_array)
        .is_some_and(|d| d.iter().any(|k| k == key))
}

/// The metadata table the package uses: `[project]`, or `[tool.poetry]` for
/// legacy Poetry packages without one.
fn meta_table(py: &TomlFile) -> &'static [&'static str] {
    if py.get(&["project"]).is_none() && py.get(&["tool", "poetry"]).is_some() {
        &["tool", "poetry"]
    } else {
        &["project"]
    }
}

fn build_system(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    let py = i.pyproject;
    if i.project.is_cibuildwheel() {
        // setup.py or [tool.setuptools-rust] says setuptools-rust builds the
        // extension, but an isolated build (pip from the sdist, cibuildwheel)
        // installs only what `requires` lists.
        let requires = py
            .str_list(&["build-system", "requires"])
            .ok()
            .flatten()
            .unwrap_or_default();
        let listed = requires.iter().any(|r| {
            let name: String = r
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            name.to_ascii_lowercase().replace(['_', '.'], "-") == "setuptools-rust"
        });
        if !listed {
            out.push(Finding {
                id: FindingId::BuildSystemMissing,
                severity: Severity::Error,
                file: py.display.clone(),
                line: line_of(py, &["build-system"]),
                message: "setuptools-rust builds the Rust extension, but [build-system] requires \
                          does not list it: an isolated build (pip from the sdist, cibuildwheel) \
                          fails with `No module named 'setuptools_rust'`"
                    .into(),
                fix: Fix::Text {
                    text: "list it in [build-system]: requires = [\"setuptools>=77\", \
                           \"setuptools-rust>=1.11\"]"
                        .into(),
                },
            });
        }
        return;
    }
    if py.get(&["build-system", "build-backend"]).is_some() {
        return;
    }
    let (requires, backend) = if i.project.is_maturin() {
        ("[\"maturin>=1.9,<2.0\"]", "\"maturin\"")
    } else {
        return; // legacy setuptools: pip's fallback builds it as it always did
    };
    out.push(Finding {
        id: FindingId::BuildSystemMissing,
        severity: Severity::Error,
        file: py.display.clone(),
        line: line_of(py, &["build-system"]),
        message: format!(
            "[build-system] does not name the build backend, so installers from the sdist \
             would not use maturin (requires = {requires})"
        ),
        fix: add(py, "build-system", "build-backend", backend),
    });
}

fn readme(i: &Inputs<'_>, cargo: Option<&TomlFile>, out: &mut Vec<Finding>) {
    let py = i.pyproject;
    let table = meta_table(py);
    if dynamic(py, "readme") {
        return; // a plugin (hatch-fancy-pypi-readme, ...) provides it
    }
    let key: Vec<&str> = table.iter().copied().chain(["readme"]).collect();
    let Some(readme) = named_readme(py, &key, cargo) else {
        out.push(no_readme(i, table));
        return;
    };
    let Some(path) = readme.path else {
        return; // inline text
    };
    let on_disk = if readme.from_repo_root {
        i.project.paths.repo_root.join(&path)
    } else {
        i.project.paths.pyproject.with_file_name(&path)
    };
    if !on_disk.is_file() {
        out.push(finding(
            FindingId::ReadmeNotFound,
            Severity::Error,
            py,
            &key,
            format!("the readme {path:?} does not exist: the build fails"),
            Fix::CreateFile {
                path: path.clone(),
                content: "the package's description".into(),
            },
        ));
        return;
    }
    readme_format(py, table, &path, readme.content_type.as_deref(), out);
}

/// The readme `[project]` (or Poetry) names, else the crate's.
fn named_readme(py: &TomlFile, key: &[&str], cargo: Option<&TomlFile>) -> Option<Readme> {
    match py.get(key) {
        Some(item) => Some(Readme::from_item(item)),
        None => cargo.and_then(|c| {
            c.get(&["package", "readme"])
                .and_then(Item::as_str)
                .map(|path| Readme {
                    path: Some(
                        Path::new(&c.display)
                            .parent()
                            .map(|d| d.join(path).to_string_lossy().replace('\\', "/"))
                            .unwrap_or_else(|| path.to_string()),
                    ),
                    content_type: None,
                    from_repo_root: true,
                })
        }),
    }
}

/// No long description: name the README that exists, or ask for one.
fn no_readme(i: &Inputs<'_>, table: &[&str]) -> Finding {
    let py = i.pyproject;
    let existing = ["README.md", "README.rst", "README.txt", "README"]
        .into_iter()
        .find(|f| i.project.paths.pyproject.with_file_name(f).is_file());
    let (message, fix) = match existing {
        Some(f) => (
            format!(
                "{f} exists but nothing names it as the long description: PyPI would show \
                 an empty page and `twine check --strict` (run by the workflow) fails"
            ),
            add(py, &table.join("."), "readme", &format!("{f:?}")),
        ),
        None => (
            "the package has no long description (no README): `twine check --strict`, \
             which the workflow runs before publishing, rejects the distributions"
                .to_string(),
            Fix::CreateFile {
                path: display_path(&i.project.package_dir, "README.md"),
                content: format!(
                    "a description of the package; then add readme = \"README.md\" to [{}]",
                    table.join(".")
                ),
            },
        ),
    };
    finding(
        FindingId::ReadmeMissing,
        Severity::Error,
        py,
        table,
        message,
        fix,
    )
}

/// A readme file the index cannot render, or might not: no known extension
/// nor content type; reStructuredText.
fn readme_format(
    py: &TomlFile,
    table: &[&str],
    path: &str,
    content_type: Option<&str>,
    out: &mut Vec<Finding>,
) {
    let key: Vec<&str> = table.iter().copied().chain(["readme"]).collect();
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    let known = matches!(ext.as_str(), "md" | "markdown" | "rst" | "txt");
    if !known && content_type.is_none() {
        out.push(finding(
            FindingId::ReadmeContentType,
            Severity::Error,
            py,
            &key,
            format!(
                "the readme {path:?} has no .md, .rst or .txt extension and no content-type: \
                 the build cannot tell how PyPI should render it"
            ),
            add(
                py,
                &table.join("."),
                "readme",
                &format!("{{ file = {path:?}, content-type = \"text/markdown\" }}"),
            ),
        ));
    }
    let rst = ext == "rst" || content_type == Some("text/x-rst");
    if rst {
        out.push(finding(
            FindingId::ReadmeRst,
            Severity::Note,
            py,
            &key,
            format!(
                "{path} is reStructuredText: PyPI shows it only if it renders without errors, \
                 which is checked at build time (`twine check --strict` in the workflow)"
            ),
            Fix::Command {
                command: format!(
                    "python -m pip install readme-renderer && python -m readme_renderer {path}"
                ),
            },
        ));
    }
}

struct Readme {
    path: Option<String>,
    content_type: Option<String>,
    /// A Cargo readme path, already relative to the repository root.
    from_repo_root: bool,
}

impl Readme {
    fn from_item(item: &Item) -> Readme {
        let get = |k: &str| {
            item.as_table_like()
                .and_then(|t| t.get(k))
                .and_then(Item::as_str)
                .map(str::to_string)
        };
        Readme {
            path: item
                .as_str()
                .map(str::to_string)
                .or_else(|| get("file"))
                .or_else(|| {
                    // Poetry allows a list of files.
                    crate::inspect::tomlfile::str_array(item).and_then(|v| v.into_iter().next())
                }),
            content_type: get("content-type"),
            from_repo_root: false,
        }
    }
}

fn license(i: &Inputs<'_>, cargo: Option<&TomlFile>, out: &mut Vec<Finding>) {
    let py = i.pyproject;
    let table = meta_table(py);
    let key: Vec<&str> = table.iter().copied().chain(["license"]).collect();
    let pkg = &i.project.paths.pyproject;
    let license = py.get(&key);
    let classifier = py
        .get(&[table[0], "classifiers"])
        .and_then(crate::inspect::tomlfile::str_array)
        .is_some_and(|c| c.iter().any(|c| c.starts_with("License ::")));
    let from_cargo = cargo.is_some_and(|c| c.get(&["package", "license"]).is_some());
    if license.is_none() && !classifier && !from_cargo && !dynamic(py, "license") {
        out.push(finding(
            FindingId::LicenseMissing,
            Severity::Warning,
            py,
            table,
            "no license metadata: PyPI shows no license and many users cannot adopt the \
             package"
                .into(),
            add(
                py,
                &table.join("."),
                "license",
                "\"<SPDX expression, e.g. MIT>\"",
            ),
        ));
    }
    // A license file the metadata points at must exist, or the build fails.
    let file = license
        .and_then(Item::as_table_like)
        .and_then(|t| t.get("file"))
        .and_then(Item::as_str);
    if let Some(file) = file {
        if !pkg.with_file_name(file).is_file() {
            out.push(finding(
                FindingId::LicenseFileNotFound,
                Severity::Error,
                py,
                &key,
                format!("the license file {file:?} does not exist: the build fails"),
                Fix::CreateFile {
                    path: display_path(&i.project.package_dir, file),
                    content: "the license text".into(),
                },
            ));
        }
    }
    let listed = py
        .get(&["project", "license-files"])
        .and_then(crate::inspect::tomlfile::str_array)
        .unwrap_or_default();
    let names = dir_names(pkg.parent().unwrap_or(Path::new(".")));
    license_files_unmatched(i, &listed, &names, out);
    let has_file = names.iter().any(|n| {
        let upper = n.to_ascii_uppercase();
        upper.starts_with("LICENSE") || upper.starts_with("LICENCE") || upper.starts_with("COPYING")
    });
    if (license.is_some() || classifier || from_cargo)
        && listed.is_empty()
        && file.is_none()
        && !has_file
    {
        out.push(finding(
            FindingId::LicenseFileMissing,
            Severity::Warning,
            py,
            &key,
            "the package declares a license but ships no license text (no LICENSE file \
             beside pyproject.toml): most licenses require the text to be distributed"
                .into(),
            Fix::CreateFile {
                path: display_path(&i.project.package_dir, "LICENSE"),
                content: "the full license text".into(),
            },
        ));
    }
}

/// `[project] license-files` patterns that match no file in the package
/// directory (only it is read, never walked).
fn license_files_unmatched(
    i: &Inputs<'_>,
    listed: &[String],
    names: &[String],
    out: &mut Vec<Finding>,
) {
    let py = i.pyproject;
    for pattern in listed {
        if pattern.contains('/') {
            continue; // only the package directory is read, never walked
        }
        if !names.iter().any(|n| glob(pattern, n)) {
            out.push(finding(
                FindingId::LicenseFileNotFound,
                Severity::Error,
                py,
                &["project", "license-files"],
                format!("license-files pattern {pattern:?} matches no file: the build fails"),
                Fix::CreateFile {
                    // A literal name is the file to create; a glob wants a LICENSE.
                    path: display_path(
                        &i.project.package_dir,
                        if pattern.contains(['*', '?', '[']) {
                            "LICENSE"
                        } else {
                            pattern
                        },
                    ),
                    content: "the license text".into(),
                },
            ));
        }
    }
}

/// Names of the entries of one directory (not recursive).
fn dir_names(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A glob with `*`, `?` and `[...]` over one path component.
fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|k| go(&p[1..], &n[k..])),
            Some('?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some('[') => {
                let Some(end) = p.iter().position(|c| *c == ']') else {
                    return n.first() == Some(&'[') && go(&p[1..], &n[1..]);
                };
                !n.is_empty() && p[1..end].contains(&n[0]) && go(&p[end + 1..], &n[1..])
            }
            Some(c) => n.first() == Some(c) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

fn requires_python(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    let py = i.pyproject;
    if py.get(&["project"]).is_none() {
        return; // legacy Poetry: [tool.poetry.dependencies] python
    }
    match &i.project.requires_python {
        None => {
            let floor = i
                .project
                .abi3
                .map(|a| format!("\">={}\"", a.version()))
                .unwrap_or_else(|| "\">=3.9\"".into());
            out.push(finding(
                FindingId::RequiresPythonMissing,
                Severity::Warning,
                py,
                &["project"],
                "no requires-python: pip on an unsupported Python would install the sdist \
                 and fail there instead of picking an older release"
                    .into(),
                add(py, "project", "requires-python", &floor),
            ));
        }
        Some(rp) => {
            if let Err(e) = <pep440_rs::VersionSpecifiers as std::str::FromStr>::from_str(rp) {
                let floor = i
                    .project
                    .abi3
                    .map(|a| format!("\">={}\"", a.version()))
                    .unwrap_or_else(|| "\">=3.9\"".into());
                let why = e.to_string();
                out.push(finding(
                    FindingId::RequiresPythonInvalid,
                    Severity::Error,
                    py,
                    &["project", "requires-python"],
                    format!(
                        "requires-python = {rp:?} is not a PEP 440 version specifier ({}): \
                         the build backend refuses it and PyPI rejects the upload",
                        why.lines().next().unwrap_or_default().trim_end_matches(':')
                    ),
                    add(py, "project", "requires-python", &floor),
                ));
                return;
            }
            let (Some(abi3), Some(floor)) = (&i.project.abi3, crate::answers::python_floor(rp))
            else {
                return;
            };
            let abi3_floor = abi3.version();
            let lower = floor
                .strip_prefix("3.")
                .and_then(|m| m.parse::<u32>().ok())
                .is_some_and(|rp| rp < abi3.minor);
            if lower {
                out.push(finding(
                    FindingId::RequiresPythonAbi3,
                    Severity::Warning,
                    py,
                    &["project", "requires-python"],
                    format!(
                        "requires-python allows Python {floor}, but the abi3 wheels need \
                         {abi3_floor} or newer: on {floor} pip falls back to compiling the sdist"
                    ),
                    add(
                        py,
                        "project",
                        "requires-python",
                        &format!("\">={abi3_floor}\""),
                    ),
                ));
            }
        }
    }
}

/// `[project.scripts]` targets must import from the installed package
/// (the seeds' "command not found after install" and its cousin, a script
/// that crashes with ModuleNotFoundError).
fn scripts(i: &Inputs<'_>, out: &mut Vec<Finding>) {
    let p = i.project;
    let py = i.pyproject;
    for (name, target) in &p.scripts {
        let module = target.split(':').next().unwrap_or("").trim();
        if module.is_empty() || resolves(p, module) {
            continue;
        }
        out.push(finding(
            FindingId::ScriptTargetMissing,
            Severity::Error,
            py,
            &["project", "scripts", name],
            format!(
                "the script {name:?} runs {target:?}, but no module {module:?} is in the package: \
                 after install the command fails with ModuleNotFoundError"
            ),
            Fix::Text {
                text: format!(
                    "point [project.scripts] {name} at a module of the package ({}.…:function)",
                    p.module_name.split('.').next().unwrap_or(&p.module_name)
                ),
            },
        ));
    }
}

fn resolves(p: &Project, module: &str) -> bool {
    // The compiled part (or the package maturin generates around it).
    for compiled in [Some(&p.module_name), p.extension_module.as_ref()]
        .into_iter()
        .flatten()
    {
        if module == compiled || compiled.starts_with(&format!("{module}.")) {
            return true;
        }
    }
    let rel = module.replace('.', "/");
    let bases: Vec<String> = match &p.python_source {
        Some(src) => vec![display_path(&p.package_dir, src.trim_end_matches('/'))],
        None => vec![p.package_dir.clone(), display_path(&p.package_dir, "src")],
    };
    bases.iter().any(|base| {
        let root = p.paths.repo_root.join(base);
        root.join(format!("{rel}.py")).is_file() || root.join(&rel).join("__init__.py").is_file()
    })
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_one_component() {
        assert!(glob("LICEN[CS]E*", "LICENSE"));
        assert!(glob("LICEN[CS]E*", "LICENCE.txt"));
        assert!(glob("AUTHORS*", "AUTHORS.md"));
        assert!(!glob("LICEN[CS]E*", "COPYING"));
        assert!(glob("?OPYING", "COPYING"));
    }
}
