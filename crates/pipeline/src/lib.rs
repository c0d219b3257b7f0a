//! One audit from start to finish, the same for `crawl`, `check` and
//! `demo`: history read → crawl → analysis → reports → history written.
//!
//! The binary describes an audit with an [`AuditJob`] (plain settings, no
//! argument-parser types), calls [`run`] with a [`Reporter`] for progress
//! and a stop signal, and maps the [`AuditOutcome`] (or the [`Error`]) to
//! an exit code and text for people. Nothing here prints.
//!
//! `--fail-on-new` compares this audit's findings with the previous audit's
//! findings kept in history ([`history::HistoryStore::previous_findings`]);
//! without history every finding counts as new, as on a first audit.
#![deny(missing_docs)]

mod access_logs;
mod crawl_reports;
mod error;
mod html_report;
mod import;
mod job;
mod list;
mod memory;
mod outcome;
mod run;

#[cfg(test)]
mod tests;

pub use access_logs::{AccessLogs, DEFAULT_LOG_DAYS, import_logs};
pub use error::Error;
pub use import::{ImportedAudit, import_audit};
pub use job::{AuditJob, FailOn, HistoryFile};
pub use list::{ListEntry, ParsedList, list_name, list_seeds, parse_list};
pub use outcome::{AuditOutcome, Verdict};
pub use run::{Reporter, run};
