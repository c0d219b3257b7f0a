//! Builders for hand-made crawl outputs: `https://example.com` is the site.

use jiff::Timestamp;
use model::{
    AuditEnd, Chain, ChainEnd, CrawlOutput, CrawlStats, Discovery, FetchError, FetchErrorKind,
    Finding, Hop, Link, LinkKind, Observation, PageRecord, PriorObservations, RawValue, Site,
};
use url::Url;

use crate::{Settings, analyze};

pub const NOW: &str = "2025-06-01T00:00:00Z";

/// A path on the site becomes an absolute URL; absolute URLs stay.
pub fn u(path: &str) -> String {
    if path.contains("://") {
        Url::parse(path).unwrap().to_string()
    } else {
        format!("https://example.com{path}")
    }
}

pub fn now() -> Timestamp {
    NOW.parse().unwrap()
}

pub fn settings() -> Settings {
    Settings::new(now())
}

/// Builds a chain hop by hop from its start URL.
pub struct ChainBuilder {
    start: String,
    next: String,
    hops: Vec<Hop>,
}

pub fn chain(start: &str) -> ChainBuilder {
    ChainBuilder {
        start: u(start),
        next: u(start),
        hops: Vec::new(),
    }
}

impl ChainBuilder {
    /// A redirect with one Location; the target is what a browser resolves.
    pub fn redirect(self, status: u16, location: &str) -> Self {
        self.redirect_raw(status, &[location.as_bytes()])
    }

    /// A redirect with any raw Location values (none, several, bytes).
    pub fn redirect_raw(mut self, status: u16, locations: &[&[u8]]) -> Self {
        let base = Url::parse(&self.next).unwrap();
        let target = locations
            .first()
            .filter(|l| !String::from_utf8_lossy(l).trim().is_empty())
            .and_then(|l| base.join(&String::from_utf8_lossy(l)).ok())
            .map(String::from);
        self.hops.push(Hop {
            url: self.next.clone(),
            status: Some(status),
            locations: locations.iter().map(|l| RawValue::new(*l)).collect(),
            target: target.clone(),
            ..Hop::default()
        });
        if let Some(t) = target {
            self.next = t;
        }
        self
    }

    pub fn ok(self) -> Chain {
        self.status(200)
    }

    pub fn status(mut self, status: u16) -> Chain {
        self.hops.push(Hop {
            url: self.next.clone(),
            status: Some(status),
            ..Hop::default()
        });
        self.end(ChainEnd::Final)
    }

    pub fn failed(mut self, kind: FetchErrorKind) -> Chain {
        self.hops.push(Hop {
            url: self.next.clone(),
            error: Some(FetchError::new(kind, "test failure")),
            ..Hop::default()
        });
        self.end(ChainEnd::Failed)
    }

    /// The last redirect's target is already in the chain.
    pub fn looped(self) -> Chain {
        let back_to = self.next.clone();
        self.end(ChainEnd::Loop { back_to })
    }

    /// The last redirect has no usable target.
    pub fn no_target(self) -> Chain {
        self.end(ChainEnd::NoTarget)
    }

    /// The audit stopped before the last redirect's target was fetched.
    pub fn not_followed(self) -> Chain {
        self.end(ChainEnd::NotFollowed)
    }

    /// The crawler's `max_hops` redirects were followed; the last hop
    /// still redirects.
    pub fn hop_limit(self) -> Chain {
        self.end(ChainEnd::TooManyHops)
    }

    pub fn end(self, end: ChainEnd) -> Chain {
        Chain {
            start: self.start,
            hops: self.hops,
            end,
        }
    }
}

/// `n` redirects `/c0 → /c1 → … → /cn`, then a 200.
pub fn long_chain(n: usize) -> Chain {
    let mut b = chain("/c0");
    for i in 1..=n {
        b = b.redirect(301, &format!("/c{i}"));
    }
    b.ok()
}

/// `n` redirect responses `/c0 → … → /c(n-1)`, the last one's target
/// `/cn` not fetched: a chain cut by the audit's limits (`end`).
pub fn cut_chain(n: usize, end: ChainEnd) -> Chain {
    let mut b = chain("/c0");
    for i in 1..=n {
        b = b.redirect(301, &format!("/c{i}"));
    }
    b.end(end)
}

/// A crawl of the site with these chains; every hop also gets a page
/// record, in scope when it is the same [`Site`] as `https://example.com/`.
pub fn crawl(chains: Vec<Chain>) -> CrawlOutput {
    let mut pages: Vec<PageRecord> = Vec::new();
    for c in &chains {
        for (i, hop) in c.hops.iter().enumerate() {
            if pages.iter().any(|p| p.url == hop.url) {
                continue;
            }
            pages.push(record(
                hop.clone(),
                if i == 0 {
                    Discovery::Link
                } else {
                    Discovery::Redirect
                },
            ));
        }
    }
    CrawlOutput {
        start_url: u("/"),
        pages: pages.into(),
        referrers: Vec::new(),
        chains,
        links: Vec::new(),
        end: AuditEnd::Completed,
        stats: CrawlStats::default(),
    }
}

fn record(response: Hop, discovery: Discovery) -> PageRecord {
    // The crawler's verdict: the same site as the start URL.
    let in_scope = Site::parse(&u("/"))
        .unwrap()
        .contains(&Url::parse(&response.url).unwrap());
    PageRecord {
        url: response.url.clone(),
        found_as: response.url.clone(),
        depth: 1,
        discovery,
        found_on: None,
        in_scope,
        in_sitemap: false,
        response,
    }
}

/// Adds plain pages (status only) and links.
pub fn with(mut out: CrawlOutput, pages: &[(&str, u16)], links: Vec<Link>) -> CrawlOutput {
    for (path, status) in pages {
        let hop = Hop {
            url: u(path),
            status: Some(*status),
            ..Hop::default()
        };
        out.pages.make_mut().push(record(hop, Discovery::Link));
    }
    out.links = links;
    out
}

pub fn link(from: &str, to: &str, kind: LinkKind) -> Link {
    Link {
        written: kind.is_client_redirect().then(|| {
            Box::new(model::Written {
                raw: to.to_owned(),
                detail: None,
            })
        }),
        ..Link::new(u(from), u(to), kind)
    }
}

pub fn refresh(from: &str, to: &str, delay: &str) -> Link {
    Link {
        written: Some(Box::new(model::Written {
            raw: to.to_owned(),
            detail: Some(delay.to_owned()),
        })),
        ..link(from, to, LinkKind::MetaRefresh)
    }
}

pub fn findings(out: &CrawlOutput) -> Vec<Finding> {
    analyze(out, &PriorObservations::default(), &settings())
}

/// Runs each case and compares the URLs `rule` reported (sorted, with
/// severities) against the expectation.
/// One table row: name, crawl, expected `(path, severity)` findings.
pub type Case<'a> = (&'a str, CrawlOutput, Vec<(&'a str, &'a str)>);

pub fn check_rule(rule: &str, cases: Vec<Case<'_>>) {
    let mut failures = Vec::new();
    for (name, out, expected) in cases {
        let got: Vec<(String, String)> = findings(&out)
            .into_iter()
            .filter(|f| f.rule == rule)
            .map(|f| (f.url, f.severity.to_string()))
            .collect();
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(p, s)| (u(p), (*s).to_owned()))
            .collect();
        if got != want {
            failures.push(format!("{rule} / {name}: expected {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One earlier observation of `path`, `days` before [`NOW`].
pub fn obs(path: &str, days: i64, status: Option<u16>, target: Option<&str>) -> Observation {
    let at = now() - jiff::SignedDuration::from_hours(24 * days);
    let redirect = matches!(status, Some(s) if (300..400).contains(&s));
    Observation {
        audited_at: at,
        url: u(path),
        first_status: status,
        hop_statuses: if redirect {
            vec![status, Some(200)]
        } else {
            vec![status]
        },
        raw_location: target.map(str::to_owned),
        target: target.map(u),
        final_url: Some(target.map_or_else(|| u(path), u)),
        final_status: Some(200),
    }
}

/// History from observations; the previous audit is the newest of them.
pub fn prior(observations: Vec<Observation>) -> PriorObservations {
    let mut p = PriorObservations {
        previous_audit_at: observations.iter().map(|o| o.audited_at).max(),
        ..PriorObservations::default()
    };
    for o in observations {
        p.by_url.entry(o.url.clone()).or_default().push(o);
    }
    for list in p.by_url.values_mut() {
        list.sort_by_key(|o| o.audited_at);
    }
    p
}

/// `changes.csv` of `out` against `prior`, as (URL, kind) pairs in order.
pub fn change_kinds(
    out: &CrawlOutput,
    prior: &PriorObservations,
) -> Vec<(String, model::ChangeKind)> {
    crate::changes(out, prior)
        .into_iter()
        .map(|c| (c.url, c.kind))
        .collect()
}
