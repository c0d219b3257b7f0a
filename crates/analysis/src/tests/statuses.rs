//! Which answers are redirects (300 only with a Location; 305, 306 final),
//! and which say nothing about one (429, 5xx, no answer): issue 13.

use model::{ChangeKind, LinkKind};

use super::kit::*;
use crate::catalogue::code;
use crate::observations;

#[test]
fn a_300_without_location_is_a_final_answer() {
    let out = with(
        crawl(vec![]),
        &[("/choices", 300)],
        vec![link("/", "/choices", LinkKind::Anchor)],
    );
    let found = findings(&out);
    assert!(
        found.is_empty(),
        "RFC 9110 §15.4.1: Location is optional for 300: {found:?}"
    );
}

#[test]
fn a_300_with_location_is_followed_as_a_redirect() {
    let out = crawl(vec![
        chain("/choices")
            .redirect(300, "https://example.com/en")
            .ok(),
    ]);
    assert!(out.chains[0].hops[0].is_redirect());
    let rules: Vec<String> = findings(&out).into_iter().map(|f| f.rule).collect();
    assert!(
        rules.is_empty(),
        "a 300 is neither temporary nor an error: {rules:?}"
    );
    assert_eq!(observations(&out, now(), &prior(vec![])).len(), 1);
}

#[test]
fn a_link_to_a_305_or_306_is_no_link_to_redirect() {
    for status in [305, 306] {
        let mut use_proxy = chain("/proxy").redirect(status, "/elsewhere").ok();
        // The crawler follows neither: the 305 or 306 is the final answer.
        use_proxy.hops.truncate(1);
        use_proxy.end = model::ChainEnd::Final;
        let out = with(
            crawl(vec![use_proxy]),
            &[],
            vec![link("/", "/proxy", LinkKind::Anchor)],
        );
        let rules: Vec<String> = findings(&out).into_iter().map(|f| f.rule).collect();
        assert!(
            !rules
                .iter()
                .any(|r| r == code::LINK_TO_REDIRECT || r == code::MISSING_LOCATION),
            "{status}: {rules:?}"
        );
    }
}

/// 429, 5xx and no answer neither reset nor extend an age, and are no
/// change of any kind, wherever they occur in a chain.
#[test]
fn inconclusive_answers_are_no_change() {
    let out = with(
        crawl(vec![
            chain("/back").redirect(302, "/x").ok(),
            chain("/cut").redirect(301, "/m").status(503),
            chain("/gone-after-429").redirect(301, "/x").ok(),
        ]),
        &[("/busy", 429), ("/down", 500), ("/fixed-after-429", 200)],
        vec![],
    );
    let mut cut_before = obs("/cut", 7, Some(301), Some("/m"));
    cut_before.hop_statuses = vec![Some(301), Some(301), Some(200)];
    let history = prior(vec![
        obs("/busy", 7, Some(302), Some("/x")),
        obs("/down", 7, Some(301), Some("/x")),
        obs("/back", 14, Some(302), Some("/x")),
        obs("/back", 7, Some(429), None),
        cut_before,
        obs("/fixed-after-429", 14, Some(302), Some("/x")),
        obs("/fixed-after-429", 7, Some(503), None),
        obs("/gone-after-429", 14, Some(302), Some("/x")),
        obs("/gone-after-429", 7, Some(429), None),
    ]);
    let got = change_kinds(&out, &history);
    // Compared with the last conclusive answer, the 302s that are still
    // 302s did not change; the one now 200 was removed, the one now 301
    // made permanent. Nothing for the 429, the 500 and the 503-cut chain.
    assert_eq!(
        got,
        vec![
            (u("/fixed-after-429"), ChangeKind::RemovedRedirect),
            (u("/gone-after-429"), ChangeKind::MadePermanent),
        ]
    );
}

#[test]
fn a_429_does_not_reset_an_age() {
    let out = crawl(vec![chain("/a").redirect(302, "/b").ok()]);
    let history = prior(vec![
        obs("/a", 60, Some(302), Some("/b")),
        obs("/a", 20, Some(429), None),
    ]);
    let found = crate::analyze(&out, &history, &settings());
    assert!(
        found
            .iter()
            .any(|f| f.rule == code::LONG_LIVED_TEMPORARY && f.url == u("/a")),
        "{found:?}"
    );
}

/// A chain the audit cut short (`--deadline`, `--max-hops`) is no shorter
/// chain: its length is unknown.
#[test]
fn a_chain_cut_by_the_audit_is_not_chain_shrank() {
    let mut cut = chain("/a")
        .redirect(301, "/b")
        .redirect(302, "/c")
        .not_followed();
    // The crawl never fetched `/c`.
    cut.hops.truncate(2);
    let out = crawl(vec![cut]);
    let mut before = obs("/a", 7, Some(301), Some("/b"));
    before.hop_statuses = vec![Some(301), Some(302), Some(301), Some(200)];
    let history = prior(vec![before]);
    // `/b` is new to history (an intermediate hop): only `/a` matters here.
    let got: Vec<ChangeKind> = change_kinds(&out, &history)
        .into_iter()
        .filter(|(url, _)| *url == u("/a"))
        .map(|(_, kind)| kind)
        .collect();
    assert!(got.is_empty(), "{got:?}");
    let a = observations(&out, now(), &history)
        .into_iter()
        .find(|o| o.url == u("/a"))
        .unwrap();
    assert_eq!(a.hop_statuses, vec![Some(301), Some(302), None]);
    assert_eq!(a.final_url, Some(u("/c")));
}
