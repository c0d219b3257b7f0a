//! Findings: what analysis concluded, one row each in `findings.csv`.

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
/// supports its message. Field order is the column order in `findings.csv`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
}

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
