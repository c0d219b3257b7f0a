//! The one error type of the pipeline: failures of the audit itself (a URL
//! that fails is data in the reports, never an `Err`).

use std::path::PathBuf;

/// Why an audit could not run, or could not be saved. Every message names
/// what failed and where; the library error underneath is kept as the
/// source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The report folder could not be created or written to (checked before
    /// the crawl).
    #[error("cannot write the report folder {}", path.display())]
    ReportFolder {
        /// The audit folder.
        path: PathBuf,
        /// What the report writer said.
        #[source]
        source: report::Error,
    },
    /// The history file could not be opened (corrupt, foreign, newer, …).
    #[error("cannot use the history file {}", path.display())]
    OpenHistory {
        /// The history file.
        path: PathBuf,
        /// What the history store said (boxed: it is large, and this
        /// error is returned on every path of an audit).
        #[source]
        source: Box<history::Error>,
    },
    /// Earlier audits could not be read from the history file.
    #[error("cannot read the history file {}", path.display())]
    ReadHistory {
        /// The history file.
        path: PathBuf,
        /// What the history store said (boxed: it is large, and this
        /// error is returned on every path of an audit).
        #[source]
        source: Box<history::Error>,
    },
    /// The crawler refused its configuration.
    #[error("cannot start the crawler")]
    StartCrawler {
        /// What the crawler said.
        #[source]
        source: crawler::Error,
    },
    /// The crawl itself failed (not a URL: the run).
    #[error("the crawl failed")]
    Crawl {
        /// What the crawler said.
        #[source]
        source: crawler::Error,
    },
    /// The crawl's own working files could not be read back after the
    /// crawl (a full or failing disk): analysis stopped where they failed,
    /// so its findings are not written.
    #[error("the crawl's working files failed")]
    WorkingFiles {
        /// What reading them said.
        #[source]
        source: model::PageStoreError,
    },
    /// A report file could not be written.
    #[error("cannot write {file} in {}", dir.display())]
    WriteReport {
        /// The file name, e.g. `findings.csv`.
        file: &'static str,
        /// The audit folder.
        dir: PathBuf,
        /// What the report writer said.
        #[source]
        source: report::Error,
    },
    /// The findings spooled beside the reports could not be sorted.
    #[error("cannot sort the findings in {}", dir.display())]
    SortFindings {
        /// The audit folder.
        dir: PathBuf,
        /// What the spool said.
        #[source]
        source: report::Error,
    },
    /// The `latest` link of the site's folder could not be moved to this
    /// audit.
    #[error("cannot update {}/latest", host_dir.display())]
    UpdateLatest {
        /// The site's folder under the reports folder.
        host_dir: PathBuf,
        /// What the report writer said.
        #[source]
        source: report::Error,
    },
    /// The finished audit could not be recorded in the history file.
    #[error("cannot record the audit in {}", path.display())]
    RecordHistory {
        /// The history file.
        path: PathBuf,
        /// What the history store said (boxed: it is large, and this
        /// error is returned on every path of an audit).
        #[source]
        source: Box<history::Error>,
    },
    /// The audit ran and its reports were written, but it could not be
    /// recorded in history (the database went away, the disk is full …).
    /// `history import` loads the report folder later.
    #[error(
        "the reports are in {}, but the audit was NOT saved in the history {history}; \
         load it later with: redirect-audit history import {} --history <HISTORY>",
        report_dir.display(),
        report_dir.display()
    )]
    SaveHistory {
        /// The history: a file, or a database URL without password.
        history: String,
        /// The audit folder, complete.
        report_dir: PathBuf,
        /// What the history store said (boxed: it is large).
        #[source]
        source: Box<history::Error>,
    },
    /// A `check` list (CSV with a header) could not be read.
    #[error("cannot read the list {list}")]
    ReadList {
        /// The list as named on the command line (`-` for standard input).
        list: String,
        /// Where the CSV is broken.
        #[source]
        source: csv::Error,
    },
    /// An earlier audit folder's `hops.csv` could not be read back.
    #[error("cannot read {}", path.display())]
    ImportRead {
        /// The `hops.csv` file.
        path: PathBuf,
        /// What the report reader said.
        #[source]
        source: report::Error,
    },
    /// The folder says nothing of when its audit ran, and no time was given.
    #[error("{} has no readable summary.json: give the audit's time with --at RFC3339", dir.display())]
    ImportTime {
        /// The audit folder.
        dir: PathBuf,
    },
    /// The folder's `hops.csv` has no rows: nothing to import.
    #[error("{} has no redirect hops to import", path.display())]
    ImportEmpty {
        /// The `hops.csv` file.
        path: PathBuf,
    },
    /// The audit's start URL (from summary.json or the first chain) does
    /// not parse, so its site is unknown.
    #[error("cannot tell the site of '{url}'")]
    ImportSite {
        /// The start URL as read.
        url: String,
    },
    /// An `--access-log` path does not exist or cannot be listed (checked
    /// before the crawl; a log whose content is broken is reported, not an
    /// error).
    // The source names the path and the cause; this says what is expected.
    #[error("an access log path must be an existing file, .gz file or directory you can read")]
    AccessLog {
        /// The path given.
        path: PathBuf,
        /// What the log reader said (it names the path).
        #[source]
        source: accesslog::Error,
    },
    /// The access-log evidence could not be read from or written to the
    /// history file.
    #[error("cannot keep the access-log evidence in the history file {}", path.display())]
    AccessLogHistory {
        /// The history file.
        path: PathBuf,
        /// What the history store said.
        #[source]
        source: Box<history::Error>,
    },
}

impl Error {
    /// What a failed read of `store` becomes: [`Error::ReadHistory`]
    /// naming the history (a database without its password).
    pub(crate) fn reading_history(
        store: &history::History,
    ) -> impl FnOnce(history::Error) -> Self + use<> {
        let path = PathBuf::from(store.location().to_string());
        move |source| Self::ReadHistory {
            path,
            source: Box::new(source),
        }
    }
}
