//! Page records on disk: written as each fetch finishes, read back by what
//! needs them, and finally rewritten in URL order as the crawl's
//! [`model::Pages`].
//!
//! Records are the bulk of what a crawl learns (a few hundred bytes each,
//! strings mostly); a million of them do not belong in memory. Each is
//! appended to an unnamed temporary file in postcard form; memory keeps a
//! [`Slot`] per record: where it is and the few facts the crawler's own
//! bookkeeping reads (status, redirect target, scope).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

use model::{FetchErrorKind, PageRecord, PageStore};

use crate::graph::UrlId;
use crate::workfile::PositionedReader;

/// Where one record is, and what the crawler needs of it without reading it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Slot {
    offset: u64,
    len: u32,
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
    file: File,
    writer: BufWriter<File>,
    written: u64,
    slots: Vec<Slot>,
}

impl RecordSpool {
    /// An empty spool: an unnamed temporary file in `dir`.
    pub(crate) fn new(dir: &Path) -> io::Result<Self> {
        let (file, writer) = crate::workfile::create(dir)?;
        Ok(Self {
            file,
            writer,
            written: 0,
            slots: Vec::new(),
        })
    }

    /// Appends `record`, the page of URL `id`.
    pub(crate) fn push(
        &mut self,
        record: &PageRecord,
        id: UrlId,
        redirect_to: Option<UrlId>,
    ) -> io::Result<()> {
        let bytes = encode(record)?;
        self.writer.write_all(&bytes)?;
        self.slots.push(Slot {
            offset: self.written,
            len: u32::try_from(bytes.len()).map_err(|_| invalid("a record over 4 GiB"))?,
            id,
            status: record.response.status,
            redirect_to,
            is_redirect: record.response.is_redirect(),
            error: record.response.error.as_ref().map(|e| e.kind),
        });
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Makes every record pushed readable.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    /// One slot per record, in the order pushed.
    pub(crate) fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// Reads a record back. Call [`RecordSpool::flush`] first.
    pub(crate) fn read(&self, slot: &Slot) -> io::Result<PageRecord> {
        let mut bytes = vec![0; slot.len as usize];
        self.file.read_exact_at(&mut bytes, slot.offset)?;
        postcard::from_bytes(&bytes).map_err(|e| invalid(&e.to_string()))
    }
}

/// The final records, in URL order, each behind its length.
pub(crate) struct DiskPages {
    file: File,
    len: usize,
}

/// Writes [`DiskPages`] one record at a time.
pub(crate) struct DiskPagesWriter {
    file: File,
    writer: BufWriter<File>,
    len: usize,
}

impl DiskPagesWriter {
    /// An empty store: an unnamed temporary file in `dir`.
    pub(crate) fn new(dir: &Path) -> io::Result<Self> {
        let (file, writer) = crate::workfile::create(dir)?;
        Ok(Self {
            file,
            writer,
            len: 0,
        })
    }

    /// Appends the next record (the caller keeps URL order).
    pub(crate) fn push(&mut self, record: &PageRecord) -> io::Result<()> {
        let bytes = encode(record)?;
        let len = u32::try_from(bytes.len()).map_err(|_| invalid("a record over 4 GiB"))?;
        self.writer.write_all(&len.to_le_bytes())?;
        self.writer.write_all(&bytes)?;
        self.len += 1;
        Ok(())
    }

    /// The finished store.
    pub(crate) fn finish(mut self) -> io::Result<DiskPages> {
        self.writer.flush()?;
        Ok(DiskPages {
            file: self.file,
            len: self.len,
        })
    }
}

impl PageStore for DiskPages {
    fn len(&self) -> usize {
        self.len
    }

    fn for_each(&self, visit: &mut dyn FnMut(PageRecord) -> bool) {
        // Positioned reads: two threads may read the store at once (reports
        // are written while analysis runs), and a shared file offset would
        // mix their records.
        let mut reader = BufReader::with_capacity(1 << 16, PositionedReader::new(&self.file));
        let mut bytes = Vec::new();
        for _ in 0..self.len {
            let record = read_one(&mut reader, &mut bytes)
                // The file is this process's own, written and flushed
                // moments ago: failing to read it back is not a state the
                // audit can report on, like running out of memory.
                .expect("the crawl's page store is readable");
            if !visit(record) {
                break;
            }
        }
    }
}

fn read_one(reader: &mut impl Read, bytes: &mut Vec<u8>) -> io::Result<PageRecord> {
    let mut len = [0; 4];
    reader.read_exact(&mut len)?;
    bytes.resize(u32::from_le_bytes(len) as usize, 0);
    reader.read_exact(bytes)?;
    postcard::from_bytes(bytes).map_err(|e| invalid(&e.to_string()))
}

fn encode(record: &PageRecord) -> io::Result<Vec<u8>> {
    postcard::to_stdvec(record).map_err(|e| invalid(&e.to_string()))
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("page spool: {what}"))
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
        store.for_each(&mut |r| {
            read.push(r);
            true
        });
        assert_eq!(read, [record("http://s/b"), record("http://s/a")]);
    }
}
