//! The queue of URLs waiting to be fetched: first in, first out, its ends in
//! memory and its middle on disk.
//!
//! A crawl discovers URLs far faster than it fetches them (every page names
//! dozens), so on a large site most of the queue is waiting. Up to a limit
//! jobs stay in memory; beyond it new jobs gather in a tail that is written
//! to a working file ([`spool::Spool`]) whenever it fills, and read back in
//! order when the head runs dry. The order is exactly that of an in-memory
//! queue.

use std::collections::VecDeque;
use std::path::Path;

use model::Discovery;
use serde::{Deserialize, Serialize};
use url::Url;

/// One URL waiting to be fetched. Serialised when it waits on disk (URLs as
/// text, parsed again when read back).
#[derive(Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Job {
    pub url: Url,
    pub found_as: Url,
    pub depth: u32,
    pub discovery: Discovery,
    pub found_on: Option<String>,
}

/// A FIFO of jobs that keeps at most about `2 × in_memory` of them in memory.
pub(crate) struct Frontier {
    head: VecDeque<Job>,
    tail: VecDeque<Job>,
    in_memory: usize,
    spill: Spill,
}

/// The jobs between head and tail, in a working file.
struct Spill {
    spool: spool::Spool<Job>,
    /// Where the oldest waiting job starts.
    read: u64,
    waiting: usize,
}

impl Frontier {
    /// An empty queue keeping `in_memory` jobs at each end before it spills
    /// to an unnamed temporary file in `dir` (created now, so the crawl does
    /// not depend on the folder later).
    pub(crate) fn new(in_memory: usize, dir: &Path) -> Result<Self, spool::Error> {
        Ok(Self {
            head: VecDeque::new(),
            tail: VecDeque::new(),
            in_memory: in_memory.max(1),
            spill: Spill {
                spool: spool::Spool::new_in(dir)?,
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
    pub(crate) fn push_back(&mut self, job: Job) -> Result<(), spool::Error> {
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
    pub(crate) fn extend(
        &mut self,
        jobs: impl IntoIterator<Item = Job>,
    ) -> Result<(), spool::Error> {
        jobs.into_iter().try_for_each(|job| self.push_back(job))
    }

    /// Takes the job at the front.
    pub(crate) fn pop_front(&mut self) -> Result<Option<Job>, spool::Error> {
        if self.head.is_empty() {
            self.refill()?;
        }
        Ok(self.head.pop_front())
    }

    fn spill_tail(&mut self) -> Result<(), spool::Error> {
        for job in self.tail.drain(..) {
            self.spill.spool.push(&job)?;
            self.spill.waiting += 1;
        }
        Ok(())
    }

    /// Moves the oldest waiting jobs into the head: from disk while any wait
    /// there, else the tail.
    fn refill(&mut self) -> Result<(), spool::Error> {
        let spill = &mut self.spill;
        if spill.waiting == 0 {
            std::mem::swap(&mut self.head, &mut self.tail);
            return Ok(());
        }
        spill.spool.flush()?;
        let mut waiting = spill.spool.records_from(spill.read);
        while self.head.len() < self.in_memory && spill.waiting > 0 {
            let Some(job) = waiting.next() else { break };
            self.head.push_back(job?);
            spill.waiting -= 1;
        }
        spill.read = waiting.offset();
        Ok(())
    }
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
        assert!(
            frontier.spill.spool.end() > 0,
            "the test must reach the disk"
        );
        while let Some(got) = frontier.pop_front().unwrap() {
            assert_eq!(got, job(expected));
            expected += 1;
        }
        assert_eq!(expected, next);
        assert_eq!(frontier.len(), 0);
    }
}
