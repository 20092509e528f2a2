//! Version spellings as types: PEP 440 (Python files, PyPI) and SemVer
//! (Cargo files), and the mapping between them that maturin itself uses.
//!
//! maturin reads the Cargo version and parses it as PEP 440 (PEP 440's
//! normalisation accepts `-`/`.` separators and the long names), so a crate
//! at `1.2.0-rc.1` builds wheels for `1.2.0rc1`. pyrel writes Cargo versions
//! in the spelling that maps back exactly:
//!
//! | PEP 440          | SemVer (Cargo)         |
//! |------------------|------------------------|
//! | `1.2.0`          | `1.2.0`                |
//! | `1.2.0a1`        | `1.2.0-alpha.1`        |
//! | `1.2.0b2`        | `1.2.0-beta.2`         |
//! | `1.2.0rc1`       | `1.2.0-rc.1`           |
//! | `1.2.0.post1`    | `1.2.0-post.1`         |
//! | `1.2.0.dev3`     | `1.2.0-dev.3`          |
//! | `1.2.0rc1.dev3`  | `1.2.0-rc.1.dev.3`     |
//!
//! Reading accepts every spelling PEP 440 normalises (`-a.1`, `-alpha1`,
//! `-c.1`, ...). Versions are always *ordered* by PEP 440, the order PyPI and
//! pip use; Cargo orders `-post.1` and `-dev.1` differently, which only
//! matters to other crates depending on this one by version.
//!
//! No SemVer spelling, refused with a reason when a Cargo file must hold the
//! version:
//! - a release segment without exactly three numbers (`1.2`, `1.2.3.4`):
//!   SemVer requires MAJOR.MINOR.PATCH;
//! - an epoch (`1!2.0.0`): SemVer has none.
//!
//! Refused everywhere: local versions (`1.2.0+abc`), which PyPI rejects on
//! upload.

use std::fmt;
use std::str::FromStr;

pub(crate) use pep440_rs::Version as Pep440;
use pep440_rs::{Prerelease, PrereleaseKind};

/// Why a version cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invalid(pub String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parse a version in any spelling PEP 440 accepts (which includes the
/// SemVer spellings maturin converts), refusing what PyPI would refuse.
pub(crate) fn parse(s: &str) -> Result<Pep440, Invalid> {
    let v = Pep440::from_str(s.trim())
        .map_err(|e| Invalid(format!("{s:?} is not a valid version ({e})")))?;
    if v.is_local() {
        return Err(Invalid(format!(
            "{s:?} has a local version label (`+...`), which PyPI rejects on upload"
        )));
    }
    Ok(v)
}

/// The normalised PEP 440 spelling (`1.2.0-rc.1` → `1.2.0rc1`), or `None`
/// when `s` is not a version at all.
pub(crate) fn canonical(s: &str) -> Option<String> {
    Pep440::from_str(s.trim()).ok().map(|v| v.to_string())
}

/// The SemVer spelling pyrel writes into Cargo files.
pub(crate) fn to_semver(v: &Pep440) -> Result<semver::Version, Invalid> {
    if v.epoch() != 0 {
        return Err(Invalid(format!(
            "{v} has an epoch (`N!`), which Cargo versions cannot express"
        )));
    }
    if v.is_local() {
        return Err(Invalid(format!("{v} has a local version label")));
    }
    let &[major, minor, patch] = v.release() else {
        return Err(Invalid(format!(
            "{v} does not have exactly three release numbers (MAJOR.MINOR.PATCH), which \
             Cargo requires; write it as such (e.g. `{}`)",
            padded(v)
        )));
    };
    let mut pre = Vec::new();
    if let Some(Prerelease { kind, number }) = v.pre() {
        let name = match kind {
            PrereleaseKind::Alpha => "alpha",
            PrereleaseKind::Beta => "beta",
            PrereleaseKind::Rc => "rc",
        };
        pre.push(format!("{name}.{number}"));
    }
    if let Some(n) = v.post() {
        pre.push(format!("post.{n}"));
    }
    if let Some(n) = v.dev() {
        pre.push(format!("dev.{n}"));
    }
    let pre = if pre.is_empty() {
        semver::Prerelease::EMPTY
    } else {
        semver::Prerelease::new(&pre.join("."))
            .map_err(|e| Invalid(format!("{v}: no SemVer spelling ({e})")))?
    };
    Ok(semver::Version {
        major,
        minor,
        patch,
        pre,
        build: semver::BuildMetadata::EMPTY,
    })
}

/// A Cargo version as maturin reads it: parsed as SemVer, then as PEP 440.
pub(crate) fn from_semver(s: &str) -> Result<Pep440, Invalid> {
    let sv = semver::Version::parse(s.trim())
        .map_err(|e| Invalid(format!("{s:?} is not a valid Cargo (SemVer) version ({e})")))?;
    if !sv.build.is_empty() {
        return Err(Invalid(format!(
            "{s:?} has build metadata (`+...`), which becomes a local version PyPI rejects"
        )));
    }
    Pep440::from_str(&sv.to_string()).map_err(|_| {
        Invalid(format!(
            "the Cargo version {s:?} has no PEP 440 spelling: use -alpha.N, -beta.N, -rc.N, \
             -post.N or -dev.N"
        ))
    })
}

/// `v` with its release padded (or cut) to three numbers, for hints.
fn padded(v: &Pep440) -> Pep440 {
    let mut r: Vec<u64> = v.release().iter().copied().take(3).collect();
    r.resize(3, 0);
    v.clone().with_release(r)
}

/// What `pyrel bump` accepts instead of an explicit version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Major,
    Minor,
    Patch,
    Alpha,
    Beta,
    Rc,
    Post,
    Dev,
    /// Drop the pre-release and dev parts: `1.2.0rc2` → `1.2.0`.
    Release,
}

impl Part {
    pub(crate) const ALL: [(&'static str, Part); 9] = [
        ("major", Part::Major),
        ("minor", Part::Minor),
        ("patch", Part::Patch),
        ("alpha", Part::Alpha),
        ("beta", Part::Beta),
        ("rc", Part::Rc),
        ("post", Part::Post),
        ("dev", Part::Dev),
        ("release", Part::Release),
    ];

    pub(crate) fn parse(s: &str) -> Option<Part> {
        Part::ALL.iter().find(|(n, _)| *n == s).map(|(_, p)| *p)
    }
}

/// The version a bump of `part` leads to from `cur`. A pre-release (or dev
/// release) bumped by the part it leads up to is finalised: `patch` of
/// `1.2.3rc1` is `1.2.3`, `minor` of `1.3.0.dev2` is `1.3.0`.
pub(crate) fn next(cur: &Pep440, part: Part) -> Result<Pep440, Invalid> {
    let r = cur.release();
    let at = |i: usize| r.get(i).copied().unwrap_or(0);
    let (major, minor, patch) = (at(0), at(1), at(2));
    let unstable = cur.pre().is_some() || cur.dev().is_some();
    let final_ = |rel: [u64; 3]| Pep440::new(rel);
    let pre = |kind, number| Some(Prerelease { kind, number });
    let kind_of = |p: Part| match p {
        Part::Alpha => PrereleaseKind::Alpha,
        Part::Beta => PrereleaseKind::Beta,
        _ => PrereleaseKind::Rc,
    };
    let clean = || cur.clone().without_local();
    Ok(match part {
        Part::Major if unstable && cur.post().is_none() && minor == 0 && patch == 0 => {
            final_([major, 0, 0])
        }
        Part::Major => final_([major + 1, 0, 0]),
        Part::Minor if unstable && cur.post().is_none() && patch == 0 => final_([major, minor, 0]),
        Part::Minor => final_([major, minor + 1, 0]),
        Part::Patch if unstable && cur.post().is_none() => final_([major, minor, patch]),
        Part::Patch => final_([major, minor, patch + 1]),
        Part::Alpha | Part::Beta | Part::Rc => {
            let want = kind_of(part);
            match cur.pre() {
                // 1.2.3 → 1.2.4a1: a pre-release of the next patch.
                None => final_([major, minor, patch + 1]).with_pre(pre(want, 1)),
                Some(p) if p.kind == want && cur.dev().is_some() && cur.post().is_none() => {
                    clean().with_dev(None)
                }
                Some(p) if p.kind == want => clean()
                    .with_pre(pre(want, p.number + 1))
                    .with_post(None)
                    .with_dev(None),
                Some(p) if p.kind < want => clean()
                    .with_pre(pre(want, 1))
                    .with_post(None)
                    .with_dev(None),
                Some(_) => {
                    return Err(Invalid(format!(
                        "{cur} is already past {} (a < b < rc); name the version to go to",
                        match want {
                            PrereleaseKind::Alpha => "alpha",
                            PrereleaseKind::Beta => "beta",
                            PrereleaseKind::Rc => "rc",
                        }
                    )))
                }
            }
        }
        Part::Post => match (cur.post(), cur.dev()) {
            (Some(_), Some(_)) => clean().with_dev(None),
            (Some(n), None) => clean().with_post(Some(n + 1)),
            (None, _) if cur.pre().is_some() || cur.dev().is_some() => {
                return Err(Invalid(format!(
                    "{cur} is not a final release; a post-release follows a release"
                )))
            }
            (None, _) => clean().with_post(Some(1)),
        },
        Part::Dev => match (cur.dev(), cur.pre(), cur.post()) {
            (Some(n), _, _) => clean().with_dev(Some(n + 1)),
            (None, Some(p), None) => clean()
                .with_pre(pre(p.kind, p.number + 1))
                .with_dev(Some(1)),
            (None, _, Some(n)) => clean().with_post(Some(n + 1)).with_dev(Some(1)),
            (None, None, None) => final_([major, minor, patch + 1]).with_dev(Some(1)),
        },
        Part::Release => clean().with_pre(None).with_dev(None).with_post(None),
    })
}

/// `__version_info__`-style tuple elements for a version (see
/// `inspect::pyversion` for the shapes), and back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TupleItem {
    Int(u64),
    Str(String),
}

/// The version a tuple spells: release numbers, then optional
/// `("a"|"alpha"|"b"|"beta"|"rc"|"c"|"candidate", N)`, `("post", N)`,
/// `("dev", N)`; `("final", 0)` means no pre-release (sys.version_info shape).
pub(crate) fn from_tuple(items: &[TupleItem]) -> Option<Pep440> {
    let mut release = Vec::new();
    let mut i = 0;
    while let Some(TupleItem::Int(n)) = items.get(i) {
        release.push(*n);
        i += 1;
    }
    if release.is_empty() {
        return None;
    }
    let mut v = Pep440::new(release);
    let mut stage = 0;
    while i < items.len() {
        let (TupleItem::Str(label), Some(TupleItem::Int(n))) = (&items[i], items.get(i + 1)) else {
            return None;
        };
        let (order, next) = match label.to_ascii_lowercase().as_str() {
            "a" | "alpha" => (1, v.with_pre(Some(pre(PrereleaseKind::Alpha, *n)))),
            "b" | "beta" => (1, v.with_pre(Some(pre(PrereleaseKind::Beta, *n)))),
            "rc" | "c" | "candidate" => (1, v.with_pre(Some(pre(PrereleaseKind::Rc, *n)))),
            "final" if *n == 0 => (1, v),
            "post" => (2, v.with_post(Some(*n))),
            "dev" => (3, v.with_dev(Some(*n))),
            _ => return None,
        };
        if order <= stage {
            return None;
        }
        stage = order;
        v = next;
        i += 2;
    }
    Some(v)
}

fn pre(kind: PrereleaseKind, number: u64) -> Prerelease {
    Prerelease { kind, number }
}

/// The tuple shapes pyrel can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TupleShape {
    /// Release numbers, then PEP 440 labels: `(1, 2, 0, "rc", 1)`.
    Pep440,
    /// `sys.version_info`: `(1, 2, 0, "candidate", 1)` / `(1, 2, 0, "final", 0)`.
    SysVersionInfo,
}

impl TupleShape {
    pub(crate) fn of(items: &[TupleItem]) -> TupleShape {
        match items {
            [TupleItem::Int(_), TupleItem::Int(_), TupleItem::Int(_), TupleItem::Str(level), TupleItem::Int(_)]
                if matches!(level.as_str(), "alpha" | "beta" | "candidate" | "final") =>
            {
                TupleShape::SysVersionInfo
            }
            _ => TupleShape::Pep440,
        }
    }
}

/// The tuple for `v` in `shape`; `v` must have `width` (the old tuple's)
/// release numbers.
pub(crate) fn to_tuple(
    v: &Pep440,
    shape: TupleShape,
    width: usize,
) -> Result<Vec<TupleItem>, Invalid> {
    // Padding would spell another string (1.0 vs 1.0.0): the preflight
    // compares spellings, so the tuple must have the version's own numbers.
    if v.release().len() != width {
        return Err(Invalid(format!(
            "{v} has {} release numbers but the tuple has {width}; write the version with \
             {width} numbers so both spell the same version",
            v.release().len()
        )));
    }
    let mut out: Vec<TupleItem> = v.release().iter().copied().map(TupleItem::Int).collect();
    let label = |k: PrereleaseKind, sys: bool| match (k, sys) {
        (PrereleaseKind::Alpha, true) => "alpha",
        (PrereleaseKind::Beta, true) => "beta",
        (PrereleaseKind::Rc, true) => "candidate",
        (PrereleaseKind::Alpha, false) => "a",
        (PrereleaseKind::Beta, false) => "b",
        (PrereleaseKind::Rc, false) => "rc",
    };
    match shape {
        TupleShape::SysVersionInfo => {
            if out.len() != 3 || v.post().is_some() || v.dev().is_some() {
                return Err(Invalid(format!(
                    "{v} cannot be written as a sys.version_info-style tuple \
                     (MAJOR, MINOR, PATCH, level, serial)"
                )));
            }
            match v.pre() {
                Some(p) => {
                    out.push(TupleItem::Str(label(p.kind, true).into()));
                    out.push(TupleItem::Int(p.number));
                }
                None => {
                    out.push(TupleItem::Str("final".into()));
                    out.push(TupleItem::Int(0));
                }
            }
        }
        TupleShape::Pep440 => {
            if let Some(p) = v.pre() {
                out.push(TupleItem::Str(label(p.kind, false).into()));
                out.push(TupleItem::Int(p.number));
            }
            if let Some(n) = v.post() {
                out.push(TupleItem::Str("post".into()));
                out.push(TupleItem::Int(n));
            }
            if let Some(n) = v.dev() {
                out.push(TupleItem::Str("dev".into()));
                out.push(TupleItem::Int(n));
            }
        }
    }
    Ok(out)
}

/// `">=3.9"` → `"3.9"`: the lowest Python a `requires-python` allows, when it
/// says so plainly.
pub(crate) fn python_floor(requires_python: &str) -> Option<String> {
    requires_python
        .split(',')
        .map(str::trim)
        .find_map(|clause| clause.strip_prefix(">="))
        .map(|v| v.trim().split('.').take(2).collect::<Vec<_>>().join("."))
}

#[cfg(test)]
mod tests;
