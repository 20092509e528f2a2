//! Templates in, file contents out, all in memory.
//!
//! Every generated text lives in `templates/` (embedded at build time); a
//! template's name is its path there. YAML templates use `[[ ]]`/`[% %]`
//! delimiters so GitHub's own `${{ }}` needs no escaping, and every value
//! from the repository passes through an escaping filter. A rendered
//! workflow is parsed back before anyone may write it.

#[cfg(test)]
mod branches;
pub(crate) mod context;
pub(crate) mod filters;
pub(crate) mod pins;
/// Container smoke tests are builder facts: the table lives with the plan.
pub(crate) use crate::build_plan::smoke_containers;
#[cfg(test)]
mod tests;

/// Templates compile lazily; every one must compile.
#[cfg(test)]
#[test]
fn every_template_compiles() {
    let env = environment().unwrap();
    let files = all_files(&TEMPLATES);
    assert!(files.len() >= 5, "{}", files.len());
    for file in files {
        let name = file.path().to_string_lossy();
        env.get_template(&name)
            .unwrap_or_else(|e| panic!("template {name}: {e}"));
    }
}

pub(crate) use crate::provenance::stamp;
use include_dir::{include_dir, Dir};
use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::answers::Config;
use crate::error::{Error, Result};
use crate::inspect::Project;

static TEMPLATES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// A generated file, ready to plan.
#[derive(Debug, Clone)]
pub(crate) struct Rendered {
    /// Path relative to the repository root.
    pub path: String,
    pub content: String,
}

/// The release set with nothing on disk to compare (the tests' entry).
#[cfg(test)]
pub(crate) fn render_all(project: &Project, config: &Config) -> Result<Vec<Rendered>> {
    render_all_beside(project, config, None)
}

/// `render_all`, given the workflow file as it is on disk (`current`).
///
/// The workflow's check (a full YAML parse: once the costliest step of
/// `generate --check` and `doctor`) guards what pyrel writes. A rendered
/// workflow byte for byte `current` is never written (its plan says
/// unchanged), so it is not parsed again: the check runs on every workflow
/// that differs from the file on disk, which is every one `generate`,
/// `init` or `release` may write and every one `--dry-run` shows. The rule
/// rests on bytes pyrel has just rendered, not on anything a repository can
/// write (no stamp, no cache), and the file on disk is never parsed here.
pub(crate) fn render_all_beside(
    project: &Project,
    config: &Config,
    current: Option<&str>,
) -> Result<Vec<Rendered>> {
    let env = environment()?;
    let workflow = render(env, "release.yml.j2", &context::workflow(project, config))?;
    if current != Some(workflow.as_str()) {
        check_workflow(&workflow)?;
    }
    let docs = render(env, "RELEASING.md.j2", &context::docs(project, config))?;
    Ok(vec![
        Rendered {
            path: config.workflow.clone(),
            content: workflow,
        },
        Rendered {
            path: config.docs.clone(),
            content: docs,
        },
    ])
}

/// One template, outside the release set (`dependabot.yml.j2`, ...).
pub(crate) fn render_one<C: Serialize>(name: &str, ctx: &C) -> Result<String> {
    render(environment()?, name, ctx)
}

/// The template environment, compiled once per process: a command renders a
/// few templates, the property tests thousands of times.
fn environment() -> Result<&'static Environment<'static>> {
    static ENV: std::sync::OnceLock<Result<Environment<'static>, String>> =
        std::sync::OnceLock::new();
    ENV.get_or_init(|| build_environment().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::Internal(e.clone()))
}

fn build_environment() -> Result<Environment<'static>> {
    let mut env = Environment::new();
    let syntax = SyntaxConfig::builder()
        .block_delimiters("[%", "%]")
        .variable_delimiters("[[", "]]")
        .comment_delimiters("[#", "#]")
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| Error::Internal(e.to_string()))?;
    env.set_syntax(syntax);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Output is not HTML: escaping is explicit, per filter.
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.add_filter("yaml", |v: Value| filters::yaml(&text(&v)));
    env.add_filter("yaml_block", |v: Value, indent: usize| {
        filters::yaml_block(&text(&v), indent)
    });
    env.add_filter("code", |v: Value| filters::code(&text(&v)));
    env.add_filter("gh_literal", |v: Value| filters::gh_literal(&text(&v)));
    env.add_filter("md", |v: Value| filters::md(&text(&v)));
    env.add_filter("code_block", |v: Value, lang: Option<String>| {
        filters::code_block(&text(&v), lang.as_deref())
    });
    env.add_function("action", |name: String| pins::uses(&name));
    // A script pasted into the workflow as it is (no template tags): its
    // text without the final newline, never compiled as a template.
    env.add_function("script", |name: String| {
        let text = embedded(&name)?.ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::TemplateNotFound,
                format!("no script {name}"),
            )
        })?;
        Ok(text.strip_suffix('\n').unwrap_or(text))
    });
    #[cfg(test)]
    env.add_function("pyrel_branch", |id: String| branches::hit(&id));
    // Compiled on first use: a command renders two or three of the
    // templates, and compiling all of them was most of `generate --check`.
    env.set_loader(|name| {
        Ok(embedded(name)?.map(|s| {
            #[cfg(test)]
            let s = &branches::instrument(name, s);
            s.to_string()
        }))
    });
    Ok(env)
}

/// The text of `templates/<name>`, if there is such a file.
fn embedded(name: &str) -> Result<Option<&'static str>, minijinja::Error> {
    let Some(file) = TEMPLATES.get_file(name) else {
        return Ok(None);
    };
    file.contents_utf8().map(Some).ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("templates/{name} is not UTF-8"),
        )
    })
}

/// A filter's input as text: a string as it is (no copy), anything else as
/// it displays (what a `String` argument would have made of it).
fn text(v: &Value) -> std::borrow::Cow<'_, str> {
    match v.as_str() {
        Some(s) => s.into(),
        None => v.to_string().into(),
    }
}

/// Every embedded template, partials included (`partials/build-maturin.yml.j2`).
#[cfg(test)]
fn all_files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<&include_dir::File<'_>> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(all_files(sub));
    }
    out
}

fn render<C: Serialize>(env: &Environment<'_>, name: &str, ctx: &C) -> Result<String> {
    let template = env
        .get_template(name)
        .map_err(|e| Error::Internal(e.to_string()))?;
    let text = template.render(minijinja::value::Serde(ctx)).map_err(|e| {
        let mut msg = format!("rendering {name}: {e}");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            msg.push_str(&format!(": {s}"));
            source = s.source();
        }
        Error::Internal(msg)
    })?;
    Ok(stamp::stamp(text))
}

/// Refuse to emit a workflow that does not parse, or that expands an
/// expression inside a `run:` script (where it would be shell-injected).
pub(crate) fn check_workflow(text: &str) -> Result<()> {
    let doc: serde_yaml::Value = serde_yaml::from_str(text)
        .map_err(|e| Error::Internal(format!("generated workflow does not parse as YAML: {e}")))?;
    let jobs = doc
        .get("jobs")
        .and_then(|j| j.as_mapping())
        .ok_or_else(|| Error::Internal("generated workflow has no jobs".into()))?;
    for (id, job) in jobs {
        let steps = job.get("steps").and_then(|s| s.as_sequence());
        for step in steps.into_iter().flatten() {
            if let Some(run) = step.get("run").and_then(|r| r.as_str()) {
                if run.contains("${{") {
                    return Err(Error::Internal(format!(
                        "job {id:?} has a run script that expands an expression"
                    )));
                }
            }
        }
    }
    Ok(())
}
