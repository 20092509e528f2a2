//! No import cycle between the top-level modules of `src/`: each module's
//! `crate::<module>` references (in `use` items and in paths) form a graph
//! that must be acyclic, so every module can be read, tested and moved with
//! only the ones below it. Test code (`tests.rs`, `*_tests.rs`, `fuzz.rs`,
//! any module declared under `#[cfg(test)]`, and a trailing
//! `#[cfg(test)] mod tests { ... }`) may reach anywhere.

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

fn module_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let test_only: BTreeSet<std::path::PathBuf> = files
        .iter()
        .flat_map(|f| test_only_children(f, &std::fs::read_to_string(f).unwrap()))
        .collect();
    let mut graph = Graph::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if name == "tests.rs"
            || name.ends_with("_tests.rs")
            || name == "fuzz.rs"
            || test_only.contains(&file)
        {
            continue;
        }
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
