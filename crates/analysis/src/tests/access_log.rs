//! What access logs add (issue 15): ages from the first audit, with
//! `age_source`, and Googlebot figures in the evidence.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use model::{AccessLogFacts, Finding, GooglebotFigures, LogFacts, LogRun, PriorObservations};

use super::kit::*;
use crate::catalogue::code;
use crate::{Settings, analyze};

fn days_ago(days: i64) -> Timestamp {
    now() - SignedDuration::from_hours(24 * days)
}

/// `/a` in the logs: a run of 302s from `run_from` days ago to yesterday,
/// optionally a logged Location and a final answer `final_at` days ago.
fn logs(run_from: Option<i64>, location: Option<&str>, final_at: Option<i64>) -> AccessLogFacts {
    let mut facts = AccessLogFacts {
        hosts: vec!["example.com".to_owned()],
        ..AccessLogFacts::default()
    };
    facts.by_path.insert(
        "/a".to_owned(),
        LogFacts {
            requests: 40,
            statuses: vec![(302, 40)],
            last_final: final_at.map(days_ago),
            run: run_from.map(|d| LogRun {
                first: days_ago(d),
                last: days_ago(1),
                location: location.map(str::to_owned),
            }),
            redirected_recently: true,
            googlebot: GooglebotFigures {
                requests: 7,
                unverified: 2,
                last_seen: Some(days_ago(3)),
            },
        },
    );
    facts.by_path.insert(
        "/b".to_owned(),
        LogFacts {
            googlebot: GooglebotFigures {
                requests: 5,
                ..GooglebotFigures::default()
            },
            ..LogFacts::default()
        },
    );
    facts
}

fn long_lived(prior: &PriorObservations, facts: Option<AccessLogFacts>) -> Option<Finding> {
    let s = Settings {
        access_log: facts.map(Arc::new),
        ..settings()
    };
    let today = crawl(vec![chain("/a").redirect(302, "/b").ok()]);
    analyze(&today, prior, &s)
        .into_iter()
        .find(|f| f.rule == code::LONG_LIVED_TEMPORARY)
}

#[test]
fn the_logs_age_a_temporary_redirect_on_the_first_audit() {
    let f = long_lived(
        &PriorObservations::default(),
        Some(logs(Some(90), None, None)),
    )
    .expect("90 days of 302s in the logs are long-lived on the first audit");
    assert_eq!(f.evidence.age_source.as_deref(), Some("access-log"));
    assert_eq!(f.evidence.age_days, Some(90));
    assert_eq!(f.evidence.first_seen, Some(days_ago(90).to_string()));
    assert!(
        f.message.contains("target not recorded in the logs"),
        "{}",
        f.message
    );
    let detail = f.evidence.detail.unwrap();
    for pair in [
        "googlebot_requests=7",
        "target_googlebot_requests=5",
        "unverified_googlebot_requests=2",
    ] {
        assert!(detail.contains(pair), "{detail}");
    }
}

#[test]
fn without_logs_the_first_audit_says_nothing() {
    assert!(long_lived(&PriorObservations::default(), None).is_none());
    assert!(
        long_lived(
            &PriorObservations::default(),
            Some(logs(Some(10), None, None))
        )
        .is_none()
    );
}

#[test]
fn a_logged_location_is_named_and_must_match() {
    let f = long_lived(
        &PriorObservations::default(),
        Some(logs(Some(90), Some("/b"), None)),
    )
    .expect("same target");
    assert!(!f.message.contains("not recorded"), "{}", f.message);
    assert!(
        long_lived(
            &PriorObservations::default(),
            Some(logs(Some(90), Some("/elsewhere"), None))
        )
        .is_none(),
        "the logs' run pointed elsewhere: it is not this redirect's age"
    );
}

#[test]
fn audits_and_logs_together_take_the_earliest_start() {
    let prior = prior(vec![obs("/a", 40, Some(302), Some("/b"))]);
    let f = long_lived(&prior, Some(logs(Some(20), None, None))).expect("40 days");
    assert_eq!(f.evidence.age_source.as_deref(), Some("audits+access-log"));
    assert_eq!(f.evidence.age_days, Some(40));
    let f = long_lived(&prior, None).expect("40 days");
    assert_eq!(f.evidence.age_source.as_deref(), Some("audits"));
}

#[test]
fn an_audit_that_saw_a_200_inside_the_logs_run_ends_it() {
    let prior = prior(vec![obs("/a", 20, Some(200), None)]);
    assert!(long_lived(&prior, Some(logs(Some(90), None, None))).is_none());
}

#[test]
fn a_final_answer_in_the_logs_ends_the_audits_run() {
    // Audits saw the 302 60 days ago; the logs saw a 200 ten days ago and
    // have no run since: the redirect is ten days old at most.
    let prior = prior(vec![obs("/a", 60, Some(302), Some("/b"))]);
    assert!(long_lived(&prior, Some(logs(None, None, Some(10)))).is_none());
}

#[test]
fn malformed_location_counts_the_requests_the_bad_target_got() {
    let mut facts = AccessLogFacts::default();
    facts.by_path.insert(
        "/old/http//example.com/x".to_owned(),
        LogFacts {
            requests: 12,
            statuses: vec![(404, 12)],
            googlebot: GooglebotFigures {
                requests: 4,
                ..GooglebotFigures::default()
            },
            ..LogFacts::default()
        },
    );
    let s = Settings {
        access_log: Some(Arc::new(facts)),
        ..settings()
    };
    let today = crawl(vec![
        chain("/old/page")
            .redirect(301, "http//example.com/x")
            .status(404),
    ]);
    let f = analyze(&today, &PriorObservations::default(), &s)
        .into_iter()
        .find(|f| f.rule == code::MALFORMED_LOCATION)
        .expect("malformed");
    let detail = f.evidence.detail.unwrap_or_default();
    assert!(detail.contains("resolved_target_requests=12"), "{detail}");
    assert!(
        detail.contains("resolved_target_statuses=404x12"),
        "{detail}"
    );
    assert!(
        detail.contains("resolved_target_googlebot_requests=4"),
        "{detail}"
    );
}
