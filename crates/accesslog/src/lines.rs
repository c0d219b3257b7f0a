//! A streaming line reader over a plain or gzip file: one reused buffer,
//! lines over a cap skipped without being held, and a read error (a
//! truncated `.gz`) ending the file with what was read so far.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

/// What the reader yields.
pub(crate) enum Line<'a> {
    /// A line without its `\n`, and where it lies in [`Lines::pinned`].
    Text {
        bytes: &'a [u8],
        span: (usize, usize),
    },
    /// A line longer than the cap: its first `cap` bytes and its full length.
    TooLong { head: &'a [u8], len: u64 },
}

/// Free space a read asks for.
const READ_MIN: usize = 64 * 1024;
/// The initial buffer.
const BUFFER: usize = 1 << 20;

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

/// Lines of one file, read into one buffer that also holds the *pinned*
/// lines (the current chunk, from [`Lines::unpin`] to the last line
/// returned), so the reader parses them in place instead of copying each
/// line (the copy was a tenth of reading time). The buffer grows only as
/// far as the pinned bytes need: the reader unpins after every chunk and
/// caps a chunk's bytes.
pub(crate) struct Lines<R> {
    inner: R,
    buf: Vec<u8>,
    /// Start of the pinned bytes.
    pin: usize,
    /// Start of the next line.
    start: usize,
    /// End of the bytes read.
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
            buf: vec![0; BUFFER.max(2 * cap + READ_MIN)],
            pin: 0,
            start: 0,
            end: 0,
            eof: false,
            cap,
            bytes: 0,
            error: None,
        }
    }

    /// The pinned bytes: the lines returned since the last unpin, which
    /// [`Line::Text`] spans index.
    pub(crate) fn pinned(&self) -> &[u8] {
        &self.buf[self.pin..self.start]
    }

    /// Releases the pinned bytes.
    pub(crate) fn unpin(&mut self) {
        self.pin = self.start;
    }

    /// At least `min` free bytes after `end`: drop what is before the pin,
    /// then grow.
    fn make_room(&mut self, min: usize) {
        if self.buf.len() - self.end >= min {
            return;
        }
        if self.pin > 0 {
            self.buf.copy_within(self.pin..self.end, 0);
            self.start -= self.pin;
            self.end -= self.pin;
            self.pin = 0;
        }
        if self.buf.len() - self.end < min {
            let more = min.max(self.buf.len() / 2);
            self.buf.resize(self.end + more, 0);
        }
    }

    /// Reads into `buf[at..]`: the count, 0 at the end of input or on error.
    fn read_at(&mut self, at: usize) -> usize {
        loop {
            match self.inner.read(&mut self.buf[at..]) {
                Ok(n) => {
                    self.bytes += n as u64;
                    if n == 0 {
                        self.eof = true;
                    }
                    return n;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.error = Some(e);
                    self.eof = true;
                    return 0;
                }
            }
        }
    }

    /// Reads more; false at the end of input (or on error).
    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        self.make_room(READ_MIN);
        let n = self.read_at(self.end);
        self.end += n;
        n > 0
    }

    fn text(&self, s: usize, e: usize) -> Line<'_> {
        Line::Text {
            bytes: &self.buf[s..e],
            span: (s - self.pin, e - self.pin),
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
                return Some(self.text(s, e));
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
                return Some(self.text(s, e));
            }
        }
    }

    /// Skips the rest of a line longer than the cap without holding it: its
    /// head stays in place, the rest is read over and over into the space
    /// after it until the newline.
    fn skip_long(&mut self) -> Line<'_> {
        let mut len = (self.end - self.start) as u64;
        // Bytes after the head belong to this line: drop them.
        self.end = self.start + self.cap;
        self.make_room(READ_MIN);
        let head = self.start;
        let rest = self.end;
        loop {
            let n = if self.eof { 0 } else { self.read_at(rest) };
            if n == 0 {
                (self.start, self.end) = (rest, rest);
                break;
            }
            if let Some(i) = memchr::memchr(b'\n', &self.buf[rest..rest + n]) {
                len += i as u64;
                (self.start, self.end) = (rest + i + 1, rest + n);
                break;
            }
            len += n as u64;
        }
        Line::TooLong {
            head: &self.buf[head..head + self.cap],
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
        let mut spans = Vec::new();
        while let Some(line) = lines.next_line() {
            if let Line::Text { span, .. } = &line {
                spans.push(*span);
            }
            out.push(match line {
                Line::Text { bytes, .. } => String::from_utf8_lossy(bytes).into_owned(),
                Line::TooLong { head, len } => {
                    format!("LONG({},{len})", String::from_utf8_lossy(head))
                }
            });
            // Unpin now and then: spans index the pinned bytes.
            if out.len() % 3 == 0 {
                let pinned = lines.pinned();
                let texts: Vec<&[u8]> = spans.iter().map(|&(s, e)| &pinned[s..e]).collect();
                let expected: Vec<&[u8]> = out[out.len() - 3..]
                    .iter()
                    .filter(|l| !l.starts_with("LONG("))
                    .map(|l| l.as_bytes())
                    .collect();
                assert_eq!(texts, expected);
                spans.clear();
                lines.unpin();
            }
        }
        out
    }

    #[test]
    fn lines_long_lines_and_a_last_line_without_newline() {
        assert_eq!(collect(b"a\nbb\n\nccc", 4), ["a", "bb", "", "ccc"]);
        // Many lines across buffer refills, with pins spanning them.
        let many: String = (0..100_000).map(|i| format!("line {i}\n")).collect();
        let got = collect(many.as_bytes(), 64);
        assert_eq!(got.len(), 100_000);
        assert_eq!(got[99_999], "line 99999");
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
