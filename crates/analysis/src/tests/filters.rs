//! `analyze`'s filters and ordering.

use model::{PriorObservations, Severity};

use super::kit::*;
use crate::catalogue::code;
use crate::{RULES, Settings, analyze};

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

#[test]
fn sorted_by_rule_url_message() {
    let found = analyze(&sample(), &PriorObservations::default(), &settings());
    let keys: Vec<_> = found
        .iter()
        .map(|f| (&f.rule, &f.url, &f.message))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(found.len() >= 5, "{found:#?}");
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
