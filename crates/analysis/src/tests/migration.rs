//! List mode: `check_expectations` over hand-built crawls.

use model::Expectation;

use super::kit::{chain, crawl, u, with};
use crate::check_expectations;

fn exp(line: usize, url: &str, expected: &str) -> Expectation {
    Expectation {
        line,
        raw_url: u(url),
        url: Ok(u(url)),
        raw_expected: Some(u(expected)),
        expected: Some(Ok(u(expected))),
    }
}

fn rules(out: &model::CrawlOutput, expectations: &[Expectation]) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = check_expectations(out, expectations)
        .into_iter()
        .map(|f| (f.rule, f.url.replace("https://example.com", "")))
        .collect();
    found.sort();
    found
}

#[test]
fn each_expectation_rule_fires_only_on_its_case() {
    let out = with(
        crawl(vec![
            chain("/ok").redirect(301, "/new").ok(),
            chain("/temp").redirect(302, "/new").ok(),
            chain("/two")
                .redirect(301, "/mid")
                .redirect(308, "/new")
                .ok(),
            chain("/wrong").redirect(301, "/other").ok(),
            chain("/to-404").redirect(301, "/gone").status(404),
        ]),
        &[("/plain", 200)],
        Vec::new(),
    );
    let cases = vec![
        exp(2, "/ok", "/new"),
        exp(3, "/temp", "/new"),
        exp(4, "/two", "/new"),
        exp(5, "/wrong", "/new"),
        exp(6, "/to-404", "/gone"),
        exp(7, "/plain", "/plain"),
        exp(8, "/plain", "/new"),
    ];
    let s = |r: &str, p: &str| (r.to_owned(), p.to_owned());
    assert_eq!(
        rules(&out, &cases),
        vec![
            s("expected-permanent", "/temp"),
            s("expected-single-hop", "/two"),
            s("expected-target-error", "/to-404"),
            s("unexpected-target", "/plain"),
            s("unexpected-target", "/wrong"),
        ]
    );
}

#[test]
fn invalid_lines_are_findings_with_their_line_number() {
    let out = crawl(Vec::new());
    let bad = Expectation {
        line: 12,
        raw_url: "not a url".into(),
        url: Err("relative URL without a base".into()),
        raw_expected: None,
        expected: None,
    };
    let findings = check_expectations(&out, &[bad]);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, "invalid-url");
    assert!(
        findings[0].message.starts_with("line 12:"),
        "{}",
        findings[0].message
    );
}

#[test]
fn a_line_without_expected_url_gets_no_expectation_finding() {
    let out = crawl(vec![chain("/temp").redirect(302, "/new").ok()]);
    let line = Expectation {
        expected: None,
        raw_expected: None,
        ..exp(1, "/temp", "/new")
    };
    assert!(check_expectations(&out, &[line]).is_empty());
}

#[test]
fn what_the_audit_did_not_fetch_is_never_an_expectation_finding() {
    // Issue 13: `check` cut by --deadline, an interrupt or --max-urls must
    // not report a listed URL, a chain or an expected URL it never fetched.
    let out = crawl(vec![
        // The target of /cut was not fetched before the audit stopped.
        chain("/cut").redirect(302, "/new").not_followed(),
        chain("/ok").redirect(301, "/fine").ok(),
    ]);
    let cases = vec![
        exp(2, "/cut", "/new"),
        // Neither URL was fetched.
        exp(3, "/never", "/new"),
        // Lands where expected, but the expected URL as a seed of its own
        // was not fetched yet: its answer is unknown, not "no response".
        exp(4, "/ok", "/fine-too"),
    ];
    let s = |r: &str, p: &str| (r.to_owned(), p.to_owned());
    // /ok lands on /fine, not /fine-too: a fact from responses received.
    assert_eq!(rules(&out, &cases), vec![s("unexpected-target", "/ok")]);
}
