//! Deterministic "how was it found": depth, discovery, found-on and found-as
//! recomputed from the whole link graph after the crawl, so two audits of an
//! unchanged site give identical `pages.csv` rows whatever order concurrent
//! fetches finished in.

use std::collections::{HashMap, VecDeque};

use model::{Discovery, Link, LinkKind, PageRecord};
use url::Url;

/// Rewrites `depth`, `discovery`, `found_on` and `found_as` of every page:
/// - depth: shortest link path from a seed (sitemap entries count as linked
///   from depth 0; redirect targets take their source's depth);
/// - discovery: `seed`, else `link` when a page links to it, else `sitemap`,
///   else `redirect`;
/// - found_on: the smallest URL among the referrers of that kind at the
///   minimal depth;
/// - found_as: the reference as written on that referrer, resolved.
pub(crate) fn finalize(pages: &mut [PageRecord], links: &[Link], seeds: &[String]) {
    let index: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.as_str(), i))
        .collect();
    let mut depth: Vec<Option<u32>> = vec![None; pages.len()];
    // Best referrer per page: (discovery rank, referrer, raw reference).
    let mut best: Vec<Option<(Discovery, String, String)>> = vec![None; pages.len()];
    let mut queue = VecDeque::new();
    for seed in seeds {
        if let Some(&i) = index.get(seed.as_str())
            && depth[i].is_none()
        {
            depth[i] = Some(0);
            best[i] = Some((Discovery::Seed, String::new(), String::new()));
            queue.push_back(i);
        }
    }
    let mut out_edges: HashMap<&str, Vec<(&str, &str, Discovery)>> = HashMap::new();
    for link in links {
        let discovery = if link.kind == LinkKind::Sitemap {
            Discovery::Sitemap
        } else {
            Discovery::Link
        };
        out_edges.entry(link.from.as_str()).or_default().push((
            link.to.as_str(),
            link.raw.as_str(),
            discovery,
        ));
    }
    for page in pages.iter() {
        if page.response.is_redirect()
            && let Some(target) = page.response.target.as_deref()
            && let Ok(target) = Url::parse(target)
        {
            let to = model::normalize_url(target).to_string();
            if let Some(&j) = index.get(to.as_str()) {
                out_edges.entry(page.url.as_str()).or_default().push((
                    pages[j].url.as_str(),
                    "",
                    Discovery::Redirect,
                ));
            }
        }
    }
    // Sitemap files are not pages: their entries hang off depth 0.
    for (from, edges) in &out_edges {
        if index.contains_key(from) {
            continue;
        }
        for (to, raw, discovery) in edges {
            offer(
                &index, &mut depth, &mut best, &mut queue, to, 1, from, raw, *discovery,
            );
        }
    }
    while let Some(i) = queue.pop_front() {
        let from = pages[i].url.as_str();
        let Some(edges) = out_edges.get(from) else {
            continue;
        };
        let here = depth[i].unwrap_or(0);
        for (to, raw, discovery) in edges {
            let next = if *discovery == Discovery::Redirect {
                here
            } else {
                here + 1
            };
            offer(
                &index, &mut depth, &mut best, &mut queue, to, next, from, raw, *discovery,
            );
        }
    }
    for (i, page) in pages.iter_mut().enumerate() {
        let (Some(d), Some((discovery, from, raw))) = (depth[i], best[i].take()) else {
            continue;
        };
        page.depth = d;
        page.discovery = discovery;
        if discovery == Discovery::Seed {
            continue;
        }
        page.found_as = Url::parse(&from)
            .ok()
            .and_then(|base| base.join(&raw).ok())
            .filter(|_| !raw.is_empty())
            .map_or_else(|| page.url.clone(), String::from);
        page.found_on = Some(from);
    }
}

/// Relaxes one edge of the 0-1 BFS: a redirect (weight 0) goes to the
/// front of the queue, a link (weight 1) to the back. At equal depth the
/// better kind, then the smaller referrer, wins.
#[expect(
    clippy::too_many_arguments,
    reason = "one BFS step over parallel arrays"
)]
fn offer(
    index: &HashMap<&str, usize>,
    depth: &mut [Option<u32>],
    best: &mut [Option<(Discovery, String, String)>],
    queue: &mut VecDeque<usize>,
    to: &str,
    candidate_depth: u32,
    from: &str,
    raw: &str,
    discovery: Discovery,
) {
    let Some(&j) = index.get(to) else { return };
    let current = depth[j];
    let better = match (current, &best[j]) {
        (Some(d), Some((kind, on, _))) => {
            (candidate_depth, rank(discovery), from) < (d, rank(*kind), on.as_str())
        }
        _ => true,
    };
    if !better {
        return;
    }
    depth[j] = Some(candidate_depth);
    best[j] = Some((discovery, from.to_owned(), raw.to_owned()));
    if current.is_none_or(|d| candidate_depth < d) {
        if discovery == Discovery::Redirect {
            queue.push_front(j);
        } else {
            queue.push_back(j);
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
    use model::Hop;

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
        let mut forward = pages.clone();
        finalize(&mut forward, &links, &seeds);
        let mut backward: Vec<PageRecord> = pages.into_iter().rev().collect();
        let reversed_links: Vec<Link> = links.into_iter().rev().collect();
        finalize(&mut backward, &reversed_links, &seeds);
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
