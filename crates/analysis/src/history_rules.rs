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

/// How long a temporary redirect has stood, and on what evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemporaryRedirectAge {
    /// Where its current run starts: the earliest of the audits' run and
    /// the access logs' run.
    pub first_seen: Timestamp,
    /// Whole days from [`Self::first_seen`] to the audit's clock.
    pub days: i64,
    /// `audits`, `access-log` or `audits+access-log` (findings.csv's
    /// `age_source`).
    pub source: &'static str,
}

/// The age of the temporary redirect from `url` to `target` as of
/// `settings.now`, counted exactly as `long-lived-temporary-redirect`
/// counts it (README, "How the age of a temporary redirect is computed"):
/// earlier audits and the access logs in `settings`. `None` when neither
/// saw it before this audit. The report's age histogram uses it for every
/// temporary redirect, long-lived or not.
pub fn temporary_redirect_age(
    url: &str,
    target: &str,
    prior: &PriorObservations,
    settings: &Settings,
) -> Option<TemporaryRedirectAge> {
    run_start(url, target, prior, settings).age(settings.now)
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
/// Only audits made after `after` (when given) and before `before` count.
/// `None` when the run is empty: first seen in this audit is never
/// long-lived.
pub(crate) fn temporary_age(
    url_history: &[Observation],
    target: &str,
    after: Option<Timestamp>,
    before: Timestamp,
) -> Option<TemporaryAge> {
    let mut history: Vec<&Observation> = url_history
        .iter()
        .filter(|o| o.audited_at < before && after.is_none_or(|after| o.audited_at > after))
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

/// Where a temporary redirect's current run starts, by source.
struct RunStart {
    /// From audits: [`temporary_age`], cut after the logs' latest final
    /// answer when the logs saw one inside it.
    audits: Option<TemporaryAge>,
    /// From the access logs: their current run of temporary answers,
    /// when nothing (an audit's 200 or 301, a logged Location elsewhere)
    /// contradicts it.
    logs: Option<LogRunStart>,
}

/// The access logs' current run of temporary answers to one target.
#[derive(Clone, Copy)]
struct LogRunStart {
    /// The run's first temporary answer.
    first: Timestamp,
    /// Its latest.
    last: Timestamp,
    /// Whether the logs recorded the target, for the message.
    note: &'static str,
}

impl RunStart {
    /// The start of the run by the earliest source, and which sources
    /// agree on it.
    fn age(&self, now: Timestamp) -> Option<TemporaryRedirectAge> {
        let (first_seen, source) = match (&self.audits, self.logs) {
            (None, None) => return None,
            (Some(a), None) => (a.first_seen, model::AGE_FROM_AUDITS),
            (None, Some(logs)) => (logs.first, model::AGE_FROM_ACCESS_LOG),
            (Some(a), Some(logs)) => (a.first_seen.min(logs.first), model::AGE_FROM_BOTH),
        };
        Some(TemporaryRedirectAge {
            first_seen,
            days: now.duration_since(first_seen).as_secs() / SECONDS_PER_DAY,
            source,
        })
    }
}

/// The access logs' current run of temporary answers from `url` to
/// `target`: `None` when the logs have no current run, when they recorded
/// a Location that resolves elsewhere, or when an audit since the run began
/// (and before `before`) saw something other than this temporary redirect
/// (the run then started after that audit, at a time the logs cannot tell).
fn log_run_start(
    logs: &model::LogFacts,
    url: &str,
    target: &str,
    history: &[Observation],
    before: Timestamp,
) -> Option<LogRunStart> {
    let run = logs.run.as_ref()?;
    let note = match &run.location {
        Some(raw) => {
            let base = url::Url::parse(url).ok()?;
            let logged = model::resolve_location(&base, raw.as_bytes())?;
            if model::without_fragment(logged.as_str()) != model::without_fragment(target) {
                return None;
            }
            "target recorded in the logs"
        }
        None => "target not recorded in the logs",
    };
    let broken = history.iter().any(|o| {
        o.audited_at < before
            && o.audited_at >= run.first
            && !o.is_inconclusive()
            && !(o.is_temporary_redirect() && o.points_at(target))
    });
    (!broken).then_some(LogRunStart {
        first: run.first,
        last: run.last,
        note,
    })
}

fn run_start(url: &str, target: &str, prior: &PriorObservations, s: &Settings) -> RunStart {
    let history = prior.by_url.get(url).map_or(&[][..], Vec::as_slice);
    let logs = s.access_log.as_deref().and_then(|f| f.for_url(url));
    // A final answer in the logs (200, 301, 404 …) after an audit of the
    // run ends the audits' run there too: only the audits after it count.
    let audits = temporary_age(history, target, logs.and_then(|l| l.last_final), s.now);
    RunStart {
        audits,
        logs: logs.and_then(|l| log_run_start(l, url, target, history, s.now)),
    }
}

fn long_lived(now: &Observation, prior: &PriorObservations, s: &Settings) -> Option<Finding> {
    if !now.is_temporary_redirect() {
        return None;
    }
    let target = now.target.as_deref()?;
    let start = run_start(&now.url, target, prior, s);
    let TemporaryRedirectAge {
        first_seen,
        days,
        source,
    } = start.age(s.now)?;
    let RunStart { audits, logs } = start;
    if days < s.long_lived_days {
        return None;
    }
    let audits_seen = audits.as_ref().map_or(0, |a| a.earlier_audits) + 1;
    let target_stable = audits.as_ref().is_none_or(|a| a.target_stable);
    let status = now.first_status.unwrap_or_default();
    let changed = if target_stable {
        ""
    } else {
        " (it pointed elsewhere before that)"
    };
    let since = first_seen.strftime("%Y-%m-%d");
    let message = match (&audits, logs) {
        (Some(_), None) => format!(
            "{status} (temporary) redirect to {} for {days} days across {audits_seen} audits since {since}{changed}: search engines treat it as permanent, make it a 301 or 308",
            esc(target)
        ),
        (None, Some(LogRunStart { note, .. })) => format!(
            "{status} (temporary) redirect for {days} days since {since} according to the access logs ({note}; now to {}): search engines treat it as permanent, make it a 301 or 308",
            esc(target)
        ),
        _ => format!(
            "{status} (temporary) redirect to {} for {days} days since {since}, according to the access logs and {audits_seen} audits{changed}: search engines treat it as permanent, make it a 301 or 308",
            esc(target)
        ),
    };
    let mut f = finding(code::LONG_LIVED_TEMPORARY, &now.url, message);
    f.related = vec![target.to_owned()];
    let last_seen = audits
        .as_ref()
        .map(|a| a.last_seen)
        .or(logs.map(|l| l.last));
    *f.evidence = Evidence {
        status_chain: Some(now.status_path()),
        raw_location: now.raw_location.clone(),
        resolved_target: Some(target.to_owned()),
        final_url: now.final_url.clone(),
        first_seen: Some(first_seen.to_string()),
        last_seen: last_seen.map(|t| t.to_string()),
        age_days: Some(days),
        audits_seen: Some(audits_seen),
        detail: Some(format!("target_stable={target_stable}")),
        age_source: Some(source.to_owned()),
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
