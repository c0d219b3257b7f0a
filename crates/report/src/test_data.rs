//! A hand-built audit shared by the tests: a 301, a 3-hop chain with two
//! Location headers, a malformed `http//` Location, a robots block and a
//! timeout, with links, findings and changes.

use model::{
    AuditEnd, Chain, ChainEnd, Change, ChangeKind, CrawlOutput, CrawlStats, Discovery, Evidence,
    FetchError, FetchErrorKind, Finding, Hop, Link, LinkKind, PageRecord, RawValue, Severity,
};

pub(crate) const BASE: &str = "https://example.com";

pub(crate) fn url(path: &str) -> String {
    format!("{BASE}{path}")
}

fn hop(path: &str, status: Option<u16>, locations: &[&str], target: Option<&str>, ms: u64) -> Hop {
    Hop {
        url: url(path),
        status,
        locations: locations.iter().map(|l| RawValue::from(*l)).collect(),
        target: target.map(url),
        content_type: status
            .filter(|s| *s == 200)
            .map(|_| "text/html; charset=utf-8".to_owned()),
        elapsed_ms: ms,
        attempts: 1,
        ..Hop::default()
    }
}

fn page(response: Hop, depth: u32, discovery: Discovery, found_on: Option<&str>) -> PageRecord {
    PageRecord {
        url: response.url.clone(),
        found_as: response.url.clone(),
        depth,
        discovery,
        found_on: found_on.map(url),
        in_scope: true,
        in_sitemap: false,
        response,
    }
}

fn link(from: &str, to: &str, kind: LinkKind) -> Link {
    Link::new(url(from), url(to), kind)
}

pub(crate) fn crawl() -> CrawlOutput {
    let home = hop("/", Some(200), &[], None, 120);
    let old = hop("/old", Some(301), &["/new"], Some("/new"), 15);
    let new = hop("/new", Some(200), &[], None, 30);
    let promo = hop(
        "/promo",
        Some(302),
        &["http//example.com/sale"],
        Some("/http//example.com/sale"),
        12,
    );
    let sale = hop("/http//example.com/sale", Some(404), &[], None, 9);
    let a = hop("/a", Some(302), &["/b"], Some("/b"), 11);
    let mut b = hop("/b", Some(301), &["/c", "/d"], Some("/c"), 10);
    b.cache_control = Some("max-age=3600".to_owned());
    let c = hop("/c", Some(200), &[], None, 25);
    let mut private = hop("/private", None, &[], None, 0);
    private.attempts = 0;
    private.error = Some(FetchError::new(
        FetchErrorKind::BlockedByRobots,
        "disallowed by robots.txt",
    ));
    let mut slow = hop("/slow", None, &[], None, 10_000);
    slow.attempts = 3;
    slow.error = Some(FetchError::new(
        FetchErrorKind::Timeout,
        "no response within 10 s",
    ));

    let mut home_page = page(home, 0, Discovery::Seed, None);
    home_page.in_sitemap = true;
    let mut a_page = page(a.clone(), 1, Discovery::Sitemap, Some("/sitemap.xml"));
    a_page.found_as = url("/a#top");
    let pages = vec![
        home_page,
        page(old.clone(), 1, Discovery::Link, Some("/")),
        page(new.clone(), 1, Discovery::Redirect, Some("/old")),
        page(promo.clone(), 1, Discovery::Link, Some("/")),
        page(sale.clone(), 1, Discovery::Redirect, Some("/promo")),
        a_page,
        page(b.clone(), 1, Discovery::Redirect, Some("/a")),
        page(c.clone(), 1, Discovery::Redirect, Some("/b")),
        page(private, 1, Discovery::Link, Some("/")),
        page(slow, 1, Discovery::Link, Some("/")),
    ];
    let chains = vec![
        Chain {
            start: url("/old"),
            hops: vec![old, new],
            end: ChainEnd::Final,
        },
        Chain {
            start: url("/promo"),
            hops: vec![promo, sale],
            end: ChainEnd::Final,
        },
        Chain {
            start: url("/a"),
            hops: vec![a, b, c],
            end: ChainEnd::Final,
        },
    ];
    let links = vec![
        link("/", "/old", LinkKind::Anchor),
        link("/", "/a", LinkKind::Anchor),
        link("/", "/a", LinkKind::Anchor),
        link("/new", "/a", LinkKind::Anchor),
        link("/", "/promo", LinkKind::Anchor),
        link("/new", "/promo", LinkKind::Canonical),
        link("/sitemap.xml", "/a", LinkKind::Sitemap),
    ];
    let references = links.len() as u64;
    CrawlOutput {
        start_url: url("/"),
        pages: pages.into(),
        referrers: Vec::new(),
        chains,
        links,
        end: AuditEnd::Completed,
        stats: CrawlStats {
            requests: 14,
            errors: 1,
            blocked: 1,
            links: references,
            elapsed_ms: 10_480,
        },
    }
}

pub(crate) fn findings() -> Vec<Finding> {
    let mut malformed = Finding::new(
        "malformed-location",
        Severity::Error,
        url("/promo"),
        "Location 'http//example.com/sale' lacks the ':' after http",
    );
    *malformed.evidence = Evidence {
        status_chain: Some("302 → 404".to_owned()),
        raw_location: Some("http//example.com/sale".to_owned()),
        resolved_target: Some(url("/http//example.com/sale")),
        probable_target: Some("http://example.com/sale".to_owned()),
        hops: Some(1),
        final_url: Some(url("/http//example.com/sale")),
        linking_pages: Some(1),
        sample_linking_page: Some(url("/")),
        ..Evidence::default()
    };
    let mut temporary = Finding::new(
        "long-lived-temporary-redirect",
        Severity::Warning,
        url("/a"),
        "302 for 40 days; use a 301 if the move is permanent",
    );
    *temporary.evidence = Evidence {
        status_chain: Some("302 → 301 → 200".to_owned()),
        first_seen: Some("2026-10-15T00:00:00Z".to_owned()),
        last_seen: Some("2026-11-23T00:00:00Z".to_owned()),
        age_days: Some(40),
        audits_seen: Some(12),
        age_source: Some("audits+access-log".to_owned()),
        ..Evidence::default()
    };
    let mut chain = Finding::new(
        "redirect-chain",
        Severity::Warning,
        url("/a"),
        "2 redirects before the final page, \"one\" is enough",
    );
    chain.related = vec![url("/a"), url("/b"), url("/c")];
    chain.evidence.hops = Some(2);
    chain.evidence.final_url = Some(url("/c"));
    let mut linked = Finding::new(
        "linked-redirect",
        Severity::Notice,
        url("/old"),
        "1 page links to a redirect",
    );
    linked.evidence.linking_pages = Some(1);
    linked.evidence.sample_linking_page = Some(url("/"));
    let mut formula = Finding::new(
        "suspicious-location",
        Severity::Notice,
        url("/b"),
        "-2 characters would be read as a formula",
    );
    formula.evidence.raw_location = Some("=cmd|' /C calc'!A0".to_owned());
    formula.evidence.detail = Some("@SUM(1)".to_owned());
    vec![linked, chain, malformed, formula, temporary]
}

pub(crate) fn changes() -> Vec<Change> {
    let change = |path: &str, kind, before: &str, after: &str| Change {
        url: url(path),
        kind,
        before: before.to_owned(),
        after: after.to_owned(),
    };
    vec![
        change("/promo", ChangeKind::MadeTemporary, "301", "302"),
        change("/a", ChangeKind::TargetChanged, &url("/b2"), &url("/b")),
        change("/a", ChangeKind::ChainGrew, "302 → 200", "302 → 301 → 200"),
        change("/old", ChangeKind::NewRedirect, "200", "301 → 200"),
    ]
}

/// The same audit with every list in another order.
pub(crate) fn shuffled(mut crawl: CrawlOutput) -> CrawlOutput {
    crawl.pages.make_mut().reverse();
    crawl.pages.make_mut().rotate_left(3);
    crawl.chains.reverse();
    crawl.links.reverse();
    crawl
}

/// The fixed parts of a summary around `crawl`, `findings` and `changes`.
pub(crate) fn summary_input<'a>(
    crawl: &'a CrawlOutput,
    findings: &'a crate::FindingTally,
    changes: &'a [Change],
    settings: &'a serde_json::Value,
    report_dir: &'a std::path::Path,
) -> crate::SummaryInput<'a> {
    crate::SummaryInput {
        crawl,
        findings,
        changes,
        tool_version: "0.1.0",
        started_at: "2026-11-24T23:53:37Z".parse().unwrap(),
        finished_at: "2026-11-24T23:53:48Z".parse().unwrap(),
        elapsed_ms: 11_204,
        settings,
        report_dir,
        access_logs: None,
    }
}

/// The names in a folder, sorted: what a test expects an audit folder to hold.
pub(crate) fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
