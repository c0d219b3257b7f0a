//! Tests of what only the PostgreSQL backend has (schema checks in a
//! database, the site lock), and of the additions both backends share
//! (sites overview, copying a history), on a real server.

use std::time::Duration;

use jiff::Timestamp;
use model::Observation;

use crate::testing::{Backend, TestHistory, on_both_backends};
use crate::tests::{audit, day};
use crate::{AuditStatus, Error, History, HistoryLocation, SCHEMA_VERSION};

const SITE: &str = "https://example.com";

fn obs(site: &str, path: &str, status: u16) -> Observation {
    Observation {
        audited_at: Timestamp::UNIX_EPOCH,
        url: format!("{site}{path}"),
        first_status: Some(status),
        hop_statuses: vec![Some(status), Some(200)],
        raw_location: Some("/to".to_owned()),
        target: Some(format!("{site}/to")),
        final_url: Some(format!("{site}/to")),
        final_status: Some(200),
    }
}

on_both_backends!(
    list_sites_shows_each_site_with_its_newest_audit,
    a_history_copies_into_the_other_backend_with_equal_counts,
    audit_starts_are_the_site_s_earlier_audits_oldest_first,
);

fn audit_starts_are_the_site_s_earlier_audits_oldest_first(h: TestHistory) {
    let mut store = h.open();
    for (site, d) in [
        (SITE, 3),
        (SITE, 1),
        ("https://other.example", 2),
        (SITE, 5),
    ] {
        store
            .record_audit(&audit(site, day(d), AuditStatus::Completed), &[])
            .unwrap();
    }
    assert_eq!(store.audit_starts(SITE, day(5)).unwrap(), [day(1), day(3)]);
    assert!(store.audit_starts(SITE, day(1)).unwrap().is_empty());
}

fn list_sites_shows_each_site_with_its_newest_audit(h: TestHistory) {
    let mut store = h.open();
    assert!(store.list_sites().unwrap().is_empty());
    let other = "https://other.example";
    store
        .record_audit(
            &audit(SITE, day(1), AuditStatus::Completed),
            &[obs(SITE, "/a", 302)],
        )
        .unwrap();
    // Recorded later but older: not the newest.
    store
        .record_audit(&audit(SITE, day(0), AuditStatus::Completed), &[])
        .unwrap();
    let newest = store
        .record_audit_with_findings(
            &audit(SITE, day(2), AuditStatus::Interrupted),
            &[obs(SITE, "/a", 302), obs(SITE, "/b", 301)],
            |visit| {
                visit(&model::Finding::new(
                    "redirect-chain",
                    model::Severity::Warning,
                    format!("{SITE}/a"),
                    "",
                ))
            },
        )
        .unwrap();
    store
        .record_audit(&audit(other, day(1), AuditStatus::Truncated), &[])
        .unwrap();
    let sites = store.list_sites().unwrap();
    assert_eq!(sites.len(), 2);
    assert_eq!(
        (
            sites[0].site.as_str(),
            sites[0].audits,
            sites[0].last_audit,
            sites[0].last_started_at,
            sites[0].last_status,
            sites[0].last_observations,
            sites[0].last_findings,
        ),
        (SITE, 3, newest, day(2), AuditStatus::Interrupted, 2, 1)
    );
    assert_eq!(
        (
            sites[1].site.as_str(),
            sites[1].audits,
            sites[1].last_status
        ),
        (other, 1, AuditStatus::Truncated)
    );
}

/// The other backend's fresh history.
fn other_backend(h: &TestHistory) -> TestHistory {
    TestHistory::new(match h.location {
        HistoryLocation::File(_) => Backend::Postgres,
        HistoryLocation::Postgres(_) => Backend::Sqlite,
    })
}

fn a_history_copies_into_the_other_backend_with_equal_counts(h: TestHistory) {
    let mut from = h.open();
    let kept = [model::Finding::new(
        "redirect-chain",
        model::Severity::Warning,
        format!("{SITE}/a"),
        "",
    )];
    from.record_audit_with_findings(
        &audit(SITE, day(0), AuditStatus::Completed),
        &[obs(SITE, "/a", 302), obs(SITE, "/b", 301)],
        |visit| kept.iter().try_for_each(visit),
    )
    .unwrap();
    from.record_audit(
        &audit(SITE, day(9), AuditStatus::Interrupted),
        &[obs(SITE, "/a", 302)],
    )
    .unwrap();
    // Access-log evidence (schema version 3) travels too.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    std::fs::write(
        &log,
        "192.0.2.7 - - [01/Oct/2026:10:00:00 +0000] \"GET /a HTTP/1.1\" 302 0 \"-\" \"x\"\n\
         66.249.66.1 - - [02/Oct/2026:10:00:00 +0000] \"GET /a HTTP/1.1\" 302 0 \"-\" \"Googlebot/2.1\"\n\
         192.0.2.7 - - [03/Oct/2026:10:00:00 +0000] \"GET /b HTTP/1.1\" 200 9 \"-\" \"x\"\n",
    )
    .unwrap();
    let mut reader = accesslog::LogReader::new(accesslog::ReadOptions::default());
    reader.read_path(&log).unwrap();
    from.add_log_evidence(SITE, &reader.finish()).unwrap();
    let target = other_backend(&h);
    let mut to = target.open();
    let counts = from.copy_into(&mut to).unwrap();
    assert_eq!(
        (counts.audits, counts.observations, counts.findings),
        (2, 3, 1)
    );
    assert_eq!(counts.log_paths, 2);
    assert!(counts.log_fingerprints > 0);
    let logs = from.log_evidence(SITE).unwrap();
    assert!(logs.paths.iter().any(|(_, e)| e.run.is_some()));
    assert_eq!(to.log_evidence(SITE).unwrap(), logs);
    let strip = |h: &mut History| -> Vec<_> {
        h.list_audits()
            .unwrap()
            .into_iter()
            .map(|a| (a.site, a.started_at, a.ended_at, a.status, a.observations))
            .collect()
    };
    assert_eq!(strip(&mut from), strip(&mut to));
    assert_eq!(
        from.prior_observations(SITE, day(10)).unwrap(),
        to.prior_observations(SITE, day(10)).unwrap()
    );
    let previous = to.previous_findings(SITE, day(10)).unwrap().unwrap();
    assert!(previous.contains("redirect-chain", &format!("{SITE}/a")));
    // Never into a history that holds the same site.
    let err = from.copy_into(&mut to).unwrap_err();
    assert!(
        matches!(&err, Error::MigrateNotEmpty { site, .. } if site == SITE),
        "{err:?}"
    );
    // Another site's history (one file per site) joins it: the counts
    // checked are what it gained.
    let other = TestHistory::new(match h.location {
        HistoryLocation::File(_) => Backend::Sqlite,
        HistoryLocation::Postgres(_) => Backend::Postgres,
    });
    let mut second = other.open();
    second
        .record_audit(
            &audit("https://other.example", day(3), AuditStatus::Completed),
            &[obs("https://other.example", "/x", 302)],
        )
        .unwrap();
    let counts = second.copy_into(&mut to).unwrap();
    assert_eq!((counts.audits, counts.observations), (1, 1));
    assert_eq!(to.list_sites().unwrap().len(), 2);
}

#[test]
fn both_backends_have_the_same_migrations() {
    assert_eq!(
        crate::postgres::MIGRATIONS.len(),
        crate::schema::MIGRATIONS.len()
    );
}

fn pg() -> (TestHistory, String) {
    let h = TestHistory::new(Backend::Postgres);
    let HistoryLocation::Postgres(url) = &h.location else {
        unreachable!()
    };
    let url = url.redacted().to_owned();
    (h, url)
}

fn execute(h: &TestHistory, sql: &str) {
    let HistoryLocation::Postgres(url) = &h.location else {
        unreachable!()
    };
    let mut client = url.config().connect(::postgres::NoTls).unwrap();
    client.batch_execute(sql).unwrap();
}

#[test]
fn a_newer_schema_in_the_database_is_refused_and_left_untouched() {
    let (h, url) = pg();
    drop(h.open());
    let newer = SCHEMA_VERSION + 1;
    execute(
        &h,
        &format!(
            "INSERT INTO redirect_audit.schema_migrations (version, tool_version)
             VALUES ({newer}, '9.9.9')"
        ),
    );
    let err = History::open(&h.location).unwrap_err();
    assert!(
        matches!(err, Error::NewerDatabaseSchema { found, supported, .. }
            if found == newer && supported == SCHEMA_VERSION),
        "{err:?}"
    );
    assert!(err.to_string().contains(&url), "{err}");
    assert!(err.to_string().contains("left untouched"), "{err}");
    assert_eq!(
        h.count("SELECT count(*) FROM schema_migrations"),
        SCHEMA_VERSION + 1
    );
}

#[test]
fn another_applications_schema_of_the_same_name_is_refused() {
    let (h, _) = pg();
    execute(
        &h,
        "CREATE SCHEMA redirect_audit; CREATE TABLE redirect_audit.audits (x int);",
    );
    let err = History::open(&h.location).unwrap_err();
    assert!(matches!(err, Error::NotHistoryDatabase { .. }), "{err:?}");
    assert_eq!(h.count("SELECT count(*) FROM audits"), 0);
    assert_eq!(
        h.count(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'redirect_audit'"
        ),
        1
    );
}

#[test]
fn the_site_lock_makes_a_second_audit_wait_then_fail() {
    let (h, url) = pg();
    let mut first = h.open();
    let mut second = h.open();
    first.lock_site(SITE, Duration::from_millis(50)).unwrap();
    // Another site is free.
    second
        .lock_site("https://other.example", Duration::from_millis(50))
        .unwrap();
    let err = second
        .lock_site(SITE, Duration::from_millis(50))
        .unwrap_err();
    assert!(matches!(err, Error::Locked { .. }), "{err:?}");
    assert!(err.to_string().contains(SITE), "{err}");
    assert!(err.to_string().contains(&url), "{err}");
    // The holder's connection closing releases it.
    drop(first);
    second.lock_site(SITE, Duration::from_millis(50)).unwrap();
    second
        .record_audit(&audit(SITE, day(0), AuditStatus::Completed), &[])
        .unwrap();
}

#[test]
fn many_new_histories_opened_at_once_create_the_schema_once() {
    let (h, _) = pg();
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| drop(h.open()));
        }
    });
    assert_eq!(
        h.count("SELECT count(*) FROM schema_migrations"),
        SCHEMA_VERSION
    );
}
