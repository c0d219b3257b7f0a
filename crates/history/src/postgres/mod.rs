//! The PostgreSQL backend: the same history as [`crate::HistoryStore`], in
//! a database that many audit processes on many machines share.
//!
//! The driver is the synchronous `postgres` crate. It runs a small tokio
//! runtime of its own and panics when called (or dropped) on a thread that
//! drives another runtime, as the audit pipeline's does; so every call to
//! the server runs on a short-lived thread of its own (see
//! [`PgStore::on_own_thread`]), which makes the store usable from anywhere.

mod logs;
mod schema;

use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use jiff::Timestamp;
use model::{Finding, Observation, PriorObservations, Severity};
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Client, IsolationLevel, NoTls, Transaction};

pub(crate) use schema::MIGRATIONS;

use crate::schema::{APPLICATION_ID, SCHEMA_VERSION};
use crate::store::{hop_statuses_text, parse_hop_statuses};
use crate::{AuditId, AuditRecord, AuditStatus, AuditSummary, Error, PgUrl, PreviousFindings};
use crate::{SiteSummary, timestamp};

/// How long connecting waits for the server before [`Error::Connect`]:
/// long enough for a busy server across a network, short enough that a
/// scheduled audit fails before its crawl rather than hanging.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long an audit waits for another audit of the same site to finish
/// before [`Error::Locked`]: a scheduled audit of a large site takes tens of
/// minutes, and two started by overlapping schedules should queue rather
/// than fail, within reason.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(3600);

/// Rows per `COPY` message batch are the driver's business; findings cross
/// from the reading thread to the writing one in a bounded channel of this
/// many, so a large site's findings are streamed, never all in memory.
const FINDINGS_IN_FLIGHT: usize = 4096;

/// A history in a PostgreSQL database (tables and views in the database
/// schema `redirect_audit`).
///
/// Every audit is written in one transaction, observations and findings
/// with `COPY … FROM STDIN (FORMAT binary)`, so a killed audit or a server
/// that goes away leaves nothing half-written. Audits of one site are
/// serialised by [`PgStore::lock_site`], a session advisory lock.
pub struct PgStore {
    /// `None` only while being dropped. Boxed: the driver's client is
    /// large, and [`crate::History`] holds either store.
    client: Option<Box<Client>>,
    url: PgUrl,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// One message from the thread reading findings to the one writing them.
enum FindingRow {
    /// `(rule, url, severity)`.
    Row(String, String, Severity),
    /// Every finding was read: commit.
    Done,
}

impl PgStore {
    /// Connects with [`DEFAULT_CONNECT_TIMEOUT`] and brings the schema to
    /// [`SCHEMA_VERSION`]. A database whose `redirect_audit` schema is not
    /// ours ([`Error::NotHistoryDatabase`]) or newer
    /// ([`Error::NewerDatabaseSchema`]) is refused before anything is
    /// written to it.
    pub fn connect(url: &PgUrl) -> Result<Self, Error> {
        Self::connect_with_timeout(url, DEFAULT_CONNECT_TIMEOUT)
    }

    /// [`PgStore::connect`] with another connect timeout (used unless the
    /// URL sets `connect_timeout` itself).
    pub fn connect_with_timeout(url: &PgUrl, timeout: Duration) -> Result<Self, Error> {
        let mut config = url.config();
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(timeout);
        }
        if config.get_application_name().is_none() {
            config.application_name("redirect-audit");
        }
        let connect_err = |source| Error::Connect {
            url: url.redacted().to_owned(),
            source,
        };
        // TLS is not built in (sslmode=disable or prefer, the default, work;
        // require fails here with the driver's reason).
        let client = on_thread(move || config.connect(NoTls)).map_err(connect_err)?;
        let mut store = Self {
            client: Some(Box::new(client)),
            url: url.clone(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// The database, without password.
    pub fn url(&self) -> &PgUrl {
        &self.url
    }

    /// Runs `f` with the connection on a thread of its own: the driver's
    /// runtime must not run on a thread that drives another one.
    pub(crate) fn on_own_thread<R: Send>(&mut self, f: impl FnOnce(&mut Client) -> R + Send) -> R {
        let client = self
            .client
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("the client is only taken in drop"));
        on_thread(move || f(client))
    }

    /// What a driver error becomes: [`Error::Postgres`], naming the
    /// database (without password) and what was being done.
    pub(crate) fn err(&self, action: &'static str) -> impl Fn(postgres::Error) -> Error + use<> {
        let url = self.url.redacted().to_owned();
        move |source| Error::Postgres {
            url: url.clone(),
            action,
            source,
        }
    }

    fn corrupt(&self, reason: String) -> Error {
        Error::Corrupt {
            path: self.url.redacted().into(),
            reason,
            source: None,
        }
    }

    /// Waits until no other audit holds `site`, at most `timeout`, then
    /// holds it until this store is dropped (its connection closed, so a
    /// killed audit releases it too). [`Error::Locked`] after the timeout.
    ///
    /// A session advisory lock keyed by ([`APPLICATION_ID`], hash of the
    /// site): other applications' advisory locks in the same database use
    /// other keys.
    pub fn lock_site(&mut self, site: &str, timeout: Duration) -> Result<(), Error> {
        let err = self.err("waiting for the site's lock");
        // lock_timeout 0 means "wait forever" to PostgreSQL.
        let millis = timeout.as_millis().clamp(1, i32::MAX as u128);
        let result = self.on_own_thread(|client| {
            client.batch_execute(&format!("SET lock_timeout = {millis}"))?;
            let locked = client.execute(
                "SELECT pg_advisory_lock($1, hashtext($2))",
                &[&APPLICATION_ID, &site],
            );
            client.batch_execute("SET lock_timeout = 0")?;
            locked
        });
        match result {
            Ok(_) => Ok(()),
            Err(e) if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) => Err(Error::Locked {
                url: self.url.redacted().to_owned(),
                site: site.to_owned(),
                timeout,
            }),
            Err(e) => Err(err(e)),
        }
    }

    /// Records an audit without its findings (see
    /// [`crate::HistoryStore::record_audit`]).
    pub fn record_audit(
        &mut self,
        audit: &AuditRecord,
        observations: &[Observation],
    ) -> Result<AuditId, Error> {
        self.record(audit, observations, None::<crate::store::NoFindings>)
    }

    /// Records an audit with its findings, in one transaction (see
    /// [`crate::HistoryStore::record_audit_with_findings`]). `findings`
    /// runs on the calling thread; the findings reach the server through a
    /// bounded channel.
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
        let location = Path::new(self.url.redacted()).to_path_buf();
        let (started_at, ended_at) = audit.checked_times(&location)?;
        let err = self.err("recording the audit");
        let keep_findings = findings.is_some();
        let client = self
            .client
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("the client is only taken in drop"));
        let (send, receive) = mpsc::sync_channel::<FindingRow>(FINDINGS_IN_FLIGHT);
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || -> Result<Option<i64>, postgres::Error> {
                let mut tx = client.transaction()?;
                let id: i64 = tx
                    .query_one(
                        "INSERT INTO redirect_audit.audits
                            (site, start_url, started_at, ended_at, status, settings_json,
                             tool_version, findings_kept)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                        &[
                            &audit.site,
                            &audit.start_url,
                            &started_at,
                            &ended_at,
                            &audit.status.as_str(),
                            &audit.settings_json,
                            &audit.tool_version,
                            &keep_findings,
                        ],
                    )?
                    .get(0);
                copy_observations(&mut tx, id, observations)?;
                if keep_findings {
                    let sink = tx.copy_in(
                        "COPY redirect_audit.findings (audit_id, rule, url, severity)
                         FROM STDIN (FORMAT binary)",
                    )?;
                    let mut rows = BinaryCopyInWriter::new(
                        sink,
                        &[Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT],
                    );
                    loop {
                        match receive.recv() {
                            Ok(FindingRow::Row(rule, url, severity)) => {
                                rows.write(&[&id, &rule, &url, &severity.as_str()])?;
                            }
                            Ok(FindingRow::Done) => break,
                            // The reading side stopped without `Done`: its
                            // error is reported there; nothing is committed.
                            Err(mpsc::RecvError) => return Ok(None),
                        }
                    }
                    rows.finish()?;
                }
                tx.commit()?;
                Ok(Some(id))
            });
            let read = findings.map(|visit_all| {
                let read = visit_all(&mut |f: &Finding| {
                    send.send(FindingRow::Row(f.rule.clone(), f.url.clone(), f.severity))
                        .map_err(|_| io::Error::other("recording the findings failed"))
                });
                if read.is_ok() {
                    // The writer may have failed already; its error says why.
                    let _ = send.send(FindingRow::Done);
                }
                read
            });
            drop(send);
            let written = writer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            match (written, read) {
                (Err(e), _) => Err(err(e)),
                (Ok(Some(id)), _) => Ok(AuditId(id)),
                (Ok(None), Some(Err(source))) => Err(Error::ReadFindings {
                    path: location.clone(),
                    source,
                }),
                (Ok(None), _) => Err(Error::ReadFindings {
                    path: location.clone(),
                    source: io::Error::other("the findings ended early"),
                }),
            }
        })
    }

    /// See [`crate::HistoryStore::previous_findings`].
    pub fn previous_findings(
        &mut self,
        site: &str,
        before: Timestamp,
    ) -> Result<Option<PreviousFindings>, Error> {
        let err = self.err("reading the previous audit's findings");
        let Some(before) = timestamp::to_text(before) else {
            return Ok(None);
        };
        let found = self.on_own_thread(|client| {
            let mut tx = snapshot(client)?;
            let Some(audit) = tx.query_opt(
                "SELECT id, started_at FROM redirect_audit.audits
                 WHERE site = $1 AND started_at < $2 AND findings_kept
                   AND status IN ('completed', 'truncated')
                 ORDER BY started_at DESC, id DESC LIMIT 1",
                &[&site, &before],
            )?
            else {
                return Ok(None);
            };
            let id: i64 = audit.get(0);
            let started_at: String = audit.get(1);
            let keys: Vec<(String, String)> = tx
                .query(
                    "SELECT rule, url FROM redirect_audit.findings WHERE audit_id = $1",
                    &[&id],
                )?
                .into_iter()
                .map(|row| (row.get(0), row.get(1)))
                .collect();
            tx.commit()?;
            Ok(Some((id, started_at, keys)))
        });
        let Some((id, started_at, keys)) = found.map_err(err)? else {
            return Ok(None);
        };
        Ok(Some(PreviousFindings::new(
            AuditId(id),
            self.parse_timestamp(&started_at)?,
            keys,
        )))
    }

    /// See [`crate::HistoryStore::prior_observations`].
    pub fn prior_observations(
        &mut self,
        site: &str,
        before: Timestamp,
    ) -> Result<PriorObservations, Error> {
        let err = self.err("reading earlier audits");
        let Some(before) = timestamp::to_text(before) else {
            return Ok(PriorObservations::default());
        };
        type Row = (
            String,
            String,
            Option<i32>,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i32>,
        );
        let (previous, rows) = self
            .on_own_thread(|client| {
                let mut tx = snapshot(client)?;
                let previous: Option<String> = tx
                    .query_one(
                        "SELECT max(started_at) FROM redirect_audit.audits
                         WHERE site = $1 AND started_at < $2
                           AND status IN ('completed', 'truncated')",
                        &[&site, &before],
                    )?
                    .get(0);
                let params: [&(dyn ToSql + Sync); 2] = [&site, &before];
                let rows: Vec<Row> = tx
                    .query_raw(
                        "SELECT a.started_at, o.url, o.first_status, o.hop_statuses,
                                o.raw_location, o.target, o.final_url, o.final_status
                         FROM redirect_audit.audits a
                         JOIN redirect_audit.observations o ON o.audit_id = a.id
                         WHERE a.site = $1 AND a.started_at < $2
                           AND a.status IN ('completed', 'truncated')
                         ORDER BY o.url, a.started_at, a.id, o.id",
                        params,
                    )?
                    .map(|row| {
                        Ok((
                            row.try_get(0)?,
                            row.try_get(1)?,
                            row.try_get(2)?,
                            row.try_get(3)?,
                            row.try_get(4)?,
                            row.try_get(5)?,
                            row.try_get(6)?,
                            row.try_get(7)?,
                        ))
                    })
                    .collect()?;
                tx.commit()?;
                Ok((previous, rows))
            })
            .map_err(err)?;
        let previous_audit_at = previous
            .map(|text| self.parse_timestamp(&text))
            .transpose()?;
        let mut by_url: BTreeMap<String, Vec<Observation>> = BTreeMap::new();
        for (at, url, first_status, hops, raw_location, target, final_url, final_status) in rows {
            let observation = Observation {
                audited_at: self.parse_timestamp(&at)?,
                url,
                first_status: self.status(first_status)?,
                hop_statuses: parse_hop_statuses(Path::new(self.url.redacted()), &hops)?,
                raw_location,
                target,
                final_url,
                final_status: self.status(final_status)?,
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

    /// See [`crate::HistoryStore::list_audits`].
    pub fn list_audits(&mut self) -> Result<Vec<AuditSummary>, Error> {
        let err = self.err("listing audits");
        let rows = self
            .on_own_thread(|client| {
                client.query(
                    "SELECT a.id, a.site, a.start_url, a.started_at, a.ended_at, a.status,
                            (SELECT count(*) FROM redirect_audit.observations o
                             WHERE o.audit_id = a.id)
                     FROM redirect_audit.audits a
                     ORDER BY a.started_at, a.id",
                    &[],
                )
            })
            .map_err(err)?;
        rows.iter()
            .map(|row| {
                Ok(AuditSummary {
                    id: AuditId(row.get(0)),
                    site: row.get(1),
                    start_url: row.get(2),
                    started_at: self.parse_timestamp(row.get(3))?,
                    ended_at: self.parse_timestamp(row.get(4))?,
                    status: self.audit_status(row.get(5))?,
                    observations: row.get::<_, i64>(6).unsigned_abs(),
                })
            })
            .collect()
    }

    /// See [`crate::HistoryStore::audit_starts`].
    pub fn audit_starts(&mut self, site: &str, before: Timestamp) -> Result<Vec<Timestamp>, Error> {
        let err = self.err("listing the site's audits");
        let Some(before) = timestamp::to_text(before) else {
            return Ok(Vec::new());
        };
        let rows = self
            .on_own_thread(|client| {
                client.query(
                    "SELECT started_at FROM redirect_audit.audits
                     WHERE site = $1 AND started_at < $2 ORDER BY started_at, id",
                    &[&site, &before],
                )
            })
            .map_err(err)?;
        rows.iter()
            .map(|row| self.parse_timestamp(row.get(0)))
            .collect()
    }

    /// See [`crate::HistoryStore::list_sites`].
    pub fn list_sites(&mut self) -> Result<Vec<SiteSummary>, Error> {
        let err = self.err("listing sites");
        let rows = self
            .on_own_thread(|client| client.query(crate::sites::SITES_SQL_POSTGRES, &[]))
            .map_err(err)?;
        rows.iter()
            .map(|row| {
                Ok(SiteSummary {
                    site: row.get(0),
                    audits: row.get::<_, i64>(1).unsigned_abs(),
                    last_audit: AuditId(row.get(2)),
                    last_started_at: self.parse_timestamp(row.get(3))?,
                    last_status: self.audit_status(row.get(4))?,
                    last_observations: row.get::<_, i64>(5).unsigned_abs(),
                    last_findings: row.get::<_, i64>(6).unsigned_abs(),
                })
            })
            .collect()
    }

    /// See [`crate::HistoryStore::prune`]; the same ranking, in one
    /// transaction, observations and findings deleted with their audits.
    pub fn prune(&mut self, keep: usize) -> Result<usize, Error> {
        let err = self.err("pruning old audits");
        let keep = i64::try_from(keep).unwrap_or(i64::MAX);
        let deleted = self
            .on_own_thread(|client| {
                let mut tx = client.transaction()?;
                let deleted = tx.execute(
                    "WITH ranked AS (
                         SELECT id, site, started_at, status = 'interrupted' AS interrupted,
                                row_number() OVER (
                                    PARTITION BY site, status = 'interrupted'
                                    ORDER BY started_at DESC, id DESC
                                ) AS rank
                         FROM redirect_audit.audits
                     ),
                     kept AS (
                         SELECT site, min(started_at) AS since, count(*) AS n
                         FROM ranked
                         WHERE NOT interrupted AND rank <= $1
                         GROUP BY site
                     ),
                     doomed AS (
                         SELECT r.id FROM ranked r LEFT JOIN kept k ON k.site = r.site
                         WHERE r.rank > $1
                            OR (r.interrupted AND k.n >= $1 AND r.started_at < k.since)
                     ),
                     observations AS (
                         DELETE FROM redirect_audit.observations
                         WHERE audit_id IN (SELECT id FROM doomed)
                     ),
                     findings AS (
                         DELETE FROM redirect_audit.findings
                         WHERE audit_id IN (SELECT id FROM doomed)
                     )
                     DELETE FROM redirect_audit.audits WHERE id IN (SELECT id FROM doomed)",
                    &[&keep],
                )?;
                tx.commit()?;
                Ok(deleted)
            })
            .map_err(err)?;
        Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
    }

    /// Creates or upgrades the schema in one transaction, under a
    /// database-wide advisory lock so two audits starting at once on a new
    /// database do not both create the tables.
    fn migrate(&mut self) -> Result<(), Error> {
        let url = self.url.redacted().to_owned();
        let err = self.err("migrating the schema");
        let tool_version = env!("CARGO_PKG_VERSION");
        self.on_own_thread(|client| -> Result<Result<(), Error>, postgres::Error> {
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1, 0)", &[&APPLICATION_ID])?;
            let (has_namespace, has_versions, tables): (bool, bool, i64) = {
                let row = tx.query_one(
                    "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1),
                                to_regclass($1 || '.schema_migrations') IS NOT NULL,
                                (SELECT count(*) FROM pg_tables WHERE schemaname = $1)",
                    &[&schema::NAMESPACE],
                )?;
                (row.get(0), row.get(1), row.get(2))
            };
            if has_namespace && !has_versions && tables > 0 {
                return Ok(Err(Error::NotHistoryDatabase { url }));
            }
            let from: i64 = if has_versions {
                tx.query_one(
                    "SELECT coalesce(max(version), 0) FROM redirect_audit.schema_migrations",
                    &[],
                )?
                .get(0)
            } else {
                0
            };
            if from > SCHEMA_VERSION {
                return Ok(Err(Error::NewerDatabaseSchema {
                    url,
                    found: from,
                    supported: SCHEMA_VERSION,
                }));
            }
            if from == SCHEMA_VERSION {
                return Ok(Ok(()));
            }
            tx.batch_execute(schema::BOOTSTRAP)?;
            let from_index = usize::try_from(from).unwrap_or(0);
            for (step, ddl) in MIGRATIONS.iter().enumerate().skip(from_index) {
                tx.batch_execute(ddl)?;
                let version = i64::try_from(step + 1).unwrap_or(i64::MAX);
                tx.execute(
                    "INSERT INTO redirect_audit.schema_migrations (version, tool_version)
                         VALUES ($1, $2)",
                    &[&version, &tool_version],
                )?;
            }
            tx.batch_execute(schema::VIEWS)?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .map_err(err)?
    }

    fn parse_timestamp(&self, text: &str) -> Result<Timestamp, Error> {
        timestamp::from_text(text)
            .ok_or_else(|| self.corrupt(format!("unreadable timestamp '{text}'")))
    }

    fn status(&self, status: Option<i32>) -> Result<Option<u16>, Error> {
        status
            .map(|s| u16::try_from(s).map_err(|_| self.corrupt(format!("status {s} out of range"))))
            .transpose()
    }

    fn audit_status(&self, text: &str) -> Result<AuditStatus, Error> {
        text.parse().map_err(|reason| self.corrupt(reason))
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        // Closing runs the driver's runtime: not on a runtime's thread.
        if let Some(client) = self.client.take() {
            on_thread(move || drop(client));
        }
    }
}

/// Runs `f` on a new scoped thread and returns its result (a panic in it
/// goes on in the caller).
fn on_thread<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    std::thread::scope(|scope| {
        scope
            .spawn(f)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// A read-only transaction that sees one snapshot for all its queries, as
/// SQLite's read transaction does, even while other audits commit.
fn snapshot(client: &mut Client) -> Result<Transaction<'_>, postgres::Error> {
    client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
}

/// Writes an audit's observations with one binary `COPY`: an order of
/// magnitude faster than row-by-row inserts over a network.
fn copy_observations(
    tx: &mut Transaction<'_>,
    audit: i64,
    observations: &[Observation],
) -> Result<(), postgres::Error> {
    let sink = tx.copy_in(
        "COPY redirect_audit.observations
            (audit_id, url, first_status, hop_statuses, raw_location, target, final_url,
             final_status)
         FROM STDIN (FORMAT binary)",
    )?;
    let mut rows = BinaryCopyInWriter::new(
        sink,
        &[
            Type::INT8,
            Type::TEXT,
            Type::INT4,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::INT4,
        ],
    );
    for o in observations {
        let first_status = o.first_status.map(i32::from);
        let final_status = o.final_status.map(i32::from);
        rows.write(&[
            &audit,
            &o.url,
            &first_status,
            &hop_statuses_text(&o.hop_statuses),
            &o.raw_location,
            &o.target,
            &o.final_url,
            &final_status,
        ])?;
    }
    rows.finish()?;
    Ok(())
}
