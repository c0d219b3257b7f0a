//! The one error type of the history store.

use std::io;
use std::path::PathBuf;

/// Why the history store could not do what was asked. Every message names
/// the history file; the underlying I/O or SQLite error is kept as the
/// source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The folder that should hold the history file could not be created.
    #[error("cannot create the folder {} for the audit history", path.display())]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: io::Error,
    },
    /// The history file exists but could not be read (permissions, a
    /// folder in its place …).
    #[error("cannot read the audit history file {}", path.display())]
    Read {
        /// The history file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: io::Error,
    },
    /// The file is not an SQLite database, or is a damaged one. It was left
    /// exactly as it was.
    #[error(
        "the audit history file {} is corrupt ({reason}); it was left untouched: \
         move it aside (or pass another --history file) to start a new history",
        path.display()
    )]
    Corrupt {
        /// The history file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
        /// SQLite's error, when SQLite is the one that noticed.
        #[source]
        source: Option<rusqlite::Error>,
    },
    /// The file is a healthy SQLite database, but not one this tool wrote.
    /// It was left exactly as it was.
    #[error(
        "{} is an SQLite database but not a redirect-audit history \
         (application_id {application_id:#010x}); it was left untouched",
        path.display()
    )]
    NotHistory {
        /// The file.
        path: PathBuf,
        /// The `PRAGMA application_id` found in it.
        application_id: i32,
    },
    /// The history was written by a newer redirect-audit whose schema this
    /// version does not know. It was left exactly as it was.
    #[error(
        "the audit history file {} has schema version {found}, newer than the \
         version {supported} this redirect-audit supports; it was left untouched: \
         upgrade redirect-audit to use it",
        path.display()
    )]
    NewerSchema {
        /// The history file.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The newest schema version this build knows ([`crate::SCHEMA_VERSION`]).
        supported: i64,
    },
    /// Another process (usually a second audit) held the history file locked
    /// for longer than the busy timeout. Nothing was written.
    #[error(
        "the audit history file {} stayed locked by another process (another \
         audit running?) past the busy timeout; nothing was written",
        path.display()
    )]
    Busy {
        /// The history file.
        path: PathBuf,
        /// SQLite's `SQLITE_BUSY` or `SQLITE_LOCKED` error.
        #[source]
        source: rusqlite::Error,
    },
    /// `settings_json` of an [`crate::AuditRecord`] is not valid JSON.
    #[error("the settings of the audit to record in {} are not valid JSON", path.display())]
    InvalidSettings {
        /// The history file.
        path: PathBuf,
        /// Where the JSON is broken.
        #[source]
        source: serde_json::Error,
    },
    /// A timestamp falls before the year 0, which the history's sortable
    /// text form cannot hold.
    #[error(
        "cannot store the timestamp {timestamp} in the audit history file {}: \
         only years 0 to 9999 are supported",
        path.display()
    )]
    TimestampOutOfRange {
        /// The history file.
        path: PathBuf,
        /// The timestamp.
        timestamp: jiff::Timestamp,
    },
    /// The findings handed to
    /// [`crate::HistoryStore::record_audit_with_findings`] could not be read
    /// (their spool on disk failed). Nothing was written.
    #[error(
        "cannot read the audit's findings to record them in the audit history file {}; \
         nothing was written",
        path.display()
    )]
    ReadFindings {
        /// The history file.
        path: PathBuf,
        /// What reading the findings said.
        #[source]
        source: io::Error,
    },
    /// Any other SQLite failure (disk full, read-only file …).
    #[error("audit history file {}: {action} failed", path.display())]
    Sqlite {
        /// The history file.
        path: PathBuf,
        /// What the store was doing, e.g. `recording the audit`.
        action: &'static str,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// A `postgres://` URL the driver cannot read.
    #[error("invalid PostgreSQL URL {url}: {reason}")]
    InvalidUrl {
        /// The URL, without its password.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The PostgreSQL server could not be reached, or refused the login.
    #[error(
        "cannot connect to the audit history database {url} (is the server running, \
         reachable and accepting this user?)"
    )]
    Connect {
        /// The URL, without its password.
        url: String,
        /// What the driver said.
        #[source]
        source: postgres::Error,
    },
    /// Any other PostgreSQL failure (the server went away, disk full …).
    #[error("audit history database {url}: {action} failed")]
    Postgres {
        /// The URL, without its password.
        url: String,
        /// What the store was doing, e.g. `recording the audit`.
        action: &'static str,
        /// What the driver said.
        #[source]
        source: postgres::Error,
    },
    /// Another audit of the same site held the site's lock in the database
    /// for longer than the lock timeout. Nothing was read or written.
    #[error(
        "another audit of {site} is using the audit history database {url} and kept it \
         locked past the lock timeout of {} s; nothing was written",
        timeout.as_secs_f64()
    )]
    Locked {
        /// The URL, without its password.
        url: String,
        /// The site.
        site: String,
        /// How long this audit waited.
        timeout: std::time::Duration,
    },
    /// The database holds a history of a newer schema. It was left
    /// exactly as it was.
    #[error(
        "the audit history database {url} has schema version {found}, newer than the \
         version {supported} this redirect-audit supports; it was left untouched: \
         upgrade redirect-audit to use it"
    )]
    NewerDatabaseSchema {
        /// The URL, without its password.
        url: String,
        /// The schema version in the database.
        found: i64,
        /// The newest schema version this build knows ([`crate::SCHEMA_VERSION`]).
        supported: i64,
    },
    /// The database has a `redirect_audit` schema with tables that
    /// redirect-audit did not create. It was left exactly as it was.
    #[error(
        "the database {url} has a schema redirect_audit that redirect-audit did not \
         create; it was left untouched"
    )]
    NotHistoryDatabase {
        /// The URL, without its password.
        url: String,
    },
    /// `history migrate` copied the history, but the counts in the
    /// destination differ from the source's.
    #[error(
        "the copy in {to} does not match {from}: {what} {found} there, {expected} in the source"
    )]
    MigrateMismatch {
        /// The source, without password.
        from: String,
        /// The destination, without password.
        to: String,
        /// What was counted: `audits`, `observations`, `findings`.
        what: &'static str,
        /// The count in the source.
        expected: u64,
        /// The count in the destination.
        found: u64,
    },
    /// `history migrate` refuses a destination that already holds history
    /// (audits or access-log evidence) of a site the source holds: the two
    /// would mix. Other sites' histories may be there (one file per site
    /// gathered into one database).
    #[error(
        "{to} already holds history of {site}, which the source holds too; migrate into a history without it"
    )]
    MigrateNotEmpty {
        /// The destination, without password.
        to: String,
        /// The first site both hold.
        site: String,
    },
}

impl Error {
    /// Sorts an SQLite error into [`Error::Busy`], [`Error::Corrupt`] or
    /// [`Error::Sqlite`], so callers can match on what matters to them.
    pub(crate) fn sqlite(
        path: &std::path::Path,
        action: &'static str,
        source: rusqlite::Error,
    ) -> Self {
        use rusqlite::ErrorCode;
        let path = path.to_path_buf();
        match source.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                Self::Busy { path, source }
            }
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Self::Corrupt {
                path,
                reason: format!("SQLite reported it while {action}"),
                source: Some(source),
            },
            _ => Self::Sqlite {
                path,
                action,
                source,
            },
        }
    }
}
