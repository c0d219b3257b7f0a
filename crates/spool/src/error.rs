//! The crate's one error type.
//!
//! A message never repeats its `#[source]`: binaries print the whole chain.

use std::io;
use std::path::PathBuf;

/// A working file that could not be created, written or read back.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The unnamed file could not be created in its folder.
    // The folder is a field, not in the message: every caller names it.
    #[error("cannot create a working file")]
    Create {
        /// The folder.
        dir: PathBuf,
        /// The underlying failure.
        #[source]
        source: io::Error,
    },
    /// Appending to the file failed (e.g. a full disk).
    #[error("cannot write a working file")]
    Write(#[source] io::Error),
    /// Reading the file back failed.
    #[error("cannot read a working file at byte {offset}")]
    Read {
        /// Where the record read starts.
        offset: u64,
        /// The underlying failure.
        #[source]
        source: io::Error,
    },
    /// The file ends inside a record: it was cut short after it was written.
    #[error("a working file ends inside the record at byte {offset}")]
    Truncated {
        /// Where the record starts.
        offset: u64,
    },
    /// A record's bytes do not decode as the record type.
    #[error("a working file holds a record that does not decode at byte {offset}")]
    Decode {
        /// Where the record starts.
        offset: u64,
        /// What postcard found.
        #[source]
        source: postcard::Error,
    },
    /// A record could not be encoded (a type postcard cannot represent).
    #[error("cannot encode a record for a working file")]
    Encode(#[source] postcard::Error),
    /// A record's length prefix is unreadable or is not the length written
    /// there: the file was changed after it was written.
    #[error("a working file's record at byte {offset} is not the one written there")]
    Corrupt {
        /// Where the record starts.
        offset: u64,
    },
    /// A record over 4 GiB, which the format cannot hold.
    #[error("a record of {len} bytes is too large for a working file")]
    TooLarge {
        /// The record's encoded length.
        len: usize,
    },
}

impl Error {
    /// The I/O error kind behind this error, `InvalidData` for a file whose
    /// content is wrong.
    pub fn io_kind(&self) -> io::ErrorKind {
        match self {
            Self::Create { source, .. } | Self::Write(source) | Self::Read { source, .. } => {
                source.kind()
            }
            Self::Truncated { .. } => io::ErrorKind::UnexpectedEof,
            Self::Decode { .. }
            | Self::Encode(_)
            | Self::Corrupt { .. }
            | Self::TooLarge { .. } => io::ErrorKind::InvalidData,
        }
    }
}
