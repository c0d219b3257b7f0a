//! What a caller can tune about an analysis run.

use std::sync::Arc;

use jiff::Timestamp;
use model::{AccessLogFacts, Severity};

/// Default for [`Settings::long_lived_days`]: 30 days.
///
/// Why 30: Google gives no fixed time after which a 302 acts like a 301
/// (John Mueller, 2015 and 2021), Bing says a 302 is for moves of "less than
/// one day" and treats a 302 that points at the same target crawl after crawl
/// like a 301, and teams in practice convert 302s older than about two weeks.
/// A month is long enough that scheduled weekly audits see it four or five
/// times, and short enough to catch a "temporary" migration that stuck.
pub const DEFAULT_LONG_LIVED_DAYS: i64 = 30;

/// Inputs to [`crate::analyze`] besides the records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The audit clock (`--now`): ages are measured up to this instant.
    pub now: Timestamp,
    /// A temporary redirect to the same target seen in audits spanning at
    /// least this many days is `long-lived-temporary-redirect`.
    pub long_lived_days: i64,
    /// Rule codes whose findings are dropped (`--ignore-rule`). Unknown codes
    /// are ignored here; validate them with [`crate::rule_info`].
    pub ignore_rules: Vec<String>,
    /// Findings below this severity are dropped (`--min-severity`).
    pub min_severity: Severity,
    /// What the site's access logs say (`--access-log`, and the evidence
    /// history kept from earlier reads); `None` when no log was ever read.
    /// Ages temporary redirects from the first audit and adds Googlebot
    /// counts to the temporary-redirect and malformed-location findings.
    pub access_log: Option<Arc<AccessLogFacts>>,
}

impl Settings {
    /// Defaults for everything but the clock: [`DEFAULT_LONG_LIVED_DAYS`], no
    /// ignored rules, every severity.
    pub fn new(now: Timestamp) -> Self {
        Self {
            now,
            long_lived_days: DEFAULT_LONG_LIVED_DAYS,
            ignore_rules: Vec::new(),
            min_severity: Severity::Notice,
            access_log: None,
        }
    }

    /// Whether a finding passes `--ignore-rule` and `--min-severity`.
    pub(crate) fn keeps(&self, finding: &model::Finding) -> bool {
        finding.severity >= self.min_severity && !self.ignore_rules.contains(&finding.rule)
    }
}
