//! `redirect-audit demo`: the offline demo works from the binary alone.

use crate::support::{read_csv, run, text};

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
    ] {
        assert!(rules.contains(rule), "demo lacks {rule}: {rules:?}");
    }
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Report:"),
        "{}",
        text(&out)
    );
}
