//! Access-log evidence in PostgreSQL: the same tables and the same
//! semantics as the file's (`crate::logs`), written in bulk.

use std::path::Path;

use accesslog::{Fingerprints, LogEvidence, PathEvidence};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use postgres::{Client, Row};

use super::{PgStore, snapshot};
use crate::logs::{LogPathRow, PATH_COLUMNS, PATH_UPSERT, corrupt};
use crate::schema::APPLICATION_ID;
use crate::{Error, StoredLogs};

impl PgStore {
    /// See [`crate::HistoryStore::log_evidence`].
    pub fn log_evidence(&mut self, site: &str) -> Result<StoredLogs, Error> {
        self.read_logs(site, true)
    }

    /// See [`crate::HistoryStore::log_fingerprints`].
    pub fn log_fingerprints(&mut self, site: &str) -> Result<Fingerprints, Error> {
        Ok(self.read_logs(site, false)?.fingerprints)
    }

    /// The fingerprints, and the evidence per path when `with_paths`, in
    /// one snapshot.
    fn read_logs(&mut self, site: &str, with_paths: bool) -> Result<StoredLogs, Error> {
        let err = self.err("reading the access-log evidence");
        let (chunks, tails, rows) = self
            .on_own_thread(|client| {
                let mut tx = snapshot(client)?;
                let chunks = tx.query(
                    "SELECT fingerprint FROM redirect_audit.log_chunks WHERE site = $1",
                    &[&site],
                )?;
                let tails = tx.query(
                    "SELECT fingerprint FROM redirect_audit.log_tail_lines WHERE site = $1",
                    &[&site],
                )?;
                let rows = if with_paths {
                    tx.query(
                        &format!(
                            "SELECT {PATH_COLUMNS} FROM redirect_audit.log_paths
                             WHERE site = $1 ORDER BY path COLLATE \"C\""
                        ),
                        &[&site],
                    )?
                } else {
                    Vec::new()
                };
                tx.commit()?;
                Ok((chunks, tails, rows))
            })
            .map_err(err)?;
        let mut stored = StoredLogs::default();
        for chunk in chunks {
            let bytes: Vec<u8> = chunk.get(0);
            let bytes: [u8; 16] = bytes
                .try_into()
                .map_err(|_| corrupt(Path::new(self.url().redacted()), "log_chunks"))?;
            stored
                .fingerprints
                .chunks
                .insert(u128::from_le_bytes(bytes));
        }
        for tail in tails {
            // Stored as the same 64 bits, signed.
            stored
                .fingerprints
                .tail_lines
                .insert(tail.get::<_, i64>(0) as u64);
        }
        for row in rows {
            let row = path_row(&row);
            let e = row
                .evidence()
                .ok_or_else(|| corrupt(Path::new(self.url().redacted()), "log_paths"))?;
            stored.paths.push((row.path, e));
        }
        Ok(stored)
    }

    /// See [`crate::HistoryStore::add_log_evidence`]. One transaction,
    /// serialised with other writers of the same site's logs by a
    /// transaction advisory lock (the merge reads, then writes); the merged
    /// rows go in with one binary `COPY` and one upsert.
    pub fn add_log_evidence(&mut self, site: &str, read: &LogEvidence) -> Result<(), Error> {
        let err = self.err("recording the access-log evidence");
        let chunks: Vec<Vec<u8>> = read
            .fingerprints
            .chunks
            .iter()
            .map(|fp| fp.to_le_bytes().to_vec())
            .collect();
        let tails: Vec<i64> = read
            .fingerprints
            .tail_lines
            .iter()
            .map(|&fp| fp as i64)
            .collect();
        let paths: Vec<String> = read.paths().map(|(p, _)| p.to_owned()).collect();
        let outcome =
            self.on_own_thread(|client| write(client, site, read, &chunks, &tails, &paths));
        match outcome.map_err(err)? {
            Written::Ok => Ok(()),
            Written::Corrupt => Err(corrupt(Path::new(self.url().redacted()), "log_paths")),
        }
    }
}

/// Whether the stored rows could be merged with.
enum Written {
    Ok,
    Corrupt,
}

fn write(
    client: &mut Client,
    site: &str,
    read: &LogEvidence,
    chunks: &[Vec<u8>],
    tails: &[i64],
    paths: &[String],
) -> Result<Written, postgres::Error> {
    let mut tx = client.transaction()?;
    // "logs" apart from the audits' lock on the site: an audit holds that
    // one for its whole crawl, and reads its logs inside it.
    let key = format!("logs {site}");
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2))",
        &[&APPLICATION_ID, &key],
    )?;
    tx.execute(
        "INSERT INTO redirect_audit.log_chunks (site, fingerprint)
         SELECT $1, unnest($2::bytea[]) ON CONFLICT DO NOTHING",
        &[&site, &chunks],
    )?;
    tx.execute(
        "INSERT INTO redirect_audit.log_tail_lines (site, fingerprint)
         SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING",
        &[&site, &tails],
    )?;
    let stored = tx.query(
        &format!(
            "SELECT {PATH_COLUMNS} FROM redirect_audit.log_paths
             WHERE site = $1 AND path = ANY($2)"
        ),
        &[&site, &paths],
    )?;
    let mut merged: std::collections::HashMap<String, PathEvidence> =
        std::collections::HashMap::with_capacity(stored.len());
    for row in &stored {
        let row = path_row(row);
        let Some(e) = row.evidence() else {
            return Ok(Written::Corrupt);
        };
        merged.insert(row.path, e);
    }
    tx.batch_execute(
        "CREATE TEMPORARY TABLE log_paths_new
             (LIKE redirect_audit.log_paths INCLUDING DEFAULTS) ON COMMIT DROP",
    )?;
    let sink = tx.copy_in(&format!(
        "COPY log_paths_new (site, {PATH_COLUMNS}) FROM STDIN (FORMAT binary)"
    ))?;
    let mut rows = BinaryCopyInWriter::new(
        sink,
        &[
            Type::TEXT,
            Type::TEXT,
            Type::INT8,
            Type::BYTEA,
            Type::INT8,
            Type::INT4,
            Type::INT8,
            Type::INT8,
            Type::INT8,
            Type::INT8,
            Type::INT4,
            Type::TEXT,
            Type::BOOL,
            Type::BYTEA,
            Type::INT8,
        ],
    );
    for (path, new) in read.paths() {
        let mut e = merged.remove(path).unwrap_or_default();
        e.merge(new);
        let r = LogPathRow::new(path, &e);
        rows.write(&[
            &site,
            &r.path,
            &r.requests,
            &r.statuses,
            &r.last_time,
            &r.last_status,
            &r.last_final,
            &r.last_redirect,
            &r.run_first,
            &r.run_last,
            &r.run_status,
            &r.run_location,
            &r.run_first_exact,
            &r.googlebot_days,
            &r.googlebot_last_seen,
        ])?;
    }
    rows.finish()?;
    tx.batch_execute(&format!(
        "INSERT INTO redirect_audit.log_paths (site, {PATH_COLUMNS})
         SELECT site, {PATH_COLUMNS} FROM log_paths_new
         {PATH_UPSERT}"
    ))?;
    tx.commit()?;
    Ok(Written::Ok)
}

/// One `log_paths` row (columns in [`PATH_COLUMNS`] order).
fn path_row(row: &Row) -> LogPathRow {
    LogPathRow {
        path: row.get(0),
        requests: row.get(1),
        statuses: row.get(2),
        last_time: row.get(3),
        last_status: row.get(4),
        last_final: row.get(5),
        last_redirect: row.get(6),
        run_first: row.get(7),
        run_last: row.get(8),
        run_status: row.get(9),
        run_location: row.get(10),
        run_first_exact: row.get(11),
        googlebot_days: row.get(12),
        googlebot_last_seen: row.get(13),
    }
}
