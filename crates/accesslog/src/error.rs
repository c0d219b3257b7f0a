//! The crate's one error type: failures the caller must act on (a missing
//! log path, an unusable Googlebot ranges file). A bad *line* or a broken
//! file inside a log is never an `Err`: it is counted in the
//! [`LogSummary`](crate::LogSummary) and reading goes on.

use std::io;
use std::path::PathBuf;

/// A failure to start reading, naming the path involved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A `--access-log` path does not exist or cannot be listed.
    #[error("cannot read access log {}", path.display())]
    LogPath {
        /// The path given.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The Googlebot ranges file is missing or unreadable.
    #[error("cannot read the Googlebot ranges file {}", path.display())]
    RangesRead {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The Googlebot ranges file is not Google's JSON format.
    #[error("{} is not a Googlebot ranges file (Google's googlebot.json format)", path.display())]
    RangesJson {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// A prefix in the Googlebot ranges file is not an address/length pair.
    #[error("{} has an invalid prefix {prefix:?}", path.display())]
    RangesPrefix {
        /// The file.
        path: PathBuf,
        /// The prefix as written.
        prefix: String,
    },
}
