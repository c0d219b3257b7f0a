//! The access-log flags resolved into [`pipeline::AccessLogs`], checked
//! before any crawling (and before the audit folder is made): a
//! `--access-log` path that does not exist or cannot be listed, and a
//! `--bot-ranges` file that is missing, unreadable or not Google's format,
//! are usage errors (exit 2).

use anyhow::{Context, Result, bail};
use pipeline::AccessLogs;

use crate::args::{LogArgs, LogFormat};

impl From<LogFormat> for accesslog::Format {
    fn from(value: LogFormat) -> Self {
        match value {
            LogFormat::Combined => Self::Combined,
            LogFormat::Common => Self::Common,
            LogFormat::Vhost => Self::Vhost,
            LogFormat::Json => Self::Json,
        }
    }
}

/// The Googlebot ranges: the bundled snapshot, or `--bot-ranges`.
pub fn bot_ranges(path: Option<&std::path::Path>) -> Result<accesslog::GooglebotRanges> {
    match path {
        None => Ok(accesslog::GooglebotRanges::bundled()),
        Some(path) => accesslog::GooglebotRanges::from_file(path)
            .with_context(|| format!("invalid --bot-ranges {}", path.display())),
    }
}

/// Resolves and checks the access-log flags.
pub fn access_logs(args: &LogArgs) -> Result<AccessLogs> {
    if args.log_days < 1 {
        bail!("invalid --log-days {}: expected at least 1", args.log_days);
    }
    // Each path is listed here, once: a log's content is never an error,
    // only a path that is not there.
    let mut paths = Vec::new();
    for path in &args.access_log {
        paths.extend(accesslog::expand(path).with_context(|| {
            format!(
                "invalid --access-log {}: expected an existing file, .gz file or directory you can read",
                path.display()
            )
        })?);
    }
    Ok(AccessLogs {
        paths,
        format: args.log_format.map(Into::into),
        days: args.log_days,
        ranges: bot_ranges(args.bot_ranges.as_deref())?,
    })
}

/// The access-log settings as recorded in summary.json and history.
pub fn settings_json(args: &LogArgs) -> serde_json::Value {
    serde_json::json!({
        "access_logs": args.access_log.len(),
        "log_format": args.log_format.map(|f| accesslog::Format::from(f).name()),
        "log_days": args.log_days,
        "bot_ranges": args.bot_ranges.is_some(),
    })
}
