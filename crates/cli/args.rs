//! Command-line arguments (clap derive). Defaults come from the library
//! crates' `pub const`s so the CLI and the libraries cannot drift apart.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The environment variable naming the history, so a database password
/// stays out of crontabs and process lists; `--history` wins over it.
pub const HISTORY_ENV: &str = "REDIRECT_AUDIT_HISTORY";

/// Crawl a site and audit every redirect, hop by hop: long-lived temporary
/// redirects, malformed Location values, chains, loops, and links that
/// point at redirects.
#[derive(Debug, Parser)]
#[command(name = "redirect-audit", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// Show tracing logs on stderr (-v info, -vv debug); hides the progress bar.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Print nothing but errors: no progress bar, no summary.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crawl a site from START_URL and audit every redirect it meets.
    Crawl(CrawlArgs),
    /// Check a list of URLs or a migration map (old,new): where does each land?
    Check(CheckArgs),
    /// Serve the bundled demo site on 127.0.0.1 and audit it (offline).
    Demo(DemoArgs),
    /// Inspect and maintain the audit history file.
    #[command(subcommand)]
    History(HistoryCommand),
}

/// `redirect-audit crawl`.
#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// The URL to start from (http or https).
    #[arg(value_name = "START_URL")]
    pub start_url: String,

    /// Also crawl other subdomains of the start host (shop. …), on any scheme and port.
    #[arg(long)]
    pub include_subdomains: bool,

    /// Only crawl paths that start with this prefix, e.g. /blog/.
    #[arg(long, value_name = "PATH")]
    pub scope_prefix: Option<String>,

    /// Do not seed from robots.txt Sitemap: lines and /sitemap.xml.
    #[arg(long)]
    pub no_sitemaps: bool,

    /// Link depth at most (the start URL is 0).
    #[arg(long, value_name = "N", default_value_t = crawler::DEFAULT_MAX_DEPTH)]
    pub max_depth: u32,

    #[command(flatten)]
    pub fetch: FetchArgs,

    #[command(flatten)]
    pub logs: LogArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `redirect-audit check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// URLs one per line, or a CSV with a header naming the URL column (url, old,
    /// source, from) and optionally the expected one (expected, new, target, to).
    /// `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub list: String,

    #[command(flatten)]
    pub fetch: FetchArgs,

    #[command(flatten)]
    pub logs: LogArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// `redirect-audit demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Port for the demo server on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,

    /// Serve the demo site until Ctrl-C instead of auditing it.
    #[arg(long)]
    pub serve_only: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Access logs as evidence (issue 15; shared by crawl and check).
#[derive(Debug, Args, Clone)]
pub struct LogArgs {
    /// An access log: a file, a .gz file or a directory of rotated logs (repeatable).
    #[arg(long, value_name = "PATH")]
    pub access_log: Vec<PathBuf>,

    #[command(flatten)]
    pub read: LogReadArgs,
}

/// How access logs are read (shared by crawl, check and `history import-log`).
#[derive(Debug, Args, Clone)]
pub struct LogReadArgs {
    /// Read every access log in this format instead of detecting it per file.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,

    /// Googlebot counts and URLs that answered 3xx in the logs look back this many days from --now.
    #[arg(long, value_name = "N", default_value_t = pipeline::DEFAULT_LOG_DAYS)]
    pub log_days: i64,

    /// Google's googlebot.json to verify Googlebot with, instead of the bundled copy.
    #[arg(long, value_name = "FILE")]
    pub bot_ranges: Option<PathBuf>,
}

/// A `--log-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// nginx/Apache combined.
    Combined,
    /// Common log format (no referer, no User-Agent).
    Common,
    /// Apache vhost_combined (host:port first).
    Vhost,
    /// JSON lines (nginx escape=json, Caddy).
    Json,
}

/// How URLs are fetched: limits and politeness (shared by crawl and check).
#[derive(Debug, Args, Clone)]
pub struct FetchArgs {
    /// Requests per second across the audit, 0 = unlimited [default: crawl 10, check 0]
    #[arg(long, value_name = "REQ_PER_S")]
    pub rate: Option<u32>,

    /// Requests in flight at once [default: crawl 4, check 64]
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,

    /// Requests per second to one host, 0 = unlimited [default: crawl 0, check 10]
    #[arg(long, value_name = "REQ_PER_S")]
    pub per_host_rate: Option<u32>,

    /// Requests in flight at once to one host [default: crawl = --concurrency, check 4]
    #[arg(long, value_name = "N")]
    pub per_host_concurrency: Option<usize>,

    /// Redirects followed per chain.
    #[arg(long, value_name = "N", default_value_t = crawler::DEFAULT_MAX_HOPS)]
    pub max_hops: usize,

    /// URLs fetched at most (redirect targets still complete their chains).
    #[arg(long, value_name = "N", default_value_t = crawler::DEFAULT_MAX_URLS)]
    pub max_urls: usize,

    /// Per-request timeout in seconds (whole request, body included).
    #[arg(long, value_name = "SECONDS", default_value_t = crawler::DEFAULT_TIMEOUT.as_secs_f64())]
    pub timeout: f64,

    /// Stop the audit after this many seconds and report what was seen.
    #[arg(long, value_name = "SECONDS")]
    pub deadline: Option<f64>,

    /// Body bytes read at most per page, after decompression.
    #[arg(long, value_name = "BYTES", default_value_t = crawler::DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,

    /// Retries after a network error, 5xx or 429 (with backoff and Retry-After).
    #[arg(long, value_name = "N", default_value_t = crawler::DEFAULT_RETRIES)]
    pub retries: u32,

    /// URLs crawled at most per URL pattern, the spider-trap guard (0 = no cap).
    #[arg(long, value_name = "N", default_value_t = crawler::DEFAULT_MAX_PER_PATTERN)]
    pub max_per_pattern: usize,

    /// Follow redirects from a public site into private, loopback or link-local addresses.
    #[arg(long)]
    pub allow_private: bool,

    /// Ignore robots.txt (Disallow and Crawl-delay). For your own sites.
    #[arg(long)]
    pub ignore_robots: bool,

    /// The User-Agent header; its first token is matched against robots.txt.
    #[arg(long, value_name = "UA", default_value = crawler::DEFAULT_USER_AGENT)]
    pub user_agent: String,

    /// Accept invalid TLS certificates (expired, self-signed, wrong host).
    #[arg(long)]
    pub insecure: bool,

    /// Resolve HOST to ADDR:PORT instead of DNS, like curl (repeatable).
    #[arg(long, value_name = "HOST:ADDR:PORT")]
    pub resolve: Vec<String>,

    /// Look up no host name in DNS: hosts not given with --resolve fail.
    #[arg(long)]
    pub resolve_only: bool,
}

/// Where results go, history, analysis and exit-code settings.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// The audit folder (default: <REPORTS_DIR>/<host>/<UTC timestamp>/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The folder holding every site's audits and history.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub reports_dir: PathBuf,

    /// The history: a file, or postgres://USER@HOST:PORT/DB shared by many machines
    /// (default: <REPORTS_DIR>/<host>/history.sqlite).
    #[arg(long, value_name = "FILE|URL", env = HISTORY_ENV, hide_env_values = true)]
    pub history: Option<PathBuf>,

    /// Neither read nor write history (wins over --history and REDIRECT_AUDIT_HISTORY).
    #[arg(long)]
    pub no_history: bool,

    /// With a PostgreSQL history: wait this long for another audit of the same site to finish.
    #[arg(long, value_name = "SECONDS", default_value_t = history::DEFAULT_LOCK_TIMEOUT.as_secs_f64())]
    pub history_lock_timeout: f64,

    /// The audit clock, RFC 3339 (for back-filling and tests; default: now).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,

    /// A temporary redirect seen with the same target for this many days is long-lived.
    #[arg(long, value_name = "DAYS", default_value_t = analysis::DEFAULT_LONG_LIVED_DAYS)]
    pub long_lived_days: i64,

    /// Do not report this rule (repeatable), e.g. --ignore-rule relative-location.
    #[arg(long, value_name = "CODE")]
    pub ignore_rule: Vec<String>,

    /// Report only findings at or above this severity.
    #[arg(long, value_enum, default_value_t = SeverityArg::Notice)]
    pub min_severity: SeverityArg,

    /// Exit 1 when a finding at or above this severity exists.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// With --fail-on: count only findings that the previous audit did not have.
    #[arg(long)]
    pub fail_on_new: bool,

    /// Do not write report.html (the CSVs and summary.json only).
    #[arg(long)]
    pub no_html: bool,
}

/// A severity on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Everything.
    Notice,
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

impl From<SeverityArg> for model::Severity {
    fn from(value: SeverityArg) -> Self {
        match value {
            SeverityArg::Notice => Self::Notice,
            SeverityArg::Warning => Self::Warning,
            SeverityArg::Error => Self::Error,
        }
    }
}

/// The `--fail-on` threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 on any error finding.
    Error,
    /// Exit 1 on warnings or errors.
    Warning,
    /// Exit 1 on any finding.
    Notice,
    /// Always exit 0 when the audit ran.
    Never,
}

impl FailOn {
    /// The lowest severity that fails the run, if any.
    pub fn threshold(self) -> Option<model::Severity> {
        match self {
            Self::Error => Some(model::Severity::Error),
            Self::Warning => Some(model::Severity::Warning),
            Self::Notice => Some(model::Severity::Notice),
            Self::Never => None,
        }
    }
}

/// `redirect-audit history …`.
#[derive(Debug, Subcommand)]
pub enum HistoryCommand {
    /// List every site with its last audit, or one site's audits (--site), or all (--all).
    List(HistoryListArgs),
    /// Load an earlier audit folder's hops.csv into history (back-fill).
    Import(HistoryImportArgs),
    /// Keep only the newest N audits per site.
    Prune(HistoryPruneArgs),
    /// Read access logs into history for a site, without an audit (back-fill).
    ImportLog(HistoryImportLogArgs),
    /// Copy a whole history between a file and a PostgreSQL database, checked by counts.
    Migrate(HistoryMigrateArgs),
}

/// `history import-log`.
#[derive(Debug, Args)]
pub struct HistoryImportLogArgs {
    /// Access logs: files, .gz files or directories of rotated logs.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// The site the logs are of (its origin keys history, as in a crawl of it).
    #[arg(long, value_name = "URL")]
    pub site: String,

    #[command(flatten)]
    pub read: LogReadArgs,

    /// The clock the log days count back from, RFC 3339 (default: now).
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,

    #[command(flatten)]
    pub file: HistoryFileArgs,
}

/// The history to work on.
#[derive(Debug, Args)]
pub struct HistoryFileArgs {
    /// The history: a file, or postgres://USER@HOST:PORT/DB.
    #[arg(long, value_name = "FILE|URL", env = HISTORY_ENV, hide_env_values = true)]
    pub history: PathBuf,
}

/// `history list`.
#[derive(Debug, Args)]
pub struct HistoryListArgs {
    /// Only this site's audits, e.g. https://example.com.
    #[arg(long, value_name = "SITE", conflicts_with = "all")]
    pub site: Option<String>,

    /// Every audit of every site, oldest first.
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub file: HistoryFileArgs,
}

/// `history migrate`.
#[derive(Debug, Args)]
pub struct HistoryMigrateArgs {
    /// The history to copy: a file or postgres://USER@HOST:PORT/DB.
    #[arg(long, value_name = "FILE|URL")]
    pub from: PathBuf,

    /// The history to copy it into (it may hold other sites): a file or postgres://USER@HOST:PORT/DB.
    #[arg(long, value_name = "FILE|URL")]
    pub to: PathBuf,
}

/// `history import`.
#[derive(Debug, Args)]
pub struct HistoryImportArgs {
    /// An earlier audit folder (it holds hops.csv and summary.json).
    #[arg(value_name = "AUDIT_DIR")]
    pub audit_dir: PathBuf,

    /// When that audit ran, RFC 3339 (default: from its summary.json).
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,

    #[command(flatten)]
    pub file: HistoryFileArgs,
}

/// `history prune`.
#[derive(Debug, Args)]
pub struct HistoryPruneArgs {
    /// Audits kept per site, newest first.
    #[arg(long, value_name = "N")]
    pub keep: usize,

    #[command(flatten)]
    pub file: HistoryFileArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_are_the_library_defaults() {
        let cli = Cli::parse_from(["redirect-audit", "crawl", "https://example.com/"]);
        let Command::Crawl(args) = cli.command else {
            panic!("crawl expected")
        };
        assert_eq!(args.fetch.max_hops, crawler::DEFAULT_MAX_HOPS);
        assert_eq!(args.fetch.max_urls, crawler::DEFAULT_MAX_URLS);
        assert_eq!(args.max_depth, crawler::DEFAULT_MAX_DEPTH);
        assert_eq!(args.fetch.retries, crawler::DEFAULT_RETRIES);
        assert_eq!(args.fetch.max_per_pattern, crawler::DEFAULT_MAX_PER_PATTERN);
        assert!(!args.fetch.allow_private);
        assert_eq!(args.fetch.max_body_bytes, crawler::DEFAULT_MAX_BODY_BYTES);
        assert_eq!(args.fetch.user_agent, crawler::DEFAULT_USER_AGENT);
        assert_eq!(
            args.output.long_lived_days,
            analysis::DEFAULT_LONG_LIVED_DAYS
        );
        assert_eq!(args.output.fail_on, FailOn::Error);
        assert_eq!(args.logs.read.log_days, pipeline::DEFAULT_LOG_DAYS);
    }
}
