//! `redirect-audit history list | import | prune | migrate`.

use std::fmt::Write as _;

use anyhow::{Context, Result};
use history::{History, HistoryLocation};
use jiff::Timestamp;

use crate::args::HistoryCommand;
use crate::exit::ExitCode;
use crate::ui::Ui;

/// Runs a history subcommand.
pub fn run(command: HistoryCommand, ui: Ui) -> Result<ExitCode> {
    match command {
        HistoryCommand::List(args) => {
            let mut store = open_existing(&args.file.history, "--history")?;
            let out = match (&args.site, args.all) {
                (None, false) => list_sites(&mut store)?,
                (site, _) => list_audits(&mut store, site.as_deref())?,
            };
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
            let logs = crate::logs::read_logs(&args.paths, "log path", &args.read)?;
            let now = crate::settings::clock(args.now.as_deref())?;
            let mut store = open(&args.file.history)?;
            let read = pipeline::import_logs(&mut store, &site, &logs, now)?;
            ui.note(&format!(
                "read {} lines from {} {} into {} ({} parsed, {} read before, {} unparseable)",
                read.lines,
                read.files,
                if read.files == 1 { "file" } else { "files" },
                // The location as the store names it: a database URL
                // without its password.
                store.location(),
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
            let mut store = open_existing(&args.file.history, "--history")?;
            let deleted = store.prune(args.keep).context("cannot prune history")?;
            ui.note(&format!(
                "deleted {deleted} audits, kept the newest {} per site",
                args.keep
            ));
        }
        HistoryCommand::Migrate(args) => {
            let mut from = open_existing(&args.from, "--from")?;
            let mut to = open(&args.to)?;
            let counts = from.copy_into(&mut to).with_context(|| {
                format!("cannot migrate {} to {}", from.location(), to.location())
            })?;
            ui.note(&format!(
                "copied {} audits, {} observations, {} findings and the access-log evidence of {} \
                 paths from {} to {}; the counts match",
                counts.audits,
                counts.observations,
                counts.findings,
                counts.log_paths,
                from.location(),
                to.location()
            ));
        }
    }
    Ok(ExitCode::Clean)
}

/// One line per site: its audits and its newest audit with counts.
fn list_sites(store: &mut History) -> Result<String> {
    let sites = store.list_sites().context("cannot list sites")?;
    let mut out = String::from(
        "site\taudits\tlast_audit\tlast_started_at\tlast_status\tobservations\tfindings\n",
    );
    for s in sites {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            model::escape_bytes(s.site.as_bytes()),
            s.audits,
            s.last_audit.0,
            s.last_started_at,
            s.last_status.as_str(),
            s.last_observations,
            s.last_findings,
        );
    }
    Ok(out)
}

/// One line per audit, oldest first; only `site`'s when given.
fn list_audits(store: &mut History, site: Option<&str>) -> Result<String> {
    let audits = store.list_audits().context("cannot list audits")?;
    let mut out = String::from("id\tstarted_at\tended_at\tstatus\tobservations\tsite\tstart_url\n");
    for a in audits.iter().filter(|a| site.is_none_or(|s| a.site == s)) {
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
    Ok(out)
}

/// [`open`] for a command that only reads or trims a history: opening a
/// file creates it, so a mistyped path would be listed, pruned or migrated
/// as an empty history (and left behind).
fn open_existing(path: &std::path::Path, flag: &str) -> Result<History> {
    if let HistoryLocation::File(file) = HistoryLocation::from_path(path)?
        && !file.exists()
    {
        anyhow::bail!(
            "the history file {} does not exist ({flag} takes an existing history file or a \
             postgres:// URL)",
            file.display()
        );
    }
    open(path)
}

/// Opens a history file or connects to a database; its name in messages
/// never shows a password.
fn open(path: &std::path::Path) -> Result<History> {
    let location = HistoryLocation::from_path(path)?;
    History::open(&location).with_context(|| format!("cannot use the history {location}"))
}
