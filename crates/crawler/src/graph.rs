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
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Arc;

use hashbrown::HashTable;
use model::{Link, LinkKind, ReferrerCount, Written};

use crate::workfile::PositionedReader;

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
    pub raw: String,
    pub detail: Option<String>,
}

/// Where one page's references are in the edge file.
#[derive(Clone, Copy, Debug)]
struct Block {
    from: UrlId,
    offset: u64,
    bytes: u32,
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
    file: File,
    writer: BufWriter<File>,
    written: u64,
    edges: u64,
    /// The fragment of the URL as written, for the few edges that have one
    /// (by edge index): `found_as` shows it.
    fragments: HashMap<u64, Box<str>>,
}

impl LinkGraph {
    /// An empty graph whose edge file is an unnamed temporary file in `dir`
    /// (removed by the system when the crawl ends, however it ends).
    pub(crate) fn new(dir: &Path) -> io::Result<Self> {
        let (file, writer) = crate::workfile::create(dir)?;
        Ok(Self {
            urls: UrlTable::default(),
            flags: Vec::new(),
            block_of: Vec::new(),
            blocks: Vec::new(),
            file,
            writer,
            written: 0,
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
    pub(crate) fn add_page(&mut self, from: &str, references: Vec<Reference>) -> io::Result<()> {
        let from_id = self.intern(from);
        if references.is_empty() || self.block_of[from_id as usize] != NO_BLOCK {
            return Ok(());
        }
        let mut block = Block {
            from: from_id,
            offset: self.written,
            bytes: 0,
            count: 0,
            first_edge: self.edges,
        };
        let mut buf = Vec::with_capacity(references.len() * 5);
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
            encode_edge(&mut buf, to, &r);
            block.count += 1;
        }
        block.bytes = u32::try_from(buf.len()).expect("a page's references fit in 4 GiB");
        self.writer.write_all(&buf)?;
        self.written += buf.len() as u64;
        self.edges += u64::from(block.count);
        self.block_of[from_id as usize] = u32::try_from(self.blocks.len()).expect("ids fit");
        self.blocks.push(block);
        Ok(())
    }

    /// Makes everything added readable.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    /// The references of `from`, read back from disk (none if it has no
    /// block). Call [`LinkGraph::flush`] first.
    pub(crate) fn edges_of(&self, from: UrlId) -> io::Result<Vec<StoredEdge>> {
        let Some(&b) = self.block_of.get(from as usize) else {
            return Ok(Vec::new());
        };
        if b == NO_BLOCK {
            return Ok(Vec::new());
        }
        let block = self.blocks[b as usize];
        let mut bytes = vec![0; block.bytes as usize];
        self.file.read_exact_at(&mut bytes, block.offset)?;
        decode_block(&mut bytes.as_slice(), &block)
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
    ) -> io::Result<(Vec<Link>, Vec<ReferrerCount>)> {
        self.flush()?;
        let mut reader = BufReader::with_capacity(1 << 16, PositionedReader::new(&self.file));
        let mut shared = SharedUrls(vec![None; self.len()]);
        let mut client = Vec::new();
        // (kind, target) → (the smallest referrers by URL, and how many).
        // Ids, not strings, until the end: a million-page site has some two
        // million references to redirects.
        let mut sampled: HashMap<(LinkKind, UrlId), (Vec<UrlId>, usize)> = HashMap::new();
        let mut bytes = Vec::new();
        for block in &self.blocks {
            bytes.resize(block.bytes as usize, 0);
            reader.read_exact(&mut bytes)?;
            let mut seen_here: HashSet<(LinkKind, UrlId)> = HashSet::new();
            for edge in decode_block(&mut bytes.as_slice(), block)? {
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
        drop(reader);
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

/// One edge: target id, kind, then for kinds other than anchors the
/// reference as written and its detail.
fn encode_edge(buf: &mut Vec<u8>, to: UrlId, r: &Reference) {
    buf.extend_from_slice(&to.to_le_bytes());
    buf.push(kind_code(r.kind));
    if r.kind != LinkKind::Anchor {
        put_str(buf, &r.raw);
        match &r.detail {
            Some(detail) => {
                buf.push(1);
                put_str(buf, detail);
            }
            None => buf.push(0),
        }
    }
}

fn decode_block(bytes: &mut &[u8], block: &Block) -> io::Result<Vec<StoredEdge>> {
    let mut edges = Vec::with_capacity(block.count as usize);
    for i in 0..block.count {
        let to = UrlId::from_le_bytes(take(bytes, 4)?.try_into().expect("4 bytes"));
        let kind = kind_of(take(bytes, 1)?[0])?;
        let (raw, detail) = if kind == LinkKind::Anchor {
            (String::new(), None)
        } else {
            let raw = get_str(bytes)?;
            let detail = match take(bytes, 1)?[0] {
                0 => None,
                _ => Some(get_str(bytes)?),
            };
            (raw, detail)
        };
        edges.push(StoredEdge {
            to,
            kind,
            index: block.first_edge + u64::from(i),
            raw,
            detail,
        });
    }
    Ok(edges)
}

fn put_str(buf: &mut Vec<u8>, s: &str) {
    let len = u32::try_from(s.len()).expect("a reference fits in 4 GiB");
    buf.extend_from_slice(&len.to_le_bytes());
    buf.extend_from_slice(s.as_bytes());
}

fn get_str(bytes: &mut &[u8]) -> io::Result<String> {
    let len = u32::from_le_bytes(take(bytes, 4)?.try_into().expect("4 bytes"));
    let text = take(bytes, len as usize)?;
    String::from_utf8(text.to_vec()).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

fn take<'a>(bytes: &mut &'a [u8], n: usize) -> io::Result<&'a [u8]> {
    if bytes.len() < n {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the edge file ends inside a block",
        ));
    }
    let (head, tail) = bytes.split_at(n);
    *bytes = tail;
    Ok(head)
}

const KINDS: [LinkKind; 7] = [
    LinkKind::Anchor,
    LinkKind::Canonical,
    LinkKind::Hreflang,
    LinkKind::Sitemap,
    LinkKind::MetaRefresh,
    LinkKind::RefreshHeader,
    LinkKind::Script,
];

fn kind_code(kind: LinkKind) -> u8 {
    KINDS
        .iter()
        .position(|k| *k == kind)
        .and_then(|i| u8::try_from(i).ok())
        .expect("every kind has a code")
}

fn kind_of(code: u8) -> io::Result<LinkKind> {
    KINDS
        .get(code as usize)
        .copied()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "unknown kind in the edge file"))
}
