//! Access logs in an audit (issue 15): read the `--access-log` paths with
//! the fingerprints history kept (so content read before changes nothing),
//! store what was new, and turn history's evidence and the new evidence
//! into the plain [`model::AccessLogFacts`] that analysis and the reports
//! read, the URLs to seed a crawl with, and the summary of what was read.

use std::path::PathBuf;
use std::sync::Arc;

use accesslog::{
    Format, GooglebotRanges, LogEvidence, LogReader, LogSummary, PathEvidence, ReadOptions,
};
use jiff::Timestamp;
use model::{AccessLogFacts, GooglebotFigures, LogFacts, LogRun};
use report::AccessLogRead;

use crate::Error;

/// Default for [`AccessLogs::days`] (`--log-days`): 90 days. Googlebot
/// counts and the "answered 3xx in the logs" of `found_in_logs` and of
/// crawl seeding look this far back from the audit's clock; ages use every
/// line whatever its date.
pub const DEFAULT_LOG_DAYS: i64 = 90;

/// The access logs an audit reads, and how.
#[derive(Clone, Debug)]
pub struct AccessLogs {
    /// Files, gzip files or directories (`--access-log`, repeatable).
    pub paths: Vec<PathBuf>,
    /// A forced format (`--log-format`); `None` detects it per file.
    pub format: Option<Format>,
    /// `--log-days`: see [`DEFAULT_LOG_DAYS`].
    pub days: i64,
    /// Google's Googlebot ranges (bundled, or `--bot-ranges`).
    pub ranges: GooglebotRanges,
}

impl Default for AccessLogs {
    fn default() -> Self {
        Self {
            paths: Vec::new(),
            format: None,
            days: DEFAULT_LOG_DAYS,
            ranges: GooglebotRanges::bundled(),
        }
    }
}

/// The hosts of an audit's access-log lines (when a log has a host field):
/// the audited ones, and the other spellings of the same site
/// (`www.` or bare, see [`model::Site`]), whose lines are kept apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct LogHosts {
    /// The audited hosts (lowercase, distinct).
    pub hosts: Vec<String>,
    /// Their `www.`/bare spellings that are not audited hosts themselves.
    pub variants: Vec<String>,
}

impl LogHosts {
    /// The hosts of `urls` (the seeds, or `import-log --site`) and their
    /// other spellings; an IP address has none.
    pub(crate) fn of<'a>(urls: impl IntoIterator<Item = &'a str>) -> Self {
        let mut hosts = Vec::new();
        let mut variants = Vec::new();
        for url in urls {
            let Ok(url) = url::Url::parse(url) else {
                continue;
            };
            let Some(url::Host::Domain(host)) = url.host() else {
                if let Some(host) = url.host_str() {
                    hosts.push(host.to_ascii_lowercase());
                }
                continue;
            };
            let host = host.to_ascii_lowercase();
            let bare = model::without_www(&host);
            variants.push(if bare == host {
                format!("www.{host}")
            } else {
                bare.to_owned()
            });
            hosts.push(host);
        }
        hosts.sort_unstable();
        hosts.dedup();
        variants.sort_unstable();
        variants.dedup();
        variants.retain(|v| hosts.binary_search(v).is_err());
        Self { hosts, variants }
    }
}

/// What the logs bring to one audit.
#[derive(Clone, Debug, Default)]
pub(crate) struct LogsForAudit {
    /// Everything known about the site's logs; `None` when no log was
    /// given and history holds none for the site. Shared: analysis and the
    /// crawl reports read the same facts (one entry per logged path).
    pub facts: Option<Arc<AccessLogFacts>>,
    /// What this audit read; `None` when no path was given.
    pub read: Option<AccessLogRead>,
}

/// Reads `logs` for `site_key` (hosts `hosts`) and merges history's
/// evidence: the whole of what an audit does with logs. `store`: history,
/// when kept; the new evidence is written to it.
pub(crate) fn gather(
    logs: &AccessLogs,
    site_key: &str,
    hosts: &LogHosts,
    now: Timestamp,
    mut store: Option<&mut history::History>,
) -> Result<LogsForAudit, Error> {
    let mut stored = match store.as_deref_mut() {
        Some(store) => {
            let err = history_err(store);
            store.log_evidence(site_key).map_err(err)?
        }
        None => history::StoredLogs::default(),
    };
    let since = since(logs, now);
    let had_stored = !stored.is_empty();
    let prior = std::mem::take(&mut stored.fingerprints);
    let new = read_new(logs, hosts, since, prior, site_key, store)?;
    if !had_stored && new.is_none() {
        return Ok(LogsForAudit::default());
    }
    let facts = match &new {
        // Nothing new (an audit on history's evidence alone): history's
        // paths are distinct and already merged, so they are read as they
        // are rather than copied into a table first.
        None => facts(
            stored.paths.iter().map(|(path, e)| (path.as_str(), e)),
            hosts,
            since,
        ),
        Some(new) => {
            // Merged path by path, each stored one dropped once merged:
            // the evidence is held once, not twice.
            let mut all = LogEvidence::default();
            for (path, e) in stored.paths {
                all.merge_path(&path, &e);
            }
            for (path, e) in new.paths() {
                all.merge_path(path, e);
            }
            facts(all.paths(), hosts, since)
        }
    };
    Ok(LogsForAudit {
        facts: Some(Arc::new(facts)),
        read: new.map(|n| read_summary(&n.summary)),
    })
}

/// The start of `--log-days`, in UTC seconds.
fn since(logs: &AccessLogs, now: Timestamp) -> i64 {
    now.as_second() - logs.days.saturating_mul(86_400)
}

fn history_err(store: &history::History) -> impl FnOnce(history::Error) -> Error + use<> {
    let path = PathBuf::from(store.location().to_string());
    move |source| Error::AccessLogHistory {
        path,
        source: Box::new(source),
    }
}

/// Reads the `--access-log` paths, skipping the content `prior` says was
/// read before, and stores what is new in `store`. `None` when no path was
/// given.
fn read_new(
    logs: &AccessLogs,
    hosts: &LogHosts,
    since: i64,
    prior: accesslog::Fingerprints,
    site_key: &str,
    store: Option<&mut history::History>,
) -> Result<Option<LogEvidence>, Error> {
    if logs.paths.is_empty() {
        return Ok(None);
    }
    let mut reader = LogReader::new(ReadOptions {
        format: logs.format,
        site_hosts: hosts.hosts.clone(),
        variant_hosts: hosts.variants.clone(),
        since: Some(since),
        ranges: logs.ranges.clone(),
        prior,
        ..ReadOptions::default()
    });
    for path in &logs.paths {
        reader.read_path(path).map_err(|source| Error::AccessLog {
            path: path.clone(),
            source,
        })?;
    }
    let new = reader.finish();
    log_problems(&new.summary);
    if let Some(store) = store {
        let err = history_err(store);
        store.add_log_evidence(site_key, &new).map_err(err)?;
    }
    Ok(Some(new))
}

/// The plain facts analysis and the reports read, from the evidence of
/// each distinct path.
fn facts<'a>(
    all: impl Iterator<Item = (&'a str, &'a PathEvidence)>,
    hosts: &LogHosts,
    since: i64,
) -> AccessLogFacts {
    let since_day = i32::try_from(since.div_euclid(86_400)).unwrap_or(i32::MIN);
    let time = |t: i64| Timestamp::from_second(t).ok();
    let by_path = all
        .map(|(path, e)| {
            let (verified, unverified) = e.googlebot_requests(since_day);
            let facts = LogFacts {
                requests: e.requests,
                statuses: e.statuses.to_vec(),
                last_final: e.last_final.and_then(time),
                run: e.run.as_ref().and_then(|r| {
                    Some(LogRun {
                        first: time(r.first)?,
                        last: time(r.last)?,
                        location: r.location.as_deref().map(str::to_owned),
                    })
                }),
                redirected_recently: e.redirected_since(since),
                googlebot: GooglebotFigures {
                    requests: verified,
                    unverified,
                    last_seen: e.googlebot_last_seen.and_then(time),
                },
            };
            (path.to_owned(), facts)
        })
        .collect();
    AccessLogFacts {
        hosts: hosts.hosts.clone(),
        variant_hosts: hosts.variants.clone(),
        by_path,
    }
}

/// The `-v` log: each file's problem and first unparseable line numbers.
fn log_problems(summary: &LogSummary) {
    for file in &summary.files {
        let name = model::escape_bytes(file.path.to_string_lossy().as_bytes());
        if let Some(problem) = &file.problem {
            tracing::warn!("access log {name}: {problem}");
        }
        if !file.unparseable_lines.is_empty() {
            tracing::info!(
                "access log {name}: {} unparseable lines, the first at lines {:?}",
                file.counts.unparseable,
                file.unparseable_lines
            );
        }
    }
}

/// What was read, for the summary: counts only.
fn read_summary(summary: &LogSummary) -> AccessLogRead {
    let t = summary.totals();
    let date = |t: i64| {
        Timestamp::from_second(t)
            .ok()
            .map(|t| t.strftime("%Y-%m-%d").to_string())
    };
    let range = summary.time_range();
    AccessLogRead {
        files: summary.files.len(),
        lines: t.lines,
        parsed: t.parsed,
        unparseable: t.unparseable,
        too_long: t.too_long,
        already_read: t.already_read,
        other_host: t.other_host,
        used: t.used(),
        first_date: range.and_then(|r| date(r.0)),
        last_date: range.and_then(|r| date(r.1)),
        nothing_matched: summary.nothing_matched(),
        problems: summary
            .files
            .iter()
            .filter_map(|f| {
                f.problem
                    .as_ref()
                    .map(|p| format!("{}: {p}", f.path.display()))
            })
            .collect(),
    }
}

/// The crawl's extra seeds: URLs of the site that answered 3xx in the logs
/// within `--log-days`, on `origin` (or, for a variant's `host/path` key,
/// on that host with `origin`'s scheme and port), in scope, at most `room` of them
/// (they count in `--max-urls`), sorted.
pub(crate) fn seed_urls(
    facts: &AccessLogFacts,
    origin: &url::Url,
    scope: &crawler::Scope,
    room: usize,
) -> Vec<String> {
    facts
        .by_path
        .iter()
        .filter(|(_, f)| f.redirected_recently)
        .filter_map(|(key, _)| {
            if key.starts_with('/') {
                // A request target, on the audited origin only (a target
                // such as `//other.example/x` is a path here, not a host).
                origin
                    .join(key)
                    .ok()
                    .filter(|u| u.origin() == origin.origin())
            } else {
                // The log says neither scheme nor port: the origin's (with
                // an explicit port, only that port is the same site).
                let (host, _) = key.split_once('/').unwrap_or((key, ""));
                let mut url = url::Url::parse(&format!("{}://{key}", origin.scheme())).ok()?;
                url.set_port(origin.port()).ok()?;
                let known = facts.variant_hosts.iter().any(|v| v == host);
                (known && url.host_str() == Some(host)).then_some(url)
            }
        })
        .filter(|u| scope.contains(u))
        .map(String::from)
        .take(room)
        .collect()
}

/// `history import-log`: reads `logs` into history for the site of `site`
/// (keyed by its origin, as a crawl of it is), without an audit. Returns
/// what was read.
pub fn import_logs(
    store: &mut history::History,
    site: &url::Url,
    logs: &AccessLogs,
    now: Timestamp,
) -> Result<AccessLogRead, Error> {
    let hosts = LogHosts::of([site.as_str()]);
    let site_key = site.origin().ascii_serialization();
    // Only the fingerprints of what history holds: no audit reads the
    // merged evidence here.
    let err = history_err(store);
    let prior = store.log_fingerprints(&site_key).map_err(err)?;
    let new = read_new(
        logs,
        &hosts,
        since(logs, now),
        prior,
        &site_key,
        Some(store),
    )?;
    Ok(new.map(|n| read_summary(&n.summary)).unwrap_or_default())
}
