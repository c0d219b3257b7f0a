//! The crate's one error type.

use std::net::SocketAddr;
use std::path::PathBuf;

/// What went wrong while loading a fixture site or starting a server.
///
/// Serving itself never fails with an `Err`: a connection that breaks is just
/// closed, as a real server would.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A fixture file could not be read.
    #[error("cannot read fixture file {}", path.display())]
    Read {
        /// The file (or folder) that failed.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A `site.toml` is not valid TOML or does not match the format.
    #[error("invalid site file {}", path.display())]
    Toml {
        /// The site file.
        path: PathBuf,
        /// The parser's error, with line and column.
        #[source]
        source: Box<toml::de::Error>,
    },
    /// A route in a `site.toml` parsed but makes no sense.
    #[error("invalid route #{index} (path {route_path:?}) in {}: {reason}", path.display())]
    Route {
        /// The site file.
        path: PathBuf,
        /// The route's position in the file, counting from 1.
        index: usize,
        /// The route's `path` value.
        route_path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A text file of the fixture is not valid UTF-8.
    #[error("fixture file {} is not valid UTF-8", path.display())]
    NotUtf8 {
        /// The file.
        path: PathBuf,
    },
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The demo's TLS front could not be set up (its committed certificate
    /// or key, or the TLS library, refused).
    #[error("cannot start the demo's TLS front: {reason}")]
    Tls {
        /// What failed.
        reason: String,
    },
}
