//! Whole audits against a site served on 127.0.0.1:0, reports and history
//! in a temporary folder: what the pipeline decides beyond its parts.

use std::path::Path;
use std::time::Duration;

use crawler::{CrawlConfig, NoReporter, Scope};
use jiff::{Timestamp, ToSpan};
use model::{AuditEnd, Severity};
use testsite::{RunningSite, Site};
use url::Url;

use crate::{AuditJob, AuditOutcome, FailOn, HistoryFile, Verdict, run};

/// `/` links to a redirect loop (an error) and a three-hop chain.
const SITE: &str = r#"
[site]
name = "pipeline"

[[route]]
path = "/"
status = 200
body = '<html><body><a href="/loop-a">a</a> <a href="/chain-1">c</a></body></html>'

[[route]]
path = "/loop-a"
status = 301
location = "/loop-b"

[[route]]
path = "/loop-b"
status = 301
location = "/loop-a"

[[route]]
path = "/chain-1"
status = 301
location = "/chain-2"

[[route]]
path = "/chain-2"
status = 301
location = "/chain-3"

[[route]]
path = "/chain-3"
status = 301
location = "/final"

[[route]]
path = "*"
status = 200
body = "<html><body>page</body></html>"
"#;

async fn serve() -> RunningSite {
    Site::from_toml_str(SITE, Path::new("."))
        .unwrap()
        .serve()
        .await
        .unwrap()
}

fn day(n: i64) -> Timestamp {
    "2026-01-01T00:00:00Z".parse::<Timestamp>().unwrap() + (n * 24).hours()
}

/// A crawl of `start` on day `n`, reports and history under `reports`,
/// failing on any new finding; no limits that make a test wait.
fn job(start: &str, reports: &Path, n: i64) -> AuditJob {
    let start = Url::parse(start).unwrap();
    let mut config = CrawlConfig::new(Scope::site_of(&start));
    config.rate = 0;
    config.retries = 0;
    config.timeout = Duration::from_secs(5);
    let mut job = AuditJob::crawl(&start, config, day(n));
    job.reports_dir = reports.to_path_buf();
    job.fail_on = FailOn {
        threshold: Some(Severity::Notice),
        only_new: true,
    };
    job
}

async fn audit(job: AuditJob) -> AuditOutcome {
    run(job, &NoReporter, std::future::pending()).await.unwrap()
}

fn count(outcome: &AuditOutcome, rule: &str) -> usize {
    outcome.tally.by_rule.get(rule).map_or(0, |r| r.count)
}

/// Issue 14: `--fail-on-new` compares with the previous audit's findings
/// kept in history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_findings_the_previous_audit_lacked_fail() {
    let site = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let start = format!("{}/", site.origin());

    // No earlier audit: every finding is new.
    let mut first = job(&start, dir.path(), 0);
    first.analysis.ignore_rules = vec!["redirect-loop".to_owned()];
    let first = audit(first).await;
    assert_eq!(first.compared_with, None);
    assert!(first.tally.total > 0, "{:?}", first.tally);
    assert_eq!(first.failing, first.tally.total);
    assert!(first.history_saved.is_some());

    // The loop was not reported the first time: it alone is new now.
    let second = audit(job(&start, dir.path(), 1)).await;
    assert!(second.compared_with.is_some());
    let loops = count(&second, "redirect-loop");
    assert!(loops > 0, "{:?}", second.tally);
    assert_eq!(second.failing, loops);
    assert_eq!(second.verdict(), Verdict::Findings);

    // Nothing new since.
    let third = audit(job(&start, dir.path(), 2)).await;
    assert_eq!(third.failing, 0);
    assert_eq!(third.verdict(), Verdict::Clean);
    assert_ne!(third.compared_with, second.compared_with);
}

/// An interrupted audit saw only part of the site: it is no baseline, or
/// everything it missed would look new next time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_audit_is_not_compared_with() {
    let site = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let start = format!("{}/", site.origin());
    let complete = audit(job(&start, dir.path(), 0)).await;
    assert_eq!(complete.failing, complete.tally.total);

    let stopped = run(job(&start, dir.path(), 1), &NoReporter, async {})
        .await
        .unwrap();
    assert_eq!(stopped.end, AuditEnd::Interrupted);
    assert_eq!(stopped.verdict(), Verdict::Interrupted);

    let after = audit(job(&start, dir.path(), 2)).await;
    assert_eq!(after.failing, 0);
    let history = history::HistoryStore::open(after.history_saved.as_ref().unwrap()).unwrap();
    let audits = history.list_audits().unwrap();
    assert_eq!(audits.len(), 3);
    assert_eq!(after.compared_with, Some(audits[0].id));
}

/// Without history there is no previous audit: every finding is new
/// (README, "Fail CI on regressions").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_history_every_finding_is_new() {
    let site = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let start = format!("{}/", site.origin());
    audit(job(&start, dir.path(), 0)).await;
    let mut again = job(&start, dir.path(), 1);
    again.history = HistoryFile::Off;
    let again = audit(again).await;
    assert_eq!(again.history_saved, None);
    assert_eq!(again.compared_with, None);
    assert!(again.failing > 0);
    assert_eq!(again.failing, again.tally.total);
}

/// The start URL's failure comes back as data, after the reports are
/// written; a list (no reachable start required) ignores it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_start_url_is_reported_after_the_reports() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let start = format!("http://127.0.0.1:{port}/");
    let mut crawl = job(&start, dir.path(), 0);
    crawl.history = HistoryFile::Off;
    let outcome = audit(crawl.clone()).await;
    let Verdict::StartUnreachable(error) = outcome.verdict() else {
        panic!("{:?}", outcome.verdict());
    };
    assert_eq!(error.kind, model::FetchErrorKind::Connect);
    assert!(outcome.report_dir.join(report::SUMMARY_JSON).is_file());

    crawl.require_reachable_start = false;
    crawl.out = Some(dir.path().join("list"));
    assert_eq!(audit(crawl).await.start_failure, None);
}

/// Issue 15: the hosts whose log lines are the site's are the seeds' hosts;
/// their other `www.`/bare spelling is kept apart.
#[test]
fn log_hosts_are_the_seeds_and_their_other_www_spelling() {
    let hosts = crate::access_logs::LogHosts::of([
        "https://Example.com/",
        "https://www.example.com/a",
        "http://shop.test:8080/",
        "http://127.0.0.1:9/",
    ]);
    assert_eq!(
        hosts.hosts,
        ["127.0.0.1", "example.com", "shop.test", "www.example.com"]
    );
    // example.com's and www.example.com's spellings are audited already;
    // an address has none.
    assert_eq!(hosts.variants, ["www.shop.test"]);
}

/// Issue 15: the URLs the logs add to a crawl stay on the audited origin
/// and in scope, and count against the room left in `--max-urls`.
#[test]
fn log_seeds_stay_on_the_site_and_in_scope() {
    let mut facts = model::AccessLogFacts {
        variant_hosts: vec!["www.example.com".to_owned()],
        ..model::AccessLogFacts::default()
    };
    for path in [
        "/old",
        "/blog/old",
        "//evil.example/x",
        "/quiet",
        "/blog/older",
        // The other spelling's lines, kept apart by host.
        "www.example.com/blog/www-only",
        "www.example.com/old",
        // A key for a host that is no variant never becomes a URL.
        "evil.example/blog/x",
    ] {
        facts.by_path.insert(
            path.to_owned(),
            model::LogFacts {
                redirected_recently: path != "/quiet",
                ..model::LogFacts::default()
            },
        );
    }
    let origin = url::Url::parse("https://example.com/").unwrap();
    let scope = crawler::Scope::site_of(&origin).with_path_prefix("/blog/");
    assert_eq!(
        crate::access_logs::seed_urls(&facts, &origin, &scope, 10),
        vec![
            "https://example.com/blog/old".to_owned(),
            "https://example.com/blog/older".to_owned(),
            "https://www.example.com/blog/www-only".to_owned(),
        ]
    );
    assert_eq!(
        crate::access_logs::seed_urls(&facts, &origin, &scope, 1).len(),
        1
    );
}
