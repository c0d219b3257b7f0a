//! `changes.csv`: what differs from the previous completed audit.

use model::{Change, ChangeKind, CrawlOutput, Observation, PriorObservations, RedirectKind};

use crate::observations::observations;

/// Differences between the previous completed audit
/// ([`PriorObservations::previous_audit_at`]) and this crawl, sorted by URL
/// then kind. Empty when there is no previous audit: on a first audit every
/// redirect would be "new", which says nothing.
///
/// A URL this crawl did not reach, or that got no answer, a 429 or a 5xx,
/// yields no change, wherever in a chain that answer came: a crawl limit or
/// a struggling server is not a removed redirect nor a shorter chain.
pub fn changes(output: &CrawlOutput, prior: &PriorObservations) -> Vec<Change> {
    let Some(at) = prior.previous_audit_at else {
        return Vec::new();
    };
    changes_from(&observations(output, at, prior), prior)
}

/// [`changes`] from this audit's observations (their time plays no part).
pub(crate) fn changes_from(current: &[Observation], prior: &PriorObservations) -> Vec<Change> {
    if prior.previous_audit_at.is_none() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for now in current {
        // No answer, a 429 or a 5xx says nothing about the redirect: no
        // change now, and an earlier one is looked past.
        if now.is_inconclusive() {
            continue;
        }
        let before = prior.previous_conclusive(&now.url);
        diff(now, before, &mut out);
    }
    out.sort_by(|a, b| (&a.url, a.kind).cmp(&(&b.url, b.kind)));
    out
}

fn diff(now: &Observation, before: Option<&Observation>, out: &mut Vec<Change>) {
    let mut push = |kind, before: String, after: String| {
        out.push(Change {
            url: now.url.clone(),
            kind,
            before,
            after,
        });
    };
    let was_redirect = before.is_some_and(Observation::is_redirect);
    match (was_redirect, now.is_redirect()) {
        (false, true) => push(
            ChangeKind::NewRedirect,
            before.map_or_else(|| "not seen".to_owned(), Observation::status_path),
            describe(now),
        ),
        (true, false) => push(
            ChangeKind::RemovedRedirect,
            describe(before.expect("was a redirect")),
            now.status_path(),
        ),
        (true, true) => {
            let before = before.expect("was a redirect");
            let (old, new) = (before.first_status, now.first_status);
            if old != new {
                let kind = match (
                    old.and_then(RedirectKind::of_status),
                    new.and_then(RedirectKind::of_status),
                ) {
                    (Some(RedirectKind::Temporary), Some(RedirectKind::Permanent)) => {
                        ChangeKind::MadePermanent
                    }
                    (Some(RedirectKind::Permanent), Some(RedirectKind::Temporary)) => {
                        ChangeKind::MadeTemporary
                    }
                    _ => ChangeKind::StatusChanged,
                };
                push(kind, status_text(old), status_text(new));
            }
            if !before.same_target(now) {
                push(
                    ChangeKind::TargetChanged,
                    before.target.clone().unwrap_or_default(),
                    now.target.clone().unwrap_or_default(),
                );
            }
            // A hop that got no answer, a 429 or a 5xx cuts a chain short
            // for reasons of the moment: its length is no change.
            let (old_hops, new_hops) = (before.redirect_count(), now.redirect_count());
            if new_hops != old_hops && !before.has_inconclusive_hop() && !now.has_inconclusive_hop()
            {
                let kind = if new_hops > old_hops {
                    ChangeKind::ChainGrew
                } else {
                    ChangeKind::ChainShrank
                };
                push(kind, before.status_path(), now.status_path());
            }
        }
        _ => {}
    }
}

fn status_text(status: Option<u16>) -> String {
    status.map_or_else(|| "-".to_owned(), |s| s.to_string())
}

/// `301 → 200 to https://example.com/new`
fn describe(o: &Observation) -> String {
    match &o.target {
        Some(target) => format!("{} to {target}", o.status_path()),
        None => o.status_path(),
    }
}
