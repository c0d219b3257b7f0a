//! Content fingerprints: how re-reading the same log content, however it is
//! named or compressed, changes nothing (see [`Fingerprints`]).

use std::collections::HashSet;

use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

/// A chunk ends after a line whose hash is 0 modulo this.
pub const ANCHOR_EVERY: u64 = 256;
/// A chunk ends after this many lines even without an anchor (a log of
/// identical lines has none).
pub const MAX_CHUNK_LINES: usize = 4096;
/// A chunk also ends once it holds this many bytes: the reader keeps a
/// chunk's bytes in memory. With lines under 1 KiB, [`MAX_CHUNK_LINES`]
/// comes first.
pub const MAX_CHUNK_BYTES: usize = 4 << 20;

/// The fingerprints of content already read: what history stores, and
/// what a [`LogReader`](crate::LogReader) adds to as it reads, so that
/// re-reading the same log content, however it is named or compressed,
/// changes nothing.
///
/// The decompressed content of each file is cut into *content-defined
/// chunks* of whole lines: a chunk ends after a line whose 64-bit hash
/// (XXH3) is 0 modulo [`ANCHOR_EVERY`] (about one line in 256), or after
/// [`MAX_CHUNK_LINES`] lines or [`MAX_CHUNK_BYTES`] bytes (forced cuts,
/// which depend on where the chunk started: as rare as 4096 lines without
/// an anchor, e⁻¹⁶), or at the end of the file. Because the cut
/// points depend on the lines and not on offsets, the same run of lines is
/// cut the same way in `access.log` today, in `access.log.1` tomorrow (now
/// with more lines after it), and in `access.log.2.gz` the day after. A
/// chunk's fingerprint is the XXH3-128 of its line hashes; a chunk whose
/// fingerprint was seen before (in history, or earlier in this run) is
/// skipped whole.
///
/// The last chunk of a file usually ends at the end of the file, not at an
/// anchor: when the file grows, that chunk grows and its fingerprint
/// changes. So the lines of a file's *tail chunk* are also kept one by one
/// (hash of the line mixed with its occurrence number among identical
/// lines in the chunk), and a chunk seen for the first time skips the lines
/// that are among them. Reading a live `access.log` on Monday and the
/// rotated `access.log.1` on Tuesday therefore counts every line once.
///
/// Cost: 16 bytes per chunk (about one per 256 lines) plus 8 bytes per
/// tail line (at most [`MAX_CHUNK_LINES`] per file): bounded, and never per
/// line of the log.
///
/// Limits: a file that *starts* in the middle of content read before (a
/// hand-cut excerpt; logrotate never does this) re-counts the lines before
/// its first anchor, at most [`MAX_CHUNK_LINES`] and usually about 256;
/// two genuinely distinct requests logged with byte-identical lines, one at
/// the end of one file and one in the next, count once; hash collisions
/// (2⁻⁶⁴ per pair of lines, 2⁻¹²⁸ per pair of chunks) are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fingerprints {
    /// Fingerprints of whole chunks.
    pub chunks: HashSet<u128>,
    /// Fingerprints of the lines of files' tail chunks.
    pub tail_lines: HashSet<u64>,
}

impl Fingerprints {
    /// No content seen.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty() && self.tail_lines.is_empty()
    }

    /// Adds another set (e.g. this audit's to history's).
    pub fn extend(&mut self, other: &Self) {
        self.chunks.extend(other.chunks.iter().copied());
        self.tail_lines.extend(other.tail_lines.iter().copied());
    }
}

/// The hash of one line's bytes (the anchor test and the line fingerprint
/// both start from it). A line over the cap is hashed by its head and
/// length.
pub(crate) fn line_hash(line: &[u8]) -> u64 {
    xxh3_64(line)
}

pub(crate) fn long_line_hash(head: &[u8], len: u64) -> u64 {
    xxh3_64(head) ^ len.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

pub(crate) fn is_anchor(hash: u64) -> bool {
    hash.is_multiple_of(ANCHOR_EVERY)
}

pub(crate) fn chunk_fingerprint(line_hashes: &[u64]) -> u128 {
    let mut bytes = Vec::with_capacity(line_hashes.len() * 8);
    for h in line_hashes {
        bytes.extend_from_slice(&h.to_le_bytes());
    }
    xxh3_128(&bytes)
}

/// A line's fingerprint: its hash mixed with its occurrence number among
/// identical lines of its chunk, so two identical lines stay two.
pub(crate) fn line_fingerprint(hash: u64, occurrence: u32) -> u64 {
    let mixed = hash ^ u64::from(occurrence).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    mixed.rotate_left(17).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}
