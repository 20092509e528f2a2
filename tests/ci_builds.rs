//! Pull-request and weekly builds, proven on the generated YAML: for every
//! configuration, the jobs a `pull_request` or `schedule` event can reach
//! (their `if:` evaluated with that event, their `needs` reachable) hold no
//! write permission, no id-token, no environment and read no secret or
//! token, while every build and check job does run. The `if:` expressions are
//! evaluated by a small three-valued evaluator: anything it cannot decide
//! counts as "may run", so an unknown is never mistaken for safety.

mod common;

use std::collections::BTreeMap;

use common::{init_fixture as generate, Repo, FIXTURES};
use serde_yaml::Value;

/// A three-valued expression result.
#[derive(Debug, Clone, PartialEq)]
enum V {
    Str(String),
    Bool(bool),
    Unknown,
}

impl V {
    fn truth(&self) -> Option<bool> {
        match self {
            V::Bool(b) => Some(*b),
            V::Str(s) => Some(!s.is_empty()),
            V::Unknown => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Op(&'static str),
}

fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' {
            let mut lit = String::new();
            i += 1;
            loop {
                assert!(i < chars.len(), "unterminated string in {s:?}");
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        lit.push('\'');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                lit.push(chars[i]);
                i += 1;
            }
            out.push(Tok::Str(lit));
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '_' | '-' | '.' | '*'))
            {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = match two.as_str() {
                "==" => Some("=="),
                "!=" => Some("!="),
                "&&" => Some("&&"),
                "||" => Some("||"),
                _ => None,
            };
            if let Some(op) = op {
                out.push(Tok::Op(op));
                i += 2;
                continue;
            }
            out.push(Tok::Op(match c {
                '!' => "!",
                '(' => "(",
                ')' => ")",
                ',' => ",",
                other => panic!("unexpected {other:?} in {s:?}"),
            }));
            i += 1;
        }
    }
    out
}

/// What an event's run knows: `github.event_name`, and empty `inputs`.
struct Eval<'a> {
    toks: Vec<Tok>,
    pos: usize,
    event: &'a str,
}

impl Eval<'_> {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn eat(&mut self, op: &str) -> bool {
        if self.peek() == Some(&Tok::Op(leak(op))) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn or(&mut self) -> V {
        let mut left = self.and();
        while self.eat("||") {
            let right = self.and();
            left = match (left.truth(), right.truth()) {
                (Some(true), _) => left,
                (Some(false), _) => right,
                (None, Some(true)) => right,
                _ => V::Unknown,
            };
        }
        left
    }
    fn and(&mut self) -> V {
        let mut left = self.cmp();
        while self.eat("&&") {
            let right = self.cmp();
            left = match (left.truth(), right.truth()) {
                (Some(false), _) => left,
                (Some(true), _) => right,
                (None, Some(false)) => right,
                _ => V::Unknown,
            };
        }
        left
    }
    fn cmp(&mut self) -> V {
        let left = self.unary();
        for (op, eq) in [("==", true), ("!=", false)] {
            if self.eat(op) {
                let right = self.unary();
                return match (&left, &right) {
                    (V::Str(a), V::Str(b)) => V::Bool(a.eq_ignore_ascii_case(b) == eq),
                    (V::Bool(a), V::Bool(b)) => V::Bool((a == b) == eq),
                    _ => V::Unknown,
                };
            }
        }
        left
    }
    fn unary(&mut self) -> V {
        if self.eat("!") {
            return match self.unary().truth() {
                Some(b) => V::Bool(!b),
                None => V::Unknown,
            };
        }
        self.primary()
    }
    fn primary(&mut self) -> V {
        if self.eat("(") {
            let v = self.or();
            assert!(self.eat(")"), "missing )");
            return v;
        }
        let tok = self.toks[self.pos].clone();
        self.pos += 1;
        match tok {
            Tok::Str(s) => V::Str(s),
            Tok::Ident(name) if self.eat("(") => {
                let mut args = Vec::new();
                if !self.eat(")") {
                    loop {
                        args.push(self.or());
                        if self.eat(")") {
                            break;
                        }
                        assert!(self.eat(","), "expected , in call of {name}");
                    }
                }
                match (name.as_str(), args.as_slice()) {
                    ("startsWith", [V::Str(a), V::Str(b)]) => {
                        V::Bool(a.to_lowercase().starts_with(&b.to_lowercase()))
                    }
                    // always(), success(), !cancelled(), contains(...), ...
                    _ => V::Unknown,
                }
            }
            Tok::Ident(name) => match name.as_str() {
                "true" => V::Bool(true),
                "false" => V::Bool(false),
                "github.event_name" => V::Str(self.event.to_string()),
                // Only a manual run has inputs.
                n if n.starts_with("inputs.") => V::Str(String::new()),
                _ => V::Unknown,
            },
            Tok::Op(op) => panic!("unexpected {op}"),
        }
    }
}

fn leak(op: &str) -> &'static str {
    ["==", "!=", "&&", "||", "!", "(", ")", ","]
        .into_iter()
        .find(|o| *o == op)
        .unwrap()
}

/// Whether a job-level `if:` may be true for `event` (unknown: may).
fn may_run(condition: &str, event: &str) -> bool {
    let expr = condition
        .trim()
        .strip_prefix("${{")
        .and_then(|e| e.strip_suffix("}}"))
        .unwrap_or(condition);
    let mut eval = Eval {
        toks: tokenize(expr),
        pos: 0,
        event,
    };
    let v = eval.or();
    assert_eq!(
        eval.pos,
        eval.toks.len(),
        "trailing tokens in {condition:?}"
    );
    v.truth() != Some(false)
}

/// Status functions let a job run although a job it needs was skipped.
fn overrides_needs(condition: &str) -> bool {
    ["always()", "cancelled()", "failure()"]
        .iter()
        .any(|f| condition.contains(f))
}

/// The jobs an `event` run can reach.
fn reachable(wf: &Value, event: &str) -> BTreeMap<String, Value> {
    let jobs = wf["jobs"].as_mapping().unwrap();
    let mut out: BTreeMap<String, Value> = BTreeMap::new();
    // Jobs are listed after the jobs they need; iterate to a fixed point anyway.
    loop {
        let before = out.len();
        for (id, job) in jobs {
            let id = id.as_str().unwrap().to_string();
            if out.contains_key(&id) {
                continue;
            }
            let needs: Vec<String> = match &job["needs"] {
                Value::Sequence(s) => s.iter().map(|n| n.as_str().unwrap().into()).collect(),
                Value::String(s) => vec![s.clone()],
                _ => Vec::new(),
            };
            let condition = job["if"].as_str().unwrap_or("");
            let own = condition.is_empty() || may_run(condition, event);
            let needs_ok = overrides_needs(condition) || needs.iter().all(|n| out.contains_key(n));
            if own && needs_ok {
                out.insert(id, job.clone());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

/// Publishing power a job holds, as sentences (empty: none).
fn power(job: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(perms) = job["permissions"].as_mapping() {
        for (k, v) in perms {
            if v.as_str() == Some("write") {
                out.push(format!("permission {}: write", k.as_str().unwrap()));
            }
        }
    } else if !job["permissions"].is_null() {
        out.push(format!("permissions {:?}", job["permissions"]));
    } else {
        out.push("no permissions block (inherits the defaults)".into());
    }
    if !job["environment"].is_null() {
        out.push("an environment".into());
    }
    let text = serde_yaml::to_string(job).unwrap();
    for needle in ["secrets.", "github.token"] {
        if text.contains(needle) {
            out.push(format!("reads {needle}"));
        }
    }
    out
}

/// Every job reachable from a build-only event holds no publishing power;
/// returns the reachable job ids.
fn check_build_only(wf: &Value, event: &str, what: &str) -> Vec<String> {
    let reach = reachable(wf, event);
    for (id, job) in &reach {
        let p = power(job);
        assert!(
            p.is_empty(),
            "{what}: job {id} runs on {event} and holds {}",
            p.join(", ")
        );
    }
    reach.into_keys().collect()
}

const PUBLISHING: &[&str] = &[
    "publish-pypi",
    "publish-testpypi",
    "github-release",
    "provenance",
    "verify-pypi",
    "verify-testpypi",
];

#[test]
fn pull_requests_and_the_weekly_build_cannot_publish() {
    let mut configs: Vec<(&str, Vec<&str>)> = FIXTURES.iter().map(|f| (*f, vec![])).collect();
    configs.extend([
        (
            "abi3",
            vec!["--publish", "token", "--trigger", "tag", "--github-release"],
        ),
        ("abi3", vec!["--publish", "token", "--github-release"]),
        ("mixed", vec!["--trigger", "tag", "--github-release"]),
        ("hatch", vec!["--github-release", "--publish", "token"]),
        ("strust-abi3", vec!["--github-release", "--trigger", "tag"]),
    ]);
    for (fixture, flags) in configs {
        let what = format!("{fixture} {flags:?}");
        let (_repo, wf) = generate(fixture, &flags);
        let on = &wf["on"];
        assert!(on["pull_request_target"].is_null(), "{what}");
        assert!(on["workflow_run"].is_null(), "{what}");
        let paths = on["pull_request"]["paths"].as_sequence().unwrap();
        assert!(
            paths
                .iter()
                .any(|p| p.as_str() == Some(".github/workflows/release.yml")
                    || p.as_str() == Some(".github/workflows/release-wsdemo.yml")),
            "{what}: the workflow itself is not a packaging input"
        );
        assert!(on["schedule"][0]["cron"].as_str().is_some(), "{what}");
        assert_eq!(wf["permissions"], Value::Mapping(Default::default()));
        assert_eq!(
            wf["concurrency"]["cancel-in-progress"].as_str(),
            Some("${{ github.event_name == 'pull_request' }}"),
            "{what}"
        );
        let all: Vec<String> = wf["jobs"]
            .as_mapping()
            .unwrap()
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        for event in ["pull_request", "schedule"] {
            let ran = check_build_only(&wf, event, &what);
            // The whole matrix and every check run; only publishing is left out.
            let expected: Vec<&String> = all
                .iter()
                .filter(|j| !PUBLISHING.contains(&j.as_str()))
                .collect();
            assert_eq!(
                ran.iter().collect::<Vec<_>>().len(),
                expected.len(),
                "{what} {event}: {ran:?}"
            );
            for j in expected {
                assert!(ran.contains(j), "{what}: {j} does not run on {event}");
            }
        }
        // The release event does reach the publishing job (the evaluator is
        // not blind): publish-pypi runs on a release.
        let release_event = if flags.contains(&"tag") {
            "push"
        } else {
            "release"
        };
        assert!(
            reachable(&wf, release_event).contains_key("publish-pypi"),
            "{what}"
        );
    }
}

/// The check fails on what pyrel used to generate: a publish job whose `if:`
/// only excluded manual runs would publish from a pull request.
#[test]
fn the_check_catches_a_publish_job_a_pull_request_reaches() {
    let (_repo, mut wf) = generate("abi3", &[]);
    wf["jobs"]["publish-pypi"]["if"] = Value::String(
        "github.event_name != 'workflow_dispatch' || inputs.publish == 'pypi'".into(),
    );
    let caught = std::panic::catch_unwind(|| check_build_only(&wf, "pull_request", "old"));
    let message = *caught.unwrap_err().downcast::<String>().unwrap();
    assert!(
        message
            .contains("job publish-pypi runs on pull_request and holds permission id-token: write"),
        "{message}"
    );
    // And a job without an `if:` that needs a publishing job is not reached.
    let (_repo, wf) = generate("abi3", &["--github-release"]);
    assert!(!reachable(&wf, "pull_request").contains_key("github-release"));
}

#[test]
fn the_evaluator_is_three_valued() {
    assert!(!may_run("github.event_name == 'release'", "pull_request"));
    assert!(may_run("github.event_name != 'release'", "pull_request"));
    assert!(!may_run(
        "github.event_name == 'push' || (github.event_name == 'workflow_dispatch' && inputs.publish == 'pypi')",
        "schedule"
    ));
    // Unknowns may run.
    assert!(may_run("needs.a.result == 'success'", "pull_request"));
    assert!(may_run(
        "!cancelled() && github.event_name != 'release'",
        "schedule"
    ));
    assert!(!may_run(
        "!cancelled() && github.event_name == 'release'",
        "schedule"
    ));
    assert!(may_run(
        "github.event_name != 'release' || startsWith(github.event.release.tag_name, 'v')",
        "pull_request"
    ));
}

#[test]
fn pull_request_builds_are_configurable() {
    // Off: no pull_request trigger, nothing to cancel.
    let (repo, wf) = generate("abi3", &["--no-pull-requests", "--no-weekly-build"]);
    assert!(wf["on"]["pull_request"].is_null());
    assert!(wf["on"]["schedule"].is_null());
    assert_eq!(wf["concurrency"]["cancel-in-progress"], Value::Bool(false));
    let py = repo.read("pyproject.toml");
    assert!(py.contains("pull-requests = false"), "{py}");
    assert!(py.contains("weekly-build = false"), "{py}");
    repo.pyrel(&["generate", "--check"]).expect(0);

    // Own paths: kept in [tool.pyrel], the workflow file added.
    let (repo, wf) = generate(
        "abi3",
        &["--pull-request-paths", "rust/**,python/**,!docs/**"],
    );
    let paths: Vec<&str> = wf["on"]["pull_request"]["paths"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "rust/**",
            "python/**",
            "!docs/**",
            ".github/workflows/release.yml"
        ]
    );
    repo.pyrel(&["generate", "--check"]).expect(0);
    // A changed path in [tool.pyrel] is drift that `generate --check` reports.
    let py = repo.read("pyproject.toml");
    assert!(py.contains("\"python/**\""), "{py}");
    repo.write("pyproject.toml", &py.replace("\"python/**\"", "\"py/**\""));
    let check = repo.pyrel(&["generate", "--check"]);
    check.expect(1);
    assert!(
        check.stdout().contains("+      - \"py/**\""),
        "{}",
        check.stdout()
    );

    // The defaults are not saved (they move with pyrel), and stay in sync.
    let (repo, _) = generate("hatch", &[]);
    assert!(!repo.read("pyproject.toml").contains("pull-request"));

    // Hostile or meaningless filters are refused with the key named.
    for bad in [
        "../outside/**",
        "/abs/**",
        "!",
        "a\u{7}b",
        "${{ github.token }}",
    ] {
        let repo = Repo::fixture("abi3");
        let out = repo.pyrel(&["init", "--yes", "--pull-request-paths", bad]);
        out.expect(2);
        assert!(
            out.stderr().contains("pull-request-paths"),
            "{bad}: {}",
            out.stderr()
        );
    }
}

/// A pure-Python package's pull requests are not triggered by Rust files.
#[test]
fn default_paths_follow_the_package() {
    let (_repo, wf) = generate("hatch", &[]);
    let paths = serde_yaml::to_string(&wf["on"]["pull_request"]["paths"]).unwrap();
    assert!(!paths.contains("Cargo"), "{paths}");
    assert!(paths.contains("**/*.py"), "{paths}");
    let (_repo, wf) = generate("workspace", &[]);
    let paths = serde_yaml::to_string(&wf["on"]["pull_request"]["paths"]).unwrap();
    assert!(paths.contains("**/Cargo.lock"), "{paths}");
    assert!(
        paths.contains(".github/workflows/release-wsdemo.yml"),
        "{paths}"
    );
}

/// An adopted workflow's pull-request path filters are kept (and reported),
/// and the generated workflow builds on those pull requests.
#[test]
fn an_adopted_workflows_pull_request_paths_are_kept() {
    let repo = Repo::fixture("abi3");
    repo.write(
        ".github/workflows/ci.yml",
        "name: CI\non:\n  pull_request:\n    paths: [\"src/**\", Cargo.toml]\njobs:\n  wheels:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: PyO3/maturin-action@v1\n        with:\n          target: x86_64\n          args: --release --out dist\n",
    );
    let out = repo.pyrel(&["init", "--yes"]);
    out.expect(0);
    assert!(
        out.stderr()
            .contains("kept     pull-request-paths src/**,Cargo.toml"),
        "{}",
        out.stderr()
    );
    let py = repo.read("pyproject.toml");
    assert!(py.contains("pull-request-paths = ["), "{py}");
    let wf: Value = serde_yaml::from_str(&repo.read(".github/workflows/release.yml")).unwrap();
    let paths: Vec<&str> = wf["on"]["pull_request"]["paths"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["src/**", "Cargo.toml", ".github/workflows/release.yml"]
    );
    repo.pyrel(&["generate", "--check"]).expect(0);

    // A hostile filter is not imported; the default stays.
    let repo = Repo::fixture("abi3");
    repo.write(
        ".github/workflows/ci.yml",
        "on:\n  pull_request:\n    paths: [\"../x/**\"]\njobs:\n  wheels:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: PyO3/maturin-action@v1\n        with:\n          target: x86_64\n",
    );
    let out = repo.pyrel(&["init", "--yes"]);
    out.expect(0);
    assert!(!repo.read("pyproject.toml").contains("pull-request-paths"));
}
