//! What this audit adds to history: one [`Observation`] per URL whose
//! redirect behaviour history tracks.

use std::collections::{BTreeSet, HashSet};

use jiff::Timestamp;
use model::{CrawlOutput, Hop, Observation, PriorObservations};

use crate::index::{Index, notable_pages};

/// Guard against cycles when rebuilding a chain from page records.
const MAX_HOPS: usize = 50;

/// What this audit writes to history, sorted by URL:
///
/// - every redirecting response of the audited site, wherever it sits in a
///   chain and however many chains pass through it (a 302 reached through an
///   `http → https` 301 is aged like one that is linked directly);
/// - every chain start that redirected (in list mode these may be on any
///   host);
/// - every URL that redirected in an earlier audit and was fetched now,
///   redirecting or not, so a `200` or `301` resets a temporary redirect's
///   age.
///
/// Each observation holds the chain from its URL onwards. Redirects sent by
/// third-party hosts are not observed: the site cannot fix them. URLs this
/// audit did not reach get nothing, so a crawl limit never resets an age.
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
    let mut urls: HashSet<&str> = ix.redirecting_hops().map(|h| h.url.as_str()).collect();
    for chain in ix.chains.values() {
        if chain.hops.first().is_some_and(Hop::is_redirect) {
            urls.insert(&chain.start);
        }
    }
    for (url, history) in &prior.by_url {
        if history.iter().any(Observation::is_redirect) {
            urls.insert(url);
        }
    }
    let mut out: Vec<Observation> = urls
        .into_iter()
        .filter_map(|url| observe(&rebuild_chain(ix, url)?, url, audited_at))
        .collect();
    out.sort_unstable_by(|a, b| a.url.cmp(&b.url));
    out
}

fn observe(walk: &Walk<'_>, url: &str, audited_at: Timestamp) -> Option<Observation> {
    let first = *walk.hops.first()?;
    let last = *walk.hops.last()?;
    let redirected = first.is_redirect();
    let mut hop_statuses: Vec<Option<u16>> = walk.hops.iter().map(|h| h.status).collect();
    let (final_url, final_status) = match &walk.unfetched {
        // The audit's own limits (--max-hops, --deadline, an interrupt) left
        // the last redirect's target unfetched: a hop without a response, so
        // the chain's length says nothing (see
        // `Observation::has_inconclusive_hop`).
        Some(next) => {
            hop_statuses.push(None);
            (next.clone(), None)
        }
        None => (last.url.clone(), last.status),
    };
    Some(Observation {
        audited_at,
        url: url.to_owned(),
        first_status: first.status,
        hop_statuses,
        raw_location: redirected
            .then(|| first.locations.first().map(model::RawValue::escaped))
            .flatten(),
        target: redirected.then(|| first.target.clone()).flatten(),
        final_url: Some(final_url),
        final_status,
    })
}

/// The recorded responses from one URL on.
struct Walk<'a> {
    /// Each response, following each redirect to the response fetched for
    /// its target.
    hops: Vec<&'a Hop>,
    /// The last redirect's target when this audit never fetched it.
    unfetched: Option<String>,
}

/// The recorded responses from `url` on, following each redirect by the
/// normalised URL of its target (so a target's fragment never breaks the
/// walk). `None` when `url` was not fetched.
fn rebuild_chain<'a>(ix: &Index<'a>, url: &str) -> Option<Walk<'a>> {
    let mut hops = Vec::new();
    let mut seen = BTreeSet::new();
    let mut current = url.to_owned();
    let mut unfetched = None;
    while hops.len() < MAX_HOPS {
        let Some(hop) = ix.responses.get(current.as_str()).copied() else {
            if !hops.is_empty() {
                unfetched = Some(current);
            }
            break;
        };
        hops.push(hop);
        seen.insert(current.clone());
        match hop.next_url() {
            Some(next) if !seen.contains(&next) => current = next,
            _ => break,
        }
    }
    (!hops.is_empty()).then_some(Walk { hops, unfetched })
}
