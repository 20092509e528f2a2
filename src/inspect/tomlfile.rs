//! Typed reads from a parsed TOML file that report `file:line:col` when a key
//! holds the wrong type, so a malformed manifest gets an error a user can act on.

use std::path::Path;

use toml_edit::{Document, Item};

use crate::error::{line_col, toml_error, Error, Result};

pub(crate) struct TomlFile {
    /// Path as shown to the user (relative to the repository root).
    pub display: String,
    pub text: String,
    pub doc: Document<String>,
}

impl TomlFile {
    /// `Ok(None)` when the file does not exist.
    pub(crate) fn read(path: &Path, display: &str) -> Result<Option<TomlFile>> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(display, e)),
        };
        Self::parse(text, display).map(Some)
    }

    pub(crate) fn parse(text: String, display: &str) -> Result<TomlFile> {
        if let Err((line, why)) = super::limits::check_toml(&text) {
            return Err(
                Error::input(format!("{display}:{line}: unreadable TOML: {why}"))
                    .with_hint("fix the file and run pyrel again; nothing was written"),
            );
        }
        let doc =
            Document::parse(text.clone()).map_err(|e| toml_error(Path::new(display), &text, &e))?;
        Ok(TomlFile {
            display: display.to_string(),
            text,
            doc,
        })
    }

    pub(crate) fn get(&self, keys: &[&str]) -> Option<&Item> {
        let mut item = self.doc.as_item();
        for k in keys {
            item = item.get(k)?;
        }
        Some(item)
    }

    pub(crate) fn str(&self, keys: &[&str]) -> Result<Option<String>> {
        match self.get(keys) {
            None => Ok(None),
            Some(item) => item
                .as_str()
                .map(|s| Some(s.to_string()))
                .ok_or_else(|| self.type_error(keys, item, "a string")),
        }
    }

    pub(crate) fn str_list(&self, keys: &[&str]) -> Result<Option<Vec<String>>> {
        match self.get(keys) {
            None => Ok(None),
            Some(item) => str_array(item)
                .map(Some)
                .ok_or_else(|| self.type_error(keys, item, "an array of strings")),
        }
    }

    pub(crate) fn type_error(&self, keys: &[&str], item: &Item, expected: &str) -> Error {
        self.error_at(item, format!("`{}` must be {expected}", keys.join(".")))
    }

    /// An error pointing at `item`'s position in the file.
    pub(crate) fn error_at(&self, item: &Item, message: String) -> Error {
        match item.span() {
            Some(span) => {
                let (line, col) = line_col(&self.text, span.start);
                Error::input(format!("{}:{line}:{col}: {message}", self.display))
            }
            None => Error::in_file(&self.display, message),
        }
    }
}

pub(crate) fn str_array(item: &Item) -> Option<Vec<String>> {
    let arr = item.as_array()?;
    arr.iter().map(|v| v.as_str().map(str::to_string)).collect()
}
