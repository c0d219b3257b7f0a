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
    let start = Url::parse(&site.url("/")).unwrap();
    let mut cfg = fast_config(&start);
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
            .any(|l| l.kind == LinkKind::Sitemap && l.to == format!("{o}/old-about"))
    );

    // Meta refresh is an edge with its delay.
    assert!(out.links.iter().any(|l| l.kind == LinkKind::MetaRefresh
        && l.from == format!("{o}/refresh.html")
        && l.to == format!("{o}/about.html")
        && l.detail.as_deref() == Some("0")));

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
