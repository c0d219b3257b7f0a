//! Rules that need earlier audits: `long-lived-temporary-redirect` and
//! `redirect-target-changed` (issue 4).

use jiff::Timestamp;
use model::{Evidence, Finding, FindingSink, Observation, PriorObservations};

use crate::catalogue::code;
use crate::emit::finding;
use crate::settings::Settings;
use crate::text::esc;

const SECONDS_PER_DAY: i64 = 86_400;

pub(crate) fn check(
    current: &[Observation],
    prior: &PriorObservations,
    settings: &Settings,
    out: &mut dyn FindingSink,
) {
    for now in current {
        if let Some(f) = long_lived(now, prior, settings) {
            out.push(f);
        }
        if let Some(f) = target_changed(now, prior) {
            out.push(f);
        }
    }
}

/// How long a temporary redirect has pointed at its current target.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct TemporaryAge {
    /// The earliest audit of the unbroken run with this target.
    pub first_seen: Timestamp,
    /// The latest earlier audit of that run.
    pub last_seen: Timestamp,
    /// Earlier audits in the run (this one not included).
    pub earlier_audits: u32,
    /// `false` when the redirect was temporary before the run too, with
    /// another target.
    pub target_stable: bool,
}

impl TemporaryAge {
    /// Whole days from [`TemporaryAge::first_seen`] to `now`.
    fn days(&self, now: Timestamp) -> i64 {
        now.duration_since(self.first_seen).as_secs() / SECONDS_PER_DAY
    }
}

/// Whole days the temporary redirect from `url` to `target` has stood as of
/// `now`, counted exactly as `long-lived-temporary-redirect` counts them
/// (README, "How the age of a temporary redirect is computed"); 0 when no
/// earlier audit saw it. The report's age histogram uses it for temporary
/// redirects younger than `--long-lived-days`.
pub fn temporary_redirect_age_days(
    url: &str,
    target: &str,
    prior: &PriorObservations,
    now: Timestamp,
) -> i64 {
    prior
        .by_url
        .get(url)
        .and_then(|history| temporary_age(history, target, now))
        .map_or(0, |age| age.days(now))
}

/// Walks history back from the newest earlier audit while the URL answered
/// with a temporary redirect to `target`.
///
/// - A response that is not a temporary redirect (200, 301, 308, 404 …) ends
///   the run: the redirect was not in place then (issue 4: "an audit that saw
///   it answer 200 or a 301 does [reset the age]").
/// - No answer, a 429 or a 5xx says nothing about the redirect and is
///   skipped (see [`Observation::is_inconclusive`]); an audit that did not
///   reach the URL left no observation at all.
/// - Targets are compared without fragments (see
///   [`model::without_fragment`]).
/// - A temporary redirect to another target ends the run too: Bing's "same
///   target crawl after crawl" is what makes a 302 act like a 301.
///
/// `None` when the run is empty: first seen in this audit is never long-lived.
pub(crate) fn temporary_age(
    url_history: &[Observation],
    target: &str,
    before: Timestamp,
) -> Option<TemporaryAge> {
    let mut history: Vec<&Observation> = url_history
        .iter()
        .filter(|o| o.audited_at < before)
        .collect();
    history.sort_by_key(|o| o.audited_at);
    let mut run: Vec<&Observation> = Vec::new();
    let mut target_stable = true;
    for o in history.iter().rev() {
        if o.is_inconclusive() {
            continue;
        }
        if !o.is_temporary_redirect() {
            break;
        }
        if o.points_at(target) {
            run.push(o);
        } else {
            target_stable = false;
            break;
        }
    }
    Some(TemporaryAge {
        first_seen: run.last()?.audited_at,
        last_seen: run.first()?.audited_at,
        earlier_audits: u32::try_from(run.len()).unwrap_or(u32::MAX),
        target_stable,
    })
}

fn long_lived(now: &Observation, prior: &PriorObservations, s: &Settings) -> Option<Finding> {
    if !now.is_temporary_redirect() {
        return None;
    }
    let target = now.target.as_deref()?;
    let age = temporary_age(prior.by_url.get(&now.url)?, target, s.now)?;
    let days = age.days(s.now);
    if days < s.long_lived_days {
        return None;
    }
    let audits = age.earlier_audits + 1;
    let status = now.first_status.unwrap_or_default();
    let changed = if age.target_stable {
        ""
    } else {
        " (it pointed elsewhere before that)"
    };
    let mut f = finding(
        code::LONG_LIVED_TEMPORARY,
        &now.url,
        format!(
            "{status} (temporary) redirect to {} for {days} days across {audits} audits since {}{changed}: search engines treat it as permanent, make it a 301 or 308",
            esc(target),
            age.first_seen.strftime("%Y-%m-%d")
        ),
    );
    f.related = vec![target.to_owned()];
    *f.evidence = Evidence {
        status_chain: Some(now.status_path()),
        raw_location: now.raw_location.clone(),
        resolved_target: Some(target.to_owned()),
        final_url: now.final_url.clone(),
        first_seen: Some(age.first_seen.to_string()),
        last_seen: Some(age.last_seen.to_string()),
        age_days: Some(days),
        audits_seen: Some(audits),
        detail: Some(format!("target_stable={}", age.target_stable)),
        ..Evidence::default()
    };
    Some(f)
}

fn target_changed(now: &Observation, prior: &PriorObservations) -> Option<Finding> {
    let target = now.target.as_deref().filter(|_| now.is_redirect())?;
    let before = prior
        .previous_conclusive(&now.url)
        .filter(|o| o.is_redirect())?;
    let old = before.target.as_deref()?;
    if before.same_target(now) {
        return None;
    }
    let mut f = finding(
        code::REDIRECT_TARGET_CHANGED,
        &now.url,
        format!(
            "redirect target changed since the previous audit ({}): was {}, now {}",
            before.audited_at.strftime("%Y-%m-%d"),
            esc(old),
            esc(target)
        ),
    );
    f.related = vec![old.to_owned(), target.to_owned()];
    *f.evidence = Evidence {
        status_chain: Some(now.status_path()),
        resolved_target: Some(target.to_owned()),
        final_url: now.final_url.clone(),
        last_seen: Some(before.audited_at.to_string()),
        detail: Some(format!(
            "previous_target={old}; previous_status={}",
            before.status_path()
        )),
        ..Evidence::default()
    };
    Some(f)
}
