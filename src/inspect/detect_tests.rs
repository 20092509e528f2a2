//! Detection of pure-Python version sources, one backend at a time.

use super::*;

fn project(files: &[(&str, &str)]) -> Project {
    let dir = crate::testing::repo(files);
    inspect(dir.path()).unwrap()
}

fn files(p: &Project) -> Vec<(&str, &str)> {
    p.version_sources
        .iter()
        .map(|s| (s.file.as_str(), s.value.as_str()))
        .collect()
}

#[test]
fn hatch_version_path() {
    let p = project(&[
        ("pyproject.toml", "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.hatch.version]\npath = \"src/pkg/__about__.py\"\n"),
        ("src/pkg/__about__.py", "__version__ = \"1.2.3\"\n"),
    ]);
    assert_eq!(files(&p), vec![("src/pkg/__about__.py", "1.2.3")]);
    assert_eq!(p.version.as_deref(), Some("1.2.3"));
    assert!(!p.vcs_version);
}

#[test]
fn setuptools_attr_and_file() {
    let p = project(&[
        ("pyproject.toml", "[build-system]\nbuild-backend = \"setuptools.build_meta\"\n[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.setuptools.dynamic]\nversion = { attr = \"pkg.__version__\" }\n"),
        ("src/pkg/__init__.py", "__version__ = '0.4'\n"),
    ]);
    assert_eq!(files(&p), vec![("src/pkg/__init__.py", "0.4")]);
    let p = project(&[
        ("pyproject.toml", "[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.setuptools.dynamic]\nversion = { file = \"VERSION\" }\n"),
        ("VERSION", "2.0.1\n"),
    ]);
    assert_eq!(files(&p), vec![("VERSION", "2.0.1")]);
    assert_eq!(p.version_sources[0].locator, Locator::Text);
}

#[test]
fn pdm_file_source() {
    let p = project(&[
        ("pyproject.toml", "[build-system]\nbuild-backend = \"pdm.backend\"\n[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.pdm.version]\nsource = \"file\"\npath = \"pkg/_version.py\"\n"),
        ("pkg/_version.py", "__version__ = \"3.1\"\n"),
    ]);
    assert_eq!(files(&p), vec![("pkg/_version.py", "3.1")]);
}

#[test]
fn vcs_versions_have_no_file() {
    for config in [
        "[tool.hatch.version]\nsource = \"vcs\"\n",
        "[tool.setuptools_scm]\n",
        "[tool.pdm.version]\nsource = \"scm\"\n",
    ] {
        let p = project(&[(
            "pyproject.toml",
            &format!("[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n{config}"),
        )]);
        assert!(p.vcs_version, "{config}");
        assert!(p.version_sources.is_empty(), "{config}");
    }
}

#[test]
fn flit_reads_dunder_version() {
    let p = project(&[
        ("pyproject.toml", "[build-system]\nbuild-backend = \"flit_core.buildapi\"\n[project]\nname = \"flitpkg\"\ndynamic = [\"version\", \"description\"]\n"),
        ("flitpkg/__init__.py", "\"\"\"Doc.\"\"\"\n__version__ = \"0.9\"\n"),
    ]);
    assert_eq!(files(&p), vec![("flitpkg/__init__.py", "0.9")]);
    assert_eq!(p.module_name, "flitpkg");
}

#[test]
fn disagreeing_sources_are_warned_about() {
    let p = project(&[
        (
            "pyproject.toml",
            "[project]\nname = \"pkg\"\nversion = \"1.0\"\n",
        ),
        ("pkg/__init__.py", "__version__ = \"0.9\"\n"),
    ]);
    assert!(
        p.warnings.iter().any(|w| w.contains("disagree")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn hatch_default_pattern_reads_version_too() {
    // hatch's default pattern accepts `VERSION` (any case) as well as `__version__`.
    let p = project(&[
        ("pyproject.toml", "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.hatch.version]\npath = \"pkg/version.py\"\n"),
        ("pkg/version.py", "# the version\nVERSION = '2.14.0b1'\n"),
    ]);
    assert_eq!(files(&p), vec![("pkg/version.py", "2.14.0b1")]);
    assert_eq!(
        p.version_sources[0].locator,
        Locator::Python {
            variable: "VERSION".into()
        }
    );
}

#[test]
fn hatch_custom_pattern_is_evaluated() {
    let p = project(&[
        ("pyproject.toml", "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.hatch.version]\npath = \"pkg/meta.py\"\npattern = \"^RELEASE = \\\"(?P<version>[^\\\"]+)\\\"\"\n"),
        ("pkg/meta.py", "NAME = \"pkg\"\nRELEASE = \"0.7.1\"\n"),
    ]);
    assert_eq!(files(&p), vec![("pkg/meta.py", "0.7.1")]);
    assert!(matches!(
        p.version_sources[0].locator,
        Locator::Pattern { .. }
    ));
}

#[test]
fn maturin_python_first_src_layout() {
    // `maturin new --mixed --src`: no manifest-path, crate in rust/, package in src/.
    let p = project(&[
        ("pyproject.toml", "[build-system]\nrequires = [\"maturin>=1.16,<2.0\"]\nbuild-backend = \"maturin\"\n[project]\nname = \"srcdemo\"\ndynamic = [\"version\"]\n"),
        ("rust/Cargo.toml", "[package]\nname = \"srcdemo\"\nversion = \"0.3.0\"\nedition = \"2021\"\n[lib]\nname = \"srcdemo\"\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.29\"\n"),
        ("rust/src/lib.rs", ""),
        ("src/srcdemo/__init__.py", "from .srcdemo import *\n"),
    ]);
    assert_eq!(p.cargo_manifest.as_deref(), Some("rust/Cargo.toml"));
    assert_eq!(p.python_source.as_deref(), Some("src"));
    assert_eq!(p.extension_module.as_deref(), Some("srcdemo.srcdemo"));
    assert_eq!(p.version.as_deref(), Some("0.3.0"));
}

#[test]
fn a_rust_dir_does_not_make_a_pure_package_maturin() {
    // flakestorm's layout: hatchling at the root, a separate crate in rust/.
    let p = project(&[
        ("pyproject.toml", "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"pkg\"\nversion = \"1.0\"\n"),
        ("rust/Cargo.toml", "[package]\nname = \"other\"\nversion = \"0.1.0\"\n"),
    ]);
    assert_eq!(p.backend, Backend::Hatchling);
    assert!(p.cargo_manifest.is_none());
}

#[test]
fn compiled_packages_are_refused() {
    for (pyproject, extra) in [
        ("[build-system]\nrequires = [\"scikit-build-core\", \"pybind11\"]\nbuild-backend = \"scikit_build_core.build\"\n[project]\nname = \"pkg\"\nversion = \"1.0\"\n", None),
        ("[build-system]\nrequires = [\"meson-python\"]\nbuild-backend = \"mesonpy\"\n[project]\nname = \"pkg\"\nversion = \"1.0\"\n", None),
        ("[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n[project]\nname = \"pkg\"\nversion = \"1.0\"\n",
         Some(("setup.py", "from setuptools import Extension, setup\nsetup(ext_modules=[Extension(\"pkg._c\", [\"pkg/_c.c\"])])\n"))),
    ] {
        let mut files = vec![("pyproject.toml", pyproject)];
        files.extend(extra);
        let p = project(&files);
        let err = p.require_pipeline().unwrap_err().to_string();
        assert!(err.contains("platform-specific wheels"), "{err}");
    }
}
