//! Findings in `findings.csv` order without holding them all: a large site
//! has hundreds of thousands, each with its message, evidence and related
//! URLs. They are sorted in runs of [`RUN_LEN`], each run spilled to a
//! working file ([`spool::Spool`]), and merged when read.

use std::io;
use std::path::{Path, PathBuf};

use model::{Finding, sort_findings};
use spool::Spool;

use crate::error::Error;

/// Findings sorted in memory at a time; a run of them is some 10 MB.
pub const RUN_LEN: usize = 8192;

/// Collects findings as analysis makes them (see [`model::FindingSink`]),
/// spilling sorted runs to `dir`.
pub struct FindingSpool {
    dir: PathBuf,
    run_len: usize,
    run: Vec<Finding>,
    runs: Vec<Spool<Finding>>,
    /// The first spill that failed; later findings are dropped and
    /// [`FindingSpool::finish`] reports it.
    failure: Option<spool::Error>,
}

impl FindingSpool {
    /// Empty; runs, if any, go to unnamed files in `dir`.
    pub fn new(dir: &Path) -> Self {
        Self::with_run_len(dir, RUN_LEN)
    }

    fn with_run_len(dir: &Path, run_len: usize) -> Self {
        Self {
            dir: dir.to_path_buf(),
            run_len,
            run: Vec::new(),
            runs: Vec::new(),
            failure: None,
        }
    }

    /// Takes one finding.
    pub fn push(&mut self, finding: Finding) {
        if self.failure.is_some() {
            return;
        }
        self.run.push(finding);
        if self.run.len() >= self.run_len
            && let Err(error) = self.spill()
        {
            self.failure = Some(error);
        }
    }

    fn spill(&mut self) -> Result<(), spool::Error> {
        sort_run(&mut self.run);
        let mut run = Spool::new_in(&self.dir)?;
        for finding in self.run.drain(..) {
            run.push(&finding)?;
        }
        run.flush()?;
        self.runs.push(run);
        Ok(())
    }

    /// Every finding taken, sorted; an error if a run could not be written.
    pub fn finish(mut self) -> Result<SortedFindings, Error> {
        if let Some(source) = self.failure {
            return Err(Error::Spool {
                dir: self.dir,
                source,
            });
        }
        sort_run(&mut self.run);
        self.run.shrink_to_fit();
        Ok(SortedFindings {
            runs: self.runs,
            tail: self.run,
        })
    }
}

impl model::FindingSink for FindingSpool {
    fn push(&mut self, finding: Finding) {
        FindingSpool::push(self, finding);
    }
}

/// `findings.csv`'s order is the one order of findings (see
/// [`model::sort_findings`]).
fn sort_run(run: &mut Vec<Finding>) {
    sort_findings(run);
}

/// Findings in `findings.csv` order, each once: sorted runs on disk and the
/// last run in memory.
pub struct SortedFindings {
    runs: Vec<Spool<Finding>>,
    tail: Vec<Finding>,
}

impl From<Vec<Finding>> for SortedFindings {
    fn from(mut findings: Vec<Finding>) -> Self {
        sort_run(&mut findings);
        Self {
            runs: Vec::new(),
            tail: findings,
        }
    }
}

impl SortedFindings {
    /// Visits every finding in order, duplicates merged; stops at the first
    /// error, the visitor's or reading a run back (an `InvalidData` or
    /// `UnexpectedEof` error carrying the [`spool::Error`]).
    pub fn for_each(
        &mut self,
        mut visit: impl FnMut(&Finding) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.runs.is_empty() {
            return self.tail.iter().try_for_each(visit);
        }
        let mut sources = Vec::with_capacity(self.runs.len() + 1);
        for run in &self.runs {
            sources.push(Source::Run(run.iter()));
        }
        sources.push(Source::Memory(self.tail.iter()));
        let mut heads = Vec::with_capacity(sources.len());
        for source in &mut sources {
            heads.push(source.next()?);
        }
        let mut last: Option<Finding> = None;
        loop {
            let next = heads
                .iter()
                .enumerate()
                .filter_map(|(i, head)| head.as_ref().map(|f| (i, f)))
                .min_by(|(_, a), (_, b)| a.cmp(b))
                .map(|(i, _)| i);
            let Some(i) = next else {
                return Ok(());
            };
            let finding =
                std::mem::replace(&mut heads[i], sources[i].next()?).expect("a head was picked");
            if last.as_ref() != Some(&finding) {
                visit(&finding)?;
                last = Some(finding);
            }
        }
    }
}

/// One sorted sequence being merged.
enum Source<'a> {
    Run(spool::Records<'a, Finding>),
    Memory(std::slice::Iter<'a, Finding>),
}

impl Source<'_> {
    fn next(&mut self) -> io::Result<Option<Finding>> {
        match self {
            Self::Memory(findings) => Ok(findings.next().cloned()),
            Self::Run(records) => records
                .next()
                .transpose()
                .map_err(|e| io::Error::new(e.io_kind(), e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::findings_in_order;
    use crate::test_data;

    /// Many findings, some twice, in no order.
    fn shuffled_findings() -> Vec<Finding> {
        let mut findings = Vec::new();
        for i in 0..7 {
            for mut finding in test_data::findings() {
                finding.url = format!("{}/{}", finding.url, (i * 5) % 7);
                findings.push(finding);
            }
        }
        let twice = findings[3].clone();
        findings.push(twice.clone());
        findings.insert(0, twice);
        findings
    }

    fn collect(sorted: &mut SortedFindings) -> Vec<Finding> {
        let mut out = Vec::new();
        sorted
            .for_each(|f| {
                out.push(f.clone());
                Ok(())
            })
            .unwrap();
        out
    }

    #[test]
    fn runs_on_disk_merge_into_the_csv_order_each_finding_once() {
        let findings = shuffled_findings();
        let mut expected: Vec<Finding> =
            findings_in_order(&findings).into_iter().cloned().collect();
        expected.dedup();
        assert_eq!(expected.len(), findings.len() - 2);

        let dir = tempfile::tempdir().unwrap();
        let mut spool = FindingSpool::with_run_len(dir.path(), 4);
        for finding in findings.clone() {
            spool.push(finding);
        }
        let mut sorted = spool.finish().unwrap();
        assert!(sorted.runs.len() > 5, "several runs were spilled");
        assert_eq!(collect(&mut sorted), expected);
        // Read again: the runs are read from their start each time.
        assert_eq!(collect(&mut sorted), expected);
        assert_eq!(collect(&mut SortedFindings::from(findings)), expected);
    }

    #[test]
    fn a_run_cut_short_on_disk_is_an_error_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut spool = FindingSpool::with_run_len(dir.path(), 4);
        for finding in shuffled_findings() {
            spool.push(finding);
        }
        let mut sorted = spool.finish().unwrap();
        let file = sorted.runs[1].file_for_tests();
        file.set_len(file.metadata().unwrap().len() - 1).unwrap();
        let error = sorted.for_each(|_| Ok(())).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof);
        assert!(
            error
                .to_string()
                .starts_with("a working file ends inside the record"),
            "{error}"
        );
    }

    #[test]
    fn a_run_that_cannot_be_written_is_an_error_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        let mut spool = FindingSpool::with_run_len(&gone, 2);
        for finding in test_data::findings() {
            spool.push(finding);
        }
        let error = spool.finish().err().expect("the folder does not exist");
        assert!(matches!(error, Error::Spool { dir, .. } if dir == gone));
    }
}
