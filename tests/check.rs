//! `redirect-audit check`: list mode on a migration map, end to end.

use crate::support::{FAST, Served, read_csv, run, text};

#[test]
fn check_reports_each_line_of_a_migration_map() {
    let served = Served::fixture("basic");
    let o = served.origin();
    let dir = tempfile::tempdir().unwrap();
    let map = dir.path().join("map.csv");
    std::fs::write(
        &map,
        format!(
            "old,new\n\
             {o}/old-about,{o}/about.html\n\
             {o}/temp,{o}/about.html\n\
             {o}/chain-1,{o}/final.html\n\
             {o}/see-other,{o}/about.html\n\
             {o}/about.html,{o}/about.html\n\
             {o}/perm308,{o}/nope.html\n\
             not a url,{o}/x\n"
        ),
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let mut args = vec![
        "check",
        map.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--no-history",
    ];
    args.extend(FAST);
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("'old' as URL, 'new' as expected"),
        "{}",
        text(&out)
    );

    let findings = read_csv(&out_dir.join("findings.csv"));
    let mut check: Vec<(String, String)> = findings
        .iter()
        .filter(|f| {
            f["rule"].starts_with("expected-")
                || f["rule"] == "unexpected-target"
                || f["rule"] == "invalid-url"
        })
        .map(|f| (f["rule"].clone(), f["url"].replace(&o, "")))
        .collect();
    check.sort();
    assert_eq!(
        check,
        vec![
            ("expected-permanent".into(), "/chain-1".into()),
            ("expected-permanent".into(), "/temp".into()),
            ("expected-single-hop".into(), "/chain-1".into()),
            ("expected-target-error".into(), "/perm308".into()),
            ("invalid-url".into(), "not a url".into()),
            ("unexpected-target".into(), "/perm308".into()),
            ("unexpected-target".into(), "/see-other".into()),
        ],
        "{findings:#?}"
    );
    let invalid = findings
        .iter()
        .find(|f| f["rule"] == "invalid-url")
        .unwrap();
    assert!(invalid["message"].starts_with("line 8:"), "{invalid:?}");

    // Same engine as crawl: the hops are recorded, links are not followed.
    let hops = read_csv(&out_dir.join("hops.csv"));
    assert!(
        hops.iter()
            .any(|h| h["chain_start"] == format!("{o}/chain-1") && h["hop"] == "3")
    );
    let pages = read_csv(&out_dir.join("pages.csv"));
    assert!(
        !pages.iter().any(|p| p["url"] == format!("{o}/news.html")),
        "links must not be followed"
    );
}
