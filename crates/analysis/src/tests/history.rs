//! `long-lived-temporary-redirect`, `redirect-target-changed`, and what an
//! audit writes to history.

use model::{Observation, PriorObservations};

use super::kit::*;
use crate::catalogue::code;
use crate::{Settings, analyze, observations};

fn run(
    rule: &str,
    out: &model::CrawlOutput,
    prior: &PriorObservations,
    s: &Settings,
) -> Vec<String> {
    analyze(out, prior, s)
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.url)
        .collect()
}

/// Today `/a` answers 302 → `/b`.
fn today_302() -> model::CrawlOutput {
    crawl(vec![chain("/a").redirect(302, "/b").ok()])
}

#[test]
fn long_lived_temporary_redirect() {
    let a = "/a";
    let b = Some("/b");
    let cases: Vec<(&str, model::CrawlOutput, Vec<Observation>, i64, bool)> = vec![
        (
            "seen 60 and 30 days ago",
            today_302(),
            vec![obs(a, 60, Some(302), b), obs(a, 30, Some(302), b)],
            30,
            true,
        ),
        (
            "exactly 30 days",
            today_302(),
            vec![obs(a, 30, Some(302), b)],
            30,
            true,
        ),
        ("first seen in this audit", today_302(), vec![], 30, false),
        (
            "first seen in this audit, threshold 0",
            today_302(),
            vec![],
            0,
            false,
        ),
        (
            "seen 10 days ago only",
            today_302(),
            vec![obs(a, 10, Some(302), b)],
            30,
            false,
        ),
        (
            "shorter threshold",
            today_302(),
            vec![obs(a, 10, Some(302), b)],
            7,
            true,
        ),
        (
            "a 200 in between resets",
            today_302(),
            vec![
                obs(a, 60, Some(302), b),
                obs(a, 20, None, None),
                obs(a, 20, Some(200), None),
            ],
            30,
            false,
        ),
        (
            "a 301 in between resets",
            today_302(),
            vec![obs(a, 60, Some(302), b), obs(a, 20, Some(301), b)],
            30,
            false,
        ),
        (
            "a failed fetch does not reset",
            today_302(),
            vec![obs(a, 60, Some(302), b), obs(a, 20, None, None)],
            30,
            true,
        ),
        (
            "a 503 does not reset",
            today_302(),
            vec![obs(a, 60, Some(302), b), obs(a, 20, Some(503), None)],
            30,
            true,
        ),
        (
            "target changed 10 days ago",
            today_302(),
            vec![obs(a, 60, Some(302), Some("/x")), obs(a, 10, Some(302), b)],
            30,
            false,
        ),
        (
            "same target for 40 days after another target",
            today_302(),
            vec![obs(a, 70, Some(302), Some("/x")), obs(a, 40, Some(302), b)],
            30,
            true,
        ),
        (
            "permanent today",
            crawl(vec![chain("/a").redirect(301, "/b").ok()]),
            vec![obs(a, 60, Some(302), b)],
            30,
            false,
        ),
        (
            "other URL's history",
            today_302(),
            vec![obs("/z", 60, Some(302), b)],
            30,
            false,
        ),
    ];
    let mut failures = Vec::new();
    for (name, out, history, days, fires) in cases {
        let s = Settings {
            long_lived_days: days,
            ..settings()
        };
        let got = run(code::LONG_LIVED_TEMPORARY, &out, &prior(history), &s);
        if got.is_empty() == fires {
            failures.push(format!("{name}: expected fires={fires}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn long_lived_evidence_and_message() {
    let history = prior(vec![
        obs("/a", 70, Some(302), Some("/x")),
        obs("/a", 45, Some(302), Some("/b")),
        obs("/a", 15, Some(302), Some("/b")),
    ]);
    let found = analyze(&today_302(), &history, &settings());
    let f = found
        .iter()
        .find(|f| f.rule == code::LONG_LIVED_TEMPORARY)
        .unwrap();
    assert_eq!(f.url, u("/a"));
    assert_eq!(f.evidence.age_days, Some(45));
    assert_eq!(f.evidence.audits_seen, Some(3));
    assert_eq!(
        f.evidence.first_seen.as_deref(),
        Some("2025-04-17T00:00:00Z")
    );
    assert_eq!(
        f.evidence.last_seen.as_deref(),
        Some("2025-05-17T00:00:00Z")
    );
    assert_eq!(f.evidence.detail.as_deref(), Some("target_stable=false"));
    assert!(
        f.message
            .contains("for 45 days across 3 audits since 2025-04-17"),
        "{}",
        f.message
    );
    // The specific finding replaces the plain notice.
    assert!(!found.iter().any(|f| f.rule == code::TEMPORARY_REDIRECT));
}

#[test]
fn redirect_target_changed() {
    let cases: Vec<(&str, model::CrawlOutput, Vec<Observation>, bool)> = vec![
        (
            "301 target changed",
            crawl(vec![chain("/a").redirect(301, "/y").ok()]),
            vec![obs("/a", 7, Some(301), Some("/x"))],
            true,
        ),
        (
            "302 target changed",
            crawl(vec![chain("/a").redirect(302, "/y").ok()]),
            vec![obs("/a", 7, Some(302), Some("/x"))],
            true,
        ),
        (
            "same target",
            crawl(vec![chain("/a").redirect(301, "/x").ok()]),
            vec![obs("/a", 7, Some(302), Some("/x"))],
            false,
        ),
        (
            "did not redirect before",
            crawl(vec![chain("/a").redirect(301, "/y").ok()]),
            vec![obs("/a", 7, Some(200), None)],
            false,
        ),
        (
            "changed relative to an older audit only",
            crawl(vec![chain("/a").redirect(301, "/y").ok()]),
            vec![
                obs("/a", 14, Some(301), Some("/x")),
                obs("/zz", 7, Some(301), Some("/q")),
            ],
            false,
        ),
    ];
    for (name, out, history, fires) in cases {
        let got = run(
            code::REDIRECT_TARGET_CHANGED,
            &out,
            &prior(history),
            &settings(),
        );
        assert_eq!(!got.is_empty(), fires, "{name}: {got:?}");
    }
}

#[test]
fn observations_cover_redirects_and_resets() {
    let out = with(
        crawl(vec![
            chain("/a").redirect(302, "/b").ok(),
            chain("/s").redirect(301, "/m").redirect(307, "/t").ok(),
        ]),
        &[("/fixed", 200), ("/never", 200)],
        vec![],
    );
    let history = prior(vec![
        obs("/fixed", 30, Some(302), Some("/b")),
        obs("/m", 30, Some(302), Some("/t")),
        obs("/unreached", 30, Some(302), Some("/b")),
    ]);
    let got = observations(&out, now(), &history);
    let urls: Vec<&str> = got.iter().map(|o| o.url.as_str()).collect();
    assert_eq!(urls, vec![u("/a"), u("/fixed"), u("/m"), u("/s")]);
    let a = &got[0];
    assert_eq!(a.first_status, Some(302));
    assert_eq!(a.hop_statuses, vec![Some(302), Some(200)]);
    assert_eq!(a.raw_location.as_deref(), Some("/b"));
    assert_eq!(a.target, Some(u("/b")));
    assert_eq!(a.final_url, Some(u("/b")));
    assert_eq!(a.final_status, Some(200));
    assert_eq!(a.audited_at, now());
    let fixed = &got[1];
    assert_eq!(fixed.first_status, Some(200));
    assert_eq!(fixed.target, None);
    let m = &got[2];
    assert_eq!(m.hop_statuses, vec![Some(307), Some(200)]);
    assert_eq!(got[3].hop_statuses, vec![Some(301), Some(307), Some(200)]);
}

/// Audits `today` at each of `days_ago` in turn, as the binary does: each
/// audit's observations become the next one's history.
fn audited_on(today: &model::CrawlOutput, days_ago: &[i64]) -> PriorObservations {
    let mut history = PriorObservations::default();
    for days in days_ago {
        let at = now() - jiff::SignedDuration::from_hours(24 * days);
        for o in observations(today, at, &history) {
            history.by_url.entry(o.url.clone()).or_default().push(o);
        }
        history.previous_audit_at = Some(at);
    }
    history
}

/// Issue 13: `/a` 301 → `/b` 302 → `/c`, audited on day 0, 20 and 40: the
/// 302 sits inside a chain, and is aged all the same.
#[test]
fn a_temporary_hop_inside_a_chain_is_aged() {
    let today = crawl(vec![
        chain("/a").redirect(301, "/b").redirect(302, "/c").ok(),
    ]);
    let history = audited_on(&today, &[40, 20]);
    let b = &history.by_url[&u("/b")];
    assert_eq!(b.len(), 2, "every audit observes the intermediate hop");
    assert_eq!(b[0].hop_statuses, vec![Some(302), Some(200)]);
    let s = Settings {
        long_lived_days: 30,
        ..settings()
    };
    assert_eq!(
        run(code::LONG_LIVED_TEMPORARY, &today, &history, &s),
        vec![u("/b")]
    );
}

/// …and a later answer on the intermediate hop ends its age, or changes it.
#[test]
fn an_intermediate_hop_has_changes_and_target_changes() {
    let before = crawl(vec![
        chain("/a").redirect(301, "/b").redirect(302, "/c").ok(),
    ]);
    let history = audited_on(&before, &[7]);
    let now_permanent = crawl(vec![
        chain("/a").redirect(301, "/b").redirect(301, "/d").ok(),
    ]);
    let got = change_kinds(&now_permanent, &history);
    assert_eq!(
        got,
        vec![
            (u("/b"), model::ChangeKind::MadePermanent),
            (u("/b"), model::ChangeKind::TargetChanged),
        ]
    );
    assert_eq!(
        run(
            code::REDIRECT_TARGET_CHANGED,
            &now_permanent,
            &history,
            &settings()
        ),
        vec![u("/b")]
    );
}

/// Redirects sent by third-party hosts stay out of history.
#[test]
fn third_party_hops_are_not_observed() {
    let today = crawl(vec![
        chain("/out")
            .redirect(301, "https://other.test/x")
            .redirect(302, "https://other.test/y")
            .ok(),
    ]);
    let urls: Vec<String> = observations(&today, now(), &PriorObservations::default())
        .into_iter()
        .map(|o| o.url)
        .collect();
    assert_eq!(urls, vec![u("/out")]);
}

#[test]
fn temporary_redirect_age_is_the_long_lived_rule_s_age() {
    let settings = Settings {
        now: now(),
        ..settings()
    };
    let a = "/a";
    let b = Some("/b");
    for (name, history, days) in [
        ("first seen now", vec![], 0),
        ("seen 12 days ago", vec![obs(a, 12, Some(302), b)], 12),
        (
            "same target for 60 days",
            vec![obs(a, 60, Some(302), b), obs(a, 30, Some(302), b)],
            60,
        ),
        (
            "a 301 in between resets",
            vec![
                obs(a, 60, Some(302), b),
                obs(a, 20, Some(301), b),
                obs(a, 5, Some(302), b),
            ],
            5,
        ),
        (
            "another target before",
            vec![obs(a, 60, Some(302), Some("/x")), obs(a, 10, Some(302), b)],
            10,
        ),
    ] {
        let prior = prior(history);
        assert_eq!(
            crate::temporary_redirect_age(&u(a), &u("/b"), &prior, &settings).map_or(0, |a| a.days),
            days,
            "{name}"
        );
    }
}
