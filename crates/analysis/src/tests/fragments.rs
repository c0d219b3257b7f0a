//! Fragments never leak into comparisons or lookups (issue 13): a target is
//! looked up by its normalised URL and compared without its fragment.

use super::kit::*;
use crate::analyze;
use crate::catalogue::code;

/// A Location with a fragment (`/b#x`) must still lead to `/b`'s response,
/// so the meta refresh on `/b` back to `/a` closes a loop.
#[test]
fn a_loop_is_found_through_a_target_with_a_fragment() {
    let out = with(
        crawl(vec![chain("/a").redirect(301, "/b#x").ok()]),
        &[],
        vec![refresh("/b", "/a", "0")],
    );
    // The kit names the final hop by the target as written; the crawler
    // fetches and records it without the fragment.
    let mut out = out;
    out.chains[0].hops[1].url = u("/b");
    let rules: Vec<String> = findings(&out).into_iter().map(|f| f.rule).collect();
    assert!(rules.iter().any(|r| r == code::REDIRECT_LOOP), "{rules:?}");
}

/// Histories written before the fix stored the fragment a client inherited
/// from the link: `/p` linked as `/p#top` once must not read as a new target.
#[test]
fn targets_are_compared_without_fragments() {
    let out = crawl(vec![chain("/p").redirect(302, "/q").ok()]);
    let history = prior(vec![
        obs("/p", 40, Some(302), Some("/q#top")),
        obs("/p", 20, Some(302), Some("/q")),
        obs("/p", 10, Some(302), Some("/q#top")),
    ]);
    let rules: Vec<String> = analyze(&out, &history, &settings())
        .into_iter()
        .map(|f| f.rule)
        .collect();
    assert!(
        !rules.iter().any(|r| r == code::REDIRECT_TARGET_CHANGED),
        "{rules:?}"
    );
    assert!(
        rules.iter().any(|r| r == code::LONG_LIVED_TEMPORARY),
        "the age run is unbroken: {rules:?}"
    );
}
