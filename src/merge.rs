//! Edits to the user's pyproject.toml, made with toml_edit so that every
//! comment, key order and value the user wrote survives byte for byte. pyrel
//! owns `[tool.pyrel]`; anywhere else it only *adds* what the build needs and
//! is missing, and reports (never overwrites) values that conflict.

use toml_edit::{Array, DocumentMut, Item, Table};

use crate::error::{toml_error, Result};
use crate::inspect::Project;

/// Minimum maturin for the configuration keys pyrel relies on.
const MATURIN_REQUIREMENT: &str = "maturin>=1.9,<2.0";

pub(crate) struct Merged {
    pub text: String,
    /// Conflicts between the user's values and what detection expects.
    pub conflicts: Vec<String>,
}

pub(crate) fn merge(
    original: &str,
    display: &str,
    pyrel: Table,
    project: &Project,
) -> Result<Merged> {
    let mut doc: DocumentMut = original
        .parse()
        .map_err(|e| toml_error(std::path::Path::new(display), original, &e))?;
    let mut conflicts = Vec::new();
    if project.is_maturin() {
        build_system(&mut doc, &mut conflicts);
        project_basics(&mut doc, project);
    }
    readme(&mut doc, project);
    set_pyrel(&mut doc, pyrel);
    Ok(Merged {
        text: doc.to_string(),
        conflicts,
    })
}

fn build_system(doc: &mut DocumentMut, conflicts: &mut Vec<String>) {
    let bs = table(doc.as_table_mut(), "build-system");
    if bs.get("requires").is_none() {
        bs.insert(
            "requires",
            toml_edit::value(Array::from_iter([MATURIN_REQUIREMENT])),
        );
    }
    match bs.get("build-backend").and_then(Item::as_str) {
        None => {
            bs.insert("build-backend", toml_edit::value("maturin"));
        }
        Some("maturin") => {}
        Some(other) => conflicts.push(format!(
            "[build-system] build-backend is {other:?}, but the package has a Rust crate built by maturin; left as is"
        )),
    }
}

fn project_basics(doc: &mut DocumentMut, project: &Project) {
    let p = table(doc.as_table_mut(), "project");
    if p.get("version").is_none() {
        // maturin fills the version in from Cargo.toml, but only when told to.
        let dynamic = p
            .entry("dynamic")
            .or_insert_with(|| toml_edit::value(Array::new()));
        if let Some(arr) = dynamic.as_array_mut() {
            if !arr.iter().any(|v| v.as_str() == Some("version")) {
                arr.push("version");
            }
        }
    }
    if p.get("requires-python").is_none() {
        if let Some(abi3) = project.abi3 {
            p.insert(
                "requires-python",
                toml_edit::value(format!(">={}", abi3.version())),
            );
        }
    }
}

/// Name the README beside pyproject.toml as the long description when
/// nothing else does: without one, `twine check --strict` rejects the
/// distributions. Only when `[project]` exists and neither `readme` nor
/// `dynamic = ["readme"]` nor the crate's own `readme` says otherwise.
fn readme(doc: &mut DocumentMut, project: &Project) {
    let Some(p) = doc.get_mut("project").and_then(Item::as_table_like_mut) else {
        return;
    };
    let dynamic = p
        .get("dynamic")
        .and_then(Item::as_array)
        .is_some_and(|a| a.iter().any(|v| v.as_str() == Some("readme")));
    if p.get("readme").is_some() || dynamic || crate_readme(project) {
        return;
    }
    let found = ["README.md", "README.rst", "README.txt"]
        .into_iter()
        .find(|f| project.paths.pyproject.with_file_name(f).is_file());
    if let Some(file) = found {
        p.insert("readme", toml_edit::value(file));
    }
}

/// maturin takes the long description from Cargo's `readme` when
/// pyproject.toml has none.
fn crate_readme(project: &Project) -> bool {
    let Some(manifest) = project.cargo_manifest.as_deref() else {
        return false;
    };
    std::fs::read_to_string(project.paths.repo_root.join(manifest))
        .ok()
        .and_then(|t| t.parse::<DocumentMut>().ok())
        .is_some_and(|d| d.get("package").and_then(|p| p.get("readme")).is_some())
}

/// `[tool.pyrel]` gets the new answers; keys whose value did not change keep
/// their exact formatting (and any comment beside them).
fn set_pyrel(doc: &mut DocumentMut, pyrel: Table) {
    let tool = table(doc.as_table_mut(), "tool");
    let target = table(tool, "pyrel");
    for (key, item) in pyrel.iter() {
        let unchanged = match (target.get(key).and_then(Item::as_value), item.as_value()) {
            (Some(old), Some(new)) => same_value(old, new),
            _ => false,
        };
        if !unchanged {
            target.insert(key, item.clone());
        }
    }
}

fn same_value(a: &toml_edit::Value, b: &toml_edit::Value) -> bool {
    use toml_edit::Value::*;
    match (a, b) {
        (String(x), String(y)) => x.value() == y.value(),
        (Boolean(x), Boolean(y)) => x.value() == y.value(),
        (Array(x), Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| same_value(p, q))
        }
        _ => false,
    }
}

/// The table at `key`, created (as a standard `[table]`) when missing.
fn table<'a>(parent: &'a mut Table, key: &str) -> &'a mut Table {
    let item = parent.entry(key).or_insert_with(|| {
        let mut t = Table::new();
        // `[tool]` stays implicit: only `[tool.pyrel]` gets a header.
        t.set_implicit(key == "tool");
        Item::Table(t)
    });
    if let Some(inline) = item.as_inline_table().cloned() {
        *item = Item::Table(inline.into_table());
    }
    item.as_table_mut().expect("a table or inline table")
}
