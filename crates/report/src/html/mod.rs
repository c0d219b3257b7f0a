//! `report.html`: one self-contained page for people, beside the CSVs.
//!
//! The caller gathers plain data ([`HtmlInput`]: the summary, the crawl's
//! chains, the changes, the rule texts, history's audits) and streams the
//! findings through [`HtmlFindings`] (a large audit's findings live on
//! disk); [`write_html`] renders them with an askama template (escaped by
//! the engine) and plotters' SVG backend for the charts.
//!
//! Large audits stay usable: past [`HtmlLimits`] the page shows counts and
//! points to the CSV rows instead of embedding everything.

mod charts;
mod collect;
mod csp;
mod template;
mod text;
mod view;

use std::collections::HashMap;
use std::io;

use jiff::Timestamp;
use model::{Change, CrawlOutput};

use crate::{SeverityCounts, Summary};

pub use collect::HtmlFindings;

/// File name of the HTML report.
pub const REPORT_HTML: &str = "report.html";

/// How much of a large audit the page embeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HtmlLimits {
    /// Finding rows shown per rule; the rest are counted and left to
    /// `findings.csv`.
    pub rows_per_rule: usize,
    /// Chains drawn hop by hop; the rest are left to `redirects.csv` and
    /// `hops.csv`.
    pub chains: usize,
    /// Changes listed; the rest are left to `changes.csv`.
    pub changes: usize,
}

/// Default [`HtmlLimits::rows_per_rule`]. With the chains and changes
/// below, a one-million-URL audit's page stays near 2 MB and renders in
/// headless Chromium in well under 3 s (`redirect-audit-bench html`).
pub const HTML_ROWS_PER_RULE: usize = 200;
/// Default [`HtmlLimits::chains`].
pub const HTML_CHAINS: usize = 200;
/// Default [`HtmlLimits::changes`].
pub const HTML_CHANGES: usize = 1000;

impl Default for HtmlLimits {
    fn default() -> Self {
        Self {
            rows_per_rule: HTML_ROWS_PER_RULE,
            chains: HTML_CHAINS,
            changes: HTML_CHANGES,
        }
    }
}

/// A rule's README text: why it matters, how to fix it. The rule catalogue
/// lives in analysis; the caller hands its texts over as data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleText {
    /// The rule's code.
    pub code: String,
    /// Why it matters.
    pub why: String,
    /// How to fix it.
    pub fix: String,
}

/// This audit's findings against the previous audit's, by rule and URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// When the previous audit started.
    pub previous_started_at: Timestamp,
    /// Findings (rule and URL) the previous audit did not have.
    pub new: usize,
    /// Findings of the previous audit this one no longer has.
    pub fixed: usize,
}

/// One audit's findings for the "findings over time" chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditPoint {
    /// When it started.
    pub started_at: Timestamp,
    /// Its findings by severity.
    pub findings: SeverityCounts,
}

/// How old a temporary redirect is, and on what evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RedirectAge {
    /// Whole days since its current run began.
    pub days: i64,
    /// `audits`, `access-log` or `audits+access-log`, as in findings.csv's
    /// `age_source`.
    pub source: &'static str,
}

/// Everything `report.html` shows besides the findings.
#[derive(Clone, Copy, Debug)]
pub struct HtmlInput<'a> {
    /// The summary (verdict, counts, settings, times), as in `summary.json`.
    pub summary: &'a Summary,
    /// The crawl: its chains are drawn hop by hop.
    pub crawl: &'a CrawlOutput,
    /// Redirect class per hop URL, as `hops.csv` names them.
    pub hop_classes: &'a HashMap<&'a str, String>,
    /// The age of each temporary redirect by the URL that sends it, as
    /// `long-lived-temporary-redirect` counts it (audits and access logs);
    /// for the findings without an age of their own. Absent means first
    /// seen in this audit.
    pub temporary_ages: &'a HashMap<&'a str, RedirectAge>,
    /// What changed since the previous audit.
    pub changes: &'a [Change],
    /// When the previous audit started (the "since" of the changes).
    pub previous_audit: Option<Timestamp>,
    /// New and fixed findings, when history kept the previous audit's.
    pub comparison: Option<Comparison>,
    /// Earlier audits' findings, oldest first (this audit is added).
    pub over_time: &'a [AuditPoint],
    /// The README texts of the rules.
    pub rules: &'a [RuleText],
    /// How much to embed.
    pub limits: HtmlLimits,
}

/// Writes `report.html` for `input` and the `findings` gathered.
pub fn write_html<W: io::Write>(
    mut out: W,
    input: &HtmlInput<'_>,
    findings: &HtmlFindings,
) -> io::Result<()> {
    let page = view::page(input, findings);
    let html = template::render(&page).map_err(io::Error::other)?;
    out.write_all(html.as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests;
