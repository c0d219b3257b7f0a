//! The crate's one error type.

use std::io;
use std::path::PathBuf;

/// A failure of the report itself (a folder that cannot be written, a file
/// that cannot be read back). What went wrong with a crawled URL is never an
/// `Error`: it is a row in a CSV.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The report folder could not be created or is not writable.
    #[error("cannot create report folder {}", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The underlying failure.
        #[source]
        source: io::Error,
    },
    /// A report file could not be written (or renamed into place).
    #[error("cannot write {}", path.display())]
    Write {
        /// The file that was being written.
        path: PathBuf,
        /// The underlying failure.
        #[source]
        source: io::Error,
    },
    /// The working files that hold findings while they are sorted could not
    /// be written (e.g. a full disk).
    #[error("cannot keep the findings in working files in {}", dir.display())]
    Spool {
        /// The folder of the working files.
        dir: PathBuf,
        /// The underlying failure.
        #[source]
        source: spool::Error,
    },
    /// A report file could not be opened or read.
    #[error("cannot read {}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying failure.
        #[source]
        source: io::Error,
    },
    /// A CSV file could not be parsed.
    #[error("{} is not a valid report CSV", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The parse error, with its line.
        #[source]
        source: csv::Error,
    },
    /// A CSV file lacks a column the reader needs.
    #[error("{} has no '{column}' column", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The missing column.
        column: &'static str,
    },
    /// `summary.json` could not be parsed.
    #[error("{} is not a valid summary.json", path.display())]
    Json {
        /// The file.
        path: PathBuf,
        /// The parse error.
        #[source]
        source: serde_json::Error,
    },
    /// The folder given to [`crate::update_latest`] has no `summary.json`,
    /// so it is not a finished audit.
    #[error("{} has no summary.json: not a finished audit folder", path.display())]
    NotAnAudit {
        /// The folder.
        path: PathBuf,
    },
    /// `latest` could not be pointed at the audit folder.
    #[error("cannot point {} at {}", link.display(), target.display())]
    Latest {
        /// The `latest` path.
        link: PathBuf,
        /// The audit folder.
        target: PathBuf,
        /// The underlying failure.
        #[source]
        source: io::Error,
    },
}
