//! What the coordinator keeps while the crawl runs (every record and every
//! reference, on disk; interned URLs in memory), and how it becomes the
//! crawl's output once the frontier is empty.

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use model::{Chain, Discovery, FetchErrorKind, Hop, Link, PageRecord, Pages, ReferrerCount};

use crate::chains::assemble_chains;
use crate::discovery::{NO_PAGE, Placement, placements};
use crate::graph::{LinkGraph, Reference, UrlId};
use crate::spool::{DiskPagesWriter, RecordSpool};

/// Every record and reference of a crawl in progress.
pub(crate) struct Records {
    graph: LinkGraph,
    spool: RecordSpool,
    /// The final store, created with the others so that nothing needs the
    /// folder once the crawl runs.
    store: DiskPagesWriter,
    /// Sitemap entries added (references, counted in the stats).
    sitemap_entries: u64,
}

/// A finished crawl's data, ready for [`model::CrawlOutput`].
pub(crate) struct Finished {
    pub pages: Pages,
    pub chains: Vec<Chain>,
    pub links: Vec<Link>,
    pub referrers: Vec<ReferrerCount>,
    /// Requests that got no response (deliberate skips excluded).
    pub errors: u64,
    /// URLs robots.txt kept us from.
    pub blocked: u64,
    pub sitemap_entries: u64,
}

impl Records {
    /// Empty, with working files in `dir`.
    pub(crate) fn new(dir: &Path) -> Result<Self, spool::Error> {
        Ok(Self {
            graph: LinkGraph::new(dir)?,
            spool: RecordSpool::new(dir)?,
            store: DiskPagesWriter::new(dir)?,
            sitemap_entries: 0,
        })
    }

    /// The entries of one sitemap file.
    pub(crate) fn add_sitemap(
        &mut self,
        sitemap: &str,
        entries: Vec<Reference>,
    ) -> Result<(), spool::Error> {
        self.sitemap_entries += entries.len() as u64;
        self.graph.add_page(sitemap, entries)
    }

    /// Whether any reference seen so far points at `url` (normalised): it
    /// then starts a chain of its own.
    pub(crate) fn is_referenced(&self, url: &str) -> bool {
        self.graph
            .id(url)
            .is_some_and(|id| self.graph.is_linked(id))
    }

    /// A finished fetch and the references found on the page.
    pub(crate) fn add_page(
        &mut self,
        record: &PageRecord,
        references: Vec<Reference>,
    ) -> Result<(), spool::Error> {
        let id = self.graph.intern(&record.url);
        let redirect_to = record
            .response
            .next_url()
            .map(|target| self.graph.intern(&target));
        self.graph.add_page(&record.url, references)?;
        self.spool.push(record, id, redirect_to)
    }

    /// Places every page (depth, discovery), assembles the chains of the
    /// seeded and linked URLs, picks the links analysis needs, and rewrites
    /// the records in URL order into the crawl's page store.
    pub(crate) fn finish(
        self,
        seeds: &[String],
        max_hops: usize,
    ) -> Result<Finished, spool::Error> {
        let Self {
            mut graph,
            mut spool,
            mut store,
            sitemap_entries,
        } = self;
        graph.flush()?;
        spool.flush()?;
        let slots = spool.slots();
        let mut page_of = vec![NO_PAGE; graph.len()];
        for (i, slot) in slots.iter().enumerate() {
            page_of[slot.id as usize] = u32::try_from(i).expect("fewer than 4 billion pages");
        }
        let seed_ids: HashSet<UrlId> = seeds.iter().filter_map(|s| graph.id(s)).collect();
        let mut sorted_seeds: Vec<UrlId> = seed_ids.iter().copied().collect();
        sorted_seeds.sort_unstable_by(|a, b| graph.url(*a).cmp(graph.url(*b)));
        let placed = placements(slots, &page_of, &graph, &sorted_seeds)?;

        // Only a redirecting response starts a chain: the rest are not read.
        let starts = slots
            .iter()
            .filter(|s| s.is_redirect && (graph.is_linked(s.id) || seed_ids.contains(&s.id)))
            .map(|s| graph.url(s.id));
        let failure = RefCell::new(None);
        let response = |url: &str| -> Option<Hop> {
            let i = graph.id(url).map(|id| page_of[id as usize])?;
            if i == NO_PAGE {
                return None;
            }
            match spool.read(&slots[i as usize]) {
                Ok(record) => Some(record.response),
                Err(error) => {
                    failure.borrow_mut().get_or_insert(error);
                    None
                }
            }
        };
        let chains = assemble_chains(starts, max_hops, response);
        if let Some(error) = failure.into_inner() {
            return Err(error);
        }
        let redirecting: HashSet<UrlId> =
            chains.iter().filter_map(|c| graph.id(&c.start)).collect();
        let errors = slots
            .iter()
            .filter(|s| s.status.is_none() && s.error.is_some_and(|e| !e.is_not_fetched()))
            .count() as u64;
        let blocked = slots
            .iter()
            .filter(|s| s.error == Some(FetchErrorKind::BlockedByRobots))
            .count() as u64;

        let mut order: Vec<usize> = (0..slots.len()).collect();
        order.sort_unstable_by(|&a, &b| graph.url(slots[a].id).cmp(graph.url(slots[b].id)));
        for i in order {
            let slot = &slots[i];
            let mut record = spool.read(slot)?;
            record.in_sitemap = graph.in_sitemap(slot.id);
            if let Some(placement) = placed[i] {
                place(&mut record, placement, slot.id, &graph);
            }
            store.push(&record)?;
        }
        let pages = Pages::stored(Arc::new(store.finish()?));
        // The slots and placements are done with: the links are the last
        // large thing a crawl builds.
        drop(placed);
        drop(spool);
        let (links, referrers) = graph.links(&redirecting)?;
        Ok(Finished {
            pages,
            chains,
            links,
            referrers,
            errors,
            blocked,
            sitemap_entries,
        })
    }
}

/// Writes a page's placement on its record (a seed keeps how it was given).
fn place(record: &mut PageRecord, placement: Placement, id: UrlId, graph: &LinkGraph) {
    record.depth = placement.depth;
    record.discovery = placement.discovery;
    if placement.discovery == Discovery::Seed {
        return;
    }
    record.found_as = match placement.edge {
        Some(edge) => graph.found_as(id, edge),
        None => record.url.clone(),
    };
    record.found_on = Some(graph.url(placement.from).to_owned());
}
