//! `__version_info__ = (0, 2, 2)` next to `__version__`: a tuple spelling of
//! the same version that releases forget as easily as the string.
//!
//! Shapes read (and written back by `pyrel bump` in the same shape): release
//! numbers, optionally followed by PEP 440 labels (`(1, 2, 0, "rc", 1)`,
//! `(1, 2, 0, "post", 1)`, `(1, 2, 0, "dev", 3)`), or the `sys.version_info`
//! shape `(1, 2, 0, "candidate", 1)` / `(1, 2, 0, "final", 0)`. A tuple
//! computed from `__version__` (`tuple(int(x) for x in ...)`) follows it on
//! its own and is not a separate source.

use std::ops::Range;

use super::{Locator, VersionSource};
use crate::version::{self, TupleItem};

/// The variable pyrel looks for beside `__version__`.
pub(crate) const VARIABLE: &str = "__version_info__";

/// A literal tuple assignment, with where its parts are in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TupleLiteral {
    pub items: Vec<TupleItem>,
    /// The text between the parentheses.
    pub inner: Range<usize>,
    /// From the first item's start to the last item's end (so whitespace
    /// and a trailing comma around them are kept on rewrite).
    pub items_span: Range<usize>,
    /// The separator between the first two items (`", "`), if there are two.
    pub separator: Option<String>,
    /// The quote character of the first string item, if any.
    pub quote: Option<char>,
}

/// The first top-level `<variable> = (...)` (an annotation is allowed).
/// `None` when the variable is absent or not assigned a literal tuple of
/// integers and strings.
pub(crate) fn find(text: &str, variable: &str) -> Option<TupleLiteral> {
    let value_start = assignment(text, variable)?;
    if !text[value_start..].starts_with('(') {
        return None;
    }
    let inner_start = value_start + 1;
    let close = text[inner_start..].find(')')? + inner_start;
    parse_inner(text, inner_start..close)
}

/// Where the value of the first top-level `<variable> = ...` (an annotation
/// `<variable>: T = ...` is allowed) starts, after the `=` and any spaces.
/// `None` when the first line naming the variable is not such an assignment.
pub(crate) fn assignment(text: &str, variable: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(rest) = line.strip_prefix(variable) else {
            continue;
        };
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let eq = rest.find('=')?;
        let head = rest[..eq].trim();
        if !head.is_empty() && !head.starts_with(':') {
            return None;
        }
        let after = &rest[eq + 1..];
        let spaces = after.len() - after.trim_start().len();
        return Some(start + variable.len() + eq + 1 + spaces);
    }
    None
}

fn parse_inner(text: &str, inner: Range<usize>) -> Option<TupleLiteral> {
    let body = &text[inner.clone()];
    let mut items = Vec::new();
    let mut quote = None;
    let mut separator = None;
    let mut pos = 0;
    let mut first_start = None;
    let mut last_end = 0;
    let bytes = body.as_bytes();
    let skip_ws = |p: &mut usize| {
        while *p < bytes.len() && bytes[*p].is_ascii_whitespace() {
            *p += 1;
        }
    };
    skip_ws(&mut pos);
    while pos < bytes.len() {
        first_start.get_or_insert(pos);
        let c = bytes[pos] as char;
        if c == '"' || c == '\'' {
            let end = body[pos + 1..].find(c)? + pos + 1;
            let s = &body[pos + 1..end];
            if s.contains('\\') || s.contains('\n') {
                return None;
            }
            quote.get_or_insert(c);
            items.push(TupleItem::Str(s.to_string()));
            pos = end + 1;
        } else if c.is_ascii_digit() {
            let end = body[pos..]
                .find(|ch: char| !ch.is_ascii_digit() && ch != '_')
                .map_or(body.len(), |e| e + pos);
            items.push(TupleItem::Int(
                body[pos..end].replace('_', "").parse().ok()?,
            ));
            pos = end;
        } else {
            return None;
        }
        let sep_start = pos;
        last_end = pos;
        skip_ws(&mut pos);
        if pos >= bytes.len() {
            break;
        }
        if bytes[pos] != b',' {
            return None;
        }
        pos += 1;
        skip_ws(&mut pos);
        if pos < bytes.len() && separator.is_none() {
            separator = Some(body[sep_start..pos].to_string());
        }
    }
    if items.is_empty() {
        return None;
    }
    let base = inner.start;
    Some(TupleLiteral {
        items,
        items_span: base + first_start.unwrap_or(0)..base + last_end,
        inner,
        separator,
        quote,
    })
}

/// `__version_info__` sources in the files where `__version__` was found.
pub(crate) fn beside(
    repo_root: &std::path::Path,
    sources: &[VersionSource],
    warnings: &mut Vec<String>,
) -> crate::error::Result<Vec<VersionSource>> {
    let mut out = Vec::new();
    for s in sources {
        let Locator::Python { variable } = &s.locator else {
            continue;
        };
        if variable != "__version__" || out.iter().any(|o: &VersionSource| o.file == s.file) {
            continue;
        }
        let Some((text, _)) = super::pyversion::read_python(&repo_root.join(&s.file), &s.file)?
        else {
            continue;
        };
        let Some(tuple) = find(&text, VARIABLE) else {
            continue;
        };
        match version::from_tuple(&tuple.items) {
            Some(v) => out.push(VersionSource {
                file: s.file.clone(),
                value: v.to_string(),
                locator: Locator::PythonTuple {
                    variable: VARIABLE.into(),
                },
            }),
            None => warnings.push(format!(
                "{}: `{VARIABLE}` is a tuple pyrel cannot read as a version; keep it in step by hand",
                s.file
            )),
        }
    }
    Ok(out)
}

/// The contents (between the quotes) of the first top-level
/// `<variable> = "..."` (annotation allowed), as `inspect` reads it.
pub(crate) fn python_string_span(text: &str, variable: &str) -> Option<Range<usize>> {
    let value = assignment(text, variable)?;
    let quote = text[value..].chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let inner_start = value + 1;
    let end = text[inner_start..].find(quote)? + inner_start;
    if text[inner_start..end].contains('\n') {
        return None;
    }
    Some(inner_start..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TupleItem::{Int, Str};

    #[test]
    fn reads_literal_tuples() {
        let text = "__version__ = \"0.2.2\"\n__version_info__ = (0, 2, 2)\n";
        let t = find(text, VARIABLE).unwrap();
        assert_eq!(t.items, [Int(0), Int(2), Int(2)]);
        assert_eq!(&text[t.inner.clone()], "0, 2, 2");
        assert_eq!(&text[t.items_span.clone()], "0, 2, 2");
        assert_eq!(t.separator.as_deref(), Some(", "));

        let t = find("__version_info__: tuple = ( 1,2,0,'rc',1, )\n", VARIABLE).unwrap();
        assert_eq!(t.items, [Int(1), Int(2), Int(0), Str("rc".into()), Int(1)]);
        assert_eq!(t.quote, Some('\''));
        assert_eq!(t.separator.as_deref(), Some(","));
        assert_eq!(t.items_span.len(), "1,2,0,'rc',1".len());

        assert_eq!(
            find(
                "__version_info__ = tuple(int(p) for p in __version__.split('.'))\n",
                VARIABLE
            ),
            None
        );
        assert_eq!(find("__version_info__ = (x, 2)\n", VARIABLE), None);
        assert_eq!(find("__version_info__x = (1, 2)\n", VARIABLE), None);
        assert_eq!(find("    __version_info__ = (1, 2)\n", VARIABLE), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
        /// Arbitrary module text never panics the readers, and whatever is
        /// found lies inside the text.
        #[test]
        fn readers_never_panic(
            text in "(__version_info__|__version__|[ =:(),'\"0-9a-z_\n\u{a0}\u{85}é]){0,40}"
        ) {
            if let Some(t) = find(&text, VARIABLE) {
                proptest::prop_assert!(t.items_span.end <= text.len());
                proptest::prop_assert!(t.inner.start <= t.items_span.start);
            }
            if let Some(span) = python_string_span(&text, "__version__") {
                proptest::prop_assert!(span.end <= text.len());
            }
        }
    }

    #[test]
    fn multi_line_tuples_are_read() {
        let text = "__version_info__ = (\n    1,\n    2,\n    0,\n)\n";
        let t = find(text, VARIABLE).unwrap();
        assert_eq!(t.items, [Int(1), Int(2), Int(0)]);
        assert_eq!(t.separator.as_deref(), Some(",\n    "));
    }
}
