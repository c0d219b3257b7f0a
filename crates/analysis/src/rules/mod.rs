//! The single-audit rules, one module per family. Each appends findings for
//! one [`Index`]; filtering and ordering happen in [`crate::analyze`].

mod chains;
mod client;
mod hops;
mod location;
mod loops;
mod references;

use model::{Finding, Severity};

use crate::analyze::FindingSink;
use crate::catalogue::severity_of;
use crate::index::Index;

/// Runs every single-audit rule.
pub(crate) fn run(ix: &Index<'_>, out: &mut dyn FindingSink) {
    location::check(ix, out);
    hops::check(ix, out);
    chains::check(ix, out);
    loops::check(ix, out);
    client::check(ix, out);
    references::check(ix, out);
}

/// A finding at the rule's catalogue severity.
pub(crate) fn finding(code: &str, url: &str, message: String) -> Finding {
    Finding::new(code, severity_of(code), url, message)
}

/// A finding at an explicit severity (rules whose severity varies).
pub(crate) fn finding_at(code: &str, severity: Severity, url: &str, message: String) -> Finding {
    Finding::new(code, severity, url, message)
}
