//! Deterministic "how was it found": depth, discovery, found-on and found-as
//! recomputed from the whole link graph after the crawl, so two audits of an
//! unchanged site give identical `pages.csv` rows whatever order concurrent
//! fetches finished in.

use std::collections::VecDeque;

use model::{Discovery, LinkKind};

use crate::graph::{LinkGraph, UrlId};
use crate::spool::Slot;

/// How a page was best reached: its depth, the kind of discovery, the
/// referrer, and the edge (none for a redirect or a seed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Placement {
    pub depth: u32,
    pub discovery: Discovery,
    pub from: UrlId,
    pub edge: Option<u64>,
}

/// Marks "no page" in `page_of`.
pub(crate) const NO_PAGE: u32 = u32::MAX;

/// Works out every page's placement (`None` for pages no seed reaches):
/// - depth: shortest link path from a seed (sitemap entries count as linked
///   from depth 0; redirect targets take their source's depth);
/// - discovery: `seed`, else `link` when a page links to it, else `sitemap`,
///   else `redirect`;
/// - found_on: the smallest URL among the referrers of that kind at the
///   minimal depth;
/// - found_as: the URL as that referrer wrote it (with its fragment).
///
/// `page_of` maps a URL id to its slot (or [`NO_PAGE`]). Each page's
/// references are read back from the graph's file when the search reaches
/// it.
pub(crate) fn placements(
    slots: &[Slot],
    page_of: &[u32],
    graph: &LinkGraph,
    seeds: &[UrlId],
) -> Result<Vec<Option<Placement>>, spool::Error> {
    let mut search = Search {
        graph,
        page_of,
        best: vec![None; slots.len()],
        queue: VecDeque::new(),
    };
    for &seed in seeds {
        if let Some(i) = search.slot(seed)
            && search.best[i].is_none()
        {
            search.best[i] = Some(Placement {
                depth: 0,
                discovery: Discovery::Seed,
                from: seed,
                edge: None,
            });
            search.queue.push_back(i);
        }
    }
    // Sitemap files are not pages: their entries hang off depth 0.
    for from in graph.sources_other_than(|id| search.slot(id).is_some()) {
        for edge in graph.edges_of(from)? {
            search.offer(edge.to, 1, from, Some(edge.index), discovery_of(edge.kind));
        }
    }
    while let Some(i) = search.queue.pop_front() {
        let slot = &slots[i];
        let here = search.best[i].map_or(0, |p| p.depth);
        if let Some(to) = slot.redirect_to {
            search.offer(to, here, slot.id, None, Discovery::Redirect);
        }
        for edge in graph.edges_of(slot.id)? {
            search.offer(
                edge.to,
                here + 1,
                slot.id,
                Some(edge.index),
                discovery_of(edge.kind),
            );
        }
    }
    Ok(search.best)
}

fn discovery_of(kind: LinkKind) -> Discovery {
    if kind == LinkKind::Sitemap {
        Discovery::Sitemap
    } else {
        Discovery::Link
    }
}

/// The 0-1 breadth-first search over pages.
struct Search<'a> {
    graph: &'a LinkGraph,
    page_of: &'a [u32],
    best: Vec<Option<Placement>>,
    queue: VecDeque<usize>,
}

impl Search<'_> {
    fn slot(&self, id: UrlId) -> Option<usize> {
        self.page_of
            .get(id as usize)
            .filter(|&&i| i != NO_PAGE)
            .map(|&i| i as usize)
    }

    /// Relaxes one edge: a redirect (weight 0) goes to the front of the
    /// queue, a link (weight 1) to the back. At equal depth the better kind,
    /// then the smaller referrer URL, wins.
    fn offer(
        &mut self,
        to: UrlId,
        depth: u32,
        from: UrlId,
        edge: Option<u64>,
        discovery: Discovery,
    ) {
        let Some(j) = self.slot(to) else {
            return;
        };
        let current = self.best[j];
        let better = match current {
            Some(p) => {
                (depth, rank(discovery), self.graph.url(from))
                    < (p.depth, rank(p.discovery), self.graph.url(p.from))
            }
            None => true,
        };
        if !better {
            return;
        }
        self.best[j] = Some(Placement {
            depth,
            discovery,
            from,
            edge,
        });
        if current.is_none_or(|p| depth < p.depth) {
            if discovery == Discovery::Redirect {
                self.queue.push_front(j);
            } else {
                self.queue.push_back(j);
            }
        }
    }
}

/// Preference among discoveries at the same depth.
fn rank(discovery: Discovery) -> u8 {
    match discovery {
        Discovery::Seed => 0,
        Discovery::Link => 1,
        Discovery::Sitemap => 2,
        Discovery::Redirect => 3,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::graph::Reference;
    use crate::spool::RecordSpool;
    use model::{Hop, PageRecord};

    type Row = (u32, Discovery, Option<String>, String);

    /// Places `pages` (URL, redirect target) reached through `links`
    /// (from, to, as written, kind), fed to the graph in the order given.
    fn place(
        pages: &[(&str, Option<&str>)],
        links: &[(&str, &str, &str, LinkKind)],
        seeds: &[&str],
    ) -> BTreeMap<String, Row> {
        let dir = std::env::temp_dir();
        let mut graph = LinkGraph::new(&dir).unwrap();
        let mut froms: Vec<&str> = Vec::new();
        for (from, ..) in links {
            if !froms.contains(from) {
                froms.push(from);
            }
        }
        for from in froms {
            let references = links
                .iter()
                .filter(|l| l.0 == from)
                .map(|(_, to, raw, kind)| Reference {
                    to: (*to).to_owned(),
                    kind: *kind,
                    raw: (*raw).to_owned(),
                    detail: None,
                    fragment: raw.split_once('#').map(|(_, f)| f.to_owned()),
                })
                .collect();
            graph.add_page(from, references).unwrap();
        }
        graph.flush().unwrap();
        let mut spool = RecordSpool::new(&dir).unwrap();
        for (url, target) in pages {
            let record = PageRecord {
                url: (*url).to_owned(),
                found_as: (*url).to_owned(),
                depth: 99,
                discovery: Discovery::Redirect,
                found_on: None,
                in_scope: true,
                in_sitemap: false,
                response: Hop {
                    url: (*url).to_owned(),
                    status: Some(if target.is_some() { 301 } else { 200 }),
                    target: target.map(str::to_owned),
                    ..Hop::default()
                },
            };
            let id = graph.intern(url);
            let to = target.map(|t| graph.intern(t));
            spool.push(&record, id, to).unwrap();
        }
        let mut page_of = vec![NO_PAGE; graph.len()];
        for (i, slot) in spool.slots().iter().enumerate() {
            page_of[slot.id as usize] = u32::try_from(i).unwrap();
        }
        let seeds: Vec<UrlId> = seeds.iter().filter_map(|s| graph.id(s)).collect();
        let placed = placements(spool.slots(), &page_of, &graph, &seeds).unwrap();
        spool
            .slots()
            .iter()
            .zip(placed)
            .filter_map(|(slot, p)| {
                let p = p?;
                let url = graph.url(slot.id).to_owned();
                let found_as = p
                    .edge
                    .map_or_else(|| url.clone(), |e| graph.found_as(slot.id, e));
                let found_on =
                    (p.discovery != Discovery::Seed).then(|| graph.url(p.from).to_owned());
                Some((url, (p.depth, p.discovery, found_on, found_as)))
            })
            .collect()
    }

    #[test]
    fn the_same_graph_gives_the_same_answer_in_any_order() {
        let pages = [
            ("http://s/", None),
            ("http://s/b", None),
            ("http://s/a", None),
            ("http://s/c", Some("http://s/d")),
            ("http://s/d", None),
            ("http://s/only-in-sitemap", None),
        ];
        let links = [
            ("http://s/", "http://s/b", "/b", LinkKind::Anchor),
            ("http://s/", "http://s/a", "a#top", LinkKind::Anchor),
            ("http://s/b", "http://s/c", "/c", LinkKind::Anchor),
            ("http://s/a", "http://s/c", "c", LinkKind::Anchor),
            (
                "http://s/sitemap.xml",
                "http://s/only-in-sitemap",
                "http://s/only-in-sitemap",
                LinkKind::Sitemap,
            ),
            (
                "http://s/sitemap.xml",
                "http://s/b",
                "http://s/b",
                LinkKind::Sitemap,
            ),
        ];
        let seeds = ["http://s/"];
        let forward = place(&pages, &links, &seeds);
        let mut reversed_pages = pages;
        reversed_pages.reverse();
        let mut reversed_links = links;
        reversed_links.reverse();
        assert_eq!(forward, place(&reversed_pages, &reversed_links, &seeds));

        let row = |url: &str| forward[url].clone();
        let on = |url: &str| Some(url.to_owned());
        assert_eq!(
            row("http://s/"),
            (0, Discovery::Seed, None, "http://s/".into())
        );
        assert_eq!(
            row("http://s/a"),
            (1, Discovery::Link, on("http://s/"), "http://s/a#top".into())
        );
        assert_eq!(
            row("http://s/b"),
            (1, Discovery::Link, on("http://s/"), "http://s/b".into())
        );
        // Linked from /a and /b at depth 1: the smaller referrer wins.
        assert_eq!(
            row("http://s/c"),
            (2, Discovery::Link, on("http://s/a"), "http://s/c".into())
        );
        // Reached only through /c's redirect: same depth as /c.
        assert_eq!(
            row("http://s/d"),
            (
                2,
                Discovery::Redirect,
                on("http://s/c"),
                "http://s/d".into()
            )
        );
        assert_eq!(
            row("http://s/only-in-sitemap"),
            (
                1,
                Discovery::Sitemap,
                on("http://s/sitemap.xml"),
                "http://s/only-in-sitemap".into()
            )
        );
    }
}
