//! [`History`]: one API over both backends, what the pipeline and the
//! binary use.

use std::io;
use std::time::Duration;

use accesslog::{Fingerprints, LogEvidence};
use jiff::Timestamp;
use model::{Finding, Observation, PriorObservations};

use crate::{
    AuditId, AuditRecord, AuditSummary, Error, HistoryLocation, HistoryStore, PgStore,
    PreviousFindings, SiteSummary, StoredLogs,
};

/// An open history: an SQLite file or a PostgreSQL database. Every method
/// behaves the same on both (the history crate's tests run against both).
#[derive(Debug)]
pub enum History {
    /// An SQLite file.
    Sqlite(HistoryStore),
    /// A PostgreSQL database.
    Postgres(PgStore),
}

/// Calls the same method on whichever store is open.
macro_rules! delegate {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            History::Sqlite($store) => $call,
            History::Postgres($store) => $call,
        }
    };
}

impl History {
    /// Opens the file ([`HistoryStore::open`]) or connects to the database
    /// ([`PgStore::connect`]), creating or migrating the schema.
    pub fn open(location: &HistoryLocation) -> Result<Self, Error> {
        Ok(match location {
            HistoryLocation::File(path) => Self::Sqlite(HistoryStore::open(path)?),
            HistoryLocation::Postgres(url) => Self::Postgres(PgStore::connect(url)?),
        })
    }

    /// The file, or the database's URL without password: what messages
    /// name.
    pub fn location(&self) -> HistoryLocation {
        match self {
            Self::Sqlite(store) => HistoryLocation::File(store.path().to_path_buf()),
            Self::Postgres(store) => HistoryLocation::Postgres(store.url().clone()),
        }
    }

    /// Serialises audits of `site` across processes and machines: waits up
    /// to `timeout` for another audit of it to finish, then holds it until
    /// this history is dropped ([`PgStore::lock_site`]). An SQLite file
    /// needs no such lock (one machine; its writes are serialised by the
    /// file lock, see [`HistoryStore`]), so this does nothing there.
    pub fn lock_site(&mut self, site: &str, timeout: Duration) -> Result<(), Error> {
        match self {
            Self::Sqlite(_) => Ok(()),
            Self::Postgres(store) => store.lock_site(site, timeout),
        }
    }

    /// See [`HistoryStore::record_audit`].
    pub fn record_audit(
        &mut self,
        audit: &AuditRecord,
        observations: &[Observation],
    ) -> Result<AuditId, Error> {
        delegate!(self, s => s.record_audit(audit, observations))
    }

    /// See [`HistoryStore::record_audit_with_findings`].
    pub fn record_audit_with_findings(
        &mut self,
        audit: &AuditRecord,
        observations: &[Observation],
        findings: impl FnOnce(&mut dyn FnMut(&Finding) -> io::Result<()>) -> io::Result<()>,
    ) -> Result<AuditId, Error> {
        delegate!(self, s => s.record_audit_with_findings(audit, observations, findings))
    }

    /// See [`HistoryStore::previous_findings`].
    pub fn previous_findings(
        &mut self,
        site: &str,
        before: Timestamp,
    ) -> Result<Option<PreviousFindings>, Error> {
        delegate!(self, s => s.previous_findings(site, before))
    }

    /// See [`HistoryStore::prior_observations`].
    pub fn prior_observations(
        &mut self,
        site: &str,
        before: Timestamp,
    ) -> Result<PriorObservations, Error> {
        delegate!(self, s => s.prior_observations(site, before))
    }

    /// See [`HistoryStore::list_audits`].
    pub fn list_audits(&mut self) -> Result<Vec<AuditSummary>, Error> {
        delegate!(self, s => s.list_audits())
    }

    /// See [`HistoryStore::audit_starts`].
    pub fn audit_starts(&mut self, site: &str, before: Timestamp) -> Result<Vec<Timestamp>, Error> {
        delegate!(self, s => s.audit_starts(site, before))
    }

    /// See [`HistoryStore::list_sites`].
    pub fn list_sites(&mut self) -> Result<Vec<SiteSummary>, Error> {
        delegate!(self, s => s.list_sites())
    }

    /// See [`HistoryStore::log_evidence`].
    pub fn log_evidence(&mut self, site: &str) -> Result<StoredLogs, Error> {
        delegate!(self, s => s.log_evidence(site))
    }

    /// See [`HistoryStore::log_fingerprints`].
    pub fn log_fingerprints(&mut self, site: &str) -> Result<Fingerprints, Error> {
        delegate!(self, s => s.log_fingerprints(site))
    }

    /// See [`HistoryStore::add_log_evidence`].
    pub fn add_log_evidence(&mut self, site: &str, read: &LogEvidence) -> Result<(), Error> {
        delegate!(self, s => s.add_log_evidence(site, read))
    }

    /// See [`HistoryStore::prune`].
    pub fn prune(&mut self, keep: usize) -> Result<usize, Error> {
        delegate!(self, s => s.prune(keep))
    }
}
