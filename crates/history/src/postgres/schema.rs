//! The PostgreSQL schema: the SQLite migrations of [`crate::schema`],
//! translated step by step, plus the views for dashboards.
//!
//! Everything lives in the database schema `redirect_audit`, so a history
//! can share a database with other applications' tables. Timestamps are the
//! same fixed-width UTC text as in SQLite (exact to the nanosecond, sorted
//! as text, see `timestamp.rs`); the views turn them into `timestamptz`.

/// The database schema (namespace) holding every table and view.
pub(crate) const NAMESPACE: &str = "redirect_audit";

/// Creates the namespace and the table of applied migrations. Run before
/// anything else, idempotent.
pub(crate) const BOOTSTRAP: &str = "
CREATE SCHEMA IF NOT EXISTS redirect_audit;
CREATE TABLE IF NOT EXISTS redirect_audit.schema_migrations (
    version      BIGINT      PRIMARY KEY,
    applied_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    tool_version TEXT        NOT NULL
);
";

/// Step `i` takes the database from version `i` to `i + 1`, exactly as
/// [`crate::schema::MIGRATIONS`]`[i]` does for a file: the two lists have
/// the same length (a test checks it). To port a new SQLite migration,
/// append its translation here.
pub(crate) const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// Version 1: audits and their redirect observations. An identity column
/// stands in for SQLite's rowid: it keeps the order in which an audit's
/// observations were written.
///
/// No foreign key from observations (or findings) to audits, unlike the
/// file: PostgreSQL checks a foreign key with one lookup per inserted row,
/// which made writing a million observations three times slower than
/// SQLite. Nothing is lost: observations are only ever written in the
/// transaction that creates their audit, and `prune` deletes them
/// explicitly, as the SQLite store does anyway (a `sqlite3` shell without
/// `foreign_keys = ON` must not leave orphans either). No primary key on
/// the identity either: nothing looks observations up by it.
const V1: &str = "
CREATE TABLE redirect_audit.audits (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site          TEXT    NOT NULL,
    start_url     TEXT    NOT NULL,
    started_at    TEXT    NOT NULL,
    ended_at      TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('completed', 'truncated', 'interrupted')),
    settings_json TEXT    NOT NULL,
    tool_version  TEXT    NOT NULL
);
CREATE INDEX audits_site_started ON redirect_audit.audits (site, started_at);

CREATE TABLE redirect_audit.observations (
    id            BIGINT  GENERATED ALWAYS AS IDENTITY (CACHE 1000),
    audit_id      BIGINT  NOT NULL,
    url           TEXT    NOT NULL,
    first_status  INTEGER,
    hop_statuses  TEXT    NOT NULL,
    raw_location  TEXT,
    target        TEXT,
    final_url     TEXT,
    final_status  INTEGER
);
CREATE INDEX observations_url ON redirect_audit.observations (url);
CREATE INDEX observations_audit ON redirect_audit.observations (audit_id);
";

/// Version 2: each audit's findings by rule and URL (see the SQLite `V2`).
const V2: &str = "
ALTER TABLE redirect_audit.audits ADD COLUMN findings_kept BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE redirect_audit.findings (
    audit_id      BIGINT  NOT NULL,
    rule          TEXT    NOT NULL,
    url           TEXT    NOT NULL,
    severity      TEXT    NOT NULL CHECK (severity IN ('notice', 'warning', 'error'))
);
CREATE INDEX findings_audit ON redirect_audit.findings (audit_id);
";

/// Version 3: access-log evidence per site (see the SQLite `V3`): the
/// fingerprints of the log content already read, and the evidence merged
/// per path. Times are UTC seconds; the per-status and per-day counts are
/// the same little-endian records as in the file (`logs.rs`).
const V3: &str = "
CREATE TABLE redirect_audit.log_chunks (
    site          TEXT    NOT NULL,
    fingerprint   BYTEA   NOT NULL,
    PRIMARY KEY (site, fingerprint)
);

CREATE TABLE redirect_audit.log_tail_lines (
    site          TEXT    NOT NULL,
    fingerprint   BIGINT  NOT NULL,
    PRIMARY KEY (site, fingerprint)
);

CREATE TABLE redirect_audit.log_paths (
    site                TEXT    NOT NULL,
    path                TEXT    NOT NULL,
    requests            BIGINT  NOT NULL,
    statuses            BYTEA   NOT NULL,
    last_time           BIGINT,
    last_status         INTEGER,
    last_final          BIGINT,
    last_redirect       BIGINT,
    run_first           BIGINT,
    run_last            BIGINT,
    run_status          INTEGER,
    run_location        TEXT,
    run_first_exact     BOOLEAN,
    googlebot_days      BYTEA   NOT NULL,
    googlebot_last_seen BIGINT,
    PRIMARY KEY (site, path)
);
";

/// The views dashboards read (documented in README, "Many machines").
/// Recreated after every migration, so they always match the tables.
///
/// Only completed and truncated audits count, as in
/// `prior_observations`: an interrupted audit is not evidence.
///
/// `temporary_redirect_ages` follows analysis's `temporary_age`: walking
/// back from a URL's newest observation, inconclusive answers (no answer,
/// 429, 5xx) are passed over, and the run of temporary redirects (302, 303,
/// 307; Google Search Central, "Redirects and Google Search") ends at the
/// first permanent redirect, non-redirect or other target. An audit that
/// did not reach the URL has no observation of it, so it neither ends nor
/// extends the run: shards of one site by `--scope-prefix` keep each
/// other's ages.
pub(crate) const VIEWS: &str = "
CREATE OR REPLACE VIEW redirect_audit.latest_audit_per_site AS
SELECT DISTINCT ON (a.site)
       a.site,
       a.id                     AS audit_id,
       a.start_url,
       a.started_at::timestamptz AS started_at,
       a.ended_at::timestamptz   AS ended_at,
       a.status,
       (SELECT count(*) FROM redirect_audit.observations o WHERE o.audit_id = a.id) AS observations,
       (SELECT count(*) FROM redirect_audit.findings f WHERE f.audit_id = a.id)     AS findings,
       (SELECT count(*) FROM redirect_audit.audits b WHERE b.site = a.site)         AS audits
FROM redirect_audit.audits a
WHERE a.status IN ('completed', 'truncated')
ORDER BY a.site, a.started_at DESC, a.id DESC;

CREATE OR REPLACE VIEW redirect_audit.findings_per_audit AS
SELECT a.site, a.id AS audit_id, a.started_at::timestamptz AS started_at, a.status,
       f.rule, f.severity, count(*) AS findings
FROM redirect_audit.audits a JOIN redirect_audit.findings f ON f.audit_id = a.id
GROUP BY a.site, a.id, a.started_at, a.status, f.rule, f.severity;

CREATE OR REPLACE VIEW redirect_audit.temporary_redirect_ages AS
WITH seen AS (
    SELECT a.site, o.url, a.started_at, o.first_status, o.target,
           row_number() OVER (PARTITION BY a.site, o.url
                              ORDER BY a.started_at DESC, a.id DESC, o.id DESC) AS n
    FROM redirect_audit.observations o
    JOIN redirect_audit.audits a ON a.id = o.audit_id
    WHERE a.status IN ('completed', 'truncated')
      AND o.first_status IS NOT NULL
      AND o.first_status <> 429 AND o.first_status < 500
),
newest AS (
    SELECT * FROM seen WHERE n = 1 AND first_status IN (302, 303, 307)
),
run_end AS (
    SELECT s.site, s.url, min(s.n) AS n
    FROM seen s JOIN newest l ON l.site = s.site AND l.url = s.url
    WHERE s.first_status NOT IN (302, 303, 307)
       OR s.target IS DISTINCT FROM l.target
    GROUP BY s.site, s.url
)
SELECT l.site, l.url, l.first_status AS status, l.target,
       min(s.started_at)::timestamptz AS first_seen,
       l.started_at::timestamptz AS last_seen,
       l.started_at::timestamptz - min(s.started_at)::timestamptz AS age,
       count(*) AS audits
FROM newest l
LEFT JOIN run_end e ON e.site = l.site AND e.url = l.url
JOIN seen s ON s.site = l.site AND s.url = l.url AND s.n < coalesce(e.n, 9223372036854775807)
GROUP BY l.site, l.url, l.first_status, l.target, l.started_at;
";
