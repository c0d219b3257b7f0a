//! What a complete audit of the generated site contains, what an audit
//! folder actually holds, and the difference.

use std::collections::BTreeSet;
use std::path::Path;

use crate::Error;
use crate::site::{MapRow, Site};

/// What a complete audit must record, derived from the site's own rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expectation {
    /// Every path that must have a row in `pages.csv`: pages, linked
    /// redirect sources, the intermediate hops and 404 targets behind them.
    pub urls: BTreeSet<String>,
    /// Rows of `pages.csv` that must have status 200 (the pages).
    pub ok_pages: usize,
    /// Redirect chains (rows of `redirects.csv`): one per linked or listed
    /// URL that redirects.
    pub chains: usize,
    /// Rows of `hops.csv`: every hop of every chain, final response
    /// included.
    pub hops: usize,
}

impl Expectation {
    /// A `crawl` from `/`: every page (all are reachable) and every redirect
    /// source some page links to.
    pub fn crawl(site: &Site) -> Self {
        let pages = (0..site.pages()).map(|i| site.page_path(i));
        let sources = site
            .link_stats()
            .linked_sources
            .into_iter()
            .map(|k| site.source_path(k));
        Self::from_starts(site, pages.chain(sources))
    }

    /// A `check` of `map`, with no link following. `check` requests the
    /// expected URL of each row as well as the URL (to tell whether the
    /// expected one resolves), so both start chains: a loop's expected URL
    /// is its intermediate hop, which then has a chain of its own.
    pub fn check(site: &Site, map: &[MapRow]) -> Self {
        let starts = map
            .iter()
            .flat_map(|row| [row.path.clone(), row.expected.clone()]);
        Self::from_starts(site, starts)
    }

    fn from_starts(site: &Site, starts: impl IntoIterator<Item = String>) -> Self {
        let mut expected = Self::default();
        let starts: BTreeSet<String> = starts.into_iter().collect();
        for start in starts {
            let chain = site.chain(&start);
            if chain.len() > 1 {
                expected.chains += 1;
                expected.hops += chain.len();
            }
            expected.urls.extend(chain);
        }
        expected.ok_pages = expected.urls.iter().filter(|u| site.is_page(u)).count();
        expected
    }
}

/// What an audit folder holds, as far as completeness goes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audit {
    /// The URLs of `pages.csv`, as paths when they are on the site's origin.
    pub urls: BTreeSet<String>,
    /// Rows of `pages.csv`.
    pub page_rows: usize,
    /// Rows of `pages.csv` with status 200.
    pub ok_pages: usize,
    /// Rows of `hops.csv`.
    pub hop_rows: usize,
    /// Chains, from `summary.json`.
    pub chains: usize,
    /// HTTP requests sent, from `summary.json`.
    pub requests: u64,
    /// Wall time of the crawl alone, from `summary.json`.
    pub crawl_elapsed_ms: u64,
    /// How the audit ended (`completed`, `truncated` …).
    pub end: String,
}

impl Audit {
    /// Reads `pages.csv`, `hops.csv` and `summary.json` from `dir`;
    /// `origin` (`http://127.0.0.1:PORT`) is stripped from URLs.
    pub fn read(dir: &Path, origin: &str) -> Result<Self, Error> {
        let mut audit = Self::default();
        let pages = dir.join(report::PAGES_CSV);
        let mut reader = csv::Reader::from_path(&pages).map_err(|e| Error::csv(&pages, e))?;
        let headers = reader.headers().map_err(|e| Error::csv(&pages, e))?.clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| Error::MissingColumn {
                    path: pages.clone(),
                    column: name.to_owned(),
                })
        };
        let (url_col, status_col) = (column("url")?, column("status")?);
        for record in reader.records() {
            let record = record.map_err(|e| Error::csv(&pages, e))?;
            let url = record.get(url_col).unwrap_or_default();
            let path = url.strip_prefix(origin).unwrap_or(url);
            audit.urls.insert(path.to_owned());
            audit.page_rows += 1;
            audit.ok_pages += usize::from(record.get(status_col) == Some("200"));
        }
        let hops = dir.join(report::HOPS_CSV);
        let mut reader = csv::Reader::from_path(&hops).map_err(|e| Error::csv(&hops, e))?;
        for record in reader.records() {
            record.map_err(|e| Error::csv(&hops, e))?;
            audit.hop_rows += 1;
        }
        let summary = report::read_summary_json(&dir.join(report::SUMMARY_JSON))?;
        audit.chains = summary.counts.redirects;
        audit.requests = summary.counts.requests;
        audit.crawl_elapsed_ms = summary.crawl_elapsed_ms;
        audit.end = summary.end.as_str().to_owned();
        Ok(audit)
    }
}

/// How an audit compares with what a complete one holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completeness {
    /// Expected paths without a row in `pages.csv`.
    pub missing: Vec<String>,
    /// Rows of `pages.csv` the site's rules do not explain (robots.txt, a
    /// sitemap, a bug): reported, not a failure.
    pub unexpected: Vec<String>,
    /// Rows with status 200, and how many there should be.
    pub ok_pages: (usize, usize),
    /// Chains recorded, and how many there should be.
    pub chains: (usize, usize),
    /// Rows of `hops.csv`, and how many there should be.
    pub hops: (usize, usize),
    /// How the audit says it ended.
    pub end: String,
}

impl Completeness {
    /// Compares `audit` with `expected`.
    pub fn of(expected: &Expectation, audit: &Audit) -> Self {
        Self {
            missing: expected.urls.difference(&audit.urls).cloned().collect(),
            unexpected: audit.urls.difference(&expected.urls).cloned().collect(),
            ok_pages: (audit.ok_pages, expected.ok_pages),
            chains: (audit.chains, expected.chains),
            hops: (audit.hop_rows, expected.hops),
            end: audit.end.clone(),
        }
    }

    /// Every expected URL fetched, every page a 200, every chain and hop
    /// recorded, and the audit not cut short.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
            && self.ok_pages.0 == self.ok_pages.1
            && self.chains.0 == self.chains.1
            && self.hops.0 == self.hops.1
            && self.end == "completed"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawl_expectation_counts_pages_chains_and_hops() {
        let site = Site::new(100);
        let expected = Expectation::crawl(&site);
        assert_eq!(expected.ok_pages, 100);
        let linked = site.link_stats().linked_sources;
        assert_eq!(expected.chains, linked.len());
        let hops: usize = linked
            .iter()
            .map(|k| site.chain(&site.source_path(*k)).len())
            .sum();
        assert_eq!(expected.hops, hops);
        assert!(expected.urls.contains("/r/0") && expected.urls.contains("/"));
    }

    #[test]
    fn check_expectation_covers_the_map_only() {
        let site = Site::new(100);
        let map = site.check_map(10);
        let expected = Expectation::check(&site, &map);
        assert_eq!(expected.chains, 2, "rows 0 and 5 are sources");
        // 8 page rows, plus the 2 redirect targets unless they are among them.
        assert!(
            (8..=10).contains(&expected.ok_pages),
            "{}",
            expected.ok_pages
        );
    }

    #[test]
    fn completeness_needs_every_url_and_hop() {
        let site = Site::new(50);
        let expected = Expectation::crawl(&site);
        let mut audit = Audit {
            urls: expected.urls.clone(),
            page_rows: expected.urls.len(),
            ok_pages: expected.ok_pages,
            hop_rows: expected.hops,
            chains: expected.chains,
            requests: 0,
            crawl_elapsed_ms: 0,
            end: "completed".into(),
        };
        assert!(Completeness::of(&expected, &audit).is_complete());
        audit.urls.insert("/robots.txt".into());
        assert!(Completeness::of(&expected, &audit).is_complete());
        audit.urls.remove("/r/0");
        let c = Completeness::of(&expected, &audit);
        assert_eq!(c.missing, ["/r/0"]);
        assert!(!c.is_complete());
    }
}
