//! Bounds on what pyrel parses, checked in one linear pass before a parser
//! sees the text: a hostile or broken file is reported as unreadable at
//! `file:line` in milliseconds, instead of a parser spending minutes (libyaml
//! is quadratic in flow nesting: 100,000 levels took 108 s) or recursing
//! without end.

/// Larger than any real workflow, dependabot.yml, pyproject.toml or
/// Cargo.toml (GitHub's own limit for a workflow file is 512 KiB).
pub(crate) const MAX_BYTES: usize = 1024 * 1024;

/// Nesting of flow collections (`[`/`{`) and of block indentation levels.
/// Real workflows nest about ten levels; toml_edit's own limit is 80.
pub(crate) const MAX_DEPTH: usize = 64;

/// Why `text` is too big or too deep to parse: `(line, message)`.
pub(crate) fn check_yaml(text: &str) -> Result<(), (usize, String)> {
    check_size(text)?;
    let mut line = 1;
    let mut flow = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    let mut at_line_start = true;
    let mut indent = 0usize;
    // `- - - x`: each dash at the start of a line opens a sequence.
    let mut dashes = 0usize;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut prev = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
            at_line_start = true;
            indent = 0;
            dashes = 0;
            comment = false;
            // A quoted scalar may span lines; a plain one may not hold quotes.
            prev = ' ';
            continue;
        }
        if comment {
            continue;
        }
        if let Some(q) = quote {
            if c == '\\' && q == '"' {
                chars.next();
            } else if c == q {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            prev = c;
            continue;
        }
        if at_line_start {
            if c == ' ' {
                indent += 1;
                continue;
            }
            if c == '-' && matches!(chars.peek(), Some(' ' | '\n') | None) {
                dashes += 1;
                indent += 1;
                continue;
            }
            at_line_start = false;
            if c != '#' && flow == 0 {
                // Block structure: one level per distinct deeper indentation.
                while indents.last().is_some_and(|&i| i > indent) {
                    indents.pop();
                }
                if indents.last() != Some(&indent) {
                    indents.push(indent);
                }
                if indents.len() + dashes > MAX_DEPTH {
                    return Err((line, too_deep()));
                }
            }
        }
        match c {
            '#' if prev.is_whitespace() => comment = true,
            '"' | '\'' if matches!(prev, ' ' | '\t' | '[' | '{' | ',' | ':' | '-' | '?') => {
                quote = Some(c)
            }
            '[' | '{' => {
                flow += 1;
                if flow + indents.len() + dashes > MAX_DEPTH {
                    return Err((line, too_deep()));
                }
            }
            ']' | '}' => flow = flow.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    Ok(())
}

/// Why `text` is too big to parse as TOML: `(line, message)`. toml_edit
/// bounds nesting itself; dotted keys are bounded here.
pub(crate) fn check_toml(text: &str) -> Result<(), (usize, String)> {
    check_size(text)?;
    for (i, l) in text.lines().enumerate() {
        // `a.b.c... = 1` or `[a.b.c...]`: each dot is a level of tables.
        let key = l.split(['=', '"', '\'']).next().unwrap_or_default();
        if key.matches('.').count() >= MAX_DEPTH {
            return Err((i + 1, too_deep()));
        }
    }
    Ok(())
}

fn check_size(text: &str) -> Result<(), (usize, String)> {
    if text.len() > MAX_BYTES {
        return Err((
            1,
            format!(
                "too large to read ({} KiB; pyrel reads files up to {} KiB)",
                text.len() / 1024,
                MAX_BYTES / 1024
            ),
        ));
    }
    Ok(())
}

fn too_deep() -> String {
    format!("nested more than {MAX_DEPTH} levels deep; pyrel does not read it")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_documents_pass() {
        let wf = "name: ci\non:\n  push:\n    branches: [main]\njobs:\n  a:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        include: [{os: [a, b]}, {os: \"[\"}]\n    steps:\n      - run: echo '{{' # [[[\n";
        assert_eq!(check_yaml(wf), Ok(()));
        assert_eq!(check_toml("[tool.pyrel]\na.b.c = 1\n"), Ok(()));
    }

    #[test]
    fn deep_flow_nesting_is_refused_at_its_line() {
        let text = format!("a: 1\nb: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let (line, msg) = check_yaml(&text).unwrap_err();
        assert_eq!(line, 2);
        assert!(msg.contains("nested"), "{msg}");
    }

    /// The workflow reader on 200 KB nested 100,000 deep: unreadable at
    /// its line, in under 100 ms even unoptimised (libyaml took 108 s).
    #[test]
    fn a_deep_workflow_is_read_in_milliseconds() {
        let deep = format!(
            "name: build\non: push\njobs:\n  x: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        for text in [deep.clone(), deep.replace('[', "{a: ").replace(']', "}")] {
            let start = std::time::Instant::now();
            let wf = crate::inspect::workflows::analyze(".github/workflows/deep.yml", &text);
            let took = start.elapsed();
            assert!(took < std::time::Duration::from_millis(100), "{took:?}");
            assert_eq!(wf.problems.len(), 1, "{:?}", wf.problems);
            assert!(
                wf.problems[0].starts_with(".github/workflows/deep.yml:4: unreadable YAML"),
                "{:?}",
                wf.problems
            );
        }
    }

    proptest! {
        /// Any nesting up to the limit passes and serde_yaml parses it; one
        /// more level is refused, flow or block alike.
        #[test]
        fn the_limit_is_exact(depth in 1usize..=MAX_DEPTH, block in any::<bool>()) {
            let doc = |d: usize| if block {
                (0..d - 1).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect::<String>()
                    + &format!("{}v: 1\n", " ".repeat(d - 1))
            } else {
                format!("k: {}1{}\n", "[".repeat(d - 1), "]".repeat(d - 1))
            };
            let ok = doc(depth);
            prop_assert_eq!(check_yaml(&ok), Ok(()));
            let deeper = doc(MAX_DEPTH + 1);
            prop_assert!(check_yaml(&deeper).is_err());
        }

        /// Never panics, and time is linear: arbitrary text (quotes,
        /// brackets, comments) is checked without error or hang.
        #[test]
        fn arbitrary_text_never_panics(s in "[\\[\\]{}'\"#: \\n\\\\a-]{0,2000}") {
            let _ = check_yaml(&s);
            let _ = check_toml(&s);
        }

        #[test]
        fn size_limit(extra in 1usize..1000) {
            let big = "a".repeat(MAX_BYTES + extra);
            prop_assert!(check_yaml(&big).is_err());
            prop_assert!(check_toml(&big).is_err());
        }
    }
}
