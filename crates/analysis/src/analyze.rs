//! The entry point: every rule, then the caller's filters, then a stable
//! order.

use std::collections::HashSet;

use model::{
    Change, CrawlOutput, Expectation, Finding, FindingSink, Observation, PriorObservations,
    sort_findings,
};

use crate::catalogue::code;
use crate::changes::changes_from;
use crate::history_rules;
use crate::index::{Index, notable_pages};
use crate::migration::check_expectations;
use crate::observations::observations_in;
use crate::rules;
use crate::settings::Settings;

/// Every finding for one crawl, given what earlier completed audits saw.
///
/// Findings of ignored rules and below the minimum severity are dropped. The
/// notice `temporary-redirect` is dropped for a URL that a more specific rule
/// (`temporary-redirect-looks-permanent`, `long-lived-temporary-redirect`)
/// already reports, unless that rule is ignored. Sorted in the one order of
/// findings, `findings.csv`'s ([`model::sort_findings`]): most severe first,
/// then rule, URL, message.
pub fn analyze(
    output: &CrawlOutput,
    prior: &PriorObservations,
    settings: &Settings,
) -> Vec<Finding> {
    analyze_audit(output, prior, settings, &[]).findings
}

/// Everything analysis says about one audit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditAnalysis {
    /// [`crate::analyze`]'s findings, with the list checks of
    /// [`crate::check_expectations`], sorted and filtered alike.
    pub findings: Vec<Finding>,
    /// Changes and observations.
    pub trail: AuditTrail,
}

/// Findings (with the list checks of `expectations`), changes and
/// observations from one pass over the crawl's records and one index:
/// what an audit needs, without reading a large crawl three times.
pub fn analyze_audit(
    output: &CrawlOutput,
    prior: &PriorObservations,
    settings: &Settings,
    expectations: &[Expectation],
) -> AuditAnalysis {
    let mut findings = Vec::new();
    let trail = analyze_audit_into(output, prior, settings, expectations, &mut findings);
    sort_findings(&mut findings);
    AuditAnalysis { findings, trail }
}

/// What an audit's analysis says besides the findings: what history
/// needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditTrail {
    /// [`crate::changes`]: what differs from the previous completed audit.
    pub changes: Vec<Change>,
    /// [`crate::observations`] at [`Settings::now`]: what history records.
    pub observations: Vec<Observation>,
    /// Why the crawl's start URL got no answer at all, if it got none (a
    /// robots.txt refusal is a decision, not a failure).
    pub start_failure: Option<model::FetchError>,
}

/// [`analyze_audit`], handing each finding to `sink` as soon as the filters
/// allow, in no particular order and possibly more than once (the order and
/// the duplicates are the sink's to settle). Only `temporary-redirect`
/// findings wait for the end, since a later, more specific rule can replace
/// them.
pub fn analyze_audit_into(
    output: &CrawlOutput,
    prior: &PriorObservations,
    settings: &Settings,
    expectations: &[Expectation],
    sink: &mut dyn FindingSink,
) -> AuditTrail {
    let pages = notable_pages(output, prior.by_url.keys().map(String::as_str));
    let ix = Index::new(output, &pages);
    let mut filter = Filter {
        settings,
        sink,
        specific: HashSet::new(),
        temporary: Vec::new(),
    };
    rules::run(&ix, &mut filter);
    let observations = observations_in(&ix, settings.now, prior);
    history_rules::check(&observations, prior, settings, &mut filter);
    for finding in check_expectations(output, expectations) {
        filter.push(finding);
    }
    filter.finish();
    let changes = changes_from(&observations, prior);
    AuditTrail {
        changes,
        observations,
        start_failure: crate::report_facts::start_failure(&ix),
    }
}

/// The caller's filters between the rules and the sink: ignored rules,
/// the minimum severity, and `temporary-redirect` dropped where a more
/// specific rule reports the same URL.
struct Filter<'s> {
    settings: &'s Settings,
    sink: &'s mut dyn FindingSink,
    /// URLs with `temporary-redirect-looks-permanent` or
    /// `long-lived-temporary-redirect` findings.
    specific: HashSet<String>,
    /// `temporary-redirect` findings, held until every rule has run.
    temporary: Vec<Finding>,
}

impl FindingSink for Filter<'_> {
    fn push(&mut self, mut finding: Finding) {
        if self.settings.ignore_rules.contains(&finding.rule) {
            return;
        }
        if let Some(logs) = &self.settings.access_log {
            crate::log_figures::add_log_figures(&mut finding, logs);
        }
        if finding.rule == code::TEMPORARY_LOOKS_PERMANENT
            || finding.rule == code::LONG_LIVED_TEMPORARY
        {
            self.specific.insert(finding.url.clone());
        }
        if finding.rule == code::TEMPORARY_REDIRECT {
            self.temporary.push(finding);
        } else if self.settings.keeps(&finding) {
            self.sink.push(finding);
        }
    }
}

impl Filter<'_> {
    fn finish(self) {
        for finding in self.temporary {
            if !self.specific.contains(&finding.url) && self.settings.keeps(&finding) {
                self.sink.push(finding);
            }
        }
    }
}
