//! The crawl's link graph, kept compact: every URL once, every reference as
//! three numbers.
//!
//! A 20 000-page site has about a million references; as owned `Link`s
//! (three strings each) they were most of a crawl's memory. Only two things
//! need them whole: the rules about references to redirects, and client-side
//! redirects. Everything else (depth, discovery, chain starts, sitemap
//! flags) works on ids.

use std::collections::{HashMap, HashSet};

use model::{Link, LinkKind};

/// A URL's index in [`LinkGraph`].
pub(crate) type UrlId = u32;

/// One reference, from a page (or sitemap file) to a URL.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Edge {
    pub from: UrlId,
    pub to: UrlId,
    pub kind: LinkKind,
}

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

/// Interned URLs and compact edges.
#[derive(Default)]
pub(crate) struct LinkGraph {
    ids: HashMap<Box<str>, UrlId>,
    urls: Vec<Box<str>>,
    edges: Vec<Edge>,
    /// The fragment of the URL as written, for the few edges that have one
    /// (by edge index): `found_as` shows it.
    fragments: HashMap<usize, Box<str>>,
    /// Whole links of every kind but anchors: canonicals, hreflang,
    /// sitemap entries, refreshes and script navigations (a few per page).
    others: Vec<Link>,
}

impl LinkGraph {
    /// The id of `url`, adding it if new.
    pub(crate) fn intern(&mut self, url: &str) -> UrlId {
        if let Some(&id) = self.ids.get(url) {
            return id;
        }
        let id = UrlId::try_from(self.urls.len()).expect("fewer than 4 billion URLs");
        self.urls.push(url.into());
        self.ids.insert(url.into(), id);
        id
    }

    /// The id of `url`, if known.
    pub(crate) fn id(&self, url: &str) -> Option<UrlId> {
        self.ids.get(url).copied()
    }

    /// The URL of `id`.
    pub(crate) fn url(&self, id: UrlId) -> &str {
        &self.urls[id as usize]
    }

    /// Number of URLs known.
    pub(crate) fn len(&self) -> usize {
        self.urls.len()
    }

    /// Adds the references found on page `from`.
    pub(crate) fn add_page(&mut self, from: &str, references: Vec<Reference>) {
        let from_id = self.intern(from);
        for r in references {
            let to = self.intern(&r.to);
            if let Some(fragment) = r.fragment {
                self.fragments.insert(self.edges.len(), fragment.into());
            }
            self.edges.push(Edge {
                from: from_id,
                to,
                kind: r.kind,
            });
            if r.kind != LinkKind::Anchor {
                self.others.push(Link {
                    from: from.to_owned(),
                    to: r.to,
                    raw: r.raw,
                    kind: r.kind,
                    detail: r.detail,
                });
            }
        }
    }

    /// Adds a reference; `fragment` is the fragment of the URL as written.
    pub(crate) fn add(&mut self, link: Link, fragment: Option<&str>) {
        let from = self.intern(&link.from);
        let to = self.intern(&link.to);
        if let Some(fragment) = fragment {
            self.fragments.insert(self.edges.len(), fragment.into());
        }
        self.edges.push(Edge {
            from,
            to,
            kind: link.kind,
        });
        if link.kind != LinkKind::Anchor {
            self.others.push(link);
        }
    }

    /// Every edge, in the order found.
    pub(crate) fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// `url#fragment` as the edge's reference wrote it.
    pub(crate) fn found_as(&self, edge: usize) -> String {
        let to = self.url(self.edges[edge].to);
        match self.fragments.get(&edge) {
            Some(fragment) => format!("{to}#{fragment}"),
            None => to.to_owned(),
        }
    }

    /// The links analysis needs: every non-anchor link, and the anchors that
    /// point at a URL in `redirecting` (one per page and target; `raw` is the
    /// URL as found).
    pub(crate) fn into_links(self, redirecting: &HashSet<&str>) -> Vec<Link> {
        let wanted: HashSet<UrlId> = redirecting.iter().filter_map(|u| self.id(u)).collect();
        let mut seen: HashSet<(UrlId, UrlId)> = HashSet::new();
        let mut links = Vec::with_capacity(self.others.len());
        for (i, edge) in self.edges.iter().enumerate() {
            if edge.kind == LinkKind::Anchor
                && wanted.contains(&edge.to)
                && seen.insert((edge.from, edge.to))
            {
                links.push(Link {
                    from: self.url(edge.from).to_owned(),
                    to: self.url(edge.to).to_owned(),
                    raw: self.found_as(i),
                    kind: LinkKind::Anchor,
                    detail: None,
                });
            }
        }
        links.extend(self.others);
        links
    }
}
