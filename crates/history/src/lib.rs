//! The audit history store: every audit and every redirect it saw, so
//! later audits can tell how long a temporary redirect has been in place
//! and what changed since last time. Kept in one SQLite file per audited
//! site (the embedded default, [`HistoryStore`]) or in a PostgreSQL
//! database that many audit processes share ([`PgStore`]); [`History`] is
//! the one API over both.
//!
//! The audit pipeline reads it before an audit
//! ([`History::prior_observations`] for analysis,
//! [`History::previous_findings`] for `--fail-on-new`) and writes the
//! finished audit with its findings after it
//! ([`History::record_audit_with_findings`], one transaction). Each
//! site's access-log evidence is kept beside its audits
//! ([`History::log_evidence`], [`History::add_log_evidence`]). The store never prints
//! and never overwrites a history it does not recognise: a corrupt file, a
//! foreign SQLite database or a history from a newer schema is refused with
//! an [`Error`] that names it.
#![deny(missing_docs)]

mod audit;
mod error;
mod front;
mod location;
mod logs;
mod postgres;
mod schema;
mod sites;
mod store;
mod timestamp;
mod transfer;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_logs;
#[cfg(test)]
mod tests_postgres;

pub use audit::{AuditId, AuditRecord, AuditStatus, AuditSummary, PreviousFindings};
pub use error::Error;
pub use front::History;
pub use location::{HistoryLocation, PgUrl};
pub use logs::StoredLogs;
pub use postgres::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_LOCK_TIMEOUT, PgStore};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use sites::SiteSummary;
pub use store::{DEFAULT_BUSY_TIMEOUT, HistoryStore, default_history_path};
pub use transfer::HistoryCounts;
