//! The one-pass reader: files in, [`LogEvidence`] out.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use hashbrown::HashMap;

use crate::paths::{PathTable, path_key};

use crate::evidence::PathEvidence;
use crate::fingerprint::{
    Fingerprints, MAX_CHUNK_BYTES, MAX_CHUNK_LINES, chunk_fingerprint, is_anchor, line_fingerprint,
    line_hash, long_line_hash,
};
use crate::format::{DETECT_LINES, Format, detect};
use crate::googlebot::{Agent, GooglebotRanges};
use crate::lines::{Line, Lines, open};
use crate::summary::{FileSummary, LogSummary, UNPARSEABLE_SAMPLE};
use crate::{Error, Record, expand};

/// Lines longer than this are skipped and counted (`too_long`): no log
/// format this crate reads has a legitimate line near it, and holding a
/// megabyte line would break the memory bound.
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 * 1024;

/// How to read.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Force a format (`--log-format`) instead of detecting it per file.
    pub format: Option<Format>,
    /// The audited site's host names. A line with a host field (vhost,
    /// JSON `host`) for another host is skipped; compared without port,
    /// case-insensitively. Empty: every line is the site's.
    pub site_hosts: Vec<String>,
    /// Other spellings of the same site (the `www.` and bare names of
    /// [`Self::site_hosts`]). Their lines are kept, but apart: keyed
    /// `host/path` rather than `/path` (no request target starts without a
    /// `/`), because the two hosts answer differently — typically one
    /// 301s every path to the other, which must not end the other's run
    /// of 302s.
    pub variant_hosts: Vec<String>,
    /// Googlebot requests and `requests_since` count only lines at or after
    /// this time (UTC seconds); runs use every line whatever its date.
    pub since: Option<i64>,
    /// Lines longer than this are skipped.
    pub max_line_bytes: usize,
    /// The Googlebot ranges.
    pub ranges: GooglebotRanges,
    /// Content read before (from history): skipped.
    pub prior: Fingerprints,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            format: None,
            site_hosts: Vec::new(),
            variant_hosts: Vec::new(),
            since: None,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            ranges: GooglebotRanges::bundled(),
            prior: Fingerprints::default(),
        }
    }
}

/// What reading the logs produced: per-path evidence, what was read, and
/// the fingerprints of the content newly read (for history to store).
#[derive(Clone, Debug, Default)]
pub struct LogEvidence {
    paths: PathTable,
    /// What was read.
    pub summary: LogSummary,
    /// Fingerprints of the content this read added.
    pub fingerprints: Fingerprints,
}

impl LogEvidence {
    /// The evidence for one path (path and query as requested).
    pub fn path(&self, path: &str) -> Option<&PathEvidence> {
        self.paths.get(path)
    }

    /// Every path with its evidence, in no particular order.
    pub fn paths(&self) -> impl Iterator<Item = (&str, &PathEvidence)> {
        self.paths.iter()
    }

    /// Distinct paths.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// No path at all.
    pub fn is_empty(&self) -> bool {
        self.paths.len() == 0
    }

    /// Paths that answered a redirect (301/302/303/307/308) at or after
    /// `since`, sorted.
    pub fn redirected_since(&self, since: i64) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .paths()
            .filter(|(_, e)| e.redirected_since(since))
            .map(|(p, _)| p)
            .collect();
        v.sort_unstable();
        v
    }

    /// Adds evidence for `path` read from other content (history's), with
    /// [`PathEvidence::merge`] semantics.
    pub fn merge_path(&mut self, path: &str, evidence: &PathEvidence) {
        self.paths.entry(path).merge(evidence);
    }

    /// Merges another read of *other content* into this one: evidence per
    /// path, files of the summary, fingerprints.
    pub fn merge(&mut self, other: &Self) {
        for (path, e) in other.paths() {
            self.merge_path(path, e);
        }
        self.summary
            .files
            .extend(other.summary.files.iter().cloned());
        self.fingerprints.extend(&other.fingerprints);
    }
}

/// Reads log files in one streaming pass into [`LogEvidence`]: memory is
/// per distinct path plus one chunk of lines, never per line.
#[derive(Debug)]
pub struct LogReader {
    options: ReadOptions,
    evidence: LogEvidence,
    chunk: Chunk,
}

#[derive(Debug, Default)]
struct Chunk {
    lines: Vec<HeldLine>,
    hashes: Vec<u64>,
    first_line: u64,
    occurrences: HashMap<u64, u32>,
    tails: Vec<u64>,
    slots: Vec<usize>,
}

/// One line of the current chunk: its span in the pinned bytes, or `None`
/// for a line over the cap (not held).
#[derive(Debug, Clone, Copy)]
struct HeldLine(Option<(usize, usize)>);

impl LogReader {
    /// A reader with these options.
    pub fn new(mut options: ReadOptions) -> Self {
        for h in options
            .site_hosts
            .iter_mut()
            .chain(options.variant_hosts.iter_mut())
        {
            h.make_ascii_lowercase();
        }
        Self {
            options,
            evidence: LogEvidence::default(),
            chunk: Chunk::default(),
        }
    }

    /// Reads a `--access-log` path: a file (plain or gzip) or a directory
    /// (see [`expand`]). `Err` only when the path itself does not exist or
    /// cannot be listed; a file that cannot be read is a problem in the
    /// summary.
    pub fn read_path(&mut self, path: &Path) -> Result<(), Error> {
        for file in expand(path)? {
            self.read_file(&file);
        }
        Ok(())
    }

    /// Reads one file; a failure is recorded in its [`FileSummary`].
    pub fn read_file(&mut self, path: &Path) {
        match open(path) {
            Ok((reader, gzip)) => self.read_stream(path.to_owned(), reader, gzip),
            Err(e) => {
                let mut file = FileSummary::new(path.to_owned());
                file.problem = Some(format!("cannot open: {e}"));
                self.evidence.summary.files.push(file);
            }
        }
    }

    /// Reads already-opened content, named `name` in the summary.
    pub fn read_stream(&mut self, name: PathBuf, reader: impl Read, gzip: bool) {
        let mut file = FileSummary::new(name);
        file.gzip = gzip;
        let mut format = self.options.format;
        let mut detected = format.is_some();
        let mut lines = Lines::new(reader, self.options.max_line_bytes);
        let mut number = 0u64;
        self.chunk.first_line = 1;
        loop {
            let hash = match lines.next_line() {
                None => break,
                Some(Line::Text { bytes, span }) => {
                    self.chunk.lines.push(HeldLine(Some(span)));
                    line_hash(bytes)
                }
                Some(Line::TooLong { head, len }) => {
                    self.chunk.lines.push(HeldLine(None));
                    long_line_hash(head, len)
                }
            };
            number += 1;
            self.chunk.hashes.push(hash);
            if is_anchor(hash)
                || self.chunk.lines.len() >= MAX_CHUNK_LINES
                || lines.pinned().len() >= MAX_CHUNK_BYTES
            {
                self.flush(lines.pinned(), &mut file, &mut format, &mut detected, true);
                lines.unpin();
                self.chunk.first_line = number + 1;
            }
        }
        if !self.chunk.lines.is_empty() {
            self.flush(lines.pinned(), &mut file, &mut format, &mut detected, false);
        }
        file.counts.lines = number;
        file.bytes = lines.bytes;
        file.format = format;
        if let Some(e) = lines.error {
            file.problem = Some(format!("reading stopped early, after {number} lines: {e}"));
        } else if format.is_none() && number > 0 {
            file.problem = Some(format!(
                "not an access log: none of its first {DETECT_LINES} lines is in a known format"
            ));
        }
        self.evidence.summary.files.push(file);
    }

    /// Handles a complete chunk: skip it if its content was read before,
    /// else parse its lines.
    fn flush(
        &mut self,
        bytes: &[u8],
        file: &mut FileSummary,
        format: &mut Option<Format>,
        detected: &mut bool,
        anchored: bool,
    ) {
        let chunk = &mut self.chunk;
        if !*detected {
            *detected = true;
            *format = detect(
                chunk
                    .lines
                    .iter()
                    .filter_map(|l| l.0.map(|(s, e)| &bytes[s..e])),
            );
        }
        let fingerprint = chunk_fingerprint(&chunk.hashes);
        let prior = &self.options.prior;
        let seen = &mut self.evidence.fingerprints;
        if prior.chunks.contains(&fingerprint) || !seen.chunks.insert(fingerprint) {
            file.counts.already_read += chunk.lines.len() as u64;
        } else {
            let check = !prior.tail_lines.is_empty() || !seen.tail_lines.is_empty();
            let track = check || !anchored;
            chunk.occurrences.clear();
            chunk.tails.clear();
            // Parse every line of the chunk first, then look paths up, then
            // update them: each phase is a tight loop over independent
            // items, so the CPU overlaps the cache misses of many lines
            // (100 000 paths do not fit in cache; one miss at a time was
            // most of the reading time).
            let mut items = Vec::with_capacity(chunk.lines.len());
            for (i, (line, &hash)) in chunk.lines.iter().zip(&chunk.hashes).enumerate() {
                if track {
                    let n = chunk.occurrences.entry(hash).or_insert(0);
                    let fp = line_fingerprint(hash, *n);
                    *n += 1;
                    if !anchored {
                        chunk.tails.push(fp);
                    }
                    if check && (prior.tail_lines.contains(&fp) || seen.tail_lines.contains(&fp)) {
                        file.counts.already_read += 1;
                        continue;
                    }
                }
                let Some((s, e)) = line.0 else {
                    file.counts.too_long += 1;
                    continue;
                };
                if let Some(format) = *format {
                    let number = chunk.first_line + i as u64;
                    if let Some(item) =
                        parse_line(&self.options, file, format, &bytes[s..e], number)
                    {
                        items.push(item);
                    }
                }
            }
            let paths = &mut self.evidence.paths;
            chunk.slots.clear();
            chunk
                .slots
                .extend(items.iter().map(|item| paths.slot(item.key, &item.target)));
            paths.touch(&chunk.slots);
            let since = self.options.since;
            for (item, &slot) in items.iter().zip(&chunk.slots) {
                let entry = paths.at(slot);
                entry.record(item.time, item.status, item.location.as_deref(), since);
                match item.agent {
                    Agent::VerifiedGooglebot => entry.googlebot(item.time, true, since),
                    Agent::UnverifiedGooglebot => entry.googlebot(item.time, false, since),
                    Agent::Other => {}
                }
            }
            seen.tail_lines.extend(chunk.tails.drain(..));
        }
        chunk.lines.clear();
        chunk.hashes.clear();
    }

    /// The evidence so far.
    pub fn evidence(&self) -> &LogEvidence {
        &self.evidence
    }

    /// Ends reading.
    pub fn finish(self) -> LogEvidence {
        self.evidence
    }
}

/// The host part of `host`, `host:port` or `[v6]:port`.
fn without_port(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    }
}

/// What one line adds, once parsed and filtered.
struct Item<'a> {
    key: u128,
    target: Cow<'a, str>,
    time: i64,
    status: u16,
    agent: Agent,
    location: Option<Cow<'a, str>>,
}

/// Parses and filters one line, counting it in `file`.
fn parse_line<'a>(
    options: &ReadOptions,
    file: &mut FileSummary,
    format: Format,
    bytes: &'a [u8],
    number: u64,
) -> Option<Item<'a>> {
    if bytes.trim_ascii().is_empty() {
        file.counts.blank += 1;
        return None;
    }
    let (record, agent): (Record<'a>, Agent) = match format.parse_classified(bytes, &options.ranges)
    {
        Ok(r) => r,
        Err(_) => {
            file.counts.unparseable += 1;
            if file.unparseable_lines.len() < UNPARSEABLE_SAMPLE {
                file.unparseable_lines.push(number);
            }
            return None;
        }
    };
    file.counts.parsed += 1;
    file.saw_time(record.time);
    let mut variant = None;
    if let Some(host) = &record.host
        && !options.site_hosts.is_empty()
    {
        let host = without_port(host);
        let is = |hosts: &[String]| hosts.iter().any(|h| h.eq_ignore_ascii_case(host));
        if is(&options.variant_hosts) {
            variant = Some(host.to_ascii_lowercase());
        } else if !is(&options.site_hosts) {
            file.counts.other_host += 1;
            return None;
        }
    }
    if record.target.is_empty() {
        file.counts.no_target += 1;
        return None;
    }
    let target = match (variant, record.target.starts_with('?')) {
        // `http://host?q`: the empty path is `/` (RFC 9110 §4.2.3).
        (None, true) => Cow::Owned(format!("/{}", record.target)),
        (None, false) => record.target,
        (Some(host), true) => Cow::Owned(format!("{host}/{}", record.target)),
        (Some(host), false) => Cow::Owned(format!("{host}{}", record.target)),
    };
    Some(Item {
        key: path_key(&target),
        agent,
        target,
        time: record.time,
        status: record.status,
        location: record.location,
    })
}
