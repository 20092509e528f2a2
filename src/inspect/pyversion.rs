//! `__version__ = "..."` in the package's own modules: a second (or third)
//! place the version is written, and the one most often forgotten on release.

use std::path::Path;

use super::pyproject::VersionFile;
use super::{display_path, Locator, Project, VersionSource};
use crate::error::{Error, Result};

/// Module files that conventionally hold `__version__`.
const CANDIDATES: [&str; 3] = ["__init__.py", "_version.py", "__about__.py"];

pub(crate) fn find(p: &Project, warnings: &mut Vec<String>) -> Result<Vec<VersionSource>> {
    let mut out = Vec::new();
    for dir in package_dirs(p) {
        for file in CANDIDATES {
            let rel = display_path(&dir, file);
            let Some((text, _)) = read_python(&p.paths.repo_root.join(&rel), &rel)? else {
                continue;
            };
            match assigned(&text, "__version__") {
                Some(Ok(value)) => out.push(VersionSource {
                    file: rel,
                    value,
                    locator: Locator::Python {
                        variable: "__version__".into(),
                    },
                }),
                Some(Err(())) => warnings.push(format!(
                    "{rel}: `__version__` is computed, not a string literal; pyrel cannot check it"
                )),
                None => {}
            }
        }
    }
    Ok(out)
}

/// The top-level package directories (relative to the repo root) where the
/// Python half of the package lives.
fn package_dirs(p: &Project) -> Vec<String> {
    let top = p
        .module_name
        .split('.')
        .next()
        .unwrap_or_default()
        .to_string();
    if top.is_empty() || p.is_bin() {
        return Vec::new();
    }
    let base = match &p.python_source {
        Some(src) => display_path(&p.package_dir, src.trim_end_matches('/')),
        None if p.is_maturin() => return Vec::new(),
        None => p.package_dir.clone(),
    };
    let mut dirs = vec![display_path(&base, &top)];
    if p.python_source.is_none() {
        dirs.push(display_path(&display_path(&base, "src"), &top));
    }
    dirs
}

/// The version file a backend is configured to read (hatch `path`, pdm
/// `path`, setuptools `attr:`/`file:`), relative to the package directory.
pub(crate) fn from_config(
    p: &Project,
    vf: &VersionFile,
    warnings: &mut Vec<String>,
) -> Result<Option<VersionSource>> {
    let path = match vf {
        VersionFile::Python { path, .. }
        | VersionFile::Text { path }
        | VersionFile::Hatch { path, .. } => path.as_str(),
    };
    // setuptools `attr: pkg.__version__` may name a package (`pkg/__init__.py`)
    // in a flat or `src/` layout.
    let mut candidates = vec![path.to_string()];
    if let (Some(stem), VersionFile::Python { .. }) = (path.strip_suffix(".py"), vf) {
        candidates.push(format!("{stem}/__init__.py"));
        candidates.push(format!("src/{path}"));
        candidates.push(format!("src/{stem}/__init__.py"));
    }
    for candidate in candidates {
        let rel = display_path(&p.package_dir, &candidate);
        let path = p.paths.repo_root.join(&rel);
        let text = if matches!(vf, VersionFile::Text { .. }) {
            match std::fs::read(&path) {
                Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
                    Error::in_file(
                        &rel,
                        "is not UTF-8 text; pyrel cannot read the version in it",
                    )
                    .with_hint("save the file as UTF-8")
                })?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(Error::io(&rel, e)),
            }
        } else {
            match read_python(&path, &rel)? {
                Some((text, _)) => text,
                None => continue,
            }
        };
        let found = match vf {
            VersionFile::Text { .. } => Ok((text.trim().to_string(), Locator::Text)),
            VersionFile::Python { variable, .. } => match assigned(&text, variable) {
                Some(Ok(v)) => Ok((
                    v,
                    Locator::Python {
                        variable: variable.clone(),
                    },
                )),
                _ => Err(format!("no literal `{variable} = \"...\"` found")),
            },
            VersionFile::Hatch { pattern: None, .. } => hatch_default(&text),
            VersionFile::Hatch {
                pattern: Some(pattern),
                ..
            } => hatch_pattern(&text, pattern),
        };
        return Ok(match found {
            Ok((value, locator)) => Some(VersionSource {
                file: rel,
                value,
                locator,
            }),
            Err(why) => {
                warnings.push(format!("{rel}: {why}"));
                None
            }
        });
    }
    warnings.push(format!(
        "the build backend reads the version from {path}, which does not exist"
    ));
    Ok(None)
}

/// hatch's default pattern: the first `__version__` or `VERSION` assignment
/// (matched case-insensitively, as hatch does), read back by its exact name.
fn hatch_default(text: &str) -> Result<(String, Locator), String> {
    for line in text.lines() {
        let name: String = line
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let lower = name.to_ascii_lowercase();
        if lower != "__version__" && lower != "version" {
            continue;
        }
        if let Some(Ok(value)) = assigned(line, &name) {
            return Ok((value, Locator::Python { variable: name }));
        }
    }
    Err("no literal `__version__ = \"...\"` or `VERSION = \"...\"` found".into())
}

/// A custom hatch pattern: a regex with a `version` group, searched in
/// multi-line mode as hatch does. The preflight script uses the same regex.
fn hatch_pattern(text: &str, pattern: &str) -> Result<(String, Locator), String> {
    let re = regex::RegexBuilder::new(pattern)
        .multi_line(true)
        .build()
        .map_err(|_| {
            format!(
                "pyrel cannot evaluate the hatch version pattern {pattern:?} (Python-only regex syntax); \
                 the release check will still read it with Python"
            )
        })?;
    let caps = re
        .captures(text)
        .ok_or_else(|| format!("the hatch version pattern {pattern:?} matches nothing"))?;
    let value = caps
        .name("version")
        .ok_or_else(|| format!("the hatch version pattern {pattern:?} has no `version` group"))?;
    Ok((
        value.as_str().to_string(),
        Locator::Pattern {
            pattern: pattern.to_string(),
        },
    ))
}

/// `Some(Ok(v))` for `<variable> = "v"`, `Some(Err)` when assigned from an
/// expression, `None` when absent.
fn assigned(text: &str, variable: &str) -> Option<Result<String, ()>> {
    for line in text.lines() {
        let Some(rest) = line.strip_prefix(variable) else {
            continue;
        };
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = rest.trim_start();
        // Allow an annotation: `__version__: str = "1.0"`.
        let rest = match rest.strip_prefix(':') {
            Some(ann) => ann.split_once('=').map(|(_, v)| v)?,
            None => rest.strip_prefix('=')?,
        };
        let rest = rest.trim();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            return Some(Err(()));
        }
        let inner = &rest[1..];
        return Some(
            inner
                .find(quote)
                .map(|end| inner[..end].to_string())
                .ok_or(()),
        );
    }
    None
}

/// The text encoding of a source file pyrel edits: Python modules may
/// declare theirs (PEP 263); everything else pyrel reads is UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Encoding {
    #[default]
    Utf8,
    /// ISO-8859-1: every byte is the code point of the same value.
    Latin1,
    Ascii,
}

impl Encoding {
    /// The encoding a PEP 263 name stands for, as Python's codec registry
    /// normalises it (case-insensitive, `_` = `-`, `utf-8-*`/`latin-1-*`
    /// variants); `None` for an encoding pyrel cannot round-trip.
    /// Source: CPython Parser/tokenizer (`get_normal_name`) and
    /// Lib/encodings/aliases.py.
    pub(crate) fn from_name(name: &str) -> Option<Encoding> {
        let n = name.to_ascii_lowercase().replace('_', "-");
        let utf8 = n == "utf-8" || n == "utf8" || n.starts_with("utf-8-") || n == "u8";
        let latin1 = [
            "latin-1",
            "latin1",
            "latin",
            "l1",
            "iso-8859-1",
            "iso8859-1",
            "iso-latin-1",
            "8859",
            "cp819",
            "ibm819",
        ]
        .contains(&n.as_str())
            || n.starts_with("latin-1-")
            || n.starts_with("iso-8859-1-")
            || n.starts_with("iso-latin-1-");
        let ascii = ["ascii", "us-ascii", "646", "us"].contains(&n.as_str());
        if utf8 {
            Some(Encoding::Utf8)
        } else if latin1 {
            Some(Encoding::Latin1)
        } else if ascii {
            Some(Encoding::Ascii)
        } else {
            None
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Latin1 => "latin-1",
            Encoding::Ascii => "ascii",
        }
    }

    /// `bytes` as text, or why not.
    pub(crate) fn decode(self, bytes: &[u8]) -> std::result::Result<String, String> {
        match self {
            Encoding::Utf8 => String::from_utf8(bytes.to_vec())
                .map_err(|e| format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to())),
            Encoding::Latin1 => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
            Encoding::Ascii => match bytes.iter().position(|b| !b.is_ascii()) {
                Some(at) => Err(format!("a non-ASCII byte at offset {at}")),
                None => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
            },
        }
    }

    /// `text` in this encoding, or the first character it cannot hold.
    pub(crate) fn encode(self, text: &str) -> std::result::Result<Vec<u8>, char> {
        let limit = match self {
            Encoding::Utf8 => return Ok(text.as_bytes().to_vec()),
            Encoding::Latin1 => 0xFF,
            Encoding::Ascii => 0x7F,
        };
        text.chars()
            .map(|c| {
                u8::try_from(u32::from(c))
                    .ok()
                    .filter(|&b| u32::from(b) <= limit)
                    .ok_or(c)
            })
            .collect()
    }
}

/// The PEP 263 declaration of a Python file: a comment matching
/// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on line 1, or on line 2 when
/// line 1 is blank or a comment (as CPython's tokenizer reads it).
pub(crate) fn declared_coding(bytes: &[u8]) -> Option<String> {
    let mut lines = bytes.split(|&b| b == b'\n');
    let first = lines.next().unwrap_or_default();
    let first = first.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(first);
    if let Some(name) = coding_in(first) {
        return Some(name);
    }
    let trimmed: Vec<u8> = first
        .iter()
        .copied()
        .skip_while(|b| matches!(b, b' ' | b'\t' | b'\x0c' | b'\r'))
        .collect();
    if !(trimmed.is_empty() || trimmed[0] == b'#') {
        return None;
    }
    coding_in(lines.next()?)
}

fn coding_in(line: &[u8]) -> Option<String> {
    let start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\x0c'))?;
    if line[start] != b'#' {
        return None;
    }
    let comment = &line[start..];
    let at = comment
        .windows(7)
        .position(|w| w.starts_with(b"coding") && matches!(w[6], b':' | b'='))?;
    let name: String = comment[at + 7..]
        .iter()
        .skip_while(|b| matches!(b, b' ' | b'\t'))
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        .map(|&b| char::from(b))
        .collect();
    (!name.is_empty()).then_some(name)
}

/// A Python source file as text, in the encoding it declares (PEP 263;
/// UTF-8 when it declares none). An encoding pyrel cannot read, or bytes
/// that are not in the declared encoding, are an error naming the file.
pub(crate) fn decode_python(bytes: &[u8], display: &str) -> Result<(String, Encoding)> {
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let encoding = match declared_coding(bytes) {
        None => Encoding::Utf8,
        Some(name) => match Encoding::from_name(&name) {
            Some(e) if bom && e != Encoding::Utf8 => {
                return Err(Error::in_file(
                    display,
                    format!("has a UTF-8 byte-order mark but declares `coding: {name}`"),
                )
                .with_hint("remove one of the two (Python refuses to import the file)"))
            }
            Some(e) => e,
            None => {
                return Err(Error::in_file(
                    display,
                    format!(
                        "declares `coding: {name}` (PEP 263), an encoding pyrel cannot read                          and write back byte for byte"
                    ),
                )
                .with_hint("save the file as UTF-8 (and drop the coding line), or as latin-1"))
            }
        },
    };
    let text = encoding.decode(bytes).map_err(|why| {
        Error::in_file(display, format!("is not valid {} ({why})", encoding.name())).with_hint(
            "fix the file's encoding or its coding declaration; Python cannot import it either",
        )
    })?;
    Ok((text, encoding))
}

/// Read a Python file pyrel may edit: `None` when it does not exist.
pub(crate) fn read_python(path: &Path, display: &str) -> Result<Option<(String, Encoding)>> {
    match std::fs::read(path) {
        Ok(bytes) => decode_python(&bytes, display).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(display, e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dunder_version(text: &str) -> Option<Result<String, ()>> {
        assigned(text, "__version__")
    }

    #[test]
    fn reads_literal_versions_only() {
        assert_eq!(
            dunder_version("__version__ = \"1.2\"\n"),
            Some(Ok("1.2".into()))
        );
        assert_eq!(
            dunder_version("x=1\n__version__: str = '0.3.0'"),
            Some(Ok("0.3.0".into()))
        );
        assert_eq!(dunder_version("__version__ = get()\n"), Some(Err(())));
        assert_eq!(dunder_version("__version_info__ = (1, 2)\n"), None);
        assert_eq!(dunder_version("version = '1'\n"), None);
    }
}
