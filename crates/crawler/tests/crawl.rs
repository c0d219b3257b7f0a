//! The crawler against the `basic` fixture site over real loopback sockets.

use std::collections::HashMap;
use std::time::Duration;

use model::{AuditEnd, ChainEnd, CrawlOutput, Discovery, FetchErrorKind, LinkKind};
use redirect_audit_crawler::{CrawlConfig, Crawler, NoReporter, Scope, Seed};
use testsite::{RunningSite, Site};
use url::Url;

/// A hop as (path, status, raw Locations, resolved target).
type HopSummary = (String, Option<u16>, Vec<String>, Option<String>);

fn fast_config(start: &Url) -> CrawlConfig {
    let mut config = CrawlConfig::new(Scope::site_of(start));
    config.rate = 0;
    config.concurrency = 8;
    config.retries = 0;
    config.timeout = Duration::from_secs(5);
    config
}

async fn crawl(site: &RunningSite, config: impl FnOnce(&mut CrawlConfig)) -> CrawlOutput {
    crawl_from(&Url::parse(&site.url("/")).unwrap(), config).await
}

/// Crawls from `start` with [`fast_config`], after `config` adjusts it.
async fn crawl_from(start: &Url, config: impl FnOnce(&mut CrawlConfig)) -> CrawlOutput {
    let mut cfg = fast_config(start);
    config(&mut cfg);
    let crawler = Crawler::new(cfg).unwrap();
    let seeds = vec![Seed {
        url: start.to_string(),
        discovery: Discovery::Seed,
    }];
    crawler
        .run(seeds, &NoReporter, std::future::pending())
        .await
        .unwrap()
}

#[tokio::test]
async fn records_every_hop_of_the_basic_site_exactly() {
    let site = Site::fixture("basic").unwrap().serve().await.unwrap();
    let out = crawl(&site, |_| {}).await;
    let o = site.origin();
    let authority = o.trim_start_matches("http://").to_owned();

    assert_eq!(out.end, AuditEnd::Completed);
    let chains: HashMap<String, (String, ChainEnd)> = out
        .chains
        .iter()
        .map(|c| (c.start.replace(&o, ""), (c.status_path(), c.end.clone())))
        .collect();
    let expected: HashMap<String, (String, ChainEnd)> = [
        ("/chain-1", "301 → 302 → 301 → 200", ChainEnd::Final),
        ("/old-about", "301 → 200", ChainEnd::Final),
        ("/perm308", "308 → 200", ChainEnd::Final),
        ("/see-other", "303 → 200", ChainEnd::Final),
        ("/temp", "302 → 200", ChainEnd::Final),
        ("/temp307", "307 → 200", ChainEnd::Final),
        ("/typo", "302 → 404", ChainEnd::Final),
    ]
    .into_iter()
    .map(|(u, p, e)| (u.to_owned(), (p.to_owned(), e)))
    .chain([(
        "/loop-a".to_owned(),
        (
            "301 → 302".to_owned(),
            ChainEnd::Loop {
                back_to: format!("{o}/loop-a"),
            },
        ),
    )])
    .collect();
    assert_eq!(chains, expected);

    // The 3-hop chain, hop by hop: request URL, raw Location, resolved target.
    let chain = out
        .chains
        .iter()
        .find(|c| c.start.ends_with("/chain-1"))
        .unwrap();
    let hops: Vec<HopSummary> = chain
        .hops
        .iter()
        .map(|h| {
            (
                h.url.replace(&o, ""),
                h.status,
                h.locations.iter().map(|l| l.escaped()).collect(),
                h.target.clone(),
            )
        })
        .collect();
    assert_eq!(
        hops,
        vec![
            (
                "/chain-1".into(),
                Some(301),
                vec!["/chain-2".into()],
                Some(format!("{o}/chain-2"))
            ),
            (
                "/chain-2".into(),
                Some(302),
                vec![format!("{o}/chain-3")],
                Some(format!("{o}/chain-3"))
            ),
            (
                "/chain-3".into(),
                Some(301),
                vec!["/final.html".into()],
                Some(format!("{o}/final.html"))
            ),
            ("/final.html".into(), Some(200), vec![], None),
        ]
    );

    // The missing colon: raw bytes kept, resolved as a browser does (a path).
    let typo = &out
        .chains
        .iter()
        .find(|c| c.start.ends_with("/typo"))
        .unwrap()
        .hops[0];
    assert_eq!(
        typo.locations[0].as_bytes(),
        format!("http//{authority}/news.html").as_bytes()
    );
    assert_eq!(
        typo.target.as_deref(),
        Some(format!("{o}/http//{authority}/news.html").as_str())
    );

    // robots.txt: recorded as blocked, never requested.
    let secret = out.page(&format!("{o}/private/secret.html")).unwrap();
    assert_eq!(
        secret.response.error.as_ref().map(|e| e.kind),
        Some(FetchErrorKind::BlockedByRobots)
    );
    assert_eq!(site.request_count("/private/secret.html"), 0);

    // Sitemap seeding: the sitemap-only page is found and flagged.
    let only = out.page(&format!("{o}/sitemap-only.html")).unwrap();
    assert_eq!(only.discovery, Discovery::Sitemap);
    assert!(only.in_sitemap);
    assert!(
        out.links
            .iter()
            .any(|l| l.kind == LinkKind::Sitemap && *l.to == format!("{o}/old-about"))
    );

    // Meta refresh is an edge with its delay.
    assert!(out.links.iter().any(|l| l.kind == LinkKind::MetaRefresh
        && *l.from == format!("{o}/refresh.html")
        && *l.to == format!("{o}/about.html")
        && l.detail() == Some("0")));

    // Every URL was requested exactly once.
    for request in site.request_log() {
        let target = request.target.clone();
        assert_eq!(
            site.request_count(&target),
            1,
            "{target} fetched more than once"
        );
    }
}

#[tokio::test]
async fn ignore_robots_fetches_disallowed_pages() {
    let site = Site::fixture("basic").unwrap().serve().await.unwrap();
    let out = crawl(&site, |c| c.obey_robots = false).await;
    let secret = out
        .page(&format!("{}/private/secret.html", site.origin()))
        .unwrap();
    assert_eq!(secret.response.status, Some(200));
}

#[tokio::test]
async fn max_urls_truncates_and_says_so() {
    let site = Site::fixture("basic").unwrap().serve().await.unwrap();
    let out = crawl(&site, |c| {
        c.max_urls = 3;
        c.use_sitemaps = false;
    })
    .await;
    let fetched_non_redirect = out
        .pages
        .to_vec()
        .iter()
        .filter(|p| p.discovery != Discovery::Redirect)
        .count();
    assert_eq!(fetched_non_redirect, 3);
    assert!(
        matches!(out.end, AuditEnd::Truncated { ref limits } if limits.contains(&model::Truncation::MaxUrls))
    );
}

#[tokio::test]
async fn max_depth_zero_fetches_only_the_start() {
    let site = Site::fixture("basic").unwrap().serve().await.unwrap();
    let out = crawl(&site, |c| {
        c.max_depth = 0;
        c.use_sitemaps = false;
    })
    .await;
    assert_eq!(out.pages.len(), 1);
    assert!(
        matches!(out.end, AuditEnd::Truncated { ref limits } if limits.contains(&model::Truncation::MaxDepth))
    );
}

#[tokio::test]
async fn a_stop_signal_interrupts_the_crawl() {
    let site = Site::fixture("basic").unwrap().serve().await.unwrap();
    let start = Url::parse(&site.url("/")).unwrap();
    let crawler = Crawler::new(fast_config(&start)).unwrap();
    let seeds = vec![Seed {
        url: start.to_string(),
        discovery: Discovery::Seed,
    }];
    let out = crawler.run(seeds, &NoReporter, async {}).await.unwrap();
    assert_eq!(out.end, AuditEnd::Interrupted);
}

/// The crawl with everything but its timings: what must not depend on where
/// the crawler kept its state.
fn timeless(out: &CrawlOutput) -> (Vec<model::PageRecord>, Vec<model::Chain>, Vec<String>) {
    let mut pages = out.pages.to_vec();
    for page in &mut pages {
        page.response.elapsed_ms = 0;
    }
    let mut chains = out.chains.clone();
    for hop in chains.iter_mut().flat_map(|c| c.hops.iter_mut()) {
        hop.elapsed_ms = 0;
    }
    let mut links: Vec<String> = out.links.iter().map(|l| format!("{l:?}")).collect();
    links.sort();
    (pages, chains, links)
}

#[tokio::test]
async fn a_frontier_spilled_to_disk_crawls_the_same_site() {
    let site = Site::fixture("basic").unwrap().serve().await.unwrap();
    let in_memory = crawl(&site, |_| {}).await;
    // One job in memory at each end: every other queued URL goes through
    // the frontier's file.
    let spilled = crawl(&site, |c| c.frontier_in_memory = 1).await;
    assert!(in_memory.pages.len() > 10, "the fixture has pages to queue");
    assert_eq!(timeless(&spilled), timeless(&in_memory));
    assert_eq!(spilled.stats.links, in_memory.stats.links);
    assert_eq!(spilled.end, in_memory.end);
}

#[tokio::test]
async fn many_links_to_one_redirect_keep_a_sample_and_the_full_count() {
    // 40 pages link to /moved (a 301): the output keeps the 10 smallest
    // referrers as links and counts all 40.
    let mut toml = String::from(
        "[site]\nname = \"fan-in\"\n\n[[route]]\npath = \"/moved\"\nstatus = 301\nlocation = \"/\"\n",
    );
    let index: String = (0..40)
        .map(|i| format!("<a href=\"/p{i:02}.html\">{i}</a>"))
        .collect();
    toml.push_str(&format!(
        "\n[[route]]\npath = \"/\"\nstatus = 200\nbody = '<html><body>{index}</body></html>'\n"
    ));
    for i in 0..40 {
        toml.push_str(&format!(
            "\n[[route]]\npath = \"/p{i:02}.html\"\nstatus = 200\nbody = '<html><body><a href=\"/moved\">x</a></body></html>'\n"
        ));
    }
    let site = Site::from_toml_str(&toml, std::path::Path::new("."))
        .unwrap()
        .serve()
        .await
        .unwrap();
    let out = crawl(&site, |c| c.use_sitemaps = false).await;
    let o = site.origin();
    let moved = format!("{o}/moved");
    let from: Vec<String> = out
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Anchor && *l.to == *moved)
        .map(|l| l.from.replace(&o, ""))
        .collect();
    let mut sorted = from.clone();
    sorted.sort();
    let expected: Vec<String> = (0..10).map(|i| format!("/p{i:02}.html")).collect();
    assert_eq!(sorted, expected);
    assert_eq!(out.referrer_count(LinkKind::Anchor, &moved, from.len()), 40);
    assert_eq!(out.referrers.len(), 1);
}

#[tokio::test]
async fn working_files_that_cannot_be_created_are_a_clear_error() {
    let site = Site::fixture("basic").unwrap().serve().await.unwrap();
    let start = Url::parse(&site.url("/")).unwrap();
    let mut config = fast_config(&start);
    config.spool_dir = Some("/nonexistent/redirect-audit-spool".into());
    let crawler = Crawler::new(config).unwrap();
    let seeds = vec![Seed {
        url: start.to_string(),
        discovery: Discovery::Seed,
    }];
    let error = crawler
        .run(seeds, &NoReporter, std::future::pending())
        .await
        .expect_err("no folder for the working files");
    let message = error.to_string();
    assert!(
        message.contains("working files") && message.contains("/nonexistent/redirect-audit-spool"),
        "{message}"
    );
}

/// A site on `www.example.test` whose bare name `example.test` redirects
/// every path to www, as real sites do; references to the bare name are on
/// the root page, the sitemap and one page of the bare name itself.
const VARIANTS_SITE: &str = r#"
[site]
name = "variants"

[[route]]
host = "www.example.test"
path = "/"
status = 200
body = '''<html><head>
<link rel="canonical" href="http://example.test:{port}/">
<link rel="alternate" hreflang="de" href="http://example.test:{port}/de">
<link rel="alternate" hreflang="fr" href="http://shop.example.test:{port}/fr">
</head><body>
<a href="http://example.test:{port}/plain">plain</a>
<a href="http://example.test:{port}/only-bare">bare</a>
<a href="http://example.test:1/other-port">another port</a>
</body></html>'''

[[route]]
path = "/sitemap.xml"
status = 200
content_type = "application/xml"
body = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://example.test:{port}/from-sitemap</loc></url></urlset>'

[[route]]
host = "example.test"
path = "*"
status = 301
location = "http://www.example.test:{port}{path}"

[[route]]
host = "example.test"
path = "/only-bare"
status = 200
body = '<html><body><a href="/found-on-bare">relative</a></body></html>'

[[route]]
path = "*"
status = 200
body = "<html><body>page</body></html>"
"#;

#[tokio::test]
async fn the_other_www_variant_is_fetched_parsed_and_in_scope() {
    // Issue 13: scope was exact host, so a canonical, hreflang, sitemap
    // entry or link on the bare name (which 301s to www) was never fetched.
    let site = Site::from_toml_str(VARIANTS_SITE, std::path::Path::new("."))
        .unwrap()
        .serve()
        .await
        .unwrap();
    let port = site.port();
    let start = Url::parse(&site.url_for_host("www.example.test", "/")).unwrap();
    let out = crawl_from(&start, |config| {
        config.use_sitemaps = true;
        config.obey_robots = false;
        config.resolve_only = true;
        config.resolve = ["www.example.test", "example.test", "shop.example.test"]
            .into_iter()
            .map(|h| (h.to_owned(), site.addr()))
            .collect();
    })
    .await;

    let requests = |authority: &str, target: &str| {
        site.request_log()
            .iter()
            .filter(|r| r.authority.as_deref() == Some(authority) && r.target == target)
            .count()
    };
    let bare = format!("example.test:{port}");
    for path in [
        "/",
        "/de",
        "/plain",
        "/from-sitemap",
        "/only-bare",
        "/found-on-bare",
    ] {
        assert_eq!(requests(&bare, path), 1, "{bare}{path} fetched once");
        let page = out
            .page(&format!("http://{bare}{path}"))
            .unwrap_or_else(|| panic!("{bare}{path} recorded"));
        assert!(page.in_scope, "{bare}{path} is the same site");
    }
    // The redirects land on www, each fetched once as well.
    let www = format!("www.example.test:{port}");
    for path in ["/de", "/plain", "/from-sitemap", "/found-on-bare"] {
        assert_eq!(requests(&www, path), 1, "{www}{path} fetched once");
    }
    let canonical = format!("http://{bare}/");
    assert!(
        out.links
            .iter()
            .any(|l| l.kind == LinkKind::Canonical && *l.to == *canonical),
        "the canonical is kept"
    );
    assert!(
        out.chains
            .iter()
            .any(|c| c.start == canonical && c.status_path() == "301 → 200"),
        "the canonical's redirect is followed"
    );
    // Another subdomain and another port are other sites.
    let shop = format!("shop.example.test:{port}");
    assert!(
        site.request_log()
            .iter()
            .all(|r| r.authority.as_deref() != Some(&shop))
    );
    assert!(out.page(&format!("http://{shop}/fr")).is_none());
    assert!(out.page("http://example.test:1/other-port").is_none());
}

/// A `Link` header whose canonical URL holds a comma, after another link
/// in the same field and a second `Link` field: the canonical is kept whole
/// and followed, and it is the one kept: the first canonical wins (RFC 8288
/// §3).
#[tokio::test]
async fn a_link_header_canonical_with_a_comma_is_kept_whole() {
    let site = Site::from_toml_str(
        r#"
[[route]]
path = "/"
status = 200
content_type = "text/html"
headers = [["Link", "</style.css>; rel=preload; title=\"a, b\", </a,b>; rel=\"canonical\""], ["Link", "</other>; rel=canonical"]]
body = "<p>no links</p>"

[[route]]
path = "/a,b"
status = 301
location = "/"

[[route]]
path = "/other"
status = 301
location = "/"
"#,
        std::path::Path::new("."),
    )
    .unwrap()
    .serve()
    .await
    .unwrap();
    let out = crawl(&site, |_| {}).await;
    let canonicals: Vec<&str> = out
        .links
        .iter()
        .filter(|l| l.kind == LinkKind::Canonical)
        .map(|l| &*l.to)
        .collect();
    assert_eq!(canonicals, vec![site.url("/a,b").as_str()]);
    assert!(
        out.chains
            .iter()
            .any(|c| c.start == site.url("/a,b") && c.status_path() == "301 → 200"),
        "the canonical's redirect is followed: {:?}",
        out.chains
    );
}
