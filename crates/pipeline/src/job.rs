//! [`AuditJob`]: everything one audit needs, as plain settings.

use std::path::PathBuf;

use crawler::{CrawlConfig, Seed};
use jiff::Timestamp;
use model::{Expectation, Severity};
use url::Url;

/// Which history file an audit reads and writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum HistoryFile {
    /// `<reports_dir>/<host label>/history.sqlite`
    /// ([`history::default_history_path`]).
    #[default]
    Default,
    /// This file (`--history`).
    At(PathBuf),
    /// Neither read nor write history (`--no-history`): nothing ages,
    /// nothing changes, and with [`FailOn::only_new`] every finding is new.
    Off,
    /// This PostgreSQL database (`--history postgres://…`), shared by many
    /// audit processes.
    Database(history::PgUrl),
}

impl HistoryFile {
    /// Where this audit's history lives; `None` for [`HistoryFile::Off`].
    pub fn location(
        &self,
        reports_dir: &std::path::Path,
        host_label: &str,
    ) -> Option<history::HistoryLocation> {
        match self {
            Self::Off => None,
            Self::At(path) => Some(history::HistoryLocation::File(path.clone())),
            Self::Default => Some(history::HistoryLocation::File(
                history::default_history_path(reports_dir, host_label),
            )),
            Self::Database(url) => Some(history::HistoryLocation::Postgres(url.clone())),
        }
    }
}

/// When findings fail the audit (exit code 1 in the binary).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FailOn {
    /// The lowest severity that fails (`--fail-on`); `None` never fails.
    pub threshold: Option<Severity>,
    /// Only findings the previous audit kept in history did not have
    /// (`--fail-on-new`). Without history, or before any audit kept its
    /// findings, every finding is new.
    pub only_new: bool,
}

/// Everything one audit needs. Build it with [`AuditJob::crawl`] or
/// [`AuditJob::check`], then adjust the fields.
#[derive(Clone, Debug)]
pub struct AuditJob {
    /// Where the crawl starts (one seed) or the list to check.
    pub seeds: Vec<Seed>,
    /// Crawler settings. Its `spool_dir`, when unset, becomes the audit
    /// folder.
    pub config: CrawlConfig,
    /// Keys this audit's history: the start URL's origin, or `check:<list>`.
    pub site_key: String,
    /// The folder under the reports folder: the host (with `:port`),
    /// `check-<list>`, or `demo`.
    pub host_label: String,
    /// List mode: what each line of a migration map expects.
    pub expectations: Vec<Expectation>,
    /// The audit clock (`--now`, or the time it starts): the audit folder's
    /// name, history's time, and the `now` of [`AuditJob::analysis`].
    pub started_at: Timestamp,
    /// The folder holding every site's audits and history (`--reports-dir`).
    pub reports_dir: PathBuf,
    /// The audit folder (`--out`); `None` is
    /// `<reports_dir>/<host label>/<UTC timestamp>/`, and only then is
    /// `latest` moved to it.
    pub out: Option<PathBuf>,
    /// The history file.
    pub history: HistoryFile,
    /// How long to wait for another audit of the same site to finish with a
    /// shared (PostgreSQL) history (`--history-lock-timeout`).
    pub history_lock_timeout: std::time::Duration,
    /// Analysis settings; `now` is replaced by [`AuditJob::started_at`].
    pub analysis: analysis::Settings,
    /// When findings fail the audit.
    pub fail_on: FailOn,
    /// The settings recorded in summary.json and history.
    pub settings_json: serde_json::Value,
    /// Whether an unanswered start URL makes the audit fail
    /// ([`crate::Verdict::StartUnreachable`]): a crawl of a site, not a list.
    pub require_reachable_start: bool,
    /// How the terminal summary is rendered (colour or not).
    pub style: report::Style,
    /// The version recorded in summary.json and history (default: this
    /// workspace's version).
    pub tool_version: String,
    /// The access logs to read (`--access-log` …); history's log evidence
    /// for the site is used even without any.
    pub access_logs: crate::AccessLogs,
    /// Seed the crawl with the site's URLs that answered 3xx in the logs
    /// within `--log-days` (`crawl`; in `check` the list stays the input).
    pub seed_from_logs: bool,
    /// Whether to write `report.html` beside the CSVs (`--no-html` turns
    /// it off).
    pub html: bool,
}

impl AuditJob {
    /// A crawl of `start`'s site: history keyed by its origin, reports
    /// under its host (with `:port`); defaults for everything else.
    pub fn crawl(start: &Url, config: CrawlConfig, started_at: Timestamp) -> Self {
        let host = start.host_str().unwrap_or("site");
        let host_label = match start.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Self {
            seeds: vec![Seed {
                url: start.to_string(),
                discovery: model::Discovery::Seed,
            }],
            site_key: start.origin().ascii_serialization(),
            host_label,
            require_reachable_start: true,
            seed_from_logs: true,
            ..Self::new(config, started_at)
        }
    }

    /// A check of a list named `name` (see [`crate::list_name`]): every seed
    /// fetched and followed, no link followed, history keyed `check:<name>`,
    /// reports under `check-<name>`.
    pub fn check(
        name: &str,
        seeds: Vec<Seed>,
        expectations: Vec<Expectation>,
        mut config: CrawlConfig,
        started_at: Timestamp,
    ) -> Self {
        config.follow_links = false;
        config.use_sitemaps = false;
        // Every line is checked, whatever --max-urls says.
        config.max_urls = config.max_urls.max(seeds.len());
        Self {
            seeds,
            expectations,
            site_key: format!("check:{name}"),
            host_label: format!("check-{name}"),
            require_reachable_start: false,
            ..Self::new(config, started_at)
        }
    }

    fn new(config: CrawlConfig, started_at: Timestamp) -> Self {
        Self {
            seeds: Vec::new(),
            config,
            site_key: String::new(),
            host_label: String::new(),
            expectations: Vec::new(),
            started_at,
            reports_dir: PathBuf::from("reports"),
            out: None,
            history: HistoryFile::Default,
            history_lock_timeout: history::DEFAULT_LOCK_TIMEOUT,
            analysis: analysis::Settings::new(started_at),
            fail_on: FailOn {
                threshold: Some(Severity::Error),
                only_new: false,
            },
            settings_json: serde_json::Value::Object(serde_json::Map::new()),
            require_reachable_start: false,
            style: report::Style::default(),
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            access_logs: crate::AccessLogs::default(),
            seed_from_logs: false,
            html: true,
        }
    }
}
