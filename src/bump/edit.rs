//! Span edits: each replaces exactly the bytes of one version value and keeps
//! every other byte of the file (quotes, comments, spacing, line endings).

use std::ops::Range;

use toml_edit::{Document, Item};

use crate::inspect::pytuple;
use crate::version::{self, Pep440, TupleItem, TupleShape};

/// Why an edit could not be made (the caller adds the file name).
pub(crate) type EditResult<T> = Result<T, String>;

/// Replace the string at `key` in a TOML document, keeping its quote style.
pub(crate) fn toml_string(text: &str, key: &[String], new: &str) -> EditResult<String> {
    let doc = Document::parse(text.to_string()).map_err(|e| e.message().trim().to_string())?;
    let mut item: &Item = doc.as_item();
    for k in key {
        item = item
            .get(k)
            .ok_or_else(|| format!("`{}` not found", key.join(".")))?;
    }
    let value = item
        .as_value()
        .filter(|v| v.is_str())
        .ok_or_else(|| format!("`{}` is not a string", key.join(".")))?;
    let span = value
        .span()
        .ok_or_else(|| format!("`{}` has no position", key.join(".")))?;
    let old = &text[span.clone()];
    let quoted = requote(old, new)?;
    let out = splice(text, span, &quoted);
    // Read it back: the edit must have changed exactly that value.
    let check = Document::parse(out.clone()).map_err(|e| e.message().trim().to_string())?;
    let mut item = check.as_item();
    for k in key {
        item = item.get(k).ok_or("the edited value vanished")?;
    }
    if item.as_str() != Some(new) {
        return Err(format!("`{}` did not read back as {new:?}", key.join(".")));
    }
    Ok(out)
}

/// `new` in the same kind of quotes as `old` (`"..."` or `'...'`); versions
/// never need escaping.
fn requote(old: &str, new: &str) -> EditResult<String> {
    if old.starts_with("\"\"\"") || old.starts_with("'''") {
        let q = &old[..3];
        return Ok(format!("{q}{new}{q}"));
    }
    match old.chars().next() {
        Some(q @ ('"' | '\'')) => Ok(format!("{q}{new}{q}")),
        _ => Err(format!("unexpected value {old:?}")),
    }
}

fn splice(text: &str, span: Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..span.start]);
    out.push_str(with);
    out.push_str(&text[span.end..]);
    out
}

// The one reader of a Python string assignment lives beside the tuple reader.
pub(crate) use crate::inspect::pytuple::python_string_span;

pub(crate) fn python_string(text: &str, variable: &str, new: &str) -> EditResult<String> {
    let span = python_string_span(text, variable)
        .ok_or_else(|| format!("no literal `{variable} = \"...\"` found"))?;
    Ok(splice(text, span, new))
}

/// Rewrite a `__version_info__`-style tuple in its own shape and format:
/// same separator, same quotes, same surrounding whitespace and trailing comma.
pub(crate) fn python_tuple(text: &str, variable: &str, new: &Pep440) -> EditResult<String> {
    let tuple = pytuple::find(text, variable)
        .ok_or_else(|| format!("no literal `{variable} = (...)` found"))?;
    let shape = TupleShape::of(&tuple.items);
    let width = tuple
        .items
        .iter()
        .take_while(|i| matches!(i, TupleItem::Int(_)))
        .count();
    let items = version::to_tuple(new, shape, width).map_err(|e| format!("`{variable}`: {e}"))?;
    let sep = tuple.separator.as_deref().unwrap_or(", ");
    let quote = tuple.quote.unwrap_or('"');
    let body = items
        .iter()
        .map(|i| match i {
            TupleItem::Int(n) => n.to_string(),
            TupleItem::Str(s) => format!("{quote}{s}{quote}"),
        })
        .collect::<Vec<_>>()
        .join(sep);
    // A one-element tuple needs its comma; `(1)` would be an int.
    let needs_comma =
        items.len() == 1 && !text[tuple.items_span.end..tuple.inner.end].contains(',');
    let body = if needs_comma { body + "," } else { body };
    let out = splice(text, tuple.items_span.clone(), &body);
    match pytuple::find(&out, variable).and_then(|t| version::from_tuple(&t.items)) {
        Some(v) if v == *new => Ok(out),
        _ => Err(format!("`{variable}` did not read back as {new}")),
    }
}

/// A custom hatch pattern: replace the `version` group of its first match
/// (multi-line search, as hatch does).
pub(crate) fn pattern(text: &str, pattern: &str, new: &str) -> EditResult<String> {
    let re = regex::RegexBuilder::new(pattern)
        .multi_line(true)
        .build()
        .map_err(|_| format!("cannot evaluate the version pattern {pattern:?}"))?;
    let span = re
        .captures(text)
        .and_then(|c| c.name("version"))
        .map(|m| m.range())
        .ok_or_else(|| format!("the version pattern {pattern:?} matches nothing"))?;
    Ok(splice(text, span, new))
}

/// The whole (stripped) file is the version: replace the stripped part.
pub(crate) fn text_file(text: &str, new: &str) -> String {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    splice(text, start..end.max(start), new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Vec<String> {
        k.split('.').map(str::to_string).collect()
    }

    #[test]
    fn toml_keeps_every_other_byte() {
        let text = "# top\n[project]\nname = 'x'  # n\nversion   =   '0.1.0'   # the version\n\n[tool.x]\nversion = \"9\"\n";
        let out = toml_string(text, &key("project.version"), "0.2.0rc1").unwrap();
        assert_eq!(out, text.replace("'0.1.0'", "'0.2.0rc1'"));
        let text = "[package]\nname = \"a\"\nversion = \"1.0.0\" # v\r\nedition = \"2021\"\r\n";
        let out = toml_string(text, &key("package.version"), "1.1.0-rc.1").unwrap();
        assert_eq!(out, text.replace("1.0.0", "1.1.0-rc.1"));
        assert!(toml_string("[package]\nversion = 1\n", &key("package.version"), "1").is_err());
        assert!(toml_string("[package]\n", &key("package.version"), "1").is_err());
    }

    #[test]
    fn python_strings_keep_their_quotes_and_annotations() {
        let text = "\"\"\"doc\"\"\"\n__version__: str = '0.1.0'  # bump me\nx = 1\n";
        let out = python_string(text, "__version__", "0.2.0").unwrap();
        assert_eq!(out, text.replace("0.1.0", "0.2.0"));
        assert!(python_string("__version__ = get()\n", "__version__", "1").is_err());
        assert!(python_string("__version_info__ = '1'\n", "__version__", "1").is_err());
    }

    #[test]
    fn tuples_keep_their_shape() {
        let v = |s: &str| version::parse(s).unwrap();
        let text = "__version__ = \"0.2.2\"\n__version_info__ = (0, 2, 2)\n";
        let out = python_tuple(text, "__version_info__", &v("0.3.0rc1")).unwrap();
        assert_eq!(
            out,
            "__version__ = \"0.2.2\"\n__version_info__ = (0, 3, 0, \"rc\", 1)\n"
        );
        let back = python_tuple(&out, "__version_info__", &v("0.3.0")).unwrap();
        assert_eq!(back, text.replace("0, 2, 2", "0, 3, 0"));

        let sys = "__version_info__ = (1, 2, 0, 'final', 0)\n";
        let out = python_tuple(sys, "__version_info__", &v("1.3.0b2")).unwrap();
        assert_eq!(
            out,
            "__version_info__ = (1, 2, 0, 'beta', 2)\n".replace("2, 0, 'beta'", "3, 0, 'beta'")
        );
        assert!(python_tuple(sys, "__version_info__", &v("1.3.0.dev1"))
            .unwrap_err()
            .contains("sys.version_info"));

        let multi = "__version_info__ = (\n    1,\n    2,\n    0,\n)\n";
        let out = python_tuple(multi, "__version_info__", &v("1.2.1")).unwrap();
        assert_eq!(out, "__version_info__ = (\n    1,\n    2,\n    1,\n)\n");
    }

    #[test]
    fn patterns_replace_their_version_group() {
        let text = "NAME = \"x\"\nRELEASE = \"0.9.0\"  # keep\n";
        assert_eq!(
            pattern(text, "^RELEASE = \"(?P<version>[^\"]+)\"", "1.0.0").unwrap(),
            "NAME = \"x\"\nRELEASE = \"1.0.0\"  # keep\n"
        );
    }

    /// Survivors of mutation testing: triple-quoted TOML strings keep their
    /// quotes, a one-element tuple keeps its comma.
    #[test]
    fn edges_keep_their_spelling() {
        for q in ["\"\"\"", "'''", "'"] {
            let text = format!("[project]\nversion = {q}0.1.0{q}\n");
            let out = toml_string(&text, &key("project.version"), "0.2.0").unwrap();
            assert_eq!(out, text.replace("0.1.0", "0.2.0"), "{q}");
        }
        let v = |s: &str| version::parse(s).unwrap();
        for text in ["V = (1,)\n", "V = (1, )\n", "V = ( 1 ,)\n"] {
            let out = python_tuple(text, "V", &v("2")).unwrap();
            assert_eq!(out, text.replace('1', "2"), "{text}");
        }
        // Read as a one-element tuple, written as one: `(2)` would be an int.
        assert_eq!(
            python_tuple("V = (1)\n", "V", &v("2")).unwrap(),
            "V = (2,)\n"
        );
    }

    #[test]
    fn text_files_keep_their_whitespace() {
        assert_eq!(text_file("1.0.0\n", "1.1.0"), "1.1.0\n");
        assert_eq!(text_file("  1.0.0 \n\n", "2.0.0"), "  2.0.0 \n\n");
    }
}
