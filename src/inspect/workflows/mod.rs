//! Read-only reader of the release workflows a repository already has.
//!
//! Opens the files directly in `.github/workflows/` (that one directory, no
//! tree walk; plus the local composite actions and reusable workflows they
//! call by path), parses them as YAML and extracts, per package, what they
//! build and how they publish: every job × matrix row that builds
//! distributions (maturin-action under any owner, `maturin build|publish`,
//! cibuildwheel as an action or a command, `python -m build`, `uv build`,
//! `hatch build`, `poetry build`, ...) becomes wheels (platform ×
//! interpreter family) with the build settings that row uses, or a problem
//! with `file:line` that the migration report shows as `unread` and counts
//! as a possible drop. Publishing jobs (every uploader, and any job holding
//! PyPI credentials even when the upload sits in a script) are read here
//! too, for adoption and for doctor's `other-publisher` alike.
//!
//! Nothing here can fail: a file or value that cannot be read is reported
//! as a problem with `file:line`, and the rest is still used. A value that
//! cannot be resolved (see `expr`) never becomes part of a platform,
//! interpreter or setting.

mod args;
pub(crate) mod cibw;
pub(crate) mod expr;
mod platform;
mod steps;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use serde_yaml::{Mapping, Value};

use args::MaturinArgs;
use expr::{get, scalar, Row, Scope};
use platform::RunnerOs;

/// Interpreter families a workflow builds wheels for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Interpreter {
    Cpython,
    FreeThreaded,
    Pypy,
    Graalpy,
}

impl Interpreter {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Interpreter::Cpython => "CPython",
            Interpreter::FreeThreaded => "free-threaded CPython",
            Interpreter::Pypy => "PyPy",
            Interpreter::Graalpy => "GraalPy",
        }
    }
}

/// How a workflow builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Builder {
    MaturinAction,
    Maturin,
    Cibuildwheel,
    PythonBuild,
    UvBuild,
    HatchBuild,
    PoetryBuild,
    PdmBuild,
    FlitBuild,
}

/// How a workflow uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Uploader {
    PypiPublishAction,
    Twine,
    UvPublish,
    Maturin,
    Poetry,
    Hatch,
    Pdm,
    Flit,
    /// A job holding PyPI credentials whose upload sits in a script.
    Script,
}

impl Uploader {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Uploader::PypiPublishAction => "pypa/gh-action-pypi-publish",
            Uploader::Twine => "twine upload",
            Uploader::UvPublish => "uv publish",
            Uploader::Maturin => "maturin upload",
            Uploader::Poetry => "poetry publish",
            Uploader::Hatch => "hatch publish",
            Uploader::Pdm => "pdm publish",
            Uploader::Flit => "flit publish",
            Uploader::Script => "a script holding PyPI credentials",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum WorkflowTrigger {
    /// `on: release`.
    Release,
    /// `on: push: tags:`; `prefix` is the literal part of the first glob.
    Tag { glob: String, prefix: String },
    /// Anything else (branches, manual runs only, schedules).
    Other,
}

/// How one job × matrix row builds, beyond the platform and interpreters:
/// what a maintainer set and pyrel must keep or name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct BuildSettings {
    /// maturin arguments beyond what pyrel passes itself (`--features`,
    /// `--profile`, `--zig`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maturin_args: Option<String>,
    /// `rust-toolchain` (maturin-action input, a toolchain action or
    /// `rustup` step before the build), dated nightlies included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rust_toolchain: Option<String>,
    /// Build variables (`RUSTFLAGS`, `CFLAGS`, `CARGO_*`, ...) from
    /// `env:` of the workflow, job or step, or written to `$GITHUB_ENV`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before_script_linux: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_options: Option<String>,
    /// maturin-action `container` (a manylinux image of the project's own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// cibuildwheel configuration the old workflow set in `CIBW_*` variables
    /// pyrel does not write (`environment`, `before-build`, ...).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub cibuildwheel: BTreeMap<String, String>,
}

/// The wheels of one interpreter family on one platform.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct Wheels {
    pub platform: String,
    pub family: Interpreter,
    /// Versions named explicitly (`-i 3.10 3.11`, a `cp310-*` selector);
    /// empty when the builder finds them (`--find-interpreter`, defaults).
    pub versions: BTreeSet<String>,
}

/// One package's build, as a workflow describes it.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct ImportedBuild {
    /// Package directory relative to the repository root (`""` for the root).
    pub dir: String,
    /// `-m/--manifest-path` given to maturin, if any.
    pub manifest: Option<String>,
    pub builders: BTreeSet<Builder>,
    /// pyrel platform names, in the order the workflow lists them.
    pub platforms: Vec<String>,
    pub interpreters: BTreeSet<Interpreter>,
    /// Platform × family, for the report.
    pub wheels: Vec<Wheels>,
    pub manylinux: Option<String>,
    /// maturin arguments beyond what pyrel passes itself, when every
    /// platform uses the same (the first found; see `settings`).
    pub maturin_args: Option<String>,
    pub before_script_linux: Option<String>,
    /// Build settings per platform, as each job × row sets them.
    pub settings: BTreeMap<String, BuildSettings>,
    pub sdist: bool,
}

/// A job that uploads to a package index.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PublishJob {
    pub job: String,
    pub line: usize,
    /// Line of the uploading step (or of the credential, for a script).
    pub step_line: usize,
    pub testpypi: bool,
    pub uploader: Uploader,
    pub environment: Option<String>,
    pub secret: Option<String>,
    /// `id-token: write` and no secret: trusted publishing.
    pub trusted: bool,
}

/// What the old workflow did that pyrel's does differently.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Posture {
    /// `uses:` not pinned to a full commit SHA.
    pub unpinned_actions: usize,
    /// Top-level permissions other than `{}` (or none at all).
    pub broad_permissions: bool,
    /// `actions/checkout` steps without `persist-credentials: false`.
    pub persisted_credentials: usize,
    /// `${{ }}` expressions inside `run:` scripts.
    pub expressions_in_run: usize,
    /// Caches in a release build (sccache, rust-cache, actions/cache, setup-* cache).
    pub caches: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct ExistingWorkflow {
    /// Path relative to the repository root.
    pub file: String,
    /// Generated by pyrel (stamped): not someone else's setup to adopt.
    pub pyrel: bool,
    pub builds: Vec<ImportedBuild>,
    pub publish_jobs: Vec<PublishJob>,
    pub trigger: Option<WorkflowTrigger>,
    /// `on: pull_request` `paths:` filters (empty: every pull request), or
    /// `None` when pull requests do not run the workflow.
    pub pull_request_paths: Option<Vec<String>>,
    pub github_release: bool,
    pub posture: Posture,
    /// What could not be read, as `file:line: what`.
    pub problems: Vec<String>,
}

impl ExistingWorkflow {
    pub(crate) fn publishes(&self) -> bool {
        self.publish_jobs.iter().any(|j| !j.testpypi)
    }

    /// Neither builds nor publishes Python distributions (a cargo-dist
    /// `release.yml`, say): read only because it sits at a path pyrel
    /// would take.
    pub(crate) fn unrelated(&self) -> bool {
        !self.pyrel
            && self.builds.is_empty()
            && self.publish_jobs.is_empty()
            && self.problems.is_empty()
    }

    /// The build of the package in `dir` (or whose crate is `manifest`).
    pub(crate) fn build_for(&self, dir: &str, manifest: Option<&str>) -> Option<&ImportedBuild> {
        let matching = |b: &&ImportedBuild| {
            b.dir == dir
                || (b.manifest.is_some() && b.manifest.as_deref() == manifest)
                || manifest
                    .is_some_and(|m| !b.dir.is_empty() && m.starts_with(&format!("{}/", b.dir)))
        };
        self.builds.iter().find(matching).or_else(|| {
            // A workflow that builds one package from the root, for a
            // repository with one package.
            (self.builds.len() == 1 && self.builds[0].dir.is_empty() && dir.is_empty())
                .then(|| &self.builds[0])
        })
    }
}

/// Workflow names pyrel may write to: read even when they neither build nor
/// publish, so pyrel never takes a foreign workflow's path.
fn pyrel_candidate(name: &str) -> bool {
    let stem = name
        .strip_suffix(".yml")
        .or_else(|| name.strip_suffix(".yaml"))
        .unwrap_or(name);
    stem == "release" || stem.starts_with("release-")
}

/// Read every workflow in `.github/workflows/` that builds or publishes.
pub(crate) fn read(repo_root: &Path) -> Vec<ExistingWorkflow> {
    let dir = repo_root.join(".github/workflows");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().map(|t| t.is_file()).unwrap_or(false))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml") || n.ends_with(".yaml"))
        .collect();
    names.sort();
    let texts: Vec<(String, Result<String, String>)> = names
        .into_iter()
        .take(MAX_FILES)
        .map(|name| {
            let text = read_capped(&dir.join(&name));
            (name, text)
        })
        .collect();
    // Reusable workflows called by another workflow here are read through
    // their callers (with the inputs they pass), not on their own.
    let called: BTreeSet<String> = texts
        .iter()
        .filter_map(|(_, t)| t.as_ref().ok())
        .flat_map(|t| local_workflow_calls(t))
        .collect();
    texts
        .into_iter()
        .filter_map(|(name, text)| {
            let file = format!(".github/workflows/{name}");
            if called.contains(&file) {
                return None;
            }
            let text = match text {
                Ok(t) => t,
                Err(e) => {
                    return Some(ExistingWorkflow {
                        problems: vec![format!("{file}:1: could not be read ({e})")],
                        file,
                        ..Default::default()
                    })
                }
            };
            let wf = analyze_in(Some(repo_root), &file, &text);
            let relevant = wf.pyrel
                || !wf.builds.is_empty()
                || !wf.publish_jobs.is_empty()
                || !wf.problems.is_empty() && mentions_release(&text)
                || pyrel_candidate(&name);
            relevant.then_some(wf)
        })
        .collect()
}

/// At most this many workflow files are read.
const MAX_FILES: usize = 200;
/// Files larger than this are not parsed (reported instead).
pub(crate) const MAX_BYTES: u64 = 2 * 1024 * 1024;

fn read_capped(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_BYTES {
        return Err(format!("larger than {} MiB", MAX_BYTES / 1024 / 1024));
    }
    std::fs::read(path)
        .map(|b| {
            String::from_utf8(b)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        })
        .map_err(|e| e.to_string())
}

/// The path of a `uses:` that names this repository at the running commit:
/// the workspace-relative `./path` or GitHub's self-repository `$/path`
/// (2026-07-30 changelog: "works everywhere the workspace-relative ./ syntax
/// works"). Both must be followed, or a publisher behind `$/` goes unseen.
pub(crate) fn same_repository(uses: &str) -> Option<&str> {
    uses.strip_prefix("./").or_else(|| uses.strip_prefix("$/"))
}

/// `uses: ./.github/workflows/x.yml` (or `$/...`) at job level, as repository paths.
fn local_workflow_calls(text: &str) -> Vec<String> {
    lines_containing(text, "uses:")
        .filter_map(|l| {
            let t = l.trim_start().trim_start_matches("- ").trim();
            let u = t.strip_prefix("uses:")?.trim().trim_matches(['"', '\'']);
            let u = u.split_whitespace().next()?;
            let p = same_repository(u)?;
            (p.starts_with(".github/workflows/")).then(|| p.to_string())
        })
        .collect()
}

/// The lines of `text` (as `str::lines` cuts them) that contain `needle`,
/// in order, found without looking at the others one by one.
fn lines_containing<'t>(text: &'t str, needle: &'t str) -> impl Iterator<Item = &'t str> + 't {
    let mut next_line = 0;
    text.match_indices(needle).filter_map(move |(at, _)| {
        if at < next_line {
            return None; // a second match on a line already given
        }
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        next_line = end + 1;
        let line = &text[start..end];
        // `lines` drops the `\r` of a `\r\n` ending only.
        Some(match line.strip_suffix('\r') {
            Some(l) if end < text.len() => l,
            _ => line,
        })
    })
}

/// Whether an unreadable file looks like it builds or publishes.
fn mentions_release(text: &str) -> bool {
    [
        "maturin",
        "cibuildwheel",
        "pypi",
        "twine",
        "publish",
        "uv build",
        "-m build",
        "wheel",
    ]
    .iter()
    .any(|k| text.contains(k))
}

/// Analyze one workflow's text (no repository: local actions and reusable
/// workflows are reported as unread).
#[cfg(test)]
pub(crate) fn analyze(file: &str, text: &str) -> ExistingWorkflow {
    analyze_in(None, file, text)
}

/// Analyze one workflow's text; `root` lets the reader open the local
/// composite actions and reusable workflows it calls.
pub(crate) fn analyze_in(root: Option<&Path>, file: &str, text: &str) -> ExistingWorkflow {
    let mut wf = ExistingWorkflow {
        file: file.to_string(),
        pyrel: text.contains("pyrel-digest: sha256:"),
        ..Default::default()
    };
    if wf.pyrel {
        // pyrel's own output: regenerated from [tool.pyrel], not adopted.
        return wf;
    }
    let Some(doc) = parse(file, text, &mut wf.problems) else {
        return wf;
    };
    let mut reader = Reader {
        file,
        text,
        root,
        wf: &mut wf,
        inputs: None,
        depth: 0,
        cur: JobOut::default(),
    };
    reader.workflow(&doc);
    wf
}

fn parse(file: &str, text: &str, problems: &mut Vec<String>) -> Option<Value> {
    if let Err((line, why)) = crate::inspect::limits::check_yaml(text) {
        problems.push(format!("{file}:{line}: unreadable YAML: {why}"));
        return None;
    }
    let mut doc: Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let line = e.location().map_or(1, |l| l.line());
            problems.push(format!(
                "{file}:{line}: not valid YAML ({})",
                first_line(&e.to_string())
            ));
            return None;
        }
    };
    if let Err(e) = doc.apply_merge() {
        problems.push(format!(
            "{file}:1: YAML merge keys could not be applied ({e})"
        ));
    }
    if !doc.is_mapping() {
        problems.push(format!(
            "{file}:1: not a workflow (the document is not a mapping)"
        ));
        return None;
    }
    Some(doc)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// Local actions and reusable workflows nest at most this deep.
const MAX_DEPTH: usize = 4;

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    root: Option<&'a Path>,
    wf: &'a mut ExistingWorkflow,
    /// A reusable workflow's inputs, as its caller passes them.
    inputs: Option<Mapping>,
    depth: usize,
    /// What the current job contributes.
    cur: JobOut,
}

/// What one job contributes, before grouping by package.
#[derive(Default)]
struct JobOut {
    builds: Vec<ImportedBuild>,
    publish: Vec<PublishJob>,
    github_release: bool,
    /// Lines of steps holding PyPI credentials (`TWINE_PASSWORD`, a
    /// `*PYPI*` secret) that no recognised uploader used.
    credentials: Vec<(usize, Option<String>, bool)>,
}

impl Reader<'_> {
    fn problem(&mut self, line: usize, msg: impl std::fmt::Display) {
        let p = format!("{}:{line}: {msg}", self.file);
        if !self.wf.problems.contains(&p) {
            self.wf.problems.push(p);
        }
    }

    /// 1-based line of the first line containing `needle` at or after `from`.
    fn line_of(&self, needle: &str, from: usize) -> usize {
        self.text
            .lines()
            .enumerate()
            .skip(from.saturating_sub(1))
            .find(|(_, l)| l.contains(needle))
            .map_or(from.max(1), |(i, _)| i + 1)
    }

    fn job_line(&self, id: &str) -> usize {
        let key = format!("{id}:");
        self.text
            .lines()
            .enumerate()
            .find(|(_, l)| {
                let t = l.trim_start();
                t.starts_with(&key) && l.len() - t.len() >= 2
            })
            .map_or(1, |(i, _)| i + 1)
    }

    fn workflow(&mut self, doc: &Value) {
        if self.depth == 0 {
            self.wf.trigger = trigger(doc);
            self.wf.pull_request_paths = pull_request_paths(doc);
            self.posture(doc);
        }
        let wf_env = env_of(doc);
        let Some(jobs) = get(doc, "jobs").and_then(Value::as_mapping) else {
            self.problem(1, "has no `jobs:` mapping");
            return;
        };
        for (id, job) in jobs {
            let Some(id) = id.as_str() else { continue };
            if !job.is_mapping() {
                continue;
            }
            self.cur = JobOut::default();
            self.job(id, job, &wf_env);
            let out = std::mem::take(&mut self.cur);
            for b in out.builds {
                merge_build(&mut self.wf.builds, b);
            }
            self.wf.github_release |= out.github_release;
            self.finish_publish(id, job, out.publish, out.credentials);
        }
    }

    fn posture(&mut self, doc: &Value) {
        let top = get(doc, "permissions");
        self.wf.posture.broad_permissions = !matches!(top, Some(Value::Mapping(m)) if m.is_empty());
        for line in self.text.lines() {
            let t = line.trim_start().trim_start_matches("- ");
            if let Some(u) = t.strip_prefix("uses:") {
                let u = u.trim().trim_matches(['"', '\'']);
                let pinned = u.split_once('@').is_some_and(|(_, r)| {
                    let r = r.split_whitespace().next().unwrap_or("");
                    r.len() == 40 && r.chars().all(|c| c.is_ascii_hexdigit())
                });
                if !pinned && same_repository(u).is_none() && !u.starts_with("docker://") {
                    self.wf.posture.unpinned_actions += 1;
                }
                if u.contains("rust-cache") || u.starts_with("actions/cache") {
                    self.wf.posture.caches += 1;
                }
            }
            if t.starts_with("sccache:") && !t.contains("false") {
                self.wf.posture.caches += 1;
            }
        }
    }

    fn job(&mut self, id: &str, job: &Value, wf_env: &Mapping) {
        let line = self.job_line(id);
        let mut env = wf_env.clone();
        env.extend(env_of(job));
        let rows = self.matrix_rows(id, line, job, &env);
        if job_builds_or_publishes(job) {
            self.job_shape(id, line, job);
        }
        if let Some(uses) = get(job, "uses").and_then(scalar) {
            self.reusable(id, line, job, &uses, &rows, &env);
            return;
        }
        let steps: Vec<&Value> = get(job, "steps")
            .and_then(Value::as_sequence)
            .map(|s| s.iter().collect())
            .unwrap_or_default();
        let job_dir = get(job, "defaults")
            .and_then(|d| get(d, "run"))
            .and_then(|r| get(r, "working-directory"))
            .and_then(scalar);
        let name_hint = format!(
            "{id} {}",
            get(job, "name").and_then(scalar).unwrap_or_default()
        );
        let relevant = job_builds_or_publishes(job);
        let container = get(job, "container")
            .map(|c| get(c, "image").unwrap_or(c))
            .and_then(scalar);
        for (row_index, row) in rows.iter().enumerate() {
            let inputs = self.inputs.clone();
            let mut scope = Scope::new(row, &env);
            scope.inputs = inputs.as_ref();
            let runs_on = get(job, "runs-on").map(|r| resolve_runner(r, &scope));
            let (runner_os, runner_arch) = match &runs_on {
                Some(Ok(label)) => match platform::runner(label) {
                    Some((os, a)) => (Some(os), Some(a)),
                    None => (None, None),
                },
                Some(Err(unresolved)) => {
                    // `runs-on: ${{ ... }}` built from matrix values: the
                    // row's own values (`os: ubuntu`) or the job's name tell.
                    let from_row = row.values().filter_map(scalar).find_map(|v| {
                        platform::runner(&v).or_else(|| {
                            platform::os_hint(&v).filter(|_| v.len() <= 12).map(|os| {
                                let native = match os {
                                    RunnerOs::Windows => "x64",
                                    _ => "x86_64",
                                };
                                (os, native)
                            })
                        })
                    });
                    if let Some((os, native)) = from_row {
                        (Some(os), Some(native))
                    } else {
                        let hint = platform::os_hint(&name_hint);
                        if hint.is_none() && row_index == 0 && job_builds_or_publishes(job) {
                            self.problem(
                                line,
                                format!("job `{id}`: runs-on {unresolved} cannot be resolved"),
                            );
                        }
                        (hint, None)
                    }
                }
                None => (None, None),
            };
            let mut ctx = steps::StepContext {
                job: id,
                job_line: line,
                row,
                env: &env,
                inputs,
                runner_os,
                runner_arch,
                dir: job_dir.clone(),
                first_row: row_index == 0,
                installed: BTreeSet::new(),
                pending: BuildSettings::default(),
                built: false,
                unread_before_build: Vec::new(),
                dist_upload: None,
                custom_build: None,
                container: container.clone(),
                relevant,
            };
            for step in &steps {
                self.step(&mut ctx, step);
            }
            self.end_of_row(&ctx);
        }
    }

    /// The rows of the job's matrix (one empty row without a matrix, or
    /// when it cannot be expanded: then `${{ matrix.* }}` stays unknown).
    fn matrix_rows(&mut self, id: &str, line: usize, job: &Value, env: &Mapping) -> Vec<Row> {
        match get(job, "strategy").and_then(|s| get(s, "matrix")) {
            None => vec![Row::new()],
            Some(m) => {
                let inputs = self.inputs.clone();
                let empty = Row::new();
                let mut scope = Scope::new(&empty, env);
                scope.inputs = inputs.as_ref();
                match expr::expand_in(m, &scope) {
                    Ok(rows) => rows,
                    Err(e) => {
                        if job_builds_or_publishes(job) {
                            self.problem(line, format!("job `{id}`: {e}"));
                        }
                        // No matrix values: `${{ matrix.* }}` stays unknown.
                        vec![Row::new()]
                    }
                }
            }
        }
    }

    /// Keys of a building or publishing job pyrel does not read: unknown job
    /// and strategy keys, and a misspelt matrix include/exclude.
    fn job_shape(&mut self, id: &str, line: usize, job: &Value) {
        let matrix = get(job, "strategy").and_then(|s| get(s, "matrix"));
        for k in matrix
            .and_then(Value::as_mapping)
            .into_iter()
            .flat_map(|m| m.keys())
        {
            let Some(k) = k.as_str() else { continue };
            let lower = k.to_ascii_lowercase();
            let near = |word: &str| {
                lower != word
                    && (lower.starts_with(&word[..5])
                        || lower.trim_matches(|c: char| !c.is_ascii_alphabetic()) == word)
            };
            if near("include") || near("exclude") {
                self.problem(
                    line,
                    format!("job `{id}`: matrix key `{k}` looks like a misspelt include/exclude (GitHub would make it a dimension of the matrix)"),
                );
            }
        }
        self.unknown_keys(line, &format!("job `{id}`"), job, JOB_KEYS);
        if let Some(strategy) = get(job, "strategy") {
            self.unknown_keys(
                line,
                &format!("job `{id}`: strategy"),
                strategy,
                STRATEGY_KEYS,
            );
        }
    }

    /// After one job × row: a job that puts distributions somewhere without
    /// a build pyrel read, or that runs steps before the build pyrel does not
    /// reproduce, is unread.
    fn end_of_row(&mut self, ctx: &steps::StepContext<'_>) {
        if !ctx.first_row {
            return;
        }
        if !ctx.built {
            if let Some((line, what)) = &ctx.custom_build {
                self.problem(
                    *line,
                    format!(
                        "job `{}`: {what} builds distributions in a way pyrel cannot import",
                        ctx.job
                    ),
                );
            } else if let Some(line) = ctx.dist_upload {
                self.problem(
                    line,
                    format!(
                        "job `{}`: uploads distributions built by steps pyrel cannot read",
                        ctx.job
                    ),
                );
            } else if ctx.relevant {
                // A job that mentions building but built nothing pyrel read.
                for (line, what) in ctx
                    .unread_before_build
                    .iter()
                    .filter(|(_, w)| w.contains("neither `uses` nor `run`"))
                {
                    self.problem(*line, format!("job `{}`: {what}", ctx.job));
                }
            }
            return;
        }
        for (line, what) in &ctx.unread_before_build {
            self.problem(
                *line,
                format!(
                    "job `{}`: {what} runs before the build and pyrel's workflow does not run it",
                    ctx.job
                ),
            );
        }
    }

    /// `jobs.<id>.uses: ./.github/workflows/x.yml`: its jobs are read with
    /// the inputs this job passes, once per matrix row.
    fn reusable(
        &mut self,
        id: &str,
        line: usize,
        job: &Value,
        uses: &str,
        rows: &[Row],
        env: &Mapping,
    ) {
        let Some(path) = same_repository(uses) else {
            if job_builds_or_publishes(job) || uses.to_ascii_lowercase().contains("wheel") {
                self.problem(
                    line,
                    format!("job `{id}`: calls the workflow {uses} in another repository, which pyrel cannot read"),
                );
            }
            return;
        };
        let Some((rel, text)) = self.open_local(path) else {
            self.problem(
                line,
                format!("job `{id}`: calls {uses}, which pyrel cannot read"),
            );
            return;
        };
        if self.depth >= MAX_DEPTH {
            self.problem(line, format!("job `{id}`: calls nested too deep"));
            return;
        }
        let mut problems = Vec::new();
        let Some(doc) = parse(&rel, &text, &mut problems) else {
            for p in problems {
                self.wf.problems.push(p);
            }
            return;
        };
        for (i, row) in rows.iter().enumerate() {
            let inputs = self.inputs.clone();
            let mut scope = Scope::new(row, env);
            scope.inputs = inputs.as_ref();
            let mut called_inputs =
                defaults_of(get(&doc, "on").and_then(|o| get(o, "workflow_call")));
            if let Some(with) = get(job, "with").and_then(Value::as_mapping) {
                for (k, v) in with {
                    let value = match v {
                        Value::String(s) if s.contains("${{") => {
                            match expr::evaluate(s, &scope).to_yaml() {
                                Some(v) => v,
                                None => {
                                    if i == 0 {
                                        self.problem(
                                            line,
                                            format!(
                                                "job `{id}`: input `{}` = {s} cannot be resolved",
                                                scalar(k).unwrap_or_default()
                                            ),
                                        );
                                    }
                                    continue;
                                }
                            }
                        }
                        v => v.clone(),
                    };
                    called_inputs.insert(k.clone(), value);
                }
            }
            let saved_cur = std::mem::take(&mut self.cur);
            let mut sub = Reader {
                file: &rel,
                text: &text,
                root: self.root,
                wf: &mut *self.wf,
                inputs: Some(called_inputs),
                depth: self.depth + 1,
                cur: JobOut::default(),
            };
            sub.workflow(&doc);
            self.cur = saved_cur;
        }
        // Publishing jobs of the called workflow are attributed to this job.
        for p in self.wf.publish_jobs.iter_mut() {
            if p.line == usize::MAX {
                p.line = line;
            }
        }
    }

    /// A file inside the repository (never outside it), as (path, text).
    fn open_local(&self, path: &str) -> Option<(String, String)> {
        let root = self.root?;
        let rel = path.trim_start_matches("./").trim_end_matches('/');
        if rel.split('/').any(|c| c == ".." || c.is_empty()) {
            return None;
        }
        let full = root.join(rel);
        let text = read_capped(&full).ok()?;
        Some((rel.to_string(), text))
    }

    fn finish_publish(
        &mut self,
        id: &str,
        job: &Value,
        mut publish: Vec<PublishJob>,
        credentials: Vec<(usize, Option<String>, bool)>,
    ) {
        // Credentials for PyPI without a recognised uploader: the upload
        // sits in a script (`run: scripts/publish`).
        if publish.is_empty() {
            if let Some((step_line, secret, testpypi)) = credentials.into_iter().next() {
                publish.push(PublishJob {
                    job: id.to_string(),
                    line: self.job_line(id),
                    step_line,
                    testpypi,
                    uploader: Uploader::Script,
                    environment: None,
                    secret,
                    trusted: false,
                });
            }
        }
        if publish.is_empty() {
            return;
        }
        let line = self.job_line(id);
        let environment = match get(job, "environment") {
            None => None,
            Some(e) => {
                let name = get(e, "name").unwrap_or(e);
                match scalar(name) {
                    Some(n) if n.contains("${{") => {
                        self.problem(
                            line,
                            format!("job `{id}`: environment {n} cannot be resolved"),
                        );
                        None
                    }
                    n => n,
                }
            }
        };
        let id_token = get(job, "permissions")
            .and_then(|p| get(p, "id-token"))
            .and_then(scalar)
            .is_some_and(|v| v == "write")
            || get(job, "permissions").and_then(scalar).as_deref() == Some("write-all");
        for mut p in publish {
            p.environment = environment.clone();
            p.trusted =
                p.secret.is_none() && (id_token || p.uploader == Uploader::PypiPublishAction);
            if self.depth > 0 {
                // Attributed to the calling job by `reusable`.
                p.line = usize::MAX;
            }
            self.wf.publish_jobs.push(p);
        }
    }
}

/// The keys GitHub knows in a job (workflow syntax reference).
const JOB_KEYS: &[&str] = &[
    "name",
    "runs-on",
    "needs",
    "if",
    "permissions",
    "environment",
    "concurrency",
    "outputs",
    "env",
    "defaults",
    "steps",
    "timeout-minutes",
    "strategy",
    "continue-on-error",
    "container",
    "services",
    "uses",
    "with",
    "secrets",
];
const STRATEGY_KEYS: &[&str] = &["matrix", "fail-fast", "max-parallel"];
/// The keys GitHub knows in a step.
pub(crate) const STEP_KEYS: &[&str] = &[
    "id",
    "if",
    "name",
    "uses",
    "run",
    "shell",
    "with",
    "env",
    "continue-on-error",
    "timeout-minutes",
    "working-directory",
];

impl Reader<'_> {
    /// A key GitHub does not know (a typo, `runs_on`) changes what runs in
    /// ways pyrel cannot tell: reported.
    fn unknown_keys(&mut self, line: usize, what: &str, v: &Value, known: &[&str]) {
        let Some(m) = v.as_mapping() else { return };
        for k in m.keys() {
            let Some(k) = k.as_str() else { continue };
            if !known.contains(&k) {
                self.problem(line, format!("{what}: unknown key `{k}`"));
            }
        }
    }
}

/// Whether a job's text mentions building or publishing (for jobs pyrel
/// cannot expand: only those are worth reporting).
fn job_builds_or_publishes(job: &Value) -> bool {
    let text = serde_yaml::to_string(job)
        .unwrap_or_default()
        .to_ascii_lowercase();
    mentions_release(&text)
}

fn defaults_of(workflow_call: Option<&Value>) -> Mapping {
    let mut out = Mapping::new();
    if let Some(inputs) = workflow_call
        .and_then(|w| get(w, "inputs"))
        .and_then(Value::as_mapping)
    {
        for (k, v) in inputs {
            if let Some(d) = get(v, "default") {
                if !matches!(d, Value::String(s) if s.contains("${{")) {
                    out.insert(k.clone(), d.clone());
                }
            }
        }
    }
    out
}

fn resolve_runner(r: &Value, scope: &Scope<'_>) -> Result<String, String> {
    let raw = match r {
        Value::Sequence(s) => s.iter().filter_map(scalar).collect::<Vec<_>>().join(" "),
        Value::Mapping(_) => get(r, "labels")
            .map(|l| match l {
                Value::Sequence(s) => s.iter().filter_map(scalar).collect::<Vec<_>>().join(" "),
                v => scalar(v).unwrap_or_default(),
            })
            .unwrap_or_default(),
        v => scalar(v).unwrap_or_default(),
    };
    expr::resolve_strict(&raw, scope)
}

/// One entry per index a job uploads to (a job may upload to TestPyPI,
/// then PyPI); repeated uploads (one per matrix row) are merged.
fn set_publish(slot: &mut Vec<PublishJob>, p: PublishJob) {
    match slot.iter_mut().find(|e| e.testpypi == p.testpypi) {
        Some(existing) => {
            if existing.secret.is_none() {
                existing.secret = p.secret;
            }
        }
        None => slot.push(p),
    }
}

fn step_line(r: &Reader<'_>, job_line: usize, step: &Value) -> usize {
    let needle = get(step, "name")
        .and_then(scalar)
        .or_else(|| get(step, "uses").and_then(scalar))
        .or_else(|| {
            get(step, "run")
                .and_then(scalar)
                .and_then(|s| s.lines().next().map(str::to_string))
        });
    match needle {
        Some(n) if !n.is_empty() => r.line_of(&n, job_line),
        _ => job_line,
    }
}

/// The shell commands of a `run:` script, with line continuations joined.
fn commands(run: &str) -> Vec<String> {
    let joined = run.replace("\\\r\n", " ").replace("\\\n", " ");
    joined
        .lines()
        .flat_map(|l| l.split("&&").map(str::to_string).collect::<Vec<_>>())
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// The first positional argument, skipping the values of `value_flags`.
fn positional(words: &[&str], value_flags: &[&str]) -> Option<String> {
    let mut skip = false;
    for w in words {
        if skip {
            skip = false;
            continue;
        }
        if value_flags.contains(w) {
            skip = true;
            continue;
        }
        if w.starts_with('-') || w.contains("${{") {
            continue;
        }
        return Some(w.to_string());
    }
    None
}

/// The name of the first `secrets.X` in a value (not GITHUB_TOKEN).
fn secret_in(v: &Value) -> Option<String> {
    let text = match v {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).unwrap_or_default(),
    };
    let mut rest = text.as_str();
    while let Some(i) = rest.find("secrets.") {
        let name: String = rest[i + 8..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && name != "GITHUB_TOKEN" {
            return Some(name);
        }
        rest = &rest[i + 8..];
    }
    None
}

fn env_of(v: &Value) -> Mapping {
    get(v, "env")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default()
}

fn normalize_dir(d: &str) -> String {
    let d = d.trim().trim_start_matches("./").trim_end_matches('/');
    if d == "." {
        String::new()
    } else {
        d.to_string()
    }
}

fn build_entry<'a>(
    all: &'a mut JobOut,
    dir: Option<&str>,
    manifest: Option<String>,
) -> &'a mut ImportedBuild {
    let dir = dir.map(normalize_dir).unwrap_or_default();
    let manifest = manifest.map(|m| normalize_dir(&m));
    let i = match all
        .builds
        .iter()
        .position(|b| b.dir == dir && b.manifest == manifest)
    {
        Some(i) => i,
        None => {
            all.builds.push(ImportedBuild {
                dir,
                manifest,
                ..Default::default()
            });
            all.builds.len() - 1
        }
    };
    &mut all.builds[i]
}

fn merge_build(into: &mut Vec<ImportedBuild>, b: ImportedBuild) {
    match into
        .iter_mut()
        .find(|x| x.dir == b.dir && x.manifest == b.manifest)
    {
        None => into.push(b),
        Some(x) => {
            x.builders.extend(b.builders);
            for p in b.platforms {
                if !x.platforms.contains(&p) {
                    x.platforms.push(p);
                }
            }
            x.interpreters.extend(b.interpreters);
            for w in b.wheels {
                steps::add_wheels(&mut x.wheels, &w.platform, w.family, w.versions);
            }
            for (p, s) in b.settings {
                steps::merge_settings(x.settings.entry(p).or_default(), s);
            }
            x.manylinux = x.manylinux.take().or(b.manylinux);
            x.maturin_args = x.maturin_args.take().or(b.maturin_args);
            x.before_script_linux = x.before_script_linux.take().or(b.before_script_linux);
            x.sdist |= b.sdist;
        }
    }
}

fn manifest_arg(words: &[String]) -> Option<String> {
    MaturinArgs::parse(words).manifest
}

/// A workflow's `on:` (which YAML 1.1 readers, serde_yaml among them, may
/// read as the key `true`).
pub(crate) fn on(doc: &Value) -> Option<&Value> {
    get(doc, "on").or_else(|| doc.as_mapping()?.get(Value::Bool(true)))
}

/// The `paths:` of an `on: pull_request` trigger (`Some(vec![])` when it has
/// none), or `None` without one.
fn pull_request_paths(doc: &Value) -> Option<Vec<String>> {
    let on = on(doc)?;
    match on {
        Value::String(s) => (s == "pull_request").then(Vec::new),
        Value::Sequence(s) => s
            .iter()
            .any(|v| v.as_str() == Some("pull_request"))
            .then(Vec::new),
        Value::Mapping(m) => {
            let pr = m.get(Value::String("pull_request".into()))?;
            Some(match get(pr, "paths") {
                Some(Value::Sequence(paths)) => paths.iter().filter_map(scalar).collect(),
                Some(v) => scalar(v).into_iter().collect(),
                None => Vec::new(),
            })
        }
        _ => None,
    }
}

fn trigger(doc: &Value) -> Option<WorkflowTrigger> {
    let on = on(doc)?;
    let has = |name: &str| match on {
        Value::String(s) => s == name,
        Value::Sequence(s) => s.iter().any(|v| v.as_str() == Some(name)),
        Value::Mapping(m) => m.contains_key(Value::String(name.into())),
        _ => false,
    };
    let tags = get(on, "push")
        .and_then(|p| get(p, "tags"))
        .and_then(|t| match t {
            Value::Sequence(s) => s.iter().find_map(scalar),
            v => scalar(v),
        });
    if has("release") {
        return Some(WorkflowTrigger::Release);
    }
    if let Some(glob) = tags {
        let prefix: String = glob
            .chars()
            .take_while(|c| !matches!(c, '*' | '?' | '[' | '+' | '!'))
            .collect();
        return Some(WorkflowTrigger::Tag { glob, prefix });
    }
    Some(WorkflowTrigger::Other)
}
