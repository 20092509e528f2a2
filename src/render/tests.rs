//! Property tests: any string that reaches a template either is rejected by
//! validation or renders so that the YAML parses back to exactly that string,
//! and no `run:` script ever contains a GitHub expression.

use proptest::prelude::*;

use crate::answers::{self, Key, NoPrompt, Value};
use crate::inspect::{self, Project};
use crate::validate;

fn project() -> Project {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mixed");
    let mut p = inspect::inspect(&dir).unwrap();
    p.github = Some(inspect::GitHub {
        owner: "o".into(),
        repo: "r".into(),
    });
    p
}

/// Strings built from the pieces that break naive YAML, shells and Markdown.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\"",
        "'",
        "\n",
        "\r\n",
        "\t",
        "${{",
        "}}",
        "${{ secrets.X }}",
        "#",
        " #",
        ": ",
        "- ",
        "{",
        "}",
        "[",
        "]",
        "*",
        "&",
        "!",
        "|",
        ">",
        "%",
        "@",
        "`",
        "```",
        "\\",
        "\u{85}",
        "\u{2028}",
        "\u{feff}",
        "🐍",
        "é",
        "---",
        "...",
        "$(id)",
        ";",
        "&&",
        "\u{0}",
        "\u{1b}",
        "a",
        "b",
        " ",
        "x".repeat(300).leak(),
    ]);
    prop_oneof![
        any::<String>(),
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat()),
    ]
}

fn render_with(key: Key, value: &str) -> Option<(serde_yaml::Value, String)> {
    let p = project();
    let flags = vec![
        (key, Value::Str(value.to_string())),
        (Key::Publish, Value::Str("token".into())),
        (Key::GithubRelease, Value::Bool(true)),
    ];
    let flags = if key == Key::Publish {
        flags[..1].to_vec()
    } else {
        flags
    };
    let a = answers::resolve(&p, vec![], flags, &mut NoPrompt).unwrap();
    let config = crate::ops::validate(&a, &p).ok()?;
    let files = super::render_all(&p, &config).expect("a validated config always renders");
    let wf: serde_yaml::Value = serde_yaml::from_str(&files[0].content).unwrap();
    Some((wf, files[1].content.clone()))
}

fn runs(wf: &serde_yaml::Value) -> Vec<String> {
    let mut out = Vec::new();
    for (_, job) in wf["jobs"].as_mapping().unwrap() {
        for step in job["steps"].as_sequence().unwrap() {
            if let Some(r) = step["run"].as_str() {
                out.push(r.to_string());
            }
        }
    }
    out
}

/// The string at `path` in every step of the jobs `select` (job id, step
/// name) chooses.
fn step_values(
    wf: &serde_yaml::Value,
    select: impl Fn(&str, &str) -> bool,
    path: &[&str],
) -> Vec<String> {
    let mut out = Vec::new();
    for (id, job) in wf["jobs"].as_mapping().unwrap() {
        for step in job["steps"].as_sequence().into_iter().flatten() {
            if !select(id.as_str().unwrap(), step["name"].as_str().unwrap_or("")) {
                continue;
            }
            let mut v = step;
            for k in path {
                v = &v[*k];
            }
            if let Some(text) = v.as_str() {
                out.push(text.to_string());
            }
        }
    }
    out
}

fn smoke_envs(wf: &serde_yaml::Value) -> Vec<String> {
    let mut out = Vec::new();
    for (_, job) in wf["jobs"].as_mapping().unwrap() {
        for step in job["steps"].as_sequence().unwrap() {
            if let Some(v) = step["env"]["SMOKE_TEST"].as_str() {
                out.push(v.to_string());
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PYREL_PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2_000),
        .. ProptestConfig::default()
    })]

    #[test]
    fn smoke_test_commands_round_trip_or_are_rejected(s in hostile()) {
        let accepted = validate::command(&s).is_ok();
        if s.contains("${{") {
            prop_assert!(!accepted);
        }
        match render_with(Key::SmokeTest, &s) {
            None => prop_assert!(!accepted),
            Some((wf, docs)) => {
                prop_assert!(accepted);
                let envs = smoke_envs(&wf);
                prop_assert!(!envs.is_empty());
                for e in envs {
                    prop_assert_eq!(&e, &s);
                }
                for r in runs(&wf) {
                    prop_assert!(!r.contains("${{"));
                }
                prop_assert!(docs.contains("pyrel-digest: sha256:"));
            }
        }
    }

    #[test]
    fn other_values_round_trip_or_are_rejected(
        s in hostile(),
        key in prop::sample::select(vec![
            "tag-prefix", "token-secret", "environment", "testpypi-environment",
            "manylinux", "workflow", "docs", "repository", "maturin-args", "before-script-linux",
            "test-command",
        ]),
    ) {
        if let Some((wf, _docs)) = render_with(Key::parse(key).unwrap(), &s) {
            prop_assert!(!s.contains("${{"));
            for r in runs(&wf) {
                prop_assert!(!r.contains("${{"));
            }
            if key == "tag-prefix" {
                let pre = &wf["jobs"]["preflight"]["steps"][2]["env"]["TAG_PREFIX"];
                prop_assert_eq!(pre.as_str(), Some(s.as_str()));
            }
            if key == "environment" {
                let env = &wf["jobs"]["publish-pypi"]["environment"]["name"];
                prop_assert_eq!(env.as_str(), Some(s.as_str()));
            }
            // Every other key that lands in the workflow: each place it lands
            // parses back to exactly the accepted string.
            let expected: Option<(Vec<String>, String)> = match key {
                "token-secret" => Some((
                    step_values(&wf, |job, _| job == "publish-pypi", &["with", "password"]),
                    format!("${{{{ secrets.{s} }}}}"),
                )),
                "testpypi-environment" => Some((
                    wf["jobs"]["publish-testpypi"]["environment"]["name"].as_str().map(str::to_string).into_iter().collect(),
                    s.clone(),
                )),
                "manylinux" => Some((
                    step_values(&wf, |job, _| job == "linux", &["with", "manylinux"]),
                    s.clone(),
                )),
                "before-script-linux" => Some((
                    step_values(&wf, |_, _| true, &["with", "before-script-linux"]),
                    s.clone(),
                )),
                "test-command" => Some((
                    step_values(&wf, |_, _| true, &["env", "TEST_COMMAND"]),
                    s.clone(),
                )),
                "maturin-args" => {
                    let args = step_values(&wf, |job, name| job == "linux" && name == "Build the wheels", &["with", "args"]);
                    prop_assert!(!args.is_empty());
                    for a in args.iter().filter(|_| !s.trim().is_empty()) {
                        prop_assert!(a.ends_with(&format!(" {s}")) || a == &s, "{a:?} does not end with {s:?}");
                    }
                    None
                }
                _ => None,
            };
            // An empty optional command or argument list means "none".
            let unset = s.trim().is_empty()
                && matches!(key, "before-script-linux" | "test-command" | "maturin-args");
            if let Some((found, want)) = expected.filter(|_| !unset) {
                prop_assert!(!found.is_empty(), "{key} = {s:?} is nowhere in the workflow");
                for f in found {
                    prop_assert_eq!(&f, &want, "{}", key);
                }
            }
        }
    }
}

/// The file on disk decides only whether the rendered workflow is parsed
/// again (it is, unless the bytes are the same): it never changes what
/// renders, and it is never parsed itself, so a broken or hostile file on
/// disk (libyaml is quadratic in flow nesting: the deep one would take
/// minutes) costs nothing and fails nothing.
#[test]
fn the_file_on_disk_never_changes_the_render() {
    let p = project();
    let a = answers::resolve(&p, vec![], Vec::new(), &mut NoPrompt).unwrap();
    let config = crate::ops::validate(&a, &p).unwrap();
    let fresh = super::render_all_beside(&p, &config, None).unwrap();
    super::check_workflow(&fresh[0].content).unwrap();
    let same = super::render_all_beside(&p, &config, Some(&fresh[0].content)).unwrap();
    let broken = "jobs: [unclosed\n  run: ${{ x }}\n";
    assert!(super::check_workflow(broken).is_err());
    let beside_broken = super::render_all_beside(&p, &config, Some(broken)).unwrap();
    let deep = "[".repeat(200_000);
    let beside_deep = super::render_all_beside(&p, &config, Some(&deep)).unwrap();
    for files in [&same, &beside_broken, &beside_deep] {
        assert_eq!(files.len(), fresh.len());
        for (a, b) in files.iter().zip(&fresh) {
            assert_eq!((&a.path, &a.content), (&b.path, &b.content));
        }
    }
}

/// RELEASING.md names the free-threaded builds of an abi3 crate as the plan
/// makes them (PyO3 0.29: 3.14t and 3.15t), not a fixed version.
#[test]
fn docs_name_the_planned_free_threaded_builds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/abi3");
    let mut p = inspect::inspect(&dir).unwrap();
    p.github = Some(inspect::GitHub {
        owner: "o".into(),
        repo: "r".into(),
    });
    let flags = vec![(Key::FreeThreaded, Value::Bool(true))];
    let a = answers::resolve(&p, vec![], flags, &mut NoPrompt).unwrap();
    let config = crate::ops::validate(&a, &p).unwrap();
    let docs = super::render_all(&p, &config).unwrap()[1].content.clone();
    assert!(
        docs.contains("free-threaded CPython (3.14t and 3.15t)\n   wheels"),
        "{docs}"
    );
}
