//! `redirect-audit crawl` on the basic fixture, end to end.

use crate::support::{FAST, Served, read_csv, run, text};

#[test]
fn crawl_writes_pages_hops_and_findings() {
    let served = Served::fixture("basic");
    let o = served.origin();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("audit");
    let url = format!("{o}/");
    let mut args = vec![
        "crawl",
        &url,
        "--out",
        out_dir.to_str().unwrap(),
        "--fail-on",
        "never",
    ];
    args.extend(FAST);
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    for file in [
        "pages.csv",
        "hops.csv",
        "redirects.csv",
        "findings.csv",
        "changes.csv",
        "summary.json",
    ] {
        assert!(out_dir.join(file).is_file(), "{file} missing");
    }

    let hops = read_csv(&out_dir.join("hops.csv"));
    let chain: Vec<(String, String, String, String)> = hops
        .iter()
        .filter(|h| h["chain_start"] == format!("{o}/chain-1"))
        .map(|h| {
            (
                h["hop"].clone(),
                h["url"].replace(&o, ""),
                h["status"].clone(),
                h["location"].clone(),
            )
        })
        .collect();
    assert_eq!(
        chain,
        vec![
            (
                "0".into(),
                "/chain-1".into(),
                "301".into(),
                "/chain-2".into()
            ),
            (
                "1".into(),
                "/chain-2".into(),
                "302".into(),
                format!("{o}/chain-3")
            ),
            (
                "2".into(),
                "/chain-3".into(),
                "301".into(),
                "/final.html".into()
            ),
            (
                "3".into(),
                "/final.html".into(),
                "200".into(),
                String::new()
            ),
        ]
    );
    let authority = o.trim_start_matches("http://");
    let typo = hops
        .iter()
        .find(|h| h["chain_start"] == format!("{o}/typo") && h["hop"] == "0")
        .unwrap();
    assert_eq!(typo["location"], format!("http//{authority}/news.html"));

    let pages = read_csv(&out_dir.join("pages.csv"));
    let secret = pages
        .iter()
        .find(|p| p["url"] == format!("{o}/private/secret.html"))
        .unwrap();
    assert_eq!(secret["error_kind"], "blocked-by-robots");
    let sitemap_only = pages
        .iter()
        .find(|p| p["url"] == format!("{o}/sitemap-only.html"))
        .unwrap();
    assert_eq!(sitemap_only["discovery"], "sitemap");

    let findings = read_csv(&out_dir.join("findings.csv"));
    let has = |rule: &str, path: &str| {
        findings
            .iter()
            .any(|f| f["rule"] == rule && f["url"] == format!("{o}{path}"))
    };
    assert!(has("malformed-location", "/typo"), "{findings:#?}");
    assert!(has("redirect-loop", "/loop-a"), "{findings:#?}");
    assert!(has("redirect-chain", "/chain-1"), "{findings:#?}");
    assert!(
        has("meta-refresh-redirect", "/refresh.html"),
        "{findings:#?}"
    );

    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["end"]["state"], "completed", "{summary:#}");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let served = Served::fixture("basic");
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/", served.origin());
    for (fail_on, code) in [("error", 1), ("warning", 1), ("notice", 1), ("never", 0)] {
        let out_dir = dir.path().join(fail_on);
        let mut args = vec![
            "crawl",
            &url,
            "--no-history",
            "--quiet",
            "--out",
            out_dir.to_str().unwrap(),
            "--fail-on",
            fail_on,
        ];
        args.extend(FAST);
        let out = run(&args, dir.path());
        assert_eq!(
            out.status.code(),
            Some(code),
            "--fail-on {fail_on}: {}",
            text(&out)
        );
        assert!(
            out.stdout.is_empty(),
            "--quiet prints nothing: {}",
            text(&out)
        );
    }
}

#[test]
fn fail_on_new_fails_only_on_regressions() {
    let served = Served::fixture("basic");
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/", served.origin());
    let reports = dir.path().join("reports");
    let audit = |now: &str, extra: &[&str]| {
        let mut args = vec!["crawl", &url, "--quiet", "--fail-on-new", "--now", now];
        args.extend(["--reports-dir", reports.to_str().unwrap()]);
        args.extend(extra);
        args.extend(FAST);
        run(&args, dir.path())
    };
    // First audit: every finding is new.
    let first = audit("2026-01-01T00:00:00Z", &[]);
    assert_eq!(first.status.code(), Some(1), "{}", text(&first));
    // The previous audit's findings come from history (issue 14), not from
    // its report folder: without latest/findings.csv nothing changes.
    let host = url::Url::parse(&url).unwrap();
    let latest = reports
        .join(format!(
            "{}_{}",
            host.host_str().unwrap(),
            host.port().unwrap()
        ))
        .join("latest");
    std::fs::remove_file(latest.join("findings.csv")).unwrap();
    // Same site again: the errors are still there, but none is new.
    let second = audit("2026-01-02T00:00:00Z", &[]);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    // Without history there is no previous audit: every finding is new.
    let unremembered = audit("2026-01-03T00:00:00Z", &["--no-history"]);
    assert_eq!(
        unremembered.status.code(),
        Some(1),
        "{}",
        text(&unremembered)
    );
}
