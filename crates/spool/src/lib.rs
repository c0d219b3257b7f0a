//! Append-only working files of typed records: each record is a LEB128
//! length followed by its postcard encoding, in an unnamed temporary file
//! (removed by the system when the process ends, however it ends).
//!
//! One format for every file a run keeps beside its memory: the crawler's
//! page records, link graph and frontier overflow, and the report's sorted
//! runs of findings. Reads are positioned (`pread`), so they never move the
//! writer's offset and two threads may read one file at once.
#![deny(missing_docs)]

mod error;
mod file;
mod varint;

pub use error::Error;
pub use file::{Position, Records, Spool};
