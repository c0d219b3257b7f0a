//! What the summary says of the findings, counted in one pass: the findings
//! themselves may be on disk.

use std::collections::BTreeMap;

use model::{Finding, Severity};
use serde::{Deserialize, Serialize};

/// Findings per severity; every severity is present, zero or not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    /// Findings of severity `error`.
    pub error: usize,
    /// Findings of severity `warning`.
    pub warning: usize,
    /// Findings of severity `notice`.
    pub notice: usize,
}

impl SeverityCounts {
    /// Counts one finding of `severity`.
    pub fn add(&mut self, severity: Severity) {
        *self.get_mut(severity) += 1;
    }

    /// The count of `severity`.
    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Notice => self.notice,
        }
    }

    fn get_mut(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Error => &mut self.error,
            Severity::Warning => &mut self.warning,
            Severity::Notice => &mut self.notice,
        }
    }
}

/// Findings counted in all, by severity and by rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingTally {
    /// Findings in all (rows of `findings.csv`).
    pub total: usize,
    /// Findings per severity.
    pub by_severity: SeverityCounts,
    /// Per rule code: its findings.
    pub by_rule: BTreeMap<String, RuleTally>,
}

/// One rule's findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleTally {
    /// Its most severe finding's severity.
    pub severity: Severity,
    /// How many.
    pub count: usize,
    /// The most severe finding's URL (the first by URL among equals).
    pub example: String,
}

impl FindingTally {
    /// Counts `findings`.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut tally = Self::default();
        for finding in findings {
            tally.add(finding);
        }
        tally
    }

    /// Counts one more finding.
    pub fn add(&mut self, f: &Finding) {
        self.total += 1;
        self.by_severity.add(f.severity);
        let rule = match self.by_rule.get_mut(&f.rule) {
            Some(rule) => rule,
            None => self.by_rule.entry(f.rule.clone()).or_insert(RuleTally {
                severity: f.severity,
                count: 0,
                example: f.url.clone(),
            }),
        };
        rule.count += 1;
        if (f.severity, std::cmp::Reverse(f.url.as_str()))
            > (rule.severity, std::cmp::Reverse(rule.example.as_str()))
        {
            rule.severity = f.severity;
            rule.example.clone_from(&f.url);
        }
    }
}
