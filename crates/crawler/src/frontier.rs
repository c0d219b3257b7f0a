//! The queue of URLs waiting to be fetched: first in, first out, its ends in
//! memory and its middle on disk.
//!
//! A crawl discovers URLs far faster than it fetches them (every page names
//! dozens), so on a large site most of the queue is waiting. Up to a limit
//! jobs stay in memory; beyond it new jobs gather in a tail that is written
//! to an unnamed temporary file whenever it fills, and read back in order
//! when the head runs dry. The order is exactly that of an in-memory queue.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

use model::Discovery;
use url::Url;

/// One URL waiting to be fetched.
#[derive(Debug, PartialEq)]
pub(crate) struct Job {
    pub url: Url,
    pub found_as: Url,
    pub depth: u32,
    pub discovery: Discovery,
    pub found_on: Option<String>,
    /// Redirects followed to reach this URL from the nearest chain start
    /// when it was queued (0 for seeds and linked URLs); the coordinator's
    /// hop budget may lower it later.
    pub hop_index: usize,
}

/// A FIFO of jobs that keeps at most about `2 × in_memory` of them in memory.
pub(crate) struct Frontier {
    head: VecDeque<Job>,
    tail: VecDeque<Job>,
    in_memory: usize,
    spill: Spill,
}

/// The jobs between head and tail, as lines in a file.
struct Spill {
    file: File,
    writer: BufWriter<File>,
    written: u64,
    read: u64,
    waiting: usize,
}

impl Frontier {
    /// An empty queue keeping `in_memory` jobs at each end before it spills
    /// to an unnamed temporary file in `dir` (created now, so the crawl does
    /// not depend on the folder later).
    pub(crate) fn new(in_memory: usize, dir: &Path) -> io::Result<Self> {
        let (file, writer) = crate::workfile::create(dir)?;
        Ok(Self {
            head: VecDeque::new(),
            tail: VecDeque::new(),
            in_memory: in_memory.max(1),
            spill: Spill {
                file,
                writer,
                written: 0,
                read: 0,
                waiting: 0,
            },
        })
    }

    /// Jobs waiting, in memory and on disk.
    pub(crate) fn len(&self) -> usize {
        self.head.len() + self.tail.len() + self.spill.waiting
    }

    /// The next job to fetch, if any.
    pub(crate) fn front(&self) -> Option<&Job> {
        self.head.front()
    }

    /// Adds a job at the end.
    pub(crate) fn push_back(&mut self, job: Job) -> io::Result<()> {
        if self.spill.waiting == 0 && self.tail.is_empty() && self.head.len() < self.in_memory {
            self.head.push_back(job);
            return Ok(());
        }
        self.tail.push_back(job);
        if self.tail.len() >= self.in_memory {
            self.spill_tail()?;
        }
        Ok(())
    }

    /// Adds jobs at the end, in order.
    pub(crate) fn extend(&mut self, jobs: impl IntoIterator<Item = Job>) -> io::Result<()> {
        jobs.into_iter().try_for_each(|job| self.push_back(job))
    }

    /// Takes the job at the front.
    pub(crate) fn pop_front(&mut self) -> io::Result<Option<Job>> {
        if self.head.is_empty() {
            self.refill()?;
        }
        Ok(self.head.pop_front())
    }

    fn spill_tail(&mut self) -> io::Result<()> {
        let spill = &mut self.spill;
        let mut line = String::new();
        for job in self.tail.drain(..) {
            line.clear();
            encode(&job, &mut line);
            spill.writer.write_all(line.as_bytes())?;
            spill.written += line.len() as u64;
            spill.waiting += 1;
        }
        Ok(())
    }

    /// Moves the oldest waiting jobs into the head: from disk while any wait
    /// there, else the tail.
    fn refill(&mut self) -> io::Result<()> {
        let spill = &mut self.spill;
        if spill.waiting == 0 {
            std::mem::swap(&mut self.head, &mut self.tail);
            return Ok(());
        }
        spill.writer.flush()?;
        let mut buf = vec![0; 1 << 20];
        while self.head.len() < self.in_memory && spill.waiting > 0 {
            let want = usize::try_from(spill.written - spill.read)
                .unwrap_or(usize::MAX)
                .min(buf.len());
            spill.file.read_exact_at(&mut buf[..want], spill.read)?;
            let chunk = &buf[..want];
            let mut consumed = 0;
            for line in chunk.split_inclusive(|b| *b == b'\n') {
                if line.last() != Some(&b'\n') || self.head.len() >= self.in_memory {
                    break;
                }
                consumed += line.len();
                self.head.push_back(decode(&line[..line.len() - 1])?);
                spill.waiting -= 1;
            }
            if consumed == 0 {
                return Err(invalid("a queued job longer than the read buffer"));
            }
            spill.read += consumed as u64;
        }
        Ok(())
    }
}

/// `url TAB found_as TAB depth TAB discovery TAB hop_index TAB found_on LF`:
/// serialised URLs never hold a tab or a line feed.
fn encode(job: &Job, out: &mut String) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "{}\t{}\t{}\t{}\t{}\t{}",
        job.url,
        job.found_as,
        job.depth,
        job.discovery.as_str(),
        job.hop_index,
        job.found_on.as_deref().unwrap_or_default()
    );
}

fn decode(line: &[u8]) -> io::Result<Job> {
    let line = std::str::from_utf8(line).map_err(|_| invalid("a queued job is not UTF-8"))?;
    let mut fields = line.split('\t');
    let mut next = || {
        fields
            .next()
            .ok_or_else(|| invalid("a queued job lacks a field"))
    };
    let url = parse_url(next()?)?;
    let found_as = parse_url(next()?)?;
    let depth = next()?.parse().map_err(|_| invalid("bad depth"))?;
    let discovery = match next()? {
        "seed" => Discovery::Seed,
        "link" => Discovery::Link,
        "sitemap" => Discovery::Sitemap,
        "redirect" => Discovery::Redirect,
        _ => return Err(invalid("bad discovery")),
    };
    let hop_index = next()?.parse().map_err(|_| invalid("bad hop index"))?;
    let found_on = Some(next()?).filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(Job {
        url,
        found_as,
        depth,
        discovery,
        found_on,
        hop_index,
    })
}

fn parse_url(text: &str) -> io::Result<Url> {
    Url::parse(text).map_err(|_| invalid("a queued URL does not parse"))
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("frontier file: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(i: usize) -> Job {
        let url = Url::parse(&format!("http://s/p/{i}")).unwrap();
        Job {
            found_as: Url::parse(&format!("http://s/p/{i}#top")).unwrap(),
            url,
            depth: u32::try_from(i % 7).unwrap(),
            discovery: if i.is_multiple_of(2) {
                Discovery::Link
            } else {
                Discovery::Redirect
            },
            found_on: (!i.is_multiple_of(3)).then(|| format!("http://s/from/{i}")),
            hop_index: i % 5,
        }
    }

    #[test]
    fn spilled_jobs_come_back_whole_and_in_order() {
        let mut frontier = Frontier::new(3, &std::env::temp_dir()).unwrap();
        let mut expected = 0;
        let mut next = 0;
        // Interleave pushes and pops so head, disk and tail all hold jobs.
        for round in 0..20 {
            for _ in 0..(round % 4 + 2) {
                frontier.push_back(job(next)).unwrap();
                next += 1;
            }
            for _ in 0..(round % 3 + 1) {
                if let Some(got) = frontier.pop_front().unwrap() {
                    assert_eq!(got, job(expected));
                    expected += 1;
                }
            }
            assert_eq!(frontier.len(), next - expected);
        }
        assert!(frontier.spill.written > 0, "the test must reach the disk");
        while let Some(got) = frontier.pop_front().unwrap() {
            assert_eq!(got, job(expected));
            expected += 1;
        }
        assert_eq!(expected, next);
        assert_eq!(frontier.len(), 0);
    }
}
