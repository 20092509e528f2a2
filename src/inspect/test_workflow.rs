//! The repository's own test workflow (`test-workflow` in `[tool.pyrel]`):
//! a reusable workflow (`on: workflow_call`) that the release workflow calls
//! as a job every publishing job needs, so that nothing is published unless
//! it passed. Read-only.
//!
//! The file is someone else's and may be hostile: only its path (validated
//! to a closed set of characters) goes into the generated workflow, never
//! anything read from it. What is read decides whether the call can work as
//! generated, and every refusal names the file, the line and the fix:
//!
//! - `on:` declares `workflow_call`, without required inputs or secrets
//!   (the call passes none: no `secrets: inherit` into a test run);
//! - its permissions (top level, each job, and the local reusable
//!   workflows it calls) ask for nothing beyond `contents: read`, all the
//!   call lends it (GitHub refuses to start a nested job that asks for more);
//! - no concurrency group equal to the release workflow's own
//!   (`${{ github.workflow }}-${{ github.ref }}` evaluates to the caller's
//!   name in a called workflow: the run would wait for itself);
//! - it is not pyrel's output and publishes nothing itself.

use std::path::Path;

use serde_yaml::Value;

use super::workflows::{self, expr::get, on};

/// The concurrency group of pyrel's release workflow, as written there.
const RELEASE_GROUP: &str = "${{ github.workflow }}-${{ github.ref }}";

/// Nested local reusable workflows are followed at most this deep.
const MAX_DEPTH: usize = 4;

/// The path's own rules, before the file is read: directly in
/// `.github/workflows/`, `.yml`/`.yaml`, and a name of ASCII letters,
/// digits, `.`, `_` and `-` (it is written after `uses: $/` in YAML, where
/// `@` would read as a ref).
pub(crate) fn check_path(path: &str) -> Result<(), String> {
    crate::validate::workflow_path(path)?;
    let name = path.trim_start_matches(".github/workflows/");
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
    {
        return Err(format!(
            "{path:?} contains {c:?}; a workflow pyrel calls is named with ASCII letters, \
             digits and `._-` only"
        ));
    }
    Ok(())
}

/// Whether the release workflow can call `path` (relative to `repo_root`)
/// as its test job; the error names `path:line:col` and the fix. `existing`
/// is what `inspect` read of the repository's workflows (every one that
/// publishes is among them): the file is not analysed a second time.
pub(crate) fn check(
    repo_root: &Path,
    path: &str,
    existing: &[workflows::ExistingWorkflow],
) -> Result<(), String> {
    check_path(path)?;
    let text = read(repo_root, path)?;
    let doc = parse(path, &text)?;
    if text.contains("pyrel-digest: sha256:") {
        return Err(format!(
            "{path}:1:1: is a workflow pyrel generates; name the workflow that runs the tests"
        ));
    }
    let Some(call) = workflow_call(&doc) else {
        let (line, col) = at(&text, &["on:", "\"on\":", "'on':"], 1);
        return Err(format!(
            "{path}:{line}:{col}: does not declare `on: workflow_call`, so another workflow \
             cannot call it; add `workflow_call:` under `on:`"
        ));
    };
    required_call_values(path, &text, call)?;
    let mut seen = Vec::new();
    permissions_and_concurrency(repo_root, path, &text, &doc, 0, &mut seen)?;
    let publish_jobs = existing
        .iter()
        .find(|w| w.file == path)
        .map(|w| w.publish_jobs.as_slice())
        .unwrap_or_default();
    if let Some(job) = publish_jobs.first() {
        return Err(format!(
            "{path}:{}:5: the job `{}` publishes to a package index; the release workflow \
             publishes after the tests: name a workflow that only tests",
            job.line, job.job
        ));
    }
    Ok(())
}

/// The one workflow in `.github/workflows/` that looks like the project's
/// test workflow: callable (`check` passes) and also run on pull requests or
/// pushes. `None` when there is none, or more than one to choose from.
pub(crate) fn detect(repo_root: &Path) -> Option<String> {
    let dir = repo_root.join(".github/workflows");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
        .collect();
    names.sort();
    let candidates: Vec<String> = names
        .into_iter()
        .take(200)
        .map(|n| format!(".github/workflows/{n}"))
        .filter(|path| {
            let Ok(text) = read(repo_root, path) else {
                return false;
            };
            let analyzed = [workflows::analyze_in(Some(repo_root), path, &text)];
            text.contains("workflow_call")
                && parse(path, &text).is_ok_and(|doc| runs_on_changes(&doc))
                && check(repo_root, path, &analyzed).is_ok()
        })
        .collect();
    match &candidates[..] {
        [one] => Some(one.clone()),
        _ => None,
    }
}

fn read(repo_root: &Path, path: &str) -> Result<String, String> {
    let file = repo_root.join(path);
    let meta = std::fs::metadata(&file).map_err(|_| {
        format!("{path} not found; create it (a workflow with `on: workflow_call`) or unset test-workflow")
    })?;
    if !meta.is_file() {
        return Err(format!("{path} is not a file"));
    }
    if meta.len() > workflows::MAX_BYTES {
        return Err(format!(
            "{path} is larger than 2 MiB; pyrel does not read it"
        ));
    }
    let bytes = std::fs::read(&file).map_err(|e| format!("{path} could not be read: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8"))
}

fn parse(path: &str, text: &str) -> Result<Value, String> {
    super::limits::check_yaml(text)
        .map_err(|(line, why)| format!("{path}:{line}:1: unreadable YAML: {why}"))?;
    let doc: Value = serde_yaml::from_str(text).map_err(|e| {
        let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let why = e.to_string();
        format!(
            "{path}:{line}:{col}: not valid YAML ({})",
            why.lines().next().unwrap_or(&why)
        )
    })?;
    if !doc.is_mapping() {
        return Err(format!(
            "{path}:1:1: not a workflow (the document is not a mapping)"
        ));
    }
    Ok(doc)
}

/// `Some(settings)` when `on:` declares `workflow_call` (`Null` when it has
/// no settings).
fn workflow_call(doc: &Value) -> Option<&Value> {
    static NULL: Value = Value::Null;
    match on(doc)? {
        Value::String(s) => (s == "workflow_call").then_some(&NULL),
        Value::Sequence(events) => events
            .iter()
            .any(|e| e.as_str() == Some("workflow_call"))
            .then_some(&NULL),
        Value::Mapping(m) => m
            .get(Value::String("workflow_call".into()))
            .map(|v| v as &Value),
        _ => None,
    }
}

/// Also runs on pull requests or pushes: a CI workflow, not a helper that
/// only other workflows call.
fn runs_on_changes(doc: &Value) -> bool {
    let events = ["pull_request", "push", "pull_request_target"];
    match on(doc) {
        Some(Value::String(s)) => events.contains(&s.as_str()),
        Some(Value::Sequence(list)) => list
            .iter()
            .any(|e| e.as_str().is_some_and(|e| events.contains(&e))),
        Some(Value::Mapping(m)) => events
            .iter()
            .any(|e| m.contains_key(Value::String(e.to_string()))),
        _ => false,
    }
}

/// Inputs or secrets the call must pass: the release workflow passes none.
fn required_call_values(path: &str, text: &str, call: &Value) -> Result<(), String> {
    for (section, what, fix) in [
        (
            "inputs",
            "input",
            "give it a `default:` or make it `required: false`",
        ),
        (
            "secrets",
            "secret",
            "make it `required: false`: the release workflow passes no secrets to its tests",
        ),
    ] {
        let Some(entries) = get(call, section).and_then(Value::as_mapping) else {
            continue;
        };
        for (name, spec) in entries {
            let required = get(spec, "required").and_then(Value::as_bool) == Some(true);
            let has_default = get(spec, "default").is_some_and(|d| !d.is_null());
            if required && !has_default {
                let name = name.as_str().unwrap_or("?");
                let (line, col) = at(text, &[&format!("{name}:")], 1);
                return Err(format!(
                    "{path}:{line}:{col}: the required {what} `{}` has no value when the \
                     release workflow calls it; {fix}",
                    printable(name)
                ));
            }
        }
    }
    Ok(())
}

/// The permissions and concurrency groups of the workflow and its jobs, and
/// of the local reusable workflows its jobs call.
fn permissions_and_concurrency(
    repo_root: &Path,
    path: &str,
    text: &str,
    doc: &Value,
    depth: usize,
    seen: &mut Vec<String>,
) -> Result<(), String> {
    if depth > MAX_DEPTH || seen.iter().any(|s| s == path) {
        return Ok(());
    }
    seen.push(path.to_string());
    let mut from = 1;
    permissions(
        path,
        text,
        get(doc, "permissions"),
        "the workflow",
        &mut from,
    )?;
    concurrency(path, text, get(doc, "concurrency"), 1)?;
    let Some(jobs) = get(doc, "jobs").and_then(Value::as_mapping) else {
        return Ok(());
    };
    for (id, job) in jobs {
        let id = id.as_str().unwrap_or("?");
        let (mut line, _) = at(text, &[&format!("{id}:")], 1);
        let who = format!("the job `{}`", printable(id));
        permissions(path, text, get(job, "permissions"), &who, &mut line)?;
        concurrency(path, text, get(job, "concurrency"), line)?;
        let called = get(job, "uses")
            .and_then(Value::as_str)
            .and_then(super::workflows::same_repository)
            .filter(|u| u.starts_with(".github/workflows/"));
        if let Some(called) = called {
            let inner = read(repo_root, called)?;
            let inner_doc = parse(called, &inner)?;
            permissions_and_concurrency(repo_root, called, &inner, &inner_doc, depth + 1, seen)?;
        }
    }
    Ok(())
}

/// Nothing beyond `contents: read` (or `none`).
fn permissions(
    path: &str,
    text: &str,
    value: Option<&Value>,
    who: &str,
    from: &mut usize,
) -> Result<(), String> {
    let fix = "the release workflow lends its test workflow `contents: read` only; \
               ask for no more, or run what needs it from another workflow";
    let Some(value) = value else {
        return Ok(());
    };
    let (line, col) = at(text, &["permissions:"], *from);
    *from = line;
    match value {
        Value::Mapping(scopes) => {
            for (scope, level) in scopes {
                let scope = scope.as_str().unwrap_or("?");
                let level = level.as_str().unwrap_or("?");
                let allowed = level == "none" || (scope == "contents" && level == "read");
                if !allowed {
                    let (line, col) = at(text, &[&format!("{scope}:")], line);
                    return Err(format!(
                        "{path}:{line}:{col}: {who} asks for `{}: {}`; {fix}",
                        printable(scope),
                        printable(level)
                    ));
                }
            }
            Ok(())
        }
        Value::String(s) => Err(format!(
            "{path}:{line}:{col}: {who} asks for `permissions: {}`; {fix}",
            printable(s)
        )),
        _ => Ok(()),
    }
}

/// A concurrency group equal to the release workflow's would wait for (or
/// cancel) the run that called it.
fn concurrency(path: &str, text: &str, value: Option<&Value>, from: usize) -> Result<(), String> {
    let group = match value {
        Some(Value::String(g)) => g.as_str(),
        Some(v) => match get(v, "group").and_then(Value::as_str) {
            Some(g) => g,
            None => return Ok(()),
        },
        None => return Ok(()),
    };
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    if squeeze(group) == squeeze(RELEASE_GROUP) {
        let (line, col) = at(text, &["concurrency:"], from);
        return Err(format!(
            "{path}:{line}:{col}: its concurrency group `{RELEASE_GROUP}` is the release \
             workflow's own (in a called workflow, `github.workflow` is the caller's name), so \
             the release would wait for itself; give the group a prefix of its own, e.g. \
             `tests-${{{{ github.workflow }}}}-${{{{ github.ref }}}}`"
        ));
    }
    Ok(())
}

/// Line and column (1-based) of the first line at or after `from` whose
/// text, without indentation, starts with one of `keys`.
fn at(text: &str, keys: &[&str], from: usize) -> (usize, usize) {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find_map(|(i, l)| {
            let t = l.trim_start().trim_start_matches("- ");
            keys.iter()
                .any(|k| t.starts_with(k))
                .then(|| (i + 1, l.len() - l.trim_start().len() + 1))
        })
        .unwrap_or((from.max(1), 1))
}

/// A name from the file, safe to print: control characters escaped.
fn printable(s: &str) -> String {
    s.chars().flat_map(char::escape_debug).take(80).collect()
}

#[cfg(test)]
mod tests;
