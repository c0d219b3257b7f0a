//! Findings in `findings.csv` order without holding them all: a large site
//! has hundreds of thousands, each with its message, evidence and related
//! URLs. They are sorted in runs of [`RUN_LEN`], each run spilled to an
//! unnamed temporary file, and merged when read.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use model::{Finding, sort_findings};

use crate::error::Error;

/// Findings sorted in memory at a time; a run of them is some 10 MB.
pub const RUN_LEN: usize = 8192;

/// Collects findings as analysis makes them (see [`model::FindingSink`]),
/// spilling sorted runs to `dir`.
pub struct FindingSpool {
    dir: PathBuf,
    run_len: usize,
    run: Vec<Finding>,
    runs: Vec<File>,
    /// The first spill that failed; later findings are dropped and
    /// [`FindingSpool::finish`] reports it.
    failure: Option<io::Error>,
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

    fn spill(&mut self) -> io::Result<()> {
        sort_run(&mut self.run);
        let file = tempfile::tempfile_in(&self.dir)?;
        let mut out = BufWriter::with_capacity(1 << 16, &file);
        let mut bytes = Vec::new();
        for finding in self.run.drain(..) {
            bytes.clear();
            bytes = postcard::to_extend(&finding, bytes).map_err(io::Error::other)?;
            let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
            out.write_all(&len.to_le_bytes())?;
            out.write_all(&bytes)?;
        }
        out.flush()?;
        drop(out);
        self.runs.push(file);
        Ok(())
    }

    /// Every finding taken, sorted; an error if a run could not be written.
    pub fn finish(mut self) -> Result<SortedFindings, Error> {
        if let Some(source) = self.failure {
            return Err(Error::Write {
                path: self.dir,
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
    runs: Vec<File>,
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
    /// error, the visitor's or reading a run back. `&mut`: reading moves the
    /// runs' file offsets, so two visits must not overlap.
    pub fn for_each(
        &mut self,
        mut visit: impl FnMut(&Finding) -> io::Result<()>,
    ) -> io::Result<()> {
        if self.runs.is_empty() {
            return self.tail.iter().try_for_each(visit);
        }
        let mut sources = Vec::with_capacity(self.runs.len() + 1);
        for mut file in &self.runs {
            file.rewind()?;
            sources.push(Source::Run(BufReader::with_capacity(1 << 16, file)));
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
    Run(BufReader<&'a File>),
    Memory(std::slice::Iter<'a, Finding>),
}

impl Source<'_> {
    fn next(&mut self) -> io::Result<Option<Finding>> {
        match self {
            Self::Memory(findings) => Ok(findings.next().cloned()),
            Self::Run(reader) => {
                let mut len = [0; 4];
                match reader.read_exact(&mut len) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
                    Err(e) => return Err(e),
                }
                let mut bytes = vec![0; u32::from_le_bytes(len) as usize];
                reader.read_exact(&mut bytes)?;
                postcard::from_bytes(&bytes)
                    .map(Some)
                    .map_err(io::Error::other)
            }
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
    fn a_run_that_cannot_be_written_is_an_error_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone");
        let mut spool = FindingSpool::with_run_len(&gone, 2);
        for finding in test_data::findings() {
            spool.push(finding);
        }
        let error = spool.finish().err().expect("the folder does not exist");
        assert!(matches!(error, Error::Write { path, .. } if path == gone));
    }
}
