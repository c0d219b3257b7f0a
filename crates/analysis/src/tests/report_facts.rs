//! Issue 14: the facts beside each redirect in the reports (classes,
//! first-seen dates) and whether the start URL answered, computed here
//! rather than in the binary.

use model::{FetchErrorKind, Observation, PriorObservations};

use super::kit::*;
use crate::{analyze_audit, chain_classes, first_seen, hop_classes};

#[test]
fn hop_and_chain_classes_name_what_each_hop_changes() {
    let out = crawl(vec![
        chain("http://example.com/a")
            .redirect(301, "https://example.com/a")
            .redirect(301, "/a/")
            .redirect(302, "/a/")
            .ok(),
    ]);
    let hops = hop_classes(&out);
    assert_eq!(hops[u("http://example.com/a").as_str()], "scheme-upgrade");
    assert_eq!(hops[u("/a").as_str()], "trailing-slash");
    // A hop to itself changes nothing a class names: empty, and left out
    // of the chain's classes.
    assert_eq!(hops[u("/a/").as_str()], "");
    assert_eq!(hops.len(), 3, "the final 200 is not a redirect: {hops:?}");
    assert_eq!(
        chain_classes(&out.chains[0], &hops),
        "scheme-upgrade | trailing-slash"
    );
}

#[test]
fn first_seen_is_the_oldest_audit_that_saw_the_start_redirect() {
    let out = crawl(vec![chain("/old").redirect(302, "/new").ok()]);
    let chain = &out.chains[0];
    assert_eq!(
        first_seen(chain, &PriorObservations::default(), now()),
        now()
    );

    let at = |days: i64| now() - jiff::SignedDuration::from_hours(24 * days);
    let seen = |days: i64, status: u16, target: Option<&str>| Observation {
        audited_at: at(days),
        url: u("/old"),
        first_status: Some(status),
        hop_statuses: vec![Some(status)],
        raw_location: target.map(str::to_owned),
        target: target.map(u),
        final_url: None,
        final_status: None,
    };
    let mut prior = PriorObservations::default();
    // Oldest first: a 200 before it redirected does not count.
    prior.by_url.insert(
        u("/old"),
        vec![
            seen(90, 200, None),
            seen(60, 302, Some("/new")),
            seen(30, 302, Some("/new")),
        ],
    );
    assert_eq!(first_seen(chain, &prior, now()), at(60));
}

/// What analysis says of the start URL's answer.
fn start_failure(crawl: &model::CrawlOutput) -> Option<model::FetchError> {
    analyze_audit(
        crawl,
        &model::PriorObservations::default(),
        &settings(),
        &[],
    )
    .trail
    .start_failure
}

#[test]
fn start_failure_is_a_start_url_without_any_answer() {
    let failing = |kind| crawl(vec![chain("/").failed(kind)]);
    let error = start_failure(&failing(FetchErrorKind::Connect)).unwrap();
    assert_eq!(error.kind, FetchErrorKind::Connect);
    // robots.txt keeping us out is a decision, not an unreachable site.
    assert_eq!(
        start_failure(&failing(FetchErrorKind::BlockedByRobots)),
        None
    );
    // Any status is an answer, even a 500.
    assert_eq!(start_failure(&crawl(vec![chain("/").status(500)])), None);
    // A crawl without a page for the start URL: nothing to say.
    assert_eq!(start_failure(&crawl(vec![chain("/x").ok()])), None);
}
