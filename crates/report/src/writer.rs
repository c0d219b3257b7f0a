//! [`ReportWriter`]: the audit folder and its files, each written
//! atomically.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fs;
use std::hash::Hash;
use std::path::{Path, PathBuf};

use model::{Change, CrawlOutput, Finding};

use crate::atomic::write_atomic;
use crate::csv_files::{
    write_changes_csv, write_finding_rows, write_hops_csv, write_pages_csv, write_redirects_csv,
};
use crate::summary_json::{Summary, write_summary_json};
use crate::{Error, FindingTally, RedirectExtras, SortedFindings};

/// File name of the findings report.
pub const FINDINGS_CSV: &str = "findings.csv";
/// File name of the per-redirect report.
pub const REDIRECTS_CSV: &str = "redirects.csv";
/// File name of the per-hop evidence.
pub const HOPS_CSV: &str = "hops.csv";
/// File name of the per-URL crawl record.
pub const PAGES_CSV: &str = "pages.csv";
/// File name of the changes since the previous audit.
pub const CHANGES_CSV: &str = "changes.csv";
/// File name of the summary; written last, its presence marks a finished
/// audit folder.
pub const SUMMARY_JSON: &str = "summary.json";

/// Writes the files of one audit folder. Each `write_*` method replaces its
/// file atomically and returns its path.
#[derive(Clone, Debug)]
pub struct ReportWriter {
    dir: PathBuf,
}

impl ReportWriter {
    /// Creates `dir` (and its parents) and checks that files can be created
    /// in it, so an unwritable `--out` fails before the crawl, not after.
    pub fn create(dir: impl Into<PathBuf>) -> Result<Self, Error> {
        let dir = dir.into();
        let err = |source| Error::CreateDir {
            path: dir.clone(),
            source,
        };
        fs::create_dir_all(&dir).map_err(err)?;
        tempfile::Builder::new()
            .prefix(".write-check.")
            .tempfile_in(&dir)
            .map_err(err)?;
        Ok(Self { dir })
    }

    /// The audit folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn write(
        &self,
        name: &str,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<PathBuf, Error> {
        let path = self.dir.join(name);
        write_atomic(&path, write)?;
        Ok(path)
    }

    /// Writes `findings.csv` from findings sorted on the way (see
    /// [`crate::FindingSpool`]) and counts them; `visit` sees each finding
    /// as it is written (the binary decides its exit code on the same pass
    /// rather than reading the findings back).
    pub fn write_findings(
        &self,
        findings: &mut SortedFindings,
        mut visit: impl FnMut(&Finding),
    ) -> Result<FindingTally, Error> {
        let mut tally = FindingTally::default();
        self.write(FINDINGS_CSV, |w| {
            write_finding_rows(w, |row| {
                findings.for_each(|finding| {
                    tally.add(finding);
                    visit(finding);
                    row(finding)
                })
            })
        })?;
        Ok(tally)
    }

    /// Writes `redirects.csv`; `extras` maps a chain start URL to its
    /// classes and history dates.
    pub fn write_redirects<K: Borrow<str> + Eq + Hash>(
        &self,
        crawl: &CrawlOutput,
        extras: &HashMap<K, RedirectExtras>,
    ) -> Result<PathBuf, Error> {
        self.write(REDIRECTS_CSV, |w| write_redirects_csv(w, crawl, extras))
    }

    /// Writes `hops.csv`; `classes` maps a hop URL to its redirect class.
    pub fn write_hops<K: Borrow<str> + Eq + Hash>(
        &self,
        crawl: &CrawlOutput,
        classes: &HashMap<K, String>,
    ) -> Result<PathBuf, Error> {
        self.write(HOPS_CSV, |w| write_hops_csv(w, crawl, classes))
    }

    /// Writes `pages.csv`.
    pub fn write_pages(&self, crawl: &CrawlOutput) -> Result<PathBuf, Error> {
        self.write(PAGES_CSV, |w| write_pages_csv(w, crawl))
    }

    /// Writes `changes.csv`.
    pub fn write_changes(&self, changes: &[Change]) -> Result<PathBuf, Error> {
        self.write(CHANGES_CSV, |w| write_changes_csv(w, changes))
    }

    /// Writes `report.html` (see [`crate::write_html`]).
    pub fn write_html(
        &self,
        input: &crate::HtmlInput<'_>,
        findings: &crate::HtmlFindings,
    ) -> Result<PathBuf, Error> {
        self.write(crate::REPORT_HTML, |w| {
            crate::write_html(w, input, findings)
        })
    }

    /// Writes `summary.json`. Write it last: [`crate::update_latest`] and
    /// readers take its presence to mean the folder is finished.
    pub fn write_summary(&self, summary: &Summary) -> Result<PathBuf, Error> {
        self.write(SUMMARY_JSON, |w| write_summary_json(w, summary))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_data;

    #[test]
    fn writes_the_six_files_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("reports/example.com/2026-11-24T23-53-37Z");
        let writer = ReportWriter::create(&dir).unwrap();
        let crawl = test_data::crawl();
        let findings = test_data::findings();
        let changes = test_data::changes();
        let settings = serde_json::json!({});
        let tally = writer
            .write_findings(&mut SortedFindings::from(findings.clone()), |_| {})
            .unwrap();
        assert_eq!(tally, crate::FindingTally::of(&findings));
        writer
            .write_redirects(&crawl, &HashMap::<&str, _>::new())
            .unwrap();
        let hops = writer
            .write_hops(&crawl, &HashMap::<&str, _>::new())
            .unwrap();
        writer.write_pages(&crawl).unwrap();
        writer.write_changes(&changes).unwrap();
        let tally = crate::FindingTally::of(&findings);
        let input = test_data::summary_input(&crawl, &tally, &changes, &settings, writer.dir());
        let summary = writer.write_summary(&crate::Summary::new(&input)).unwrap();
        assert_eq!(
            crate::test_data::file_names(&dir),
            [
                CHANGES_CSV,
                FINDINGS_CSV,
                HOPS_CSV,
                PAGES_CSV,
                REDIRECTS_CSV,
                SUMMARY_JSON
            ]
        );
        assert_eq!(crate::read_hops_csv(&hops).unwrap().len(), 7);
        assert_eq!(
            crate::read_summary_json(&summary).unwrap().counts.findings,
            5
        );
    }

    #[test]
    fn an_unwritable_folder_is_a_clear_error() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("a-file");
        fs::write(&file, "").unwrap();
        let dir = file.join("reports");
        let err = ReportWriter::create(&dir).unwrap_err();
        assert!(matches!(err, Error::CreateDir { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("cannot create report folder {}", dir.display())
        );
        assert!(std::error::Error::source(&err).is_some());
    }
}
