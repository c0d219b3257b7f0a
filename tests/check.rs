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

/// What each line of the generated map must produce (besides notices).
fn expected_rules(kind: usize) -> Vec<&'static str> {
    match kind {
        0 => vec![],
        1 => vec!["expected-permanent"],
        2 => vec!["expected-single-hop"],
        3 => vec!["unexpected-target"],
        4 => vec!["unexpected-target"],
        _ => vec!["malformed-location", "unexpected-target"],
    }
}

/// A site of `n` migration cases: correct 301s, 302s, 2-hop chains, wrong
/// targets, 404s and `http//` Locations, with the map that checks them.
fn generated_map(n: usize) -> (String, Vec<(String, String)>) {
    let mut toml = String::from("[site]\nname = \"migration\"\n");
    let mut map = Vec::new();
    for i in 0..n {
        toml.push_str(&format!(
            "[[route]]\npath = \"/p/{i}\"\nstatus = 200\nbody = \"<p>new {i}</p>\"\n"
        ));
        let route = match i % 6 {
            0 => format!("status = 301\nlocation = \"/p/{i}\""),
            1 => format!("status = 302\nlocation = \"/p/{i}\""),
            2 => format!(
                "status = 301\nlocation = \"/h/{i}\"\n[[route]]\npath = \"/h/{i}\"\nstatus = 301\nlocation = \"/p/{i}\""
            ),
            3 => format!("status = 301\nlocation = \"/p/{}\"", i + 1),
            4 => String::new(),
            _ => format!(
                "raw = \"HTTP/1.1 302 Found\\r\\nLocation: http//{{authority}}/p/{i}\\r\\nContent-Length: 0\\r\\n\\r\\n\"\nkeep_alive = true"
            ),
        };
        if !route.is_empty() {
            toml.push_str(&format!("[[route]]\npath = \"/m/{i}\"\n{route}\n"));
        }
        map.push((format!("/m/{i}"), format!("/p/{i}")));
    }
    (toml, map)
}

#[test]
fn a_10_000_line_map_is_checked_row_by_row() {
    const N: usize = 10_000;
    let (toml, map) = generated_map(N);
    let served = crate::support::Served::toml(&toml);
    let o = served.origin();
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("map.csv");
    let mut csv = String::from("url,expected\n");
    for (old, new) in &map {
        csv.push_str(&format!("{o}{old},{o}{new}\n"));
    }
    std::fs::write(&list, csv).unwrap();
    let out_dir = dir.path().join("out");
    let out = run(
        &[
            "check",
            list.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--no-history",
            "--retries",
            "0",
            "--per-host-rate",
            "0",
            "--per-host-concurrency",
            "16",
            "--min-severity",
            "warning",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));

    let findings = read_csv(&out_dir.join("findings.csv"));
    let mut by_url: std::collections::HashMap<String, Vec<String>> =
        std::collections::HashMap::new();
    for f in &findings {
        by_url
            .entry(f["url"].clone())
            .or_default()
            .push(f["rule"].clone());
    }
    let relevant = [
        "expected-permanent",
        "expected-single-hop",
        "unexpected-target",
        "expected-target-error",
        "malformed-location",
    ];
    for (i, (old, _)) in map.iter().enumerate() {
        let mut got: Vec<&str> = by_url
            .get(&format!("{o}{old}"))
            .map(|rules| {
                rules
                    .iter()
                    .map(String::as_str)
                    .filter(|r| relevant.contains(r))
                    .collect()
            })
            .unwrap_or_default();
        got.sort_unstable();
        assert_eq!(got, expected_rules(i % 6), "line {} ({old})", i + 2);
    }
    let pages = read_csv(&out_dir.join("pages.csv"));
    assert!(pages.len() >= N, "every line fetched: {}", pages.len());
    // Each URL was requested once, however many lines reach it.
    let log = served.site.request_log();
    let distinct: std::collections::HashSet<&str> = log.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(distinct.len(), log.len());
}
