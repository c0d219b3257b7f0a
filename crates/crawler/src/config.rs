//! Every knob of a crawl, with defaults safe for a production site at night.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::{HostResolver, Scope};

/// Default user agent. The robots.txt product token is `redirect-audit`.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "redirect-audit/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/redirect-audit/redirect-audit)"
);
/// Requests in flight at once. Screaming Frog's default is 5 threads; 4 keeps
/// a nightly audit well below what a small origin notices.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Requests per second across the whole crawl (0 = unlimited).
pub const DEFAULT_RATE: u32 = 10;
/// Redirects followed per chain: a chain holds at most this many redirects
/// and the response of the last target. Googlebot stops after 10 (analysis
/// flags more); following further shows where a long chain really ends.
pub const DEFAULT_MAX_HOPS: usize = 20;
/// URLs fetched at most (redirect targets of fetched URLs still complete
/// their chains).
pub const DEFAULT_MAX_URLS: usize = 100_000;
/// Link depth from the start URL.
pub const DEFAULT_MAX_DEPTH: u32 = 50;
/// Per-request timeout (whole request, body included).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// TCP + TLS connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Body bytes read at most (after decompression); the rest is not read.
pub const DEFAULT_MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Retries after a network error, a 5xx, or a 429/503.
pub const DEFAULT_RETRIES: u32 = 2;
/// First backoff; doubles on each retry.
pub const DEFAULT_RETRY_BACKOFF: Duration = Duration::from_millis(500);
/// Longest `Retry-After` honoured; a longer one ends the retries.
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// URLs crawled at most per URL pattern (path with ids replaced, repeated
/// segments collapsed, query values dropped): the spider-trap guard.
pub const DEFAULT_MAX_PER_PATTERN: usize = 10_000;
/// Queued URLs kept in memory; beyond this many the frontier's middle waits
/// in the spool folder, so a crawl that discovers a million URLs at once
/// holds a few thousand.
pub const DEFAULT_FRONTIER_IN_MEMORY: usize = 8192;
/// The crawl safeguard: the last this-many responses are watched…
pub const ERROR_WINDOW: usize = 100;
/// …and when this many of them failed (no response, 429 or 5xx) the crawl
/// stops rather than hammer a struggling site.
pub const ERROR_WINDOW_FAILURES: usize = 90;

/// Settings of one crawl. Build with [`CrawlConfig::new`] and adjust fields.
#[derive(Clone, Debug)]
pub struct CrawlConfig {
    /// Which URLs are crawled (fetched and parsed for links).
    pub scope: Scope,
    /// Follow links found on pages (`false` in list mode).
    pub follow_links: bool,
    /// Seed from robots.txt `Sitemap:` lines and `/sitemap.xml`.
    pub use_sitemaps: bool,
    /// Obey robots.txt (Disallow and Crawl-delay).
    pub obey_robots: bool,
    /// The User-Agent header; its first token matches robots.txt groups.
    pub user_agent: String,
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    pub per_host_concurrency: usize,
    /// Requests per second across the crawl; 0 = unlimited.
    pub rate: u32,
    /// Requests per second to one host; 0 = unlimited.
    pub per_host_rate: u32,
    /// Redirects followed per chain (see [`DEFAULT_MAX_HOPS`]); every
    /// redirect target within this many redirects of any chain start is
    /// fetched.
    pub max_hops: usize,
    /// URLs fetched at most.
    pub max_urls: usize,
    /// Link depth at most.
    pub max_depth: u32,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Whole-audit deadline; `None` = none.
    pub deadline: Option<Duration>,
    /// Body bytes read at most.
    pub max_body_bytes: usize,
    /// Retries per URL.
    pub retries: u32,
    /// First retry backoff.
    pub retry_backoff: Duration,
    /// Longest Retry-After honoured.
    pub max_retry_after: Duration,
    /// Accept invalid TLS certificates (never the default).
    pub insecure: bool,
    /// Host names resolved to fixed addresses, like curl's `--resolve`.
    pub resolve: Vec<(String, SocketAddr)>,
    /// How host names not in [`CrawlConfig::resolve`] are looked up (the
    /// system's resolver by default). Its answers go through the
    /// private-address guard (see [`CrawlConfig::allow_private`]).
    pub resolver: HostResolver,
    /// Look up no host name in DNS: hosts not in [`CrawlConfig::resolve`]
    /// fail without a request (the offline demo uses this so that a
    /// malformed Location naming some other host never leaves the machine).
    pub resolve_only: bool,
    /// URLs crawled at most per URL pattern; 0 = no cap.
    pub max_per_pattern: usize,
    /// Follow redirects into (and connect to names that resolve to) private,
    /// loopback or link-local addresses even when the start URL is public (never needed for a public site's audit;
    /// off by default so a hostile redirect cannot probe the local network).
    pub allow_private: bool,
    /// Stop when nearly every recent request fails (see [`ERROR_WINDOW`]).
    pub error_safeguard: bool,
    /// Where the crawl keeps its working files (page records, references,
    /// the frontier's overflow): unnamed temporary files, gone when the crawl
    /// ends. `None` = the system's temporary folder.
    pub spool_dir: Option<PathBuf>,
    /// Queued URLs kept in memory before the frontier spills to disk.
    pub frontier_in_memory: usize,
}

impl CrawlConfig {
    /// Defaults for crawling `scope`.
    pub fn new(scope: Scope) -> Self {
        Self {
            scope,
            follow_links: true,
            use_sitemaps: true,
            obey_robots: true,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            concurrency: DEFAULT_CONCURRENCY,
            per_host_concurrency: DEFAULT_CONCURRENCY,
            rate: DEFAULT_RATE,
            per_host_rate: 0,
            max_hops: DEFAULT_MAX_HOPS,
            max_urls: DEFAULT_MAX_URLS,
            max_depth: DEFAULT_MAX_DEPTH,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            deadline: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            retries: DEFAULT_RETRIES,
            retry_backoff: DEFAULT_RETRY_BACKOFF,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            insecure: false,
            resolve: Vec::new(),
            resolver: HostResolver::system(),
            resolve_only: false,
            max_per_pattern: DEFAULT_MAX_PER_PATTERN,
            allow_private: false,
            error_safeguard: true,
            spool_dir: None,
            frontier_in_memory: DEFAULT_FRONTIER_IN_MEMORY,
        }
    }

    /// The folder for the crawl's temporary files.
    pub fn spool_dir(&self) -> PathBuf {
        self.spool_dir.clone().unwrap_or_else(std::env::temp_dir)
    }

    /// The robots.txt product token: the user agent up to its first `/` or
    /// space (`redirect-audit/0.1 (+…)` → `redirect-audit`).
    pub fn robots_token(&self) -> &str {
        self.user_agent
            .split(['/', ' '])
            .next()
            .filter(|t| !t.is_empty())
            .unwrap_or("redirect-audit")
    }
}
