//! The store: opening (with checks and migrations), writing, reading.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::Timestamp;
use model::{Finding, Observation, PriorObservations};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior, params};

use crate::schema::{APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION};
use crate::{AuditId, AuditRecord, AuditStatus, AuditSummary, Error, PreviousFindings, timestamp};

/// How long a write waits for another process (a second audit on the same
/// file) to finish its transaction before failing with [`Error::Busy`].
/// Ours write once, at the end of an audit, and take well under a second
/// even for large sites, so ten seconds covers a queue of them.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The default history file for audits of `host`:
/// `<reports_dir>/<host>/history.sqlite`.
///
/// Characters that cannot appear in one path component on every platform
/// (`:` of an IPv6 address or a port, `/`, `\`) become `_`, so the history
/// always lands inside `reports_dir`.
pub fn default_history_path(reports_dir: &Path, host: &str) -> PathBuf {
    let folder: String = host
        .chars()
        .map(|c| {
            if matches!(c, ':' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let folder = match folder.as_str() {
        // `.` and `..` would leave the site's folder.
        "" | "." | ".." => "_".to_owned(),
        _ => folder,
    };
    reports_dir.join(folder).join("history.sqlite")
}

/// An open audit history file.
///
/// Every audit is written in one transaction at its end, so a crash or a
/// signal never leaves half an audit behind. Several stores (in one process
/// or several) may open the same file: SQLite's WAL mode lets readers go on
/// while one writer writes, and a writer waits up to the busy timeout for
/// another one.
#[derive(Debug)]
pub struct HistoryStore {
    // Crate-visible for the access-log tables (`logs.rs`).
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
}

/// The findings argument of an audit recorded without them.
pub(crate) type NoFindings = fn(&mut dyn FnMut(&Finding) -> io::Result<()>) -> io::Result<()>;

/// What the first look inside an SQLite file found.
enum Contents {
    /// No tables and no application id: a new (or empty) database.
    Empty,
    /// Ours, at this schema version.
    History { version: i64 },
    /// Someone else's database.
    Foreign { application_id: i32 },
}

impl HistoryStore {
    /// Opens the history at `path` with [`DEFAULT_BUSY_TIMEOUT`], creating the
    /// file and its parent folders when missing and migrating an older
    /// schema.
    ///
    /// A file that is not an SQLite database, a damaged one
    /// ([`Error::Corrupt`]), someone else's database ([`Error::NotHistory`])
    /// or a history from a newer redirect-audit ([`Error::NewerSchema`]) is
    /// refused before anything is written to it.
    pub fn open(path: &Path) -> Result<Self, Error> {
        Self::open_with_busy_timeout(path, DEFAULT_BUSY_TIMEOUT)
    }

    /// [`HistoryStore::open`] with another busy timeout (tests use a short
    /// one to see [`Error::Busy`] without waiting).
    pub fn open_with_busy_timeout(path: &Path, busy_timeout: Duration) -> Result<Self, Error> {
        let path = path.to_path_buf();
        let existed = check_file(&path)?;
        if !existed && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        // No SQLITE_OPEN_URI: a file named `file:…` is a file, not a URI.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&path, flags)
            .map_err(|e| Error::sqlite(&path, "opening the file", e))?;
        conn.busy_timeout(busy_timeout)
            .map_err(|e| Error::sqlite(&path, "setting the busy timeout", e))?;

        // Look before writing anything: until the file is known to be a
        // healthy history of a schema we know (or a new, empty database),
        // nothing below may touch it. Switching to WAL rewrites the header,
        // so it comes after these checks.
        let contents = inspect(&conn).map_err(|e| Error::sqlite(&path, "reading the schema", e))?;
        judge(&path, &contents)?;
        if existed {
            quick_check(&conn, &path)?;
        }
        // The pragma answers with the mode now in force. File systems without
        // shared memory (some network mounts) refuse WAL and SQLite keeps its
        // rollback journal: as safe, only readers then wait for the writer.
        // Not a reason to refuse the audit, so the answer is not checked.
        conn.query_row("PRAGMA journal_mode = WAL", [], |row| {
            row.get::<_, String>(0)
        })
        .map_err(|e| Error::sqlite(&path, "switching to WAL journal mode", e))?;
        // Per connection, off by default in SQLite: makes the ON DELETE
        // CASCADE of observations effective.
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(|e| Error::sqlite(&path, "enabling foreign keys", e))?;
        migrate(&mut conn, &path)?;
        Ok(Self { conn, path })
    }

    /// The history file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a finished (or interrupted) audit with its observations, in
    /// one write transaction: either all of it is in the file afterwards or
    /// none of it. Its findings are not kept (see
    /// [`HistoryStore::record_audit_with_findings`]), so it never serves as
    /// the previous audit of [`HistoryStore::previous_findings`]: `history
    /// import` uses this, an imported hops.csv has no findings.
    ///
    /// Each observation is stored with `audit.started_at` as its time,
    /// whatever its own `audited_at` says, so
    /// [`PriorObservations::previous`] finds exactly the previous audit's
    /// observations.
    pub fn record_audit(
        &mut self,
        audit: &AuditRecord,
        observations: &[Observation],
    ) -> Result<AuditId, Error> {
        self.record(audit, observations, None::<NoFindings>)
    }

    /// [`HistoryStore::record_audit`], keeping the audit's findings too (by
    /// rule, URL and severity), in the same transaction.
    ///
    /// `findings` hands every finding to the visitor it is given and stops
    /// at the visitor's first error; the findings are streamed, never held
    /// here (a large site has hundreds of thousands). An error of its own is
    /// [`Error::ReadFindings`], and nothing is written.
    pub fn record_audit_with_findings(
        &mut self,
        audit: &AuditRecord,
        observations: &[Observation],
        findings: impl FnOnce(&mut dyn FnMut(&Finding) -> io::Result<()>) -> io::Result<()>,
    ) -> Result<AuditId, Error> {
        self.record(audit, observations, Some(findings))
    }

    fn record<F>(
        &mut self,
        audit: &AuditRecord,
        observations: &[Observation],
        findings: Option<F>,
    ) -> Result<AuditId, Error>
    where
        F: FnOnce(&mut dyn FnMut(&Finding) -> io::Result<()>) -> io::Result<()>,
    {
        let path = &self.path;
        let (started_at, ended_at) = audit.checked_times(path)?;
        let action = "recording the audit";
        let sql_err = |e| Error::sqlite(path, action, e);

        // IMMEDIATE takes the write lock up front, where the busy timeout
        // applies. A deferred transaction that reads first and then writes
        // can get SQLITE_BUSY at once in WAL mode, without waiting
        // (https://sqlite.org/wal.html#sometimes_queries_return_sqlite_busy_in_wal_mode).
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql_err)?;
        tx.execute(
            "INSERT INTO audits
                (site, start_url, started_at, ended_at, status, settings_json, tool_version,
                 findings_kept)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                audit.site,
                audit.start_url,
                started_at,
                ended_at,
                audit.status.as_str(),
                audit.settings_json,
                audit.tool_version,
                findings.is_some(),
            ],
        )
        .map_err(sql_err)?;
        let id = tx.last_insert_rowid();
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO observations
                        (audit_id, url, first_status, hop_statuses, raw_location, target,
                         final_url, final_status)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(sql_err)?;
            for o in observations {
                insert
                    .execute(params![
                        id,
                        o.url,
                        o.first_status,
                        hop_statuses_text(&o.hop_statuses),
                        o.raw_location,
                        o.target,
                        o.final_url,
                        o.final_status,
                    ])
                    .map_err(sql_err)?;
            }
        }
        if let Some(visit_all) = findings {
            let mut insert = tx
                .prepare(
                    "INSERT INTO findings (audit_id, rule, url, severity) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(sql_err)?;
            // The visitor's error type is the caller's (io); an SQLite
            // failure is kept aside and reported as what it is.
            let mut failed: Option<rusqlite::Error> = None;
            let read = visit_all(&mut |f: &Finding| {
                insert
                    .execute(params![id, f.rule, f.url, f.severity.as_str()])
                    .map(drop)
                    .map_err(|e| {
                        failed = Some(e);
                        io::Error::other("recording a finding failed")
                    })
            });
            if let Some(e) = failed {
                return Err(sql_err(e));
            }
            read.map_err(|source| Error::ReadFindings {
                path: path.clone(),
                source,
            })?;
        }
        tx.commit().map_err(sql_err)?;
        Ok(AuditId(id))
    }

    /// The findings of the newest audit of `site` that started before
    /// `before` and counts as evidence (completed or truncated, as in
    /// [`HistoryStore::prior_observations`]) with its findings kept;
    /// `None` when there is none.
    ///
    /// Audits recorded without findings (by an older redirect-audit, or
    /// imported) are passed over: they cannot tell what is new.
    pub fn previous_findings(
        &self,
        site: &str,
        before: Timestamp,
    ) -> Result<Option<PreviousFindings>, Error> {
        let path = &self.path;
        let sql_err = |e| Error::sqlite(path, "reading the previous audit's findings", e);
        let Some(before) = timestamp::to_text(before) else {
            return Ok(None);
        };
        // One snapshot for both queries, as in `prior_observations`.
        let tx = self.conn.unchecked_transaction().map_err(sql_err)?;
        let audit: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, started_at FROM audits
                 WHERE site = ?1 AND started_at < ?2 AND findings_kept
                   AND status IN ('completed', 'truncated')
                 ORDER BY started_at DESC, id DESC LIMIT 1",
                params![site, before],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(sql_err)?;
        let Some((id, started_at)) = audit else {
            return Ok(None);
        };
        let mut keys = Vec::new();
        let mut stmt = tx
            .prepare("SELECT rule, url FROM findings WHERE audit_id = ?1")
            .map_err(sql_err)?;
        let mut rows = stmt.query(params![id]).map_err(sql_err)?;
        while let Some(row) = rows.next().map_err(sql_err)? {
            let key =
                (|| -> rusqlite::Result<(String, String)> { Ok((row.get(0)?, row.get(1)?)) })()
                    .map_err(|e| bad_row(path, e))?;
            keys.push(key);
        }
        Ok(Some(PreviousFindings::new(
            AuditId(id),
            parse_timestamp(path, &started_at)?,
            keys,
        )))
    }

    /// What earlier audits of `site` that started before `before` saw.
    ///
    /// Completed and truncated audits count (a truncated audit is complete
    /// for the URLs it reached); interrupted ones do not. Observations are
    /// grouped by URL, oldest first; `previous_audit_at` is the start of the
    /// newest counted audit, even when it saw no redirect at all.
    pub fn prior_observations(
        &self,
        site: &str,
        before: Timestamp,
    ) -> Result<PriorObservations, Error> {
        let path = &self.path;
        let action = "reading earlier audits";
        let sql_err = |e| Error::sqlite(path, action, e);
        let before = match timestamp::to_text(before) {
            Some(text) => text,
            // Before year 0 nothing can have been recorded.
            None => return Ok(PriorObservations::default()),
        };

        // One read transaction, so the previous audit and the observations
        // come from the same snapshot even if another audit commits between
        // the two queries.
        let tx = self.conn.unchecked_transaction().map_err(sql_err)?;
        let previous: Option<String> = tx
            .query_row(
                "SELECT max(started_at) FROM audits
                 WHERE site = ?1 AND started_at < ?2 AND status IN ('completed', 'truncated')",
                params![site, before],
                |row| row.get(0),
            )
            .map_err(sql_err)?;
        let previous_audit_at = previous
            .map(|text| parse_timestamp(path, &text))
            .transpose()?;

        let mut by_url: BTreeMap<String, Vec<Observation>> = BTreeMap::new();
        let mut stmt = tx
            .prepare(
                "SELECT a.started_at, o.url, o.first_status, o.hop_statuses, o.raw_location,
                        o.target, o.final_url, o.final_status
                 FROM audits a JOIN observations o ON o.audit_id = a.id
                 WHERE a.site = ?1 AND a.started_at < ?2
                   AND a.status IN ('completed', 'truncated')
                 ORDER BY o.url, a.started_at, a.id, o.rowid",
            )
            .map_err(sql_err)?;
        let mut rows = stmt.query(params![site, before]).map_err(sql_err)?;
        while let Some(row) = rows.next().map_err(sql_err)? {
            let read = || -> rusqlite::Result<_> {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<u16>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, Option<String>>(5)?,
                    row.get::<_, Option<String>>(6)?,
                    row.get::<_, Option<u16>>(7)?,
                ))
            };
            let (
                audited_at,
                url,
                first_status,
                hops,
                raw_location,
                target,
                final_url,
                final_status,
            ) = read().map_err(|e| bad_row(path, e))?;
            let observation = Observation {
                audited_at: parse_timestamp(path, &audited_at)?,
                url,
                first_status,
                hop_statuses: parse_hop_statuses(path, &hops)?,
                raw_location,
                target,
                final_url,
                final_status,
            };
            by_url
                .entry(observation.url.clone())
                .or_default()
                .push(observation);
        }
        Ok(PriorObservations {
            previous_audit_at,
            by_url,
        })
    }

    /// When each audit of `site` that started before `before` started,
    /// oldest first: what a report's "over time" needs, without counting
    /// anything.
    pub fn audit_starts(&self, site: &str, before: Timestamp) -> Result<Vec<Timestamp>, Error> {
        let path = &self.path;
        let sql_err = |e| Error::sqlite(path, "listing the site's audits", e);
        let Some(before) = timestamp::to_text(before) else {
            return Ok(Vec::new());
        };
        let mut stmt = self
            .conn
            .prepare(
                "SELECT started_at FROM audits WHERE site = ?1 AND started_at < ?2
                 ORDER BY started_at, id",
            )
            .map_err(sql_err)?;
        let starts = stmt
            .query_map(params![site, before], |row| row.get::<_, String>(0))
            .map_err(sql_err)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql_err)?;
        starts.iter().map(|t| parse_timestamp(path, t)).collect()
    }

    /// Every recorded audit, oldest first (by start, then id), with its
    /// number of observations.
    pub fn list_audits(&self) -> Result<Vec<AuditSummary>, Error> {
        let path = &self.path;
        let sql_err = |e| Error::sqlite(path, "listing audits", e);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT a.id, a.site, a.start_url, a.started_at, a.ended_at, a.status,
                        (SELECT count(*) FROM observations o WHERE o.audit_id = a.id)
                 FROM audits a
                 ORDER BY a.started_at, a.id",
            )
            .map_err(sql_err)?;
        let mut rows = stmt.query([]).map_err(sql_err)?;
        let mut audits = Vec::new();
        while let Some(row) = rows.next().map_err(sql_err)? {
            let read = || -> rusqlite::Result<_> {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, String>(5)?,
                    row.get::<_, i64>(6)?,
                ))
            };
            let (id, site, start_url, started_at, ended_at, status, observations) =
                read().map_err(|e| bad_row(path, e))?;
            audits.push(AuditSummary {
                id: AuditId(id),
                site,
                start_url,
                started_at: parse_timestamp(path, &started_at)?,
                ended_at: parse_timestamp(path, &ended_at)?,
                status: status
                    .parse::<AuditStatus>()
                    .map_err(|reason| Error::Corrupt {
                        path: path.clone(),
                        reason,
                        source: None,
                    })?,
                // count(*) is never negative.
                observations: observations.unsigned_abs(),
            });
        }
        Ok(audits)
    }

    /// Keeps the newest `keep` evidence audits (completed or truncated) of
    /// each site, by start time, and deletes the older ones with their
    /// observations, in one transaction. Interrupted audits do not count
    /// towards `keep` (they are never evidence); those older than the oldest
    /// evidence audit kept are deleted, and at most `keep` of them stay.
    /// Returns the number of audits deleted.
    ///
    /// The file does not shrink: SQLite reuses the freed pages for the next
    /// audits, which is what a history pruned on a schedule needs. (A
    /// `VACUUM` would rewrite the whole file and need twice its size on disk.)
    pub fn prune(&mut self, keep: usize) -> Result<usize, Error> {
        let path = &self.path;
        let sql_err = |e| Error::sqlite(path, "pruning old audits", e);
        // More than i64::MAX audits cannot exist; saturating keeps them all.
        let keep = i64::try_from(keep).unwrap_or(i64::MAX);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql_err)?;
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS prune_ids (id INTEGER PRIMARY KEY);
             DELETE FROM prune_ids;",
        )
        .map_err(sql_err)?;
        // Evidence audits (completed, truncated) are ranked apart from
        // interrupted ones: an interrupted audit is never evidence, so it
        // must not push a real one out. Interrupted audits go when they are
        // older than the oldest evidence audit kept, and are capped at `keep`
        // too (a site whose every audit is killed must stay bounded).
        tx.execute(
            "INSERT INTO prune_ids (id)
             WITH ranked AS (
                 SELECT id, site, started_at, status = 'interrupted' AS interrupted,
                        row_number() OVER (
                            PARTITION BY site, status = 'interrupted'
                            ORDER BY started_at DESC, id DESC
                        ) AS rank
                 FROM audits
             ),
             kept AS (
                 SELECT site, min(started_at) AS since, count(*) AS n
                 FROM ranked
                 WHERE NOT interrupted AND rank <= ?1
                 GROUP BY site
             )
             SELECT r.id FROM ranked r LEFT JOIN kept k ON k.site = r.site
             WHERE r.rank > ?1
                OR (r.interrupted AND k.n >= ?1 AND r.started_at < k.since)",
            params![keep],
        )
        .map_err(sql_err)?;
        // Observations and findings explicitly, not only through ON DELETE
        // CASCADE: a connection without `foreign_keys = ON` (the sqlite3
        // shell's default) must not be able to leave orphans behind either.
        tx.execute(
            "DELETE FROM observations WHERE audit_id IN (SELECT id FROM prune_ids)",
            [],
        )
        .map_err(sql_err)?;
        tx.execute(
            "DELETE FROM findings WHERE audit_id IN (SELECT id FROM prune_ids)",
            [],
        )
        .map_err(sql_err)?;
        let deleted = tx
            .execute(
                "DELETE FROM audits WHERE id IN (SELECT id FROM prune_ids)",
                [],
            )
            .map_err(sql_err)?;
        tx.execute("DELETE FROM prune_ids", []).map_err(sql_err)?;
        tx.commit().map_err(sql_err)?;
        Ok(deleted)
    }
}

/// Checks an existing file's header without SQLite, so that a file that is
/// plainly not a database, or a truncated one, is refused before SQLite opens
/// it. Returns whether the file exists.
fn check_file(path: &Path) -> Result<bool, Error> {
    const MAGIC: &[u8; 16] = b"SQLite format 3\0";
    let read_err = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let corrupt = |reason: String| Error::Corrupt {
        path: path.to_path_buf(),
        reason,
        source: None,
    };
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(read_err(e)),
    };
    let len = file.metadata().map_err(read_err)?.len();
    if len == 0 {
        // SQLite treats an empty file as an empty database (`touch` then
        // `open` works); there is nothing in it to overwrite.
        return Ok(true);
    }
    // The header layout: https://sqlite.org/fileformat2.html#the_database_header
    let mut header = [0u8; 100];
    if len < header.len() as u64 {
        return Err(corrupt(format!(
            "{len} bytes, shorter than an SQLite header: not an SQLite database"
        )));
    }
    file.read_exact(&mut header).map_err(read_err)?;
    if &header[..16] != MAGIC {
        return Err(corrupt("not an SQLite database".to_owned()));
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(corrupt(format!(
            "invalid page size {page_size} in the header"
        )));
    }
    // The header's page count is only meaningful when the change counter
    // matches "version-valid-for"; and while a WAL file holds commits, the
    // main file may legitimately lag behind them.
    let page_count = u64::from(be32(28));
    let count_valid = page_count != 0 && be32(24) == be32(92);
    if count_valid && !has_wal(path) && page_count * page_size > len {
        return Err(corrupt(format!(
            "truncated: the header says {} bytes, the file has {len}",
            page_count * page_size
        )));
    }
    Ok(true)
}

/// `true` when a non-empty `<path>-wal` file sits next to the database.
fn has_wal(path: &Path) -> bool {
    let mut wal = OsString::from(path.as_os_str());
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

/// Reads the header fields and schema size that say whose file this is.
///
/// In one statement, so all three come from one snapshot: read one by one,
/// another process creating the history in between makes a new file look
/// like a foreign database (tables, but no application id yet).
fn inspect(conn: &Connection) -> rusqlite::Result<Contents> {
    let (application_id, version, objects): (i32, i64, i64) = conn.query_row(
        "SELECT (SELECT application_id FROM pragma_application_id),
                (SELECT user_version FROM pragma_user_version),
                (SELECT count(*) FROM sqlite_schema)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    Ok(if application_id == APPLICATION_ID {
        Contents::History { version }
    } else if application_id == 0 && objects == 0 && version == 0 {
        Contents::Empty
    } else {
        Contents::Foreign { application_id }
    })
}

/// Refuses what must not be written to.
fn judge(path: &Path, contents: &Contents) -> Result<(), Error> {
    match *contents {
        Contents::Empty => Ok(()),
        Contents::History { version } if version > SCHEMA_VERSION => Err(Error::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        }),
        Contents::History { .. } => Ok(()),
        Contents::Foreign { application_id } => Err(Error::NotHistory {
            path: path.to_path_buf(),
            application_id,
        }),
    }
}

/// SQLite's own consistency check of every page (without the slower index
/// cross-checks of `integrity_check`): catches damage the header check
/// cannot see, before an audit is written on top of it.
fn quick_check(conn: &Connection, path: &Path) -> Result<(), Error> {
    let result: String = conn
        .query_row("PRAGMA quick_check(1)", [], |row| row.get(0))
        .map_err(|e| Error::sqlite(path, "checking the file", e))?;
    if result == "ok" {
        Ok(())
    } else {
        Err(Error::Corrupt {
            path: path.to_path_buf(),
            reason: format!("SQLite's quick_check: {result}"),
            source: None,
        })
    }
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction.
///
/// The file is looked at again inside the write lock: another process may
/// have created or upgraded it since [`inspect`] ran, and two audits starting
/// at once on a new file must not both create the tables.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), Error> {
    let sql_err = |e| Error::sqlite(path, "migrating the schema", e);
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sql_err)?;
    let contents = inspect(&tx).map_err(sql_err)?;
    judge(path, &contents)?;
    let from = match contents {
        Contents::History { version } => version,
        _ => 0,
    };
    if from == SCHEMA_VERSION {
        // Nothing to do; dropping the transaction ends it without a write.
        return Ok(());
    }
    let from = usize::try_from(from).map_err(|_| Error::Corrupt {
        path: path.to_path_buf(),
        reason: format!("negative schema version {from}"),
        source: None,
    })?;
    for step in &MIGRATIONS[from..] {
        tx.execute_batch(step).map_err(sql_err)?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(sql_err)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(sql_err)?;
    tx.commit().map_err(sql_err)
}

pub(crate) fn parse_timestamp(path: &Path, text: &str) -> Result<Timestamp, Error> {
    timestamp::from_text(text).ok_or_else(|| Error::Corrupt {
        path: path.to_path_buf(),
        reason: format!("unreadable timestamp '{text}'"),
        source: None,
    })
}

/// A row whose values have the wrong types: someone edited the file by hand,
/// or it is damaged.
fn bad_row(path: &Path, source: rusqlite::Error) -> Error {
    match source {
        rusqlite::Error::SqliteFailure(..) => Error::sqlite(path, "reading a row", source),
        source => Error::Corrupt {
            path: path.to_path_buf(),
            reason: "a row holds a value of the wrong type".to_owned(),
            source: Some(source),
        },
    }
}

/// `[Some(302), Some(301), None]` → `302,301,-`, the form `sqlite3` users
/// can read and `LIKE` can search.
pub(crate) fn hop_statuses_text(statuses: &[Option<u16>]) -> String {
    statuses
        .iter()
        .map(|s| s.map_or_else(|| "-".to_owned(), |s| s.to_string()))
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn parse_hop_statuses(path: &Path, text: &str) -> Result<Vec<Option<u16>>, Error> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|part| match part {
            "-" => Ok(None),
            n => n.parse().map(Some).map_err(|_| Error::Corrupt {
                path: path.to_path_buf(),
                reason: format!("unreadable hop statuses '{text}'"),
                source: None,
            }),
        })
        .collect()
}
