//! The audit history store: one SQLite file per audited site that remembers
//! every audit and every redirect it saw, so later audits can tell how long
//! a temporary redirect has been in place and what changed since last time.
//!
//! The audit pipeline reads it before an audit
//! ([`HistoryStore::prior_observations`] for analysis,
//! [`HistoryStore::previous_findings`] for `--fail-on-new`) and writes the
//! finished audit with its findings after it
//! ([`HistoryStore::record_audit_with_findings`], one transaction). Each
//! site's access-log evidence is kept beside its audits
//! ([`HistoryStore::log_evidence`], [`HistoryStore::add_log_evidence`]). The store never prints
//! and never overwrites a file it does not recognise: a corrupt file, a
//! foreign SQLite database or a history from a newer schema is refused with
//! an [`Error`] that names it.
#![deny(missing_docs)]

mod audit;
mod error;
mod logs;
mod schema;
mod store;
mod timestamp;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_logs;

pub use audit::{AuditId, AuditRecord, AuditStatus, AuditSummary, PreviousFindings};
pub use error::Error;
pub use logs::StoredLogs;
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};
pub use store::{DEFAULT_BUSY_TIMEOUT, HistoryStore, default_history_path};
