//! Facts the reports show beside each redirect that are neither findings
//! nor observations: the redirect classes of every hop and chain, when
//! history first saw a chain start redirect, and whether the start URL of a
//! crawl answered at all (that one from the rules' index: see
//! [`crate::AuditTrail::start_failure`]).
//!
//! Computed apart from [`crate::analyze_audit_into`] so the crawl's own
//! report files (redirects.csv, hops.csv) can be written on a second thread
//! while the rules run.

use std::collections::HashMap;

use jiff::Timestamp;
use model::{Chain, CrawlOutput, FetchError, FetchErrorKind, PriorObservations};
use url::Url;

use crate::index::Index;
use crate::redirect_classes;

/// Redirect classes by hop URL, as `hops.csv` shows them: `; `-separated
/// class names (`scheme-upgrade; trailing-slash`), empty when the hop
/// changes nothing a class names. Keyed by the crawl's own strings: a large
/// site has some 200 000 hops.
pub fn hop_classes(crawl: &CrawlOutput) -> HashMap<&str, String> {
    crawl
        .chains
        .iter()
        .flat_map(|c| &c.hops)
        .filter_map(|hop| {
            Some((
                hop.url.as_str(),
                classes_of(&hop.url, hop.target.as_deref()?),
            ))
        })
        .collect()
}

/// The classes of a whole chain, as `redirects.csv` shows them: each hop's
/// non-empty classes from [`hop_classes`], in hop order, ` | `-separated.
pub fn chain_classes(chain: &Chain, hop_classes: &HashMap<&str, String>) -> String {
    chain
        .hops
        .iter()
        .filter_map(|h| hop_classes.get(h.url.as_str()))
        .filter(|c| !c.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// When history first saw `chain`'s start URL redirect; `now` (this audit)
/// when no earlier audit did.
pub fn first_seen(chain: &Chain, prior: &PriorObservations, now: Timestamp) -> Timestamp {
    prior
        .by_url
        .get(&chain.start)
        .and_then(|obs| obs.iter().find(|o| o.is_redirect()))
        .map_or(now, |o| o.audited_at)
}

/// Why a crawl's start URL got no answer at all: its fetch error when there
/// is no status (a DNS failure, a refused connection, a timeout before the
/// headers). `None` when it answered (whatever the status), when robots.txt
/// disallowed it (a decision, not a failure), or when the crawl has no page
/// for it. Looked up in the index analysis builds anyway (a failed response
/// is always a notable page), not by reading the page store again.
pub(crate) fn start_failure(ix: &Index<'_>) -> Option<FetchError> {
    let start = Url::parse(&ix.output.start_url).ok()?;
    let response = ix.responses.get(model::normalize_url(start).as_str())?;
    match &response.error {
        Some(error)
            if response.status.is_none()
                && !matches!(error.kind, FetchErrorKind::BlockedByRobots) =>
        {
            Some(error.clone())
        }
        _ => None,
    }
}

/// The redirect classes of one hop, `; `-separated.
fn classes_of(from: &str, to: &str) -> String {
    let (Ok(from), Ok(to)) = (Url::parse(from), Url::parse(to)) else {
        return String::new();
    };
    redirect_classes(&from, &to)
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
