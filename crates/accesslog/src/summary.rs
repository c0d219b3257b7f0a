//! What was read: per file and in all.

use std::path::PathBuf;

use crate::Format;

/// How many unparseable line numbers are kept per file.
pub const UNPARSEABLE_SAMPLE: usize = 5;

/// Line counts. `lines` = `blank` + `too_long` + `already_read` +
/// `unparseable` + `parsed` + (lines of a file in no known format).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Lines read.
    pub lines: u64,
    /// Lines that parsed in the file's format.
    pub parsed: u64,
    /// Lines that did not (garbage, binary, a truncated last line).
    pub unparseable: u64,
    /// Lines over the length cap, skipped unread.
    pub too_long: u64,
    /// Empty lines.
    pub blank: u64,
    /// Lines whose content had been read before (fingerprints), skipped.
    pub already_read: u64,
    /// Parsed lines for another host (vhost or JSON `host`), skipped.
    pub other_host: u64,
    /// Parsed lines without a usable request target (`"-"`, TLS bytes on
    /// a plain port, `CONNECT`), skipped.
    pub no_target: u64,
    /// Parsed lines older than a line before them in the same file (still
    /// used: runs are ordered by time, not by position).
    pub out_of_order: u64,
}

impl Counts {
    fn add(&mut self, o: &Self) {
        self.lines += o.lines;
        self.parsed += o.parsed;
        self.unparseable += o.unparseable;
        self.too_long += o.too_long;
        self.blank += o.blank;
        self.already_read += o.already_read;
        self.other_host += o.other_host;
        self.no_target += o.no_target;
        self.out_of_order += o.out_of_order;
    }

    /// Parsed lines that were used: for the audited site, with a target.
    pub fn used(&self) -> u64 {
        self.parsed - self.other_host - self.no_target
    }
}

/// What was read from one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSummary {
    /// The file.
    pub path: PathBuf,
    /// Its format (forced or detected); `None`: no line among the first
    /// [`DETECT_LINES`](crate::DETECT_LINES) is in a known format, so the
    /// file was not parsed (an error log, a binary file, an empty file).
    pub format: Option<Format>,
    /// It was gzip-compressed.
    pub gzip: bool,
    /// Bytes of (decompressed) content read.
    pub bytes: u64,
    /// Line counts.
    pub counts: Counts,
    /// The first [`UNPARSEABLE_SAMPLE`] unparseable line numbers (1-based).
    pub unparseable_lines: Vec<u64>,
    /// The earliest and latest parsed line time (UTC seconds).
    pub time_range: Option<(i64, i64)>,
    /// What went wrong, if anything: cannot open, reading stopped early (a
    /// truncated `.gz`), not an access log.
    pub problem: Option<String>,
}

impl FileSummary {
    pub(crate) fn new(path: PathBuf) -> Self {
        Self {
            path,
            format: None,
            gzip: false,
            bytes: 0,
            counts: Counts::default(),
            unparseable_lines: Vec::new(),
            time_range: None,
            problem: None,
        }
    }

    pub(crate) fn saw_time(&mut self, t: i64) {
        self.time_range = Some(match self.time_range {
            None => (t, t),
            Some((lo, hi)) => {
                if t < hi {
                    self.counts.out_of_order += 1;
                }
                (lo.min(t), hi.max(t))
            }
        });
    }
}

/// What was read from every file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSummary {
    /// One entry per file, in reading order.
    pub files: Vec<FileSummary>,
}

impl LogSummary {
    /// Counts over all files.
    pub fn totals(&self) -> Counts {
        let mut c = Counts::default();
        for f in &self.files {
            c.add(&f.counts);
        }
        c
    }

    /// The earliest and latest parsed line time over all files.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        self.files
            .iter()
            .filter_map(|f| f.time_range)
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }

    /// Lines were parsed but none was for the audited site (a log of
    /// another site, or every line for other hosts): worth saying plainly.
    pub fn nothing_matched(&self) -> bool {
        let t = self.totals();
        t.parsed > 0 && t.used() == 0
    }
}
