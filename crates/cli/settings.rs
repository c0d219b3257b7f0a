//! Arguments resolved into library settings, with cross-checks and clear
//! errors for bad input.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use crawler::{CrawlConfig, Scope};
use jiff::Timestamp;
use pipeline::{AuditJob, FailOn, HistoryFile};
use url::Url;

use crate::args::{FetchArgs, OutputArgs};

/// Parses and checks a start URL: absolute, http or https, with a host.
pub fn parse_start_url(raw: &str) -> Result<Url> {
    let url = Url::parse(raw.trim()).with_context(|| {
        format!("invalid START_URL '{raw}': expected an absolute URL such as https://example.com/")
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        bail!("invalid START_URL '{raw}': only http and https URLs can be audited");
    }
    if url.host_str().is_none_or(str::is_empty) {
        bail!("invalid START_URL '{raw}': the URL has no host");
    }
    Ok(url)
}

/// Parses `HOST:ADDR:PORT` (curl's --resolve syntax; IPv6 addresses in
/// brackets: `example.com:[::1]:8080`).
pub fn parse_resolve(spec: &str) -> Result<(String, SocketAddr)> {
    let (host, addr) = spec
        .split_once(':')
        .with_context(|| format!("invalid --resolve '{spec}': expected HOST:ADDR:PORT"))?;
    let addr = addr.trim_start_matches('[').replacen("]:", ":", 1);
    let socket = addr
        .parse::<SocketAddr>()
        .ok()
        .or_else(|| {
            let (ip, port) = addr.rsplit_once(':')?;
            format!("[{ip}]:{port}").parse().ok()
        })
        .with_context(|| format!("invalid --resolve '{spec}': '{addr}' is not IP:PORT"))?;
    if host.is_empty() {
        bail!("invalid --resolve '{spec}': empty host");
    }
    Ok((host.to_ascii_lowercase(), socket))
}

fn seconds(value: f64, flag: &str) -> Result<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .with_context(|| format!("invalid {flag} {value}: expected a positive number of seconds"))
}

/// Politeness defaults that differ between a crawl of one site and a list
/// spanning many hosts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolitenessDefaults {
    /// `--rate`.
    pub rate: u32,
    /// `--concurrency`.
    pub concurrency: usize,
    /// `--per-host-rate`.
    pub per_host_rate: u32,
    /// `--per-host-concurrency`; `None` = same as concurrency.
    pub per_host_concurrency: Option<usize>,
}

/// One site: the global limits are the per-site limits.
pub const CRAWL_POLITENESS: PolitenessDefaults = PolitenessDefaults {
    rate: crawler::DEFAULT_RATE,
    concurrency: crawler::DEFAULT_CONCURRENCY,
    per_host_rate: 0,
    per_host_concurrency: None,
};

/// A list over many hosts: fast overall, gentle on each host.
pub const CHECK_POLITENESS: PolitenessDefaults = PolitenessDefaults {
    rate: 0,
    concurrency: 64,
    per_host_rate: crawler::DEFAULT_RATE,
    per_host_concurrency: Some(crawler::DEFAULT_CONCURRENCY),
};

/// Builds the crawler configuration shared by `crawl`, `check` and `demo`.
pub fn crawl_config(
    scope: Scope,
    fetch: &FetchArgs,
    defaults: PolitenessDefaults,
) -> Result<CrawlConfig> {
    let concurrency = fetch.concurrency.unwrap_or(defaults.concurrency);
    let per_host_concurrency = fetch
        .per_host_concurrency
        .or(defaults.per_host_concurrency)
        .unwrap_or(concurrency);
    if concurrency == 0 || per_host_concurrency == 0 {
        bail!("invalid concurrency 0: at least one request must be allowed in flight");
    }
    if fetch.max_hops == 0 {
        bail!("invalid --max-hops 0: at least one hop must be followed");
    }
    let mut config = CrawlConfig::new(scope);
    config.rate = fetch.rate.unwrap_or(defaults.rate);
    config.concurrency = concurrency;
    config.per_host_rate = fetch.per_host_rate.unwrap_or(defaults.per_host_rate);
    config.per_host_concurrency = per_host_concurrency;
    config.max_hops = fetch.max_hops;
    config.max_urls = fetch.max_urls;
    config.timeout = seconds(fetch.timeout, "--timeout")?;
    config.connect_timeout = config.connect_timeout.min(config.timeout);
    config.deadline = fetch
        .deadline
        .map(|d| seconds(d, "--deadline"))
        .transpose()?;
    config.max_body_bytes = fetch.max_body_bytes;
    config.retries = fetch.retries;
    config.obey_robots = !fetch.ignore_robots;
    config.max_per_pattern = fetch.max_per_pattern;
    config.resolve_only = fetch.resolve_only;
    config.allow_private = fetch.allow_private;
    config.user_agent = fetch.user_agent.clone();
    config.insecure = fetch.insecure;
    config.resolve = fetch
        .resolve
        .iter()
        .map(|spec| parse_resolve(spec))
        .collect::<Result<_>>()?;
    Ok(config)
}

/// `--history` (or `REDIRECT_AUDIT_HISTORY`): a `postgres://` URL or a file.
pub fn history_file(path: &std::path::Path) -> Result<HistoryFile> {
    Ok(match history::HistoryLocation::from_path(path)? {
        history::HistoryLocation::File(path) => HistoryFile::At(path),
        history::HistoryLocation::Postgres(url) => HistoryFile::Database(url),
    })
}

/// The audit clock: `--now`, or now.
pub fn started_at(output: &OutputArgs) -> Result<Timestamp> {
    clock(output.now.as_deref())
}

/// A `--now` value, or now when there is none.
pub fn clock(now: Option<&str>) -> Result<Timestamp> {
    match now {
        Some(now) => now.parse::<Timestamp>().with_context(|| {
            format!("invalid --now '{now}': expected RFC 3339, e.g. 2026-01-31T02:00:00Z")
        }),
        None => Ok(Timestamp::now()),
    }
}

/// Applies the output, history, analysis and exit-code flags to `job`,
/// after checking them.
pub fn apply_output(job: &mut AuditJob, output: &OutputArgs) -> Result<()> {
    for code in &output.ignore_rule {
        if analysis::rule_info(code).is_none() {
            let known: Vec<&str> = analysis::RULES.iter().map(|r| r.code).collect();
            bail!(
                "unknown rule '{code}' in --ignore-rule; known rules: {}",
                known.join(", ")
            );
        }
    }
    if output.long_lived_days < 1 {
        bail!(
            "invalid --long-lived-days {}: expected at least 1",
            output.long_lived_days
        );
    }
    job.analysis.long_lived_days = output.long_lived_days;
    job.analysis.ignore_rules = output.ignore_rule.clone();
    job.analysis.min_severity = output.min_severity.into();
    job.reports_dir = output.reports_dir.clone();
    job.out = output.out.clone();
    job.history = match (&output.history, output.no_history) {
        (_, true) => HistoryFile::Off,
        (Some(path), false) => history_file(path)?,
        (None, false) => HistoryFile::Default,
    };
    if let HistoryFile::Database(url) = &job.history {
        // Without the password: summary.json and history keep the settings.
        if let Some(settings) = job.settings_json.as_object_mut() {
            settings.insert("history".to_owned(), url.redacted().into());
        }
    }
    job.history_lock_timeout = seconds(output.history_lock_timeout, "--history-lock-timeout")?;
    job.fail_on = FailOn {
        threshold: output.fail_on.threshold(),
        only_new: output.fail_on_new,
    };
    job.tool_version = env!("CARGO_PKG_VERSION").to_owned();
    job.html = !output.no_html;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_url_errors_are_clear() {
        assert!(parse_start_url("https://example.com").is_ok());
        let err = parse_start_url("example.com").unwrap_err().to_string();
        assert!(err.contains("absolute URL"), "{err}");
        let err = parse_start_url("ftp://example.com/")
            .unwrap_err()
            .to_string();
        assert!(err.contains("only http and https"), "{err}");
    }

    #[test]
    fn resolve_specs() {
        assert_eq!(
            parse_resolve("demo.test:127.0.0.1:8080").unwrap(),
            ("demo.test".to_owned(), "127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(
            parse_resolve("demo.test:[::1]:8080").unwrap().1,
            "[::1]:8080".parse().unwrap()
        );
        assert!(parse_resolve("demo.test").is_err());
        assert!(parse_resolve("demo.test:nowhere").is_err());
    }
}
