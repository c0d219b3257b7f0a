//! Failures of the crawl itself (not of a URL: those are data on the record).
//!
//! A message never repeats its `#[source]`: the binary prints the whole chain
//! (`{:#}`), so a source in the message would be printed twice.

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
    #[error("cannot build the HTTP client")]
    Client(#[source] reqwest::Error),
    /// A setting is out of range.
    #[error("invalid setting: {0}")]
    InvalidSetting(String),
    /// The crawl's working files (records, references, the frontier's
    /// overflow) could not be written or read back, e.g. a full disk.
    #[error("cannot use the crawl's working files in {}", dir.display())]
    Spool {
        /// The folder holding them.
        dir: std::path::PathBuf,
        /// What failed.
        #[source]
        source: spool::Error,
    },
}

/// An error and its sources, as one line (as the binary prints them).
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(source) = next {
        text.push_str(": ");
        text.push_str(&source.to_string());
        next = source.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_is_printed_once() {
        let error = Error::Spool {
            dir: "/tmp/spool".into(),
            source: spool::Error::Write(std::io::Error::other("No space left on device")),
        };
        assert_eq!(
            chain(&error),
            "cannot use the crawl's working files in /tmp/spool: cannot write a working file: No space left on device"
        );
    }
}
