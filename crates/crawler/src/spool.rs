//! Page records on disk: written as each fetch finishes, read back by what
//! needs them, and finally rewritten in URL order as the crawl's
//! [`model::Pages`].
//!
//! Records are the bulk of what a crawl learns (a few hundred bytes each,
//! strings mostly); a million of them do not belong in memory. Each is
//! appended to an unnamed temporary file in postcard form; memory keeps a
//! [`Slot`] per record: where it is and the few facts the crawler's own
//! bookkeeping reads (status, redirect target, scope).

use std::path::Path;

use model::{FetchErrorKind, PageRecord, PageStore, PageStoreError};
use spool::{Position, Spool};

use crate::graph::UrlId;

/// Where one record is, and what the crawler needs of it without reading it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    at: Position,
    /// The record's URL.
    pub id: UrlId,
    /// The status code, if a response came.
    pub status: Option<u16>,
    /// For a redirect, the URL its target normalises to (when known).
    pub redirect_to: Option<UrlId>,
    /// Whether the response was a redirect.
    pub is_redirect: bool,
    /// The failure, if any.
    pub error: Option<FetchErrorKind>,
}

/// Records in the order their fetches finished.
pub(crate) struct RecordSpool {
    records: Spool<PageRecord>,
    slots: Vec<Slot>,
}

impl RecordSpool {
    /// An empty spool: an unnamed temporary file in `dir`.
    pub(crate) fn new(dir: &Path) -> Result<Self, spool::Error> {
        Ok(Self {
            records: Spool::new_in(dir)?,
            slots: Vec::new(),
        })
    }

    /// Appends `record`, the page of URL `id`.
    pub(crate) fn push(
        &mut self,
        record: &PageRecord,
        id: UrlId,
        redirect_to: Option<UrlId>,
    ) -> Result<(), spool::Error> {
        let at = self.records.push(record)?;
        self.slots.push(Slot {
            at,
            id,
            status: record.response.status,
            redirect_to,
            is_redirect: record.response.is_redirect(),
            error: record.response.error.as_ref().map(|e| e.kind),
        });
        Ok(())
    }

    /// Makes every record pushed readable.
    pub(crate) fn flush(&mut self) -> Result<(), spool::Error> {
        self.records.flush()
    }

    /// One slot per record, in the order pushed.
    pub(crate) fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// Reads a record back. Call [`RecordSpool::flush`] first.
    pub(crate) fn read(&self, slot: &Slot) -> Result<PageRecord, spool::Error> {
        self.records.read(slot.at)
    }
}

/// The final records, in URL order: the crawl's [`PageStore`].
pub(crate) struct DiskPages {
    records: Spool<PageRecord>,
}

/// Writes [`DiskPages`] one record at a time.
pub(crate) struct DiskPagesWriter {
    records: Spool<PageRecord>,
}

impl DiskPagesWriter {
    /// An empty store: an unnamed temporary file in `dir`.
    pub(crate) fn new(dir: &Path) -> Result<Self, spool::Error> {
        Ok(Self {
            records: Spool::new_in(dir)?,
        })
    }

    /// Appends the next record (the caller keeps URL order).
    pub(crate) fn push(&mut self, record: &PageRecord) -> Result<(), spool::Error> {
        self.records.push(record).map(drop)
    }

    /// The finished store.
    pub(crate) fn finish(mut self) -> Result<DiskPages, spool::Error> {
        self.records.flush()?;
        Ok(DiskPages {
            records: self.records,
        })
    }
}

impl PageStore for DiskPages {
    fn len(&self) -> usize {
        usize::try_from(self.records.len()).unwrap_or(usize::MAX)
    }

    fn for_each(&self, visit: &mut dyn FnMut(PageRecord) -> bool) -> Result<(), PageStoreError> {
        // Positioned reads (see `spool`): two threads may read the store at
        // once (reports are written while analysis runs).
        for record in self.records.iter() {
            // A `PageStoreError` is plain data and keeps the message only,
            // so the sources go into it.
            let record = record.map_err(|error| {
                PageStoreError::new(
                    error.io_kind(),
                    format!(
                        "cannot read the crawl's page records back: {}",
                        crate::error::chain(&error)
                    ),
                )
            })?;
            if !visit(record) {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Discovery, FetchError, Hop, RawValue};

    fn record(url: &str) -> PageRecord {
        PageRecord {
            url: url.to_owned(),
            found_as: format!("{url}#x"),
            depth: 3,
            discovery: Discovery::Sitemap,
            found_on: Some("http://s/sitemap.xml".to_owned()),
            in_scope: true,
            in_sitemap: true,
            response: Hop {
                url: url.to_owned(),
                status: Some(302),
                locations: vec![RawValue::new(&b"/caf\xe9"[..]), RawValue::from("/b")],
                target: Some("http://s/caf%E9".to_owned()),
                refresh: Some(RawValue::from("0; url=/x")),
                cache_control: Some("max-age=60".to_owned()),
                expires: None,
                content_type: Some("text/html".to_owned()),
                elapsed_ms: 12,
                attempts: 2,
                error: Some(FetchError::new(FetchErrorKind::Protocol, "broken chunk")),
            },
        }
    }

    #[test]
    fn records_come_back_byte_for_byte() {
        let dir = std::env::temp_dir();
        let mut spool = RecordSpool::new(&dir).unwrap();
        spool.push(&record("http://s/b"), 1, Some(2)).unwrap();
        spool.push(&record("http://s/a"), 0, None).unwrap();
        spool.flush().unwrap();
        let slots = spool.slots().to_vec();
        assert_eq!(spool.read(&slots[1]).unwrap(), record("http://s/a"));
        assert_eq!(spool.read(&slots[0]).unwrap(), record("http://s/b"));
        assert_eq!(slots[0].redirect_to, Some(2));
        assert!(slots[0].is_redirect);
        assert_eq!(slots[0].error, Some(FetchErrorKind::Protocol));

        let mut writer = DiskPagesWriter::new(&dir).unwrap();
        for slot in &slots {
            writer.push(&spool.read(slot).unwrap()).unwrap();
        }
        let store = writer.finish().unwrap();
        let mut read = Vec::new();
        store
            .for_each(&mut |r| {
                read.push(r);
                true
            })
            .unwrap();
        assert_eq!(read, [record("http://s/b"), record("http://s/a")]);
    }

    /// Regression: a page store whose file could not be read back panicked
    /// ("the crawl's page store is readable"); it is now an error the audit
    /// reports.
    #[test]
    fn a_page_store_cut_short_is_an_error_not_a_panic() {
        let dir = std::env::temp_dir();
        let mut writer = DiskPagesWriter::new(&dir).unwrap();
        for url in ["http://s/a", "http://s/b", "http://s/c"] {
            writer.push(&record(url)).unwrap();
        }
        let store = writer.finish().unwrap();
        let file = store.records.file_for_tests();
        file.set_len(file.metadata().unwrap().len() - 5).unwrap();

        let pages = model::Pages::stored(std::sync::Arc::new(store));
        let mut read = Vec::new();
        let error = pages
            .try_for_each(|r| {
                read.push(r.url.clone());
                true
            })
            .unwrap_err();
        assert_eq!(read, ["http://s/a", "http://s/b"]);
        assert_eq!(error.kind(), std::io::ErrorKind::UnexpectedEof);
        assert!(
            error
                .to_string()
                .starts_with("cannot read the crawl's page records back: a working file ends inside the record at byte "),
            "{error}"
        );
        // What analysis reads stops there, and the failure is kept.
        assert_eq!(pages.to_vec().len(), 2);
        assert_eq!(pages.check(), Err(error));
    }
}
