//! Sequential reads of a working file from its start, leaving the file
//! descriptor's shared offset (where the writer appends) alone.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;

/// Reads `file` from offset 0 with positioned reads.
pub(crate) struct PositionedReader<'a> {
    file: &'a File,
    pos: u64,
}

impl<'a> PositionedReader<'a> {
    /// A reader at the start of `file`.
    pub(crate) fn new(file: &'a File) -> Self {
        Self { file, pos: 0 }
    }
}

impl Read for PositionedReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read_at(buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}
