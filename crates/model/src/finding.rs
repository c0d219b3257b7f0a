//! Findings: what analysis concluded, one row each in `findings.csv`.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How bad a finding is. Ordered: `Notice < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; usually fine.
    Notice,
    /// Costs crawl budget, signals or users; fix when convenient.
    Warning,
    /// Broken for users or search engines; fix now.
    Error,
}

impl Severity {
    /// Stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Notice => "notice",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "notice" => Ok(Self::Notice),
            "warning" => Ok(Self::Warning),
            "error" => Ok(Self::Error),
            other => Err(format!(
                "unknown severity '{other}' (expected notice, warning or error)"
            )),
        }
    }
}

/// Facts behind a finding. Every field is optional; each rule fills what
/// supports its message. Field order is the column order in `findings.csv`,
/// and the order in which the fields break ties between findings (see
/// [`Finding`]'s `Ord`).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    /// Status codes along the chain: `302 → 301 → 200`.
    pub status_chain: Option<String>,
    /// The raw Location value concerned, escaped for display.
    pub raw_location: Option<String>,
    /// Where a browser goes with that Location.
    pub resolved_target: Option<String>,
    /// What the author probably meant (for malformed values).
    pub probable_target: Option<String>,
    /// Number of redirect hops.
    pub hops: Option<usize>,
    /// The final URL of the chain.
    pub final_url: Option<String>,
    /// When history first saw it (RFC 3339).
    pub first_seen: Option<String>,
    /// When history last saw it before this audit (RFC 3339).
    pub last_seen: Option<String>,
    /// Age in whole days.
    pub age_days: Option<i64>,
    /// Number of audits that saw it.
    pub audits_seen: Option<u32>,
    /// Number of pages linking to the URL.
    pub linking_pages: Option<usize>,
    /// One linking page, as an example.
    pub sample_linking_page: Option<String>,
    /// Anything else, `key=value; key=value`.
    pub detail: Option<String>,
    /// Where an age comes from: `audits`, `access-log` or
    /// `audits+access-log` (see [`AGE_SOURCES`]).
    pub age_source: Option<String>,
}

/// [`Evidence::age_source`] of an age measured across audits.
pub const AGE_FROM_AUDITS: &str = "audits";
/// [`Evidence::age_source`] of an age measured in the access logs.
pub const AGE_FROM_ACCESS_LOG: &str = "access-log";
/// [`Evidence::age_source`] of an age both agree on.
pub const AGE_FROM_BOTH: &str = "audits+access-log";

/// The values of [`Evidence::age_source`], in the order reports show them.
pub const AGE_SOURCES: [&str; 3] = [AGE_FROM_AUDITS, AGE_FROM_ACCESS_LOG, AGE_FROM_BOTH];

/// One problem (or notable fact) found in an audit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's stable code, e.g. `malformed-location`.
    pub rule: String,
    /// How bad it is.
    pub severity: Severity,
    /// The URL whose response is the problem (the first URL of a chain, the
    /// linked URL for link rules).
    pub url: String,
    /// One line a person understands.
    pub message: String,
    /// Related URLs: the chain's hops, or linking pages.
    pub related: Vec<String>,
    /// The facts behind the message. Boxed: it is most of a finding's size,
    /// and a large site's findings are moved and sorted in bulk, where a
    /// 112-byte finding costs less than a third of a 376-byte one.
    pub evidence: Box<Evidence>,
}

impl Finding {
    /// A finding with empty `related` and `evidence`, filled in by the rule.
    pub fn new(
        rule: impl Into<String>,
        severity: Severity,
        url: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule: rule.into(),
            severity,
            url: url.into(),
            message: message.into(),
            related: Vec::new(),
            evidence: Box::default(),
        }
    }
}

/// The one order of findings, `findings.csv`'s and analysis's alike: most
/// severe first, then by rule, URL and message; the evidence (field by
/// field, in column order) and then the related URLs break any tie. Total
/// and consistent with `Eq`, so equal findings end up next to each other
/// and [`sort_findings`]'s `dedup` drops every duplicate.
impl Ord for Finding {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .severity
            .cmp(&self.severity)
            .then_with(|| self.rule.cmp(&other.rule))
            .then_with(|| self.url.cmp(&other.url))
            .then_with(|| self.message.cmp(&other.message))
            .then_with(|| self.evidence.cmp(&other.evidence))
            .then_with(|| self.related.cmp(&other.related))
    }
}

impl PartialOrd for Finding {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Sorts findings in their one order (see [`Finding`]'s `Ord`) and drops
/// duplicates: analysis may report a finding more than once (a hop shared by
/// several chains), and a report lists it once.
pub fn sort_findings(findings: &mut Vec<Finding>) {
    findings.sort_unstable();
    findings.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(severity: Severity, rule: &str, url: &str, message: &str) -> Finding {
        Finding::new(rule, severity, url, message)
    }

    #[test]
    fn most_severe_first_then_rule_url_message() {
        let mut findings = vec![
            finding(Severity::Notice, "a-rule", "https://e.test/a", "m"),
            finding(Severity::Warning, "b-rule", "https://e.test/b", "m"),
            finding(Severity::Error, "z-rule", "https://e.test/z", "m"),
            finding(Severity::Warning, "b-rule", "https://e.test/a", "z"),
            finding(Severity::Warning, "a-rule", "https://e.test/z", "m"),
            finding(Severity::Warning, "b-rule", "https://e.test/a", "a"),
        ];
        sort_findings(&mut findings);
        let keys: Vec<_> = findings
            .iter()
            .map(|f| {
                (
                    f.severity,
                    f.rule.as_str(),
                    f.url.as_str(),
                    f.message.as_str(),
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                (Severity::Error, "z-rule", "https://e.test/z", "m"),
                (Severity::Warning, "a-rule", "https://e.test/z", "m"),
                (Severity::Warning, "b-rule", "https://e.test/a", "a"),
                (Severity::Warning, "b-rule", "https://e.test/a", "z"),
                (Severity::Warning, "b-rule", "https://e.test/b", "m"),
                (Severity::Notice, "a-rule", "https://e.test/a", "m"),
            ]
        );
    }

    /// Two copies of a finding with a third between them that shares its
    /// rule, URL and message but not its evidence: an order on those three
    /// fields alone (analysis's before issue 14) kept both copies.
    #[test]
    fn duplicates_are_dropped_even_among_findings_alike_but_for_evidence() {
        let mut a = finding(Severity::Warning, "redirect-chain", "https://e.test/", "m");
        a.evidence.hops = Some(3);
        let mut b = a.clone();
        b.evidence.hops = Some(2);
        let mut findings = vec![a.clone(), b.clone(), a.clone()];
        sort_findings(&mut findings);
        assert_eq!(findings, [b, a]);
    }

    #[test]
    fn the_order_is_consistent_with_eq() {
        let a = finding(Severity::Notice, "r", "u", "m");
        let mut related = a.clone();
        related.related = vec!["https://e.test/x".to_owned()];
        let mut detail = a.clone();
        detail.evidence.detail = Some(String::new());
        for other in [&related, &detail] {
            assert_ne!(&a, other);
            assert_ne!(a.cmp(other), Ordering::Equal);
            assert_eq!(a.cmp(other), other.cmp(&a).reverse());
        }
        assert_eq!(a.cmp(&a.clone()), Ordering::Equal);
    }
}
