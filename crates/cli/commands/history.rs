//! `redirect-audit history list | import | prune`.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use history::HistoryStore;
use jiff::Timestamp;

use crate::args::HistoryCommand;
use crate::exit::ExitCode;
use crate::ui::Ui;

/// Runs a history subcommand.
pub fn run(command: HistoryCommand, ui: Ui) -> Result<ExitCode> {
    match command {
        HistoryCommand::List(args) => {
            let store = open(&args.history)?;
            let audits = store.list_audits().context("cannot list audits")?;
            let mut out =
                String::from("id\tstarted_at\tended_at\tstatus\tobservations\tsite\tstart_url\n");
            for a in audits {
                let _ = writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    a.id.0,
                    a.started_at,
                    a.ended_at,
                    a.status.as_str(),
                    a.observations,
                    model::escape_bytes(a.site.as_bytes()),
                    model::escape_bytes(a.start_url.as_bytes()),
                );
            }
            ui.summary(&out);
        }
        HistoryCommand::Import(args) => {
            let mut store = open(&args.file.history)?;
            let at = args
                .at
                .as_deref()
                .map(|at| {
                    at.parse::<Timestamp>()
                        .with_context(|| format!("invalid --at '{at}': expected RFC 3339"))
                })
                .transpose()?;
            let imported = pipeline::import_audit(&mut store, &args.audit_dir, at)?;
            ui.note(&format!(
                "imported {} redirects from {} as audit {} at {}",
                imported.observations,
                args.audit_dir.display(),
                imported.id.0,
                imported.started_at
            ));
        }
        HistoryCommand::ImportLog(args) => {
            let site = crate::settings::parse_start_url(&args.site)
                .with_context(|| "invalid --site".to_owned())?;
            let logs = pipeline::AccessLogs {
                paths: args.paths.clone(),
                format: args.log_format.map(Into::into),
                ranges: crate::logs::bot_ranges(args.bot_ranges.as_deref())?,
                days: args.log_days,
            };
            if args.log_days < 1 {
                anyhow::bail!("invalid --log-days {}: expected at least 1", args.log_days);
            }
            let now = match &args.now {
                Some(now) => now
                    .parse::<Timestamp>()
                    .with_context(|| format!("invalid --now '{now}': expected RFC 3339"))?,
                None => Timestamp::now(),
            };
            let mut store = open(&args.file.history)?;
            let read = pipeline::import_logs(&mut store, &site, &logs, now)?;
            ui.note(&format!(
                "read {} lines from {} {} into {} ({} parsed, {} read before, {} unparseable)",
                read.lines,
                read.files,
                if read.files == 1 { "file" } else { "files" },
                args.file.history.display(),
                read.parsed,
                read.already_read,
                read.unparseable,
            ));
            if read.nothing_matched {
                ui.note(&format!(
                    "nothing in these logs matched {}",
                    model::escape_bytes(site.as_str().as_bytes())
                ));
            }
            for problem in &read.problems {
                ui.note(&model::escape_bytes(problem.as_bytes()));
            }
        }
        HistoryCommand::Prune(args) => {
            let mut store = open(&args.file.history)?;
            let deleted = store.prune(args.keep).context("cannot prune history")?;
            ui.note(&format!(
                "deleted {deleted} audits, kept the newest {} per site",
                args.keep
            ));
        }
    }
    Ok(ExitCode::Clean)
}

fn open(path: &std::path::Path) -> Result<HistoryStore> {
    HistoryStore::open(path).context("cannot use the history file")
}
