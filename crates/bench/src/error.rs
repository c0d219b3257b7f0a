//! The kit's one error type.

use std::io;
use std::path::{Path, PathBuf};

/// A failure of the benchmark run itself (not of a crawled URL).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be written.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// nginx is not installed where it was looked for.
    #[error("nginx is not installed at {}; install it with: apt-get install -y nginx", path.display())]
    NginxMissing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// GNU time is not installed where it was looked for.
    #[error("GNU time is not installed at {}; install it with: apt-get install -y time", path.display())]
    TimeMissing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The binary under test does not exist.
    #[error("no redirect-audit binary at {}; build it with: cargo build --release", path.display())]
    BinaryMissing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// Chromium is not installed where it was looked for.
    #[error("Chromium is not installed at {}; install it with: apt-get install -y chromium", path.display())]
    ChromiumMissing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// Chromium ran but did not render the page.
    #[error("{} failed to render {page} ({status}): {stderr}", path.display())]
    ChromiumFailed {
        /// The program.
        path: PathBuf,
        /// The page.
        page: String,
        /// Its exit status.
        status: std::process::ExitStatus,
        /// What it printed on stderr.
        stderr: String,
    },
    /// A program could not be started or waited for.
    #[error("cannot run {}", path.display())]
    Spawn {
        /// The program.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// nginx exited before its port answered.
    #[error(
        "nginx exited ({status}) before it answered on 127.0.0.1:{port}; its log ends with:\n{log}"
    )]
    NginxExited {
        /// The port it was to listen on.
        port: u16,
        /// Its exit status.
        status: String,
        /// The last lines of its error log.
        log: String,
    },
    /// nginx's port did not answer in time.
    #[error(
        "nginx did not answer on 127.0.0.1:{port} after {tries} tries; its log ends with:\n{log}"
    )]
    NginxNotReady {
        /// The port it was to listen on.
        port: u16,
        /// Connection attempts made.
        tries: u32,
        /// The last lines of its error log.
        log: String,
    },
    /// No free loopback port.
    #[error("cannot find a free port on 127.0.0.1")]
    Port(#[source] io::Error),
    /// GNU time wrote something unexpected.
    #[error("cannot read GNU time's report {}: {text:?}", path.display())]
    TimeOutput {
        /// Its report file.
        path: PathBuf,
        /// What it held.
        text: String,
    },
    /// A CSV file of the audit could not be read.
    #[error("cannot read {}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: csv::Error,
    },
    /// A CSV file of the audit lacks a column.
    #[error("{} has no {column:?} column", path.display())]
    MissingColumn {
        /// The file.
        path: PathBuf,
        /// The column.
        column: String,
    },
    /// `summary.json` could not be read.
    #[error(transparent)]
    Report(#[from] report::Error),
}

impl Error {
    pub(crate) fn write(path: &Path, source: io::Error) -> Self {
        Self::Write {
            path: path.to_owned(),
            source,
        }
    }

    pub(crate) fn csv(path: &Path, source: csv::Error) -> Self {
        Self::Csv {
            path: path.to_owned(),
            source,
        }
    }
}
