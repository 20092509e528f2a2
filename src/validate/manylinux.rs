//! The manylinux policies pyrel accepts, as a type: `[tool.pyrel] manylinux`
//! validates into it, and the builder tables (`build_plan::constraints`)
//! say which image each builder uses for it. Here, below `answers` and
//! `build_plan`, so that both can name it.

/// A manylinux policy pyrel accepts: the ones both builders have images for
/// on pyrel's platforms. `off` is refused (maturin then tags `linux_*`
/// wheels, which PyPI rejects), and so is every other policy (no image on
/// most targets: maturin-action falls back to an x86_64 image without a
/// cross toolchain, cibuildwheel takes an unknown name for an image name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Manylinux {
    /// Each builder's default image (manylinux2014 for maturin-action,
    /// except riscv64: manylinux_2_31; manylinux_2_28 for cibuildwheel).
    Auto,
    /// manylinux2014 = manylinux_2_17.
    M2014,
    M2_28,
    M2_34,
}

impl Manylinux {
    pub(crate) const ALL: [Manylinux; 4] = [
        Manylinux::Auto,
        Manylinux::M2014,
        Manylinux::M2_28,
        Manylinux::M2_34,
    ];

    /// Every spelling maturin-action and maturin take for these policies.
    pub(crate) fn parse(s: &str) -> Result<Manylinux, String> {
        let bare = s
            .strip_prefix("manylinux_")
            .or_else(|| s.strip_prefix("manylinux"))
            .unwrap_or(s);
        Ok(match bare {
            "auto" if s == "auto" => Manylinux::Auto,
            "2014" | "2_17" => Manylinux::M2014,
            "2_28" => Manylinux::M2_28,
            "2_34" => Manylinux::M2_34,
            "off" if s == "off" => return Err(
                "`off` builds `linux_*` wheels, which PyPI rejects; use auto, 2014, 2_28 or 2_34"
                    .into(),
            ),
            _ => {
                return Err(format!(
                    "{s:?} is not a manylinux policy pyrel can build: use auto, 2014 (= 2_17), \
                     2_28 or 2_34, the policies maturin-action and cibuildwheel have images for"
                ))
            }
        })
    }

    /// The canonical spelling: maturin-action's `manylinux` input and the
    /// `[tool.pyrel] manylinux` value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Manylinux::Auto => "auto",
            Manylinux::M2014 => "2014",
            Manylinux::M2_28 => "2_28",
            Manylinux::M2_34 => "2_34",
        }
    }

    /// The PEP 600 name, for messages.
    pub(crate) fn tag(self) -> &'static str {
        match self {
            Manylinux::Auto => "the builder's default",
            Manylinux::M2014 => "manylinux_2_17 (manylinux2014)",
            Manylinux::M2_28 => "manylinux_2_28",
            Manylinux::M2_34 => "manylinux_2_34",
        }
    }

    /// cibuildwheel's pinned image name for `CIBW_MANYLINUX_*_IMAGE`
    /// (none for `auto`: cibuildwheel's default).
    pub(crate) fn cibw_image(self) -> Option<&'static str> {
        match self {
            Manylinux::Auto => None,
            Manylinux::M2014 => Some("manylinux2014"),
            Manylinux::M2_28 => Some("manylinux_2_28"),
            Manylinux::M2_34 => Some("manylinux_2_34"),
        }
    }
}
