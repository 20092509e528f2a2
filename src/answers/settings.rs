//! Per-platform build settings: `[tool.pyrel.platform."<platform>"]`, or a
//! family table (`linux`, `musllinux`, `windows`, `macos`, `android`,
//! `emscripten`) that applies to each of its platforms, the platform's own
//! table winning key by key. What an old workflow set per job × matrix row
//! (extra maturin arguments such as `--features`/`--profile`/`--zig`, a
//! Rust toolchain including dated nightlies, build variables, maturin-action's
//! `before-script-linux`, `docker-options` and `container`) is imported
//! here, validated like every other value, and rendered into the matrix
//! entry of that platform (never into a `run:` script).
//!
//! Between `[tool.pyrel]` and answers the table travels as one answer under
//! the key `platform`, serialized as JSON text: the question table has no
//! nested kinds, and this keeps every resolve/validate path unchanged.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml_edit::{Item, Table};

use super::platforms::{self, Os};
use super::{Config, Value};
use crate::inspect::workflows::BuildSettings;
use crate::inspect::Project;
use crate::validate;

/// The `[tool.pyrel]` key holding the per-platform tables.
pub(crate) const KEY: super::Key = super::Key::Platform;

/// One platform's (or family's) settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct PlatformSettings {
    /// Appended to the maturin arguments of this platform's build.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maturin_args: Option<String>,
    /// maturin-action `rust-toolchain` (`nightly-2025-01-15`, `1.85.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_toolchain: Option<String>,
    /// Build variables for this platform's build step.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_script_linux: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docker_options: Option<String>,
    /// The manylinux/musllinux image maturin-action builds in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
}

impl PlatformSettings {
    pub(crate) fn is_empty(&self) -> bool {
        *self == PlatformSettings::default()
    }

    fn overlay(&mut self, top: &PlatformSettings) {
        let pick = |a: &mut Option<String>, b: &Option<String>| {
            if b.is_some() {
                *a = b.clone();
            }
        };
        pick(&mut self.maturin_args, &top.maturin_args);
        pick(&mut self.rust_toolchain, &top.rust_toolchain);
        pick(&mut self.before_script_linux, &top.before_script_linux);
        pick(&mut self.docker_options, &top.docker_options);
        pick(&mut self.container, &top.container);
        for (k, v) in &top.env {
            self.env.insert(k.clone(), v.clone());
        }
    }
}

pub(crate) type PlatformTable = BTreeMap<String, PlatformSettings>;

const FAMILIES: &[(&str, Os)] = &[
    ("linux", Os::Linux),
    ("musllinux", Os::Musllinux),
    ("windows", Os::Windows),
    ("macos", Os::Macos),
    ("android", Os::Android),
    ("emscripten", Os::Emscripten),
];

/// The settings that apply to one platform: its family's table, then its own.
pub(crate) fn for_platform(table: &PlatformTable, name: &str) -> PlatformSettings {
    let mut out = PlatformSettings::default();
    if let Some(p) = platforms::find(name) {
        if let Some((family, _)) = FAMILIES.iter().find(|(_, os)| *os == p.os) {
            if let Some(s) = table.get(*family) {
                out.overlay(s);
            }
        }
    }
    if let Some(s) = table.get(name) {
        out.overlay(s);
    }
    out
}

pub(crate) fn encode(table: &PlatformTable) -> Value {
    Value::Str(serde_json::to_string(table).unwrap_or_default())
}

pub(crate) fn decode(v: Option<&Value>) -> PlatformTable {
    match v {
        Some(Value::Str(s)) => serde_json::from_str(s).unwrap_or_default(),
        _ => PlatformTable::new(),
    }
}

/// `[tool.pyrel.platform]` as written, or why it is not a table of tables.
pub(crate) fn from_item(item: &Item) -> Result<PlatformTable, String> {
    let Some(table) = item.as_table_like() else {
        return Err("a table of platform tables".into());
    };
    let mut doc = toml_edit::DocumentMut::new();
    for (k, v) in table.iter() {
        let v = match v {
            // Inline tables become tables so the document is well-formed.
            Item::Value(toml_edit::Value::InlineTable(t)) => Item::Table(t.clone().into_table()),
            other => other.clone(),
        };
        doc.insert(k, v);
    }
    let text = doc.to_string();
    toml_edit::de::from_str::<PlatformTable>(&text).map_err(|e| {
        let msg = e.to_string();
        format!(
            "a table of platform tables with the keys maturin-args, rust-toolchain, env, \
             before-script-linux, docker-options, container ({})",
            msg.lines().last().unwrap_or("").trim()
        )
    })
}

/// The table to save, one `[tool.pyrel.platform."<name>"]` per platform.
pub(crate) fn to_item(table: &PlatformTable) -> Item {
    let mut outer = Table::new();
    outer.set_implicit(true);
    for (name, s) in table {
        if s.is_empty() {
            continue;
        }
        let mut t = Table::new();
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                t.insert(k, toml_edit::value(v.as_str()));
            }
        };
        put("maturin-args", &s.maturin_args);
        put("rust-toolchain", &s.rust_toolchain);
        put("before-script-linux", &s.before_script_linux);
        put("docker-options", &s.docker_options);
        put("container", &s.container);
        if !s.env.is_empty() {
            let mut env = toml_edit::InlineTable::new();
            for (k, v) in &s.env {
                env.insert(k, v.as_str().into());
            }
            t.insert("env", toml_edit::value(env));
        }
        outer.insert(name, Item::Table(t));
    }
    Item::Table(outer)
}

/// Every key names a platform or a family; every value passes the check
/// its kind needs (values reach the workflow, so they may be hostile).
pub(crate) fn validate(table: &PlatformTable) -> Result<(), String> {
    for (name, s) in table {
        if platforms::find(name).is_none() && !FAMILIES.iter().any(|(f, _)| f == name) {
            return Err(format!(
                "[tool.pyrel.platform.{name:?}]: {name:?} is neither a platform ({}) nor a \
                 family ({})",
                platforms::names().join(", "),
                FAMILIES.iter().map(|f| f.0).collect::<Vec<_>>().join(", ")
            ));
        }
        check_one(s).map_err(|e| format!("[tool.pyrel.platform.{name:?}] {e}"))?;
    }
    Ok(())
}

fn check_one(s: &PlatformSettings) -> Result<(), String> {
    let field = |k: &str, v: &Option<String>, f: fn(&str) -> Result<(), String>| {
        v.as_deref()
            .map_or(Ok(()), f)
            .map_err(|e| format!("{k}: {e}"))
    };
    field("maturin-args", &s.maturin_args, validate::arguments)?;
    field("rust-toolchain", &s.rust_toolchain, toolchain)?;
    field(
        "before-script-linux",
        &s.before_script_linux,
        validate::command,
    )?;
    field("docker-options", &s.docker_options, validate::arguments)?;
    field("container", &s.container, image)?;
    for (k, v) in &s.env {
        env_name(k).map_err(|e| format!("env: {e}"))?;
        env_value(v).map_err(|e| format!("env {k}: {e}"))?;
    }
    Ok(())
}

/// `stable`, `nightly`, `nightly-2025-01-15`, `1.85.0`, `1.85-x86_64-unknown-linux-gnu`.
pub(crate) fn toolchain(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    ok.then_some(())
        .ok_or_else(|| format!("{s:?} is not a Rust toolchain name (letters, digits, `.-_`)"))
}

/// A container image reference (`ghcr.io/rust-cross/manylinux_2_28-cross:aarch64`).
pub(crate) fn image(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 255
        && s.starts_with(|c: char| c.is_ascii_alphanumeric())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/' | ':' | '@'));
    ok.then_some(())
        .ok_or_else(|| format!("{s:?} is not a container image reference"))
}

pub(crate) fn env_name(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.to_ascii_uppercase().starts_with("GITHUB_");
    ok.then_some(())
        .ok_or_else(|| format!("{s:?} is not a variable name (letters, digits, `_`; not GITHUB_*)"))
}

/// A variable's value: any text on one line without `${{` (it is written
/// in `env:`, quoted, never into a script).
pub(crate) fn env_value(s: &str) -> Result<(), String> {
    if s.len() > 4096 {
        return Err("is longer than 4096 characters".into());
    }
    if let Some(c) = s.chars().find(|c| c.is_control()) {
        return Err(format!("contains the control character {c:?}"));
    }
    if s.contains("${{") {
        return Err("contains `${{`, which GitHub Actions would evaluate as an expression".into());
    }
    Ok(())
}

/// From the old workflow's settings per platform to `[tool.pyrel]`:
/// maturin arguments every platform shares stay in `maturin-args`, the rest
/// goes to each platform's table. Values pyrel would reject are not
/// imported; a note says why (and the report shows them as DROPPED).
pub(crate) fn import(
    old: &BTreeMap<String, BuildSettings>,
    global_args: Option<&str>,
    global_before: Option<&str>,
    notes: &mut Vec<String>,
) -> PlatformTable {
    let mut out = PlatformTable::new();
    for (p, s) in old {
        if platforms::find(p).is_none() {
            continue;
        }
        let mut t = PlatformSettings::default();
        let mut keep = |key: &str, v: &Option<String>, f: fn(&str) -> Result<(), String>| {
            let v = v.as_ref()?;
            match f(v) {
                Ok(()) => Some(v.clone()),
                Err(e) => {
                    notes.push(format!("{key} on {p} not imported: {e}"));
                    None
                }
            }
        };
        if s.maturin_args.as_deref() != global_args {
            t.maturin_args = keep("maturin-args", &s.maturin_args, validate::arguments);
        }
        t.rust_toolchain = keep("rust-toolchain", &s.rust_toolchain, toolchain);
        if s.before_script_linux.as_deref() != global_before {
            t.before_script_linux = keep(
                "before-script-linux",
                &s.before_script_linux,
                validate::command,
            );
        }
        t.docker_options = keep("docker-options", &s.docker_options, validate::arguments);
        t.container = keep("container", &s.container, image);
        for (k, v) in &s.env {
            match env_name(k).and_then(|_| env_value(v)) {
                Ok(()) => {
                    t.env.insert(k.clone(), v.clone());
                }
                Err(e) => notes.push(format!("env {k} on {p} not imported: {e}")),
            }
        }
        if !t.is_empty() {
            out.insert(p.clone(), t);
        }
    }
    out
}

/// One old setting of one platform against what pyrel's configuration
/// builds it with: (what, old value, kept, why not).
pub(crate) fn compare(
    old: &BuildSettings,
    now: &PlatformSettings,
    config: &Config,
    project: &Project,
) -> Vec<(String, String, bool, String)> {
    let mut out = Vec::new();
    let cibw = project.is_cibuildwheel();
    let not_set = |key: &str| {
        if cibw {
            "pyrel's cibuildwheel workflow has no per-platform settings; set it in \
             [tool.cibuildwheel] (pyproject.toml), which cibuildwheel reads there too"
                .to_string()
        } else {
            format!("not in [tool.pyrel.platform] {key}")
        }
    };
    let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(a) = &old.maturin_args {
        let effective = [
            config.maturin_args.as_str(),
            now.maturin_args.as_deref().unwrap_or(""),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
        let kept = !cibw && words(&effective) == words(a);
        // Kept by the one `maturin-args` every platform shares: its own line says so.
        let global = now.maturin_args.is_none() && words(&config.maturin_args) == words(a);
        if !global {
            out.push((
                "maturin-args".into(),
                a.clone(),
                kept,
                not_set("maturin-args"),
            ));
        }
    }
    let mut one = |key: &str, old: &Option<String>, now: Option<&str>| {
        if let Some(v) = old {
            let kept = !cibw && now == Some(v.as_str());
            out.push((key.to_string(), v.clone(), kept, not_set(key)));
        }
    };
    one(
        "rust-toolchain",
        &old.rust_toolchain,
        now.rust_toolchain.as_deref(),
    );
    let global_before =
        (!config.before_script_linux.is_empty()).then_some(config.before_script_linux.as_str());
    if now.before_script_linux.is_some() || global_before != old.before_script_linux.as_deref() {
        one(
            "before-script-linux",
            &old.before_script_linux,
            now.before_script_linux.as_deref().or(global_before),
        );
    }
    one(
        "docker-options",
        &old.docker_options,
        now.docker_options.as_deref(),
    );
    one("container", &old.container, now.container.as_deref());
    for (k, v) in &old.env {
        let kept = !cibw && now.env.get(k) == Some(v);
        out.push((format!("env {k}"), v.clone(), kept, not_set("env")));
    }
    for (k, v) in &old.cibuildwheel {
        let why = if k.starts_with("before-all (linux)")
            || k.starts_with("environment (linux)")
            || k.starts_with("test-command")
        {
            "pyrel's cibuildwheel job sets this option itself (Rust in the container, the \
             smoke test); fold it into --before-script-linux / --test-command"
                .to_string()
        } else {
            "set it in [tool.cibuildwheel] (pyproject.toml): cibuildwheel reads it in pyrel's \
             workflow too"
                .to_string()
        };
        out.push((format!("cibuildwheel {k}"), v.clone(), false, why));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(toml: &str) -> Result<PlatformTable, String> {
        let doc: toml_edit::DocumentMut = toml.parse().unwrap();
        let t = from_item(&doc["platform"])?;
        validate(&t)?;
        Ok(t)
    }

    #[test]
    fn family_tables_apply_and_the_platform_wins() {
        let t = table(
            "[platform.linux]\nrust-toolchain = \"nightly\"\nenv = { RUSTFLAGS = \"-Ca\", CFLAGS = \"-O2\" }\n\
             [platform.linux-aarch64]\nenv = { RUSTFLAGS = \"-Cb\" }\nmaturin-args = \"--zig\"\n",
        )
        .unwrap();
        let s = for_platform(&t, "linux-aarch64");
        assert_eq!(s.rust_toolchain.as_deref(), Some("nightly"));
        assert_eq!(s.env["RUSTFLAGS"], "-Cb");
        assert_eq!(s.env["CFLAGS"], "-O2");
        assert_eq!(s.maturin_args.as_deref(), Some("--zig"));
        assert!(for_platform(&t, "macos-aarch64").is_empty());
        // Round trip through the answer encoding and the saved table.
        assert_eq!(decode(Some(&encode(&t))), t);
        let mut doc = toml_edit::DocumentMut::new();
        doc.insert("platform", to_item(&t));
        assert_eq!(table(&doc.to_string()).unwrap(), t);
    }

    #[test]
    fn hostile_values_are_rejected_with_the_key() {
        for (toml, needle) in [
            (
                "[platform.linux-x86_64]\nenv = { RUSTFLAGS = \"${{ github.token }}\" }",
                "env RUSTFLAGS",
            ),
            (
                "[platform.linux-x86_64]\nenv = { RUSTFLAGS = \"a\\nb\" }",
                "control character",
            ),
            (
                "[platform.linux-x86_64]\nenv = { \"A B\" = \"x\" }",
                "not a variable name",
            ),
            (
                "[platform.linux-x86_64]\nenv = { GITHUB_PATH = \"x\" }",
                "not a variable name",
            ),
            (
                "[platform.linux-x86_64]\ncontainer = \"img; curl x | sh\"",
                "container",
            ),
            (
                "[platform.linux-x86_64]\nrust-toolchain = \"nightly && rm -rf /\"",
                "rust-toolchain",
            ),
            (
                "[platform.linux-x86_64]\nmaturin-args = \"--x ${{ secrets.T }}\"",
                "maturin-args",
            ),
            (
                "[platform.linux-sparc]\nrust-toolchain = \"nightly\"",
                "neither a platform",
            ),
            (
                "[platform.linux-x86_64]\nfeatures = \"x\"",
                "keys maturin-args",
            ),
        ] {
            let err = table(toml).unwrap_err();
            assert!(err.contains(needle), "{toml}: {err}");
        }
    }

    #[test]
    fn dated_nightlies_and_images_pass() {
        for t in [
            "nightly-2025-06-01",
            "1.85.0",
            "stable",
            "beta-x86_64-unknown-linux-gnu",
        ] {
            toolchain(t).unwrap();
        }
        image("ghcr.io/rust-cross/manylinux_2_28-cross:aarch64").unwrap();
        image("quay.io/pypa/manylinux2014_x86_64@sha256:0123").unwrap();
    }
}
