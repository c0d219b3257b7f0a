//! Edges: which page (or sitemap) points at which URL, and how.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// One reference from a page, a response header or a sitemap to a URL.
///
/// Small on purpose: a large crawl keeps some ten references per
/// redirecting URL, a million at a million URLs. The URLs are shared (a
/// page's URL, or a target's, is one allocation however many references
/// name it), and only client redirects carry how they were written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Link {
    /// The page (or sitemap file) the reference is on.
    pub from: Arc<str>,
    /// The referenced URL, resolved and normalised (no fragment).
    pub to: Arc<str>,
    /// What kind of reference it is.
    pub kind: LinkKind,
    /// How a client redirect (refresh or script reference) was written,
    /// where it is evidence. A crawl keeps the other kinds only to name and
    /// count referrers, and leaves this out.
    pub written: Option<Box<Written>>,
}

/// A reference as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Written {
    /// The value as written (`href`, header value).
    pub raw: String,
    /// For a refresh, the delay in seconds as written.
    pub detail: Option<String>,
}

impl Link {
    /// A reference without how it was written.
    pub fn new(from: impl Into<Arc<str>>, to: impl Into<Arc<str>>, kind: LinkKind) -> Self {
        Self {
            from: from.into(),
            to: to.into(),
            kind,
            written: None,
        }
    }

    /// The value as written; empty when not kept.
    pub fn raw(&self) -> &str {
        self.written.as_deref().map_or("", |w| w.raw.as_str())
    }

    /// The refresh delay as written, if kept.
    pub fn detail(&self) -> Option<&str> {
        self.written.as_deref().and_then(|w| w.detail.as_deref())
    }
}

/// How a URL is referenced. The names are stable strings in reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// `<a href>` (and `<area href>`).
    Anchor,
    /// `<link rel=canonical>` or an HTTP `Link: <…>; rel=canonical` header.
    Canonical,
    /// `<link rel=alternate hreflang=…>`.
    Hreflang,
    /// `<meta http-equiv=refresh content="N; url=…">`.
    MetaRefresh,
    /// An HTTP `Refresh: N; url=…` header on a non-redirect response.
    RefreshHeader,
    /// An inline script that plainly navigates (`location.href = "…"`).
    Script,
    /// A `<loc>` entry in a sitemap.
    Sitemap,
}

impl LinkKind {
    /// Stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anchor => "anchor",
            Self::Canonical => "canonical",
            Self::Hreflang => "hreflang",
            Self::MetaRefresh => "meta-refresh",
            Self::RefreshHeader => "refresh-header",
            Self::Script => "script",
            Self::Sitemap => "sitemap",
        }
    }

    /// `true` for kinds that send a visitor on by themselves (refresh,
    /// script): client-side redirects.
    pub fn is_client_redirect(self) -> bool {
        matches!(self, Self::MetaRefresh | Self::RefreshHeader | Self::Script)
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
