//! The audit's own limits (`max_hops`, the deadline) cut chains short
//! without inventing errors, and what a chain shows never depends on the
//! order the crawl happened to reach its URLs in (issue 13).

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use model::{AuditEnd, ChainEnd, CrawlOutput, Truncation};
use support::crawl_from;
use testsite::{RunningSite, Site};

async fn serve(toml: &str) -> RunningSite {
    Site::from_toml_str(toml, std::path::Path::new("."))
        .unwrap()
        .serve()
        .await
        .unwrap()
}

/// A 301 route from `from` to `to`.
fn redirect(from: &str, to: &str) -> String {
    format!("\n[[route]]\npath = \"{from}\"\nstatus = 301\nlocation = \"{to}\"\n")
}

/// A page at `path` linking to `links`, in order.
fn page(path: &str, links: &[&str]) -> String {
    let anchors: String = links
        .iter()
        .map(|l| format!("<a href=\"{l}\">x</a>"))
        .collect();
    format!(
        "\n[[route]]\npath = \"{path}\"\nstatus = 200\nbody = '<html><body>{anchors}</body></html>'\n"
    )
}

/// Chains by start path: (status path, end).
fn chains(out: &CrawlOutput, site: &RunningSite) -> BTreeMap<String, (String, ChainEnd)> {
    let origin = site.origin();
    out.chains
        .iter()
        .map(|c| {
            (
                c.start.replace(&origin, ""),
                (c.status_path(), c.end.clone()),
            )
        })
        .collect()
}

/// Every path requested at most once.
fn fetched_once(site: &RunningSite) {
    let mut requests = site.requests();
    let all = requests.len();
    requests.sort();
    requests.dedup();
    assert_eq!(requests.len(), all, "a URL was fetched twice: {requests:?}");
}

#[tokio::test]
async fn max_hops_follows_that_many_redirects_to_the_final_response() {
    // Issue 13: `--max-hops 5` stopped after 4 redirects ("too many hops")
    // although the 6th URL had been fetched.
    let mut toml = String::new();
    for i in 0..5 {
        toml.push_str(&redirect(&format!("/r{i}"), &format!("/r{}", i + 1)));
    }
    toml.push_str(&page("/r5", &[]));
    let site = serve(&toml).await;
    let out = crawl_from(&site.url("/r0"), |c| c.max_hops = 5).await;
    let expected = BTreeMap::from([(
        "/r0".to_owned(),
        (
            "301 → 301 → 301 → 301 → 301 → 200".to_owned(),
            ChainEnd::Final,
        ),
    )]);
    assert_eq!(chains(&out, &site), expected);
    assert_eq!(out.end, AuditEnd::Completed);
    fetched_once(&site);
}

/// `/long` reaches `/x` after 3 redirects, `/short` (found three pages
/// deeper) after 1; `/x → /y → /z` is two more. With `max_hops` 3 the chain
/// of `/long` stops at `/x`, the chain of `/short` reaches `/z` — whichever
/// the crawl meets first. `late` is what the deep page `/h3` links to.
fn two_paths_to_one_chain(first: &str, second: &str, late: &str) -> String {
    let mut toml = page("/", &[first, second]);
    toml.push_str(&redirect("/long", "/l1"));
    toml.push_str(&redirect("/l1", "/l2"));
    toml.push_str(&redirect("/l2", "/x"));
    toml.push_str(&redirect("/x", "/y"));
    toml.push_str(&redirect("/y", "/z"));
    toml.push_str(&page("/z", &[]));
    toml.push_str(&page("/hub", &["/h2"]));
    toml.push_str(&page("/h2", &["/h3"]));
    toml.push_str(&page("/h3", &[late]));
    toml.push_str(&redirect("/short", "/x"));
    toml
}

async fn chains_in_both_orders(late: &str) -> Vec<BTreeMap<String, (String, ChainEnd)>> {
    let mut seen = Vec::new();
    for (first, second) in [("/long", "/hub"), ("/hub", "/long")] {
        let site = serve(&two_paths_to_one_chain(first, second, late)).await;
        // One request at a time: the crawl order is the link order.
        let out = crawl_from(&site.url("/"), |c| {
            c.max_hops = 3;
            c.concurrency = 1;
        })
        .await;
        assert_eq!(out.end, AuditEnd::Completed, "{first} first");
        fetched_once(&site);
        seen.push(chains(&out, &site));
    }
    seen
}

#[tokio::test]
async fn a_later_redirect_with_budget_left_completes_the_chain_in_any_order() {
    // Issue 13: the hop budget of /x came from whichever chain reached it
    // first; reached first through /long it was "already seen" for /short,
    // whose chain then stopped at an unfetched hop: a false
    // `redirect-to-error … no response (301)` in a completed audit.
    let expected = BTreeMap::from([
        (
            "/long".to_owned(),
            ("301 → 301 → 301 → 301".to_owned(), ChainEnd::TooManyHops),
        ),
        (
            "/short".to_owned(),
            ("301 → 301 → 301 → 200".to_owned(), ChainEnd::Final),
        ),
    ]);
    for chains in chains_in_both_orders("/short").await {
        assert_eq!(chains, expected);
    }
}

#[tokio::test]
async fn a_later_link_to_a_redirect_target_completes_its_chain_in_any_order() {
    // The same with a link: /x, first met as /long's third hop, is linked
    // later and so starts a chain of its own with the whole budget.
    let expected = BTreeMap::from([
        (
            "/long".to_owned(),
            ("301 → 301 → 301 → 301".to_owned(), ChainEnd::TooManyHops),
        ),
        (
            "/x".to_owned(),
            ("301 → 301 → 200".to_owned(), ChainEnd::Final),
        ),
    ]);
    for chains in chains_in_both_orders("/x").await {
        assert_eq!(chains, expected);
    }
}

#[tokio::test]
async fn a_target_cut_off_by_the_deadline_is_not_followed_not_failed() {
    // Issue 13: an audit cut by `--deadline` reported `redirect-to-error …
    // no response (302)` on a URL that did respond. The target answers
    // long after the deadline; its fetch is aborted.
    let toml = "[[route]]\npath = \"/\"\nstatus = 302\nlocation = \"/slow\"\n\
                [[route]]\npath = \"/slow\"\nstatus = 200\nbody = \"late\"\ndelay_ms = 30000\n";
    let site = serve(toml).await;
    let out = crawl_from(&site.url("/"), |c| {
        c.deadline = Some(Duration::from_millis(300));
        c.timeout = Duration::from_secs(60);
    })
    .await;
    assert_eq!(
        out.end,
        AuditEnd::Truncated {
            limits: vec![Truncation::Deadline]
        }
    );
    let expected = BTreeMap::from([("/".to_owned(), ("302".to_owned(), ChainEnd::NotFollowed))]);
    assert_eq!(chains(&out, &site), expected);
    assert_eq!(out.chains[0].last().status, Some(302));
    assert!(out.chains[0].last().error.is_none());
}
