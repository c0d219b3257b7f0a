//! Access-log evidence in history (issue 15): stored and read back as it
//! was, and reading the same content again — the same file, or a rotated
//! and gzipped copy — changes nothing.

use std::io::Write;
use std::path::Path;

use accesslog::{LogEvidence, LogReader, ReadOptions};

use crate::testing::{TestHistory, on_both_backends};
use crate::{History, StoredLogs};

on_both_backends!(
    log_evidence_round_trips_and_rereading_changes_nothing,
    new_lines_merge_into_the_stored_evidence,
);

const SITE: &str = "https://example.com";

/// 300 combined-format lines: `/old` answers 302 for days, `/page` 200,
/// and a verified Googlebot (66.249.66.1 is in the bundled ranges) asks
/// for `/old` now and then.
fn log_text() -> String {
    let mut text = String::new();
    for i in 0..300u32 {
        let day = 1 + i / 20;
        let (path, status) = if i % 3 == 0 {
            ("/page", 200)
        } else {
            ("/old", 302)
        };
        let (addr, agent) = if i % 10 == 1 {
            (
                "66.249.66.1",
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            )
        } else {
            ("192.0.2.7", "Mozilla/5.0")
        };
        text.push_str(&format!(
            "{addr} - - [{day:02}/Oct/2026:10:{:02}:{:02} +0000] \"GET {path}?n={i} HTTP/1.1\" {status} 12 \"-\" \"{agent}\"\n",
            i % 60,
            i % 60,
        ));
    }
    text
}

/// Reads `file` with history's fingerprints and stores what was new.
fn read_into(store: &mut History, file: &Path) -> LogEvidence {
    let stored = store.log_evidence(SITE).unwrap();
    let mut reader = LogReader::new(ReadOptions {
        prior: stored.fingerprints,
        ..ReadOptions::default()
    });
    reader.read_path(file).unwrap();
    let read = reader.finish();
    store.add_log_evidence(SITE, &read).unwrap();
    read
}

fn log_evidence_round_trips_and_rereading_changes_nothing(h: TestHistory) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    std::fs::write(&log, log_text()).unwrap();
    let mut store = h.open();
    assert!(store.log_evidence(SITE).unwrap().is_empty());

    let first = read_into(&mut store, &log);
    assert_eq!(first.summary.totals().parsed, 300);
    let stored = store.log_evidence(SITE).unwrap();
    assert_eq!(stored.paths.len(), first.len());
    // The fingerprints alone, as `import-log` reads them.
    assert_eq!(store.log_fingerprints(SITE).unwrap(), stored.fingerprints);
    assert!(!stored.fingerprints.is_empty());
    for (path, e) in &stored.paths {
        let mut read = first.path(path).unwrap().clone();
        read.requests_since = 0;
        assert_eq!(e, &read, "{path} reads back as it was read");
    }
    assert!(
        stored
            .paths
            .iter()
            .any(|(_, e)| e.run.is_some() && e.googlebot_days.iter().any(|d| d.verified > 0)),
        "runs and Googlebot days are stored"
    );

    // The same file again, then a rotated, gzipped copy: nothing new.
    let again = read_into(&mut store, &log);
    assert_eq!(again.summary.totals().parsed, 0);
    assert_eq!(again.summary.totals().already_read, 300);
    let rotated = dir.path().join("access.log.2.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(log_text().as_bytes()).unwrap();
    std::fs::write(&rotated, gz.finish().unwrap()).unwrap();
    let gzipped = read_into(&mut store, &rotated);
    assert_eq!(gzipped.summary.totals().parsed, 0);
    assert_eq!(store.log_evidence(SITE).unwrap(), stored);

    // Another site's logs are its own.
    assert_eq!(
        store.log_evidence("https://other.example").unwrap(),
        StoredLogs::default()
    );
}

fn new_lines_merge_into_the_stored_evidence(h: TestHistory) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    let text = log_text();
    let (head, _) = text.split_at(text.match_indices('\n').nth(149).unwrap().0 + 1);
    std::fs::write(&log, head).unwrap();
    let mut store = h.open();
    read_into(&mut store, &log);
    // The log grew: read live, then again whole, every line counts once.
    std::fs::write(&log, &text).unwrap();
    read_into(&mut store, &log);
    let stored = store.log_evidence(SITE).unwrap();
    let total: u64 = stored.paths.iter().map(|(_, e)| e.requests).sum();
    assert_eq!(total, 300);
}
