//! An earlier audit's `hops.csv` read back as history observations, for
//! `history import`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use model::Observation;

use crate::HopRow;

/// The observations an audit that wrote `rows` would have made at
/// `audited_at`: one per chain start, and one per redirecting hop of the
/// audited site (`of_site` says which URLs are), wherever it sits in a chain,
/// each with the chain from that hop onwards. A hop shared by several chains
/// is observed once. Sorted by URL.
pub fn observations_from_hops(
    rows: &[HopRow],
    audited_at: Timestamp,
    of_site: impl Fn(&str) -> bool,
) -> Vec<Observation> {
    let mut chains: BTreeMap<&str, Vec<&HopRow>> = BTreeMap::new();
    for row in rows {
        chains
            .entry(row.chain_start.as_str())
            .or_default()
            .push(row);
    }
    let mut by_url: BTreeMap<&str, Observation> = BTreeMap::new();
    for hops in chains.values_mut() {
        hops.sort_by_key(|h| h.hop);
        for (i, hop) in hops.iter().enumerate() {
            let redirected = hop
                .status
                .is_some_and(|s| model::is_redirect_status(s, hop.location_count > 0));
            let observed = i == 0 || (redirected && of_site(&hop.url));
            if observed && !by_url.contains_key(hop.url.as_str()) {
                by_url.insert(&hop.url, observe(&hops[i..], redirected, audited_at));
            }
        }
    }
    by_url.into_values().collect()
}

fn observe(hops: &[&HopRow], redirected: bool, audited_at: Timestamp) -> Observation {
    let first = hops[0];
    let last = hops[hops.len() - 1];
    Observation {
        audited_at,
        url: first.url.clone(),
        first_status: first.status,
        hop_statuses: hops.iter().map(|h| h.status).collect(),
        raw_location: redirected
            .then(|| first.locations().into_iter().next())
            .flatten(),
        target: (redirected && !first.target.is_empty()).then(|| first.target.clone()),
        final_url: Some(last.url.clone()),
        final_status: last.status,
    }
}

#[cfg(test)]
mod tests {
    use model::{Hop, RawValue};

    use super::*;
    use crate::rows::hop_row;

    fn hop(url: &str, status: u16, location: Option<&str>) -> Hop {
        Hop {
            url: url.to_owned(),
            status: Some(status),
            locations: location.map(RawValue::from).into_iter().collect(),
            target: location.map(str::to_owned),
            ..Hop::default()
        }
    }

    fn chain(start: &str, hops: &[Hop]) -> Vec<HopRow> {
        hops.iter()
            .enumerate()
            .map(|(i, h)| hop_row(start, i, h, ""))
            .collect()
    }

    /// Issue 13: an import back-fills intermediate hops, not only chain
    /// starts, and leaves third-party redirects out.
    #[test]
    fn every_redirecting_hop_of_the_site_is_observed_once() {
        let a = hop("https://s.test/a", 301, Some("https://s.test/b"));
        let b = hop("https://s.test/b", 302, Some("https://s.test/c"));
        let c = hop("https://s.test/c", 200, None);
        let x = hop("https://s.test/x", 301, Some("https://other.test/y"));
        let y = hop("https://other.test/y", 302, Some("https://other.test/z"));
        let z = hop("https://other.test/z", 200, None);
        let mut rows = chain("https://s.test/a", &[a, b.clone(), c.clone()]);
        rows.extend(chain("https://s.test/b", &[b, c]));
        rows.extend(chain("https://s.test/x", &[x, y, z]));
        let at: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let observed = observations_from_hops(&rows, at, |u| u.starts_with("https://s.test/"));
        let summary: Vec<_> = observed
            .iter()
            .map(|o| (o.url.as_str(), o.hop_statuses.clone(), o.target.as_deref()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "https://s.test/a",
                    vec![Some(301), Some(302), Some(200)],
                    Some("https://s.test/b")
                ),
                (
                    "https://s.test/b",
                    vec![Some(302), Some(200)],
                    Some("https://s.test/c")
                ),
                (
                    "https://s.test/x",
                    vec![Some(301), Some(302), Some(200)],
                    Some("https://other.test/y")
                ),
            ]
        );
        assert!(observed.iter().all(|o| o.audited_at == at));
        assert_eq!(
            observed[1].raw_location.as_deref(),
            Some("https://s.test/c")
        );
    }
}
