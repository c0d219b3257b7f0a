//! Failures of the crawl itself (not of a URL: those are data on the record).

/// An error that stops the crawl (before it starts, or when its working
/// files fail).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The start URL is not an absolute http(s) URL.
    #[error("invalid start URL '{url}': {reason}")]
    InvalidStartUrl {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The HTTP client could not be built (TLS backend, bad user agent …).
    #[error("cannot build the HTTP client: {0}")]
    Client(#[source] reqwest::Error),
    /// A setting is out of range.
    #[error("invalid setting: {0}")]
    InvalidSetting(String),
    /// The crawl's working files (records, references, the frontier's
    /// overflow) could not be written or read back, e.g. a full disk.
    #[error("cannot use the crawl's working files in {dir}: {source}")]
    Spool {
        /// The folder holding them.
        dir: std::path::PathBuf,
        /// What failed.
        #[source]
        source: std::io::Error,
    },
}
