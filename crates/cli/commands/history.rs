//! `redirect-audit history list | import | prune`.

use std::fmt::Write as _;

use anyhow::{Context, Result, bail};
use history::{AuditRecord, AuditStatus, HistoryStore};
use jiff::Timestamp;
use url::Url;

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
            let hops_path = args.audit_dir.join(report::HOPS_CSV);
            let rows = report::read_hops_csv(&hops_path)
                .with_context(|| format!("cannot read {}", hops_path.display()))?;
            let summary =
                report::read_summary_json(&args.audit_dir.join(report::SUMMARY_JSON)).ok();
            let started_at = match (&args.at, &summary) {
                (Some(at), _) => at
                    .parse::<Timestamp>()
                    .with_context(|| format!("invalid --at '{at}': expected RFC 3339"))?,
                (None, Some(summary)) => summary.started_at,
                (None, None) => bail!(
                    "{} has no readable summary.json: give the audit's time with --at RFC3339",
                    args.audit_dir.display()
                ),
            };
            let Some(first) = rows.first() else {
                bail!("{} has no redirect hops to import", hops_path.display());
            };
            let start_url = summary
                .as_ref()
                .map_or_else(|| first.chain_start.clone(), |s| s.start_url.clone());
            let start = Url::parse(&start_url)
                .with_context(|| format!("cannot tell the site of '{start_url}'"))?;
            let site = start.origin().ascii_serialization();
            // Intermediate hops of the site are observed too, as a live
            // audit would (issue 13); third parties' redirects are not.
            let scope = crawler::Scope::site_of(&start);
            let observations = report::observations_from_hops(&rows, started_at, |url| {
                Url::parse(url).is_ok_and(|u| scope.contains(&u))
            });
            let record = AuditRecord {
                site,
                start_url,
                started_at,
                ended_at: started_at,
                status: AuditStatus::Completed,
                settings_json: serde_json::json!({ "imported_from": args.audit_dir }).to_string(),
                tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            };
            let id = store
                .record_audit(&record, &observations)
                .context("cannot record the imported audit")?;
            ui.note(&format!(
                "imported {} redirects from {} as audit {} at {started_at}",
                observations.len(),
                args.audit_dir.display(),
                id.0
            ));
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
