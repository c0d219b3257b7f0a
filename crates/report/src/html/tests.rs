//! `report.html` rendered from hand-built data: what it shows, what it
//! caps, and what it never lets through.

use std::collections::HashMap;
use std::path::Path;

use jiff::Timestamp;
use model::{Finding, Severity};

use super::*;
use crate::{FindingTally, test_data};

fn render(
    findings: &[Finding],
    limits: HtmlLimits,
    temporary_ages: &HashMap<&str, RedirectAge>,
    comparison: Option<Comparison>,
) -> String {
    let crawl = test_data::crawl();
    let changes = test_data::changes();
    let settings = serde_json::json!({"max_urls": 10});
    let tally = FindingTally::of(findings);
    let input = test_data::summary_input(&crawl, &tally, &changes, &settings, Path::new("out"));
    let summary = crate::Summary::new(&input);
    let mut gathered = HtmlFindings::new(limits.rows_per_rule);
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort();
    for f in sorted {
        gathered.add(f);
    }
    let classes = HashMap::new();
    let rules = vec![RuleText {
        code: "malformed-location".to_owned(),
        why: "Clients disagree <b>".to_owned(),
        fix: "Send an absolute URL".to_owned(),
    }];
    let input = HtmlInput {
        summary: &summary,
        crawl: &crawl,
        hop_classes: &classes,
        temporary_ages,
        changes: &changes,
        previous_audit: comparison.map(|c| c.previous_started_at),
        comparison,
        over_time: &[],
        rules: &rules,
        limits,
    };
    let mut out = Vec::new();
    write_html(&mut out, &input, &gathered).unwrap();
    String::from_utf8(out).unwrap()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn shows_counts_rule_texts_and_the_comparison() {
    let html = render(
        &test_data::findings(),
        HtmlLimits::default(),
        &HashMap::new(),
        Some(Comparison {
            previous_started_at: ts("2026-11-17T23:53:37Z"),
            new: 3,
            fixed: 4,
        }),
    );
    assert!(html.contains("<span class=\"n\" id=\"count-error\">1</span>"));
    assert!(html.contains("<span class=\"n\" id=\"count-warning\">2</span>"));
    assert!(html.contains("<span class=\"n\" id=\"count-total\">5</span>"));
    assert!(html.contains("(2026-11-17 23:53 UTC): <strong id=\"count-new\">3</strong> new, <strong id=\"count-fixed\">4</strong> fixed"));
    // The catalogue's text, escaped like everything else.
    assert!(html.contains("<strong>Why it matters:</strong> Clients disagree &#60;b&#62;"));
    assert!(html.contains("<h2>What changed since 2026-11-17 23:53 UTC</h2>"));
    // Worst rule first.
    let malformed = html.find("id=\"rule-malformed-location\"").unwrap();
    let chain = html.find("id=\"rule-redirect-chain\"").unwrap();
    let notice = html.find("id=\"rule-linked-redirect\"").unwrap();
    assert!(malformed < chain && chain < notice);
}

#[test]
fn past_the_cap_a_rule_shows_counts_and_points_to_the_csv() {
    let findings: Vec<Finding> = (0..7)
        .map(|i| {
            Finding::new(
                "redirect-chain",
                Severity::Warning,
                test_data::url(&format!("/p{i}")),
                "m",
            )
        })
        .collect();
    let limits = HtmlLimits {
        rows_per_rule: 3,
        chains: 1,
        changes: 2,
    };
    let html = render(&findings, limits, &HashMap::new(), None);
    let section = &html[html.find("id=\"rule-redirect-chain\"").unwrap()..];
    assert_eq!(section.matches("<tr class=\"warning\">").count(), 3);
    assert!(html.contains(
        "4 more <code>redirect-chain</code> findings are rows of <code>findings.csv</code>"
    ));
    assert!(html.contains("<p>1 of 3 redirecting URLs"), "{html}");
    assert!(html.contains("The other 2 are rows of <code>redirects.csv</code>"));
    assert!(html.contains("2 more changes are rows of <code>changes.csv</code>"));
}

#[test]
fn temporary_redirect_ages_fall_in_their_buckets() {
    let mut findings = Vec::new();
    let mut ages = HashMap::new();
    let urls: Vec<String> = (0..7).map(|i| test_data::url(&format!("/t{i}"))).collect();
    // 6 and 7 days: either side of the first boundary; 365: the last.
    for (url, days) in urls.iter().zip([0, 6, 7, 29, 90, 364, 365]) {
        findings.push(Finding::new(
            "temporary-redirect",
            Severity::Notice,
            url.clone(),
            "m",
        ));
        ages.insert(
            url.as_str(),
            RedirectAge {
                days,
                source: "audits",
            },
        );
    }
    // A finding's own age and source win over the ones handed in, and a
    // URL with findings of two temporary-redirect rules counts once.
    let mut long = Finding::new(
        "long-lived-temporary-redirect",
        Severity::Warning,
        urls[0].clone(),
        "m",
    );
    long.evidence.age_days = Some(1000);
    long.evidence.age_source = Some("access-log".to_owned());
    findings.push(long);
    let html = render(&findings, HtmlLimits::default(), &ages, None);
    let chart = &html[html.find("id=\"chart-temporary-ages\"").unwrap()..];
    for (bucket, n, from_logs) in [
        ("0–7 days", 1, 0),
        ("7–30 days", 2, 0),
        ("30–90 days", 0, 0),
        ("90–365 days", 2, 0),
        ("&#62; 365 days", 1, 1),
    ] {
        assert!(
            chart.contains(&format!(
                "<tr><td>{bucket}</td><td>{n}</td><td>{from_logs}</td></tr>"
            )),
            "{bucket}: {n} from audits, {from_logs} from the access logs"
        );
    }
}

#[test]
fn site_text_is_escaped_and_only_http_urls_are_links() {
    let mut f = Finding::new(
        "malformed-location",
        Severity::Error,
        "javascript:alert(1)",
        "<script>alert(1)</script>\u{202e}",
    );
    f.evidence.raw_location = Some("\"><img src=x onerror=alert(1)>".to_owned());
    f.evidence.sample_linking_page = Some("data:text/html,x".to_owned());
    let html = render(&[f], HtmlLimits::default(), &HashMap::new(), None);
    assert!(!html.contains("<img"));
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;\\u{202E}"));
    assert!(!html.contains('\u{202e}'));
    assert!(!html.contains("href=\"javascript:"));
    assert!(!html.contains("href=\"data:"));
    assert!(html.contains("<span class=\"url\">javascript:alert(1)</span>"));
}
