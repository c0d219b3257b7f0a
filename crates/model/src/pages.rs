//! The page records of one crawl: in memory for small crawls and tests, or
//! in a store the crawler keeps on disk so a million-URL crawl does not hold
//! a million records in memory.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::PageRecord;

/// Records kept outside memory (the crawler's spool file). Implementations
/// hold them in URL order.
pub trait PageStore: Send + Sync {
    /// Number of records.
    fn len(&self) -> usize;

    /// `true` when there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Visits every record in URL order, stopping early when `visit` returns
    /// `false`. A store reads its own file sequentially, much faster than
    /// one record at a time.
    fn for_each(&self, visit: &mut dyn FnMut(PageRecord) -> bool);
}

/// The page records of a crawl: one per URL fetched or deliberately not
/// fetched.
#[derive(Clone, Default)]
pub struct Pages {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Memory(Vec<PageRecord>),
    Stored(Arc<dyn PageStore>),
}

impl Default for Source {
    fn default() -> Self {
        Self::Memory(Vec::new())
    }
}

impl Pages {
    /// Records held by a [`PageStore`].
    pub fn stored(store: Arc<dyn PageStore>) -> Self {
        Self {
            source: Source::Stored(store),
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        match &self.source {
            Source::Memory(pages) => pages.len(),
            Source::Stored(store) => store.len(),
        }
    }

    /// `true` when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Visits every record (in memory: in the order given; stored: in URL
    /// order), stopping early when `visit` returns `false`. Records are
    /// borrowed when in memory and read one at a time when stored, so a
    /// pass over a million records keeps one in memory at a time.
    pub fn for_each<'a>(&'a self, mut visit: impl FnMut(Cow<'a, PageRecord>) -> bool) {
        match &self.source {
            Source::Memory(pages) => {
                for page in pages {
                    if !visit(Cow::Borrowed(page)) {
                        break;
                    }
                }
            }
            Source::Stored(store) => store.for_each(&mut |page| visit(Cow::Owned(page))),
        }
    }

    /// Visits every record in URL order (records in memory with equal URLs
    /// keep their order): the order of `pages.csv`.
    pub fn for_each_sorted<'a>(&'a self, mut visit: impl FnMut(Cow<'a, PageRecord>) -> bool) {
        match &self.source {
            Source::Memory(pages) => {
                let mut sorted: Vec<&PageRecord> = pages.iter().collect();
                sorted.sort_by(|a, b| a.url.cmp(&b.url));
                for page in sorted {
                    if !visit(Cow::Borrowed(page)) {
                        break;
                    }
                }
            }
            Source::Stored(store) => store.for_each(&mut |page| visit(Cow::Owned(page))),
        }
    }

    /// The records matching `keep`, owned: how analysis takes the few it
    /// needs (redirects, failures, referenced URLs) out of a large crawl.
    pub fn collect_where(&self, mut keep: impl FnMut(&PageRecord) -> bool) -> Vec<PageRecord> {
        let mut kept = Vec::new();
        self.for_each(|page| {
            if keep(&page) {
                kept.push(page.into_owned());
            }
            true
        });
        kept
    }

    /// The record of a normalised URL, if it was fetched (a linear scan).
    pub fn find(&self, url: &str) -> Option<PageRecord> {
        let mut found = None;
        self.for_each(|page| {
            if page.url == url {
                found = Some(page.into_owned());
                return false;
            }
            true
        });
        found
    }

    /// Every record, owned (in memory: in the order given).
    pub fn to_vec(&self) -> Vec<PageRecord> {
        self.collect_where(|_| true)
    }

    /// The records in memory, for tests and tools that edit a crawl; a
    /// stored crawl is read into memory first.
    pub fn make_mut(&mut self) -> &mut Vec<PageRecord> {
        if let Source::Stored(_) = self.source {
            self.source = Source::Memory(self.to_vec());
        }
        match &mut self.source {
            Source::Memory(pages) => pages,
            Source::Stored(_) => unreachable!("converted above"),
        }
    }
}

impl From<Vec<PageRecord>> for Pages {
    fn from(pages: Vec<PageRecord>) -> Self {
        Self {
            source: Source::Memory(pages),
        }
    }
}

impl PartialEq for Pages {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.to_vec() == other.to_vec()
    }
}

impl Eq for Pages {}

impl fmt::Debug for Pages {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Memory(pages) => f.debug_list().entries(pages).finish(),
            Source::Stored(store) => write!(f, "Pages(stored, {} records)", store.len()),
        }
    }
}

impl serde::Serialize for Pages {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        let mut result = Ok(());
        self.for_each(|page| {
            result = seq.serialize_element(page.as_ref());
            result.is_ok()
        });
        result?;
        seq.end()
    }
}

impl<'de> serde::Deserialize<'de> for Pages {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<PageRecord>::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Discovery, Hop};

    fn page(url: &str) -> PageRecord {
        PageRecord {
            url: url.to_owned(),
            found_as: url.to_owned(),
            depth: 0,
            discovery: Discovery::Seed,
            found_on: None,
            in_scope: true,
            in_sitemap: false,
            response: Hop::default(),
        }
    }

    /// A store that serves its records from a vector, as a disk store would
    /// from its file.
    struct VecStore(Vec<PageRecord>);

    impl PageStore for VecStore {
        fn len(&self) -> usize {
            self.0.len()
        }
        fn for_each(&self, visit: &mut dyn FnMut(PageRecord) -> bool) {
            for page in &self.0 {
                if !visit(page.clone()) {
                    break;
                }
            }
        }
    }

    #[test]
    fn memory_and_stored_pages_read_alike() {
        let memory = Pages::from(vec![page("http://s/b"), page("http://s/a")]);
        let stored = Pages::stored(Arc::new(VecStore(vec![
            page("http://s/a"),
            page("http://s/b"),
        ])));
        let sorted = |pages: &Pages| {
            let mut urls = Vec::new();
            pages.for_each_sorted(|p| {
                urls.push(p.url.clone());
                true
            });
            urls
        };
        assert_eq!(sorted(&memory), ["http://s/a", "http://s/b"]);
        assert_eq!(sorted(&memory), sorted(&stored));
        assert_eq!(stored.find("http://s/b"), Some(page("http://s/b")));
        assert_eq!(memory.find("http://s/c"), None);
        assert_eq!(stored.collect_where(|p| p.url.ends_with('a')).len(), 1);
        let mut edited = stored.clone();
        edited.make_mut().clear();
        assert!(edited.is_empty());
        assert_eq!(stored.len(), 2, "editing a copy leaves the store alone");
    }
}
