//! Audit history end to end: two audits 60 days apart, a corrupt file, a
//! newer schema.

use std::path::Path;

use crate::support::{FAST, Served, read_csv, run, text};

fn audit(url: &str, now: &str, dir: &Path, name: &str) -> std::process::Output {
    let out_dir = dir.join(name);
    let history = dir.join("history.sqlite");
    let mut args = vec![
        "crawl",
        url,
        "--now",
        now,
        "--history",
        history.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--fail-on",
        "never",
    ];
    args.extend(FAST);
    run(&args, dir)
}

#[test]
fn two_audits_60_days_apart() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::fixture("history-v1");
    let o = served.origin();
    let url = format!("{o}/");
    let first = audit(&url, "2026-01-01T02:00:00Z", dir.path(), "first");
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let first_findings = read_csv(&dir.path().join("first/findings.csv"));
    assert!(
        !first_findings
            .iter()
            .any(|f| f["rule"] == "long-lived-temporary-redirect"),
        "nothing is long-lived in a first audit: {first_findings:#?}"
    );

    let served = served.replace_with("history-v2");
    assert_eq!(served.origin(), o);
    let second = audit(&url, "2026-03-02T02:00:00Z", dir.path(), "second");
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));

    let findings = read_csv(&dir.path().join("second/findings.csv"));
    let rule_urls = |rule: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["url"].replace(&o, ""))
            .collect()
    };
    assert_eq!(
        rule_urls("long-lived-temporary-redirect"),
        vec!["/persistent"],
        "{findings:#?}"
    );
    let long_lived = findings
        .iter()
        .find(|f| f["rule"] == "long-lived-temporary-redirect")
        .unwrap();
    assert_eq!(long_lived["age_days"], "60");
    assert_eq!(long_lived["audits_seen"], "2");
    assert_eq!(long_lived["first_seen"], "2026-01-01T02:00:00Z");
    assert_eq!(
        rule_urls("redirect-target-changed"),
        vec!["/changing"],
        "{findings:#?}"
    );

    let changes = read_csv(&dir.path().join("second/changes.csv"));
    let mut kinds: Vec<(String, String)> = changes
        .iter()
        .map(|c| (c["url"].replace(&o, ""), c["change"].clone()))
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec![
            ("/appears".into(), "new-redirect".into()),
            ("/changing".into(), "target-changed".into()),
            ("/fixed".into(), "made-permanent".into()),
            ("/removed".into(), "removed-redirect".into()),
        ],
        "{changes:#?}"
    );

    let list = run(
        &[
            "history",
            "list",
            "--all",
            "--history",
            dir.path().join("history.sqlite").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(list.status.code(), Some(0), "{}", text(&list));
    let listed = String::from_utf8_lossy(&list.stdout);
    assert_eq!(
        listed.lines().filter(|l| l.contains("completed")).count(),
        2,
        "{listed}"
    );
}

#[test]
fn a_corrupt_history_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.sqlite");
    let garbage = b"this is not a SQLite database, but it is someone's file".repeat(100);
    std::fs::write(&history, &garbage).unwrap();
    let served = Served::fixture("basic");
    let url = format!("{}/", served.origin());
    let out = audit(&url, "2026-01-01T00:00:00Z", dir.path(), "audit");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("history"), "{stderr}");
    assert_eq!(std::fs::read(&history).unwrap(), garbage);
}

#[test]
fn a_history_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.sqlite");
    {
        let conn = rusqlite::Connection::open(&history).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = {};",
            history::APPLICATION_ID,
            history::SCHEMA_VERSION + 1
        ))
        .unwrap();
    }
    let before = std::fs::read(&history).unwrap();
    let served = Served::fixture("basic");
    let url = format!("{}/", served.origin());
    let out = audit(&url, "2026-01-01T00:00:00Z", dir.path(), "audit");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("newer"),
        "{}",
        text(&out)
    );
    assert_eq!(std::fs::read(&history).unwrap(), before);
}

#[test]
fn history_import_back_fills_ages_from_an_earlier_report() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::fixture("history-v1");
    let url = format!("{}/", served.origin());
    // An earlier audit made without history: only its report folder is left.
    let mut args = vec![
        "crawl",
        &url,
        "--now",
        "2026-01-01T02:00:00Z",
        "--no-history",
        "--fail-on",
        "never",
    ];
    let old = dir.path().join("old-report");
    args.extend(["--out", old.to_str().unwrap()]);
    args.extend(FAST);
    let first = run(&args, dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));

    let history = dir.path().join("history.sqlite");
    let import = run(
        &[
            "history",
            "import",
            old.to_str().unwrap(),
            "--history",
            history.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(import.status.code(), Some(0), "{}", text(&import));
    assert!(
        String::from_utf8_lossy(&import.stderr).contains("at 2026-01-01T02:00:00Z"),
        "{}",
        text(&import)
    );

    let second = audit(&url, "2026-03-02T02:00:00Z", dir.path(), "second");
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    let findings = read_csv(&dir.path().join("second/findings.csv"));
    let long_lived: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"] == "long-lived-temporary-redirect")
        .map(|f| f["url"].as_str())
        .collect();
    assert_eq!(
        long_lived.len(),
        3,
        "the three 302s of history-v1 stood 60 days: {findings:#?}"
    );
}

/// Opening a history file creates it: a mistyped path given to `history
/// list` or `prune` is refused with the reason, not shown as an empty
/// history and left behind.
#[test]
fn listing_or_pruning_a_missing_history_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["history", "list", "--history", "typo.sqlite"][..],
        &[
            "history",
            "prune",
            "--keep",
            "3",
            "--history",
            "typo.sqlite",
        ][..],
    ] {
        let out = run(args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(
            text(&out).contains("the history file typo.sqlite does not exist"),
            "{}",
            text(&out)
        );
        assert!(!dir.path().join("typo.sqlite").exists());
    }
}
