//! How rules make findings: at the catalogue's severity, or at one the rule
//! chooses. Shared by the single-audit rules and the history rules, and
//! importing neither.

use model::{Finding, Severity};

use crate::catalogue::severity_of;

/// A finding at the rule's catalogue severity.
pub(crate) fn finding(code: &str, url: &str, message: String) -> Finding {
    Finding::new(code, severity_of(code), url, message)
}

/// A finding at an explicit severity (rules whose severity varies).
pub(crate) fn finding_at(code: &str, severity: Severity, url: &str, message: String) -> Finding {
    Finding::new(code, severity, url, message)
}
