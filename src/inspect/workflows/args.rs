//! The parts of a maturin command line pyrel cares about.

use std::collections::{BTreeMap, BTreeSet};

use super::Interpreter;

#[derive(Debug, Default)]
pub(crate) struct MaturinArgs {
    pub target: Option<String>,
    pub manylinux: Option<String>,
    pub manifest: Option<String>,
    /// Interpreter families and the versions named for each (`-i 3.10
    /// pypy3.11`); an empty set when the builder finds them.
    pub versions: BTreeMap<Interpreter, BTreeSet<String>>,
    pub universal2: bool,
    pub sdist: bool,
    pub find_interpreter: bool,
    /// Everything pyrel does not pass itself, in order.
    pub rest: Vec<String>,
}

impl MaturinArgs {
    pub(crate) fn parse(words: &[String]) -> MaturinArgs {
        let mut out = MaturinArgs::default();
        let mut i = 0;
        let value = |i: &mut usize, w: &str| -> Option<String> {
            if let Some((_, v)) = w.split_once('=') {
                return Some(v.to_string());
            }
            *i += 1;
            words.get(*i).cloned()
        };
        while i < words.len() {
            let w = words[i].as_str();
            let flag = w.split('=').next().unwrap_or(w);
            match flag {
                "--release" | "-r" => {}
                "--out" | "-o" => {
                    value(&mut i, w);
                }
                "--target" => out.target = value(&mut i, w),
                "--manylinux" | "--compatibility" => out.manylinux = value(&mut i, w),
                "-m" | "--manifest-path" => out.manifest = value(&mut i, w),
                "--find-interpreter" => {
                    out.find_interpreter = true;
                    out.versions.entry(Interpreter::Cpython).or_default();
                }
                "--universal2" => out.universal2 = true,
                "--sdist" => out.sdist = true,
                "-i" | "--interpreter" => {
                    if let Some((_, v)) = w.split_once('=') {
                        out.add_interpreters(v);
                    } else {
                        while let Some(v) = words.get(i + 1).filter(|v| !v.starts_with('-')) {
                            out.add_interpreters(v);
                            i += 1;
                        }
                    }
                }
                _ => out.rest.push(words[i].clone()),
            }
            i += 1;
        }
        if out
            .target
            .as_deref()
            .is_some_and(|t| t.starts_with("universal2"))
        {
            out.universal2 = true;
        }
        out
    }

    pub(crate) fn add_interpreters(&mut self, list: &str) {
        for v in list.split([' ', ',']).filter(|v| !v.is_empty()) {
            let lower = v.to_ascii_lowercase();
            let v = lower.trim_start_matches("python");
            let (family, rest) = if let Some(r) = v.strip_prefix("pypy") {
                (Interpreter::Pypy, r)
            } else if let Some(r) = v.strip_prefix("pp") {
                (Interpreter::Pypy, r)
            } else if let Some(r) = v.strip_prefix("graalpy") {
                (Interpreter::Graalpy, r)
            } else if let Some(r) = v.strip_prefix("gp") {
                (Interpreter::Graalpy, r)
            } else if let Some(r) = v.strip_suffix('t') {
                (Interpreter::FreeThreaded, r)
            } else {
                (Interpreter::Cpython, v)
            };
            let versions = self.versions.entry(family).or_default();
            let version = rest.trim_start_matches('-');
            if !version.is_empty()
                && version.chars().all(|c| c.is_ascii_digit() || c == '.')
                && version.contains('.')
            {
                versions.insert(version.to_string());
            }
        }
    }

    pub(crate) fn extra(&self) -> Option<String> {
        (!self.rest.is_empty()).then(|| {
            self.rest
                .iter()
                .map(|w| {
                    if w.is_empty() || w.contains(char::is_whitespace) {
                        format!("'{w}'")
                    } else {
                        w.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
    }
}
