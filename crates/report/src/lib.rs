//! Writes an audit folder: `findings.csv`, `redirects.csv`, `hops.csv`,
//! `pages.csv`, `changes.csv` and `summary.json`, each sorted so two audits
//! diff cleanly, each written atomically; `report.html` for people; plus the
//! end-of-audit summary for the terminal.
//!
//! Every CSV writer is generic over [`std::io::Write`] (tests write into a
//! `Vec<u8>`); [`ReportWriter`] puts them in a folder through a temporary
//! file and a rename. Cells a spreadsheet would run as a formula are
//! neutralised (see [`neutralize_cell`]). This crate never prints.
#![deny(missing_docs)]

mod access_log;
mod atomic;
mod csv_files;
mod error;
mod finding_spool;
mod html;
mod latest;
mod neutralize;
mod rows;
mod summary_json;
mod tally;
mod terminal;
mod writer;

#[cfg(test)]
mod test_data;

pub use access_log::AccessLogRead;
pub use csv_files::{
    read_findings_csv, read_hops_csv, write_changes_csv, write_findings_csv, write_hops_csv,
    write_pages_csv, write_redirects_csv,
};
pub use error::Error;
pub use finding_spool::{FindingSpool, RUN_LEN, SortedFindings};
pub use html::{
    AuditPoint, Comparison, HTML_CHAINS, HTML_CHANGES, HTML_ROWS_PER_RULE, HtmlFindings, HtmlInput,
    HtmlLimits, REPORT_HTML, RedirectAge, RuleText, write_html,
};
pub use latest::{audit_dir_name, default_audit_dir, host_dir, host_dir_name, update_latest};
pub use neutralize::neutralize_cell;
pub use rows::{
    ChangeRow, FindingRow, GooglebotCells, HopRow, PageRow, RedirectExtras, RedirectRow,
};
pub use summary_json::{
    Counts, SCHEMA_VERSION, Summary, SummaryInput, read_summary_json, write_summary_json,
};
pub use tally::{FindingTally, RuleTally, SeverityCounts};
pub use terminal::{Style, render_summary};
pub use writer::{
    CHANGES_CSV, FINDINGS_CSV, HOPS_CSV, PAGES_CSV, REDIRECTS_CSV, ReportWriter, SUMMARY_JSON,
};
