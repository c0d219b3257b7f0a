//! Tests on real SQLite files in temporary folders.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use jiff::{Timestamp, ToSpan};
use model::Observation;
use rusqlite::Connection;
use tempfile::TempDir;

use crate::testing::{TestHistory, on_both_backends};
use crate::{
    APPLICATION_ID, AuditId, AuditRecord, AuditStatus, Error, History, HistoryStore,
    SCHEMA_VERSION, default_history_path,
};

on_both_backends!(
    round_trip_of_two_audits_orders_prior_observations_oldest_first,
    interrupted_audits_are_not_evidence_and_truncated_ones_are,
    list_audits_shows_every_audit_oldest_first_with_counts,
    timestamps_round_trip_exactly_and_sort_as_text,
    invalid_settings_json_records_nothing,
    prune_keeps_the_newest_audits_of_each_site,
    prune_does_not_count_interrupted_audits,
    previous_findings_are_those_of_the_newest_evidence_audit_that_kept_them,
    findings_that_cannot_be_read_record_nothing,
    prune_deletes_the_findings_of_the_audits_it_deletes,
);

const SITE: &str = "https://example.com";

/// The value of `PRAGMA name` in the file at `path`, read on a connection
/// of its own.
fn pragma<T: rusqlite::types::FromSql>(path: &Path, name: &str) -> T {
    Connection::open(path)
        .unwrap()
        .pragma_query_value(None, name, |r| r.get(0))
        .unwrap()
}

pub(crate) fn day(n: i64) -> Timestamp {
    let start: Timestamp = "2024-01-01T06:00:00Z".parse().unwrap();
    start + (n * 24).hours()
}

pub(crate) fn audit(site: &str, at: Timestamp, status: AuditStatus) -> AuditRecord {
    AuditRecord {
        site: site.to_owned(),
        start_url: format!("{site}/"),
        started_at: at,
        ended_at: at + 5.minutes(),
        status,
        settings_json: r#"{"max_urls":1000}"#.to_owned(),
        tool_version: "0.1.0".to_owned(),
    }
}

/// An observation of `path` on [`SITE`] answering `statuses`, the first hop
/// pointing at `target`.
fn obs(path: &str, statuses: &[Option<u16>], target: Option<&str>) -> Observation {
    Observation {
        // Deliberately not the audit's start: the store uses the audit's.
        audited_at: Timestamp::UNIX_EPOCH,
        url: format!("{SITE}{path}"),
        first_status: statuses.first().copied().flatten(),
        hop_statuses: statuses.to_vec(),
        raw_location: target.map(|t| format!("{t}\\x0D")),
        target: target.map(|t| format!("{SITE}{t}")),
        final_url: target.map(|t| format!("{SITE}{t}")),
        final_status: statuses.last().copied().flatten(),
    }
}

fn temp() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    (dir, path)
}

/// A history with one completed audit, closed again (so its WAL is
/// checkpointed into the main file and removed).
fn closed_history(path: &Path, observations: usize) {
    let mut store = HistoryStore::open(path).unwrap();
    let many: Vec<_> = (0..observations)
        .map(|i| {
            obs(
                &format!("/page/{i}"),
                &[Some(302), Some(200)],
                Some("/landing"),
            )
        })
        .collect();
    store
        .record_audit(&audit(SITE, day(0), AuditStatus::Completed), &many)
        .unwrap();
}

fn round_trip_of_two_audits_orders_prior_observations_oldest_first(h: TestHistory) {
    let mut store = h.open();
    let first = store
        .record_audit(
            &audit(SITE, day(0), AuditStatus::Completed),
            &[
                obs("/old", &[Some(302), Some(200)], Some("/new")),
                obs("/gone", &[Some(301), None], Some("/nowhere")),
            ],
        )
        .unwrap();
    let second = store
        .record_audit(
            &audit(SITE, day(60), AuditStatus::Completed),
            &[
                obs("/old", &[Some(302), Some(200)], Some("/new")),
                obs("/fresh", &[Some(307), Some(301), Some(200)], Some("/x")),
                obs("/gone", &[Some(200)], None),
            ],
        )
        .unwrap();
    assert!(second > first);
    // Another site's audit, newer than both, must not leak in.
    store
        .record_audit(
            &audit("https://other.example", day(61), AuditStatus::Completed),
            &[obs("/old", &[Some(301), Some(200)], Some("/elsewhere"))],
        )
        .unwrap();

    let prior = store.prior_observations(SITE, day(90)).unwrap();
    assert_eq!(prior.previous_audit_at, Some(day(60)));
    let urls: Vec<_> = prior.by_url.keys().map(String::as_str).collect();
    assert_eq!(
        urls,
        [
            "https://example.com/fresh",
            "https://example.com/gone",
            "https://example.com/old"
        ]
    );
    let old = &prior.by_url["https://example.com/old"];
    assert_eq!(
        old.iter().map(|o| o.audited_at).collect::<Vec<_>>(),
        [day(0), day(60)]
    );
    let mut expected = obs("/old", &[Some(302), Some(200)], Some("/new"));
    expected.audited_at = day(0);
    assert_eq!(old[0], expected);
    let gone = &prior.by_url["https://example.com/gone"];
    assert_eq!(gone[0].hop_statuses, [Some(301), None]);
    assert_eq!(gone[1].hop_statuses, [Some(200)]);
    assert_eq!(gone[1].raw_location, None);
    assert_eq!(
        prior
            .previous("https://example.com/fresh")
            .unwrap()
            .hop_statuses,
        [Some(307), Some(301), Some(200)]
    );

    // `before` is strict: an audit is not its own prior.
    let prior = store.prior_observations(SITE, day(60)).unwrap();
    assert_eq!(prior.previous_audit_at, Some(day(0)));
    assert!(!prior.by_url.contains_key("https://example.com/fresh"));
    assert_eq!(prior.by_url["https://example.com/old"].len(), 1);

    let none = store.prior_observations(SITE, day(0)).unwrap();
    assert_eq!(none, model::PriorObservations::default());
}

fn interrupted_audits_are_not_evidence_and_truncated_ones_are(h: TestHistory) {
    let mut store = h.open();
    let temporary = [Some(302), Some(200)];
    store
        .record_audit(
            &audit(SITE, day(0), AuditStatus::Completed),
            &[obs("/a", &temporary, Some("/b"))],
        )
        .unwrap();
    // Interrupted after seeing /a answer 200: must not count as "fixed".
    store
        .record_audit(
            &audit(SITE, day(30), AuditStatus::Interrupted),
            &[obs("/a", &[Some(200)], None)],
        )
        .unwrap();

    let prior = store.prior_observations(SITE, day(40)).unwrap();
    assert_eq!(prior.previous_audit_at, Some(day(0)));
    assert_eq!(prior.by_url["https://example.com/a"].len(), 1);
    assert_eq!(
        prior.by_url["https://example.com/a"][0].first_status,
        Some(302)
    );

    // A truncated audit is complete for what it reached, even when that is
    // nothing: it becomes the previous audit.
    store
        .record_audit(&audit(SITE, day(45), AuditStatus::Truncated), &[])
        .unwrap();
    let prior = store.prior_observations(SITE, day(50)).unwrap();
    assert_eq!(prior.previous_audit_at, Some(day(45)));
    assert_eq!(prior.by_url["https://example.com/a"].len(), 1);
    assert_eq!(prior.previous("https://example.com/a"), None);
}

fn list_audits_shows_every_audit_oldest_first_with_counts(h: TestHistory) {
    let mut store = h.open();
    // Recorded out of order, as a back-fill would.
    let late = store
        .record_audit(
            &audit(SITE, day(10), AuditStatus::Interrupted),
            &[obs("/a", &[Some(302)], Some("/b"))],
        )
        .unwrap();
    let early = store
        .record_audit(
            &audit(SITE, day(1), AuditStatus::Truncated),
            &[
                obs("/a", &[Some(302)], Some("/b")),
                obs("/c", &[Some(301)], Some("/d")),
            ],
        )
        .unwrap();
    let list = store.list_audits().unwrap();
    assert_eq!(
        list.iter()
            .map(|a| (a.id, a.status, a.observations))
            .collect::<Vec<_>>(),
        [
            (early, AuditStatus::Truncated, 2),
            (late, AuditStatus::Interrupted, 1)
        ]
    );
    assert_eq!(list[0].site, SITE);
    assert_eq!(list[0].start_url, "https://example.com/");
    assert_eq!(list[0].started_at, day(1));
    assert_eq!(list[0].ended_at, day(1) + 5.minutes());
}

fn timestamps_round_trip_exactly_and_sort_as_text(h: TestHistory) {
    let mut store = h.open();
    let whole: Timestamp = "2024-03-01T00:00:00Z".parse().unwrap();
    let fraction: Timestamp = "2024-03-01T00:00:00.5Z".parse().unwrap();
    let nanos: Timestamp = "2024-03-01T00:00:00.000000001Z".parse().unwrap();
    for at in [fraction, whole, nanos] {
        store
            .record_audit(&audit(SITE, at, AuditStatus::Completed), &[])
            .unwrap();
    }
    let starts: Vec<_> = store
        .list_audits()
        .unwrap()
        .iter()
        .map(|a| a.started_at)
        .collect();
    assert_eq!(starts, [whole, nanos, fraction]);
    // `…00Z` sorts after `…00.5Z` as plain RFC 3339 text; not here.
    let prior = store.prior_observations(SITE, fraction).unwrap();
    assert_eq!(prior.previous_audit_at, Some(nanos));

    let ancient: Timestamp = "-000001-06-01T00:00:00Z".parse().unwrap();
    let err = store
        .record_audit(&audit(SITE, ancient, AuditStatus::Completed), &[])
        .unwrap_err();
    assert!(matches!(err, Error::TimestampOutOfRange { .. }), "{err:?}");
    let year_zero: Timestamp = "0000-01-01T00:00:00Z".parse().unwrap();
    store
        .record_audit(&audit(SITE, year_zero, AuditStatus::Completed), &[])
        .unwrap();
}

#[test]
fn a_file_of_random_bytes_is_refused_and_left_untouched() {
    let (_dir, path) = temp();
    // A deterministic pseudo-random pattern (xorshift), a few pages long.
    let mut x: u32 = 0x9E37_79B9;
    let garbage: Vec<u8> = (0..10_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x.to_le_bytes()[0]
        })
        .collect();
    std::fs::write(&path, &garbage).unwrap();

    let err = HistoryStore::open(&path).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), garbage);

    // Shorter than a header, too.
    std::fs::write(&path, b"SQLite format 3\0").unwrap();
    let err = HistoryStore::open(&path).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), b"SQLite format 3\0");
}

#[test]
fn a_truncated_history_is_refused_and_left_untouched() {
    let (_dir, path) = temp();
    closed_history(&path, 2_000);
    let whole = std::fs::read(&path).unwrap();
    assert!(whole.len() > 8 * 4096, "the fixture should span many pages");
    let half = &whole[..whole.len() / 2];
    std::fs::write(&path, half).unwrap();

    let err = HistoryStore::open(&path).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), half);
}

#[test]
fn damaged_pages_are_found_before_anything_is_written() {
    let (_dir, path) = temp();
    closed_history(&path, 2_000);
    let mut bytes = std::fs::read(&path).unwrap();
    // Keep the header page (so the file still looks like a database of the
    // right size) and scribble over every page after it.
    for b in &mut bytes[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();

    let err = HistoryStore::open(&path).unwrap_err();
    assert!(matches!(err, Error::Corrupt { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let (_dir, path) = temp();
    closed_history(&path, 3);
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();

    let err = HistoryStore::open(&path).unwrap_err();
    match &err {
        Error::NewerSchema {
            path: at,
            found,
            supported,
        } => {
            assert_eq!(at, &path);
            assert_eq!(*found, SCHEMA_VERSION + 1);
            assert_eq!(*supported, SCHEMA_VERSION);
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
    assert!(err.to_string().contains("newer"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let (_dir, path) = temp();
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = HistoryStore::open(&path).unwrap_err();
    assert!(
        matches!(
            err,
            Error::NotHistory {
                application_id: 0,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn open_creates_folders_marks_the_file_and_reopens_without_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = default_history_path(&dir.path().join("reports"), "example.com");
    assert!(!path.exists());
    let mut store = HistoryStore::open(&path).unwrap();
    assert_eq!(store.path(), path);
    let id = store
        .record_audit(&audit(SITE, day(0), AuditStatus::Completed), &[])
        .unwrap();
    drop(store);

    let app: i32 = pragma(&path, "application_id");
    let version: i64 = pragma(&path, "user_version");
    let mode: String = pragma(&path, "journal_mode");
    assert_eq!(
        (app, version, mode.as_str()),
        (APPLICATION_ID, SCHEMA_VERSION, "wal")
    );

    let store = HistoryStore::open(&path).unwrap();
    assert_eq!(store.list_audits().unwrap()[0].id, id);
}

/// A zero-byte file (what `touch` leaves) is a new history, not a corrupt
/// one: marked as ours, and what is recorded in it reads back after a
/// reopen.
#[test]
fn an_empty_file_becomes_a_history() {
    let (_dir, path) = temp();
    std::fs::write(&path, b"").unwrap();
    let mut store = HistoryStore::open(&path).unwrap();
    let id = store
        .record_audit(
            &audit(SITE, day(0), AuditStatus::Completed),
            &[obs("/a", &[Some(302), Some(200)], Some("/b"))],
        )
        .unwrap();
    drop(store);

    let app: i32 = pragma(&path, "application_id");
    let version: i64 = pragma(&path, "user_version");
    assert_eq!((app, version), (APPLICATION_ID, SCHEMA_VERSION));

    let store = HistoryStore::open(&path).unwrap();
    let list = store.list_audits().unwrap();
    assert_eq!(
        list.iter()
            .map(|a| (a.id, a.status, a.observations))
            .collect::<Vec<_>>(),
        [(id, AuditStatus::Completed, 1)]
    );
    let prior = store.prior_observations(SITE, day(1)).unwrap();
    assert_eq!(prior.previous_audit_at, Some(day(0)));
    assert_eq!(
        prior.by_url["https://example.com/a"][0].hop_statuses,
        [Some(302), Some(200)]
    );
}

fn invalid_settings_json_records_nothing(h: TestHistory) {
    let mut store = h.open();
    let mut record = audit(SITE, day(0), AuditStatus::Completed);
    record.settings_json = "{max_urls: 3".to_owned();
    let err = store.record_audit(&record, &[]).unwrap_err();
    assert!(matches!(err, Error::InvalidSettings { .. }), "{err:?}");
    assert!(store.list_audits().unwrap().is_empty());
}

#[test]
fn a_writer_that_cannot_get_the_lock_fails_with_busy_and_writes_nothing() {
    let (_dir, path) = temp();
    closed_history(&path, 1);
    let mut store = HistoryStore::open_with_busy_timeout(&path, Duration::from_millis(20)).unwrap();

    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let many: Vec<_> = (0..50)
        .map(|i| obs(&format!("/p{i}"), &[Some(302)], Some("/q")))
        .collect();
    let err = store
        .record_audit(&audit(SITE, day(1), AuditStatus::Completed), &many)
        .unwrap_err();
    assert!(matches!(err, Error::Busy { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
    holder.execute_batch("COMMIT").unwrap();

    assert_eq!(store.list_audits().unwrap().len(), 1);
    store
        .record_audit(&audit(SITE, day(1), AuditStatus::Completed), &many)
        .unwrap();
    assert_eq!(store.list_audits().unwrap().len(), 2);
}

#[test]
fn two_audits_writing_one_new_file_at_once_both_land_or_one_is_busy() {
    let (_dir, path) = temp();
    const PER_AUDIT: usize = 500;
    // Both threads open the (not yet existing) file at the same moment, then
    // write at the same moment.
    let barrier = Arc::new(Barrier::new(2));
    let writers: Vec<_> = (0..2i64)
        .map(|n| {
            let barrier = Arc::clone(&barrier);
            let path = path.clone();
            thread::spawn(move || -> Result<AuditId, Error> {
                barrier.wait();
                let opened = HistoryStore::open(&path);
                let observations: Vec<_> = (0..PER_AUDIT)
                    .map(|i| obs(&format!("/w{n}/{i}"), &[Some(302), Some(200)], Some("/t")))
                    .collect();
                // Waited for whatever `open` gave, so that a failure cannot
                // leave the other thread stuck here.
                barrier.wait();
                opened?.record_audit(&audit(SITE, day(n), AuditStatus::Completed), &observations)
            })
        })
        .collect();
    let results: Vec<_> = writers.into_iter().map(|w| w.join().unwrap()).collect();
    let mut landed = 0;
    for result in &results {
        match result {
            Ok(_) => landed += 1,
            Err(Error::Busy { .. }) => {}
            Err(other) => panic!("neither success nor Busy: {other:?}"),
        }
    }

    let store = HistoryStore::open(&path).unwrap();
    let list = store.list_audits().unwrap();
    assert_eq!(list.len(), landed);
    assert!(list.iter().all(|a| a.observations == PER_AUDIT as u64));
    let conn = Connection::open(&path).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

fn prune_keeps_the_newest_audits_of_each_site(h: TestHistory) {
    let mut store = h.open();
    let other = "https://other.example";
    for d in [5, 6] {
        store
            .record_audit(
                &audit(other, day(d), AuditStatus::Completed),
                &[obs("/z", &[Some(302)], Some("/y"))],
            )
            .unwrap();
    }
    // Recorded newest first (as a back-fill would), so the largest id is the
    // oldest audit, the first to go.
    let mut last = AuditId(0);
    for d in [40, 30, 20, 10] {
        last = store
            .record_audit(
                &audit(SITE, day(d), AuditStatus::Completed),
                &vec![obs("/a", &[Some(302)], Some("/b")); 3],
            )
            .unwrap();
    }

    assert_eq!(store.prune(2).unwrap(), 2);
    let kept: Vec<_> = store
        .list_audits()
        .unwrap()
        .into_iter()
        .map(|a| (a.site, a.started_at))
        .collect();
    assert_eq!(
        kept,
        [
            (other.to_owned(), day(5)),
            (other.to_owned(), day(6)),
            (SITE.to_owned(), day(30)),
            (SITE.to_owned(), day(40)),
        ]
    );
    assert_eq!(store.prune(2).unwrap(), 0);

    let orphans =
        h.count("SELECT count(*) FROM observations WHERE audit_id NOT IN (SELECT id FROM audits)");
    let total = h.count("SELECT count(*) FROM observations");
    assert_eq!((orphans, total), (0, 2 * 3 + 2));

    // The pruned ids are never handed out again.
    let newest = store
        .record_audit(&audit(SITE, day(50), AuditStatus::Completed), &[])
        .unwrap();
    assert!(
        newest > last,
        "{newest} reuses a pruned id (last was {last})"
    );

    assert_eq!(store.prune(0).unwrap(), 5);
    assert!(store.list_audits().unwrap().is_empty());
}

/// Issue 14: interrupted audits never push evidence out of `--keep`.
fn prune_does_not_count_interrupted_audits(h: TestHistory) {
    let mut store = h.open();
    let plan = [
        (10, AuditStatus::Completed),
        (20, AuditStatus::Interrupted),
        (30, AuditStatus::Truncated),
        (40, AuditStatus::Interrupted),
        (45, AuditStatus::Interrupted),
        (50, AuditStatus::Completed),
        (60, AuditStatus::Interrupted),
    ];
    for (d, status) in plan {
        store
            .record_audit(
                &audit(SITE, day(d), status),
                &[obs("/a", &[Some(302)], Some("/b"))],
            )
            .unwrap();
    }
    let kept = |store: &mut History| -> Vec<(Timestamp, AuditStatus)> {
        store
            .list_audits()
            .unwrap()
            .into_iter()
            .map(|a| (a.started_at, a.status))
            .collect()
    };
    // Two evidence audits kept (30, 50); the interrupted ones since the
    // older of them stay (40, 45, 60) but only the newest two of those.
    assert_eq!(store.prune(2).unwrap(), 3);
    assert_eq!(
        kept(&mut store),
        [
            (day(30), AuditStatus::Truncated),
            (day(45), AuditStatus::Interrupted),
            (day(50), AuditStatus::Completed),
            (day(60), AuditStatus::Interrupted),
        ]
    );
    // Fewer evidence audits than `keep`: nothing older goes.
    assert_eq!(store.prune(5).unwrap(), 0);
}

#[test]
fn default_history_path_is_one_folder_per_host() {
    let reports = Path::new("reports");
    assert_eq!(
        default_history_path(reports, "example.com"),
        Path::new("reports/example.com/history.sqlite")
    );
    assert_eq!(
        default_history_path(reports, "[::1]"),
        Path::new("reports/[__1]/history.sqlite")
    );
    assert_eq!(
        default_history_path(reports, ".."),
        Path::new("reports/_/history.sqlite")
    );
}

#[test]
fn audit_status_names_round_trip() {
    for status in [
        AuditStatus::Completed,
        AuditStatus::Truncated,
        AuditStatus::Interrupted,
    ] {
        assert_eq!(status.as_str().parse::<AuditStatus>(), Ok(status));
    }
    assert_eq!(
        AuditStatus::from(&model::AuditEnd::Truncated { limits: vec![] }),
        AuditStatus::Truncated
    );
}

/// A finding of `rule` for `path` on [`SITE`].
fn finding(rule: &str, path: &str, severity: model::Severity) -> model::Finding {
    model::Finding::new(rule, severity, format!("{SITE}{path}"), "message")
}

/// Records `audit` keeping `findings`, as the audit pipeline does.
fn record_with(
    store: &mut History,
    audit: &AuditRecord,
    findings: &[model::Finding],
) -> Result<AuditId, Error> {
    store.record_audit_with_findings(audit, &[], |visit| findings.iter().try_for_each(visit))
}

/// Issue 14: `--fail-on-new` compares with the previous audit's findings
/// kept in history.
fn previous_findings_are_those_of_the_newest_evidence_audit_that_kept_them(h: TestHistory) {
    use model::Severity::{Error as E, Warning as W};
    let mut store = h.open();
    assert_eq!(store.previous_findings(SITE, day(100)).unwrap(), None);

    let kept = record_with(
        &mut store,
        &audit(SITE, day(10), AuditStatus::Truncated),
        &[
            finding("redirect-chain", "/a", W),
            finding("redirect-loop", "/b", E),
        ],
    )
    .unwrap();
    // Newer, but none of them can tell what is new: an interrupted audit, an
    // imported one (findings not kept), and another site's.
    record_with(
        &mut store,
        &audit(SITE, day(20), AuditStatus::Interrupted),
        &[finding("malformed-location", "/c", E)],
    )
    .unwrap();
    store
        .record_audit(&audit(SITE, day(30), AuditStatus::Completed), &[])
        .unwrap();
    record_with(
        &mut store,
        &audit("https://other.example", day(40), AuditStatus::Completed),
        &[],
    )
    .unwrap();

    let previous = store.previous_findings(SITE, day(50)).unwrap().unwrap();
    assert_eq!((previous.audit, previous.started_at), (kept, day(10)));
    assert_eq!(previous.len(), 2);
    assert!(previous.contains("redirect-chain", "https://example.com/a"));
    assert!(previous.contains("redirect-loop", "https://example.com/b"));
    assert!(!previous.contains("redirect-loop", "https://example.com/a"));
    assert!(!previous.contains("malformed-location", "https://example.com/c"));
    // `before` is strict, as for observations.
    assert_eq!(store.previous_findings(SITE, day(10)).unwrap(), None);

    // A completed audit without findings is a baseline too: nothing in it.
    let empty = record_with(
        &mut store,
        &audit(SITE, day(60), AuditStatus::Completed),
        &[],
    )
    .unwrap();
    let previous = store.previous_findings(SITE, day(70)).unwrap().unwrap();
    assert_eq!(previous.audit, empty);
    assert!(previous.is_empty());
}

fn findings_that_cannot_be_read_record_nothing(h: TestHistory) {
    let mut store = h.open();
    let err = store
        .record_audit_with_findings(
            &audit(SITE, day(0), AuditStatus::Completed),
            &[obs("/a", &[Some(302)], Some("/b"))],
            |visit| {
                visit(&finding("redirect-chain", "/a", model::Severity::Warning))?;
                Err(std::io::Error::other("the spool vanished"))
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::ReadFindings { .. }), "{err:?}");
    assert!(err.to_string().contains(&h.name()), "{err}");
    assert!(store.list_audits().unwrap().is_empty());
    let rows =
        h.count("SELECT (SELECT count(*) FROM findings) + (SELECT count(*) FROM observations)");
    assert_eq!(rows, 0);
}

fn prune_deletes_the_findings_of_the_audits_it_deletes(h: TestHistory) {
    let mut store = h.open();
    for d in [1, 2, 3] {
        record_with(
            &mut store,
            &audit(SITE, day(d), AuditStatus::Completed),
            &[finding("redirect-chain", "/a", model::Severity::Warning)],
        )
        .unwrap();
    }
    assert_eq!(store.prune(1).unwrap(), 2);
    // Only the kept audit's findings remain, none left behind.
    let orphans =
        h.count("SELECT count(*) FROM findings WHERE audit_id NOT IN (SELECT id FROM audits)");
    let total = h.count("SELECT count(*) FROM findings");
    assert_eq!((orphans, total), (0, 1));
}

/// Issue 14: a version 1 file (written before findings were kept) is
/// migrated to the current version on open, keeping every audit and
/// observation; its audits are not a `--fail-on-new` baseline, the next one
/// is.
#[test]
fn a_version_1_history_migrates_to_the_current_version_and_keeps_its_data() {
    let (_dir, path) = temp();
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(crate::schema::MIGRATIONS[0]).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 1;
             INSERT INTO audits
                 (site, start_url, started_at, ended_at, status, settings_json, tool_version)
             VALUES ('{SITE}', '{SITE}/', '2024-01-01T06:00:00Z', '2024-01-01T06:05:00Z',
                     'completed', '{{}}', '0.1.0');
             INSERT INTO observations (audit_id, url, first_status, hop_statuses, target)
             VALUES (1, '{SITE}/old', 302, '302,200', '{SITE}/new');"
        ))
        .unwrap();
    }
    let mut store = History::Sqlite(HistoryStore::open(&path).unwrap());
    let version: i64 = pragma(&path, "user_version");
    assert_eq!((version, SCHEMA_VERSION), (3, 3));

    let audits = store.list_audits().unwrap();
    assert_eq!(audits.len(), 1);
    assert_eq!((audits[0].started_at, audits[0].observations), (day(0), 1));
    let prior = store.prior_observations(SITE, day(1)).unwrap();
    assert_eq!(prior.previous_audit_at, Some(day(0)));
    let old = prior.previous("https://example.com/old").unwrap();
    assert_eq!(old.hop_statuses, [Some(302), Some(200)]);
    assert_eq!(old.target.as_deref(), Some("https://example.com/new"));
    assert_eq!(store.previous_findings(SITE, day(1)).unwrap(), None);

    let next = record_with(
        &mut store,
        &audit(SITE, day(1), AuditStatus::Completed),
        &[finding("redirect-chain", "/a", model::Severity::Warning)],
    )
    .unwrap();
    let previous = store.previous_findings(SITE, day(2)).unwrap().unwrap();
    assert_eq!(previous.audit, next);
    assert!(previous.contains("redirect-chain", "https://example.com/a"));
}
