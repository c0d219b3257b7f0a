//! A streaming line reader over a plain or gzip file: one reused buffer,
//! lines over a cap skipped without being held, and a read error (a
//! truncated `.gz`) ending the file with what was read so far.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

/// What the reader yields.
pub(crate) enum Line<'a> {
    /// A line without its `\n`.
    Text(&'a [u8]),
    /// A line longer than the cap: its first `cap` bytes and its full length.
    TooLong { head: &'a [u8], len: u64 },
}

/// Opens a file, decompressing it when it starts with the gzip magic
/// bytes (RFC 1952 §2.3.1), whatever its name. Rotated logs may hold
/// several gzip members; all are read.
pub(crate) fn open(path: &Path) -> io::Result<(Box<dyn Read>, bool)> {
    let mut file = BufReader::with_capacity(256 * 1024, File::open(path)?);
    let gz = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gz {
        (Box::new(MultiGzDecoder::new(file)), true)
    } else {
        (Box::new(file), false)
    })
}

pub(crate) struct Lines<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    cap: usize,
    /// Bytes of decompressed content read so far.
    pub(crate) bytes: u64,
    /// The read error that ended the file early, if any.
    pub(crate) error: Option<io::Error>,
}

impl<R: Read> Lines<R> {
    pub(crate) fn new(inner: R, cap: usize) -> Self {
        let cap = cap.max(1);
        Self {
            inner,
            buf: vec![0; (cap + 1).max(256 * 1024)],
            start: 0,
            end: 0,
            eof: false,
            cap,
            bytes: 0,
            error: None,
        }
    }

    /// Reads more into the buffer; false at end of input (or on error).
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.end += n;
                    self.bytes += n as u64;
                    return true;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.error = Some(e);
                    self.eof = true;
                    return false;
                }
            }
        }
    }

    /// The next line, or `None` at the end of the file.
    pub(crate) fn next_line(&mut self) -> Option<Line<'_>> {
        let mut scanned = 0;
        loop {
            let window = &self.buf[self.start + scanned..self.end];
            if let Some(i) = memchr::memchr(b'\n', window) {
                let (s, e) = (self.start, self.start + scanned + i);
                self.start = e + 1;
                if e - s > self.cap {
                    return Some(Line::TooLong {
                        head: &self.buf[s..s + self.cap],
                        len: (e - s) as u64,
                    });
                }
                return Some(Line::Text(&self.buf[s..e]));
            }
            scanned = self.end - self.start;
            if scanned > self.cap {
                return Some(self.skip_long());
            }
            if !self.fill() {
                if self.start == self.end {
                    return None;
                }
                let (s, e) = (self.start, self.end);
                self.start = e;
                return Some(Line::Text(&self.buf[s..e]));
            }
        }
    }

    /// Skips the rest of a line longer than the cap without holding it:
    /// its head stays at the front of the buffer, the rest is read and
    /// dropped until the newline.
    fn skip_long(&mut self) -> Line<'_> {
        // Keep the head at buf[0..cap]; everything after it in the buffer
        // belongs to the line too (no newline was found in it).
        self.buf.copy_within(self.start..self.start + self.cap, 0);
        let mut len = (self.end - self.start) as u64;
        loop {
            self.start = self.cap;
            self.end = self.cap;
            if self.eof {
                break;
            }
            match self.inner.read(&mut self.buf[self.cap..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    self.bytes += n as u64;
                    let chunk = &self.buf[self.cap..self.cap + n];
                    if let Some(i) = memchr::memchr(b'\n', chunk) {
                        len += i as u64;
                        self.start = self.cap + i + 1;
                        self.end = self.cap + n;
                        break;
                    }
                    len += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.error = Some(e);
                    self.eof = true;
                    break;
                }
            }
        }
        Line::TooLong {
            head: &self.buf[..self.cap],
            len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(input: &[u8], cap: usize) -> Vec<String> {
        let mut lines = Lines::new(input, cap);
        let mut out = Vec::new();
        while let Some(line) = lines.next_line() {
            out.push(match line {
                Line::Text(t) => String::from_utf8_lossy(t).into_owned(),
                Line::TooLong { head, len } => {
                    format!("LONG({},{len})", String::from_utf8_lossy(head))
                }
            });
        }
        out
    }

    #[test]
    fn lines_long_lines_and_a_last_line_without_newline() {
        assert_eq!(collect(b"a\nbb\n\nccc", 4), ["a", "bb", "", "ccc"]);
        assert_eq!(
            collect(b"a\n0123456789\nb\n", 4),
            ["a", "LONG(0123,10)", "b"]
        );
        assert_eq!(collect(b"", 4), Vec::<String>::new());
        // A line far longer than the buffer (1 MiB) is skipped, the next kept.
        let mut big = vec![b'x'; 1 << 20];
        big.extend_from_slice(b"\nafter\n");
        assert_eq!(collect(&big, 64 * 1024).len(), 2);
        assert_eq!(collect(&big, 64 * 1024)[1], "after");
        assert!(collect(&big, 64 * 1024)[0].ends_with(&format!(",{})", 1 << 20)));
    }
}
