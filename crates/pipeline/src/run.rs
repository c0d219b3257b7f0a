//! [`run`]: history read → crawl → analysis → reports → history written.

use std::future::Future;
use std::path::PathBuf;
use std::time::Instant;

use crawler::Crawler;
use model::{AuditEnd, Finding, PriorObservations};
use report::{ReportWriter, SummaryInput};

use crate::crawl_reports::write_crawl_reports;
use crate::memory::log_memory;
use crate::{AuditJob, AuditOutcome, Error, FailOn};

/// Progress of one audit: the crawl's events, and the end of the crawl
/// (a front end takes its progress bar down there, before the reports).
pub trait Reporter: crawler::Reporter {
    /// The crawl is over; analysis and reports follow.
    fn crawl_finished(&self) {}
}

impl Reporter for crawler::NoReporter {}

/// Runs one audit: reads history, crawls until done or until `stop`
/// completes, analyses, writes the report folder and records the audit in
/// history.
///
/// An interrupted audit (after `stop`) still writes its reports and
/// history, marked `interrupted`, and returns `Ok`: see
/// [`AuditOutcome::verdict`].
pub async fn run(
    job: AuditJob,
    reporter: &dyn Reporter,
    stop: impl Future<Output = ()>,
) -> Result<AuditOutcome, Error> {
    let wall = Instant::now();
    let started_at = job.started_at;
    let mut settings = job.analysis.clone();
    settings.now = started_at;
    let host_dir = report::host_dir(&job.reports_dir, &job.host_label);
    let out_dir = job.out.clone().unwrap_or_else(|| {
        report::default_audit_dir(&job.reports_dir, &job.host_label, started_at)
    });
    let writer = ReportWriter::create(&out_dir).map_err(|source| Error::ReportFolder {
        path: out_dir.clone(),
        source,
    })?;
    let dir = writer.dir().to_path_buf();

    // Opened (and, for a shared database, this site's lock taken) before
    // the crawl: an unreachable server or a corrupt file fails the audit
    // before it has fetched anything.
    let mut history = job
        .history
        .location(&job.reports_dir, &job.host_label)
        .map(|location| {
            let open = || -> Result<history::History, history::Error> {
                let mut history = history::History::open(&location)?;
                history.lock_site(&lock_key(&job), job.history_lock_timeout)?;
                Ok(history)
            };
            open().map_err(|source| Error::OpenHistory {
                path: PathBuf::from(location.to_string()),
                source: Box::new(source),
            })
        })
        .transpose()?;
    let read_err = Error::reading_history;
    let (prior, previous) = match &mut history {
        Some(store) => (
            store
                .prior_observations(&job.site_key, started_at)
                .map_err(read_err(store))?,
            if job.fail_on.only_new {
                store
                    .previous_findings(&job.site_key, started_at)
                    .map_err(read_err(store))?
            } else {
                None
            },
        ),
        None => (PriorObservations::default(), None),
    };
    let html_history = match &mut history {
        Some(store) if job.html => crate::html_report::HtmlHistory::read(
            store,
            &job.site_key,
            started_at,
            previous.as_ref(),
        )?,
        _ => crate::html_report::HtmlHistory::default(),
    };

    let hosts = crate::access_logs::LogHosts::of(job.seeds.iter().map(|s| s.url.as_str()));
    let logs = crate::access_logs::gather(
        &job.access_logs,
        &job.site_key,
        &hosts,
        started_at,
        history.as_mut(),
    )?;
    let mut seeds = job.seeds;
    if let Some(facts) = &logs.facts
        && job.seed_from_logs
        && let Some(origin) = seeds.first().and_then(|s| url::Url::parse(&s.url).ok())
    {
        let room = job.config.max_urls.saturating_sub(seeds.len());
        seeds.extend(
            crate::access_logs::seed_urls(facts, &origin, &job.config.scope, room)
                .into_iter()
                .map(|url| crawler::Seed {
                    url,
                    discovery: model::Discovery::Seed,
                }),
        );
    }
    settings.access_log = logs.facts.clone();
    let mut config = job.config;
    // The crawl's working files (unnamed, gone when it ends) go where the
    // reports go: a disk the user chose, rather than a /tmp that may be
    // memory.
    config.spool_dir.get_or_insert_with(|| dir.clone());
    let crawler = Crawler::new(config).map_err(|source| Error::StartCrawler { source })?;
    let crawl = crawler
        .run(seeds, reporter, stop)
        .await
        .map_err(|source| Error::Crawl { source })?;
    reporter.crawl_finished();
    log_memory("crawl finished");

    // The crawl's own files do not need the findings: write them on a
    // second thread while analysis runs (the machine has two cores).
    // Findings go to sorted runs beside the reports as they are made: a
    // large site has hundreds of thousands.
    let mut findings = report::FindingSpool::new(&dir);
    let (trail, crawl_files) = std::thread::scope(|scope| {
        let crawl_files = scope.spawn(|| {
            write_crawl_reports(&writer, &crawl, &prior, started_at, logs.facts.as_deref())
        });
        // One pass over the records for findings, changes and what
        // history records.
        let trail = analysis::analyze_audit_into(
            &crawl,
            &prior,
            &settings,
            &job.expectations,
            &mut findings,
        );
        let written = crawl_files
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (trail, written)
    });
    let hop_classes = crawl_files?;
    // Analysis reads the records infallibly and stops where they cannot be
    // read back; the findings of a partial read are not written.
    crawl
        .pages
        .check()
        .map_err(|source| Error::WorkingFiles { source })?;
    log_memory("analysis and crawl reports finished");
    let analysis::AuditTrail {
        changes,
        observations,
        start_failure,
    } = trail;
    let mut findings = findings.finish().map_err(|source| Error::SortFindings {
        dir: dir.clone(),
        source,
    })?;
    // On the audit's clock: `--now` plus the wall time it took.
    let finished_at = started_at
        .checked_add(jiff::SignedDuration::try_from(wall.elapsed()).unwrap_or_default())
        .unwrap_or(started_at);

    let write_err = |file: &'static str| {
        let dir = dir.clone();
        move |source| Error::WriteReport { file, dir, source }
    };
    let mut failing = 0;
    // report.html's findings are gathered in the same pass.
    let mut html_findings = job
        .html
        .then(|| crate::html_report::HtmlFindingsPass::new(&html_history));
    let tally = writer
        .write_findings(&mut findings, |f| {
            failing += usize::from(fails(job.fail_on, f, previous.as_ref()));
            if let Some(html) = &mut html_findings {
                html.add(f);
            }
        })
        .map_err(write_err(report::FINDINGS_CSV))?;
    log_memory("findings written");
    writer
        .write_changes(&changes)
        .map_err(write_err(report::CHANGES_CSV))?;
    let elapsed_ms = u64::try_from(wall.elapsed().as_millis()).unwrap_or(u64::MAX);
    let summary = SummaryInput {
        crawl: &crawl,
        findings: &tally,
        changes: &changes,
        tool_version: &job.tool_version,
        started_at,
        finished_at,
        elapsed_ms,
        settings: &job.settings_json,
        report_dir: writer.dir(),
        access_logs: logs.read.as_ref(),
    };
    // Counted once (a pass over every page record) for the file and the
    // terminal.
    let written = report::Summary::new(&summary);
    crawl
        .pages
        .check()
        .map_err(|source| Error::WorkingFiles { source })?;
    // report.html (issue 16), before summary.json marks the folder done.
    if let Some(html_findings) = html_findings {
        let audit = crate::html_report::HtmlAudit {
            crawl: &crawl,
            prior: &prior,
            hop_classes: &hop_classes,
            settings: &settings,
            changes: &changes,
            summary: &written,
            host_dir: &host_dir,
        };
        crate::html_report::write_html_report(&writer, &audit, html_findings, &html_history)?;
        log_memory("report.html written");
    }
    writer
        .write_summary(&written)
        .map_err(write_err(report::SUMMARY_JSON))?;
    if crawl.end != AuditEnd::Interrupted && job.out.is_none() {
        report::update_latest(&host_dir, writer.dir()).map_err(|source| Error::UpdateLatest {
            host_dir: host_dir.clone(),
            source,
        })?;
    }
    let mut history_saved: Option<PathBuf> = None;
    if let Some(store) = &mut history {
        let record = history::AuditRecord {
            site: job.site_key.clone(),
            start_url: crawl.start_url.clone(),
            started_at,
            ended_at: finished_at,
            status: history::AuditStatus::from(&crawl.end),
            settings_json: job.settings_json.to_string(),
            tool_version: job.tool_version.clone(),
        };
        // The findings again, from the spool: streamed, never all in
        // memory.
        store
            .record_audit_with_findings(&record, &observations, |visit| findings.for_each(visit))
            .map_err(|source| Error::SaveHistory {
                history: store.location().to_string(),
                report_dir: dir.clone(),
                source: Box::new(source),
            })?;
        history_saved = Some(PathBuf::from(store.location().to_string()));
    }
    let text = report::render_summary(&summary, &written.counts, job.style);
    log_memory("audit finished");

    let start_failure = start_failure.filter(|_| job.require_reachable_start);
    Ok(AuditOutcome {
        end: crawl.end.clone(),
        report_dir: dir,
        tally,
        failing,
        compared_with: previous.map(|p| p.audit),
        history_saved,
        summary: text,
        start_url: crawl.start_url.clone(),
        start_failure,
    })
}

/// What two audits must not run at once on: the site, or the part of it
/// under `--scope-prefix`. Shards of one site by prefix (README, "Many
/// machines") observe disjoint URLs, so they run side by side; two audits
/// of the same shard are serialised.
fn lock_key(job: &AuditJob) -> String {
    match job.config.scope.path_prefix() {
        "/" => job.site_key.clone(),
        prefix => format!("{}{prefix}", job.site_key),
    }
}

/// Whether `finding` fails the audit: at or above the threshold, and with
/// [`FailOn::only_new`] not among the previous audit's findings (all are
/// new when there is no previous audit).
fn fails(fail_on: FailOn, finding: &Finding, previous: Option<&history::PreviousFindings>) -> bool {
    fail_on
        .threshold
        .is_some_and(|threshold| finding.severity >= threshold)
        && (!fail_on.only_new
            || previous.is_none_or(|prev| !prev.contains(&finding.rule, &finding.url)))
}
