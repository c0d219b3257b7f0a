//! One fetched URL: its record, and how it entered the crawl.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Hop;

/// How a URL first entered the crawl.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Discovery {
    /// The start URL, or a line of a `check` list.
    Seed,
    /// A reference on a crawled page (see the link kinds).
    Link,
    /// A `<loc>` in a sitemap.
    Sitemap,
    /// Only as the target of a redirect hop.
    Redirect,
}

impl Discovery {
    /// Stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seed => "seed",
            Self::Link => "link",
            Self::Sitemap => "sitemap",
            Self::Redirect => "redirect",
        }
    }
}

impl fmt::Display for Discovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One fetched (or deliberately not fetched) URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRecord {
    /// The normalised URL (the dedup key).
    pub url: String,
    /// The URL as first found, before normalisation (may hold a fragment).
    pub found_as: String,
    /// Link depth from the start URL (redirect hops do not add depth).
    pub depth: u32,
    /// How the URL first entered the crawl.
    pub discovery: Discovery,
    /// The page, sitemap or redirecting URL it was first found on.
    pub found_on: Option<String>,
    /// Whether the URL is inside the audited scope (out-of-scope URLs are
    /// fetched only as redirect targets, never parsed).
    pub in_scope: bool,
    /// Whether any sitemap lists it.
    pub in_sitemap: bool,
    /// The response (or failure) it got.
    pub response: Hop,
}
