//! Failures of the crawl itself (not of a URL: those are data on the record).

/// An error that stops the crawl before it starts.
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
}
