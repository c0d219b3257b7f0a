//! The http/https and www/non-www variants of the start host are the same
//! site (issue 13): fetched, followed and audited like the start host.

use std::collections::BTreeSet;

use crate::support::{FAST, Served, read_csv, run, text};

/// `www.example.test` is the start host; `example.test` redirects every
/// path to it, except `/wb`, a 302 whose Location misses its colon.
const SITE: &str = r#"
[site]
name = "variants"

[[route]]
host = "www.example.test"
path = "/"
status = 200
body = '''<html><head>
<link rel="canonical" href="http://example.test:{port}/">
<link rel="alternate" hreflang="de" href="http://example.test:{port}/de">
</head><body><a href="/wa">a</a></body></html>'''

[[route]]
path = "/sitemap.xml"
status = 200
content_type = "application/xml"
body = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://example.test:{port}/from-sitemap</loc></url></urlset>'

[[route]]
host = "www.example.test"
path = "/wa"
status = 301
location = "http://example.test:{port}/wb"

[[route]]
host = "example.test"
path = "/wb"
raw = "HTTP/1.1 302 Found\r\nLocation: http//www.example.test:{port}/wc\r\nContent-Length: 0\r\n\r\n"

[[route]]
host = "example.test"
path = "*"
status = 301
location = "http://www.example.test:{port}{path}"

[[route]]
path = "*"
status = 200
body = "<html><body>page</body></html>"
"#;

#[test]
fn the_other_variant_is_audited_like_the_start_host() {
    let served = Served::toml(SITE);
    let port = served.site.port();
    let addr = served.site.addr().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("audit");
    let start = format!("http://www.example.test:{port}/");
    let resolve_www = format!("www.example.test:{addr}");
    let resolve_bare = format!("example.test:{addr}");
    let mut args = vec![
        "crawl",
        &start,
        "--out",
        out_dir.to_str().unwrap(),
        "--fail-on",
        "never",
        "--no-history",
        "--ignore-robots",
        "--resolve-only",
        "--resolve",
        &resolve_www,
        "--resolve",
        &resolve_bare,
    ];
    args.extend(FAST);
    let out = run(&args, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    let bare = format!("http://example.test:{port}");
    let findings: BTreeSet<(String, String)> = read_csv(&out_dir.join("findings.csv"))
        .into_iter()
        .map(|f| (f["rule"].clone(), f["url"].replace(&bare, "BARE")))
        .collect();
    let has = |rule: &str, url: &str| findings.contains(&(rule.to_owned(), url.to_owned()));
    // References to the bare name, which 301s to www, are now fetched.
    assert!(has("canonical-to-redirect", "BARE/"), "{findings:#?}");
    assert!(has("hreflang-to-redirect", "BARE/de"), "{findings:#?}");
    assert!(
        has("sitemap-lists-redirect", "BARE/from-sitemap"),
        "{findings:#?}"
    );
    // A chain through the bare name keeps its hop rules there.
    assert!(has("malformed-location", "BARE/wb"), "{findings:#?}");
    assert!(has("temporary-redirect", "BARE/wb"), "{findings:#?}");
    // ... and does not leave the site.
    assert!(
        !findings.iter().any(|(rule, _)| rule == "offsite-redirect"),
        "{findings:#?}"
    );
}
