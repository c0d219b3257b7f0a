//! What one crawl produced: the records, the chains, the edges, how it
//! ended.

use serde::{Deserialize, Serialize};

use crate::{Chain, Link, LinkKind, PageRecord, Pages};

/// The limit that cut a crawl short.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Truncation {
    /// `--max-urls` was reached with URLs still waiting.
    MaxUrls,
    /// URLs deeper than `--max-depth` were found and not crawled.
    MaxDepth,
    /// The audit deadline passed.
    Deadline,
    /// A per-path-pattern cap (spider-trap guard) skipped URLs.
    PathPattern,
    /// Too many requests failed in a row; the crawl stopped to spare the site.
    ErrorRate,
}

impl Truncation {
    /// Stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MaxUrls => "max-urls",
            Self::MaxDepth => "max-depth",
            Self::Deadline => "deadline",
            Self::PathPattern => "path-pattern",
            Self::ErrorRate => "error-rate",
        }
    }
}

/// How an audit ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum AuditEnd {
    /// Every URL in scope was crawled.
    Completed,
    /// Crawled until a limit; the list says which ones cut it.
    Truncated {
        /// The limits that were hit.
        limits: Vec<Truncation>,
    },
    /// Stopped by a signal (Ctrl-C, SIGTERM) before the end.
    Interrupted,
}

impl AuditEnd {
    /// Stable name used in reports: `completed`, `truncated`, `interrupted`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Truncated { .. } => "truncated",
            Self::Interrupted => "interrupted",
        }
    }
}

/// Counters kept while crawling.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrawlStats {
    /// HTTP requests sent (retries included, robots.txt and sitemaps too).
    pub requests: u64,
    /// Requests that got no response.
    pub errors: u64,
    /// URLs skipped because robots.txt disallows them.
    pub blocked: u64,
    /// References found (anchors, canonicals, hreflang, refreshes, scripts,
    /// sitemap entries). [`CrawlOutput::links`] keeps only those analysis
    /// needs.
    pub links: u64,
    /// Wall time of the crawl in milliseconds.
    pub elapsed_ms: u64,
}

/// Everything a crawl (or a `check` run) recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrawlOutput {
    /// The start URL as given.
    pub start_url: String,
    /// One record per URL fetched or deliberately not fetched (a crawl
    /// stores them on disk, in URL order).
    pub pages: Pages,
    /// One chain per URL that was seeded, linked or listed and answered with
    /// a redirect (URLs reached only as a hop of another chain get none).
    pub chains: Vec<Chain>,
    /// The references analysis needs: every refresh and script reference,
    /// and the anchors, canonicals, hreflang links and sitemap entries that
    /// point at a URL with a chain (one per page and target). When many
    /// pages refer to one URL, only a sample of them is kept (the smallest
    /// URLs) and [`CrawlOutput::referrers`] holds the full count. All
    /// references are counted in [`CrawlStats::links`]. A crawl lists the
    /// sampled references by target URL, then kind, then referrer, and the
    /// client redirects after them in the order they were found.
    pub links: Vec<Link>,
    /// How many pages refer to a URL in one way, for the references whose
    /// referrers [`CrawlOutput::links`] keeps only a sample of. Sorted.
    #[serde(default)]
    pub referrers: Vec<ReferrerCount>,
    /// How the crawl ended.
    pub end: AuditEnd,
    /// Counters.
    pub stats: CrawlStats,
}

/// The number of distinct pages (or sitemap files) referring to a URL in
/// one way.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReferrerCount {
    /// The kind of reference.
    pub kind: LinkKind,
    /// The referenced URL, normalised.
    pub to: String,
    /// Distinct referring pages.
    pub pages: usize,
}

impl CrawlOutput {
    /// The record of a normalised URL, if it was fetched.
    pub fn page(&self, url: &str) -> Option<PageRecord> {
        self.pages.find(url)
    }

    /// Distinct pages referring to `to` as `kind`: the count the crawl kept
    /// when it sampled the referrers, else `sampled` (the referrers in
    /// [`CrawlOutput::links`]).
    pub fn referrer_count(&self, kind: LinkKind, to: &str, sampled: usize) -> usize {
        self.referrers
            .binary_search_by(|r| (r.kind, r.to.as_str()).cmp(&(kind, to)))
            .map_or(sampled, |i| self.referrers[i].pages.max(sampled))
    }
}
