//! `redirect-loop`: a chain that comes back to a URL it already visited,
//! across HTTP redirects *and* client-side redirects (meta refresh, `Refresh`
//! header, script navigation). The crawler detects pure-HTTP loops
//! ([`ChainEnd::Loop`]); a loop closed by a meta refresh on the final page is
//! only visible here, where the links are known.

use std::collections::{BTreeMap, BTreeSet};

use model::{ChainEnd, Link};

use model::FindingSink;

use crate::catalogue::code;
use crate::emit::finding;
use crate::index::Index;
use crate::links::navigates;
use crate::text::{chain_evidence, esc};

/// Longest walk considered: far above any hop limit, only a guard.
const MAX_STEPS: usize = 100;

/// How one step of a walk was taken.
#[derive(Clone, Debug)]
struct Step {
    to: String,
    how: String,
}

pub(super) fn check(ix: &Index<'_>, out: &mut dyn FindingSink) {
    let client = client_edges(ix);
    let next = |url: &str| -> Option<Step> {
        match ix.responses.get(url) {
            // By the key the target was fetched under: a chain entered
            // through `/a#top` must still find `/b`'s response.
            Some(hop) if hop.is_redirect() => Some(Step {
                to: hop.next_url()?,
                how: hop.status.map_or_else(String::new, |s| s.to_string()),
            }),
            _ => client.get(url).map(|l| Step {
                to: l.to.to_string(),
                how: l.kind.as_str().to_owned(),
            }),
        }
    };
    let mut covered: BTreeSet<Vec<String>> = BTreeSet::new();
    for chain in ix.chains.values() {
        if !chain.hops.first().is_some_and(model::Hop::is_redirect) {
            continue;
        }
        let walk = walk(&chain.start, &next);
        // The walk spells the loop out (`a --[301]--> b --[301]--> a`); the
        // crawler's own display ends in "(loops back to a)".
        let (path, back_to, client_side) = match (&walk, &chain.end) {
            (Some(w), _) => (w.describe(), w.back_to().to_owned(), w.has_client_step()),
            (None, ChainEnd::Loop { back_to }) => (chain.to_string(), back_to.clone(), false),
            (None, _) => continue,
        };
        if let Some(w) = &walk {
            covered.insert(w.cycle_key());
        }
        let via = if client_side {
            " (closed by a client-side redirect)"
        } else {
            ""
        };
        let mut f = finding(
            code::REDIRECT_LOOP,
            &chain.start,
            format!("redirect loop{via}: {path}"),
        );
        f.related = walk.as_ref().map_or_else(
            || chain.hops.iter().map(|h| h.url.clone()).collect(),
            Walk::distinct_urls,
        );
        *f.evidence = chain_evidence(chain);
        f.evidence.detail = Some(format!("back_to={back_to}"));
        out.push(f);
    }
    // Loops made only of pages that refresh or script-navigate to each
    // other: no HTTP chain leads into them, so report each cycle once, on its
    // smallest URL.
    for start in client.keys() {
        let Some(w) = walk(start, &next) else {
            continue;
        };
        let key = w.cycle_key();
        if key.first().map(String::as_str) != Some(*start) || !covered.insert(key) {
            continue;
        }
        let mut f = finding(
            code::REDIRECT_LOOP,
            start,
            format!("client-side redirect loop: {}", w.describe()),
        );
        f.related = w.distinct_urls();
        f.evidence.detail = Some(format!("back_to={}", w.back_to()));
        out.push(f);
    }
}

/// The first client-side redirect of each page that answered without an HTTP
/// redirect (a browser does not render a 3xx body).
fn client_edges<'a>(ix: &Index<'a>) -> BTreeMap<&'a str, &'a Link> {
    let mut edges = BTreeMap::new();
    for link in ix.links() {
        if !link.kind.is_client_redirect() || !navigates(link) {
            continue;
        }
        if ix
            .responses
            .get(&*link.from)
            .is_some_and(|h| h.is_redirect())
        {
            continue;
        }
        edges.entry(&*link.from).or_insert(link);
    }
    edges
}

struct Walk {
    start: String,
    steps: Vec<Step>,
    /// Index in the visited list (start = 0) where the cycle begins.
    cycle_from: usize,
}

impl Walk {
    fn back_to(&self) -> &str {
        &self.steps.last().expect("a loop has a step").to
    }

    fn urls(&self) -> Vec<String> {
        std::iter::once(self.start.clone())
            .chain(self.steps.iter().map(|s| s.to.clone()))
            .collect()
    }

    /// The walk's URLs without the repeated one at the end.
    fn distinct_urls(&self) -> Vec<String> {
        let mut urls = self.urls();
        urls.pop();
        urls
    }

    fn has_client_step(&self) -> bool {
        self.steps[self.cycle_from..]
            .iter()
            .any(|s| s.how.parse::<u16>().is_err())
    }

    /// `a --[302]--> b --[meta-refresh]--> a`
    fn describe(&self) -> String {
        let mut text = esc(&self.start);
        for step in &self.steps {
            text.push_str(&format!(" --[{}]--> {}", step.how, esc(&step.to)));
        }
        text
    }

    /// The cycle's URLs, sorted, to report each cycle once.
    fn cycle_key(&self) -> Vec<String> {
        let urls = self.urls();
        let mut key: Vec<String> = urls[self.cycle_from..urls.len() - 1].to_vec();
        key.sort();
        key
    }
}

/// Follows `next` from `start`; `Some` when it comes back to a visited URL.
fn walk(start: &str, next: &impl Fn(&str) -> Option<Step>) -> Option<Walk> {
    let mut visited = vec![start.to_owned()];
    let mut steps = Vec::new();
    while steps.len() < MAX_STEPS {
        let step = next(visited.last().expect("non-empty"))?;
        let seen = visited.iter().position(|u| *u == step.to);
        visited.push(step.to.clone());
        steps.push(step);
        if let Some(cycle_from) = seen {
            return Some(Walk {
                start: start.to_owned(),
                steps,
                cycle_from,
            });
        }
    }
    None
}
