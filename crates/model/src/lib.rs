//! Plain data shared by every redirect-audit crate: what the crawler saw
//! (responses, hops, chains, links) and what analysis concluded (findings).
//!
//! Nothing here does I/O or knows about async, reqwest or scraper: the types
//! are owned values that flow one way, crawler → analysis → report.
#![deny(missing_docs)]

mod access_log;
mod chain;
mod crawl;
mod expectation;
mod finding;
mod history;
mod hop;
mod link;
mod page;
mod pages;
mod raw;
mod resolve;
mod sink;
mod site;
mod status;
mod url_norm;

pub use access_log::{AccessLogFacts, GooglebotFigures, LogFacts, LogRun};
pub use chain::{Chain, ChainEnd, RedirectKind};
pub use crawl::{AuditEnd, CrawlOutput, CrawlStats, ReferrerCount, Truncation};
pub use expectation::Expectation;
pub use finding::{
    AGE_FROM_ACCESS_LOG, AGE_FROM_AUDITS, AGE_FROM_BOTH, AGE_SOURCES, Evidence, Finding, Severity,
    sort_findings,
};
pub use history::{Change, ChangeKind, Observation, PriorObservations};
pub use hop::{FetchError, FetchErrorKind, Hop};
pub use link::{Link, LinkKind, Written};
pub use page::{Discovery, PageRecord};
pub use pages::{PageStore, PageStoreError, Pages};
pub use raw::RawValue;
pub use raw::escape_bytes;
pub use resolve::resolve_location;
pub use sink::FindingSink;
pub use site::{Site, without_www};
pub use status::{
    is_inconclusive_status, is_permanent_status, is_redirect_status, is_temporary_status,
};
pub use url_norm::{normalize_url, without_fragment};
