//! [`AuditOutcome`]: how an audit that ran to its end (reports written)
//! turned out.

use std::path::PathBuf;

use model::{AuditEnd, FetchError};

/// What [`crate::run`] hands back once the reports are written.
#[derive(Clone, Debug)]
pub struct AuditOutcome {
    /// How the crawl ended: completed, truncated, or interrupted.
    pub end: AuditEnd,
    /// The audit folder.
    pub report_dir: PathBuf,
    /// The findings, counted.
    pub tally: report::FindingTally,
    /// Findings that fail the audit (at or above the threshold, and new
    /// with [`crate::FailOn::only_new`]).
    pub failing: usize,
    /// With [`crate::FailOn::only_new`]: the previous audit whose findings
    /// were compared with, `None` when there was none (every finding new).
    pub compared_with: Option<history::AuditId>,
    /// The history file the audit was recorded in; `None` without history.
    pub history_saved: Option<PathBuf>,
    /// The end-of-audit summary for the terminal.
    pub summary: String,
    /// The crawl's start URL.
    pub start_url: String,
    /// Set when the job requires a reachable start URL and it got no answer
    /// at all ([`analysis::AuditTrail::start_failure`]).
    pub start_failure: Option<FetchError>,
}

/// The audit's verdict, in order of precedence: what the exit code says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict<'a> {
    /// Stopped by a signal: the reports and history hold what was seen.
    Interrupted,
    /// The start URL could not be fetched at all.
    StartUnreachable(&'a FetchError),
    /// Findings fail the audit.
    Findings,
    /// Nothing fails the audit.
    Clean,
}

impl AuditOutcome {
    /// The verdict: interrupted first, then an unreachable start URL, then
    /// failing findings.
    pub fn verdict(&self) -> Verdict<'_> {
        if self.end == AuditEnd::Interrupted {
            Verdict::Interrupted
        } else if let Some(error) = &self.start_failure {
            Verdict::StartUnreachable(error)
        } else if self.failing > 0 {
            Verdict::Findings
        } else {
            Verdict::Clean
        }
    }
}
