//! What this audit adds to history: one [`Observation`] per URL whose
//! redirect behaviour history tracks.

use std::collections::{BTreeSet, HashSet};

use jiff::Timestamp;
use model::{CrawlOutput, Hop, Observation, PriorObservations};

use crate::index::{Index, notable_pages};

/// Guard against cycles when rebuilding a chain from page records.
const MAX_HOPS: usize = 50;

/// What this audit writes to history, sorted by URL: every chain start that
/// redirected, plus every URL that redirected in an earlier audit and was
/// fetched now (redirecting or not). The latter lets a `200` or `301` reset a
/// temporary redirect's age, and keeps counting a URL that is now only an
/// intermediate hop. URLs this audit did not reach get nothing, so a crawl
/// limit never resets an age (issue 4).
pub fn observations(
    output: &CrawlOutput,
    audited_at: Timestamp,
    prior: &PriorObservations,
) -> Vec<Observation> {
    let pages = notable_pages(output, prior.by_url.keys().map(String::as_str));
    observations_in(&Index::new(output, &pages), audited_at, prior)
}

/// [`observations`] over an index already built (analysis builds one for
/// the rules and the history rules together).
pub(crate) fn observations_in(
    ix: &Index<'_>,
    audited_at: Timestamp,
    prior: &PriorObservations,
) -> Vec<Observation> {
    let mut out = Vec::new();
    let mut observed: HashSet<&str> = HashSet::new();
    for chain in ix.chains.values() {
        if chain.hops.first().is_some_and(Hop::is_redirect) {
            let hops: Vec<&Hop> = chain.hops.iter().collect();
            observed.insert(&chain.start);
            out.push(observe(&chain.start, &hops, audited_at));
        }
    }
    for (url, history) in &prior.by_url {
        if observed.contains(url.as_str()) || !history.iter().any(Observation::is_redirect) {
            continue;
        }
        let hops = rebuild_chain(ix, url);
        if !hops.is_empty() {
            out.push(observe(url, &hops, audited_at));
        }
    }
    // Each URL once (chain starts and history's URLs are each distinct).
    out.sort_unstable_by(|a, b| a.url.cmp(&b.url));
    out
}

fn observe(url: &str, hops: &[&Hop], audited_at: Timestamp) -> Observation {
    let first = hops[0];
    let last = hops[hops.len() - 1];
    let redirected = first.is_redirect();
    Observation {
        audited_at,
        url: url.to_owned(),
        first_status: first.status,
        hop_statuses: hops.iter().map(|h| h.status).collect(),
        raw_location: redirected
            .then(|| first.locations.first().map(model::RawValue::escaped))
            .flatten(),
        target: redirected.then(|| first.target.clone()).flatten(),
        final_url: Some(last.url.clone()),
        final_status: last.status,
    }
}

/// Follows recorded responses from `url` by their targets (for a URL that is
/// not a chain start but was fetched as a hop).
fn rebuild_chain<'a>(ix: &Index<'a>, url: &str) -> Vec<&'a Hop> {
    let mut hops = Vec::new();
    let mut seen = BTreeSet::new();
    let mut current = url.to_owned();
    while hops.len() < MAX_HOPS {
        let Some(hop) = ix.responses.get(current.as_str()).copied() else {
            break;
        };
        hops.push(hop);
        seen.insert(current.clone());
        match (&hop.target, hop.is_redirect()) {
            (Some(next), true) if !seen.contains(next) => current.clone_from(next),
            _ => break,
        }
    }
    hops
}

/// Number of redirects in an observation's hop statuses.
pub(crate) fn redirect_count(o: &Observation) -> usize {
    o.hop_statuses
        .iter()
        .filter(|s| matches!(s, Some(s) if (300..400).contains(s) && *s != 304))
        .count()
}

/// `302 → 301 → 200`, `-` for a hop without a response.
pub(crate) fn status_path(o: &Observation) -> String {
    o.hop_statuses
        .iter()
        .map(|s| s.map_or_else(|| "-".to_owned(), |s| s.to_string()))
        .collect::<Vec<_>>()
        .join(" → ")
}
