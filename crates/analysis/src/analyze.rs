//! The entry point: every rule, then the caller's filters, then a stable
//! order.

use std::collections::HashSet;

use model::{Change, CrawlOutput, Expectation, Finding, Observation, PriorObservations};

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
/// already reports, unless that rule is ignored. Sorted by rule, URL, message.
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
    /// [`crate::analyze_list`]'s findings.
    pub findings: Vec<Finding>,
    /// [`crate::changes`]: what differs from the previous completed audit.
    pub changes: Vec<Change>,
    /// [`crate::observations`] at [`Settings::now`]: what history records.
    pub observations: Vec<Observation>,
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
    let pages = notable_pages(output, prior.by_url.keys().map(String::as_str));
    let ix = Index::new(output, &pages);
    let mut findings = rules::run(&ix);
    let observations = observations_in(&ix, settings.now, prior);
    history_rules::check(&observations, prior, settings, &mut findings);

    findings.retain(|f| !settings.ignore_rules.contains(&f.rule));
    let specific: HashSet<String> = findings
        .iter()
        .filter(|f| {
            f.rule == code::TEMPORARY_LOOKS_PERMANENT || f.rule == code::LONG_LIVED_TEMPORARY
        })
        .map(|f| f.url.clone())
        .collect();
    findings.retain(|f| f.rule != code::TEMPORARY_REDIRECT || !specific.contains(&f.url));
    findings.extend(check_expectations(output, expectations));
    findings.retain(|f| settings.keeps(f));
    sort_findings(&mut findings);
    let changes = changes_from(&observations, prior);
    AuditAnalysis {
        findings,
        changes,
        observations,
    }
}

/// The one order of findings: rule, URL, message; duplicates dropped.
pub(crate) fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| (&a.rule, &a.url, &a.message).cmp(&(&b.rule, &b.url, &b.message)));
    findings.dedup();
}
