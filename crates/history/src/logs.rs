//! Access-log evidence kept per site (issue 15): the fingerprints of the
//! log content already read, so that reading it again changes nothing, and
//! the merged evidence per path, so that the next audit does not need the
//! same logs again.
//!
//! Portable column types only (TEXT, INTEGER, BLOB): the per-status counts
//! and the per-day Googlebot counts are little-endian BLOBs of fixed-size
//! records (see [`encode_statuses`] and [`encode_days`]).

use accesslog::{DayCount, Fingerprints, LogEvidence, PathEvidence, StatusCounts, TemporaryRun};
use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

use crate::{Error, HistoryStore};

/// What history holds about one site's access logs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoredLogs {
    /// Fingerprints of every log content read for the site: pass them as
    /// [`accesslog::ReadOptions::prior`].
    pub fingerprints: Fingerprints,
    /// The merged evidence per path (path and query as requested), sorted
    /// by path. `requests_since` is not kept (it depends on the bound of
    /// one read) and reads back as 0.
    pub paths: Vec<(String, PathEvidence)>,
}

impl StoredLogs {
    /// No log was ever read for the site.
    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty() && self.paths.is_empty()
    }
}

/// The columns of `log_paths` after `site`, in [`LogPathRow`] order (the
/// same in both backends).
pub(crate) const PATH_COLUMNS: &str = "path, requests, statuses, last_time, last_status, last_final, \
     last_redirect, run_first, run_last, run_status, run_location, run_first_exact, \
     googlebot_days, googlebot_last_seen";

/// What an insert into `log_paths` does with a path the site already has:
/// the merged row replaces it (the same in both backends).
pub(crate) const PATH_UPSERT: &str = "ON CONFLICT (site, path) DO UPDATE SET \
     requests = excluded.requests, statuses = excluded.statuses, \
     last_time = excluded.last_time, last_status = excluded.last_status, \
     last_final = excluded.last_final, last_redirect = excluded.last_redirect, \
     run_first = excluded.run_first, run_last = excluded.run_last, \
     run_status = excluded.run_status, run_location = excluded.run_location, \
     run_first_exact = excluded.run_first_exact, \
     googlebot_days = excluded.googlebot_days, \
     googlebot_last_seen = excluded.googlebot_last_seen";

impl HistoryStore {
    /// Everything history holds about `site`'s access logs.
    pub fn log_evidence(&self, site: &str) -> Result<StoredLogs, Error> {
        self.read_logs(site, true)
    }

    /// The fingerprints of `site`'s log content read before, without the
    /// evidence per path: all a read that only adds to history needs.
    pub fn log_fingerprints(&self, site: &str) -> Result<Fingerprints, Error> {
        Ok(self.read_logs(site, false)?.fingerprints)
    }

    /// The fingerprints, and the evidence per path when `with_paths`.
    fn read_logs(&self, site: &str, with_paths: bool) -> Result<StoredLogs, Error> {
        let path = &self.path;
        let sql_err = |e| Error::sqlite(path, "reading the access-log evidence", e);
        let mut stored = StoredLogs::default();
        let mut chunks = self
            .conn
            .prepare("SELECT fingerprint FROM log_chunks WHERE site = ?1")
            .map_err(sql_err)?;
        let rows = chunks
            .query_map([site], |row| row.get::<_, Vec<u8>>(0))
            .map_err(sql_err)?;
        for bytes in rows {
            let bytes = bytes.map_err(sql_err)?;
            let bytes: [u8; 16] = bytes.try_into().map_err(|_| corrupt(path, "log_chunks"))?;
            stored
                .fingerprints
                .chunks
                .insert(u128::from_le_bytes(bytes));
        }
        let mut tails = self
            .conn
            .prepare("SELECT fingerprint FROM log_tail_lines WHERE site = ?1")
            .map_err(sql_err)?;
        let rows = tails
            .query_map([site], |row| row.get::<_, i64>(0))
            .map_err(sql_err)?;
        for fp in rows {
            // Stored as the same 64 bits, signed.
            stored
                .fingerprints
                .tail_lines
                .insert(fp.map_err(sql_err)? as u64);
        }
        if !with_paths {
            return Ok(stored);
        }
        let mut paths = self
            .conn
            .prepare(&format!(
                "SELECT {PATH_COLUMNS} FROM log_paths WHERE site = ?1 ORDER BY path"
            ))
            .map_err(sql_err)?;
        let rows = paths.query_map([site], read_path).map_err(sql_err)?;
        for row in rows {
            let row = row.map_err(sql_err)?;
            let e = row.evidence().ok_or_else(|| corrupt(path, "log_paths"))?;
            stored.paths.push((row.path, e));
        }
        Ok(stored)
    }

    /// Adds what one read of `site`'s logs found (read with history's
    /// fingerprints as [`accesslog::ReadOptions::prior`], so none of it was
    /// stored before): its fingerprints, and its evidence merged into the
    /// stored evidence of each path with [`PathEvidence::merge`]. One
    /// transaction.
    pub fn add_log_evidence(&mut self, site: &str, read: &LogEvidence) -> Result<(), Error> {
        let path = &self.path;
        let sql_err = |e| Error::sqlite(path, "recording the access-log evidence", e);
        // IMMEDIATE: see `record` (the write lock up front, where the busy
        // timeout applies).
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql_err)?;
        {
            let mut chunk = tx
                .prepare("INSERT INTO log_chunks (site, fingerprint) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .map_err(sql_err)?;
            for fp in &read.fingerprints.chunks {
                chunk
                    .execute(params![site, fp.to_le_bytes().as_slice()])
                    .map_err(sql_err)?;
            }
            let mut tail = tx
                .prepare("INSERT INTO log_tail_lines (site, fingerprint) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .map_err(sql_err)?;
            for &fp in &read.fingerprints.tail_lines {
                tail.execute(params![site, fp as i64]).map_err(sql_err)?;
            }
            let mut get = tx
                .prepare(&format!(
                    "SELECT {PATH_COLUMNS} FROM log_paths WHERE site = ?1 AND path = ?2"
                ))
                .map_err(sql_err)?;
            let mut put = tx
                .prepare(&format!(
                    "INSERT INTO log_paths (site, {PATH_COLUMNS}) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) \
                     {PATH_UPSERT}"
                ))
                .map_err(sql_err)?;
            for (p, new) in read.paths() {
                let stored = get
                    .query_row(params![site, p], read_path)
                    .optional()
                    .map_err(sql_err)?;
                let mut e = match stored {
                    Some(row) => row.evidence().ok_or_else(|| corrupt(path, "log_paths"))?,
                    None => PathEvidence::default(),
                };
                e.merge(new);
                let row = LogPathRow::new(p, &e);
                put.execute(params![
                    site,
                    row.path,
                    row.requests,
                    row.statuses,
                    row.last_time,
                    row.last_status,
                    row.last_final,
                    row.last_redirect,
                    row.run_first,
                    row.run_last,
                    row.run_status,
                    row.run_location,
                    row.run_first_exact,
                    row.googlebot_days,
                    row.googlebot_last_seen,
                ])
                .map_err(sql_err)?;
            }
        }
        tx.commit().map_err(sql_err)
    }
}

pub(crate) fn corrupt(path: &std::path::Path, table: &str) -> Error {
    Error::Corrupt {
        path: path.to_path_buf(),
        reason: format!("a row of {table} cannot be read back"),
        source: None,
    }
}

/// One `log_paths` row as both backends store it: plain columns, the
/// per-status and per-day counts as little-endian BLOBs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LogPathRow {
    pub path: String,
    pub requests: i64,
    pub statuses: Vec<u8>,
    pub last_time: Option<i64>,
    pub last_status: Option<i32>,
    pub last_final: Option<i64>,
    pub last_redirect: Option<i64>,
    pub run_first: Option<i64>,
    pub run_last: Option<i64>,
    pub run_status: Option<i32>,
    pub run_location: Option<String>,
    pub run_first_exact: Option<bool>,
    pub googlebot_days: Vec<u8>,
    pub googlebot_last_seen: Option<i64>,
}

impl LogPathRow {
    /// The row of `path`'s evidence.
    pub(crate) fn new(path: &str, e: &PathEvidence) -> Self {
        let run = e.run.as_ref();
        Self {
            path: path.to_owned(),
            requests: i64::try_from(e.requests).unwrap_or(i64::MAX),
            statuses: encode_statuses(&e.statuses),
            last_time: e.last.map(|l| l.0),
            last_status: e.last.map(|l| i32::from(l.1)),
            last_final: e.last_final,
            last_redirect: e.last_redirect,
            run_first: run.map(|r| r.first),
            run_last: run.map(|r| r.last),
            run_status: run.map(|r| i32::from(r.status)),
            run_location: run.and_then(|r| r.location.as_deref()).map(str::to_owned),
            run_first_exact: run.map(|r| r.first_exact),
            googlebot_days: encode_days(&e.googlebot_days),
            googlebot_last_seen: e.googlebot_last_seen,
        }
    }

    /// The evidence back; `None` when a value is out of range or a BLOB
    /// malformed (a corrupt row).
    pub(crate) fn evidence(&self) -> Option<PathEvidence> {
        let status = |s: Option<i32>| s.map(u16::try_from).transpose().ok();
        let run = match (self.run_first, self.run_last, status(self.run_status)?) {
            (Some(first), Some(last), Some(status)) => Some(TemporaryRun {
                first,
                last,
                status,
                location: self.run_location.as_deref().map(Box::from),
                first_exact: self.run_first_exact.unwrap_or(true),
            }),
            _ => None,
        };
        Some(PathEvidence {
            requests: u64::try_from(self.requests).ok()?,
            requests_since: 0,
            statuses: decode_statuses(&self.statuses)?,
            last: self.last_time.zip(status(self.last_status)?),
            last_final: self.last_final,
            last_redirect: self.last_redirect,
            run,
            googlebot_days: decode_days(&self.googlebot_days)?,
            googlebot_last_seen: self.googlebot_last_seen,
        })
    }
}

/// Reads one SQLite `log_paths` row (columns in [`PATH_COLUMNS`] order).
fn read_path(row: &Row<'_>) -> rusqlite::Result<LogPathRow> {
    Ok(LogPathRow {
        path: row.get(0)?,
        requests: row.get(1)?,
        statuses: row.get(2)?,
        last_time: row.get(3)?,
        last_status: row.get(4)?,
        last_final: row.get(5)?,
        last_redirect: row.get(6)?,
        run_first: row.get(7)?,
        run_last: row.get(8)?,
        run_status: row.get(9)?,
        run_location: row.get(10)?,
        run_first_exact: row.get(11)?,
        googlebot_days: row.get(12)?,
        googlebot_last_seen: row.get(13)?,
    })
}

/// (status u16, count u64) records, little-endian, sorted by status.
fn encode_statuses(counts: &StatusCounts) -> Vec<u8> {
    let mut out = Vec::new();
    for (status, n) in counts.to_vec() {
        out.extend_from_slice(&status.to_le_bytes());
        out.extend_from_slice(&n.to_le_bytes());
    }
    out
}

fn decode_statuses(bytes: &[u8]) -> Option<StatusCounts> {
    if !bytes.len().is_multiple_of(10) {
        return None;
    }
    let mut counts = StatusCounts::default();
    for rec in bytes.chunks_exact(10) {
        let status = u16::from_le_bytes(rec[..2].try_into().ok()?);
        let n = u64::from_le_bytes(rec[2..].try_into().ok()?);
        counts.add(status, n);
    }
    Some(counts)
}

/// (day i32, verified u32, unverified u32) records, little-endian, sorted
/// by day.
fn encode_days(days: &[DayCount]) -> Vec<u8> {
    let mut out = Vec::with_capacity(days.len() * 12);
    for d in days {
        out.extend_from_slice(&d.day.to_le_bytes());
        out.extend_from_slice(&d.verified.to_le_bytes());
        out.extend_from_slice(&d.unverified.to_le_bytes());
    }
    out
}

fn decode_days(bytes: &[u8]) -> Option<Vec<DayCount>> {
    if !bytes.len().is_multiple_of(12) {
        return None;
    }
    bytes
        .chunks_exact(12)
        .map(|rec| {
            Some(DayCount {
                day: i32::from_le_bytes(rec[..4].try_into().ok()?),
                verified: u32::from_le_bytes(rec[4..8].try_into().ok()?),
                unverified: u32::from_le_bytes(rec[8..].try_into().ok()?),
            })
        })
        .collect()
}
