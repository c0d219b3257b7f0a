//! [`HtmlFindings`]: what the page needs of the findings, gathered in one
//! streamed pass (a large audit's findings are on disk, never all in
//! memory).

use std::collections::{BTreeMap, HashMap};

use model::{Finding, Severity};

use crate::SeverityCounts;

/// Rules whose findings are temporary redirects: their ages make the age
/// histogram. Every on-site temporary redirect has exactly one of them
/// (`temporary-redirect` gives way to the more specific two).
const TEMPORARY_RULES: [&str; 3] = [
    "temporary-redirect",
    "temporary-redirect-looks-permanent",
    "long-lived-temporary-redirect",
];

/// The rule whose findings mark a hop malformed in the chain drawings.
const MALFORMED_RULE: &str = "malformed-location";

/// One rule's findings: counted, the first rows kept.
#[derive(Clone, Debug, Default)]
pub(crate) struct RuleFindings {
    pub counts: SeverityCounts,
    pub rows: Vec<Finding>,
}

impl RuleFindings {
    pub fn total(&self) -> usize {
        self.counts.error + self.counts.warning + self.counts.notice
    }

    pub fn worst(&self) -> Severity {
        if self.counts.error > 0 {
            Severity::Error
        } else if self.counts.warning > 0 {
            Severity::Warning
        } else {
            Severity::Notice
        }
    }
}

/// A temporary redirect for the age histogram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TemporaryAge {
    pub url: String,
    /// The finding's own age, when it has one.
    pub age_days: Option<i64>,
    /// The finding's own `age_source` (`audits`, `access-log`,
    /// `audits+access-log`), when it has one.
    pub source: Option<String>,
}

/// A malformed Location, for the hop that sent it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Malformed {
    pub resolved: String,
    pub probable: String,
}

/// What `report.html` needs of the findings: per rule its counts and first
/// rows (in `findings.csv` order when fed in that order), the malformed
/// hops, and the temporary redirects' ages. Feed every finding to
/// [`HtmlFindings::add`].
#[derive(Clone, Debug)]
pub struct HtmlFindings {
    rows_per_rule: usize,
    pub(crate) rules: BTreeMap<String, RuleFindings>,
    pub(crate) malformed: HashMap<String, Malformed>,
    pub(crate) temporary: Vec<TemporaryAge>,
}

impl HtmlFindings {
    /// Gathers findings, keeping at most `rows_per_rule` rows per rule
    /// ([`crate::HtmlLimits::rows_per_rule`]).
    pub fn new(rows_per_rule: usize) -> Self {
        Self {
            rows_per_rule,
            rules: BTreeMap::new(),
            malformed: HashMap::new(),
            temporary: Vec::new(),
        }
    }

    /// Takes in one finding.
    pub fn add(&mut self, f: &Finding) {
        let rule = match self.rules.get_mut(&f.rule) {
            Some(rule) => rule,
            None => self.rules.entry(f.rule.clone()).or_default(),
        };
        rule.counts.add(f.severity);
        if rule.rows.len() < self.rows_per_rule {
            rule.rows.push(f.clone());
        }
        if f.rule == MALFORMED_RULE {
            self.malformed.insert(
                f.url.clone(),
                Malformed {
                    resolved: f.evidence.resolved_target.clone().unwrap_or_default(),
                    probable: f.evidence.probable_target.clone().unwrap_or_default(),
                },
            );
        }
        if TEMPORARY_RULES.contains(&f.rule.as_str()) {
            self.temporary.push(TemporaryAge {
                url: f.url.clone(),
                age_days: f.evidence.age_days,
                source: f.evidence.age_source.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_finding_keeps_the_first_rows() {
        let mut gathered = HtmlFindings::new(2);
        for i in 0..5 {
            let severity = if i == 0 {
                Severity::Error
            } else {
                Severity::Warning
            };
            gathered.add(&Finding::new(
                "redirect-chain",
                severity,
                format!("https://e.test/{i}"),
                "m",
            ));
        }
        let rule = &gathered.rules["redirect-chain"];
        assert_eq!((rule.counts.error, rule.counts.warning), (1, 4));
        assert_eq!(rule.total(), 5);
        assert_eq!(rule.worst(), Severity::Error);
        let urls: Vec<&str> = rule.rows.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(urls, ["https://e.test/0", "https://e.test/1"]);
    }

    #[test]
    fn temporary_redirects_and_malformed_hops_are_remembered() {
        let mut gathered = HtmlFindings::new(10);
        let mut old = Finding::new(
            "long-lived-temporary-redirect",
            Severity::Warning,
            "https://e.test/old",
            "m",
        );
        old.evidence.age_days = Some(400);
        old.evidence.age_source = Some("access-log".to_owned());
        gathered.add(&old);
        gathered.add(&Finding::new(
            "temporary-redirect",
            Severity::Notice,
            "https://e.test/new",
            "m",
        ));
        gathered.add(&Finding::new(
            "redirect-chain",
            Severity::Warning,
            "https://e.test/c",
            "m",
        ));
        let mut bad = Finding::new(
            "malformed-location",
            Severity::Error,
            "https://e.test/bad",
            "m",
        );
        bad.evidence.resolved_target = Some("https://e.test/http//x".to_owned());
        gathered.add(&bad);
        assert_eq!(
            gathered.temporary,
            [
                TemporaryAge {
                    url: "https://e.test/old".to_owned(),
                    age_days: Some(400),
                    source: Some("access-log".to_owned())
                },
                TemporaryAge {
                    url: "https://e.test/new".to_owned(),
                    age_days: None,
                    source: None
                },
            ]
        );
        assert_eq!(
            gathered.malformed["https://e.test/bad"].resolved,
            "https://e.test/http//x"
        );
    }
}
