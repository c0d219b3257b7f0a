//! The page records of one crawl: in memory for small crawls and tests, or
//! in a store the crawler keeps on disk so a million-URL crawl does not hold
//! a million records in memory.

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::sync::{Arc, OnceLock};

use crate::PageRecord;

/// A [`PageStore`] that could not read its records back: its file was cut
/// short or changed, or the disk failed. A failure of the audit itself, not
/// of a URL. Plain data (a message and the I/O error kind), so that every
/// copy of a [`Pages`] can report the same failure.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PageStoreError {
    kind: io::ErrorKind,
    message: String,
}

impl PageStoreError {
    /// A failure of kind `kind` (`InvalidData` for a file whose content is
    /// wrong), described by `message`, which names what could not be read
    /// and why.
    pub fn new(kind: io::ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// The kind of I/O failure.
    pub fn kind(&self) -> io::ErrorKind {
        self.kind
    }
}

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
    /// one record at a time. An error when a record cannot be read back;
    /// the records before it were visited.
    fn for_each(&self, visit: &mut dyn FnMut(PageRecord) -> bool) -> Result<(), PageStoreError>;
}

/// The page records of a crawl: one per URL fetched or deliberately not
/// fetched.
///
/// Reading stored records can fail. The `try_` methods return the error;
/// the others (what analysis uses: it stays pure and infallible) stop at it
/// and keep it, and [`Pages::check`] returns it afterwards. Whoever acts on
/// what was read (the binary, before writing findings and history) checks.
#[derive(Clone, Default)]
pub struct Pages {
    source: Source,
}

#[derive(Clone)]
enum Source {
    Memory(Vec<PageRecord>),
    /// The store and the first failure to read it, shared by every copy.
    Stored(Arc<dyn PageStore>, Arc<OnceLock<PageStoreError>>),
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
            source: Source::Stored(store, Arc::default()),
        }
    }

    /// The first failure to read the stored records back, if any read
    /// failed: reads that stopped at it left their work unfinished.
    pub fn check(&self) -> Result<(), PageStoreError> {
        match &self.source {
            Source::Stored(_, failure) => failure.get().map_or(Ok(()), |e| Err(e.clone())),
            Source::Memory(_) => Ok(()),
        }
    }

    /// Like [`Pages::for_each`], but a failure to read the store is
    /// returned (and kept for [`Pages::check`]).
    pub fn try_for_each<'a>(
        &'a self,
        mut visit: impl FnMut(Cow<'a, PageRecord>) -> bool,
    ) -> Result<(), PageStoreError> {
        match &self.source {
            Source::Memory(pages) => {
                for page in pages {
                    if !visit(Cow::Borrowed(page)) {
                        break;
                    }
                }
                Ok(())
            }
            Source::Stored(store, failure) => store
                .for_each(&mut |page| visit(Cow::Owned(page)))
                .inspect_err(|e| {
                    let _ = failure.set(e.clone());
                }),
        }
    }

    /// Like [`Pages::for_each_sorted`], but a failure to read the store is
    /// returned (and kept for [`Pages::check`]).
    pub fn try_for_each_sorted<'a>(
        &'a self,
        mut visit: impl FnMut(Cow<'a, PageRecord>) -> bool,
    ) -> Result<(), PageStoreError> {
        match &self.source {
            Source::Memory(pages) => {
                let mut sorted: Vec<&PageRecord> = pages.iter().collect();
                sorted.sort_by(|a, b| a.url.cmp(&b.url));
                for page in sorted {
                    if !visit(Cow::Borrowed(page)) {
                        break;
                    }
                }
                Ok(())
            }
            // A store holds its records in URL order already.
            Source::Stored(..) => self.try_for_each(visit),
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        match &self.source {
            Source::Memory(pages) => pages.len(),
            Source::Stored(store, _) => store.len(),
        }
    }

    /// `true` when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Visits every record (in memory: in the order given; stored: in URL
    /// order), stopping early when `visit` returns `false`. Records are
    /// borrowed when in memory and read one at a time when stored, so a
    /// pass over a million records keeps one in memory at a time. A store
    /// that cannot be read stops the pass early: see [`Pages::check`].
    pub fn for_each<'a>(&'a self, visit: impl FnMut(Cow<'a, PageRecord>) -> bool) {
        // Kept for `check`.
        let _ = self.try_for_each(visit);
    }

    /// Visits every record in URL order (records in memory with equal URLs
    /// keep their order): the order of `pages.csv`. A store that cannot be
    /// read stops the pass early: see [`Pages::check`].
    pub fn for_each_sorted<'a>(&'a self, visit: impl FnMut(Cow<'a, PageRecord>) -> bool) {
        // Kept for `check`.
        let _ = self.try_for_each_sorted(visit);
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
        if let Source::Stored(..) = self.source {
            self.source = Source::Memory(self.to_vec());
        }
        match &mut self.source {
            Source::Memory(pages) => pages,
            Source::Stored(..) => unreachable!("converted above"),
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
            Source::Stored(store, _) => write!(f, "Pages(stored, {} records)", store.len()),
        }
    }
}

impl serde::Serialize for Pages {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        let mut result = Ok(());
        self.try_for_each(|page| {
            result = seq.serialize_element(page.as_ref());
            result.is_ok()
        })
        .map_err(serde::ser::Error::custom)?;
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
        fn for_each(
            &self,
            visit: &mut dyn FnMut(PageRecord) -> bool,
        ) -> Result<(), PageStoreError> {
            for page in &self.0 {
                if !visit(page.clone()) {
                    break;
                }
            }
            Ok(())
        }
    }

    /// A store whose file breaks after `good` records.
    struct BrokenStore {
        good: usize,
    }

    impl PageStore for BrokenStore {
        fn len(&self) -> usize {
            self.good + 1
        }
        fn for_each(
            &self,
            visit: &mut dyn FnMut(PageRecord) -> bool,
        ) -> Result<(), PageStoreError> {
            for i in 0..self.good {
                if !visit(page(&format!("http://s/{i}"))) {
                    return Ok(());
                }
            }
            Err(PageStoreError::new(
                io::ErrorKind::UnexpectedEof,
                "the page records end early",
            ))
        }
    }

    #[test]
    fn a_store_that_cannot_be_read_is_an_error_every_copy_reports() {
        let pages = Pages::stored(Arc::new(BrokenStore { good: 2 }));
        let copy = pages.clone();
        assert_eq!(pages.check(), Ok(()), "nothing read yet");
        let mut seen = 0;
        let error = pages
            .try_for_each_sorted(|_| {
                seen += 1;
                true
            })
            .unwrap_err();
        assert_eq!(seen, 2);
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        assert_eq!(copy.check(), Err(error.clone()));

        // The infallible reads (analysis) stop at the error and keep it.
        let later = Pages::stored(Arc::new(BrokenStore { good: 3 }));
        assert_eq!(later.collect_where(|_| true).len(), 3);
        assert_eq!(
            later.check().unwrap_err().to_string(),
            "the page records end early"
        );
        assert!(serde_json::to_string(&later).is_err());
        // Stopping before the broken part is no failure.
        let early = Pages::stored(Arc::new(BrokenStore { good: 3 }));
        assert!(early.find("http://s/0").is_some());
        assert_eq!(early.check(), Ok(()));
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
