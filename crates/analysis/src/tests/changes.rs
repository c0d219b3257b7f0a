//! `changes()` against the previous completed audit.

use model::{ChangeKind, PriorObservations};

use super::kit::*;
use crate::changes;

#[test]
fn changes_since_previous_audit() {
    let out = with(
        crawl(vec![
            chain("/new").redirect(301, "/x").ok(),
            chain("/fixed").redirect(301, "/x").ok(),
            chain("/regressed").redirect(302, "/x").ok(),
            chain("/status").redirect(308, "/x").ok(),
            chain("/moved").redirect(301, "/y").ok(),
            chain("/grew").redirect(301, "/g1").redirect(301, "/x").ok(),
            chain("/shrank").redirect(301, "/x").ok(),
            chain("/same").redirect(301, "/x").ok(),
        ]),
        &[("/removed", 200), ("/failed-now", 200)],
        vec![],
    );
    let mut grew_before = obs("/grew", 7, Some(301), Some("/g1"));
    grew_before.target = Some(u("/g1"));
    let mut shrank_before = obs("/shrank", 7, Some(301), Some("/x"));
    shrank_before.hop_statuses = vec![Some(301), Some(301), Some(200)];
    let history = prior(vec![
        obs("/fixed", 7, Some(302), Some("/x")),
        obs("/regressed", 7, Some(301), Some("/x")),
        obs("/status", 7, Some(301), Some("/x")),
        obs("/moved", 7, Some(301), Some("/x")),
        grew_before,
        shrank_before,
        obs("/same", 7, Some(301), Some("/x")),
        obs("/removed", 7, Some(301), Some("/x")),
        obs("/unreached", 7, Some(301), Some("/x")),
    ]);
    let got = change_kinds(&out, &history);
    let want: Vec<(String, ChangeKind)> = [
        ("/fixed", ChangeKind::MadePermanent),
        // An intermediate hop is observed too: `/g1` was not seen before.
        ("/g1", ChangeKind::NewRedirect),
        ("/grew", ChangeKind::ChainGrew),
        ("/moved", ChangeKind::TargetChanged),
        ("/new", ChangeKind::NewRedirect),
        ("/regressed", ChangeKind::MadeTemporary),
        ("/removed", ChangeKind::RemovedRedirect),
        ("/shrank", ChangeKind::ChainShrank),
        ("/status", ChangeKind::StatusChanged),
    ]
    .iter()
    .map(|(p, k)| (u(p), *k))
    .collect();
    assert_eq!(got, want);
}

#[test]
fn change_values_read_well() {
    let out = crawl(vec![chain("/fixed").redirect(301, "/x").ok()]);
    let history = prior(vec![obs("/fixed", 7, Some(302), Some("/x"))]);
    let c = &changes(&out, &history)[0];
    assert_eq!((c.before.as_str(), c.after.as_str()), ("302", "301"));
}

#[test]
fn first_audit_has_no_changes() {
    let out = crawl(vec![chain("/new").redirect(301, "/x").ok()]);
    assert!(changes(&out, &PriorObservations::default()).is_empty());
}
