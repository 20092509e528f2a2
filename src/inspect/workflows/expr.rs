//! GitHub expressions and matrices, as far as a reader can resolve them
//! without running anything: `${{ matrix.a.b }}` against one matrix row,
//! `${{ env.X }}` against workflow/job `env:`; everything else is reported
//! as unresolvable, never guessed.

use serde_yaml::{Mapping, Value};

/// More rows than this and the matrix is not expanded (reported instead).
pub(crate) const MAX_ROWS: usize = 512;

/// One expanded matrix combination.
pub(crate) type Row = Mapping;

/// The value of `key` in a mapping, if the value is a mapping key string.
pub(crate) fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_mapping()?.get(Value::String(key.to_string()))
}

/// A scalar as text (strings, numbers, booleans); `3.10` stays `3.1` only if
/// the author wrote it unquoted, as YAML would for GitHub too.
pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Expand `strategy.matrix` into rows: the cartesian product of its list
/// keys, then `include:` (merged into matching rows or added) and
/// `exclude:`. `Err` when the matrix is itself an expression or too large.
pub(crate) fn expand(matrix: &Value) -> Result<Vec<Row>, String> {
    let Some(map) = matrix.as_mapping() else {
        return match matrix {
            Value::Null => Ok(vec![Row::new()]),
            Value::String(s) => Err(format!("matrix is an expression pyrel cannot resolve: {s}")),
            _ => Err("matrix is not a mapping".into()),
        };
    };
    let mut rows = vec![Row::new()];
    let mut include = Vec::new();
    let mut exclude = Vec::new();
    for (k, v) in map {
        let Some(key) = k.as_str() else { continue };
        match key {
            "include" => include = v.as_sequence().cloned().unwrap_or_default(),
            "exclude" => exclude = v.as_sequence().cloned().unwrap_or_default(),
            _ => {
                let values = match v {
                    Value::Sequence(s) => s.clone(),
                    Value::String(s) if s.contains("${{") => {
                        return Err(format!(
                            "matrix key `{key}` is an expression pyrel cannot resolve: {s}"
                        ))
                    }
                    other => vec![other.clone()],
                };
                if rows.len().saturating_mul(values.len().max(1)) > MAX_ROWS {
                    return Err(format!(
                        "matrix has more than {MAX_ROWS} combinations; not expanded"
                    ));
                }
                let mut next = Vec::new();
                for row in &rows {
                    for value in &values {
                        let mut r = row.clone();
                        r.insert(Value::String(key.to_string()), value.clone());
                        next.push(r);
                    }
                }
                rows = next;
            }
        }
    }
    let base_keys: Vec<Value> = rows
        .first()
        .map(|r| r.keys().cloned().collect())
        .unwrap_or_default();
    if base_keys.is_empty() && !include.is_empty() {
        rows.clear();
    }
    rows.retain(|row| !exclude.iter().any(|e| matches(row, e)));
    for inc in include {
        let Some(inc) = inc.as_mapping() else {
            continue;
        };
        // GitHub: an include entry extends every row whose original values it
        // does not overwrite; if it extends none, it is a new row.
        let mut merged = false;
        if !base_keys.is_empty() {
            for row in rows.iter_mut() {
                let compatible = inc
                    .iter()
                    .filter(|(k, _)| base_keys.contains(k))
                    .all(|(k, v)| row.get(k) == Some(v));
                if compatible {
                    for (k, v) in inc {
                        if !base_keys.contains(k) {
                            row.insert(k.clone(), v.clone());
                        }
                    }
                    merged = true;
                }
            }
        }
        if !merged {
            rows.push(inc.clone());
        }
        if rows.len() > MAX_ROWS {
            return Err(format!(
                "matrix has more than {MAX_ROWS} combinations; not expanded"
            ));
        }
    }
    if rows.is_empty() {
        rows.push(Row::new());
    }
    Ok(rows)
}

fn matches(row: &Row, pattern: &Value) -> bool {
    let Some(p) = pattern.as_mapping() else {
        return false;
    };
    p.iter().all(|(k, v)| match (row.get(k), v) {
        (Some(rv), Value::Mapping(_)) => matches(rv.as_mapping().unwrap_or(&Row::new()), v),
        (Some(rv), v) => rv == v,
        (None, _) => false,
    })
}

/// Resolve every `${{ ... }}` in `text` against the row and env; `Err` names
/// the first expression that cannot be resolved.
pub(crate) fn resolve(text: &str, row: &Row, env: &Mapping) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else {
            return Err(format!("unterminated expression in {text:?}"));
        };
        let inner = after[..end].trim();
        out.push_str(&lookup(inner, row, env).ok_or_else(|| format!("${{{{ {inner} }}}}"))?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn lookup(expr: &str, row: &Row, env: &Mapping) -> Option<String> {
    let mut parts = expr.split('.');
    let (root, first) = (parts.next()?, parts.next()?);
    let value = match root {
        "matrix" => row.get(Value::String(first.to_string()))?,
        "env" => env.get(Value::String(first.to_string()))?,
        _ => return None,
    };
    let mut value = value.clone();
    for p in parts {
        value = get(&value, p)?.clone();
    }
    match &value {
        Value::Sequence(s) => Some(s.iter().filter_map(scalar).collect::<Vec<_>>().join(" ")),
        v => scalar(v),
    }
}

/// Split a command line the way a POSIX shell would for plain words and
/// quotes (no expansion).
pub(crate) fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    if n != '\n' {
                        cur.push(n);
                        any = true;
                    }
                }
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Value {
        serde_yaml::from_str(s).unwrap()
    }

    #[test]
    fn expands_product_include_exclude() {
        let rows = expand(&yaml(
            "os: [a, b]\npy: ['3.9', '3.10']\nexclude: [{os: b, py: '3.9'}]\ninclude: [{os: a, extra: x}, {os: c, py: '3.13'}]",
        ))
        .unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(rows.iter().filter(|r| r.get("extra").is_some()).count(), 2);
        assert!(rows.iter().any(|r| r.get("os") == Some(&yaml("c"))));
    }

    #[test]
    fn include_only_and_nested_lookup() {
        let rows = expand(&yaml(
            "platform:\n  - {runner: ubuntu-22.04, target: x86_64}\n  - {runner: windows-latest, target: x64}",
        ))
        .unwrap();
        assert_eq!(rows.len(), 2);
        let env = Mapping::new();
        assert_eq!(
            resolve(
                "${{ matrix.platform.target }}-${{matrix.platform.runner}}",
                &rows[1],
                &env
            )
            .unwrap(),
            "x64-windows-latest"
        );
        assert!(resolve("${{ inputs.x }}", &rows[0], &env).is_err());
        let rows = expand(&yaml("include: [{target: a}, {target: b}]")).unwrap();
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn huge_matrices_are_refused_not_expanded() {
        let list: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        let l = list.join(", ");
        let err = expand(&yaml(&format!("a: [{l}]\nb: [{l}]\nc: [{l}]"))).unwrap_err();
        assert!(err.contains("more than"), "{err}");
    }

    #[test]
    fn splits_words() {
        assert_eq!(
            split_words("--release -i 3.9 '3.10' --features \"a b\""),
            vec!["--release", "-i", "3.9", "3.10", "--features", "a b"]
        );
    }
}
