//! No import cycle between the top-level modules of `src/`: each module's
//! `crate::<module>` references (in `use` items and in paths) form a graph
//! that must be acyclic, so every module can be read, tested and moved with
//! only the ones below it. Test code (`tests.rs`, `*_tests.rs`, `fuzz.rs`,
//! any module declared under `#[cfg(test)]`, and a trailing
//! `#[cfg(test)] mod tests { ... }`) may reach anywhere.
//!
//! The same reading of `src/` keeps two more rules: no function of
//! production code is longer than `MAX_FN_LINES` (split it by what it
//! recognises or decides), and nothing prints with std's `print!` family,
//! which panics on a full or closed stdout/stderr (`out` does not).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments and without its trailing unit-test module.
fn production_code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every top-level module named after `crate::`, including each name in a
/// grouped `use crate::{a, b::c}`.
fn references(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            // Only the first segment of each item: `a`, `b` in `{a, b::c}`.
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        out.insert(ident(&group[i..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

/// The files of the modules `file` declares under `#[cfg(test)]`
/// (`#[cfg(test)] mod branches;` → `branches.rs` or `branches/mod.rs` in
/// the directory of `file`'s child modules).
fn test_only_children(file: &Path, text: &str) -> Vec<std::path::PathBuf> {
    let name = file.file_name().unwrap().to_string_lossy();
    let dir = if matches!(&*name, "mod.rs" | "lib.rs" | "main.rs") {
        file.parent().unwrap().to_path_buf()
    } else {
        file.with_extension("")
    };
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    lines
        .windows(2)
        .filter(|w| w[0] == "#[cfg(test)]")
        .filter_map(|w| {
            let decl = w[1]
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ");
            let child = decl.strip_prefix("mod ")?.strip_suffix(';')?;
            Some(child.to_string())
        })
        .flat_map(|child| {
            [
                dir.join(format!("{child}.rs")),
                dir.join(child).join("mod.rs"),
            ]
        })
        .collect()
}

/// The files of `src/` that are not test code.
fn production_files(src: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let test_only: BTreeSet<std::path::PathBuf> = files
        .iter()
        .flat_map(|f| test_only_children(f, &std::fs::read_to_string(f).unwrap()))
        .collect();
    files.retain(|file| {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        !(name == "tests.rs"
            || name.ends_with("_tests.rs")
            || name == "fuzz.rs"
            || test_only.contains(file))
    });
    files.sort();
    files
}

fn module_graph(src: &Path) -> Graph {
    let mut graph = Graph::new();
    for file in production_files(src) {
        let rel = file.strip_prefix(src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let code = production_code(&std::fs::read_to_string(&file).unwrap());
        let deps = graph.entry(top.clone()).or_default();
        deps.extend(references(&code).into_iter().filter(|m| *m != top));
    }
    graph
}

/// A cycle through `start`, as the list of modules, if there is one.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        graph: &Graph,
        node: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut c = path[at..].to_vec();
            c.push(node.to_string());
            return Some(c);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for dep in graph.get(node).into_iter().flatten() {
            if graph.contains_key(dep) {
                if let Some(c) = visit(graph, dep, path, done) {
                    return Some(c);
                }
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(graph, n, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_form_no_cycle() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    // The graph is real: the core modules are there with their known edges.
    for (module, dep) in [
        ("commands", "ops"),
        ("ops", "render"),
        ("render", "answers"),
        ("answers", "inspect"),
    ] {
        assert!(
            graph.get(module).is_some_and(|d| d.contains(dep)),
            "{module} -> {dep} not found: {graph:#?}"
        );
    }
    if let Some(c) = cycle(&graph) {
        panic!(
            "import cycle between top-level modules: {}\n(move the shared part below both)",
            c.join(" -> ")
        );
    }
}

#[test]
fn the_checker_finds_cycles() {
    let code = "use crate::{a, b::{c, d}};\nlet x = crate::e::f(); // crate::g\n";
    assert_eq!(
        references(&production_code(code)),
        ["a", "b", "e"].into_iter().map(String::from).collect()
    );
    let mut g = Graph::new();
    let edge = |g: &mut Graph, a: &str, b: &str| {
        g.entry(a.into()).or_default().insert(b.into());
        g.entry(b.into()).or_default();
    };
    edge(&mut g, "x", "y");
    edge(&mut g, "y", "z");
    assert_eq!(cycle(&g), None);
    edge(&mut g, "z", "x");
    assert_eq!(
        cycle(&g),
        Some(vec!["x".into(), "y".into(), "z".into(), "x".into()])
    );
    assert_eq!(
        production_code("use crate::a;\n#[cfg(test)]\nmod tests {\n use crate::b;\n}\n"),
        "use crate::a;"
    );
}

#[test]
fn test_only_modules_are_found() {
    let file = Path::new("src/render/mod.rs");
    let found = test_only_children(
        file,
        "#[cfg(test)]\nmod branches;\npub(crate) mod context;\n",
    );
    assert_eq!(
        found,
        [
            Path::new("src/render/branches.rs").to_path_buf(),
            Path::new("src/render/branches/mod.rs").to_path_buf()
        ]
    );
    let file = Path::new("src/answers.rs");
    let found = test_only_children(file, "#[cfg(test)]\n    pub(crate) mod tests;\n");
    assert_eq!(found[0], Path::new("src/answers/tests.rs"));
}

/// The longest a function of production code may be, signature to closing
/// brace. Tables are data (`const`/`static` items), not functions.
const MAX_FN_LINES: usize = 100;

/// Functions allowed to be longer, each because it is a data table written
/// as code (one line per entry, nothing decided). Empty: keep it so.
const LONG_TABLES: &[(&str, &str)] = &[];

/// `code` with the contents of comments, string and char literals blanked
/// (newlines kept), so that braces and `fn` can be counted.
fn blank_literals(code: &str) -> String {
    let b = code.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = code[i..].find('\n').map_or(b.len(), |n| i + n);
            blank(&mut out, i, end);
            i = end;
        } else if rest.starts_with(b"/*") {
            let end = code[i + 2..].find("*/").map_or(b.len(), |n| i + n + 4);
            blank(&mut out, i, end);
            i = end;
        } else if rest.starts_with(b"r\"") || rest.starts_with(b"r#") {
            let hashes = rest[1..].iter().take_while(|c| **c == b'#').count();
            if rest.get(1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close = format!("\"{}", "#".repeat(hashes));
            let start = i + 2 + hashes;
            let end = code[start..]
                .find(&close)
                .map_or(b.len(), |n| start + n + close.len());
            blank(&mut out, i, end);
            i = end;
        } else if rest[0] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            blank(&mut out, i, (j + 1).min(b.len()));
            i = j + 1;
        } else if rest[0] == b'\'' {
            // A char literal ('{', '\'', '\u{7b}'), not a lifetime ('a).
            let len = if rest.get(1) == Some(&b'\\') {
                rest[2..].iter().position(|c| *c == b'\'').map(|n| n + 3)
            } else {
                let ch = code[i + 1..].chars().next().map_or(1, char::len_utf8);
                (rest.get(1 + ch) == Some(&b'\'')).then_some(ch + 2)
            };
            match len {
                Some(len) => {
                    blank(&mut out, i, i + len);
                    i += len;
                }
                None => i += 1,
            }
        } else if rest[0].is_ascii_alphanumeric() || rest[0] == b'_' {
            // A whole identifier, so that `for r in` is not read as `r"`;
            // the quote of `b"..."` is handled on the next turn.
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every function with a body in `code` (literals blanked): its name, first
/// line (1-based) and length in lines.
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let b = code.as_bytes();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut out = Vec::new();
    for (at, _) in code.match_indices("fn ") {
        if at > 0 && (b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_') {
            continue;
        }
        let name: String = code[at + 3..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue; // `fn(` types
        }
        let Some(open) = code[at..].find(['{', ';']).map(|n| at + n) else {
            continue;
        };
        if b[open] == b';' {
            continue; // a declaration without a body
        }
        let mut depth = 0;
        let mut close = open;
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push((name, line_of(at), line_of(close) - line_of(at) + 1));
    }
    out
}

#[test]
fn no_function_is_longer_than_the_limit() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut long = Vec::new();
    let mut seen = 0;
    for file in production_files(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        let text = match text.find("#[cfg(test)]\nmod tests {") {
            Some(at) => &text[..at],
            None => &text,
        };
        let rel = file.strip_prefix(&src).unwrap().display().to_string();
        for (name, line, len) in functions(&blank_literals(text)) {
            seen += 1;
            if len > MAX_FN_LINES && !LONG_TABLES.contains(&(rel.as_str(), name.as_str())) {
                long.push(format!("src/{rel}:{line} fn {name}: {len} lines"));
            }
        }
    }
    // The reading is real: `src/` has hundreds of functions.
    assert!(seen > 500, "only {seen} functions found");
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines (split them by what they recognise or decide):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_function_reader_counts_lines_past_literals() {
    let code = "fn a() {\n    let s = \"}\";\n    let c = '{';\n    // }\n    let r = r#\"}\"#;\n}\nfn b<'x>(v: &'x str) -> fn(u8) {\n    todo!()\n}\ntrait T { fn c(&self); }\n";
    assert_eq!(
        functions(&blank_literals(code)),
        [("a".to_string(), 1, 6), ("b".to_string(), 7, 3)]
    );
}

#[test]
fn nothing_prints_with_std_print_macros() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for file in production_files(&src) {
        if file.ends_with("out.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = blank_literals(&production_code(&text));
        for (n, line) in code.lines().enumerate() {
            for m in ["println!", "print!", "eprintln!", "eprint!"] {
                let hit = line.match_indices(m).any(|(at, _)| {
                    let before = &line[..at];
                    let prev = before.chars().last();
                    // `crate::out::eprintln!` is the safe one.
                    !before.ends_with("out::")
                        && !prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                });
                if hit {
                    found.push(format!("{}:{}: {m}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "std print macros panic on a full or closed stream; use crate::out:\n{}",
        found.join("\n")
    );
}
