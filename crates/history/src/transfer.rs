//! `history migrate`: a whole history copied from one backend to the
//! other, audit by audit, and checked by counts.

use jiff::Timestamp;
use model::{Finding, Observation, Severity};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::store::{parse_hop_statuses, parse_timestamp};
use crate::{AuditRecord, AuditStatus, Error, History};

/// How much a history holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryCounts {
    /// Audits.
    pub audits: u64,
    /// Observations, over all audits.
    pub observations: u64,
    /// Findings kept, over all audits.
    pub findings: u64,
    /// Paths with access-log evidence, over all sites.
    pub log_paths: u64,
    /// Fingerprints of access-log content read (chunks and tail lines),
    /// over all sites.
    pub log_fingerprints: u64,
}

/// One audit as stored, to be written elsewhere.
struct StoredAudit {
    record: AuditRecord,
    observations: Vec<Observation>,
    /// `None` when the audit kept no findings (an imported one).
    findings: Option<Vec<Finding>>,
}

const COUNTS_SQL: &str = "SELECT (SELECT count(*) FROM audits), \
     (SELECT count(*) FROM observations), (SELECT count(*) FROM findings), \
     (SELECT count(*) FROM log_paths), \
     (SELECT count(*) FROM log_chunks) + (SELECT count(*) FROM log_tail_lines)";
const COUNTS_SQL_POSTGRES: &str = "SELECT (SELECT count(*) FROM redirect_audit.audits), \
     (SELECT count(*) FROM redirect_audit.observations), \
     (SELECT count(*) FROM redirect_audit.findings), \
     (SELECT count(*) FROM redirect_audit.log_paths), \
     (SELECT count(*) FROM redirect_audit.log_chunks) \
       + (SELECT count(*) FROM redirect_audit.log_tail_lines)";
/// Every site with access-log evidence.
const LOG_SITES_SQL: &str = "SELECT site FROM log_paths UNION SELECT site FROM log_chunks \
     UNION SELECT site FROM log_tail_lines ORDER BY site";
const LOG_SITES_SQL_POSTGRES: &str = "SELECT site FROM redirect_audit.log_paths \
     UNION SELECT site FROM redirect_audit.log_chunks \
     UNION SELECT site FROM redirect_audit.log_tail_lines ORDER BY site";

impl History {
    /// How many audits, observations and findings the history holds.
    pub fn counts(&mut self) -> Result<HistoryCounts, Error> {
        let counts: [i64; 5] = match self {
            Self::Sqlite(store) => {
                let path = store.path();
                store
                    .conn
                    .query_row(COUNTS_SQL, [], |r| {
                        Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
                    })
                    .map_err(|e| Error::sqlite(path, "counting", e))?
            }
            Self::Postgres(store) => {
                let err = store.err("counting");
                store
                    .on_own_thread(|c| c.query_one(COUNTS_SQL_POSTGRES, &[]))
                    .map(|r| [r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)])
                    .map_err(err)?
            }
        };
        // count(*) is never negative.
        let [audits, observations, findings, log_paths, log_fingerprints] =
            counts.map(i64::unsigned_abs);
        Ok(HistoryCounts {
            audits,
            observations,
            findings,
            log_paths,
            log_fingerprints,
        })
    }

    /// Copies every audit of `self` into `to`, oldest id first, each in one
    /// transaction, and each site's access-log evidence, then compares the
    /// counts: what `to` gained must be what `self` holds. `to` may hold
    /// other sites (several files gathered into one database) but none of
    /// `self`'s ([`Error::MigrateNotEmpty`]); a difference in the counts is
    /// [`Error::MigrateMismatch`]. Ids are handed out anew by `to`.
    pub fn copy_into(&mut self, to: &mut History) -> Result<HistoryCounts, Error> {
        let expected = self.counts()?;
        let before = to.counts()?;
        let taken = to.sites_held()?;
        if let Some(site) = self.sites_held()?.into_iter().find(|s| taken.contains(s)) {
            return Err(Error::MigrateNotEmpty {
                to: to.location().to_string(),
                site,
            });
        }
        for id in self.audit_ids()? {
            let audit = self.stored_audit(id)?;
            match &audit.findings {
                Some(findings) => {
                    to.record_audit_with_findings(&audit.record, &audit.observations, |visit| {
                        findings.iter().try_for_each(visit)
                    })?
                }
                None => to.record_audit(&audit.record, &audit.observations)?,
            };
        }
        for site in self.log_sites()? {
            let stored = self.log_evidence(&site)?;
            let mut evidence = accesslog::LogEvidence::default();
            for (path, e) in &stored.paths {
                evidence.merge_path(path, e);
            }
            evidence.fingerprints = stored.fingerprints;
            to.add_log_evidence(&site, &evidence)?;
        }
        let after = to.counts()?;
        let found = HistoryCounts {
            audits: after.audits.saturating_sub(before.audits),
            observations: after.observations.saturating_sub(before.observations),
            findings: after.findings.saturating_sub(before.findings),
            log_paths: after.log_paths.saturating_sub(before.log_paths),
            log_fingerprints: after
                .log_fingerprints
                .saturating_sub(before.log_fingerprints),
        };
        for (what, expected, found) in [
            ("audits", expected.audits, found.audits),
            ("observations", expected.observations, found.observations),
            ("findings", expected.findings, found.findings),
            ("access-log paths", expected.log_paths, found.log_paths),
            (
                "access-log fingerprints",
                expected.log_fingerprints,
                found.log_fingerprints,
            ),
        ] {
            if expected != found {
                return Err(Error::MigrateMismatch {
                    from: self.location().to_string(),
                    to: to.location().to_string(),
                    what,
                    expected,
                    found,
                });
            }
        }
        Ok(found)
    }

    /// Every site with audits or access-log evidence.
    fn sites_held(&mut self) -> Result<std::collections::BTreeSet<String>, Error> {
        let mut sites: std::collections::BTreeSet<String> =
            self.list_sites()?.into_iter().map(|s| s.site).collect();
        sites.extend(self.log_sites()?);
        Ok(sites)
    }

    /// Every site with access-log evidence.
    fn log_sites(&mut self) -> Result<Vec<String>, Error> {
        self.column(
            LOG_SITES_SQL,
            LOG_SITES_SQL_POSTGRES,
            "listing access-log sites",
        )
    }

    fn audit_ids(&mut self) -> Result<Vec<i64>, Error> {
        self.column(
            "SELECT id FROM audits ORDER BY id",
            "SELECT id FROM redirect_audit.audits ORDER BY id",
            "listing audits",
        )
    }

    /// The one column that `sqlite` (or `postgres`, the same query with the
    /// tables in their schema) selects, row by row.
    fn column<T>(
        &mut self,
        sqlite: &str,
        postgres: &str,
        action: &'static str,
    ) -> Result<Vec<T>, Error>
    where
        T: rusqlite::types::FromSql + for<'a> postgres::types::FromSql<'a>,
    {
        match self {
            Self::Sqlite(store) => {
                let path = store.path();
                let err = |e| Error::sqlite(path, action, e);
                let mut stmt = store.conn.prepare(sqlite).map_err(err)?;
                stmt.query_map([], |r| r.get(0))
                    .map_err(err)?
                    .collect::<Result<Vec<T>, _>>()
                    .map_err(err)
            }
            Self::Postgres(store) => {
                let err = store.err(action);
                let rows = store
                    .on_own_thread(|c| c.query(postgres, &[]))
                    .map_err(err)?;
                Ok(rows.iter().map(|r| r.get(0)).collect())
            }
        }
    }

    fn stored_audit(&mut self, id: i64) -> Result<StoredAudit, Error> {
        let location = std::path::PathBuf::from(self.location().to_string());
        let corrupt = |reason: String| Error::Corrupt {
            path: location.clone(),
            reason,
            source: None,
        };
        type AuditRow = (String, String, String, String, String, String, String, bool);
        type ObservationRow = (
            String,
            Option<i64>,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        type FindingRow = (String, String, String);
        let (audit, observations, findings): (AuditRow, Vec<ObservationRow>, Vec<FindingRow>) =
            match self {
                Self::Sqlite(store) => {
                    let path = store.path();
                    let err = |e| Error::sqlite(path, "reading an audit", e);
                    let audit = store
                        .conn
                        .query_row(
                            "SELECT site, start_url, started_at, ended_at, status, settings_json,
                                    tool_version, findings_kept
                             FROM audits WHERE id = ?1",
                            params![id],
                            |r| AuditRow::try_from(r),
                        )
                        .map_err(err)?;
                    let mut stmt = store
                        .conn
                        .prepare(
                            "SELECT url, first_status, hop_statuses, raw_location, target,
                                    final_url, final_status
                             FROM observations WHERE audit_id = ?1 ORDER BY rowid",
                        )
                        .map_err(err)?;
                    let observations = stmt
                        .query_map(params![id], |r| ObservationRow::try_from(r))
                        .map_err(err)?
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(err)?;
                    let mut stmt = store
                        .conn
                        .prepare(
                            "SELECT rule, url, severity FROM findings
                             WHERE audit_id = ?1 ORDER BY rowid",
                        )
                        .map_err(err)?;
                    let findings = stmt
                        .query_map(params![id], |r| FindingRow::try_from(r))
                        .map_err(err)?
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(err)?;
                    (audit, observations, findings)
                }
                Self::Postgres(store) => {
                    let err = store.err("reading an audit");
                    store
                        .on_own_thread(|c| {
                            let r = c.query_one(
                                "SELECT site, start_url, started_at, ended_at, status,
                                        settings_json, tool_version, findings_kept
                                 FROM redirect_audit.audits WHERE id = $1",
                                &[&id],
                            )?;
                            let audit = (
                                r.get(0),
                                r.get(1),
                                r.get(2),
                                r.get(3),
                                r.get(4),
                                r.get(5),
                                r.get(6),
                                r.get(7),
                            );
                            let observations = c
                                .query(
                                    "SELECT url, first_status::int8, hop_statuses, raw_location,
                                            target, final_url, final_status::int8
                                     FROM redirect_audit.observations
                                     WHERE audit_id = $1 ORDER BY id",
                                    &[&id],
                                )?
                                .iter()
                                .map(|r| {
                                    (
                                        r.get(0),
                                        r.get(1),
                                        r.get(2),
                                        r.get(3),
                                        r.get(4),
                                        r.get(5),
                                        r.get(6),
                                    )
                                })
                                .collect();
                            let findings = c
                                .query(
                                    "SELECT rule, url, severity FROM redirect_audit.findings
                                     WHERE audit_id = $1",
                                    &[&id],
                                )?
                                .iter()
                                .map(|r| (r.get(0), r.get(1), r.get(2)))
                                .collect();
                            Ok((audit, observations, findings))
                        })
                        .map_err(err)?
                }
            };
        let (site, start_url, started_at, ended_at, status, settings_json, tool_version, kept) =
            audit;
        let started_at: Timestamp = parse_timestamp(&location, &started_at)?;
        let status: AuditStatus = status.parse().map_err(corrupt)?;
        let status_of = |s: Option<i64>| {
            s.map(|s| u16::try_from(s).map_err(|_| corrupt(format!("status {s} out of range"))))
                .transpose()
        };
        let observations = observations
            .into_iter()
            .map(
                |(url, first, hops, raw_location, target, final_url, last)| {
                    Ok(Observation {
                        audited_at: started_at,
                        url,
                        first_status: status_of(first)?,
                        hop_statuses: parse_hop_statuses(&location, &hops)?,
                        raw_location,
                        target,
                        final_url,
                        final_status: status_of(last)?,
                    })
                },
            )
            .collect::<Result<Vec<_>, Error>>()?;
        let findings = findings
            .into_iter()
            .map(|(rule, url, severity)| {
                let severity: Severity = severity
                    .parse()
                    .map_err(|_| corrupt(format!("unknown severity '{severity}'")))?;
                Ok(Finding::new(rule, severity, url, ""))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(StoredAudit {
            record: AuditRecord {
                site,
                start_url,
                started_at,
                ended_at: parse_timestamp(&location, &ended_at)?,
                status,
                settings_json,
                tool_version,
            },
            observations,
            findings: kept.then_some(findings),
        })
    }
}
