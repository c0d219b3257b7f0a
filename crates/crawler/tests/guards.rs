//! Spider traps, private-address redirects and failing sites: the crawl
//! stays bounded and says why it stopped.

mod support;

use support::crawl_from;

use std::net::IpAddr;

use model::{AuditEnd, FetchErrorKind, PageRecord, Truncation};
use redirect_audit_crawler::{CrawlConfig, HostResolver};
use testsite::{RawServer, Request};

fn html(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// An infinite calendar: every day links to the next one.
fn calendar(req: &Request) -> Vec<u8> {
    let day: u64 = req.path().trim_start_matches("/cal/").parse().unwrap_or(0);
    html(&format!("<a href=\"/cal/{}\">next day</a>", day + 1))
}

#[tokio::test]
async fn an_infinite_calendar_is_cut_by_the_pattern_cap() {
    let server = RawServer::with_handler(calendar).await.unwrap();
    let out = crawl_from(&server.url("/cal/0"), |c| {
        c.max_per_pattern = 25;
        c.concurrency = 1;
    })
    .await;
    // The seed plus 25 linked days.
    assert_eq!(out.pages.len(), 26);
    assert_eq!(
        out.end,
        AuditEnd::Truncated {
            limits: vec![Truncation::PathPattern]
        }
    );
}

#[tokio::test]
async fn an_infinite_calendar_is_cut_by_max_urls() {
    let server = RawServer::with_handler(calendar).await.unwrap();
    let out = crawl_from(&server.url("/cal/0"), |c| {
        c.max_per_pattern = 0;
        c.max_urls = 40;
    })
    .await;
    assert_eq!(out.pages.len(), 40);
    assert_eq!(
        out.end,
        AuditEnd::Truncated {
            limits: vec![Truncation::MaxUrls]
        }
    );
}

/// `public.test` (pinned to a test server), whose `/` redirects to
/// `location(port)`, `port` being the one the server was reached on, crawled
/// after `tweak`: the page recorded for that location, and how many requests
/// reached the server.
async fn redirect_from_public_site(
    location: fn(&str) -> String,
    tweak: impl FnOnce(&mut CrawlConfig),
) -> (PageRecord, usize) {
    let server = RawServer::with_handler(move |req: &Request| {
        if req.path() == "/" {
            let port = req
                .header("host")
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| h.rsplit(':').next().map(str::to_owned));
            format!(
                "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\n\r\n",
                location(&port.unwrap_or_default())
            )
            .into_bytes()
        } else {
            html("ok")
        }
    })
    .await
    .unwrap();
    let port = server.addr().port();
    let start = format!("http://public.test:{port}/");
    let out = crawl_from(&start, |c| {
        c.resolve = vec![("public.test".into(), server.addr())];
        tweak(c);
    })
    .await;
    let target = out
        .page(&location(&port.to_string()))
        .expect("target recorded");
    (target, server.requests().len())
}

#[tokio::test]
async fn a_public_site_redirecting_to_loopback_is_not_followed() {
    // The target is a literal loopback address: private space.
    let (target, requests) =
        redirect_from_public_site(|_| "http://127.0.0.1:9/admin".into(), |_| {}).await;
    assert_eq!(
        target.response.error.as_ref().map(|e| e.kind),
        Some(FetchErrorKind::PrivateAddress)
    );
    // Only the start URL reached the server.
    assert_eq!(requests, 1);
}

#[tokio::test]
async fn a_site_failing_almost_every_request_stops_the_crawl_from() {
    // Every page links to 5 more pages, and every page but the first is a 503.
    let server = RawServer::with_handler(|req: &Request| {
        let n: u64 = req.path().trim_start_matches("/p/").parse().unwrap_or(0);
        if n == 0 {
            let links: String = (1..=400)
                .map(|i| format!("<a href=\"/p/{i}\">{i}</a>"))
                .collect();
            html(&links)
        } else {
            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n".to_vec()
        }
    })
    .await
    .unwrap();
    let out = crawl_from(&server.url("/p/0"), |c| c.concurrency = 4).await;
    assert!(
        matches!(&out.end, AuditEnd::Truncated { limits } if limits.contains(&Truncation::ErrorRate)),
        "{:?}",
        out.end
    );
    assert!(
        out.pages.len() < 150,
        "stopped early: {} pages",
        out.pages.len()
    );
}

#[tokio::test]
async fn resolve_only_never_looks_up_other_hosts() {
    let server = RawServer::with_handler(|_req: &Request| {
        b"HTTP/1.1 302 Found\r\nLocation: http:///catalogue.pdf\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".to_vec()
    })
    .await
    .unwrap();
    let start = format!("http://site.test:{}/", server.addr().port());
    let out = crawl_from(&start, |c| {
        c.resolve = vec![("site.test".into(), server.addr())];
        c.resolve_only = true;
    })
    .await;
    let target = out.page("http://catalogue.pdf/").expect("target recorded");
    let error = target.response.error.as_ref().expect("refused");
    assert_eq!(error.kind, FetchErrorKind::Connect);
    assert!(
        error.message.contains("DNS lookups are off"),
        "{}",
        error.message
    );
}

/// DNS rebinding: a public site redirects to a *name* whose DNS answer is a
/// loopback address. The guard checks the answer at connect time.
#[tokio::test]
async fn a_public_site_redirecting_to_a_name_resolving_to_loopback_is_not_followed() {
    // A hostile DNS answer, as a resolver would give it.
    let (target, requests) = redirect_from_public_site(
        |port| format!("http://rebind.test:{port}/admin"),
        |c| {
            c.resolver = HostResolver::new(|host| match host {
                "rebind.test" => Ok(vec![IpAddr::from([127, 0, 0, 1])]),
                _ => Err(std::io::Error::other("no such host")),
            });
        },
    )
    .await;
    let error = target.response.error.expect("refused");
    assert_eq!(
        error.kind,
        FetchErrorKind::PrivateAddress,
        "{}",
        error.message
    );
    assert!(
        error
            .message
            .contains("rebind.test resolves to the private address 127.0.0.1")
    );
    assert_eq!(requests, 1, "only the start URL reached the server");
}

/// An intranet audited by name: the site itself resolves to a private
/// address, so its own addresses are allowed.
#[tokio::test]
async fn a_site_whose_name_resolves_privately_is_crawled() {
    let server = RawServer::with_handler(|_: &Request| html("ok"))
        .await
        .unwrap();
    let port = server.addr().port();
    let out = crawl_from(&format!("http://intranet.test:{port}/"), |c| {
        c.resolver = HostResolver::new(|host| match host {
            "intranet.test" => Ok(vec![IpAddr::from([127, 0, 0, 1])]),
            _ => Err(std::io::Error::other("no such host")),
        });
    })
    .await;
    let first = support::first_response(&out);
    assert_eq!(first.status, Some(200), "{:?}", first.error);
}
