//! The Rust side of a maturin package, read straight from Cargo.toml (and its
//! workspace root when it inherits from one): what maturin will build, with
//! which bindings, which stable ABI, and where the version is written.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use toml_edit::Item;

use super::pyproject::Pyproject;
use super::tomlfile::{str_array, TomlFile};
use super::{relative, Abi3, Bindings, Locator, VersionSource};
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub(crate) struct Crate {
    /// Cargo.toml relative to the repository root.
    pub manifest: String,
    pub workspace_manifest: Option<String>,
    pub package_name: String,
    pub lib_name: String,
    pub bin_name: Option<String>,
    pub bindings: Option<Bindings>,
    pub abi3: Option<Abi3>,
    pub pyo3_version: Option<String>,
    pub version: Option<VersionSource>,
}

pub(crate) fn detect(
    repo_root: &Path,
    package_dir: &Path,
    py: &Pyproject,
    maturin_backend: bool,
    warnings: &mut Vec<String>,
) -> Result<Option<Crate>> {
    let explicit = py.maturin.manifest_path.is_some();
    let manifest_path = match &py.maturin.manifest_path {
        Some(p) => package_dir.join(p),
        // maturin's "Python first" src layout keeps the crate in `rust/`.
        None if maturin_backend
            && !package_dir.join("Cargo.toml").is_file()
            && package_dir.join("rust/Cargo.toml").is_file() =>
        {
            package_dir.join("rust/Cargo.toml")
        }
        None => package_dir.join("Cargo.toml"),
    };
    let display = relative(repo_root, &normalize(&manifest_path));
    let Some(file) = TomlFile::read(&manifest_path, &display)? else {
        if explicit {
            return Err(Error::input(format!(
                "[tool.maturin] manifest-path points to {display}, which does not exist"
            ))
            .with_hint("fix `manifest-path` in pyproject.toml"));
        }
        return Ok(None);
    };
    if file.get(&["package"]).is_none() {
        if file.get(&["workspace"]).is_some() {
            return Err(
                Error::in_file(&display, "is a virtual workspace manifest, not a crate")
                    .with_hint("set [tool.maturin] manifest-path to the Python crate's Cargo.toml"),
            );
        }
        return Err(Error::in_file(&display, "has no [package] table"));
    }
    let crate_dir = manifest_path.parent().unwrap_or(package_dir).to_path_buf();
    let workspace = find_workspace(repo_root, &crate_dir, &file)?;
    read_crate(&crate_dir, &file, workspace.as_ref(), py, warnings).map(Some)
}

fn read_crate(
    crate_dir: &Path,
    file: &TomlFile,
    ws: Option<&TomlFile>,
    py: &Pyproject,
    warnings: &mut Vec<String>,
) -> Result<Crate> {
    let package_name = file
        .str(&["package", "name"])?
        .ok_or_else(|| Error::in_file(&file.display, "[package] has no `name`"))?;
    let lib_name = file
        .str(&["lib", "name"])?
        .unwrap_or_else(|| package_name.replace('-', "_"));
    let bin_name = first_bin(file)?;
    let deps = Deps::read(file, ws)?;
    let has_lib = file.get(&["lib"]).is_some() || crate_dir.join("src/lib.rs").is_file();
    let bindings = if deps.pyo3.is_some() && has_lib {
        Some(Bindings::Pyo3)
    } else if deps.has("pyo3-ffi") && has_lib {
        Some(Bindings::Pyo3Ffi)
    } else if deps.has("uniffi") && has_lib {
        Some(Bindings::Uniffi)
    } else if !has_lib && (bin_name.is_some() || crate_dir.join("src/main.rs").is_file()) {
        Some(Bindings::Bin)
    } else if has_lib && is_cdylib(file) {
        Some(Bindings::Cffi)
    } else {
        None
    };
    if has_lib && bindings != Some(Bindings::Bin) && !is_cdylib(file) {
        warnings.push(format!(
            "{}: [lib] crate-type does not include \"cdylib\"; maturin and setuptools-rust need it to build an extension module",
            file.display
        ));
    }
    let abi3 = deps
        .pyo3
        .as_ref()
        .and_then(|pyo3| abi3(file, pyo3, &py.maturin.features));
    Ok(Crate {
        manifest: file.display.clone(),
        workspace_manifest: ws.map(|w| w.display.clone()),
        package_name,
        lib_name,
        bin_name,
        bindings,
        abi3,
        pyo3_version: deps.pyo3.as_ref().and_then(|d| d.version.clone()),
        version: crate_version(file, ws)?,
    })
}

fn first_bin(file: &TomlFile) -> Result<Option<String>> {
    let Some(item) = file.get(&["bin"]) else {
        return Ok(None);
    };
    let bins = item
        .as_array_of_tables()
        .ok_or_else(|| file.type_error(&["bin"], item, "an array of tables ([[bin]])"))?;
    Ok(bins
        .iter()
        .find_map(|t| t.get("name").and_then(Item::as_str).map(str::to_string)))
}

fn is_cdylib(file: &TomlFile) -> bool {
    file.get(&["lib", "crate-type"])
        .and_then(str_array)
        .is_some_and(|types| types.iter().any(|t| t == "cdylib"))
}

/// The version maturin will use: `package.version`, or the workspace's when
/// it is inherited with `version.workspace = true`.
fn crate_version(file: &TomlFile, ws: Option<&TomlFile>) -> Result<Option<VersionSource>> {
    let Some(item) = file.get(&["package", "version"]) else {
        return Ok(None);
    };
    if let Some(v) = item.as_str() {
        return Ok(Some(VersionSource {
            file: file.display.clone(),
            value: v.to_string(),
            locator: Locator::Toml {
                key: vec!["package".into(), "version".into()],
            },
        }));
    }
    let inherited = item
        .get("workspace")
        .and_then(Item::as_bool)
        .unwrap_or(false);
    if !inherited {
        return Err(file.type_error(
            &["package", "version"],
            item,
            "a string or { workspace = true }",
        ));
    }
    let ws = ws.ok_or_else(|| missing_workspace(file))?;
    let v = ws
        .str(&["workspace", "package", "version"])?
        .ok_or_else(|| {
            Error::in_file(
                &ws.display,
                "[workspace.package] has no `version`, but the crate inherits it",
            )
        })?;
    Ok(Some(VersionSource {
        file: ws.display.clone(),
        value: v,
        locator: Locator::Toml {
            key: vec!["workspace".into(), "package".into(), "version".into()],
        },
    }))
}

fn missing_workspace(file: &TomlFile) -> Error {
    Error::in_file(
        &file.display,
        "inherits from a Cargo workspace (`workspace = true`), but no workspace root was found",
    )
    .with_hint("run pyrel inside the repository that holds the workspace's Cargo.toml")
}

/// The workspace root: `package.workspace` if set, otherwise the nearest
/// ancestor Cargo.toml with a [workspace] table, up to the repository root.
fn find_workspace(repo_root: &Path, crate_dir: &Path, file: &TomlFile) -> Result<Option<TomlFile>> {
    if file.get(&["workspace"]).is_some() {
        // The crate is its own workspace root.
        return Ok(None);
    }
    if let Some(p) = file.str(&["package", "workspace"])? {
        let path = normalize(&crate_dir.join(p).join("Cargo.toml"));
        let display = relative(repo_root, &path);
        return match TomlFile::read(&path, &display)? {
            Some(ws) => Ok(Some(ws)),
            None => Err(missing_workspace(file)),
        };
    }
    let mut dir = crate_dir.parent();
    while let Some(d) = dir {
        if !d.starts_with(repo_root) {
            break;
        }
        let path = d.join("Cargo.toml");
        if let Some(ws) = TomlFile::read(&path, &relative(repo_root, &path))? {
            if ws.get(&["workspace"]).is_some() {
                return Ok(Some(ws));
            }
        }
        dir = d.parent();
    }
    if inherits_anything(file) {
        return Err(missing_workspace(file));
    }
    Ok(None)
}

fn inherits_anything(file: &TomlFile) -> bool {
    let in_table = |keys: &[&str]| {
        file.get(keys)
            .and_then(Item::as_table_like)
            .is_some_and(|t| {
                t.iter()
                    .any(|(_, v)| v.get("workspace").and_then(Item::as_bool) == Some(true))
            })
    };
    in_table(&["package"]) || in_table(&["dependencies"])
}

/// A dependency as declared, after resolving `workspace = true`.
#[derive(Debug, Clone, Default)]
struct Dep {
    /// The name the crate refers to it by (key in [dependencies]).
    alias: String,
    version: Option<String>,
    features: Vec<String>,
}

struct Deps {
    pyo3: Option<Dep>,
    names: BTreeSet<String>,
}

impl Deps {
    fn read(file: &TomlFile, ws: Option<&TomlFile>) -> Result<Deps> {
        let mut pyo3 = None;
        let mut names = BTreeSet::new();
        let Some(table) = file.get(&["dependencies"]).and_then(Item::as_table_like) else {
            return Ok(Deps { pyo3, names });
        };
        for (alias, spec) in table.iter() {
            let package = spec
                .get("package")
                .and_then(Item::as_str)
                .unwrap_or(alias)
                .to_string();
            if package == "pyo3" {
                pyo3 = Some(resolve_dep(alias, spec, ws));
            }
            names.insert(package);
        }
        Ok(Deps { pyo3, names })
    }

    fn has(&self, name: &str) -> bool {
        self.names.contains(name)
    }
}

fn resolve_dep(alias: &str, spec: &Item, ws: Option<&TomlFile>) -> Dep {
    let mut dep = Dep {
        alias: alias.to_string(),
        ..Dep::default()
    };
    if let Some(v) = spec.as_str() {
        dep.version = Some(v.to_string());
        return dep;
    }
    dep.version = spec
        .get("version")
        .and_then(Item::as_str)
        .map(str::to_string);
    dep.features = spec.get("features").and_then(str_array).unwrap_or_default();
    if spec.get("workspace").and_then(Item::as_bool) == Some(true) {
        if let Some(wdep) = ws.and_then(|w| w.get(&["workspace", "dependencies", alias])) {
            let inherited = resolve_dep(alias, wdep, None);
            dep.version = inherited.version;
            dep.features.extend(inherited.features);
        }
    }
    dep
}

/// The stable-ABI floor as a CPython tag, from pyo3's `abi3`/`abi3-pyXY`
/// features whether set on the dependency, through the crate's default
/// features, or through the features maturin builds with.
fn abi3(file: &TomlFile, pyo3: &Dep, maturin_features: &[String]) -> Option<Abi3> {
    let mut pyo3_features: BTreeSet<String> = pyo3.features.iter().cloned().collect();
    let features_table = file.get(&["features"]).and_then(Item::as_table_like);
    let mut enabled: Vec<String> = vec!["default".into()];
    for f in maturin_features {
        match f.split_once('/') {
            Some((dep, feat)) if dep.trim_end_matches('?') == pyo3.alias => {
                pyo3_features.insert(feat.to_string());
            }
            Some(_) => {}
            None => enabled.push(f.clone()),
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(feature) = enabled.pop() {
        if !seen.insert(feature.clone()) {
            continue;
        }
        let Some(list) = features_table
            .and_then(|t| t.get(&feature))
            .and_then(str_array)
        else {
            continue;
        };
        for entry in list {
            match entry.split_once('/') {
                Some((dep, feat)) if dep.trim_end_matches('?') == pyo3.alias => {
                    pyo3_features.insert(feat.to_string());
                }
                Some(_) => {}
                None if entry.starts_with("dep:") => {}
                None => enabled.push(entry),
            }
        }
    }
    let floors: Vec<u32> = pyo3_features
        .iter()
        .filter_map(|f| f.strip_prefix("abi3-py3"))
        .filter_map(|minor| minor.parse().ok())
        .collect();
    if let Some(&minor) = floors.iter().max() {
        return Some(Abi3 { minor });
    }
    if pyo3_features.contains("abi3") {
        // Plain `abi3` targets the oldest Python this PyO3 supports.
        return Some(Abi3 { minor: 7 });
    }
    None
}

/// `a/b/../c` → `a/c` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! What `detect` reads from Cargo manifests, case by case (several of
    //! these were survivors of mutation testing: see README, "Mutation
    //! testing").
    use super::*;

    /// A repository holding `files`, and the crate detected for a maturin
    /// package at its root (with `pyproject`'s `[tool.maturin]`).
    struct Repo {
        dir: tempfile::TempDir,
    }

    impl Repo {
        fn new(files: &[(&str, &str)]) -> Repo {
            let dir = tempfile::tempdir().unwrap();
            for (path, text) in files {
                let p = dir.path().join(path);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text).unwrap();
            }
            Repo { dir }
        }

        fn detect_in(&self, package: &str, pyproject: &str) -> Result<Option<Crate>> {
            let py = super::super::pyproject::parse(
                &TomlFile::parse(pyproject.to_string(), "pyproject.toml").unwrap(),
            )
            .unwrap();
            detect(
                self.dir.path(),
                &self.dir.path().join(package),
                &py,
                true,
                &mut Vec::new(),
            )
        }

        fn detect(&self) -> Crate {
            self.detect_in("", "").unwrap().expect("a crate")
        }

        fn warnings(&self) -> Vec<String> {
            let mut warnings = Vec::new();
            let py = Pyproject::default();
            detect(self.dir.path(), self.dir.path(), &py, true, &mut warnings).unwrap();
            warnings
        }
    }

    fn manifest(extra: &str) -> String {
        format!(
            "[package]\nname = \"demo-crate\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{extra}"
        )
    }

    #[test]
    fn a_root_manifest_wins_over_a_rust_dir() {
        let repo = Repo::new(&[
            ("Cargo.toml", &manifest("")),
            (
                "rust/Cargo.toml",
                "[package]\nname = \"other\"\nversion = \"9.0.0\"\n",
            ),
        ]);
        let c = repo.detect();
        assert_eq!(c.manifest, "Cargo.toml");
        assert_eq!(c.package_name, "demo-crate");
        assert_eq!(c.lib_name, "demo_crate");
    }

    #[test]
    fn bindings_follow_the_dependencies_and_targets() {
        let cdylib = "[lib]\ncrate-type = [\"cdylib\"]\n";
        for (label, extra, files, want, bin) in [
            ("pyo3, src/lib.rs", "[dependencies]\npyo3 = \"0.23\"\n", &["src/lib.rs"][..], Some(Bindings::Pyo3), None),
            ("pyo3, [lib] only", "[lib]\npath = \"lib.rs\"\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.23\"\n", &[][..], Some(Bindings::Pyo3), None),
            ("pyo3 in a binary", "[dependencies]\npyo3 = \"0.23\"\n", &["src/main.rs"][..], Some(Bindings::Bin), None),
            ("pyo3-ffi", "[dependencies]\npyo3-ffi = \"0.23\"\n", &["src/lib.rs"][..], Some(Bindings::Pyo3Ffi), None),
            ("pyo3-ffi in a binary", "[dependencies]\npyo3-ffi = \"0.23\"\n", &["src/main.rs"][..], Some(Bindings::Bin), None),
            ("uniffi", "[dependencies]\nuniffi = \"0.28\"\n", &["src/lib.rs"][..], Some(Bindings::Uniffi), None),
            ("uniffi in a binary", "[dependencies]\nuniffi = \"0.28\"\n", &["src/main.rs"][..], Some(Bindings::Bin), None),
            ("[[bin]] without src/main.rs", "[[bin]]\nname = \"tool\"\npath = \"tool.rs\"\n", &[][..], Some(Bindings::Bin), Some("tool")),
            ("cdylib, no bindings crate", cdylib, &["src/lib.rs"][..], Some(Bindings::Cffi), None),
            ("rlib, no bindings crate", "[lib]\ncrate-type = [\"rlib\"]\n", &["src/lib.rs"][..], None, None),
            ("nothing to build", "", &[][..], None, None),
        ] {
            let mut all = vec![("Cargo.toml".to_string(), manifest(extra))];
            all.extend(files.iter().map(|f| (f.to_string(), String::new())));
            let all: Vec<(&str, &str)> = all.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            let c = Repo::new(&all).detect();
            assert_eq!(c.bindings, want, "{label}");
            assert_eq!(c.bin_name.as_deref(), bin, "{label}");
        }
    }

    #[test]
    fn a_library_that_is_not_a_cdylib_is_warned_about() {
        let warned = |extra: &str, files: &[&str]| {
            let mut all = vec![("Cargo.toml".to_string(), manifest(extra))];
            all.extend(files.iter().map(|f| (f.to_string(), String::new())));
            let all: Vec<(&str, &str)> =
                all.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            let w = Repo::new(&all).warnings();
            assert!(w.len() <= 1, "{w:?}");
            w.first()
                .is_some_and(|w| w.contains("does not include \"cdylib\""))
        };
        assert!(warned("[dependencies]\npyo3 = \"0.23\"\n", &["src/lib.rs"]));
        assert!(!warned(
            "[lib]\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.23\"\n",
            &["src/lib.rs"]
        ));
        assert!(!warned("", &["src/main.rs"]), "a binary needs no cdylib");
        assert!(!warned("", &[]), "no library, no warning");
    }

    #[test]
    fn bin_must_be_an_array_of_tables() {
        let text = format!("bin = \"tool\"\n{}", manifest(""));
        let repo = Repo::new(&[("Cargo.toml", &text)]);
        let err = repo.detect_in("", "").unwrap_err().to_string();
        assert!(
            err.contains("Cargo.toml:1:7: `bin` must be an array of tables"),
            "{err}"
        );
    }

    #[test]
    fn a_version_inherited_from_the_workspace_is_the_workspace_manifests() {
        let ws = "[workspace]\nmembers = [\"py\"]\n[workspace.package]\nversion = \"2.1.0\"\n";
        let member = "[package]\nname = \"py\"\nversion.workspace = true\n";
        let repo = Repo::new(&[("Cargo.toml", ws), ("py/Cargo.toml", member)]);
        let c = repo.detect_in("py", "").unwrap().unwrap();
        assert_eq!(c.workspace_manifest.as_deref(), Some("Cargo.toml"));
        let v = c.version.unwrap();
        assert_eq!((v.file.as_str(), v.value.as_str()), ("Cargo.toml", "2.1.0"));
        assert_eq!(
            v.locator,
            Locator::Toml {
                key: vec!["workspace".into(), "package".into(), "version".into()]
            }
        );
        // Its own string version is its own.
        let c = Repo::new(&[("Cargo.toml", &manifest(""))]).detect();
        let v = c.version.unwrap();
        assert_eq!((v.file.as_str(), v.value.as_str()), ("Cargo.toml", "0.1.0"));
        assert_eq!(c.workspace_manifest, None);
        // `{ workspace = false }` and other values are type errors.
        for bad in ["{ workspace = false }", "1"] {
            let text = format!("[package]\nname = \"x\"\nversion = {bad}\n");
            let err = Repo::new(&[("Cargo.toml", &text)])
                .detect_in("", "")
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("`package.version` must be a string or { workspace = true }"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn the_workspace_is_found_by_path_or_by_ancestor_inside_the_repository() {
        // `package.workspace` names it.
        let repo = Repo::new(&[
            (
                "ws/Cargo.toml",
                "[workspace]\n[workspace.package]\nversion = \"3.0.0\"\n",
            ),
            (
                "py/Cargo.toml",
                "[package]\nname = \"py\"\nworkspace = \"../ws\"\nversion.workspace = true\n",
            ),
        ]);
        let c = repo.detect_in("py", "").unwrap().unwrap();
        assert_eq!(c.workspace_manifest.as_deref(), Some("ws/Cargo.toml"));
        assert_eq!(c.version.unwrap().value, "3.0.0");
        // A named workspace that does not exist.
        let repo = Repo::new(&[(
            "py/Cargo.toml",
            "[package]\nname = \"py\"\nworkspace = \"../ws\"\nversion = \"1.0.0\"\n",
        )]);
        let err = repo.detect_in("py", "").unwrap_err().to_string();
        assert!(err.contains("no workspace root was found"), "{err}");
        // A crate that is its own workspace root.
        let repo = Repo::new(&[(
            "Cargo.toml",
            "[workspace]\n[package]\nname = \"root\"\nversion = \"1.0.0\"\n",
        )]);
        assert_eq!(repo.detect().workspace_manifest, None);
        // An ancestor outside the repository is not this repository's workspace.
        let outer = tempfile::tempdir().unwrap();
        std::fs::write(
            outer.path().join("Cargo.toml"),
            "[workspace]\n[workspace.package]\nversion = \"7.0.0\"\n",
        )
        .unwrap();
        let root = outer.path().join("repo");
        std::fs::create_dir_all(root.join("py")).unwrap();
        std::fs::write(root.join("py/Cargo.toml"), manifest("")).unwrap();
        let py = Pyproject::default();
        let c = detect(&root, &root.join("py"), &py, true, &mut Vec::new())
            .unwrap()
            .unwrap();
        assert_eq!(c.workspace_manifest, None);
    }

    #[test]
    fn inheriting_without_a_workspace_is_an_error() {
        for inherits in [
            "[package]\nname = \"x\"\nversion = \"1.0.0\"\nedition.workspace = true\n",
            "[package]\nname = \"x\"\nversion = \"1.0.0\"\n[dependencies]\npyo3 = { workspace = true }\n",
            "[package]\nname = \"x\"\nversion.workspace = true\n",
        ] {
            let err = Repo::new(&[("Cargo.toml", inherits)])
                .detect_in("", "")
                .unwrap_err()
                .to_string();
            assert!(err.contains("no workspace root was found"), "{inherits}: {err}");
        }
        for fine in [
            "[package]\nname = \"x\"\nversion = \"1.0.0\"\nedition = \"2021\"\n",
            "[package]\nname = \"x\"\nversion = \"1.0.0\"\n[dependencies]\npyo3 = { version = \"0.23\", workspace = false }\n",
        ] {
            assert!(Repo::new(&[("Cargo.toml", fine)]).detect_in("", "").is_ok(), "{fine}");
        }
    }

    #[test]
    fn pyo3_is_found_under_another_name_and_through_the_workspace() {
        // Renamed: `py = { package = "pyo3" }`; maturin's `py/abi3-py39`.
        let repo = Repo::new(&[
            (
                "Cargo.toml",
                &manifest("[dependencies]\npy = { package = \"pyo3\", version = \"0.22.1\" }\n"),
            ),
            ("src/lib.rs", ""),
        ]);
        let c = repo
            .detect_in("", "[tool.maturin]\nfeatures = [\"py/abi3-py39\"]\n")
            .unwrap()
            .unwrap();
        assert_eq!(c.bindings, Some(Bindings::Pyo3));
        assert_eq!(c.pyo3_version.as_deref(), Some("0.22.1"));
        assert_eq!(c.abi3, Some(Abi3 { minor: 9 }));
        // Inherited: the version from [workspace.dependencies], features from both.
        let repo = Repo::new(&[
            ("Cargo.toml", "[workspace]\nmembers = [\"py\"]\n[workspace.dependencies]\npyo3 = { version = \"0.24\", features = [\"abi3-py310\"] }\n"),
            ("py/Cargo.toml", "[package]\nname = \"py\"\nversion = \"1.0.0\"\n[dependencies]\npyo3 = { workspace = true, features = [\"extension-module\"] }\n"),
            ("py/src/lib.rs", ""),
        ]);
        let c = repo.detect_in("py", "").unwrap().unwrap();
        assert_eq!(c.pyo3_version.as_deref(), Some("0.24"));
        assert_eq!(c.abi3, Some(Abi3 { minor: 10 }));
        // A dependency that only looks like pyo3 is not.
        let repo = Repo::new(&[
            (
                "Cargo.toml",
                &manifest("[dependencies]\npyo3 = { package = \"not-pyo3\", version = \"1\" }\n"),
            ),
            ("src/lib.rs", ""),
        ]);
        let c = repo.detect();
        assert_eq!(c.pyo3_version, None);
        assert_ne!(c.bindings, Some(Bindings::Pyo3));
    }

    #[test]
    fn the_abi3_floor_comes_through_every_kind_of_feature() {
        let abi3 = |deps: &str, features: &str, maturin: &str| {
            let repo = Repo::new(&[
                (
                    "Cargo.toml",
                    &manifest(&format!("[dependencies]\n{deps}\n{features}")),
                ),
                ("src/lib.rs", ""),
            ]);
            let pyproject = format!("[tool.maturin]\nfeatures = [{maturin}]\n");
            repo.detect_in("", &pyproject)
                .unwrap()
                .unwrap()
                .abi3
                .map(|a| a.minor)
        };
        let plain = "pyo3 = \"0.23\"";
        // On the dependency itself; the highest floor wins.
        assert_eq!(
            abi3(
                "pyo3 = { version = \"0.23\", features = [\"abi3-py38\"] }",
                "",
                ""
            ),
            Some(8)
        );
        assert_eq!(
            abi3(
                "pyo3 = { version = \"0.23\", features = [\"abi3-py38\", \"abi3-py311\"] }",
                "",
                ""
            ),
            Some(11)
        );
        // Plain abi3: the oldest Python PyO3 supports.
        assert_eq!(
            abi3(
                "pyo3 = { version = \"0.23\", features = [\"abi3\"] }",
                "",
                ""
            ),
            Some(7)
        );
        assert_eq!(abi3(plain, "", ""), None);
        // maturin's features: `pyo3/...` (or `pyo3?/...`), not another crate's.
        assert_eq!(abi3(plain, "", "\"pyo3/abi3-py312\""), Some(12));
        assert_eq!(abi3(plain, "", "\"pyo3?/abi3-py312\""), Some(12));
        assert_eq!(abi3(plain, "", "\"other/abi3-py312\""), None);
        // The crate's default features, and features maturin enables,
        // followed through the feature graph.
        assert_eq!(
            abi3(plain, "[features]\ndefault = [\"pyo3/abi3-py39\"]\n", ""),
            Some(9)
        );
        assert_eq!(
            abi3(plain, "[features]\ndefault = [\"other/abi3-py39\"]\n", ""),
            None
        );
        assert_eq!(
            abi3(
                plain,
                "[features]\ndefault = [\"stable\"]\nstable = [\"pyo3?/abi3-py310\"]\n",
                ""
            ),
            Some(10)
        );
        assert_eq!(
            abi3(
                plain,
                "[features]\nstable = [\"dep:serde\", \"pyo3/abi3-py310\"]\n",
                "\"stable\""
            ),
            Some(10)
        );
        assert_eq!(
            abi3(plain, "[features]\nstable = [\"pyo3/abi3-py310\"]\n", ""),
            None,
            "not enabled"
        );
        // A feature cycle ends.
        assert_eq!(
            abi3(
                plain,
                "[features]\ndefault = [\"a\"]\na = [\"default\", \"pyo3/abi3-py38\"]\n",
                ""
            ),
            Some(8)
        );
    }

    #[test]
    fn a_manifest_path_is_shown_normalised_or_refused_when_missing() {
        let repo = Repo::new(&[
            ("rust/Cargo.toml", &manifest("")),
            ("python/pyproject.toml", ""),
        ]);
        let c = repo
            .detect_in(
                "python",
                "[tool.maturin]\nmanifest-path = \"../rust/./Cargo.toml\"\n",
            )
            .unwrap()
            .unwrap();
        assert_eq!(c.manifest, "rust/Cargo.toml");
        let err = repo
            .detect_in(
                "python",
                "[tool.maturin]\nmanifest-path = \"../nope/Cargo.toml\"\n",
            )
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("manifest-path points to nope/Cargo.toml, which does not exist"),
            "{err}"
        );
        // No manifest and none named: not a Rust package.
        assert!(repo.detect_in("python", "").unwrap().is_none());
    }
}
