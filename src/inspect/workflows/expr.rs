//! GitHub expressions and matrices, as far as a reader can resolve them
//! without running anything. `${{ }}` is parsed and evaluated as GitHub
//! does (literals, `||`, `&&`, `!`, comparisons with GitHub's loose
//! equality, `contains`, `startsWith`, `endsWith`, `format`, `join`,
//! `fromJSON`, `toJSON`, property access and indexes) against one matrix
//! row, the `env:` of the workflow/job/step and a reusable workflow's
//! `inputs`. Everything that depends on the run (`github.*`, `secrets.*`,
//! `vars.*`, `steps.*`, an env variable no `env:` sets, a matrix key the
//! matrix does not define) is *unknown*, and an unknown value is never
//! guessed: `resolve` returns `Err` naming the expression.
//!
//! Source of the semantics: GitHub's "Evaluate expressions in workflows and
//! actions" reference (operators, loose equality, falsy values, functions).

use serde_yaml::{Mapping, Value};

/// More rows than this and the matrix is not expanded (reported instead).
pub(crate) const MAX_ROWS: usize = 512;

/// One expanded matrix combination. Keys the matrix defines in other rows
/// but not in this one are present with a `Null` value (GitHub evaluates
/// them to an empty string); keys no row defines are absent (unknown).
pub(crate) type Row = Mapping;

/// Everything an expression in one step can see.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub row: &'a Row,
    pub env: &'a Mapping,
    /// A reusable workflow's `inputs`, as its caller passes them.
    pub inputs: Option<&'a Mapping>,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(row: &'a Row, env: &'a Mapping) -> Scope<'a> {
        Scope {
            row,
            env,
            inputs: None,
        }
    }
}

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
#[cfg(test)]
pub(crate) fn expand(matrix: &Value, env: &Mapping) -> Result<Vec<Row>, String> {
    expand_in(matrix, &Scope::new(&Row::new(), env))
}

/// `expand` with the scope's `env` and `inputs` for matrix values written
/// as expressions (`${{ fromJSON(inputs.targets) }}`).
pub(crate) fn expand_in(matrix: &Value, scope: &Scope<'_>) -> Result<Vec<Row>, String> {
    let scope = *scope;
    let evaluated;
    let matrix = match matrix {
        Value::String(s) if s.contains("${{") => match evaluate(s, &scope).to_yaml() {
            Some(v) => {
                evaluated = v;
                &evaluated
            }
            None => return Err(format!("matrix is an expression pyrel cannot resolve: {s}")),
        },
        m => m,
    };
    let Some(map) = matrix.as_mapping() else {
        return match matrix {
            Value::Null => Ok(vec![Row::new()]),
            _ => Err("matrix is not a mapping".into()),
        };
    };
    let mut rows = vec![Row::new()];
    let mut include = Value::Null;
    let mut exclude = Value::Null;
    for (k, v) in map {
        let Some(key) = k.as_str() else { continue };
        match key {
            "include" => include = v.clone(),
            "exclude" => exclude = v.clone(),
            _ => {
                let values = key_values(key, v, &scope)?;
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
    let include = entry_list(include, "include", &scope)?;
    let exclude = entry_list(exclude, "exclude", &scope)?;
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
    fill_missing_keys(&mut rows);
    Ok(rows)
}

/// The values of one matrix key: a list, one value, or an expression
/// giving either.
fn key_values(key: &str, v: &Value, scope: &Scope<'_>) -> Result<Vec<Value>, String> {
    Ok(match v {
        Value::Sequence(s) => s.clone(),
        Value::String(s) if s.contains("${{") => match evaluate(s, scope).to_yaml() {
            Some(Value::Sequence(s)) => s,
            Some(other) => vec![other],
            None => {
                return Err(format!(
                    "matrix key `{key}` is an expression pyrel cannot resolve: {s}"
                ))
            }
        },
        other => vec![other.clone()],
    })
}

/// `include:` or `exclude:`: a list, possibly written as an expression.
fn entry_list(v: Value, what: &str, scope: &Scope<'_>) -> Result<Vec<Value>, String> {
    match v {
        Value::Sequence(s) => Ok(s),
        Value::Null => Ok(Vec::new()),
        Value::String(s) if s.contains("${{") => match evaluate(&s, scope).to_yaml() {
            Some(Value::Sequence(s)) => Ok(s),
            _ => Err(format!(
                "matrix `{what}` is an expression pyrel cannot resolve: {s}"
            )),
        },
        _ => Err(format!("matrix `{what}` is not a list")),
    }
}

/// A key some rows define and others do not is `null` (an empty string)
/// in the others, as on GitHub.
fn fill_missing_keys(rows: &mut [Row]) {
    let mut keys: Vec<Value> = Vec::new();
    for r in rows.iter() {
        for k in r.keys() {
            if !keys.contains(k) {
                keys.push(k.clone());
            }
        }
    }
    for r in rows.iter_mut() {
        for k in &keys {
            if !r.contains_key(k) {
                r.insert(k.clone(), Value::Null);
            }
        }
    }
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

/// Resolve every `${{ ... }}` in `text`; `Err` names the first expression
/// whose value is unknown.
pub(crate) fn resolve(text: &str, scope: &Scope<'_>) -> Result<String, String> {
    resolve_depth(text, scope, 0, false)
}

/// `resolve`, but an expression whose value is `null` (a matrix key this
/// row leaves out) is an error too: for a value that decides a platform,
/// GitHub's empty string would silently mean "the runner's own".
pub(crate) fn resolve_strict(text: &str, scope: &Scope<'_>) -> Result<String, String> {
    resolve_depth(text, scope, 0, true)
}

fn resolve_depth(
    text: &str,
    scope: &Scope<'_>,
    depth: usize,
    strict: bool,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let Some(end) = expression_end(after) else {
            return Err(format!("unterminated expression in {text:?}"));
        };
        let inner = after[..end].trim();
        let unknown = || format!("${{{{ {inner} }}}}");
        match evaluate_depth(inner, scope, depth) {
            V::Unknown => return Err(unknown()),
            V::Null if strict => return Err(format!("{} (not set in this matrix row)", unknown())),
            v => out.push_str(&v.interpolate().ok_or_else(unknown)?),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The `}}` closing an expression, skipping string literals.
fn expression_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        match b[i] {
            b'\'' => in_str = !in_str,
            b'}' if !in_str && b.get(i + 1) == Some(&b'}') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The value of a whole `${{ expr }}` (or bare expression) text, keeping
/// its type (arrays and objects for `fromJSON`, matrix objects).
pub(crate) fn evaluate(text: &str, scope: &Scope<'_>) -> V {
    let t = text.trim();
    let inner = t
        .strip_prefix("${{")
        .and_then(|r| r.strip_suffix("}}"))
        .filter(|i| !i.contains("${{"));
    match inner {
        Some(i) => evaluate_depth(i, scope, 0),
        None if t.contains("${{") => match resolve(t, scope) {
            Ok(s) => V::Str(s),
            Err(_) => V::Unknown,
        },
        None => V::Str(t.to_string()),
    }
}

fn evaluate_depth(expr: &str, scope: &Scope<'_>, depth: usize) -> V {
    if depth > 4 || expr.len() > 4096 {
        return V::Unknown;
    }
    let tokens = match tokenize(expr) {
        Some(t) => t,
        None => return V::Unknown,
    };
    let mut p = Parser {
        tokens,
        pos: 0,
        scope,
        depth,
        nesting: 0,
    };
    let v = p.or();
    if p.pos != p.tokens.len() {
        return V::Unknown;
    }
    v
}

/// A value of the expression language; `Unknown` is a value only the run
/// would know.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum V {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<V>),
    Obj(Vec<(String, V)>),
    Unknown,
}

impl V {
    pub(crate) fn from_yaml(v: &Value) -> V {
        match v {
            Value::Null => V::Null,
            Value::Bool(b) => V::Bool(*b),
            Value::Number(n) => n.as_f64().map_or(V::Unknown, V::Num),
            Value::String(s) => V::Str(s.clone()),
            Value::Sequence(s) => V::Arr(s.iter().map(V::from_yaml).collect()),
            Value::Mapping(m) => V::Obj(
                m.iter()
                    .filter_map(|(k, v)| Some((scalar(k)?, V::from_yaml(v))))
                    .collect(),
            ),
            Value::Tagged(_) => V::Unknown,
        }
    }

    fn from_json(v: &serde_json::Value) -> V {
        use serde_json::Value as J;
        match v {
            J::Null => V::Null,
            J::Bool(b) => V::Bool(*b),
            J::Number(n) => n.as_f64().map_or(V::Unknown, V::Num),
            J::String(s) => V::Str(s.clone()),
            J::Array(a) => V::Arr(a.iter().map(V::from_json).collect()),
            J::Object(o) => V::Obj(
                o.iter()
                    .map(|(k, v)| (k.clone(), V::from_json(v)))
                    .collect(),
            ),
        }
    }

    pub(crate) fn to_yaml(&self) -> Option<Value> {
        Some(match self {
            V::Null => Value::Null,
            V::Bool(b) => Value::Bool(*b),
            V::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => Value::Number((*n as i64).into()),
            V::Num(n) => Value::Number((*n).into()),
            V::Str(s) => Value::String(s.clone()),
            V::Arr(a) => Value::Sequence(a.iter().map(V::to_yaml).collect::<Option<_>>()?),
            V::Obj(o) => Value::Mapping(
                o.iter()
                    .map(|(k, v)| Some((Value::String(k.clone()), v.to_yaml()?)))
                    .collect::<Option<_>>()?,
            ),
            V::Unknown => return None,
        })
    }

    fn to_json(&self) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        Some(match self {
            V::Null => J::Null,
            V::Bool(b) => J::Bool(*b),
            V::Num(n) => serde_json::Number::from_f64(*n).map_or(J::Null, J::Number),
            V::Str(s) => J::String(s.clone()),
            V::Arr(a) => J::Array(a.iter().map(V::to_json).collect::<Option<_>>()?),
            V::Obj(o) => J::Object(
                o.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            V::Unknown => return None,
        })
    }

    /// GitHub's truthiness; `None` when unknown.
    fn truthy(&self) -> Option<bool> {
        Some(match self {
            V::Null => false,
            V::Bool(b) => *b,
            V::Num(n) => *n != 0.0 && !n.is_nan(),
            V::Str(s) => !s.is_empty(),
            V::Arr(_) | V::Obj(_) => true,
            V::Unknown => return None,
        })
    }

    fn number(&self) -> f64 {
        match self {
            V::Null => 0.0,
            V::Bool(b) => f64::from(u8::from(*b)),
            V::Num(n) => *n,
            V::Str(s) => {
                let t = s.trim();
                if t.is_empty() {
                    0.0
                } else if let Some(h) = t.strip_prefix("0x") {
                    i64::from_str_radix(h, 16).map_or(f64::NAN, |n| n as f64)
                } else {
                    t.parse().unwrap_or(f64::NAN)
                }
            }
            _ => f64::NAN,
        }
    }

    /// The text `${{ }}` puts in its place. Arrays of scalars are joined
    /// with spaces (lists of interpreters); objects have no text.
    pub(crate) fn interpolate(&self) -> Option<String> {
        Some(match self {
            V::Null => String::new(),
            V::Bool(b) => b.to_string(),
            V::Num(n) => format_number(*n),
            V::Str(s) => s.clone(),
            V::Arr(a) => a
                .iter()
                .map(|v| match v {
                    V::Arr(_) | V::Obj(_) | V::Unknown => None,
                    v => v.interpolate(),
                })
                .collect::<Option<Vec<_>>>()?
                .join(" "),
            V::Obj(_) | V::Unknown => return None,
        })
    }

    fn text(&self) -> Option<String> {
        match self {
            V::Arr(_) => Some("Array".into()),
            V::Obj(_) => Some("Object".into()),
            v => v.interpolate(),
        }
    }

    fn get(&self, key: &V) -> V {
        match (self, key) {
            (V::Unknown, _) | (_, V::Unknown) => V::Unknown,
            (V::Obj(o), k) => {
                let Some(k) = k.text() else { return V::Null };
                o.iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(&k))
                    .map_or(V::Null, |(_, v)| v.clone())
            }
            (V::Arr(a), k) => {
                let n = k.number();
                if n.is_nan() || n < 0.0 {
                    return V::Null;
                }
                a.get(n as usize).cloned().unwrap_or(V::Null)
            }
            _ => V::Null,
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// GitHub's loose equality: same types compare directly (strings ignoring
/// case), different types compare as numbers.
fn loose_eq(a: &V, b: &V) -> Option<bool> {
    Some(match (a, b) {
        (V::Unknown, _) | (_, V::Unknown) => return None,
        (V::Str(x), V::Str(y)) => x.eq_ignore_ascii_case(y),
        (V::Null, V::Null) => true,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Arr(_) | V::Obj(_), _) | (_, V::Arr(_) | V::Obj(_)) => false,
        (x, y) => x.number() == y.number(),
    })
}

fn compare(a: &V, b: &V) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (V::Unknown, _) | (_, V::Unknown) => None,
        (V::Str(x), V::Str(y)) => Some(x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase())),
        (x, y) => x.number().partial_cmp(&y.number()),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Str(String),
    Num(f64),
    Ident(String),
    Op(&'static str),
}

fn tokenize(s: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '\'' {
            let mut text = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return None,
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        text.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(c) => {
                        text.push(*c);
                        i += 1;
                    }
                }
            }
            out.push(Tok::Str(text));
            continue;
        }
        if c.is_ascii_digit() || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let n = if let Some(h) = text.strip_prefix("0x") {
                i64::from_str_radix(h, 16).ok()? as f64
            } else {
                text.parse().ok()?
            };
            out.push(Tok::Num(n));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '-')
            {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let op = match two.as_str() {
            "||" => "||",
            "&&" => "&&",
            "==" => "==",
            "!=" => "!=",
            "<=" => "<=",
            ">=" => ">=",
            _ => match c {
                '!' => "!",
                '<' => "<",
                '>' => ">",
                '(' => "(",
                ')' => ")",
                '[' => "[",
                ']' => "]",
                '.' => ".",
                ',' => ",",
                '*' => "*",
                _ => return None,
            },
        };
        i += op.len();
        out.push(Tok::Op(op));
    }
    Some(out)
}

struct Parser<'s, 'a> {
    tokens: Vec<Tok>,
    pos: usize,
    scope: &'s Scope<'a>,
    depth: usize,
    nesting: usize,
}

impl Parser<'_, '_> {
    fn peek_op(&self, op: &str) -> bool {
        matches!(self.tokens.get(self.pos), Some(Tok::Op(o)) if *o == op)
    }

    fn eat(&mut self, op: &str) -> bool {
        if self.peek_op(op) {
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
            left = match left.truthy() {
                Some(true) => left,
                Some(false) => right,
                None => V::Unknown,
            };
        }
        left
    }

    fn and(&mut self) -> V {
        let mut left = self.equality();
        while self.eat("&&") {
            let right = self.equality();
            left = match left.truthy() {
                Some(false) => left,
                Some(true) => right,
                None => V::Unknown,
            };
        }
        left
    }

    fn equality(&mut self) -> V {
        let mut left = self.comparison();
        loop {
            let ne = if self.eat("==") {
                false
            } else if self.eat("!=") {
                true
            } else {
                return left;
            };
            let right = self.comparison();
            left = match loose_eq(&left, &right) {
                Some(eq) => V::Bool(eq != ne),
                None => V::Unknown,
            };
        }
    }

    fn comparison(&mut self) -> V {
        let mut left = self.unary();
        loop {
            let op = ["<=", ">=", "<", ">"].into_iter().find(|o| self.peek_op(o));
            let Some(op) = op else { return left };
            self.pos += 1;
            let right = self.unary();
            left = match compare(&left, &right) {
                None if matches!(left, V::Unknown) || matches!(right, V::Unknown) => V::Unknown,
                None => V::Bool(false),
                Some(o) => V::Bool(match op {
                    "<" => o.is_lt(),
                    "<=" => o.is_le(),
                    ">" => o.is_gt(),
                    _ => o.is_ge(),
                }),
            };
        }
    }

    fn unary(&mut self) -> V {
        if self.eat("!") {
            return match self.unary().truthy() {
                Some(b) => V::Bool(!b),
                None => V::Unknown,
            };
        }
        self.postfix()
    }

    fn postfix(&mut self) -> V {
        let mut v = self.primary();
        loop {
            if self.eat(".") {
                match self.tokens.get(self.pos).cloned() {
                    Some(Tok::Ident(name)) => {
                        self.pos += 1;
                        v = v.get(&V::Str(name));
                    }
                    // `a.*.b` object filters: not resolved.
                    Some(Tok::Op("*")) => {
                        self.pos += 1;
                        v = V::Unknown;
                    }
                    _ => return self.fail(),
                }
            } else if self.eat("[") {
                let key = self.or();
                if !self.eat("]") {
                    return self.fail();
                }
                v = v.get(&key);
            } else {
                return v;
            }
        }
    }

    fn fail(&mut self) -> V {
        self.pos = self.tokens.len() + 1;
        V::Unknown
    }

    fn primary(&mut self) -> V {
        let Some(tok) = self.tokens.get(self.pos).cloned() else {
            return self.fail();
        };
        self.pos += 1;
        match tok {
            Tok::Str(s) => V::Str(s),
            Tok::Num(n) => V::Num(n),
            Tok::Op("(") => {
                self.nesting += 1;
                if self.nesting > 32 {
                    return self.fail();
                }
                let v = self.or();
                self.nesting -= 1;
                if !self.eat(")") {
                    return self.fail();
                }
                v
            }
            Tok::Ident(name) => {
                if self.eat("(") {
                    let mut args = Vec::new();
                    if !self.eat(")") {
                        loop {
                            self.nesting += 1;
                            if self.nesting > 32 {
                                return self.fail();
                            }
                            args.push(self.or());
                            self.nesting -= 1;
                            if self.eat(")") {
                                break;
                            }
                            if !self.eat(",") {
                                return self.fail();
                            }
                        }
                    }
                    return call(&name, &args);
                }
                match name.as_str() {
                    "true" => V::Bool(true),
                    "false" => V::Bool(false),
                    "null" => V::Null,
                    "NaN" => V::Num(f64::NAN),
                    "Infinity" => V::Num(f64::INFINITY),
                    _ => self.context(&name),
                }
            }
            Tok::Op(_) => self.fail(),
        }
    }

    /// A context root. Only `matrix`, `env` and `inputs` are known here;
    /// the rest (`github`, `secrets`, `vars`, `steps`, `needs`, `runner`,
    /// `job`, `strategy`) depend on the run.
    fn context(&mut self, name: &str) -> V {
        match name {
            "matrix" => {
                let Some(Tok::Ident(key)) = self.peek_member() else {
                    // `matrix` as a whole, or `matrix[...]`: as an object.
                    return V::from_yaml(&Value::Mapping(self.scope.row.clone()));
                };
                self.pos += 2;
                match self
                    .scope
                    .row
                    .iter()
                    .find(|(k, _)| k.as_str() == Some(key.as_str()))
                {
                    Some((_, v)) => V::from_yaml(v),
                    // A key the matrix does not define: a typo or a matrix
                    // pyrel did not read; never an empty string.
                    None => V::Unknown,
                }
            }
            "env" => {
                let Some(Tok::Ident(key)) = self.peek_member() else {
                    return V::Unknown;
                };
                self.pos += 2;
                match self.scope.env.get(Value::String(key.clone())) {
                    // Set by a step at run time (`$GITHUB_ENV`), or by the runner.
                    None => V::Unknown,
                    Some(Value::String(s)) if s.contains("${{") => {
                        match resolve_depth(s, self.scope, self.depth + 1, false) {
                            Ok(s) => V::Str(s),
                            Err(_) => V::Unknown,
                        }
                    }
                    Some(v) => V::from_yaml(v),
                }
            }
            "inputs" => match self.scope.inputs {
                Some(inputs) => V::from_yaml(&Value::Mapping(inputs.clone())),
                None => V::Unknown,
            },
            _ => V::Unknown,
        }
    }

    fn peek_member(&self) -> Option<Tok> {
        if self.peek_op(".") {
            self.tokens.get(self.pos + 1).cloned()
        } else {
            None
        }
    }
}

fn call(name: &str, args: &[V]) -> V {
    if args.iter().any(|a| matches!(a, V::Unknown)) {
        return V::Unknown;
    }
    let text = |i: usize| args.get(i).and_then(V::text);
    match (name.to_ascii_lowercase().as_str(), args.len()) {
        ("contains", 2) => match &args[0] {
            V::Arr(items) => V::Bool(items.iter().any(|i| loose_eq(i, &args[1]).unwrap_or(false))),
            _ => match (text(0), text(1)) {
                (Some(h), Some(n)) => {
                    V::Bool(h.to_ascii_lowercase().contains(&n.to_ascii_lowercase()))
                }
                _ => V::Unknown,
            },
        },
        ("startswith", 2) => match (text(0), text(1)) {
            (Some(h), Some(n)) => {
                V::Bool(h.to_ascii_lowercase().starts_with(&n.to_ascii_lowercase()))
            }
            _ => V::Unknown,
        },
        ("endswith", 2) => match (text(0), text(1)) {
            (Some(h), Some(n)) => {
                V::Bool(h.to_ascii_lowercase().ends_with(&n.to_ascii_lowercase()))
            }
            _ => V::Unknown,
        },
        ("format", n) if n >= 1 => {
            let Some(fmt) = text(0) else {
                return V::Unknown;
            };
            format(&fmt, &args[1..]).map_or(V::Unknown, V::Str)
        }
        ("join", 1 | 2) => {
            let sep = if args.len() == 2 {
                match text(1) {
                    Some(s) => s,
                    None => return V::Unknown,
                }
            } else {
                ",".into()
            };
            match &args[0] {
                V::Arr(items) => items
                    .iter()
                    .map(V::text)
                    .collect::<Option<Vec<_>>>()
                    .map_or(V::Unknown, |v| V::Str(v.join(&sep))),
                v => v.text().map_or(V::Unknown, V::Str),
            }
        }
        ("fromjson", 1) => match text(0).and_then(|t| serde_json::from_str(&t).ok()) {
            Some(j) => V::from_json(&j),
            None => V::Unknown,
        },
        ("tojson", 1) => match args[0].to_json() {
            Some(j) => serde_json::to_string_pretty(&j).map_or(V::Unknown, V::Str),
            None => V::Unknown,
        },
        // Status functions, hashFiles, case: only the run knows.
        _ => V::Unknown,
    }
}

/// `format('{0} {1}', a, b)` with `{{`/`}}` escapes.
fn format(fmt: &str, args: &[V]) -> Option<String> {
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut n = String::new();
                for d in chars.by_ref() {
                    if d == '}' {
                        break;
                    }
                    n.push(d);
                }
                out.push_str(&args.get(n.trim().parse::<usize>().ok()?)?.text()?);
            }
            c => out.push(c),
        }
    }
    Some(out)
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

    fn expand_t(v: &Value) -> Result<Vec<Row>, String> {
        expand(v, &Mapping::new())
    }

    fn yaml(s: &str) -> Value {
        serde_yaml::from_str(s).unwrap()
    }

    #[test]
    fn expands_product_include_exclude() {
        let rows = expand_t(&yaml(
            "os: [a, b]\npy: ['3.9', '3.10']\nexclude: [{os: b, py: '3.9'}]\ninclude: [{os: a, extra: x}, {os: c, py: '3.13'}]",
        ))
        .unwrap();
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows.iter()
                .filter(|r| r.get("extra").is_some_and(|v| !v.is_null()))
                .count(),
            2
        );
        assert!(rows.iter().any(|r| r.get("os") == Some(&yaml("c"))));
    }

    #[test]
    fn include_only_and_nested_lookup() {
        let rows = expand_t(&yaml(
            "platform:\n  - {runner: ubuntu-22.04, target: x86_64}\n  - {runner: windows-latest, target: x64}",
        ))
        .unwrap();
        assert_eq!(rows.len(), 2);
        let env = Mapping::new();
        assert_eq!(
            resolve(
                "${{ matrix.platform.target }}-${{matrix.platform.runner}}",
                &Scope::new(&rows[1], &env)
            )
            .unwrap(),
            "x64-windows-latest"
        );
        assert!(resolve("${{ inputs.x }}", &Scope::new(&rows[0], &env)).is_err());
        let rows = expand_t(&yaml("include: [{target: a}, {target: b}]")).unwrap();
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn huge_matrices_are_refused_not_expanded() {
        let list: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        let l = list.join(", ");
        let err = expand_t(&yaml(&format!("a: [{l}]\nb: [{l}]\nc: [{l}]"))).unwrap_err();
        assert!(err.contains("more than"), "{err}");
    }

    #[test]
    fn splits_words() {
        assert_eq!(
            split_words("--release -i 3.9 '3.10' --features \"a b\""),
            vec!["--release", "-i", "3.9", "3.10", "--features", "a b"]
        );
    }

    fn eval(expr: &str, row: &str, env: &str) -> Result<String, String> {
        let row: Row = serde_yaml::from_str(row).unwrap();
        let env: Mapping = serde_yaml::from_str(env).unwrap();
        resolve(expr, &Scope::new(&row, &env))
    }

    #[test]
    fn evaluates_as_github_does() {
        let row = "{target: aarch64, libc: musl, manylinux: null, py: ['3.10', '3.11'], platform: {runner: macos-14, arch: arm64}}";
        let env = "{TOOLCHAIN: nightly-2025-06-01, ARGS: '--release ${{ matrix.target }}'}";
        for (expr, want) in [
            ("${{ matrix.manylinux || 'auto' }}", "auto"),
            (
                "${{ matrix.libc == 'musl' && 'musllinux_1_2' || 'auto' }}",
                "musllinux_1_2",
            ),
            ("${{ matrix.libc == 'MUSL' }}", "true"),
            ("${{ !matrix.manylinux }}", "true"),
            (
                "${{ matrix.platform.runner }}-${{ matrix.platform['arch'] }}",
                "macos-14-arm64",
            ),
            ("${{ matrix.py[1] }}", "3.11"),
            ("${{ join(matrix.py, ' ') }}", "3.10 3.11"),
            ("${{ contains(matrix.py, '3.10') }}", "true"),
            (
                "${{ contains('x86_64-unknown-linux-musl', 'MUSL') }}",
                "true",
            ),
            ("${{ startsWith(matrix.platform.runner, 'macos') }}", "true"),
            ("${{ endsWith(matrix.target, '64') }}", "true"),
            (
                "${{ format('{0}-{1} {{x}}', matrix.target, 'gnu') }}",
                "aarch64-gnu {x}",
            ),
            ("${{ fromJSON('[\"x86_64\", \"i686\"]')[1] }}", "i686"),
            ("${{ fromJSON('{\"a\": {\"b\": 3}}').a.b }}", "3"),
            ("${{ toJSON(matrix.py) }}", "[\n  \"3.10\",\n  \"3.11\"\n]"),
            ("${{ 1 < 2 && '3.9' >= '3.10' }}", "true"),
            ("${{ 0x10 == 16 }}", "true"),
            ("${{ '' == 0 }}", "true"),
            ("${{ env.TOOLCHAIN }}", "nightly-2025-06-01"),
            ("${{ env.ARGS }}", "--release aarch64"),
            ("${{ 'it''s' }}", "it's"),
        ] {
            assert_eq!(eval(expr, row, env).as_deref(), Ok(want), "{expr}");
        }
        // Only the run knows these: never guessed.
        for expr in [
            "${{ github.ref }}",
            "${{ secrets.PYPI_TOKEN }}",
            "${{ vars.TARGETS || 'x86_64' }}",
            "${{ env.SET_BY_A_STEP }}",
            "${{ matrix.not_in_the_matrix }}",
            "${{ steps.x.outputs.y }}",
            "${{ hashFiles('**/Cargo.lock') }}",
            "${{ matrix.target ) }}",
            "${{ fromJSON(inputs.targets) }}",
        ] {
            assert!(eval(expr, row, env).is_err(), "{expr} resolved");
        }
        // `x || unknown` is known when x is truthy; `unknown && x` is not.
        assert_eq!(
            eval("${{ matrix.target || github.ref }}", row, env).as_deref(),
            Ok("aarch64")
        );
        assert!(eval("${{ github.ref && 'a' }}", row, env).is_err());
        // A key the row leaves out is empty, as on GitHub, except where a
        // platform depends on it.
        let row_map: Row = serde_yaml::from_str(row).unwrap();
        let env_map = Mapping::new();
        assert_eq!(
            resolve("${{ matrix.manylinux }}", &Scope::new(&row_map, &env_map)).as_deref(),
            Ok("")
        );
        assert!(
            resolve_strict("${{ matrix.manylinux }}", &Scope::new(&row_map, &env_map)).is_err()
        );
    }

    #[test]
    fn matrices_from_expressions_and_inputs() {
        let env: Mapping = serde_yaml::from_str("{TARGETS: '[\"x86_64\", \"aarch64\"]'}").unwrap();
        let rows = expand(&yaml("target: ${{ fromJSON(env.TARGETS) }}"), &env).unwrap();
        assert_eq!(rows.len(), 2);
        let inputs: Mapping = serde_yaml::from_str("{targets: '[\"a\", \"b\", \"c\"]'}").unwrap();
        let empty = Row::new();
        let mut scope = Scope::new(&empty, &env);
        scope.inputs = Some(&inputs);
        assert_eq!(
            expand_in(&yaml("t: ${{ fromJSON(inputs.targets) }}"), &scope)
                .unwrap()
                .len(),
            3
        );
        assert!(expand(&yaml("${{ fromJSON(needs.plan.outputs.matrix) }}"), &env).is_err());
        // Include rows without a key get it as null.
        let rows = expand_t(&yaml(
            "include: [{target: a, manylinux: musl}, {target: b}]",
        ))
        .unwrap();
        assert_eq!(rows[1].get("manylinux"), Some(&Value::Null));
    }
}
