//! How pyrel recognises its own output: the digest stamped into every
//! generated file (`stamp`) and the `uses:` lines whose action pins
//! Dependabot may move (`uses`). Below both `render` (which stamps) and
//! `plan` (which compares with the file on disk), so neither imports the other.

pub(crate) mod stamp;
pub(crate) mod uses;
