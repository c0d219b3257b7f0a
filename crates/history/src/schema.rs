//! The file format: identification, schema version and migrations.

/// `PRAGMA application_id` of every history file: ASCII `RAUD` (for
/// redirect-audit). SQLite reserves this header field so tools such as
/// `file(1)` can tell whose database a file is (<https://sqlite.org/pragma.html#pragma_application_id>).
pub const APPLICATION_ID: i32 = 0x5241_5544;

/// The schema version this build writes and reads, kept in
/// `PRAGMA user_version`. Files with a lower version are migrated on open;
/// files with a higher one are refused.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Migration `i` takes a file from version `i` to version `i + 1`. Append a
/// step for each new version; never edit a released one, since files in the
/// wild were built by it.
pub(crate) const MIGRATIONS: &[&str] = &[V1, V2, V3];

/// Version 1: audits and their redirect observations.
///
/// `AUTOINCREMENT` so an id is never handed out twice, even after pruning
/// (a plain rowid reuses the largest id once it is deleted, and back-filled
/// audits can be both the newest row and the oldest audit).
const V1: &str = "
CREATE TABLE audits (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    site          TEXT    NOT NULL,
    start_url     TEXT    NOT NULL,
    started_at    TEXT    NOT NULL,
    ended_at      TEXT    NOT NULL,
    status        TEXT    NOT NULL CHECK (status IN ('completed', 'truncated', 'interrupted')),
    settings_json TEXT    NOT NULL,
    tool_version  TEXT    NOT NULL
);
CREATE INDEX audits_site_started ON audits (site, started_at);

CREATE TABLE observations (
    audit_id      INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    url           TEXT    NOT NULL,
    first_status  INTEGER,
    hop_statuses  TEXT    NOT NULL,
    raw_location  TEXT,
    target        TEXT,
    final_url     TEXT,
    final_status  INTEGER
);
CREATE INDEX observations_url ON observations (url);
CREATE INDEX observations_audit ON observations (audit_id);
";

/// Version 2: each audit's findings by rule and URL, so `--fail-on-new`
/// compares with the previous audit's findings without reading its report
/// folder back.
///
/// `findings_kept` tells an audit recorded without its findings (by version
/// 1, or by `history import`, whose hops.csv has none) from one that had no
/// findings: only the latter may serve as the previous audit's findings.
const V2: &str = "
ALTER TABLE audits ADD COLUMN findings_kept INTEGER NOT NULL DEFAULT 0;

CREATE TABLE findings (
    audit_id      INTEGER NOT NULL REFERENCES audits (id) ON DELETE CASCADE,
    rule          TEXT    NOT NULL,
    url           TEXT    NOT NULL,
    severity      TEXT    NOT NULL CHECK (severity IN ('notice', 'warning', 'error'))
);
CREATE INDEX findings_audit ON findings (audit_id);
";

/// Version 3: access-log evidence per site (issue 15). `log_chunks` and
/// `log_tail_lines` hold the fingerprints of the log content already read
/// (see `accesslog::Fingerprints`), so reading it again changes nothing;
/// `log_paths` the evidence merged per path. Times are UTC seconds; the
/// per-status and per-day counts are little-endian BLOBs (see `logs.rs`).
/// Portable types only, so that other backends can hold the same tables.
const V3: &str = "
CREATE TABLE log_chunks (
    site          TEXT    NOT NULL,
    fingerprint   BLOB    NOT NULL,
    PRIMARY KEY (site, fingerprint)
);

CREATE TABLE log_tail_lines (
    site          TEXT    NOT NULL,
    fingerprint   INTEGER NOT NULL,
    PRIMARY KEY (site, fingerprint)
);

CREATE TABLE log_paths (
    site                TEXT    NOT NULL,
    path                TEXT    NOT NULL,
    requests            INTEGER NOT NULL,
    statuses            BLOB    NOT NULL,
    last_time           INTEGER,
    last_status         INTEGER,
    last_final          INTEGER,
    last_redirect       INTEGER,
    run_first           INTEGER,
    run_last            INTEGER,
    run_status          INTEGER,
    run_location        TEXT,
    run_first_exact     INTEGER,
    googlebot_days      BLOB    NOT NULL,
    googlebot_last_seen INTEGER,
    PRIMARY KEY (site, path)
);
";
