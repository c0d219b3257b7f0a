//! The `report.html` benchmark: a synthetic audit of a large site (one
//! million URLs, 200 000 findings by default), its page written by the
//! report crate exactly as an audit writes it, then its size and how long
//! headless Chromium takes to load and render it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use model::{AuditEnd, Chain, ChainEnd, CrawlOutput, Finding, Hop, RawValue, Severity};
use report::{
    FindingTally, HtmlFindings, HtmlInput, HtmlLimits, ReportWriter, RuleText, Summary,
    SummaryInput,
};

use crate::Error;
use crate::rng::SplitMix64;

/// Where the Debian package installs Chromium.
pub const DEFAULT_CHROMIUM: &str = testsite::CHROMIUM;

/// Rules of the synthetic findings, with their severity and weight (how
/// many in 100): the mix of a large shop with a migration behind it.
const RULE_MIX: [(&str, Severity, usize); 10] = [
    ("link-to-redirect", Severity::Warning, 40),
    ("temporary-redirect", Severity::Notice, 15),
    ("relative-location", Severity::Notice, 12),
    ("redirect-chain", Severity::Warning, 8),
    ("long-lived-temporary-redirect", Severity::Warning, 7),
    ("redirect-to-error", Severity::Error, 6),
    ("sitemap-lists-redirect", Severity::Warning, 5),
    ("malformed-location", Severity::Error, 3),
    ("canonical-to-redirect", Severity::Warning, 3),
    ("redirect-loop", Severity::Error, 1),
];

/// What the benchmark measured.
#[derive(Clone, Debug)]
pub struct HtmlBench {
    /// The page written.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Time to build and write it.
    pub write: Duration,
    /// Chromium's wall time to load, run and serialise the page
    /// (`--dump-dom`), start-up included.
    pub render: Duration,
    /// Chromium's wall time for an empty page: its start-up alone.
    pub baseline: Duration,
}

fn url(i: usize) -> String {
    format!("https://shop.example/category-{}/product-{i}", i % 97)
}

/// A synthetic crawl: `chains` redirecting URLs, one to four hops each, a
/// few with a malformed Location.
fn crawl(urls: usize, chains: usize, rng: &mut SplitMix64) -> CrawlOutput {
    let chains = (0..chains)
        .map(|i| {
            let n = rng.between(1, 4);
            let mut hops: Vec<Hop> = (0..n)
                .map(|k| {
                    let from = if k == 0 {
                        url(i)
                    } else {
                        format!("{}/step-{k}", url(i))
                    };
                    let to = format!("{}/step-{}", url(i), k + 1);
                    Hop {
                        url: from,
                        status: Some(if rng.below(3) == 0 { 302 } else { 301 }),
                        locations: vec![RawValue::from(to.as_str())],
                        target: Some(to),
                        ..Hop::default()
                    }
                })
                .collect();
            hops.push(Hop {
                url: format!("{}/step-{n}", url(i)),
                status: Some(200),
                ..Hop::default()
            });
            Chain {
                start: url(i),
                hops,
                end: ChainEnd::Final,
            }
        })
        .collect();
    CrawlOutput {
        start_url: "https://shop.example/".to_owned(),
        pages: model::Pages::default(),
        chains,
        links: Vec::new(),
        referrers: Vec::new(),
        end: AuditEnd::Completed,
        stats: model::CrawlStats {
            requests: urls as u64,
            ..model::CrawlStats::default()
        },
    }
}

/// Synthetic findings in `findings.csv` order, fed to `gather`, and
/// counted as an audit counts them.
fn findings(
    count: usize,
    chains: usize,
    rng: &mut SplitMix64,
    gather: &mut HtmlFindings,
) -> FindingTally {
    let total_weight: usize = RULE_MIX.iter().map(|(_, _, w)| w).sum();
    let mut all: Vec<Finding> = (0..count)
        .map(|i| {
            let mut pick = rng.below(total_weight);
            let (rule, severity, _) = RULE_MIX
                .iter()
                .find(|(_, _, w)| {
                    let hit = pick < *w;
                    pick = pick.saturating_sub(*w);
                    hit
                })
                .copied()
                .unwrap_or(RULE_MIX[0]);
            let target = url(i % chains.max(1));
            let mut f = Finding::new(
                rule,
                severity,
                target.clone(),
                format!("{rule}: {target} redirects (synthetic finding {i})"),
            );
            f.evidence.status_chain = Some("301 → 302 → 200".to_owned());
            f.evidence.raw_location = Some(format!("/category-{}/product-{i}/step-1", i % 97));
            f.evidence.final_url = Some(format!("{target}/step-2"));
            f.evidence.hops = Some(2);
            f.evidence.linking_pages = Some(rng.between(1, 40));
            f.evidence.sample_linking_page = Some(url(rng.below(chains.max(1))));
            if rule == "long-lived-temporary-redirect" {
                f.evidence.age_days = Some(i64::try_from(rng.between(30, 800)).unwrap_or(30));
            }
            f
        })
        .collect();
    model::sort_findings(&mut all);
    for f in &all {
        gather.add(f);
    }
    FindingTally::of(&all)
}

/// Writes the synthetic audit's `report.html` into `dir`.
pub fn write_synthetic_report(
    dir: &Path,
    urls: usize,
    finding_count: usize,
    seed: u64,
) -> Result<(PathBuf, Duration), Error> {
    let mut rng = SplitMix64::new(seed, 16);
    let chains = urls / 10;
    let crawl = crawl(urls, chains, &mut rng);
    let started = Instant::now();
    let limits = HtmlLimits::default();
    let mut gather = HtmlFindings::new(limits.rows_per_rule);
    let tally = findings(finding_count, chains, &mut rng, &mut gather);
    let now = Timestamp::from_second(1_795_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
    let mut summary = Summary::new(&SummaryInput {
        crawl: &crawl,
        findings: &tally,
        changes: &[],
        tool_version: "bench",
        started_at: now,
        finished_at: now,
        elapsed_ms: 0,
        settings: &serde_json::json!({"command": "bench html", "urls": urls}),
        report_dir: dir,
        access_logs: None,
    });
    // The synthetic crawl keeps no page store: its URLs are only counted.
    summary.counts.pages = urls;
    let rules: Vec<RuleText> = RULE_MIX
        .iter()
        .map(|(code, _, _)| RuleText {
            code: (*code).to_owned(),
            why: "Why it matters (the README text of the rule).".to_owned(),
            fix: "How to fix it (the README text of the rule).".to_owned(),
        })
        .collect();
    let hop_classes = std::collections::HashMap::new();
    let temporary_ages = std::collections::HashMap::new();
    let input = HtmlInput {
        summary: &summary,
        crawl: &crawl,
        hop_classes: &hop_classes,
        temporary_ages: &temporary_ages,
        changes: &[],
        previous_audit: None,
        comparison: None,
        over_time: &[],
        rules: &rules,
        limits,
    };
    let writer = ReportWriter::create(dir)?;
    let path = writer.write_html(&input, &gather)?;
    Ok((path, started.elapsed()))
}

/// Wall time of headless Chromium loading `page` and printing its DOM.
pub fn chromium_dump_time(chromium: &Path, page: &str) -> Result<Duration, Error> {
    if !chromium.exists() {
        return Err(Error::ChromiumMissing {
            path: chromium.to_path_buf(),
        });
    }
    let profile = tempfile::tempdir().map_err(|source| Error::Write {
        path: std::env::temp_dir(),
        source,
    })?;
    let started = Instant::now();
    let out = Command::new(chromium)
        .args(testsite::CHROMIUM_HEADLESS_ARGS)
        .arg("--dump-dom")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(page)
        .output()
        .map_err(|source| Error::Spawn {
            path: chromium.to_path_buf(),
            source,
        })?;
    let took = started.elapsed();
    if !out.status.success() || out.stdout.is_empty() {
        return Err(Error::ChromiumFailed {
            path: chromium.to_path_buf(),
            page: page.to_owned(),
            status: out.status,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(took)
}

/// Writes the synthetic report into `dir` and measures it.
pub fn bench_html(
    dir: &Path,
    urls: usize,
    findings: usize,
    seed: u64,
    chromium: &Path,
) -> Result<HtmlBench, Error> {
    let (path, write) = write_synthetic_report(dir, urls, findings, seed)?;
    let bytes = std::fs::metadata(&path)
        .map_err(|source| Error::Write {
            path: path.clone(),
            source,
        })?
        .len();
    let empty = dir.join("empty.html");
    std::fs::write(&empty, "<!DOCTYPE html><title>empty</title>").map_err(|source| {
        Error::Write {
            path: empty.clone(),
            source,
        }
    })?;
    // A `file://` URL needs an absolute path: `file://./x` names a host.
    let file_url = |p: &Path| {
        std::path::absolute(p)
            .map(|abs| format!("file://{}", abs.display()))
            .map_err(|source| Error::Write {
                path: p.to_path_buf(),
                source,
            })
    };
    let baseline = chromium_dump_time(chromium, &file_url(&empty)?)?;
    let render = chromium_dump_time(chromium, &file_url(&path)?)?;
    Ok(HtmlBench {
        path,
        bytes,
        write,
        render,
        baseline,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_synthetic_report_counts_everything_and_caps_what_it_embeds() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = write_synthetic_report(dir.path(), 1000, 2000, 7).unwrap();
        let html = std::fs::read_to_string(path).unwrap();
        assert!(html.contains("<span class=\"n\" id=\"count-total\">2000</span>"));
        // About 800 link-to-redirect findings: 200 embedded, the rest counted.
        let rows = html
            .matches("<tr class=\"warning\"><td>warning</td>")
            .count();
        assert!(rows <= 200 * 5, "{rows}");
        assert!(html.contains(
            "more <code>link-to-redirect</code> findings are rows of <code>findings.csv</code>"
        ));
        assert!(html.contains("<p>100 of 100 redirecting URLs"));
    }

    /// `--out` relative to the working folder: the page's `file://` URL
    /// used to be `file://./…`, which Chromium reads as a host and renders
    /// nothing.
    #[test]
    fn a_relative_out_folder_is_rendered() {
        let dir = tempfile::Builder::new().tempdir_in(".").unwrap();
        let relative = Path::new(".").join(dir.path().file_name().unwrap());
        let measured = bench_html(&relative, 1000, 100, 7, Path::new(DEFAULT_CHROMIUM)).unwrap();
        assert!(measured.render > Duration::ZERO);
        assert!(measured.bytes > 0);
    }
}
