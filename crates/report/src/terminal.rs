//! The summary printed at the end of an audit (the CLI prints it on stdout,
//! the audit's result; progress and notes go to stderr).
//!
//! Text that came from the crawled site (URLs) goes through
//! [`model::escape_bytes`] first: a hostile URL could otherwise carry escape
//! sequences or bidi overrides that rewrite the operator's terminal line.

use std::fmt::Write as _;

use model::{AuditEnd, Severity, escape_bytes};

use crate::summary_json::{Counts, SummaryInput};
use crate::tally::FindingTally;

/// How to render for a terminal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours. The CLI decides (a terminal, and `NO_COLOR` unset).
    pub color: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";

impl Style {
    /// `text` in `code` when colour is on.
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    fn severity(self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => RED,
            Severity::Warning => YELLOW,
            Severity::Notice => CYAN,
        };
        self.paint(code, text)
    }
}

/// Escapes control and bidi characters in text we did not get from the site
/// (the report path), keeping backslashes so Windows paths stay readable.
fn escape_local(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut buf = [0; 4];
            let one = c.encode_utf8(&mut buf);
            if c == '\\' {
                one.to_owned()
            } else {
                escape_bytes(one.as_bytes())
            }
        })
        .collect()
}

/// `n thing` or `n things`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 03 min`.
fn duration(ms: u64) -> String {
    match ms {
        0..1_000 => format!("{ms} ms"),
        1_000..60_000 => format!("{}.{} s", ms / 1_000, ms % 1_000 / 100),
        60_000..3_600_000 => format!("{} min {:02} s", ms / 60_000, ms % 60_000 / 1_000),
        _ => format!("{} h {:02} min", ms / 3_600_000, ms % 3_600_000 / 60_000),
    }
}

/// One line per rule: its worst severity, count and worst example.
struct RuleLine<'a> {
    rule: &'a str,
    severity: Severity,
    count: usize,
    example: &'a str,
}

/// Rules, worst severity first, then most findings, then by name; the
/// example is the most severe finding's URL (the first by URL among equals).
fn rule_lines(findings: &FindingTally) -> Vec<RuleLine<'_>> {
    let mut lines: Vec<RuleLine<'_>> = findings
        .by_rule
        .iter()
        .map(|(rule, tally)| RuleLine {
            rule,
            severity: tally.severity,
            count: tally.count,
            example: &tally.example,
        })
        .collect();
    lines.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.severity),
            std::cmp::Reverse(a.count),
            a.rule,
        )
            .cmp(&(
                std::cmp::Reverse(b.severity),
                std::cmp::Reverse(b.count),
                b.rule,
            ))
    });
    lines
}

/// The first line: what was audited and how it ended.
fn headline(input: &SummaryInput<'_>, style: Style) -> String {
    let url = escape_bytes(input.crawl.start_url.as_bytes());
    let took = duration(input.elapsed_ms);
    let end = match &input.crawl.end {
        AuditEnd::Completed => style.paint(GREEN, &format!("completed in {took}")),
        AuditEnd::Truncated { limits } => {
            let limits: Vec<&str> = limits.iter().map(|l| l.as_str()).collect();
            let limits = if limits.is_empty() {
                "a limit".to_owned()
            } else {
                limits.join(", ")
            };
            style.paint(
                YELLOW,
                &format!("truncated after {took} (limit reached: {limits}); results are partial"),
            )
        }
        AuditEnd::Interrupted => style.paint(
            RED,
            &format!("interrupted after {took}; results are partial"),
        ),
    };
    format!("{} {url}: {end}\n", style.paint(BOLD, "Audit of"))
}

/// Renders the end-of-audit summary: what was crawled, findings by severity
/// and by rule (worst rules first, with their worst example URL), where the
/// report is, the time taken and how the audit ended. Ends with a newline.
/// `counts` are `input`'s ([`Counts::of`], or the [`crate::Summary`]
/// already written: counting reads every page record).
pub fn render_summary(input: &SummaryInput<'_>, counts: &Counts, style: Style) -> String {
    let mut out = headline(input, style);

    let mut crawled = Vec::new();
    if counts.fetch_errors > 0 {
        crawled.push(format!("{} failed", counts.fetch_errors));
    }
    if counts.not_fetched > 0 {
        crawled.push(format!("{} not fetched", counts.not_fetched));
    }
    let crawled = if crawled.is_empty() {
        String::new()
    } else {
        format!(" ({})", crawled.join(", "))
    };
    let _ = writeln!(out, "  URLs crawled  {}{crawled}", counts.pages);
    let _ = writeln!(
        out,
        "  Redirects     {} ({} of 2+ redirects, {} in all)",
        counts.redirects,
        plural(counts.chains, "chain", "chains"),
        plural(counts.hops, "hop", "hops"),
    );
    if let Some(read) = input.access_logs {
        out.push_str(&crate::access_log::render(read, &input.crawl.start_url));
    }

    let by_severity = counts.findings_by_severity;
    let findings = if counts.findings == 0 {
        "none".to_owned()
    } else {
        [
            (Severity::Error, by_severity.error, "error", "errors"),
            (
                Severity::Warning,
                by_severity.warning,
                "warning",
                "warnings",
            ),
            (Severity::Notice, by_severity.notice, "notice", "notices"),
        ]
        .iter()
        .map(|&(severity, n, one, many)| {
            let text = plural(n, one, many);
            if n > 0 {
                style.severity(severity, &text)
            } else {
                text
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
    };
    let _ = writeln!(out, "  Findings      {findings}");
    if counts.changes > 0 {
        let _ = writeln!(
            out,
            "  Changes       {} since the previous audit",
            counts.changes
        );
    }

    let lines = rule_lines(input.findings);
    if !lines.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.paint(BOLD, "Findings by rule (worst example):")
        );
        let width = lines
            .iter()
            .map(|l| l.rule.chars().count())
            .max()
            .unwrap_or(0);
        let count_width = lines
            .iter()
            .map(|l| l.count.to_string().len())
            .max()
            .unwrap_or(1);
        for line in &lines {
            let severity = format!("{:<7}", line.severity.as_str());
            let _ = writeln!(
                out,
                "  {}  {:<width$}  {:>count_width$}  {}",
                style.severity(line.severity, &severity),
                escape_bytes(line.rule.as_bytes()),
                line.count,
                escape_bytes(line.example.as_bytes()),
            );
        }
    }

    let _ = writeln!(
        out,
        "\n{} {}",
        style.paint(BOLD, "Report:"),
        escape_local(&input.report_dir.to_string_lossy()),
    );
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use model::Truncation;

    use super::*;
    use crate::test_data;

    const EXPECTED: &str = "\
Audit of https://example.com/: completed in 11.2 s
  URLs crawled  10 (1 failed, 1 not fetched)
  Redirects     3 (1 chain of 2+ redirects, 7 hops in all)
  Findings      1 error, 2 warnings, 2 notices
  Changes       4 since the previous audit

Findings by rule (worst example):
  error    malformed-location             1  https://example.com/promo
  warning  long-lived-temporary-redirect  1  https://example.com/a
  warning  redirect-chain                 1  https://example.com/a
  notice   linked-redirect                1  https://example.com/old
  notice   suspicious-location            1  https://example.com/b

Report: reports/example.com/2026-11-24T23-53-37Z
";

    fn render(crawl: &model::CrawlOutput, findings: &[model::Finding], style: Style) -> String {
        let changes = test_data::changes();
        let settings = serde_json::Value::Null;
        let dir = Path::new("reports/example.com/2026-11-24T23-53-37Z");
        let tally = crate::FindingTally::of(findings);
        let input = test_data::summary_input(crawl, &tally, &changes, &settings, dir);
        render_summary(&input, &Counts::of(&input), style)
    }

    #[test]
    fn plain_summary() {
        let out = render(
            &test_data::crawl(),
            &test_data::findings(),
            Style { color: false },
        );
        assert_eq!(out, EXPECTED);
    }

    #[test]
    fn coloured_summary_is_the_plain_one_with_ansi_codes() {
        let out = render(
            &test_data::crawl(),
            &test_data::findings(),
            Style { color: true },
        );
        assert!(out.contains("\x1b[31m1 error\x1b[0m"));
        assert!(out.contains("\x1b[32mcompleted in 11.2 s\x1b[0m"));
        let stripped = [RESET, BOLD, RED, GREEN, YELLOW, CYAN]
            .iter()
            .fold(out, |text, code| text.replace(code, ""));
        assert_eq!(stripped, EXPECTED);
    }

    #[test]
    fn rules_are_ordered_by_worst_severity_then_count_with_the_worst_example() {
        let mut findings = test_data::findings();
        let mut extra = findings[0].clone(); // linked-redirect, notice, /old
        extra.url = test_data::url("/zzz");
        findings.push(extra.clone());
        extra.severity = Severity::Error;
        extra.url = test_data::url("/worst");
        findings.push(extra);
        let out = render(&test_data::crawl(), &findings, Style::default());
        assert!(
            out.contains(
                "  error    linked-redirect                3  https://example.com/worst\n  \
                 error    malformed-location             1  https://example.com/promo\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn hostile_site_text_is_escaped_with_or_without_colour() {
        let mut crawl = test_data::crawl();
        crawl.start_url = "https://evil.example/\u{1b}]0;owned\u{7}".to_owned();
        let mut findings = test_data::findings();
        findings[0].url = "https://evil.example/\u{202e}gpj.exe\u{1b}[2J".to_owned();
        findings[0].rule = "rule\u{1b}[31m".to_owned();
        for color in [false, true] {
            let out = render(&crawl, &findings, Style { color });
            assert!(
                out.contains("https://evil.example/\\x1B]0;owned\\x07:"),
                "{out}"
            );
            assert!(
                out.contains("https://evil.example/\\u{202E}gpj.exe\\x1B[2J"),
                "{out}"
            );
            assert!(out.contains("rule\\x1B[31m"), "{out}");
            assert!(!out.contains('\u{202e}') && !out.contains('\u{7}'));
            let escapes = out.matches('\x1b').count();
            let ours = [RESET, BOLD, RED, GREEN, YELLOW, CYAN]
                .iter()
                .map(|code| out.matches(code).count())
                .sum::<usize>();
            assert_eq!(
                escapes, ours,
                "only our own colour codes reach the terminal"
            );
            if !color {
                assert_eq!(escapes, 0);
            }
        }
    }

    #[test]
    fn truncated_and_interrupted_endings() {
        let mut crawl = test_data::crawl();
        crawl.end = AuditEnd::Truncated {
            limits: vec![Truncation::MaxUrls],
        };
        let out = render(&crawl, &[], Style::default());
        assert!(out.starts_with(
            "Audit of https://example.com/: truncated after 11.2 s (limit reached: max-urls); results are partial\n"
        ), "{out}");
        assert!(out.contains("  Findings      none\n"));
        assert!(!out.contains("by rule"));
        crawl.end = AuditEnd::Interrupted;
        let out = render(&crawl, &[], Style::default());
        assert!(
            out.starts_with(
                "Audit of https://example.com/: interrupted after 11.2 s; results are partial\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(850), "850 ms");
        assert_eq!(duration(12_345), "12.3 s");
        assert_eq!(duration(245_000), "4 min 05 s");
        assert_eq!(duration(7_380_000), "2 h 03 min");
    }

    #[test]
    fn local_text_keeps_backslashes_but_not_controls() {
        assert_eq!(
            escape_local("C:\\reports\\a\u{1b}[2J\u{202e}"),
            "C:\\reports\\a\\x1B[2J\\u{202E}"
        );
    }
}
