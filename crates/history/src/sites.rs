//! `history list` without `--site`: every site with its last audit.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::store::parse_timestamp;
use crate::{AuditId, AuditStatus, Error, HistoryStore};

/// One site of a history, with its newest audit (whatever its status).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteSummary {
    /// The audited site, `scheme://host[:port]` (or `check:<list>`).
    pub site: String,
    /// Audits recorded for it.
    pub audits: u64,
    /// Its newest audit, by start time then id.
    pub last_audit: AuditId,
    /// When that audit started.
    pub last_started_at: Timestamp,
    /// How that audit ended.
    pub last_status: AuditStatus,
    /// The observations that audit recorded.
    pub last_observations: u64,
    /// The findings that audit kept (0 when it kept none).
    pub last_findings: u64,
}

/// One query for both backends, but for the schema prefix.
macro_rules! sites_sql {
    ($prefix:literal) => {
        concat!(
            "SELECT a.site,
                    (SELECT count(*) FROM ",
            $prefix,
            "audits b WHERE b.site = a.site),
                    a.id, a.started_at, a.status,
                    (SELECT count(*) FROM ",
            $prefix,
            "observations o WHERE o.audit_id = a.id),
                    (SELECT count(*) FROM ",
            $prefix,
            "findings f WHERE f.audit_id = a.id)
             FROM ",
            $prefix,
            "audits a
             WHERE a.id = (SELECT b.id FROM ",
            $prefix,
            "audits b WHERE b.site = a.site
                           ORDER BY b.started_at DESC, b.id DESC LIMIT 1)
             ORDER BY a.site"
        )
    };
}

/// The query for PostgreSQL, whose tables live in `redirect_audit`.
pub(crate) const SITES_SQL_POSTGRES: &str = sites_sql!("redirect_audit.");
const SITES_SQL_SQLITE: &str = sites_sql!("");

impl HistoryStore {
    /// Every site in the history, by name, with its newest audit and
    /// counts.
    pub fn list_sites(&self) -> Result<Vec<SiteSummary>, Error> {
        let path = self.path();
        let sql_err = |e| Error::sqlite(path, "listing sites", e);
        let mut stmt = self.conn.prepare(SITES_SQL_SQLITE).map_err(sql_err)?;
        type SiteRow = (String, i64, i64, String, String, i64, i64);
        let rows = stmt
            .query_map([], |row| SiteRow::try_from(row))
            .map_err(sql_err)?;
        rows.map(|row| {
            let (site, audits, id, started_at, status, observations, findings) =
                row.map_err(sql_err)?;
            Ok(SiteSummary {
                site,
                audits: audits.unsigned_abs(),
                last_audit: AuditId(id),
                last_started_at: parse_timestamp(path, &started_at)?,
                last_status: status.parse().map_err(|reason| Error::Corrupt {
                    path: path.to_path_buf(),
                    reason,
                    source: None,
                })?,
                last_observations: observations.unsigned_abs(),
                last_findings: findings.unsigned_abs(),
            })
        })
        .collect()
    }
}
