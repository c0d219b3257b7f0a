//! Redirect chains: the hops from a requested URL to where it ends.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Hop;

/// The hops a client follows from [`Chain::start`], in order. The first hop's
/// URL is the start; every hop but the last is a redirect; the last is the
/// final response, the failure, or the redirect whose target was not followed
/// (see [`Chain::end`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chain {
    /// The URL that was linked, listed or requested.
    pub start: String,
    /// The hops, first to last.
    pub hops: Vec<Hop>,
    /// Why the chain stops where it does.
    pub end: ChainEnd,
}

impl Chain {
    /// Number of redirects followed (a direct 200 has 0).
    pub fn redirect_count(&self) -> usize {
        self.hops.iter().filter(|h| h.is_redirect()).count()
    }

    /// The last hop.
    pub fn last(&self) -> &Hop {
        self.hops.last().expect("a chain has at least one hop")
    }

    /// Status codes in order, `-` for a hop without a response, joined by
    /// ` → `: `302 → 301 → 200`.
    pub fn status_path(&self) -> String {
        crate::status::status_path(self.hops.iter().map(|h| h.status))
    }
}

/// `https://a/ --[301]--> https://b/ --[200]`
impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, hop) in self.hops.iter().enumerate() {
            if i > 0 {
                f.write_str("--> ")?;
            }
            let status = hop
                .status
                .map_or_else(|| "error".to_owned(), |s| s.to_string());
            write!(f, "{} --[{}]", hop.url, status)?;
            if i + 1 < self.hops.len() {
                f.write_str(" ")?;
            }
        }
        match &self.end {
            ChainEnd::Loop { back_to } => write!(f, " (loops back to {back_to})"),
            ChainEnd::TooManyHops => f.write_str(" (stopped: too many hops)"),
            ChainEnd::NotFollowed => f.write_str(" (not followed to the end)"),
            _ => Ok(()),
        }
    }
}

/// Why a chain ends where it does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ChainEnd {
    /// The last hop is a non-redirect response (2xx, 4xx, 5xx, 304 …).
    Final,
    /// The last hop failed (network, timeout, TLS …) or was not fetched
    /// (robots, unsupported scheme, private address): see its `error`.
    Failed,
    /// The last hop redirects to a URL already in the chain.
    Loop {
        /// The URL the chain returns to.
        back_to: String,
    },
    /// Not followed to the end: the crawler's `max_hops` redirects were
    /// followed and the last hop still redirects. A limit of the audit, not
    /// an error of the site.
    TooManyHops,
    /// The last hop is a redirect without a usable target (no Location, an
    /// empty one, or one that cannot be resolved).
    NoTarget,
    /// Not followed to the end: the audit stopped (`--deadline`, an
    /// interrupt, the error-rate safeguard) before the last hop's target was
    /// fetched. Nothing is known about the rest of the chain, so it is never
    /// an error of the site.
    NotFollowed,
}

impl ChainEnd {
    /// Stable name used in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Final => "final",
            Self::Failed => "failed",
            Self::Loop { .. } => "loop",
            Self::TooManyHops => "too-many-hops",
            Self::NoTarget => "no-target",
            Self::NotFollowed => "not-followed",
        }
    }

    /// Whether the chain was followed as far as the site leads: `false`
    /// when one of the audit's own limits cut it
    /// ([`ChainEnd::TooManyHops`], [`ChainEnd::NotFollowed`]). The last hop
    /// of such a chain is a redirect whose target was not fetched.
    pub fn followed_to_end(&self) -> bool {
        !matches!(self, Self::TooManyHops | Self::NotFollowed)
    }
}

/// Permanent or temporary, as search engines read a redirect status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedirectKind {
    /// 301 or 308: the target replaces the source.
    Permanent,
    /// 302, 303 or 307: the source stays the canonical URL.
    Temporary,
    /// 300 with a Location (see [`crate::is_redirect_status`]).
    Other,
}

impl RedirectKind {
    /// Classifies a status code; `None` when it is not a redirect status
    /// (305, 306 and unknown 3xx codes are final answers, see
    /// [`crate::is_redirect_status`]).
    pub fn of_status(status: u16) -> Option<Self> {
        if crate::is_permanent_status(status) {
            Some(Self::Permanent)
        } else if crate::is_temporary_status(status) {
            Some(Self::Temporary)
        } else if status == 300 {
            Some(Self::Other)
        } else {
            None
        }
    }

    /// Stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Permanent => "permanent",
            Self::Temporary => "temporary",
            Self::Other => "other",
        }
    }
}
