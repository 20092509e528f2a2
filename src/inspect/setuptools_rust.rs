//! What setuptools-rust builds, read (never run) from
//! `[[tool.setuptools-rust.ext-modules]]` / `[[tool.setuptools-rust.bins]]`
//! in pyproject.toml, or from the literal arguments of `RustExtension(...)` /
//! `RustBin(...)` in setup.py; plus the `bdist_wheel` `py_limited_api` that
//! decides whether the wheel is tagged abi3 (setuptools-rust's default
//! `py-limited-api = "auto"` follows it).
//!
//! setup.py is Python: only literal arguments are read, and whatever is not a
//! literal is reported with its file:line rather than guessed.

use std::path::Path;

use toml_edit::Item;

use super::tomlfile::{str_array, TomlFile};
use crate::error::Result;

/// `binding =` of a Rust extension (setuptools-rust's `Binding` enum).
#[allow(clippy::enum_variant_names)] // setuptools-rust's own names
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binding {
    PyO3,
    RustCPython,
    NoBinding,
    Exec,
}

impl Binding {
    fn parse(s: &str) -> Option<Binding> {
        match s.rsplit('.').next().unwrap_or(s) {
            "PyO3" => Some(Binding::PyO3),
            "RustCPython" => Some(Binding::RustCPython),
            "NoBinding" => Some(Binding::NoBinding),
            "Exec" => Some(Binding::Exec),
            _ => None,
        }
    }
}

/// `py-limited-api =` of a Rust extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LimitedApi {
    /// The default: follow `bdist_wheel` `py_limited_api`.
    Auto,
    On,
    Off,
}

/// One `[[tool.setuptools-rust.ext-modules]]` / `[[...bins]]` entry or
/// `RustExtension(...)` / `RustBin(...)` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RustTarget {
    /// The extension's dotted module path, or the binary's name.
    pub target: Option<String>,
    /// The crate's Cargo.toml, relative to the package directory.
    pub path: String,
    pub binding: Binding,
    pub py_limited_api: LimitedApi,
    pub features: Vec<String>,
    pub debug: Option<bool>,
    /// A `bins` entry or `RustBin(...)`.
    pub bin: bool,
}

impl Default for RustTarget {
    fn default() -> Self {
        RustTarget {
            target: None,
            path: "Cargo.toml".into(),
            binding: Binding::PyO3,
            py_limited_api: LimitedApi::Auto,
            features: Vec::new(),
            debug: None,
            bin: false,
        }
    }
}

/// Everything setuptools-rust's configuration says, from whichever file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    /// Extensions first, then binaries, in file order.
    pub targets: Vec<RustTarget>,
    /// `bdist_wheel` `py_limited_api` as a CPython tag (`cp39`), from
    /// `[tool.distutils.bdist_wheel]`, setup.cfg `[bdist_wheel]` or a literal
    /// `options={"bdist_wheel": {...}}` in setup.py.
    pub wheel_limited_api: Option<String>,
    /// setuptools `package-dir` for the root package (`{"" = "src"}`).
    pub package_dir: Option<String>,
    /// What could not be read, each with its file:line.
    pub unreadable: Vec<String>,
}

impl Config {
    /// The target the release is about: the first extension, else the first
    /// binary.
    pub(crate) fn main(&self) -> Option<&RustTarget> {
        self.targets
            .iter()
            .find(|t| !t.bin)
            .or_else(|| self.targets.first())
    }
}

/// Read the configuration; `rel_dir` is the package directory relative to
/// the repository root (for file names in messages).
pub(crate) fn read(pyproject: &TomlFile, package_dir: &Path, rel_dir: &str) -> Result<Config> {
    let mut config = Config::default();
    for (key, bin) in [("ext-modules", false), ("bins", true)] {
        let keys = ["tool", "setuptools-rust", key];
        let Some(item) = pyproject.get(&keys) else {
            continue;
        };
        let tables = item
            .as_array_of_tables()
            .ok_or_else(|| pyproject.type_error(&keys, item, "an array of tables"))?;
        for table in tables.iter() {
            let mut t = RustTarget {
                bin,
                binding: if bin { Binding::Exec } else { Binding::PyO3 },
                ..RustTarget::default()
            };
            let s = |k: &str| table.get(k).and_then(Item::as_str).map(str::to_string);
            t.target = s("target");
            if let Some(p) = s("path") {
                t.path = p;
            }
            if let Some(b) = s("binding") {
                match Binding::parse(&b) {
                    Some(b) => t.binding = b,
                    None => config.unreadable.push(format!(
                        "{}: [[tool.setuptools-rust.{key}]] binding {b:?} is not one of PyO3, \
                         RustCPython, NoBinding, Exec",
                        pyproject.display
                    )),
                }
            }
            t.py_limited_api = match table.get("py-limited-api") {
                Some(i) if i.as_bool() == Some(true) => LimitedApi::On,
                Some(i) if i.as_bool() == Some(false) => LimitedApi::Off,
                _ => LimitedApi::Auto,
            };
            t.features = table
                .get("features")
                .and_then(str_array)
                .unwrap_or_default();
            t.debug = table.get("debug").and_then(Item::as_bool);
            config.targets.push(t);
        }
    }
    config.targets.sort_by_key(|t| t.bin);
    for keys in [
        ["tool", "distutils", "bdist_wheel", "py-limited-api"],
        ["tool", "distutils", "bdist_wheel", "py_limited_api"],
    ] {
        if let Some(v) = pyproject.str(&keys)? {
            config.wheel_limited_api = limited_tag(&v);
        }
    }
    config.package_dir = pyproject.str(&["tool", "setuptools", "package-dir", ""])?;

    let setup_cfg = std::fs::read_to_string(package_dir.join("setup.cfg")).unwrap_or_default();
    if config.wheel_limited_api.is_none() {
        config.wheel_limited_api = ini_value(&setup_cfg, "bdist_wheel", "py_limited_api")
            .or_else(|| ini_value(&setup_cfg, "bdist_wheel", "py-limited-api"))
            .and_then(|v| limited_tag(&v));
    }
    if let Ok(text) = std::fs::read_to_string(package_dir.join("setup.py")) {
        let display = super::display_path(rel_dir, "setup.py");
        let found = from_setup_py(&text, &display);
        if config.targets.is_empty() {
            config.targets = found.targets;
            config.unreadable.extend(found.unreadable);
        }
        config.wheel_limited_api = config.wheel_limited_api.or(found.wheel_limited_api);
        config.package_dir = config.package_dir.or(found.package_dir);
    }
    Ok(config)
}

/// `cp39` / `cp3_9`-free spellings → `cp39`; anything else (`false`, `""`)
/// means no limited API.
fn limited_tag(v: &str) -> Option<String> {
    let v = v.trim().to_ascii_lowercase();
    let digits = v.strip_prefix("cp3")?;
    (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("cp3{digits}"))
}

/// `key = value` in `[section]` of an ini file.
fn ini_value(text: &str, section: &str, key: &str) -> Option<String> {
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line.trim_matches(['[', ']']).trim() == section;
            continue;
        }
        if !inside {
            continue;
        }
        if let Some((k, v)) = line.split_once(['=', ':']) {
            if k.trim() == key {
                return Some(v.trim().to_string());
            }
        }
    }
    None
}

/// The literal facts of a setup.py.
pub(crate) fn from_setup_py(text: &str, display: &str) -> Config {
    let mut config = Config::default();
    for (call, bin) in [("RustExtension(", false), ("RustBin(", true)] {
        let mut from = 0;
        while let Some(at) = text[from..].find(call) {
            let start = from + at;
            from = start + call.len();
            // `class X(RustExtension)` / `import RustExtension` are not calls.
            let before = text[..start].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let line = text[..start].matches('\n').count() + 1;
            let Some(args) = call_args(&text[from..]) else {
                config.unreadable.push(format!(
                    "{display}:{line}: the arguments of {} could not be read",
                    call.trim_end_matches('(')
                ));
                continue;
            };
            let mut t = RustTarget {
                bin,
                binding: if bin { Binding::Exec } else { Binding::PyO3 },
                ..RustTarget::default()
            };
            let mut missing: Vec<&str> = Vec::new();
            let mut unread = |what: &'static str| missing.push(what);
            for (i, arg) in args.iter().enumerate() {
                let (name, value) = match split_keyword(arg) {
                    Some((k, v)) => (k, v),
                    None => (
                        match i {
                            0 => "target",
                            1 => "path",
                            _ => "",
                        },
                        arg.as_str(),
                    ),
                };
                match name {
                    "target" => match py_string(value) {
                        Some(s) => t.target = Some(s),
                        None => unread("the target"),
                    },
                    "path" => match py_string(value) {
                        Some(s) => t.path = s,
                        None => unread("the path"),
                    },
                    "binding" => match Binding::parse(value.trim()) {
                        Some(b) => t.binding = b,
                        None => unread("the binding"),
                    },
                    "py_limited_api" => match value.trim() {
                        "True" => t.py_limited_api = LimitedApi::On,
                        "False" => t.py_limited_api = LimitedApi::Off,
                        v if py_string(v).as_deref() == Some("auto") => {}
                        _ => unread("py_limited_api"),
                    },
                    "features" => match py_string_list(value) {
                        Some(f) => t.features = f,
                        None => unread("features"),
                    },
                    "debug" => match value.trim() {
                        "True" => t.debug = Some(true),
                        "False" => t.debug = Some(false),
                        _ => unread("debug"),
                    },
                    _ => {}
                }
            }
            if t.target.is_none() && !bin && !missing.contains(&"the target") {
                missing.insert(0, "the target");
            }
            for what in missing {
                config.unreadable.push(format!(
                    "{display}:{line}: {what} of {} is not a literal; pyrel does not run setup.py",
                    call.trim_end_matches('(')
                ));
            }
            config.targets.push(t);
        }
    }
    config.targets.sort_by_key(|t| t.bin);
    config.wheel_limited_api = wheel_limited_api(text).map(str::to_string);
    config.package_dir = root_package_dir(text).map(str::to_string);
    config
}

/// A quote, either kind.
fn quote(c: char) -> bool {
    c == '"' || c == '\''
}

/// `"py_limited_api": "cp3N"` (either quotes, any spaces), the first one:
/// `cp3N`. Scans, not regexes: compiling a regex costs more than reading
/// the whole of setup.py.
fn wheel_limited_api(text: &str) -> Option<&str> {
    const KEY: &str = "py_limited_api";
    text.match_indices(KEY).find_map(|(at, _)| {
        text[..at].ends_with(quote).then_some(())?;
        let rest = text[at + KEY.len()..].strip_prefix(quote)?;
        let rest = rest.trim_start().strip_prefix(':')?.trim_start();
        let value = rest.strip_prefix(quote)?;
        let end = value.find(quote)?;
        let digits = value[..end].strip_prefix("cp3")?;
        (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| &value[..end])
    })
}

/// `package_dir = {"": "src"}` (either quotes, any spaces), the first one:
/// where the root package lives.
fn root_package_dir(text: &str) -> Option<&str> {
    const KEY: &str = "package_dir";
    text.match_indices(KEY).find_map(|(at, _)| {
        let rest = text[at + KEY.len()..].trim_start().strip_prefix('=')?;
        let rest = rest.trim_start().strip_prefix('{')?.trim_start();
        let rest = rest.strip_prefix(quote)?.strip_prefix(quote)?;
        let rest = rest.trim_start().strip_prefix(':')?.trim_start();
        let value = rest.strip_prefix(quote)?;
        Some(&value[..value.find(quote)?])
    })
}

/// The top-level arguments of a call whose text starts right after `(`.
fn call_args(text: &str) -> Option<Vec<String>> {
    let mut depth = 0usize;
    let mut args = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            current.push(c);
            if c == '\\' {
                current.push(chars.next()?);
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => {
                quote = Some(c);
                current.push(c);
            }
            '#' => {
                // A comment runs to the end of the line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '(' | '[' | '{' => {
                depth += 1;
                current.push(c);
            }
            ')' | ']' | '}' if depth > 0 => {
                depth -= 1;
                current.push(c);
            }
            ')' => {
                if !current.trim().is_empty() {
                    args.push(current.trim().to_string());
                }
                return Some(args);
            }
            ',' if depth == 0 => {
                args.push(current.trim().to_string());
                current.clear();
            }
            _ => current.push(c),
        }
    }
    None
}

/// `name=value` → (`name`, `value`); a positional argument → None.
fn split_keyword(arg: &str) -> Option<(&str, &str)> {
    let (k, v) = arg.split_once('=')?;
    let k = k.trim();
    (!k.is_empty()
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !v.starts_with('='))
    .then_some((k, v))
}

/// A plain (not f-, not byte-) Python string literal without escapes.
fn py_string(v: &str) -> Option<String> {
    let v = v.trim();
    let q = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = v.strip_prefix(q)?.strip_suffix(q)?;
    (!inner.contains(q) && !inner.contains('\\')).then(|| inner.to_string())
}

/// `["a", 'b']` (or a tuple) of string literals.
fn py_string_list(v: &str) -> Option<Vec<String>> {
    let v = v.trim();
    let inner = v
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .or_else(|| v.strip_prefix('(').and_then(|s| s.strip_suffix(')')))?;
    inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(py_string)
        .collect()
}

#[cfg(test)]
mod tests {
    /// The scans find what the patterns they replaced found:
    /// `["']py_limited_api["']\s*:\s*["'](cp3\d+)["']` and
    /// `package_dir\s*=\s*\{\s*["']{2}\s*:\s*["']([^"']*)["']`.
    #[test]
    fn setup_py_scans_read_as_the_patterns_read() {
        use super::{root_package_dir, wheel_limited_api};
        assert_eq!(
            wheel_limited_api(r#"options={"bdist_wheel": {"py_limited_api": "cp39"}}"#),
            Some("cp39")
        );
        assert_eq!(
            wheel_limited_api("{'py_limited_api' :\n 'cp310'}"),
            Some("cp310")
        );
        assert_eq!(wheel_limited_api(r#"py_limited_api="cp39""#), None);
        assert_eq!(wheel_limited_api(r#""py_limited_api": "cp3""#), None);
        assert_eq!(wheel_limited_api(r#""py_limited_api": "cp39x""#), None);
        assert_eq!(
            wheel_limited_api(r#""py_limited_api": True, "py_limited_api": "cp311""#),
            Some("cp311")
        );
        assert_eq!(root_package_dir(r#"package_dir={"": "src"}"#), Some("src"));
        assert_eq!(
            root_package_dir("package_dir = {\n    '' : 'python',\n}"),
            Some("python")
        );
        assert_eq!(root_package_dir(r#"package_dir={"": ""}"#), Some(""));
        assert_eq!(root_package_dir(r#"package_dir={"pkg": "src"}"#), None);
        assert_eq!(
            root_package_dir(r#"package_dir=dirs, package_dir={"": 'lib"}"#),
            Some("lib")
        );
    }

    use super::*;

    fn toml(text: &str) -> TomlFile {
        TomlFile::parse(text.to_string(), "pyproject.toml").unwrap()
    }

    #[test]
    fn reads_pyproject_ext_modules_and_bins() {
        let dir = tempfile::tempdir().unwrap();
        let f = toml(
            r#"
[tool.setuptools-rust]
[[tool.setuptools-rust.bins]]
target = "pkg-cli"
path = "cli/Cargo.toml"

[[tool.setuptools-rust.ext-modules]]
target = "pkg._pkg"
path = "src/_pkg/Cargo.toml"
binding = "PyO3"
py-limited-api = true
features = ["fast"]
debug = false

[tool.setuptools.package-dir]
"" = "src"

[tool.distutils.bdist_wheel]
py-limited-api = "cp310"
"#,
        );
        let c = read(&f, dir.path(), "").unwrap();
        let main = c.main().unwrap();
        assert_eq!(main.target.as_deref(), Some("pkg._pkg"));
        assert_eq!(main.path, "src/_pkg/Cargo.toml");
        assert_eq!(main.binding, Binding::PyO3);
        assert_eq!(main.py_limited_api, LimitedApi::On);
        assert_eq!(main.features, vec!["fast".to_string()]);
        assert_eq!(main.debug, Some(false));
        assert!(!main.bin);
        let bin = &c.targets[1];
        assert!(bin.bin);
        assert_eq!(bin.binding, Binding::Exec);
        assert_eq!(bin.target.as_deref(), Some("pkg-cli"));
        assert_eq!(c.package_dir.as_deref(), Some("src"));
        assert_eq!(c.wheel_limited_api.as_deref(), Some("cp310"));
        assert!(c.unreadable.is_empty());
    }

    #[test]
    fn defaults_and_bad_binding() {
        let dir = tempfile::tempdir().unwrap();
        let f = toml("[[tool.setuptools-rust.ext-modules]]\ntarget = \"m\"\nbinding = \"Cffi\"\n");
        let c = read(&f, dir.path(), "").unwrap();
        let m = c.main().unwrap();
        assert_eq!(m.path, "Cargo.toml");
        assert_eq!(m.binding, Binding::PyO3);
        assert_eq!(m.py_limited_api, LimitedApi::Auto);
        assert!(c.unreadable[0].contains("binding \"Cffi\""));
        assert_eq!(c.wheel_limited_api, None);
    }

    #[test]
    fn setup_cfg_sets_the_wheel_limited_api() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("setup.cfg"),
            "[metadata]\nname = x\n\n[bdist_wheel]\npy_limited_api = cp39\n",
        )
        .unwrap();
        let c = read(&toml(""), dir.path(), "").unwrap();
        assert_eq!(c.wheel_limited_api.as_deref(), Some("cp39"));
    }

    #[test]
    fn reads_literal_setup_py() {
        let text = r#"from setuptools import setup
from setuptools_rust import Binding, RustExtension, RustBin

setup(
    package_dir={"": "python"},
    rust_extensions=[
        RustExtension(
            "pkg._native",  # the compiled module
            path="rust/Cargo.toml",
            binding=Binding.PyO3,
            py_limited_api="auto",
            features=["pyo3/abi3-py39", 'extra'],
            debug=False,
        ),
        RustBin("pkg-tool", "tool/Cargo.toml"),
    ],
    options={"bdist_wheel": {"py_limited_api": "cp39"}},
)
"#;
        let c = from_setup_py(text, "setup.py");
        assert!(c.unreadable.is_empty(), "{:?}", c.unreadable);
        let m = c.main().unwrap();
        assert_eq!(m.target.as_deref(), Some("pkg._native"));
        assert_eq!(m.path, "rust/Cargo.toml");
        assert_eq!(m.binding, Binding::PyO3);
        assert_eq!(m.py_limited_api, LimitedApi::Auto);
        assert_eq!(m.features, vec!["pyo3/abi3-py39", "extra"]);
        assert_eq!(m.debug, Some(false));
        let b = &c.targets[1];
        assert!(b.bin);
        assert_eq!(b.target.as_deref(), Some("pkg-tool"));
        assert_eq!(b.path, "tool/Cargo.toml");
        assert_eq!(c.wheel_limited_api.as_deref(), Some("cp39"));
        assert_eq!(c.package_dir.as_deref(), Some("python"));
    }

    #[test]
    fn names_what_setup_py_does_not_spell_literally() {
        let text = "import os\nfrom setuptools_rust import RustExtension\n\nNAME = 'pkg._x'\nexts = [\n    RustExtension(NAME, binding=Binding.RustCPython,\n                  features=os.environ['F'].split())\n]\n";
        let c = from_setup_py(text, "sub/setup.py");
        let m = c.main().unwrap();
        assert_eq!(m.target, None);
        assert_eq!(m.binding, Binding::RustCPython);
        assert_eq!(c.unreadable.len(), 2, "{:?}", c.unreadable);
        assert!(c.unreadable[0].starts_with("sub/setup.py:6: the target"));
        assert!(c.unreadable[1].starts_with("sub/setup.py:6: features"));
        // Another name that ends the same way is not a call.
        let c = from_setup_py("x = MyRustExtension('a.b')\n", "setup.py");
        assert!(c.targets.is_empty());
    }
}

/// `inspect` on whole setuptools-rust packages: every reported field, in the
/// pyproject and setup.py forms.
#[cfg(test)]
mod project_tests {
    use crate::inspect::{inspect, Backend, Project};

    const BUILD: &str = "[build-system]\nrequires = [\"setuptools\", \"setuptools-rust\"]\nbuild-backend = \"setuptools.build_meta\"\n";
    const PYO3_CRATE: &str = "[package]\nname = \"native\"\nversion = \"9.9.9\"\nedition = \"2021\"\n[lib]\nname = \"_pkg\"\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.29\"\n";

    fn project(files: &[(&str, &str)]) -> Project {
        let dir = crate::testing::repo(files);
        inspect(dir.path()).unwrap()
    }

    #[test]
    fn pyproject_form_every_field() {
        let pyproject = format!(
            "{BUILD}[project]\nname = \"pkg\"\nversion = \"1.0.0\"\n\
             [tool.setuptools.package-dir]\n\"\" = \"src\"\n\
             [[tool.setuptools-rust.ext-modules]]\ntarget = \"pkg._pkg\"\npath = \"src/_pkg/Cargo.toml\"\n\
             [tool.distutils.bdist_wheel]\npy-limited-api = \"cp310\"\n"
        );
        let p = project(&[
            ("pyproject.toml", &pyproject),
            ("src/_pkg/Cargo.toml", PYO3_CRATE),
            ("src/_pkg/src/lib.rs", ""),
            ("src/pkg/__init__.py", "__version__ = \"1.0.0\"\n"),
        ]);
        assert_eq!(p.backend, Backend::SetuptoolsRust);
        assert!(p.is_cibuildwheel());
        assert!(p.require_pipeline().is_ok());
        assert_eq!(p.bindings, Some(crate::inspect::Bindings::Pyo3));
        assert_eq!(p.cargo_manifest.as_deref(), Some("src/_pkg/Cargo.toml"));
        assert_eq!(p.module_name, "pkg._pkg");
        assert_eq!(p.extension_module.as_deref(), Some("pkg._pkg"));
        assert_eq!(p.abi3.map(|a| a.tag()).as_deref(), Some("cp310"));
        assert_eq!(p.python_source.as_deref(), Some("src"));
        // setuptools reads no version from Cargo.toml.
        let files: Vec<&str> = p.version_sources.iter().map(|s| s.file.as_str()).collect();
        assert_eq!(files, ["pyproject.toml", "src/pkg/__init__.py"]);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn setup_py_form_every_field() {
        let p = project(&[
            ("pyproject.toml", &format!("{BUILD}[project]\nname = \"pkg\"\ndynamic = [\"version\"]\n[tool.setuptools.dynamic]\nversion = {{ attr = \"pkg.__version__\" }}\n")),
            ("setup.py", "from setuptools import setup\nfrom setuptools_rust import Binding, RustExtension\nsetup(rust_extensions=[RustExtension('_pkg', 'rust/Cargo.toml', binding=Binding.NoBinding, py_limited_api=False)], options={'bdist_wheel': {'py_limited_api': 'cp39'}})\n"),
            ("rust/Cargo.toml", "[package]\nname = \"native\"\nversion = \"0.1.0\"\n[lib]\nname = \"_pkg\"\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3-ffi = \"0.29\"\n"),
            ("rust/src/lib.rs", ""),
            ("pkg/__init__.py", "__version__ = \"2.1\"\n"),
        ]);
        assert_eq!(p.backend, Backend::SetuptoolsRust);
        assert_eq!(p.bindings, Some(crate::inspect::Bindings::Pyo3Ffi));
        assert_eq!(p.cargo_manifest.as_deref(), Some("rust/Cargo.toml"));
        // An undotted target is a top-level module.
        assert_eq!(p.module_name, "_pkg");
        assert_eq!(p.extension_module.as_deref(), Some("_pkg"));
        // py_limited_api=False wins over bdist_wheel's setting.
        assert_eq!(p.abi3, None);
        assert_eq!(p.python_source, None);
        assert_eq!(p.version.as_deref(), Some("2.1"));
    }

    #[test]
    fn rust_cpython_and_bins() {
        let p = project(&[
            ("pyproject.toml", &format!("{BUILD}[project]\nname = \"pkg\"\nversion = \"1\"\n[[tool.setuptools-rust.ext-modules]]\ntarget = \"pkg.native\"\nbinding = \"RustCPython\"\n")),
            ("Cargo.toml", "[package]\nname = \"native\"\nversion = \"0.1.0\"\n[lib]\ncrate-type = [\"cdylib\"]\n[dependencies]\ncpython = \"0.7\"\n"),
            ("src/lib.rs", ""),
        ]);
        assert_eq!(p.bindings, Some(crate::inspect::Bindings::RustCpython));
        let p = project(&[
            ("pyproject.toml", &format!("{BUILD}[project]\nname = \"pkg\"\nversion = \"1\"\n[[tool.setuptools-rust.bins]]\ntarget = \"pkg-cli\"\n")),
            ("Cargo.toml", "[package]\nname = \"pkg-cli\"\nversion = \"0.1.0\"\n"),
            ("src/main.rs", "fn main() {}\n"),
        ]);
        assert_eq!(p.bindings, Some(crate::inspect::Bindings::Bin));
        assert_eq!(p.module_name, "pkg-cli");
        assert_eq!(p.extension_module, None);
        assert_eq!(p.abi3, None);
    }

    #[test]
    fn abi3_crate_without_bdist_wheel_tag_is_a_warning() {
        let p = project(&[
            ("pyproject.toml", &format!("{BUILD}[project]\nname = \"pkg\"\nversion = \"1\"\n[[tool.setuptools-rust.ext-modules]]\ntarget = \"pkg._pkg\"\n")),
            ("Cargo.toml", &PYO3_CRATE.replace("pyo3 = \"0.29\"", "pyo3 = { version = \"0.29\", features = [\"abi3-py39\"] }")),
            ("src/lib.rs", ""),
        ]);
        assert_eq!(p.abi3, None);
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains("py_limited_api is not set")),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn unreadable_or_missing_configuration_is_refused_with_its_place() {
        let dir = crate::testing::repo(&[
            ("pyproject.toml", &format!("{BUILD}[project]\nname = \"pkg\"\nversion = \"1\"\n")),
            ("setup.py", "from setuptools_rust import RustExtension\nNAME = 'pkg._pkg'\nsetup(rust_extensions=[\n    RustExtension(NAME)])\n"),
            ("Cargo.toml", PYO3_CRATE),
            ("src/lib.rs", ""),
        ]);
        let e = inspect(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("setup.py:4: the target of RustExtension is not a literal"),
            "{e}"
        );
        let dir = crate::testing::repo(&[
            ("pyproject.toml", &format!("{BUILD}[project]\nname = \"pkg\"\nversion = \"1\"\n[[tool.setuptools-rust.ext-modules]]\ntarget = \"pkg._pkg\"\npath = \"nowhere/Cargo.toml\"\n")),
        ]);
        let e = inspect(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("nowhere/Cargo.toml, which does not exist"),
            "{e}"
        );
    }
}
