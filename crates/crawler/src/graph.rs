//! The crawl's link graph: every URL once in memory, every reference on
//! disk.
//!
//! A 20 000-page site has about a million references, a million-page site
//! fifty million: held in memory they were most of a crawl's footprint. Each
//! page's references are appended to a temporary file as one block (a few
//! bytes per anchor); what stays in memory per URL is its text, a block
//! position and two flags. Depth and discovery read the blocks back one page
//! at a time, and the links analysis needs are picked out in one sequential
//! pass at the end.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::path::Path;
use std::sync::Arc;

use hashbrown::HashTable;
use model::{Link, LinkKind, ReferrerCount, Written};
use serde::{Deserialize, Serialize};
use spool::Spool;

/// A URL's index in [`LinkGraph`].
pub(crate) type UrlId = u32;

/// Referrers kept per referenced URL and kind: as many as analysis ever
/// shows (the ten smallest URLs), so findings read the same as with all of
/// them; the full count goes to [`model::CrawlOutput::referrers`].
pub(crate) const REFERRER_SAMPLE: usize = 10;

/// One reference found on a page, before it joins the graph: the page is
/// named once for all its references.
#[derive(Debug)]
pub(crate) struct Reference {
    /// The referenced URL, normalised.
    pub to: String,
    /// The kind of reference.
    pub kind: LinkKind,
    /// The reference as written (kept whole only for non-anchor kinds).
    pub raw: String,
    /// hreflang language or refresh delay.
    pub detail: Option<String>,
    /// The fragment of the URL as written.
    pub fragment: Option<String>,
}

/// One reference read back from disk.
#[derive(Debug)]
pub(crate) struct StoredEdge {
    pub to: UrlId,
    pub kind: LinkKind,
    /// Position among all edges, the key of its fragment.
    pub index: u64,
}

/// One reference in the edge file: target id, kind, and for kinds other
/// than anchors the reference as written and its detail (an anchor's are
/// empty: a few bytes per anchor).
#[derive(Serialize, Deserialize)]
struct Edge {
    to: UrlId,
    kind: LinkKind,
    raw: String,
    detail: Option<String>,
}

/// Where one page's references are in the edge file.
#[derive(Clone, Copy, Debug)]
struct Block {
    from: UrlId,
    /// Where its first edge starts.
    start: u64,
    /// Where the next block starts.
    end: u64,
    count: u32,
    first_edge: u64,
}

const NO_BLOCK: u32 = u32::MAX;
const LINKED: u8 = 1;
const IN_SITEMAP: u8 = 2;

/// Every URL seen, once: ids in the order first seen.
#[derive(Default)]
pub(crate) struct UrlTable {
    urls: Vec<Box<str>>,
    table: HashTable<UrlId>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl UrlTable {
    /// The id of `url`, adding it if new.
    pub(crate) fn intern(&mut self, url: &str) -> UrlId {
        let hash = self.hasher.hash_one(url);
        let urls = &self.urls;
        if let Some(&id) = self.table.find(hash, |&id| &*urls[id as usize] == url) {
            return id;
        }
        let id = UrlId::try_from(self.urls.len()).expect("fewer than 4 billion URLs");
        self.urls.push(url.into());
        let (urls, hasher) = (&self.urls, &self.hasher);
        self.table
            .insert_unique(hash, id, |&id| hasher.hash_one(&*urls[id as usize]));
        id
    }

    /// The id of `url`, if known.
    pub(crate) fn id(&self, url: &str) -> Option<UrlId> {
        let hash = self.hasher.hash_one(url);
        self.table
            .find(hash, |&id| &*self.urls[id as usize] == url)
            .copied()
    }

    /// The URL of `id`.
    pub(crate) fn url(&self, id: UrlId) -> &str {
        &self.urls[id as usize]
    }

    /// Number of URLs known.
    pub(crate) fn len(&self) -> usize {
        self.urls.len()
    }
}

/// Interned URLs in memory, references in a temporary file.
pub(crate) struct LinkGraph {
    urls: UrlTable,
    /// Per URL id: [`LINKED`] and [`IN_SITEMAP`].
    flags: Vec<u8>,
    /// Per URL id: its block in `blocks`, or [`NO_BLOCK`].
    block_of: Vec<u32>,
    blocks: Vec<Block>,
    edge_file: Spool<Edge>,
    edges: u64,
    /// The fragment of the URL as written, for the few edges that have one
    /// (by edge index): `found_as` shows it.
    fragments: HashMap<u64, Box<str>>,
}

impl LinkGraph {
    /// An empty graph whose edge file is an unnamed temporary file in `dir`
    /// (removed by the system when the crawl ends, however it ends).
    pub(crate) fn new(dir: &Path) -> Result<Self, spool::Error> {
        Ok(Self {
            urls: UrlTable::default(),
            flags: Vec::new(),
            block_of: Vec::new(),
            blocks: Vec::new(),
            edge_file: Spool::new_in(dir)?,
            edges: 0,
            fragments: HashMap::new(),
        })
    }

    /// The id of `url`, adding it if new.
    pub(crate) fn intern(&mut self, url: &str) -> UrlId {
        let id = self.urls.intern(url);
        if id as usize == self.flags.len() {
            self.flags.push(0);
            self.block_of.push(NO_BLOCK);
        }
        id
    }

    /// The id of `url`, if known.
    pub(crate) fn id(&self, url: &str) -> Option<UrlId> {
        self.urls.id(url)
    }

    /// The URL of `id`.
    pub(crate) fn url(&self, id: UrlId) -> &str {
        self.urls.url(id)
    }

    /// Number of URLs known.
    pub(crate) fn len(&self) -> usize {
        self.urls.len()
    }

    /// Whether any reference points at `id`.
    pub(crate) fn is_linked(&self, id: UrlId) -> bool {
        self.flags[id as usize] & LINKED != 0
    }

    /// Whether a sitemap lists `id`.
    pub(crate) fn in_sitemap(&self, id: UrlId) -> bool {
        self.flags[id as usize] & IN_SITEMAP != 0
    }

    /// Adds the references found on page (or sitemap file) `from`. A URL
    /// has one block: a second call for the same `from` adds nothing, as a
    /// URL is fetched once.
    pub(crate) fn add_page(
        &mut self,
        from: &str,
        references: Vec<Reference>,
    ) -> Result<(), spool::Error> {
        let from_id = self.intern(from);
        if references.is_empty() || self.block_of[from_id as usize] != NO_BLOCK {
            return Ok(());
        }
        let mut block = Block {
            from: from_id,
            start: self.edge_file.end(),
            end: 0,
            count: 0,
            first_edge: self.edges,
        };
        for r in references {
            let to = self.intern(&r.to);
            self.flags[to as usize] |= LINKED;
            if r.kind == LinkKind::Sitemap {
                self.flags[to as usize] |= IN_SITEMAP;
            }
            if let Some(fragment) = &r.fragment {
                self.fragments.insert(
                    block.first_edge + u64::from(block.count),
                    fragment.as_str().into(),
                );
            }
            let anchor = r.kind == LinkKind::Anchor;
            self.edge_file.push(&Edge {
                to,
                kind: r.kind,
                raw: if anchor { String::new() } else { r.raw },
                detail: if anchor { None } else { r.detail },
            })?;
            block.count += 1;
        }
        block.end = self.edge_file.end();
        self.edges += u64::from(block.count);
        self.block_of[from_id as usize] = u32::try_from(self.blocks.len()).expect("ids fit");
        self.blocks.push(block);
        Ok(())
    }

    /// Makes everything added readable.
    pub(crate) fn flush(&mut self) -> Result<(), spool::Error> {
        self.edge_file.flush()
    }

    /// The references of `from`, read back from disk (none if it has no
    /// block). Call [`LinkGraph::flush`] first.
    pub(crate) fn edges_of(&self, from: UrlId) -> Result<Vec<StoredEdge>, spool::Error> {
        let Some(&b) = self.block_of.get(from as usize) else {
            return Ok(Vec::new());
        };
        if b == NO_BLOCK {
            return Ok(Vec::new());
        }
        let block = self.blocks[b as usize];
        self.read_block(&block)
    }

    /// One block's edges, read with one positioned read.
    fn read_block(&self, block: &Block) -> Result<Vec<StoredEdge>, spool::Error> {
        let mut edges = Vec::with_capacity(block.count as usize);
        for (index, edge) in
            (block.first_edge..).zip(self.edge_file.records_between(block.start, block.end))
        {
            let Edge { to, kind, .. } = edge?;
            edges.push(StoredEdge { to, kind, index });
        }
        Ok(edges)
    }

    /// Sources of blocks that are not `page` (sitemap files): their entries
    /// hang off depth 0.
    pub(crate) fn sources_other_than(&self, page: impl Fn(UrlId) -> bool) -> Vec<UrlId> {
        self.blocks
            .iter()
            .map(|b| b.from)
            .filter(|&from| !page(from))
            .collect()
    }

    /// `url#fragment` as the edge's reference wrote it.
    pub(crate) fn found_as(&self, to: UrlId, edge: u64) -> String {
        let to = self.url(to);
        match self.fragments.get(&edge) {
            Some(fragment) => format!("{to}#{fragment}"),
            None => to.to_owned(),
        }
    }

    /// The links analysis needs, in one sequential pass over the file: every
    /// refresh and script reference, and the references of other kinds to a
    /// URL in `redirecting` (one per page, target and kind; for each target
    /// and kind the [`REFERRER_SAMPLE`] smallest referrers, with the count
    /// of all of them when there are more). Only the client redirects keep
    /// the reference as written: the others name and count referrers.
    /// The graph's last use: it is taken apart as the links are built.
    pub(crate) fn links(
        mut self,
        redirecting: &HashSet<UrlId>,
    ) -> Result<(Vec<Link>, Vec<ReferrerCount>), spool::Error> {
        self.flush()?;
        // Blocks were written one after the other: read them in one pass.
        let mut edges = self.edge_file.iter();
        let mut shared = SharedUrls(vec![None; self.len()]);
        let mut client = Vec::new();
        // (kind, target) → (the smallest referrers by URL, and how many).
        // Ids, not strings, until the end: a million-page site has some two
        // million references to redirects.
        let mut sampled: HashMap<(LinkKind, UrlId), (Vec<UrlId>, usize)> = HashMap::new();
        for block in &self.blocks {
            let mut seen_here: HashSet<(LinkKind, UrlId)> = HashSet::new();
            for _ in 0..block.count {
                let edge = edges.next().ok_or(spool::Error::Truncated {
                    offset: block.start,
                })??;
                if edge.kind.is_client_redirect() {
                    client.push(Link {
                        written: Some(Box::new(Written {
                            raw: edge.raw,
                            detail: edge.detail,
                        })),
                        ..Link::new(
                            shared.get(&self, block.from),
                            shared.get(&self, edge.to),
                            edge.kind,
                        )
                    });
                    continue;
                }
                if !redirecting.contains(&edge.to) || !seen_here.insert((edge.kind, edge.to)) {
                    continue;
                }
                let (sample, count) = sampled.entry((edge.kind, edge.to)).or_default();
                *count += 1;
                let from = self.url(block.from);
                let at = sample.partition_point(|&r| self.url(r) < from);
                if at < REFERRER_SAMPLE {
                    sample.insert(at, block.from);
                    sample.truncate(REFERRER_SAMPLE);
                }
            }
        }
        // Only the URLs are needed from here: at a million URLs the rest is
        // some 40 MB, at the crawl's peak.
        drop(edges);
        self.blocks = Vec::new();
        self.block_of = Vec::new();
        self.flags = Vec::new();
        self.fragments = HashMap::new();
        // By target URL, then kind, each sample by referrer URL: the same
        // order whatever order the pages were fetched in, and the links
        // built once, at their final size (a large site has a million).
        let mut targets: Vec<_> = sampled.into_iter().collect();
        targets.sort_unstable_by(|((kind_a, a), _), ((kind_b, b), _)| {
            (self.url(*a), kind_a).cmp(&(self.url(*b), kind_b))
        });
        let kept: usize = targets.iter().map(|(_, (sample, _))| sample.len()).sum();
        let mut links = Vec::with_capacity(kept + client.len());
        let mut counts = Vec::new();
        for ((kind, to), (sample, count)) in targets {
            if count > sample.len() {
                counts.push(ReferrerCount {
                    kind,
                    to: self.url(to).to_owned(),
                    pages: count,
                });
            }
            let to = shared.get(&self, to);
            for from in sample {
                links.push(Link::new(shared.get(&self, from), to.clone(), kind));
            }
        }
        links.extend(client);
        counts.sort();
        Ok((links, counts))
    }
}

/// One shared allocation per URL named by the links handed out, by id.
struct SharedUrls(Vec<Option<Arc<str>>>);

impl SharedUrls {
    fn get(&mut self, graph: &LinkGraph, id: UrlId) -> Arc<str> {
        self.0[id as usize]
            .get_or_insert_with(|| graph.url(id).into())
            .clone()
    }
}
