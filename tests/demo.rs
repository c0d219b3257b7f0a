//! `redirect-audit demo`: the offline demo works from the binary alone.

use crate::support::{free_port, read_csv, run, text};

#[test]
fn demo_audits_the_bundled_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["demo"], dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let latest = dir.path().join("reports/demo/latest");
    let findings = read_csv(&latest.join("findings.csv"));
    let rules: std::collections::BTreeSet<&str> =
        findings.iter().map(|f| f["rule"].as_str()).collect();
    for rule in [
        "malformed-location",
        "redirect-chain",
        "redirect-loop",
        "missing-location",
        "multiple-location",
        "unencoded-location",
    ] {
        assert!(rules.contains(rule), "demo lacks {rule}: {rules:?}");
    }
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Report:"),
        "{}",
        text(&out)
    );
}

/// README's "Two audits, 60 days apart": `/black-tea` is a 302 reached only
/// through `/black`'s 301, and the second audit ages it (issue 13).
#[test]
fn two_demo_audits_age_a_302_inside_a_chain() {
    let dir = tempfile::tempdir().unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    // README uses --port 8080; a test takes a port the system says is free.
    let port = free_port().to_string();
    for now in ["2026-01-01T02:30:00Z", "2026-03-02T02:30:00Z"] {
        assert!(
            readme.contains(&format!("redirect-audit demo --port 8080 --now {now}")),
            "README shows the demo run at {now}"
        );
        let out = run(&["demo", "--port", &port, "--now", now], dir.path());
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    let findings = read_csv(&dir.path().join("reports/demo/latest/findings.csv"));
    let black_tea = findings
        .iter()
        .find(|f| f["rule"] == "long-lived-temporary-redirect" && f["url"].ends_with("/black-tea"))
        .unwrap_or_else(|| panic!("/black-tea is long-lived: {findings:#?}"));
    assert_eq!(black_tea["age_days"], "60");
    assert_eq!(black_tea["audits_seen"], "2");
    assert!(
        black_tea["message"].contains("for 60 days across 2 audits since 2026-01-01"),
        "{}",
        black_tea["message"]
    );
}
