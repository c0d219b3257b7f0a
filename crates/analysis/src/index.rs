//! A read-only view of one crawl, indexed for the rules: responses by URL,
//! chains by start, which chains pass through which hop, and scope.

use std::collections::{BTreeMap, HashMap, HashSet};

use model::{Chain, CrawlOutput, Hop, Link, LinkKind, PageRecord, Site};
use url::Url;

/// Lookups shared by every rule. Built once per [`crate::analyze`] call.
pub(crate) struct Index<'a> {
    /// The crawl.
    pub output: &'a CrawlOutput,
    /// Every response by URL: each URL is fetched at most once per audit, so
    /// a hop shared by several chains is one entry.
    pub responses: HashMap<&'a str, &'a Hop>,
    /// Chains by start URL.
    pub chains: BTreeMap<&'a str, &'a Chain>,
    /// The crawler's scope verdict for the notable pages (see
    /// [`notable_pages`]).
    scope: &'a HashMap<String, bool>,
    /// For each hop URL, the chain starts whose chain contains it, sorted
    /// (a vector, not a set: most hops are in one chain, and a large site
    /// has hundreds of thousands of hops).
    pub through: HashMap<&'a str, Vec<&'a str>>,
    /// The site of the start URL.
    site: Option<Site>,
}

/// What the rules need of the page records, out of a crawl that may hold a
/// million: every response that is not a plain success, and the pages the
/// chains, the kept links and history name. A plain `200` nobody asks about
/// stays on disk.
#[derive(Default)]
pub(crate) struct NotablePages {
    /// Whether each notable page is in scope (the crawler's verdict).
    scope: HashMap<String, bool>,
    /// The records of notable pages whose response no chain holds.
    records: Vec<PageRecord>,
}

/// Picks the notable pages of `output` in one pass over its records; `also`
/// are further URLs to keep (those history tracks).
pub(crate) fn notable_pages<'u>(
    output: &CrawlOutput,
    also: impl IntoIterator<Item = &'u str>,
) -> NotablePages {
    let mut wanted: HashSet<&str> = also.into_iter().collect();
    for chain in &output.chains {
        wanted.insert(&chain.start);
        wanted.extend(chain.hops.iter().map(|h| h.url.as_str()));
    }
    let site = Site::parse(&output.start_url);
    for link in &output.links {
        wanted.insert(&link.to);
        // A page with anchors was parsed, so it is in scope, and for a page
        // of the start URL's own site `in_scope` says so without its record:
        // thousands of ordinary pages linking to a redirect stay on disk.
        if link.kind != LinkKind::Anchor
            || !site.as_ref().is_some_and(|s| s.contains_str(&link.from))
        {
            wanted.insert(&link.from);
        }
    }
    let in_chains: HashSet<&str> = output
        .chains
        .iter()
        .flat_map(|c| c.hops.iter().map(|h| h.url.as_str()))
        .collect();
    let mut notable = NotablePages::default();
    output.pages.for_each(|p| {
        let r = &p.response;
        let wanted = r.is_redirect()
            || r.error.is_some()
            || r.refresh.is_some()
            || !matches!(r.status, Some(200..=299))
            || wanted.contains(p.url.as_str());
        if wanted {
            notable.scope.insert(p.url.clone(), p.in_scope);
            // A chain already holds this response: only the verdict is new.
            if !in_chains.contains(p.url.as_str()) {
                notable.records.push(p.into_owned());
            }
        }
        true
    });
    notable
}

impl<'a> Index<'a> {
    /// Indexes `output`, with `pages` what the rules may look up of its
    /// records (see [`notable_pages`]).
    pub fn new(output: &'a CrawlOutput, pages: &'a NotablePages) -> Self {
        let mut responses = HashMap::new();
        let mut chains = BTreeMap::new();
        let mut through: HashMap<&str, Vec<&str>> = HashMap::new();
        for chain in &output.chains {
            chains.entry(chain.start.as_str()).or_insert(chain);
            for hop in &chain.hops {
                responses.entry(hop.url.as_str()).or_insert(hop);
                through
                    .entry(hop.url.as_str())
                    .or_default()
                    .push(chain.start.as_str());
            }
        }
        for starts in through.values_mut() {
            starts.sort_unstable();
            starts.dedup();
            starts.shrink_to_fit();
        }
        for page in &pages.records {
            responses.entry(page.url.as_str()).or_insert(&page.response);
        }
        Self {
            output,
            responses,
            chains,
            scope: &pages.scope,
            through,
            site: Site::parse(&output.start_url),
        }
    }

    /// Whether `url` is inside the audited scope: the crawler's verdict when
    /// it recorded the page, else the same [`Site`] as the start URL or as a
    /// chain that passes through it.
    pub fn in_scope(&self, url: &str) -> bool {
        if let Some(&in_scope) = self.scope.get(url) {
            return in_scope;
        }
        let Ok(parsed) = Url::parse(url) else {
            return false;
        };
        self.site.as_ref().is_some_and(|s| s.contains(&parsed))
            || self.through.get(url).is_some_and(|starts| {
                starts
                    .iter()
                    .any(|s| Site::parse(s).is_some_and(|s| s.contains(&parsed)))
            })
    }

    /// Distinct redirecting responses inside the scope, in no particular
    /// order (findings are sorted at the end). Hop-level
    /// rules run over these, so a hop shared by many chains is reported once,
    /// and a third party's redirect (which the audited site cannot fix) is
    /// not reported at all.
    pub fn redirecting_hops(&self) -> impl Iterator<Item = &'a Hop> + '_ {
        self.responses
            .values()
            .copied()
            .filter(|hop| hop.is_redirect() && self.in_scope(&hop.url))
    }

    /// Chain starts passing through `url`, other than `url` itself.
    pub fn chain_starts_through(&self, url: &str) -> Vec<String> {
        self.through
            .get(url)
            .into_iter()
            .flatten()
            .filter(|s| **s != url)
            .map(|s| (*s).to_owned())
            .collect()
    }

    /// The chain for `url` when it is a chain start that redirected.
    pub fn redirect_chain(&self, url: &str) -> Option<&'a Chain> {
        self.chains
            .get(url)
            .copied()
            .filter(|c| c.hops.first().is_some_and(Hop::is_redirect))
    }

    /// The crawl's links, in its order (see [`CrawlOutput::links`]).
    pub fn links(&self) -> &'a [Link] {
        &self.output.links
    }
}
