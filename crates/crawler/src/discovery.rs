//! Deterministic "how was it found": depth, discovery, found-on and found-as
//! recomputed from the whole link graph after the crawl, so two audits of an
//! unchanged site give identical `pages.csv` rows whatever order concurrent
//! fetches finished in.

use std::collections::VecDeque;

use model::{Discovery, LinkKind, PageRecord};
use url::Url;

use crate::graph::{LinkGraph, UrlId};

/// How a page was best reached: kind, referrer, and the edge (none for a
/// redirect or a seed).
type Best = (Discovery, UrlId, Option<usize>);

/// Rewrites `depth`, `discovery`, `found_on` and `found_as` of every page:
/// - depth: shortest link path from a seed (sitemap entries count as linked
///   from depth 0; redirect targets take their source's depth);
/// - discovery: `seed`, else `link` when a page links to it, else `sitemap`,
///   else `redirect`;
/// - found_on: the smallest URL among the referrers of that kind at the
///   minimal depth;
/// - found_as: the URL as that referrer wrote it (with its fragment).
pub(crate) fn finalize(pages: &mut [PageRecord], graph: &mut LinkGraph, seeds: &[String]) {
    let page_ids: Vec<UrlId> = pages.iter().map(|p| graph.intern(&p.url)).collect();
    let mut page_of: Vec<Option<usize>> = vec![None; graph.len()];
    for (i, id) in page_ids.iter().enumerate() {
        page_of[*id as usize] = Some(i);
    }
    // Out-edges by source id: (target, edge index or None for a redirect, kind).
    let mut out: Vec<Vec<(UrlId, Option<usize>, Discovery)>> = vec![Vec::new(); graph.len()];
    for (i, edge) in graph.edges().iter().enumerate() {
        let discovery = if edge.kind == LinkKind::Sitemap {
            Discovery::Sitemap
        } else {
            Discovery::Link
        };
        out[edge.from as usize].push((edge.to, Some(i), discovery));
    }
    for (i, page) in pages.iter().enumerate() {
        if page.response.is_redirect()
            && let Some(target) = page.response.target.as_deref()
            && let Ok(target) = Url::parse(target)
            && let Some(to) = graph.id(model::normalize_url(target).as_str())
        {
            out[page_ids[i] as usize].push((to, None, Discovery::Redirect));
        }
    }
    let mut search = Search {
        graph,
        page_of: &page_of,
        depth: vec![None; pages.len()],
        best: vec![None; pages.len()],
        queue: VecDeque::new(),
    };
    for seed in seeds {
        if let Some(id) = search.graph.id(seed)
            && let Some(i) = page_of[id as usize]
            && search.depth[i].is_none()
        {
            search.depth[i] = Some(0);
            search.best[i] = Some((Discovery::Seed, id, None));
            search.queue.push_back(i);
        }
    }
    // Sitemap files are not pages: their entries hang off depth 0.
    for (from, edges) in out.iter().enumerate() {
        if page_of[from].is_none() {
            for &(to, edge, discovery) in edges {
                search.offer(to, 1, from as UrlId, edge, discovery);
            }
        }
    }
    while let Some(i) = search.queue.pop_front() {
        let from = page_ids[i];
        let here = search.depth[i].unwrap_or(0);
        for &(to, edge, discovery) in &out[from as usize] {
            let next = if discovery == Discovery::Redirect {
                here
            } else {
                here + 1
            };
            search.offer(to, next, from, edge, discovery);
        }
    }
    let Search {
        graph, depth, best, ..
    } = search;
    for (i, page) in pages.iter_mut().enumerate() {
        let (Some(d), Some((discovery, from, edge))) = (depth[i], best[i]) else {
            continue;
        };
        page.depth = d;
        page.discovery = discovery;
        if discovery == Discovery::Seed {
            continue;
        }
        page.found_as = edge.map_or_else(|| page.url.clone(), |e| graph.found_as(e));
        page.found_on = Some(graph.url(from).to_owned());
    }
}

/// The 0-1 breadth-first search over pages.
struct Search<'a> {
    graph: &'a LinkGraph,
    page_of: &'a [Option<usize>],
    depth: Vec<Option<u32>>,
    best: Vec<Option<Best>>,
    queue: VecDeque<usize>,
}

impl Search<'_> {
    /// Relaxes one edge: a redirect (weight 0) goes to the front of the
    /// queue, a link (weight 1) to the back. At equal depth the better kind,
    /// then the smaller referrer URL, wins.
    fn offer(
        &mut self,
        to: UrlId,
        depth: u32,
        from: UrlId,
        edge: Option<usize>,
        discovery: Discovery,
    ) {
        let Some(j) = self.page_of[to as usize] else {
            return;
        };
        let current = self.depth[j];
        let better = match (current, self.best[j]) {
            (Some(d), Some((kind, on, _))) => {
                (depth, rank(discovery), self.graph.url(from)) < (d, rank(kind), self.graph.url(on))
            }
            _ => true,
        };
        if !better {
            return;
        }
        self.depth[j] = Some(depth);
        self.best[j] = Some((discovery, from, edge));
        if current.is_none_or(|d| depth < d) {
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
    use super::*;
    use model::{Hop, Link};

    fn page(url: &str, status: u16, target: Option<&str>) -> PageRecord {
        PageRecord {
            url: url.to_owned(),
            found_as: "whatever".to_owned(),
            depth: 99,
            discovery: Discovery::Redirect,
            found_on: Some("racy".to_owned()),
            in_scope: true,
            in_sitemap: false,
            response: Hop {
                url: url.to_owned(),
                status: Some(status),
                target: target.map(str::to_owned),
                ..Hop::default()
            },
        }
    }

    fn link(from: &str, to: &str, raw: &str, kind: LinkKind) -> Link {
        Link {
            from: from.to_owned(),
            to: to.to_owned(),
            raw: raw.to_owned(),
            kind,
            detail: None,
        }
    }

    #[test]
    fn the_same_graph_gives_the_same_answer_in_any_order() {
        let pages = vec![
            page("http://s/", 200, None),
            page("http://s/b", 200, None),
            page("http://s/a", 200, None),
            page("http://s/c", 301, Some("http://s/d")),
            page("http://s/d", 200, None),
            page("http://s/only-in-sitemap", 200, None),
        ];
        let links = vec![
            link("http://s/", "http://s/b", "/b", LinkKind::Anchor),
            link("http://s/", "http://s/a", "a#top", LinkKind::Anchor),
            link("http://s/b", "http://s/c", "/c", LinkKind::Anchor),
            link("http://s/a", "http://s/c", "c", LinkKind::Anchor),
            link(
                "http://s/sitemap.xml",
                "http://s/only-in-sitemap",
                "http://s/only-in-sitemap",
                LinkKind::Sitemap,
            ),
            link(
                "http://s/sitemap.xml",
                "http://s/b",
                "http://s/b",
                LinkKind::Sitemap,
            ),
        ];
        let seeds = vec!["http://s/".to_owned()];
        let graph_of = |links: Vec<Link>| {
            let mut graph = LinkGraph::default();
            for link in links {
                let fragment = link.raw.split_once('#').map(|(_, f)| f.to_owned());
                graph.add(link, fragment.as_deref());
            }
            graph
        };
        let mut forward = pages.clone();
        finalize(&mut forward, &mut graph_of(links.clone()), &seeds);
        let mut backward: Vec<PageRecord> = pages.into_iter().rev().collect();
        let reversed_links: Vec<Link> = links.into_iter().rev().collect();
        finalize(&mut backward, &mut graph_of(reversed_links), &seeds);
        backward.reverse();
        assert_eq!(forward, backward);

        let row = |url: &str| {
            let p = forward.iter().find(|p| p.url == url).unwrap();
            (p.depth, p.discovery, p.found_on.clone(), p.found_as.clone())
        };
        assert_eq!(
            row("http://s/"),
            (0, Discovery::Seed, Some("racy".into()), "whatever".into())
        );
        assert_eq!(
            row("http://s/a"),
            (
                1,
                Discovery::Link,
                Some("http://s/".into()),
                "http://s/a#top".into()
            )
        );
        assert_eq!(
            row("http://s/b"),
            (
                1,
                Discovery::Link,
                Some("http://s/".into()),
                "http://s/b".into()
            )
        );
        // Linked from /a and /b at depth 1: the smaller referrer wins.
        assert_eq!(
            row("http://s/c"),
            (
                2,
                Discovery::Link,
                Some("http://s/a".into()),
                "http://s/c".into()
            )
        );
        // Reached only through /c's redirect: same depth as /c.
        assert_eq!(
            row("http://s/d"),
            (
                2,
                Discovery::Redirect,
                Some("http://s/c".into()),
                "http://s/d".into()
            )
        );
        assert_eq!(
            row("http://s/only-in-sitemap"),
            (
                1,
                Discovery::Sitemap,
                Some("http://s/sitemap.xml".into()),
                "http://s/only-in-sitemap".into()
            )
        );
    }
}
