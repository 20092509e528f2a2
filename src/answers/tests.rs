//! Resolution order, without a terminal: defaults < saved < flags < prompts.

use super::questions::Question;
use super::*;
use crate::inspect::Project;

/// A prompter that answers from a script and records what it was asked.
struct Scripted {
    answers: Vec<(Key, Value)>,
    asked: Vec<Key>,
}

impl Prompter for Scripted {
    fn ask(&mut self, q: &Question, _current: Option<&Value>) -> Result<Option<Value>> {
        self.asked.push(q.key);
        Ok(self
            .answers
            .iter()
            .find(|(k, _)| *k == q.key)
            .map(|(_, v)| v.clone()))
    }
}

/// A prompter that fails the test if it is ever called.
struct Forbidden;

impl Prompter for Forbidden {
    fn ask(&mut self, q: &Question, _: Option<&Value>) -> Result<Option<Value>> {
        panic!("asked {:?} although prompting is forbidden", q.key)
    }
}

fn project() -> Project {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(
        dir.path().join(".git/config"),
        "[remote \"origin\"]\n\turl = https://github.com/o/r.git\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"demo\"\nversion = \"1.0\"\n[build-system]\nbuild-backend = \"maturin\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n[lib]\ncrate-type = [\"cdylib\"]\n[dependencies]\npyo3 = \"0.29\"\n",
    )
    .unwrap();
    crate::inspect::inspect(dir.path()).unwrap()
}

fn s(v: &str) -> Value {
    Value::Str(v.into())
}

#[test]
fn later_layers_win() {
    let p = project();
    let saved = vec![(Key::Trigger, s("tag")), (Key::TagPrefix, s("rel-"))];
    let flags = vec![(Key::TagPrefix, s("flag-"))];
    let mut prompt = Scripted {
        answers: vec![(Key::Publish, s("token"))],
        asked: vec![],
    };
    let a = resolve(&p, saved, flags, &mut prompt).unwrap();
    assert_eq!(a.str(Key::Trigger), "tag"); // saved beats default
    assert_eq!(a.str(Key::TagPrefix), "flag-"); // flag beats saved
    assert_eq!(a.str(Key::Publish), "token"); // prompt beats default
    assert_eq!(a.str(Key::Environment), "pypi"); // default
                                                 // A flag is never asked again; a relevant question is.
    assert!(!prompt.asked.contains(&Key::TagPrefix));
    assert!(prompt.asked.contains(&Key::Trigger));
    // token-secret became relevant through the prompt's answer.
    assert!(prompt.asked.contains(&Key::TokenSecret));
    // repository is detected, so not asked.
    assert!(!prompt.asked.contains(&Key::Repository));
}

#[test]
fn no_prompt_mode_never_prompts() {
    let p = project();
    let a = resolve(&p, vec![], vec![], &mut NoPrompt).unwrap();
    let config = validate(&a, &p).unwrap();
    assert_eq!(config.platforms.len(), platforms::DEFAULT.len());
    assert_eq!(config.publish, Publish::Trusted);
    assert_eq!(config.smoke_test, "python -c \"import demo.demo\"");
    // And a prompter that panics is fine when every relevant key is a flag.
    let flags: Vec<(Key, Value)> = QUESTIONS
        .iter()
        .filter_map(|q| a.get(q.key).map(|v| (q.key, v.clone())))
        .collect();
    resolve(&p, vec![], flags, &mut Forbidden).unwrap();
}

#[test]
fn invalid_values_name_their_key() {
    let p = project();
    let a = resolve(
        &p,
        vec![],
        vec![(Key::Platforms, Value::List(vec!["linux-sparc".into()]))],
        &mut NoPrompt,
    )
    .unwrap();
    let err = validate(&a, &p).unwrap_err().to_string();
    assert!(
        err.contains("platforms") && err.contains("linux-x86_64"),
        "{err}"
    );
    let a = resolve(
        &p,
        vec![],
        vec![(Key::Workflow, s("../x.yml"))],
        &mut NoPrompt,
    )
    .unwrap();
    let err = validate(&a, &p).unwrap_err().to_string();
    assert!(err.contains("--workflow"), "{err}");
}

#[test]
fn saved_table_round_trips() {
    let p = project();
    let a = resolve(&p, vec![], vec![(Key::Publish, s("token"))], &mut NoPrompt).unwrap();
    let table = to_table(&a, &p);
    let text = format!("[tool.pyrel]\n{table}");
    let file = crate::inspect::tomlfile::TomlFile::parse(text, "pyproject.toml").unwrap();
    let again = resolve(&p, saved(&file).unwrap(), vec![], &mut NoPrompt).unwrap();
    for q in QUESTIONS {
        assert_eq!(a.get(q.key), again.get(q.key), "{}", q.key);
    }
    // The repository read from a remote is saved (a fork's clone must
    // generate the same files); one declared in [project.urls] is not.
    assert_eq!(
        table.get("repository").and_then(|i| i.as_str()),
        Some("o/r")
    );
    let mut declared = project();
    declared.github_declared = true;
    let a = resolve(&declared, vec![], vec![], &mut NoPrompt).unwrap();
    assert!(to_table(&a, &declared).get("repository").is_none());
}

#[test]
fn python_floor_reads_lower_bounds() {
    assert_eq!(python_floor(">=3.9").as_deref(), Some("3.9"));
    assert_eq!(python_floor(">=3.10.2, <4").as_deref(), Some("3.10"));
    assert_eq!(python_floor("~=3.9"), None);
}

/// Imported values sit between the detected defaults and the saved
/// `[tool.pyrel]`: they beat defaults, and lose to saved, flags and prompts;
/// an interactive run sees them as the current answer.
#[test]
fn imported_values_sit_between_defaults_and_saved() {
    let p = project();
    let imported = vec![
        (Key::Trigger, s("tag")),
        (Key::TagPrefix, s("py-v")),
        (Key::Environment, s("release")),
        (Key::Platforms, Value::List(vec!["linux-riscv64".into()])),
    ];
    let saved = vec![(Key::TagPrefix, s("rel-"))];
    let flags = vec![(Key::Environment, s("flagged"))];

    struct Seen(Vec<(Key, Option<Value>)>);
    impl Prompter for Seen {
        fn ask(&mut self, q: &Question, current: Option<&Value>) -> Result<Option<Value>> {
            self.0.push((q.key, current.cloned()));
            Ok(None)
        }
    }
    let mut seen = Seen(vec![]);
    let a = resolve_adopting(&p, imported, saved, flags, &mut seen).unwrap();
    assert_eq!(a.str(Key::Trigger), "tag");
    assert_eq!(a.origin(Key::Trigger), Some(Origin::Imported));
    assert_eq!(a.str(Key::TagPrefix), "rel-"); // saved beats imported
    assert_eq!(a.str(Key::Environment), "flagged"); // flag beats imported
    assert_eq!(a.list(Key::Platforms), ["linux-riscv64"]);
    assert_eq!(a.str(Key::Publish), "trusted"); // default, nothing imported
                                                // The prompt is preselected with the imported platforms.
    assert!(seen.0.contains(&(
        Key::Platforms,
        Some(Value::List(vec!["linux-riscv64".into()]))
    )));
    // Imported answers are saved, so later runs keep them.
    let table = to_table(&a, &p);
    assert_eq!(table.get("trigger").and_then(|v| v.as_str()), Some("tag"));
}

/// The free-threaded question names exactly the free-threaded CPythons of
/// the interpreter table (3.14t, 3.15t, ...), and no other.
#[test]
fn free_threaded_prompt_follows_the_interpreter_table() {
    use crate::build_plan::interpreters::{NEWEST_MINOR, OLDEST_FREE_THREADED_MINOR};
    let prompt = question(Key::FreeThreaded).unwrap().prompt;
    let named: Vec<String> = prompt
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == 't'))
        .filter(|w| w.starts_with("3.") && w.ends_with('t'))
        .map(str::to_string)
        .collect();
    let table: Vec<String> = (OLDEST_FREE_THREADED_MINOR..=NEWEST_MINOR)
        .map(|m| format!("3.{m}t"))
        .collect();
    assert_eq!(named, table, "{prompt}");
}
