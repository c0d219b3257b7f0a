//! The crawl's working files: unnamed temporary files, appended through a
//! buffer and read back by position.

use std::fs::File;
use std::io::{self, BufWriter, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;

/// An unnamed temporary file in `dir` (removed by the system when the crawl
/// ends, however it ends) and a buffered writer appending to it. Reads go
/// through the returned `File` by position ([`PositionedReader`],
/// `read_exact_at`), so they never move the writer's offset.
pub(crate) fn create(dir: &Path) -> io::Result<(File, BufWriter<File>)> {
    let file = tempfile::tempfile_in(dir)?;
    let writer = BufWriter::with_capacity(1 << 16, file.try_clone()?);
    Ok((file, writer))
}

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
