//! Template branch coverage (tests only). In a test build every template is
//! instrumented when the environment is built: after each `[% if %]`,
//! `[% elif %]`, `[% else %]` and `[% for %]` tag a `[% set %]` records that
//! the branch ran, and an `if` without an `else` gets one, so its false side
//! is a branch too. A `set` tag renders nothing and trim_blocks eats the
//! newline after it, so the output is byte for byte the uninstrumented one.
//!
//! `every_template_branch_is_reached` renders every named configuration of
//! `tests/configurations.toml` (the ones tests/validators.rs runs through
//! actionlint, shellcheck, pyflakes and zizmor) and fails when a branch is
//! reached by none of them.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;

/// Every branch of every template, filled when the environment is built.
static ALL: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

thread_local! {
    /// Branches rendered by this thread (each test has its own thread, so
    /// other tests rendering in parallel cannot make this one pass).
    static HIT: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
}

/// The template function the instrumentation calls.
pub(super) fn hit(id: &str) -> String {
    HIT.with(|h| h.borrow_mut().insert(id.to_string()));
    String::new()
}

fn marker(id: &str) -> String {
    format!("[% set pyrel_branch_hit = pyrel_branch({id:?}) %]")
}

/// The template with a marker in every branch; registers the branch ids.
pub(super) fn instrument(name: &str, source: &str) -> String {
    let (out, ids) = instrumented(name, source);
    ALL.lock().unwrap().extend(ids);
    out
}

/// The instrumented template and its branch ids.
fn instrumented(name: &str, source: &str) -> (String, Vec<String>) {
    let tag = regex::Regex::new(r"(?s)\[#.*?#\]|\[%(-?)\s*([a-z]+)\b.*?%\]").unwrap();
    let line_of = |offset: usize| source[..offset].matches('\n').count() + 1;
    let mut out = String::with_capacity(source.len() * 2);
    let mut ids = Vec::new();
    // Open `if`s: (line of the `if`, whether it has an `else`).
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut last = 0;
    for m in tag.captures_iter(source) {
        let whole = m.get(0).unwrap();
        let Some(keyword) = m.get(2).map(|k| k.as_str()) else {
            continue; // a comment
        };
        let line = line_of(whole.start());
        out.push_str(&source[last..whole.start()]);
        last = whole.end();
        let id = match keyword {
            "if" => {
                open.push((line, false));
                Some(format!("{name}:{line} if"))
            }
            "elif" => Some(format!("{name}:{line} elif")),
            "else" => {
                if let Some(top) = open.last_mut() {
                    top.1 = true;
                }
                Some(format!("{name}:{line} else"))
            }
            "for" => Some(format!("{name}:{line} for")),
            "endif" => {
                let (if_line, has_else) = open.pop().expect("an endif closes an if");
                if !has_else {
                    let id = format!("{name}:{if_line} if (false)");
                    out.push_str("[% else %]");
                    out.push_str(&marker(&id));
                    ids.push(id);
                }
                None
            }
            _ => None,
        };
        out.push_str(whole.as_str());
        if let Some(id) = id {
            out.push_str(&marker(&id));
            ids.push(id);
        }
    }
    out.push_str(&source[last..]);
    assert!(open.is_empty(), "{name}: an if without endif");
    (out, ids)
}

// The configuration loader tests/validators.rs uses too.
#[path = "../../tests/common/configurations.rs"]
#[allow(dead_code)]
mod configurations;
use configurations::{configurations, Configuration};

/// `init`'s flags as answers, through the question table (`--x V`, `--x`,
/// `--no-x`); flags that are not `[tool.pyrel]` keys (`--allow-drop`) are
/// not answers.
fn answers_of(flags: &[String]) -> Vec<(crate::answers::Key, crate::answers::Value)> {
    use crate::answers::questions::{Kind, QUESTIONS};
    use crate::answers::Value;
    let mut out = Vec::new();
    let mut args = flags.iter();
    while let Some(flag) = args.next() {
        let name = flag.trim_start_matches("--");
        let (name, yes) = match name.strip_prefix("no-") {
            Some(n) if QUESTIONS.iter().any(|q| q.key.as_str() == n) => (n, false),
            _ => (name, true),
        };
        let Some(q) = QUESTIONS.iter().find(|q| q.key.as_str() == name) else {
            continue;
        };
        let value = match q.kind {
            Kind::Bool => Value::Bool(yes),
            Kind::Platforms | Kind::List => Value::List(
                args.next()
                    .unwrap()
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .collect(),
            ),
            Kind::Text | Kind::Choice(_) => Value::Str(args.next().unwrap().clone()),
        };
        out.push((q.key, value));
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// What `init --yes` renders for one configuration: the workflow, the docs
/// and the next steps.
fn render_configuration(c: &Configuration) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root.join("tests/fixtures").join(&c.fixture), dir.path());
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    if c.remote != Some(false) {
        std::fs::write(
            dir.path().join(".git/config"),
            format!(
                "[remote \"origin\"]\n\turl = https://github.com/pyrel-fixtures/{}.git\n",
                c.fixture
            ),
        )
        .unwrap();
    }
    for w in &c.workflows {
        let to = dir.path().join(".github/workflows").join(w);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(root.join("tests/fixtures/workflows").join(w), to).unwrap();
    }
    let package = dir.path().join(c.package.as_deref().unwrap_or("."));
    let mut saved = Vec::new();
    if let Some(extra) = &c.pyrel {
        let path = package.join("pyproject.toml");
        let text = format!("{}\n{extra}", std::fs::read_to_string(&path).unwrap());
        std::fs::write(&path, &text).unwrap();
        let file = crate::inspect::tomlfile::TomlFile::parse(text, "pyproject.toml").unwrap();
        saved = crate::answers::saved(&file).unwrap_or_else(|e| panic!("{}: {e}", c.name));
    }
    let project = crate::inspect::inspect(&package).unwrap();
    let imports = crate::answers::adopt::imports(&project);
    let answers = crate::answers::resolve_adopting(
        &project,
        imports.values.clone(),
        saved,
        answers_of(&c.flags),
        &mut crate::answers::NoPrompt,
    )
    .unwrap_or_else(|e| panic!("{}: {e}", c.name));
    let config =
        crate::answers::validate(&answers, &project).unwrap_or_else(|e| panic!("{}: {e}", c.name));
    super::render_all(&project, &config).unwrap_or_else(|e| panic!("{}: {e}", c.name));
    crate::next_steps::render(&project, &config).unwrap_or_else(|e| panic!("{}: {e}", c.name));
}

#[test]
fn every_template_branch_is_reached() {
    // Templates are compiled on first use: register every template's
    // branches here, so one no configuration ever loads is a failure too.
    for file in super::all_files(&super::TEMPLATES) {
        let name = file.path().to_string_lossy().into_owned();
        if let Some(source) = file.contents_utf8() {
            instrument(&name, source);
        }
    }
    let all = ALL.lock().unwrap().clone();
    // The instrumentation itself found the branches it must find.
    assert!(all.contains("release.yml.j2:15 if"), "{all:#?}");
    assert!(
        all.contains("partials/build-python.yml.j2:17 if (false)"),
        "{all:#?}"
    );
    let configurations = configurations();
    let mut names = BTreeSet::new();
    for c in &configurations {
        assert!(
            names.insert(c.name.as_str()),
            "two configurations named {}",
            c.name
        );
        render_configuration(c);
    }
    let hit = HIT.with(|h| h.borrow().clone());
    let missed: Vec<&String> = all.difference(&hit).collect();
    assert!(
        missed.is_empty(),
        "template branches reached by no configuration in tests/configurations.toml \
         (add one that reaches each):\n{}",
        missed
            .iter()
            .map(|s| format!("  {s}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn instrumentation_changes_no_byte_of_the_output() {
    let render = |source: String, a: bool, instrumented: bool| {
        let mut e = minijinja::Environment::new();
        e.set_syntax(env_syntax());
        if instrumented {
            e.add_function("pyrel_branch", |id: String| hit(&id));
        }
        e.add_template_owned("t", source).unwrap();
        e.get_template("t")
            .unwrap()
            .render(minijinja::context! { a => a, b => false, xs => vec![1, 2] })
            .unwrap()
    };
    for a in [true, false] {
        assert_eq!(
            render(TEMPLATE.to_string(), a, false),
            render(instrumented("t", TEMPLATE).0, a, true)
        );
    }
    let hit = HIT.with(|h| h.borrow().clone());
    for id in ["t:1 if", "t:3 else", "t:4 if (false)", "t:7 for"] {
        assert!(hit.contains(id), "{id} not recorded: {hit:?}");
    }
    assert!(!hit.contains("t:4 if"), "{hit:?}");
}

const TEMPLATE: &str = "[% if a %]\n  yes: 1\n[% else %]\n  no[% if b %] b[% endif %]\n  x\n[% endif %]\n[% for x in xs %]\n  - [[ x ]]\n[% endfor %]\nend\n";

fn env_syntax() -> minijinja::syntax::SyntaxConfig {
    minijinja::syntax::SyntaxConfig::builder()
        .block_delimiters("[%", "%]")
        .variable_delimiters("[[", "]]")
        .comment_delimiters("[#", "#]")
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .unwrap()
}
