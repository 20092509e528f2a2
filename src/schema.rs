//! `pyrel schema`: a JSON Schema for the `[tool.pyrel]` table, generated
//! from the question table, so that an editor (taplo / Even Better TOML,
//! SchemaStore) can complete and check the keys. A copy is committed as
//! `schema/pyrel.schema.json`; tests keep the two equal.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value as Json};

use crate::answers::questions::{Kind, QUESTIONS};
use crate::answers::{platforms, Value};
use crate::error::{Error, Result, Status};
use crate::inspect::{Backend, Bindings, GitHub, Paths, Project};

/// Where the committed copy is published (the repository's raw file).
pub(crate) const ID: &str =
    "https://raw.githubusercontent.com/pyrel-dev/pyrel/main/schema/pyrel.schema.json";

pub(crate) fn print() -> Result<Status> {
    let text = serde_json::to_string_pretty(&schema())
        .map_err(|e| Error::Internal(format!("schema: {e}")))?;
    crate::out::print(&format!("{text}\n"))?;
    Ok(Status::Ok)
}

pub(crate) fn schema() -> Json {
    let mut properties = Map::new();
    for q in QUESTIONS {
        let mut p = match q.kind {
            Kind::Bool => json!({ "type": "boolean" }),
            Kind::Text => json!({ "type": "string" }),
            Kind::Choice(options) => json!({ "type": "string", "enum": options }),
            Kind::Platforms => json!({
                "type": "array",
                "items": { "type": "string", "enum": platforms::names() },
            }),
            Kind::List => json!({
                "type": "array",
                "items": { "type": "string" },
            }),
        };
        let obj = p.as_object_mut().expect("an object");
        let mut description = match q.kind {
            Kind::Choice(options) => format!(
                "{}: `{}` (flag `--{}`).",
                q.prompt,
                options.join("` or `"),
                q.key
            ),
            _ => format!("{} (flag `--{}`).", q.prompt, q.key),
        };
        match default_of(q.default) {
            Default::Static(d) => {
                obj.insert("default".into(), d);
            }
            Default::Unset => description.push_str(" Unset by default."),
            Default::Derived => description
                .push_str(" The default is derived from the package (see `pyrel init --dry-run`)."),
        }
        obj.insert("description".into(), Json::String(description));
        properties.insert(q.key.to_string(), p);
    }
    properties.insert(
        crate::answers::settings::KEY.to_string(),
        platform_settings(),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": ID,
        "title": "[tool.pyrel]",
        "description": "pyrel's saved answers: the release workflow and RELEASING.md are generated from them (`pyrel generate`). Every key is also a flag of `pyrel init`.",
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    })
}

/// `[tool.pyrel.platform."<platform or family>"]`: build settings per
/// platform (see `answers::settings`).
fn platform_settings() -> Json {
    let text = |d: &str| json!({ "type": "string", "description": d });
    let settings = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "maturin-args": text("Appended to this platform's maturin arguments (for example --features simd, --profile dist, --zig)."),
            "rust-toolchain": text("maturin-action `rust-toolchain` for this platform (stable, nightly, nightly-2025-06-01, 1.85.0)."),
            "env": {
                "type": "object",
                "description": "Build variables for this platform's build step (RUSTFLAGS, CFLAGS, CARGO_*, ...); never set for other platforms.",
                "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" },
                "additionalProperties": { "type": "string" },
            },
            "before-script-linux": text("maturin-action `before-script-linux` for this platform (instead of the top-level key)."),
            "docker-options": text("maturin-action `docker-options` for this platform."),
            "container": text("The manylinux/musllinux image maturin-action builds this platform in."),
        },
    });
    let mut keys: Vec<&str> = platforms::names();
    keys.extend([
        "linux",
        "musllinux",
        "windows",
        "macos",
        "android",
        "emscripten",
    ]);
    json!({
        "type": "object",
        "description": "Build settings per platform, or per family (linux, musllinux, windows, macos, android, emscripten; a platform's own table wins key by key). `pyrel init` imports them from the workflows a repository already has.",
        "propertyNames": { "enum": keys },
        "minProperties": 0,
        "additionalProperties": settings,
    })
}

enum Default {
    /// The same for every package.
    Static(Json),
    /// No package gets one.
    Unset,
    /// Depends on the package (platforms, tag prefix, smoke test, paths, ...).
    Derived,
}

/// Evaluate a question's default on packages unlike each other in every way
/// a default can depend on.
fn default_of(default: fn(&Project) -> Option<Value>) -> Default {
    let values: Vec<Option<Value>> = sample_projects().iter().map(default).collect();
    if values.iter().any(|v| v != &values[0]) {
        return Default::Derived;
    }
    match values[0].clone() {
        None => Default::Unset,
        Some(Value::Bool(b)) => Default::Static(Json::Bool(b)),
        Some(Value::Str(s)) => Default::Static(Json::String(s)),
        Some(Value::List(l)) => {
            Default::Static(Json::Array(l.into_iter().map(Json::String).collect()))
        }
    }
}

/// Packages unlike each other in every way a default can depend on.
fn sample_projects() -> Vec<Project> {
    let base =
        |name: &str, backend: Backend, bindings: Option<Bindings>, dir: &str, gh: bool| Project {
            name: name.into(),
            backend,
            backend_wrapper: None,
            compiled: None,
            extension_module: None,
            existing_workflows: Vec::new(),
            bindings,
            cargo_manifest: None,
            workspace: false,
            workspace_manifest: None,
            abi3: None,
            python_source: None,
            module_name: name.replace('-', "_"),
            features: Vec::new(),
            version: None,
            version_sources: Vec::new(),
            vcs_version: false,
            requires_python: None,
            scripts: BTreeMap::new(),
            github: gh.then(|| GitHub {
                owner: "o".into(),
                repo: "r".into(),
            }),
            github_declared: false,
            pyo3_version: None,
            package_dir: dir.into(),
            warnings: Vec::new(),
            paths: Paths::default(),
        };
    vec![
        base("alpha", Backend::Maturin, Some(Bindings::Pyo3), "", true),
        base("beta-py", Backend::Hatchling, None, "python/beta", false),
        base(
            "gamma",
            Backend::Maturin,
            Some(Bindings::Bin),
            "tools",
            true,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed copy is what `pyrel schema` prints: adding or changing a
    /// question without regenerating it (`pyrel schema > schema/pyrel.schema.json`)
    /// fails here.
    #[test]
    fn committed_schema_is_current() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/pyrel.schema.json");
        let committed = std::fs::read_to_string(&path).expect("schema/pyrel.schema.json");
        let current = serde_json::to_string_pretty(&schema()).unwrap() + "\n";
        assert!(
            committed == current,
            "schema/pyrel.schema.json is stale: run `cargo run -q -- schema > schema/pyrel.schema.json`"
        );
    }

    #[test]
    fn every_question_is_described() {
        let s = schema();
        let props = s["properties"].as_object().unwrap();
        // Every question, and the per-platform settings table.
        assert_eq!(props.len(), QUESTIONS.len() + 1);
        let platform = &props["platform"];
        assert_eq!(
            platform["additionalProperties"]["additionalProperties"],
            false
        );
        assert!(platform["propertyNames"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("linux-x86_64")));
        for q in QUESTIONS {
            let p = &props[q.key.as_str()];
            assert!(
                p["description"].as_str().unwrap().contains(q.prompt),
                "{}",
                q.key
            );
            match q.kind {
                Kind::Choice(options) => assert_eq!(p["enum"], json!(options)),
                Kind::Platforms => assert_eq!(p["items"]["enum"], json!(platforms::names())),
                Kind::List => assert_eq!(p["items"]["type"], "string"),
                Kind::Bool => assert_eq!(p["type"], "boolean"),
                Kind::Text => assert_eq!(p["type"], "string"),
            }
        }
        assert_eq!(props["trigger"]["default"], "release");
        assert_eq!(props["testpypi"]["default"], true);
        assert!(props["platforms"].get("default").is_none());
        assert!(props["tag-prefix"].get("default").is_none());
    }
}
