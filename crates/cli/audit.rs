//! One audit from start to finish, shared by `crawl`, `check` and `demo`:
//! history read → crawl → analysis → reports → history written.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use crawler::{CrawlConfig, Crawler, Seed};
use jiff::Timestamp;
use model::{AuditEnd, CrawlOutput, FetchErrorKind, Finding, PriorObservations};
use report::{RedirectExtras, ReportWriter, SummaryInput};
use url::Url;

use crate::args::OutputArgs;
use crate::exit::ExitCode;
use crate::progress::Progress;
use crate::ui::Ui;

/// Everything one audit needs.
pub struct AuditJob {
    /// Where the crawl starts (one seed) or the list to check.
    pub seeds: Vec<Seed>,
    /// Crawler settings.
    pub config: CrawlConfig,
    /// Keys this audit's history: the start URL's origin, or `check:<list>`.
    pub site_key: String,
    /// The folder under the reports folder: the host (with `:port`), or
    /// `check-<list>`.
    pub host_label: String,
    /// List mode: what each line of a migration map expects.
    pub expectations: Vec<model::Expectation>,
    /// Output, history, analysis and exit-code options.
    pub output: OutputArgs,
    /// The settings recorded in summary.json and history.
    pub settings_json: serde_json::Value,
    /// Fail when the start URL itself cannot be reached (crawl mode).
    pub require_reachable_start: bool,
}

impl AuditJob {
    /// A crawl of `start`'s site: history keyed by its origin, reports
    /// under its host (with `:port`).
    pub fn crawl(
        start: &Url,
        config: CrawlConfig,
        output: OutputArgs,
        settings_json: serde_json::Value,
    ) -> Self {
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
            config,
            site_key: start.origin().ascii_serialization(),
            host_label,
            expectations: Vec::new(),
            output,
            settings_json,
            require_reachable_start: true,
        }
    }
}

/// Runs the audit and decides the exit code.
pub async fn run_audit(job: AuditJob, ui: &Ui) -> Result<ExitCode> {
    let wall = Instant::now();
    let output = &job.output;
    let started_at = match &output.now {
        Some(now) => now.parse::<Timestamp>().with_context(|| {
            format!("invalid --now '{now}': expected RFC 3339, e.g. 2026-01-31T02:00:00Z")
        })?,
        None => Timestamp::now(),
    };
    let analysis_settings = analysis_settings(output, started_at)?;
    let host_name = job.host_label.clone();
    let host_dir = report::host_dir(&output.reports_dir, &host_name);
    let out_dir = output
        .out
        .clone()
        .unwrap_or_else(|| report::default_audit_dir(&output.reports_dir, &host_name, started_at));
    let writer = ReportWriter::create(&out_dir)
        .with_context(|| format!("cannot write the report folder {}", out_dir.display()))?;
    let site_key = job.site_key.clone();

    let mut history = if output.no_history {
        None
    } else {
        let path = output
            .history
            .clone()
            .unwrap_or_else(|| history::default_history_path(&output.reports_dir, &host_name));
        Some(history::HistoryStore::open(&path).context("cannot use the history file")?)
    };
    let prior = match &history {
        Some(store) => store
            .prior_observations(&site_key, started_at)
            .with_context(|| format!("cannot read the history file {}", store.path().display()))?,
        None => PriorObservations::default(),
    };
    let previous_findings = read_previous_findings(&host_dir);

    let mut config = job.config;
    // The crawl's working files (unnamed, gone when it ends) go where the
    // reports go: a disk the user chose, rather than a /tmp that may be
    // memory.
    config
        .spool_dir
        .get_or_insert_with(|| writer.dir().to_path_buf());
    let crawler = Crawler::new(config).context("cannot start the crawler")?;
    let progress = Progress::new(ui.progress_enabled());
    let crawl = crawler
        .run(job.seeds, &progress, crate::signals::first_stop_signal(*ui))
        .await
        .context("the crawl failed")?;
    progress.finish();
    log_memory("crawl finished");

    // The crawl's own files do not need the findings: write them on a
    // second thread while analysis runs (the machine has two cores).
    // Findings go to sorted runs beside the reports as they are made: a
    // large site has hundreds of thousands.
    let mut findings = report::FindingSpool::new(writer.dir());
    let (trail, crawl_files) = std::thread::scope(|scope| {
        let crawl_files = scope.spawn(|| write_crawl_reports(&writer, &crawl, &prior, started_at));
        // One pass over the records for findings, changes and what
        // history records (`analysis_settings.now` is `started_at`).
        let trail = analysis::analyze_audit_into(
            &crawl,
            &prior,
            &analysis_settings,
            &job.expectations,
            &mut findings,
        );
        let written = crawl_files
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (trail, written)
    });
    crawl_files?;
    // Analysis reads the records infallibly and stops where they cannot be
    // read back; the findings of a partial read are not written.
    crawl
        .pages
        .check()
        .context("the crawl's working files failed")?;
    log_memory("analysis and crawl reports finished");
    let analysis::AuditTrail {
        changes,
        observations,
    } = trail;
    let dir = writer.dir().display().to_string();
    let mut findings = findings
        .finish()
        .with_context(|| format!("cannot sort the findings in {dir}"))?;
    // On the audit's clock: `--now` plus the wall time it took.
    let finished_at = started_at
        .checked_add(jiff::SignedDuration::try_from(wall.elapsed()).unwrap_or_default())
        .unwrap_or(started_at);

    let mut failing = false;
    let tally = writer
        .write_findings(&mut findings, |f| {
            failing = failing || fails(output, f, previous_findings.as_ref());
        })
        .with_context(|| format!("cannot write findings.csv in {dir}"))?;
    log_memory("findings written");
    writer
        .write_changes(&changes)
        .with_context(|| format!("cannot write changes.csv in {dir}"))?;
    let elapsed_ms = u64::try_from(wall.elapsed().as_millis()).unwrap_or(u64::MAX);
    let summary = SummaryInput {
        crawl: &crawl,
        findings: &tally,
        changes: &changes,
        tool_version: env!("CARGO_PKG_VERSION"),
        started_at,
        finished_at,
        elapsed_ms,
        settings: &job.settings_json,
        report_dir: writer.dir(),
    };
    // Counted once (a pass over every page record) for the file and the
    // terminal.
    let written = report::Summary::new(&summary);
    crawl
        .pages
        .check()
        .context("the crawl's working files failed")?;
    writer
        .write_summary(&written)
        .with_context(|| format!("cannot write summary.json in {}", out_dir.display()))?;
    if crawl.end != AuditEnd::Interrupted && output.out.is_none() {
        report::update_latest(&host_dir, writer.dir())
            .with_context(|| format!("cannot update {}/latest", host_dir.display()))?;
    }
    if let Some(store) = &mut history {
        let record = history::AuditRecord {
            site: site_key.clone(),
            start_url: crawl.start_url.clone(),
            started_at,
            ended_at: finished_at,
            status: history::AuditStatus::from(&crawl.end),
            settings_json: job.settings_json.to_string(),
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        };
        store
            .record_audit(&record, &observations)
            .with_context(|| format!("cannot record the audit in {}", store.path().display()))?;
    }
    ui.summary(&report::render_summary(
        &summary,
        &written.counts,
        ui.style(),
    ));
    log_memory("audit finished");

    if crawl.end == AuditEnd::Interrupted {
        bail!(
            "the audit was interrupted; the report in {} holds what was seen",
            out_dir.display()
        );
    }
    if job.require_reachable_start {
        check_start_reached(&crawl)?;
    }
    Ok(if failing {
        ExitCode::Findings
    } else {
        ExitCode::Clean
    })
}

fn analysis_settings(output: &OutputArgs, now: Timestamp) -> Result<analysis::Settings> {
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
    let mut settings = analysis::Settings::new(now);
    settings.long_lived_days = output.long_lived_days;
    settings.ignore_rules = output.ignore_rule.clone();
    settings.min_severity = output.min_severity.into();
    Ok(settings)
}

/// Writes the files that depend on the crawl alone: redirects.csv (with
/// classes and history dates), hops.csv and pages.csv.
fn write_crawl_reports(
    writer: &ReportWriter,
    crawl: &CrawlOutput,
    prior: &PriorObservations,
    started_at: Timestamp,
) -> Result<()> {
    // Keyed by the crawl's own strings: a large site has some 200 000 hops.
    let hop_classes: HashMap<&str, String> = crawl
        .chains
        .iter()
        .flat_map(|c| &c.hops)
        .filter_map(|hop| {
            Some((
                hop.url.as_str(),
                classes_of(&hop.url, hop.target.as_deref()?),
            ))
        })
        .collect();
    let extras: HashMap<&str, RedirectExtras> = crawl
        .chains
        .iter()
        .map(|chain| {
            let classes = chain
                .hops
                .iter()
                .filter_map(|h| hop_classes.get(h.url.as_str()))
                .filter(|c| !c.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" | ");
            let first_seen = prior
                .by_url
                .get(&chain.start)
                .and_then(|obs| obs.iter().find(|o| o.is_redirect()))
                .map_or(started_at, |o| o.audited_at);
            let extras = RedirectExtras {
                classes,
                first_seen: Some(first_seen),
                last_seen: Some(started_at),
            };
            (chain.start.as_str(), extras)
        })
        .collect();
    let dir = writer.dir().display().to_string();
    writer
        .write_redirects(crawl, &extras)
        .with_context(|| format!("cannot write redirects.csv in {dir}"))?;
    writer
        .write_hops(crawl, &hop_classes)
        .with_context(|| format!("cannot write hops.csv in {dir}"))?;
    writer
        .write_pages(crawl)
        .with_context(|| format!("cannot write pages.csv in {dir}"))?;
    Ok(())
}

/// The redirect classes of one hop, `; `-separated.
fn classes_of(from: &str, to: &str) -> String {
    let (Ok(from), Ok(to)) = (Url::parse(from), Url::parse(to)) else {
        return String::new();
    };
    analysis::redirect_classes(&from, &to)
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The (rule, url) pairs of the newest complete audit, from its
/// findings.csv; `None` when there is no previous audit.
fn read_previous_findings(host_dir: &Path) -> Option<HashSet<(String, String)>> {
    let path: PathBuf = host_dir.join("latest").join(report::FINDINGS_CSV);
    let rows = report::read_findings_csv(&path).ok()?;
    Some(rows.into_iter().map(|r| (r.rule, r.url)).collect())
}

/// Whether `finding` fails the run: at or above `--fail-on`, and with
/// `--fail-on-new` not in the previous complete audit.
fn fails(
    output: &OutputArgs,
    finding: &Finding,
    previous: Option<&HashSet<(String, String)>>,
) -> bool {
    output
        .fail_on
        .threshold()
        .is_some_and(|threshold| finding.severity >= threshold)
        && (!output.fail_on_new
            || previous
                .is_none_or(|prev| !prev.contains(&(finding.rule.clone(), finding.url.clone()))))
}

/// A crawl whose start URL could not even be fetched is a runtime error
/// (exit 2), not an audit with one failing URL.
fn check_start_reached(crawl: &CrawlOutput) -> Result<()> {
    let Some(start) = Url::parse(&crawl.start_url)
        .ok()
        .map(|u| model::normalize_url(u).to_string())
    else {
        return Ok(());
    };
    let Some(page) = crawl.page(&start) else {
        return Ok(());
    };
    match &page.response.error {
        Some(error)
            if page.response.status.is_none()
                && !matches!(error.kind, FetchErrorKind::BlockedByRobots) =>
        {
            bail!(
                "cannot reach START_URL {}: {}",
                crawl.start_url,
                model::escape_bytes(error.to_string().as_bytes())
            )
        }
        _ => Ok(()),
    }
}

/// Logs (`-v`) the process's resident memory now and at its peak so far
/// (Linux `VmRSS`, `VmHWM`), for the memory tests and for users sizing a
/// machine; nothing where /proc is not available.
fn log_memory(stage: &str) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    let kib = |field: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    if let (Some(rss), Some(peak)) = (kib("VmRSS:"), kib("VmHWM:")) {
        tracing::info!(rss_kib = rss, peak_rss_kib = peak, "{stage}");
    }
}
