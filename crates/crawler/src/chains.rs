//! Redirect chains, assembled from the one response recorded per URL.

use std::collections::HashSet;

use model::{Chain, ChainEnd, Hop};

/// Builds one chain for each of `starts` whose response is a redirect, by
/// following each hop's resolved target to the response recorded for it
/// (`response` looks a normalised URL up). A URL fetched once serves every
/// chain that passes through it. Chains stop at a non-redirect response, a
/// failure, a redirect without a usable target, a URL already in the chain
/// (a loop), after `max_hops` redirects (a chain holds at most `max_hops + 1`
/// hops: the redirects followed and the response of the last target), or at
/// a target never fetched because the audit stopped first. The last two are
/// limits of the audit, not errors of the site: see
/// [`ChainEnd::followed_to_end`]. The result is sorted by start URL.
pub fn assemble_chains<'a>(
    starts: impl IntoIterator<Item = &'a str>,
    max_hops: usize,
    response: impl Fn(&str) -> Option<Hop>,
) -> Vec<Chain> {
    let mut starts: Vec<&str> = starts
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    starts.sort_unstable();
    starts
        .into_iter()
        .filter_map(|start| {
            let first = response(start)?;
            first
                .is_redirect()
                .then(|| follow(start, first, &response, max_hops))
        })
        .collect()
}

fn follow(
    start: &str,
    first: Hop,
    response: &impl Fn(&str) -> Option<Hop>,
    max_hops: usize,
) -> Chain {
    let mut hops = vec![first];
    let mut visited: HashSet<String> = HashSet::from([start.to_owned()]);
    let end = loop {
        let last = hops.last().expect("chain has a first hop");
        if !last.is_redirect() {
            break if last.status.is_none() {
                ChainEnd::Failed
            } else {
                ChainEnd::Final
            };
        }
        let Some(target) = last.next_url() else {
            break ChainEnd::NoTarget;
        };
        if visited.contains(&target) {
            break ChainEnd::Loop { back_to: target };
        }
        // Every hop so far is a redirect: following this one makes
        // `hops.len()` redirects followed.
        if hops.len() > max_hops {
            break ChainEnd::TooManyHops;
        }
        let Some(next) = response(target.as_str()) else {
            // Never fetched: the crawler fetches every target within
            // `max_hops` of any chain start, so only the audit stopping
            // (deadline, interrupt, error-rate safeguard) leaves one out.
            // A failed request has a record and ends the chain `Failed`.
            break ChainEnd::NotFollowed;
        };
        visited.insert(target);
        hops.push(next);
    };
    // A large site has some hundred thousand chains, mostly of one or two
    // hops: no spare capacity (a `Hop` is some 200 bytes).
    hops.shrink_to_fit();
    Chain {
        start: start.to_owned(),
        hops,
        end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::RawValue;

    fn page(url: &str, status: u16, target: Option<&str>) -> Hop {
        Hop {
            url: url.to_owned(),
            status: Some(status),
            locations: target.map(|t| vec![RawValue::from(t)]).unwrap_or_default(),
            target: target.map(str::to_owned),
            ..Hop::default()
        }
    }

    fn lookup(pages: &[Hop]) -> impl Fn(&str) -> Option<Hop> + '_ {
        |url| pages.iter().find(|h| h.url == url).cloned()
    }

    #[test]
    fn follows_shares_and_stops() {
        let pages = vec![
            page("http://s/a", 301, Some("http://s/b")),
            page("http://s/b", 302, Some("http://s/c#frag")),
            page("http://s/c", 200, None),
            page("http://s/loop1", 301, Some("http://s/loop2")),
            page("http://s/loop2", 301, Some("http://s/loop1")),
            page("http://s/empty", 302, None),
            page("http://s/ok", 200, None),
        ];
        let chains = assemble_chains(
            [
                "http://s/a",
                "http://s/b",
                "http://s/loop1",
                "http://s/empty",
                "http://s/ok",
            ],
            20,
            lookup(&pages),
        );
        let summary: Vec<_> = chains
            .iter()
            .map(|c| (c.start.as_str(), c.status_path(), c.end.clone()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("http://s/a", "301 → 302 → 200".to_owned(), ChainEnd::Final),
                ("http://s/b", "302 → 200".to_owned(), ChainEnd::Final),
                ("http://s/empty", "302".to_owned(), ChainEnd::NoTarget),
                (
                    "http://s/loop1",
                    "301 → 301".to_owned(),
                    ChainEnd::Loop {
                        back_to: "http://s/loop1".to_owned()
                    }
                ),
            ]
        );
    }

    /// `n` redirects `/0 → /1 → … → /n`, then `/n` answers 200.
    fn straight_chain(n: usize) -> Vec<Hop> {
        let mut pages: Vec<_> = (0..n)
            .map(|i| {
                page(
                    &format!("http://s/{i}"),
                    301,
                    Some(&format!("http://s/{}", i + 1)),
                )
            })
            .collect();
        pages.push(page(&format!("http://s/{n}"), 200, None));
        pages
    }

    #[test]
    fn max_hops_is_the_number_of_redirects_followed() {
        // Issue 13: `--max-hops 5` stopped after 4 redirects although the
        // crawler had fetched the 6th URL.
        let pages = straight_chain(5);
        let chains = assemble_chains(["http://s/0"], 5, lookup(&pages));
        assert_eq!(chains[0].status_path(), "301 → 301 → 301 → 301 → 301 → 200");
        assert_eq!(chains[0].end, ChainEnd::Final);
        assert_eq!(chains[0].redirect_count(), 5);
    }

    #[test]
    fn stops_after_max_hops_redirects() {
        let pages = straight_chain(5);
        let chains = assemble_chains(["http://s/0"], 3, lookup(&pages));
        // Three redirects followed; the fourth hop still redirects.
        assert_eq!(chains[0].hops.len(), 4);
        assert_eq!(chains[0].last().url, "http://s/3");
        assert_eq!(chains[0].end, ChainEnd::TooManyHops);
        assert!(!chains[0].end.followed_to_end());
    }

    #[test]
    fn an_unfetched_target_is_not_followed_never_failed() {
        // Issue 13: a target the audit never fetched (deadline, interrupt)
        // made the chain `failed`, and analysis a `redirect-to-error` with
        // "no response" on a URL that did respond.
        let mut pages = straight_chain(3);
        pages.retain(|h| h.url != "http://s/2");
        let chains = assemble_chains(["http://s/0"], 20, lookup(&pages));
        assert_eq!(chains[0].status_path(), "301 → 301");
        assert_eq!(chains[0].last().url, "http://s/1");
        assert_eq!(chains[0].end, ChainEnd::NotFollowed);
    }
}
