//! Escaping by construction: templates never splice a raw value into YAML or
//! Markdown. Each filter turns any string into a token that parses back to
//! exactly that string.

use minijinja::{Error, ErrorKind};

/// A YAML double-quoted scalar. Everything outside printable ASCII and
/// ordinary Unicode letters is escaped, including the characters YAML 1.1
/// treats as line breaks (NEL, LS, PS) and the BOM.
pub(crate) fn yaml(value: &str) -> Result<String, Error> {
    if value.contains("${{") {
        // Validation rejects these earlier; this keeps a template mistake from
        // ever shipping an expression.
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            "refusing to render a value containing `${{`",
        ));
    }
    Ok(yaml_quote(value))
}

pub(crate) fn yaml_quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let n = c as u32;
                if n <= 0xFFFF {
                    out.push_str(&format!("\\u{n:04X}"));
                } else {
                    out.push_str(&format!("\\U{n:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{85}')
        || ('\u{FFF0}'..='\u{FFFF}').contains(&c)
}

/// A literal block scalar's body (`key: |` on the line before), each line
/// indented by `indent` spaces, for data that reads better on several lines
/// (the gate's plan). Only what a block scalar keeps verbatim is accepted:
/// no `${{` (GitHub would evaluate it), no carriage return, YAML line break
/// (NEL, LS, PS), BOM or other control character but the newline, and no
/// leading space on the first line (it would set the indentation).
pub(crate) fn yaml_block(value: &str, indent: usize) -> Result<String, Error> {
    let refuse = |why: &str| {
        Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("refusing to render a block scalar {why}"),
        ))
    };
    if value.contains("${{") {
        return refuse("containing `${{`");
    }
    if value.chars().any(|c| c != '\n' && needs_escape(c)) {
        return refuse("with a control or line-break character");
    }
    if value.starts_with([' ', '\t']) || value.trim().is_empty() {
        return refuse("that is empty or starts with whitespace");
    }
    let pad = " ".repeat(indent);
    Ok(value
        .trim_end_matches('\n')
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n"))
}

/// A GitHub Actions expression string literal (`'v'`). Only the characters
/// a validated tag prefix may hold are accepted, so the literal can sit in a
/// plain YAML scalar without quoting.
pub(crate) fn gh_literal(value: &str) -> Result<String, Error> {
    if !value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
    {
        return Err(Error::new(
            ErrorKind::InvalidOperation,
            format!("refusing to put {value:?} into an expression"),
        ));
    }
    Ok(format!("'{value}'"))
}

/// Markdown inline code that shows `value` verbatim: the fence is one
/// backtick longer than the longest run inside, per CommonMark.
pub(crate) fn code(value: &str) -> String {
    let one_line = value.replace(['\n', '\r'], " ");
    let longest = longest_run(&one_line, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if one_line.starts_with('`') || one_line.ends_with('`') || one_line.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{one_line}{pad}{fence}")
}

/// A fenced code block (```` ```lang ````) that cannot be closed early by the
/// content.
pub(crate) fn code_block(value: &str, lang: Option<&str>) -> String {
    let fence = "`".repeat(longest_run(value, '`').max(2) + 1);
    let body = value.trim_end_matches('\n');
    format!("{fence}{}\n{body}\n{fence}", lang.unwrap_or(""))
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// Plain Markdown text with every punctuation character that could start
/// markup backslash-escaped.
pub(crate) fn md(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.replace(['\n', '\r'], " ").chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> String {
        let doc = format!("k: {}\n", yaml_quote(s));
        let v: serde_yaml::Value = serde_yaml::from_str(&doc).unwrap();
        v["k"].as_str().unwrap().to_string()
    }

    #[test]
    fn yaml_block_keeps_data_verbatim_and_refuses_what_it_would_not() {
        let data = "{\n  \"a\": \"#b: c\",\n  \"d\": [\"- e\", \"'f'\"]\n}";
        let doc = format!("k: |\n{}\nnext: 1\n", yaml_block(data, 2).unwrap());
        let v: serde_yaml::Value = serde_yaml::from_str(&doc).unwrap();
        assert_eq!(v["k"].as_str().unwrap(), format!("{data}\n"));
        assert_eq!(v["next"].as_u64(), Some(1));
        for bad in [
            "${{ github.token }}",
            "a\rb",
            "a\u{85}b",
            "a\u{2028}b",
            "\u{feff}a",
            " a",
            "\ta",
            "",
        ] {
            assert!(yaml_block(bad, 2).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn yaml_roundtrips_awkward_strings() {
        for s in [
            "plain",
            "a: b",
            "#c",
            "'q'",
            "\"dq\"",
            "back\\slash",
            "new\nline",
            "tab\there",
            "\u{85}nel",
            "\u{2028}ls",
            "\u{feff}bom",
            "emoji 🐍",
            "- x",
            "",
            "yes",
            "null",
            "0x10",
            "{a: 1}",
            "[1]",
            "*alias",
            "&anchor",
            "!tag",
            "%d",
            "@x",
            "`y`",
        ] {
            assert_eq!(roundtrip(s), s, "{s:?}");
        }
    }

    #[test]
    fn yaml_refuses_expressions() {
        assert!(yaml("${{ secrets.X }}").is_err());
    }

    #[test]
    fn code_spans_cannot_be_closed_by_content() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(
            code_block("a\n```\nb", Some("sh")),
            "````sh\na\n```\nb\n````"
        );
    }

    #[test]
    fn md_escapes_markup() {
        assert_eq!(md("a_b *c* [d](e)"), "a\\_b \\*c\\* \\[d\\]\\(e\\)");
    }
}
