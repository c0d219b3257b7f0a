//! The access-log flags resolved into [`pipeline::AccessLogs`], checked
//! before any crawling (and before the audit folder is made): a
//! `--access-log` path that does not exist or cannot be listed, and a
//! `--bot-ranges` file that is missing, unreadable or not Google's format,
//! are usage errors (exit 2).

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use pipeline::AccessLogs;

use crate::args::{LogArgs, LogFormat, LogReadArgs};

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

/// Resolves and checks the access-log flags of an audit.
pub fn access_logs(args: &LogArgs) -> Result<AccessLogs> {
    read_logs(&args.access_log, "--access-log", &args.read)
}

/// `given` (an audit's `--access-log`s, or `history import-log`'s paths,
/// named `what` in messages) read as `read` says, the flags checked.
pub fn read_logs(given: &[PathBuf], what: &str, read: &LogReadArgs) -> Result<AccessLogs> {
    if read.log_days < 1 {
        bail!("invalid --log-days {}: expected at least 1", read.log_days);
    }
    // Each path is listed here, once: a log's content is never an error,
    // only a path that is not there.
    let mut paths = Vec::new();
    for path in given {
        paths.extend(accesslog::expand(path).with_context(|| {
            format!(
                "invalid {what} {}: expected an existing file, .gz file or directory you can read",
                path.display()
            )
        })?);
    }
    Ok(AccessLogs {
        paths,
        format: read.log_format.map(Into::into),
        days: read.log_days,
        ranges: bot_ranges(read.bot_ranges.as_deref())?,
    })
}

/// The access-log settings as recorded in summary.json and history.
pub fn settings_json(args: &LogArgs) -> serde_json::Value {
    serde_json::json!({
        "access_logs": args.access_log.len(),
        "log_format": args.read.log_format.map(|f| accesslog::Format::from(f).name()),
        "log_days": args.read.log_days,
        "bot_ranges": args.read.bot_ranges.is_some(),
    })
}
