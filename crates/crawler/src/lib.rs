//! The crawling engine of redirect-audit: fetches URLs one hop at a time
//! (reqwest with automatic redirects off), records every response exactly as
//! sent, extracts links from HTML pages, seeds from sitemaps, obeys robots.txt
//! and rate limits, and assembles redirect chains.
//!
//! The output is plain [`model::CrawlOutput`] data; nothing here prints.
#![deny(missing_docs)]

mod budget;
mod chains;
mod config;
mod discovery;
mod dns;
mod engine;
mod error;
mod extract;
mod fetch;
mod frontier;
mod graph;
mod guard;
mod html_scan;
mod limits;
mod politeness;
mod records;
mod refresh;
mod reporter;
mod robots;
mod scope;
mod seen;
mod sitemap;
mod spool;

pub use chains::assemble_chains;
pub use config::{
    CrawlConfig, DEFAULT_CONCURRENCY, DEFAULT_CONNECT_TIMEOUT, DEFAULT_FRONTIER_IN_MEMORY,
    DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_HOPS, DEFAULT_MAX_PER_PATTERN,
    DEFAULT_MAX_RETRY_AFTER, DEFAULT_MAX_URLS, DEFAULT_RATE, DEFAULT_RETRIES,
    DEFAULT_RETRY_BACKOFF, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, ERROR_WINDOW,
    ERROR_WINDOW_FAILURES,
};
pub use dns::{HostResolver, PrivateAnswer};
pub use engine::{Crawler, Seed};
pub use error::Error;
pub use extract::{ExtractedLink, extract_links};
#[cfg(any(feature = "html5gum", feature = "lol_html"))]
pub use extract::{Extractor, extract_links_with};
pub use model::resolve_location;
pub use refresh::{Refresh, parse_refresh};
pub use reporter::{NoReporter, Reporter};
pub use robots::robots_allows;
pub use scope::Scope;
pub use sitemap::{ParsedSitemap, parse_sitemap};
