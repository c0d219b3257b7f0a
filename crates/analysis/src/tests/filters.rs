//! `analyze`'s filters and ordering.

use model::{PriorObservations, Severity};

use super::kit::*;
use crate::catalogue::code;
use crate::{RULES, Settings, analyze, analyze_audit, analyze_audit_into};

fn sample() -> model::CrawlOutput {
    crawl(vec![
        chain("/b").redirect(302, "/b/").ok(),
        chain("/a")
            .redirect(301, "/x")
            .redirect(302, "http//example.com/y")
            .status(404),
    ])
}

fn rules_of(s: &Settings) -> Vec<String> {
    analyze(&sample(), &PriorObservations::default(), s)
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

/// What the rules say of [`sample`], in the one order of findings (most
/// severe first, then rule, URL, message): `/x`'s Location lacks its colon,
/// `/a`'s chain runs 301 → 302 → 404, `/b` only adds a slash with a 302.
const SAMPLE_FINDINGS: &[(&str, &str)] = &[
    (code::MALFORMED_LOCATION, "/x"),
    (code::REDIRECT_TO_ERROR, "/a"),
    (code::MIXED_REDIRECT_CHAIN, "/a"),
    (code::REDIRECT_CHAIN, "/a"),
    (code::TEMPORARY_LOOKS_PERMANENT, "/b"),
    (code::RELATIVE_LOCATION, "/a"),
    (code::RELATIVE_LOCATION, "/b"),
    (code::TEMPORARY_REDIRECT, "/x"),
];

fn rule_and_url(findings: &[model::Finding]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| (f.rule.clone(), f.url.clone()))
        .collect()
}

fn expected(except: &str) -> Vec<(String, String)> {
    SAMPLE_FINDINGS
        .iter()
        .filter(|(rule, _)| *rule != except)
        .map(|(rule, path)| ((*rule).to_owned(), u(path)))
        .collect()
}

#[test]
fn sorted_most_severe_first_then_rule_url_message() {
    let found = analyze(&sample(), &PriorObservations::default(), &settings());
    assert_eq!(rule_and_url(&found), expected(""));
    let keys: Vec<_> = found
        .iter()
        .map(|f| (std::cmp::Reverse(f.severity), &f.rule, &f.url, &f.message))
        .collect();
    assert!(keys.is_sorted(), "{keys:#?}");
}

#[test]
fn ignore_rule_and_min_severity() {
    let all = rules_of(&settings());
    assert!(all.iter().any(|r| r == code::MALFORMED_LOCATION));
    let ignored = rules_of(&Settings {
        ignore_rules: vec![code::MALFORMED_LOCATION.to_owned()],
        ..settings()
    });
    assert!(!ignored.iter().any(|r| r == code::MALFORMED_LOCATION));
    assert_eq!(ignored.len(), all.len() - 1);
    let errors = analyze(
        &sample(),
        &PriorObservations::default(),
        &Settings {
            min_severity: Severity::Error,
            ..settings()
        },
    );
    assert!(!errors.is_empty());
    assert!(errors.iter().all(|f| f.severity == Severity::Error));
}

#[test]
fn temporary_notice_returns_when_the_specific_rule_is_ignored() {
    let urls = |s: &Settings| -> Vec<String> {
        analyze(&sample(), &PriorObservations::default(), s)
            .into_iter()
            .filter(|f| f.rule == code::TEMPORARY_REDIRECT)
            .map(|f| f.url)
            .collect()
    };
    assert_eq!(urls(&settings()), vec![u("/x")]);
    let s = Settings {
        ignore_rules: vec![code::TEMPORARY_LOOKS_PERMANENT.to_owned()],
        ..settings()
    };
    assert_eq!(urls(&s), vec![u("/b"), u("/x")]);
}

#[test]
fn every_emitted_rule_is_in_the_catalogue() {
    let found = analyze(&sample(), &PriorObservations::default(), &settings());
    for f in found {
        assert!(RULES.iter().any(|r| r.code == f.rule), "{}", f.rule);
        assert!(!f.message.contains('\n'));
    }
}

/// A sink sees the findings as they are made, filtered the same way as
/// `analyze`'s: each finding of the unfiltered run but the ignored rule's
/// (the binary spills them to disk).
#[test]
fn a_sink_gets_the_same_findings_filtered() {
    let s = Settings {
        ignore_rules: vec![code::REDIRECT_CHAIN.to_owned()],
        ..settings()
    };
    let prior = PriorObservations::default();
    let unfiltered = analyze(&sample(), &prior, &settings());
    assert!(unfiltered.iter().any(|f| f.rule == code::REDIRECT_CHAIN));
    let mut sunk = Vec::new();
    let trail = analyze_audit_into(&sample(), &prior, &s, &[], &mut sunk);
    // The held-back notice reaches the sink last, and only where no more
    // specific rule reports its URL.
    assert_eq!(
        sunk.last().map(|f| f.rule.as_str()),
        Some(code::TEMPORARY_REDIRECT)
    );
    model::sort_findings(&mut sunk);
    assert_eq!(rule_and_url(&sunk), expected(code::REDIRECT_CHAIN));
    let kept: Vec<_> = unfiltered
        .into_iter()
        .filter(|f| f.rule != code::REDIRECT_CHAIN)
        .collect();
    assert_eq!(sunk, kept, "the same findings, evidence and all");
    // The trail does not depend on the finding filters.
    assert_eq!(
        trail,
        analyze_audit(&sample(), &prior, &settings(), &[]).trail
    );
}
