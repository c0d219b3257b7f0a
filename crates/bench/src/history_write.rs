//! `history-write`: the history of a large audit written to SQLite and to
//! PostgreSQL on loopback, timed.
//!
//! The audit is synthetic, shaped like the scale benchmark's crawl: every
//! URL observed once (one in ten a temporary redirect, the rest permanent
//! ones and their former redirects answering 200), one finding per
//! temporary redirect. Both backends write it the way an audit does:
//! `record_audit_with_findings`, one transaction.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use history::{AuditRecord, AuditStatus, History, HistoryLocation};
use model::{Finding, Observation, Severity};

/// The synthetic audit of `urls` URLs.
fn audit(urls: usize) -> (AuditRecord, Vec<Observation>, Vec<Finding>) {
    let at: jiff::Timestamp = "2026-01-01T02:00:00Z".parse().unwrap_or_default();
    let origin = "http://127.0.0.1:8080";
    let mut observations = Vec::with_capacity(urls);
    let mut findings = Vec::new();
    for i in 0..urls {
        let url = format!("{origin}/section-{}/page-{i}.html", i % 97);
        let (statuses, target) = match i % 10 {
            0 => (
                vec![Some(302), Some(200)],
                Some(format!("{origin}/moved/{i}")),
            ),
            1..=3 => (
                vec![Some(301), Some(200)],
                Some(format!("{origin}/new/{i}")),
            ),
            _ => (vec![Some(200)], None),
        };
        if i % 10 == 0 {
            findings.push(Finding::new(
                "temporary-redirect",
                Severity::Notice,
                url.clone(),
                "302",
            ));
        }
        observations.push(Observation {
            audited_at: at,
            url,
            first_status: statuses[0],
            raw_location: target.as_ref().map(|t| t.replacen(origin, "", 1)),
            final_url: target.clone(),
            final_status: statuses.last().copied().flatten(),
            target,
            hop_statuses: statuses,
        });
    }
    let record = AuditRecord {
        site: origin.to_owned(),
        start_url: format!("{origin}/"),
        started_at: at,
        ended_at: at,
        status: AuditStatus::Completed,
        settings_json: "{}".to_owned(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    (record, observations, findings)
}

/// Opens `location` (creating the schema: not timed) and times writing
/// the audit into it.
fn time_write(
    location: &HistoryLocation,
    record: &AuditRecord,
    observations: &[Observation],
    findings: &[Finding],
) -> Result<Duration> {
    let mut store =
        History::open(location).with_context(|| format!("cannot open the history {location}"))?;
    let started = Instant::now();
    store
        .record_audit_with_findings(record, observations, |visit| {
            findings.iter().try_for_each(visit)
        })
        .with_context(|| format!("cannot write the audit to {location}"))?;
    Ok(started.elapsed())
}

/// Writes the history of a `urls`-URL audit to an SQLite file in
/// `work_dir` and to PostgreSQL (`postgres`, or a server of its own
/// started with initdb + pg_ctl, flushing its commits like SQLite does),
/// and reports both times.
pub fn run(out: &mut String, urls: usize, postgres: Option<&str>, work_dir: &Path) -> Result<()> {
    let (record, observations, findings) = audit(urls);
    let file = work_dir.join("bench-history.sqlite");
    let _ = std::fs::remove_file(&file);
    let sqlite = time_write(
        &HistoryLocation::File(file.clone()),
        &record,
        &observations,
        &findings,
    )?;
    let _ = std::fs::remove_file(&file);
    let own_server;
    let url = match postgres {
        Some(url) => url.to_owned(),
        None => {
            own_server = testpg::Server::start_durable()
                .context("cannot start PostgreSQL (or pass --postgres URL)")?;
            own_server
                .fresh_database()
                .context("cannot create the benchmark database")?
        }
    };
    let location = HistoryLocation::parse(&url)?;
    let pg = time_write(&location, &record, &observations, &findings)?;
    let _ = writeln!(
        out,
        "history of a {urls}-URL audit ({} observations, {} findings), one transaction:\n  \
         SQLite     {:>8.2} s\n  PostgreSQL {:>8.2} s ({location}, loopback)\n  \
         ratio      {:>8.2} × (target: at most 2 ×)",
        observations.len(),
        findings.len(),
        sqlite.as_secs_f64(),
        pg.as_secs_f64(),
        pg.as_secs_f64() / sqlite.as_secs_f64().max(f64::EPSILON),
    );
    Ok(())
}
