//! `report.html`: the data the page needs, gathered from the crawl,
//! analysis, history and the findings spool, handed to the report writer as
//! plain data (the report crate depends on neither analysis nor history).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use jiff::Timestamp;
use model::{Change, CrawlOutput, PriorObservations};
use report::{
    AuditPoint, Comparison, HtmlFindings, HtmlInput, HtmlLimits, RedirectAge, ReportWriter,
    RuleText,
};

use crate::Error;

/// How many earlier audits the "findings over time" chart shows.
const AUDITS_OVER_TIME: usize = 30;

/// What `report.html` needs from history, read with the rest of history
/// before the crawl: a server that goes away during the audit then costs
/// the saving of the audit, never its report.
#[derive(Debug, Default)]
pub(crate) struct HtmlHistory<'a> {
    /// The previous audit's findings, for "new" and "fixed": borrowed when
    /// the caller read them already (a large audit's are some megabytes).
    pub previous: Option<Cow<'a, history::PreviousFindings>>,
    /// When each earlier audit of the site started, oldest first.
    pub earlier: Vec<Timestamp>,
}

impl<'a> HtmlHistory<'a> {
    /// Reads it for `site_key`'s audit starting at `started_at`.
    /// `previous`: the previous findings when the caller read them already
    /// (for `--fail-on-new`).
    pub(crate) fn read(
        store: &mut history::History,
        site_key: &str,
        started_at: Timestamp,
        previous: Option<&'a history::PreviousFindings>,
    ) -> Result<Self, Error> {
        let previous = match previous {
            Some(previous) => Some(Cow::Borrowed(previous)),
            None => {
                let err = Error::reading_history(store);
                let read = store.previous_findings(site_key, started_at).map_err(err)?;
                read.map(Cow::Owned)
            }
        };
        let err = Error::reading_history(store);
        let earlier = store.audit_starts(site_key, started_at).map_err(err)?;
        Ok(Self { previous, earlier })
    }
}

/// What one audit knows that `report.html` shows besides its crawl.
pub(crate) struct HtmlAudit<'a> {
    pub crawl: &'a CrawlOutput,
    pub prior: &'a PriorObservations,
    /// The hop classes `hops.csv` shows.
    pub hop_classes: &'a crate::crawl_reports::HopClasses<'a>,
    /// Analysis settings: the clock and the access-log facts ages use.
    pub settings: &'a analysis::Settings,
    pub changes: &'a [Change],
    pub summary: &'a report::Summary,
    pub host_dir: &'a Path,
}

/// The findings as `report.html` needs them, gathered while `findings.csv`
/// is written (one pass over the spooled findings for both), with the
/// comparison against the previous audit's.
pub(crate) struct HtmlFindingsPass<'a> {
    gathered: HtmlFindings,
    previous: Option<&'a history::PreviousFindings>,
    /// Findings the previous audit did not have.
    new: usize,
    /// The previous audit's findings that are still there.
    kept: HashSet<(String, String)>,
}

impl<'a> HtmlFindingsPass<'a> {
    pub(crate) fn new(history: &'a HtmlHistory<'a>) -> Self {
        Self {
            gathered: HtmlFindings::new(HtmlLimits::default().rows_per_rule),
            previous: history.previous.as_deref(),
            new: 0,
            kept: HashSet::new(),
        }
    }

    /// One finding, in `findings.csv` order.
    pub(crate) fn add(&mut self, f: &model::Finding) {
        self.gathered.add(f);
        if let Some(prev) = self.previous {
            if prev.contains(&f.rule, &f.url) {
                self.kept.insert((f.rule.clone(), f.url.clone()));
            } else {
                self.new += 1;
            }
        }
    }
}

/// Writes `report.html`: the findings gathered with `findings.csv`,
/// history's earlier audits for the comparison and the chart over time.
pub(crate) fn write_html_report(
    writer: &ReportWriter,
    audit: &HtmlAudit<'_>,
    findings: HtmlFindingsPass<'_>,
    history: &HtmlHistory<'_>,
) -> Result<(), Error> {
    let limits = HtmlLimits::default();
    let HtmlFindingsPass {
        gathered,
        previous,
        new,
        kept,
    } = findings;
    let comparison = previous.map(|prev| Comparison {
        previous_started_at: prev.started_at,
        new,
        fixed: prev.len().saturating_sub(kept.len()),
    });

    let (previous_audit, over_time) = earlier_audits(&history.earlier, audit);
    // Every temporary redirect, wherever it sits in a chain, aged as the
    // long-lived rule ages it (earlier audits and access logs).
    let mut temporary_ages: HashMap<&str, RedirectAge> = HashMap::new();
    for hop in audit.crawl.chains.iter().flat_map(|c| &c.hops) {
        let (Some(status), Some(target)) = (hop.status, hop.target.as_deref()) else {
            continue;
        };
        if !model::is_temporary_status(status) || temporary_ages.contains_key(hop.url.as_str()) {
            continue;
        }
        if let Some(age) =
            analysis::temporary_redirect_age(&hop.url, target, audit.prior, audit.settings)
        {
            let age = RedirectAge {
                days: age.days,
                source: age.source,
            };
            temporary_ages.insert(&hop.url, age);
        }
    }
    let rules: Vec<RuleText> = analysis::RULES
        .iter()
        .map(|r| RuleText {
            code: r.code.to_owned(),
            why: r.why.to_owned(),
            fix: r.fix.to_owned(),
        })
        .collect();
    let input = HtmlInput {
        summary: audit.summary,
        crawl: audit.crawl,
        hop_classes: audit.hop_classes,
        temporary_ages: &temporary_ages,
        changes: audit.changes,
        previous_audit,
        comparison,
        over_time: &over_time,
        rules: &rules,
        limits,
    };
    writer
        .write_html(&input, &gathered)
        .map_err(|source| Error::WriteReport {
            file: report::REPORT_HTML,
            dir: writer.dir().to_path_buf(),
            source,
        })?;
    Ok(())
}

/// The previous audit's start, and the findings of the earlier audits whose
/// folders (and `summary.json`) are still under the site's folder.
fn earlier_audits(
    earlier: &[Timestamp],
    audit: &HtmlAudit<'_>,
) -> (Option<Timestamp>, Vec<AuditPoint>) {
    let previous = earlier.last().copied();
    let points = earlier
        .iter()
        .rev()
        .take(AUDITS_OVER_TIME)
        .rev()
        .filter_map(|&started_at| {
            let path = audit
                .host_dir
                .join(report::audit_dir_name(started_at))
                .join(report::SUMMARY_JSON);
            // An audit whose folder was deleted (or written elsewhere with
            // --out) is left out of the chart, not an error.
            let summary = report::read_summary_json(&path).ok()?;
            Some(AuditPoint {
                started_at,
                findings: summary.counts.findings_by_severity,
            })
        })
        .collect();
    (previous, points)
}
