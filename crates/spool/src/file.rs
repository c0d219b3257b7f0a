//! One working file of records of one type.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::marker::PhantomData;
use std::os::unix::fs::FileExt;
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::varint::{self, Prefix};

/// Buffer size of the writer and of sequential readers: large enough that a
/// crawl's many small records cost few system calls.
const BUFFER: usize = 1 << 16;

/// Where one record is: what [`Spool::read`] needs to read it back with one
/// positioned read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// The offset of its length prefix.
    pub offset: u64,
    /// Its length, prefix included.
    pub len: u32,
}

/// An append-only file of `T` records in an unnamed temporary file.
///
/// Records are appended through a buffer; call [`Spool::flush`] before
/// reading back what was pushed since the last flush.
pub struct Spool<T> {
    /// Read by position, so reads never move the writer's offset.
    file: File,
    writer: BufWriter<File>,
    /// Bytes appended so far (the end of the file once flushed).
    written: u64,
    records: u64,
    /// The last record's encoding, reused: one allocation per file, not per
    /// record.
    scratch: Vec<u8>,
    _record: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for Spool<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spool")
            .field("records", &self.records)
            .field("bytes", &self.written)
            .finish_non_exhaustive()
    }
}

impl<T: Serialize + DeserializeOwned> Spool<T> {
    /// An empty spool: an unnamed temporary file in `dir`, removed by the
    /// system when it is dropped or the process ends, however it ends.
    pub fn new_in(dir: &Path) -> Result<Self, Error> {
        let create = |source| Error::Create {
            dir: dir.to_path_buf(),
            source,
        };
        let file = tempfile::tempfile_in(dir).map_err(create)?;
        let writer = BufWriter::with_capacity(BUFFER, file.try_clone().map_err(create)?);
        Ok(Self {
            file,
            writer,
            written: 0,
            records: 0,
            scratch: Vec::new(),
            _record: PhantomData,
        })
    }

    /// Appends `record`; returns where it is.
    pub fn push(&mut self, record: &T) -> Result<Position, Error> {
        let mut bytes = std::mem::take(&mut self.scratch);
        bytes.clear();
        let bytes = postcard::to_extend(record, bytes).map_err(Error::Encode)?;
        let len = u32::try_from(bytes.len()).map_err(|_| Error::TooLarge { len: bytes.len() })?;
        let (prefix, prefix_len) = varint::put(len);
        self.writer
            .write_all(&prefix[..prefix_len])
            .and_then(|()| self.writer.write_all(&bytes))
            .map_err(Error::Write)?;
        let total = prefix_len as u64 + u64::from(len);
        let position = Position {
            offset: self.written,
            len: u32::try_from(total).map_err(|_| Error::TooLarge { len: bytes.len() })?,
        };
        self.written += total;
        self.records += 1;
        self.scratch = bytes;
        Ok(position)
    }

    /// Makes every record pushed readable.
    pub fn flush(&mut self) -> Result<(), Error> {
        self.writer.flush().map_err(Error::Write)
    }

    /// Records pushed.
    pub fn len(&self) -> u64 {
        self.records
    }

    /// `true` when none was pushed.
    pub fn is_empty(&self) -> bool {
        self.records == 0
    }

    /// The offset the next record will have: every record before it can be
    /// read from [`Spool::records_from`] up to here.
    pub fn end(&self) -> u64 {
        self.written
    }

    /// Reads back the record at `at` with one positioned read. Call
    /// [`Spool::flush`] first.
    pub fn read(&self, at: Position) -> Result<T, Error> {
        let offset = at.offset;
        let mut bytes = vec![0; at.len as usize];
        self.file
            .read_exact_at(&mut bytes, offset)
            .map_err(|source| read_error(offset, source))?;
        match varint::get(&bytes) {
            Prefix::Len { len, prefix } if prefix + len as usize == bytes.len() => {
                decode(&bytes[prefix..], offset)
            }
            _ => Err(Error::Corrupt { offset }),
        }
    }

    /// The records from `offset` (a record's start, 0 for all) to the end
    /// as it is now, in order, read sequentially through a buffer. Call
    /// [`Spool::flush`] first.
    pub fn records_from(&self, offset: u64) -> Records<'_, T> {
        self.records_between(offset, self.written)
    }

    /// The records from `start` to `end` (both a record's start or the end
    /// of the file), in order: a block of records written together is read
    /// with one positioned read of its size. Call [`Spool::flush`] first.
    pub fn records_between(&self, start: u64, end: u64) -> Records<'_, T> {
        let size = usize::try_from(end.saturating_sub(start)).unwrap_or(BUFFER);
        Records {
            reader: BufReader::with_capacity(
                size.clamp(1, BUFFER),
                PositionedReader {
                    file: &self.file,
                    pos: start,
                },
            ),
            offset: start,
            end,
            bytes: Vec::new(),
            _record: PhantomData,
        }
    }

    /// Every record, in the order pushed. Call [`Spool::flush`] first.
    pub fn iter(&self) -> Records<'_, T> {
        self.records_from(0)
    }

    /// The file itself, for tests that damage it to check errors surface.
    #[doc(hidden)]
    pub fn file_for_tests(&self) -> &File {
        &self.file
    }
}

/// Records read in order from a [`Spool`], each a `Result`: reading stops
/// being useful at the first error.
pub struct Records<'a, T> {
    reader: BufReader<PositionedReader<'a>>,
    /// Where the next record starts.
    offset: u64,
    /// Where the records end.
    end: u64,
    /// Reused for every record's bytes.
    bytes: Vec<u8>,
    _record: PhantomData<fn() -> T>,
}

impl<T> Records<'_, T> {
    /// Where the next record starts: give it to [`Spool::records_from`] to
    /// go on later from here.
    pub fn offset(&self) -> u64 {
        self.offset
    }
}

impl<T: DeserializeOwned> Records<'_, T> {
    fn read_next(&mut self) -> Result<T, Error> {
        let offset = self.offset;
        let mut prefix = [0u8; varint::MAX_LEN];
        let mut filled = 0;
        let (len, prefix_len) = loop {
            let mut byte = [0u8];
            if let Err(source) = self.reader.read_exact(&mut byte) {
                return Err(read_error(offset, source));
            }
            prefix[filled] = byte[0];
            filled += 1;
            match varint::get(&prefix[..filled]) {
                Prefix::Len { len, prefix } => break (len, prefix),
                Prefix::Short => {}
                Prefix::Invalid => return Err(Error::Corrupt { offset }),
            }
        };
        let total = prefix_len as u64 + u64::from(len);
        if offset + total > self.end {
            return Err(Error::Corrupt { offset });
        }
        self.bytes.resize(len as usize, 0);
        self.reader
            .read_exact(&mut self.bytes)
            .map_err(|source| read_error(offset, source))?;
        self.offset += total;
        decode(&self.bytes, offset)
    }
}

impl<T: DeserializeOwned> Iterator for Records<'_, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.offset >= self.end {
            return None;
        }
        let next = self.read_next();
        if next.is_err() {
            // One error, then the end: the position is unknown past it.
            self.offset = self.end;
        }
        Some(next)
    }
}

fn decode<T: DeserializeOwned>(bytes: &[u8], offset: u64) -> Result<T, Error> {
    postcard::from_bytes(bytes).map_err(|source| Error::Decode { offset, source })
}

/// A file that ends before the record does was cut short: say so rather
/// than "unexpected end of file".
fn read_error(offset: u64, source: io::Error) -> Error {
    if source.kind() == io::ErrorKind::UnexpectedEof {
        Error::Truncated { offset }
    } else {
        Error::Read { offset, source }
    }
}

/// Reads a file from a position with positioned reads.
struct PositionedReader<'a> {
    file: &'a File,
    pos: u64,
}

impl Read for PositionedReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spool_of(records: &[(u32, String)]) -> (Spool<(u32, String)>, Vec<Position>) {
        let mut spool = Spool::new_in(&std::env::temp_dir()).unwrap();
        let positions = records.iter().map(|r| spool.push(r).unwrap()).collect();
        spool.flush().unwrap();
        (spool, positions)
    }

    fn records() -> Vec<(u32, String)> {
        // Lengths on both sides of the one-byte prefix limit (127).
        (0..300).map(|i| (i, "x".repeat(i as usize))).collect()
    }

    #[test]
    fn records_come_back_in_order_and_by_position() {
        let records = records();
        let (spool, positions) = spool_of(&records);
        assert_eq!(spool.len(), 300);
        let read: Vec<_> = spool.iter().map(Result::unwrap).collect();
        assert_eq!(read, records);
        assert_eq!(spool.read(positions[200]).unwrap(), records[200]);
        assert_eq!(spool.read(positions[3]).unwrap(), records[3]);
        let mut rest = spool.records_from(positions[298].offset);
        assert_eq!(rest.next().unwrap().unwrap(), records[298]);
        assert_eq!(rest.offset(), positions[299].offset);
        assert_eq!(rest.next().unwrap().unwrap(), records[299]);
        assert!(rest.next().is_none());
        assert_eq!(rest.offset(), spool.end());
        let block: Vec<_> = spool
            .records_between(positions[5].offset, positions[8].offset)
            .map(Result::unwrap)
            .collect();
        assert_eq!(block, records[5..8]);
    }

    #[test]
    fn reading_goes_on_while_records_are_appended() {
        let mut spool: Spool<String> = Spool::new_in(&std::env::temp_dir()).unwrap();
        spool.push(&"a".to_owned()).unwrap();
        spool.flush().unwrap();
        let mut first = spool.iter();
        assert_eq!(first.next().unwrap().unwrap(), "a");
        let resume = first.offset();
        drop(first);
        spool.push(&"b".to_owned()).unwrap();
        spool.flush().unwrap();
        let rest: Vec<_> = spool.records_from(resume).map(Result::unwrap).collect();
        assert_eq!(rest, ["b"]);
    }

    #[test]
    fn a_file_cut_short_is_an_error_not_a_panic_or_a_short_read() {
        let (spool, positions) = spool_of(&records());
        let cut = positions[150].offset + 3;
        spool.file_for_tests().set_len(cut).unwrap();
        let read: Vec<_> = spool.iter().collect();
        assert_eq!(read.len(), 151, "150 records, then one error, then the end");
        assert!(read[..150].iter().all(Result::is_ok));
        let error = read[150].as_ref().unwrap_err();
        assert!(
            matches!(error, Error::Truncated { offset } if *offset == positions[150].offset),
            "{error:?}"
        );
        assert_eq!(error.io_kind(), io::ErrorKind::UnexpectedEof);
        assert!(matches!(
            spool.read(positions[200]),
            Err(Error::Truncated { .. })
        ));
    }

    #[test]
    fn overwritten_bytes_are_an_error() {
        let (spool, positions) = spool_of(&records());
        // A length prefix that runs past the end of the file.
        spool
            .file_for_tests()
            .write_all_at(&[0xff, 0xff, 0x7f], positions[10].offset)
            .unwrap();
        let error = spool.iter().find_map(Result::err).unwrap();
        assert!(matches!(error, Error::Corrupt { offset } if offset == positions[10].offset));
        assert!(matches!(
            spool.read(positions[10]),
            Err(Error::Corrupt { .. })
        ));
        // A body that is not a record: a string that is not UTF-8.
        let at = positions[20];
        spool
            .file_for_tests()
            .write_all_at(&[0xff, 0xfe], at.offset + u64::from(at.len) - 2)
            .unwrap();
        assert!(matches!(spool.read(at), Err(Error::Decode { .. })));
        assert_eq!(
            spool.read(at).unwrap_err().to_string(),
            format!(
                "a working file holds a record that does not decode at byte {}",
                at.offset
            )
        );
    }
}
