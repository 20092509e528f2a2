//! The named configurations of `tests/configurations.toml`, read by
//! tests/validators.rs (each goes through actionlint and zizmor) and by the
//! unit test `render::branches::every_template_branch_is_reached` (together
//! they reach every template branch), which includes this file by path.

/// One row of tests/configurations.toml.
#[derive(serde::Deserialize)]
pub struct Configuration {
    pub name: String,
    /// The directory under tests/fixtures to copy.
    pub fixture: String,
    /// The package directory `init` is given (default `.`).
    #[serde(default)]
    pub package: Option<String>,
    /// `init`'s flags, after `--yes`.
    #[serde(default)]
    pub flags: Vec<String>,
    /// `false`: no GitHub remote in `.git/config`.
    #[serde(default)]
    pub remote: Option<bool>,
    /// Files of tests/fixtures/workflows copied into `.github/workflows`.
    #[serde(default)]
    pub workflows: Vec<String>,
    /// TOML appended to the package's pyproject.toml (saved settings).
    #[serde(default)]
    pub pyrel: Option<String>,
    /// Its release.yml is snapshotted (tests/validators.rs).
    #[serde(default)]
    pub snapshot: bool,
}

#[derive(serde::Deserialize)]
struct Table {
    configuration: Vec<Configuration>,
}

/// Every configuration, in the file's order.
pub fn configurations() -> Vec<Configuration> {
    let text = include_str!("../configurations.toml");
    toml_edit::de::from_str::<Table>(text)
        .unwrap()
        .configuration
}
