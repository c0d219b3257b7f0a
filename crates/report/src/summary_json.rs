//! `summary.json`: counts, settings, timings and how the audit ended.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use jiff::Timestamp;
use model::{AuditEnd, Change, CrawlOutput};
use serde::{Deserialize, Serialize};

use crate::{Error, FindingTally, SeverityCounts};

/// Version of the `summary.json` layout and of the CSV columns. Raised when
/// a field or column is renamed or removed, or changes meaning; adding one
/// does not raise it.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything the end of an audit knows: the input of [`crate::render_summary`]
/// and of `summary.json`.
#[derive(Clone, Copy, Debug)]
pub struct SummaryInput<'a> {
    /// What the crawl recorded.
    pub crawl: &'a CrawlOutput,
    /// What analysis found, counted.
    pub findings: &'a FindingTally,
    /// What changed since the previous audit.
    pub changes: &'a [Change],
    /// The tool's version (`CARGO_PKG_VERSION` of the binary).
    pub tool_version: &'a str,
    /// When the audit started (the audit's clock, `--now` included).
    pub started_at: Timestamp,
    /// When it finished.
    pub finished_at: Timestamp,
    /// Wall time of the whole audit, measured by the caller on a monotonic
    /// clock.
    pub elapsed_ms: u64,
    /// The resolved settings, as the caller wants them recorded.
    pub settings: &'a serde_json::Value,
    /// The audit folder.
    pub report_dir: &'a Path,
    /// What was read from `--access-log` paths, if any were given.
    pub access_logs: Option<&'a crate::AccessLogRead>,
}

/// The counts section of `summary.json`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Rows of `pages.csv`: URLs fetched or deliberately not fetched.
    pub pages: usize,
    /// Pages whose fetch failed (timeout, connect …).
    pub fetch_errors: usize,
    /// Pages not fetched on purpose (robots.txt, scheme, private address).
    pub not_fetched: usize,
    /// Rows of `redirects.csv`: URLs that redirect.
    pub redirects: usize,
    /// Redirects that take two or more redirects to settle.
    pub chains: usize,
    /// Rows of `hops.csv`.
    pub hops: usize,
    /// References found (anchors, canonicals, sitemap entries …).
    pub links: usize,
    /// Rows of `findings.csv`.
    pub findings: usize,
    /// Findings per severity.
    pub findings_by_severity: SeverityCounts,
    /// Findings per rule code.
    pub findings_by_rule: BTreeMap<String, usize>,
    /// Rows of `changes.csv`.
    pub changes: usize,
    /// HTTP requests sent (retries, robots.txt and sitemaps included).
    pub requests: u64,
    /// Requests that got no response.
    pub errors: u64,
    /// URLs robots.txt kept us from.
    pub blocked: u64,
}

impl Counts {
    /// Counts everything in `input`.
    pub fn of(input: &SummaryInput<'_>) -> Self {
        let crawl = input.crawl;
        let findings_by_rule = input
            .findings
            .by_rule
            .iter()
            .map(|(rule, tally)| (rule.clone(), tally.count))
            .collect();
        let (mut fetch_errors, mut not_fetched) = (0, 0);
        crawl.pages.for_each(|p| {
            match &p.response.error {
                Some(e) if e.kind.is_not_fetched() => not_fetched += 1,
                Some(_) => fetch_errors += 1,
                None => {}
            }
            true
        });
        Self {
            pages: crawl.pages.len(),
            fetch_errors,
            not_fetched,
            redirects: crawl.chains.len(),
            chains: crawl
                .chains
                .iter()
                .filter(|c| c.redirect_count() > 1)
                .count(),
            hops: crawl.chains.iter().map(|c| c.hops.len()).sum(),
            links: usize::try_from(crawl.stats.links).unwrap_or(usize::MAX),
            findings: input.findings.total,
            findings_by_severity: input.findings.by_severity,
            findings_by_rule,
            changes: input.changes.len(),
            requests: crawl.stats.requests,
            errors: crawl.stats.errors,
            blocked: crawl.stats.blocked,
        }
    }
}

/// The content of `summary.json`. Field order is key order in the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// The tool's version.
    pub tool_version: String,
    /// The start URL as given.
    pub start_url: String,
    /// When the audit started (RFC 3339, UTC).
    pub started_at: Timestamp,
    /// When it finished.
    pub finished_at: Timestamp,
    /// Wall time of the whole audit.
    pub elapsed_ms: u64,
    /// Wall time of the crawl alone.
    pub crawl_elapsed_ms: u64,
    /// How the audit ended: `{"state": "completed"}`,
    /// `{"state": "truncated", "limits": ["max-urls"]}` or
    /// `{"state": "interrupted"}`.
    pub end: AuditEnd,
    /// The settings the audit ran with.
    pub settings: serde_json::Value,
    /// Counts.
    pub counts: Counts,
    /// The audit folder, as given to the writer.
    pub report_dir: String,
    /// What was read from `--access-log` paths; absent when none were
    /// given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_logs: Option<crate::AccessLogRead>,
}

impl Summary {
    /// Builds the summary of `input`.
    pub fn new(input: &SummaryInput<'_>) -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            tool_version: input.tool_version.to_owned(),
            start_url: input.crawl.start_url.clone(),
            started_at: input.started_at,
            finished_at: input.finished_at,
            elapsed_ms: input.elapsed_ms,
            crawl_elapsed_ms: input.crawl.stats.elapsed_ms,
            end: input.crawl.end.clone(),
            settings: input.settings.clone(),
            counts: Counts::of(input),
            report_dir: input.report_dir.to_string_lossy().into_owned(),
            access_logs: input.access_logs.cloned(),
        }
    }
}

/// Writes `summary.json` (pretty-printed, keys in a fixed order, a final
/// newline).
pub fn write_summary_json<W: io::Write>(mut out: W, summary: &Summary) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, summary)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Reads a `summary.json` (for `history import` and tests).
pub fn read_summary_json(path: &Path) -> Result<Summary, Error> {
    let text = fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    serde_json::from_slice(&text).map_err(|source| Error::Json {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use model::Truncation;

    use super::*;
    use crate::test_data;

    fn json(input: &SummaryInput<'_>) -> String {
        let mut out = Vec::new();
        write_summary_json(&mut out, &Summary::new(input)).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn summary_json_has_counts_settings_timings_and_end_state() {
        let crawl = test_data::crawl();
        let findings = test_data::findings();
        let changes = test_data::changes();
        let settings =
            serde_json::json!({"user_agent": "redirect-audit/0.1", "max_urls": 10000, "rate": 2.0});
        let dir = Path::new("reports/example.com/2026-11-24T23-53-37Z");
        let tally = crate::FindingTally::of(&findings);
        let input = test_data::summary_input(&crawl, &tally, &changes, &settings, dir);
        let expected = r#"{
  "schema_version": 1,
  "tool_version": "0.1.0",
  "start_url": "https://example.com/",
  "started_at": "2026-11-24T23:53:37Z",
  "finished_at": "2026-11-24T23:53:48Z",
  "elapsed_ms": 11204,
  "crawl_elapsed_ms": 10480,
  "end": {
    "state": "completed"
  },
  "settings": {
    "max_urls": 10000,
    "rate": 2.0,
    "user_agent": "redirect-audit/0.1"
  },
  "counts": {
    "pages": 10,
    "fetch_errors": 1,
    "not_fetched": 1,
    "redirects": 3,
    "chains": 1,
    "hops": 7,
    "links": 7,
    "findings": 5,
    "findings_by_severity": {
      "error": 1,
      "warning": 2,
      "notice": 2
    },
    "findings_by_rule": {
      "linked-redirect": 1,
      "long-lived-temporary-redirect": 1,
      "malformed-location": 1,
      "redirect-chain": 1,
      "suspicious-location": 1
    },
    "changes": 4,
    "requests": 14,
    "errors": 1,
    "blocked": 1
  },
  "report_dir": "reports/example.com/2026-11-24T23-53-37Z"
}
"#;
        assert_eq!(json(&input), expected);
    }

    #[test]
    fn truncated_and_interrupted_audits_say_so() {
        let mut crawl = test_data::crawl();
        let settings = serde_json::Value::Null;
        crawl.end = AuditEnd::Truncated {
            limits: vec![Truncation::MaxUrls, Truncation::Deadline],
        };
        let tally = crate::FindingTally::default();
        let input = test_data::summary_input(&crawl, &tally, &[], &settings, Path::new("out"));
        assert!(json(&input).contains(
            "\"end\": {\n    \"state\": \"truncated\",\n    \"limits\": [\n      \"max-urls\",\n      \"deadline\"\n    ]\n  },"
        ));
        crawl.end = AuditEnd::Interrupted;
        let tally = crate::FindingTally::default();
        let input = test_data::summary_input(&crawl, &tally, &[], &settings, Path::new("out"));
        assert!(json(&input).contains("\"end\": {\n    \"state\": \"interrupted\"\n  },"));
    }

    #[test]
    fn summary_json_reads_back() {
        let crawl = test_data::crawl();
        let findings = test_data::findings();
        let settings = serde_json::json!({"max_hops": 20});
        let dir = tempfile::tempdir().unwrap();
        let tally = crate::FindingTally::of(&findings);
        let input = test_data::summary_input(&crawl, &tally, &[], &settings, dir.path());
        let path = dir.path().join("summary.json");
        std::fs::write(&path, json(&input)).unwrap();
        assert_eq!(read_summary_json(&path).unwrap(), Summary::new(&input));

        std::fs::write(&path, "{\"schema_version\": 1").unwrap();
        assert!(matches!(read_summary_json(&path), Err(Error::Json { .. })));
    }
}
