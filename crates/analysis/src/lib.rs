//! Pure, synchronous redirect analysis: a crawl's records (and what earlier
//! audits saw) in, findings, changes and history observations out.
//!
//! Nothing here does I/O, prints or awaits. The crawler produces a
//! [`model::CrawlOutput`], the history store a [`model::PriorObservations`];
//! [`analyze`] turns them into sorted [`model::Finding`]s (or hands them to a
//! [`model::FindingSink`] as they are made: [`analyze_audit_into`]), [`changes`] into
//! the rows of `changes.csv`, and [`observations`] into what this audit adds
//! to history; [`hop_classes`], [`chain_classes`] and [`first_seen`] are
//! what the reports show beside each redirect, and [`AuditTrail::start_failure`] says
//! whether a crawl's start URL answered at all.
//!
//! Decisions that shape every rule (see the rule catalogue in README.md):
//! - A *hop-level* rule (a defect in one response: Location problems, status
//!   choice, scheme downgrade) fires once per distinct redirecting URL inside
//!   the audited scope, whatever the number of chains passing through it; the
//!   finding's `url` is that redirecting URL and `related` lists chain starts
//!   that pass through it.
//! - A *chain-level* rule fires once per chain; its `url` is the chain start.
//! - A *reference* rule (link, canonical, hreflang, sitemap) fires once per
//!   redirecting target; its `url` is that target and the referring pages are
//!   counted in the evidence.
#![deny(missing_docs)]

mod analyze;
mod catalogue;
mod changes;
mod classes;
mod emit;
mod history_rules;
mod index;
mod links;
mod location;
mod log_figures;
mod migration;
mod observations;
mod report_facts;
mod rules;
mod settings;
mod text;

#[cfg(test)]
mod tests;

pub use analyze::{AuditAnalysis, AuditTrail, analyze, analyze_audit, analyze_audit_into};
pub use catalogue::{RULES, RuleInfo, rule_info};
pub use changes::changes;
pub use classes::{RedirectClass, is_canonicalisation, redirect_classes};
pub use history_rules::{TemporaryRedirectAge, temporary_redirect_age};
pub use location::{LocationDefect, LocationVerdict, classify_location};
pub use migration::check_expectations;
/// Re-exported from `model`, where the sink lives so that report can
/// provide one without depending on analysis.
pub use model::FindingSink;
pub use observations::observations;
pub use report_facts::{chain_classes, first_seen, hop_classes};
pub use settings::{DEFAULT_LONG_LIVED_DAYS, Settings};
