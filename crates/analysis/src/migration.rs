//! List mode: does each URL of a migration map land where the map says, in
//! one permanent hop?

use std::collections::{HashMap, HashSet};

use model::{Chain, CrawlOutput, Evidence, Expectation, Finding, Severity, sort_findings};

use crate::catalogue::code;

/// Checks every line of a `check` list against the crawl's records:
/// `invalid-url` for lines that are not http(s) URLs, and for lines with an
/// expected URL `unexpected-target`, `expected-permanent`,
/// `expected-single-hop` and `expected-target-error`. Sorted like
/// [`crate::analyze`]'s output ([`model::sort_findings`]). What the crawl has no
/// record of (the audit stopped before fetching it), and where a chain not
/// followed to the end lands, are unknown: never a finding.
pub fn check_expectations(output: &CrawlOutput, expectations: &[Expectation]) -> Vec<Finding> {
    let chains: HashMap<&str, &Chain> = output
        .chains
        .iter()
        .map(|c| (c.start.as_str(), c))
        .collect();
    // The status of every listed URL and expected target, read in one pass.
    let listed: HashSet<&str> = expectations
        .iter()
        .flat_map(|e| {
            [
                e.url.as_ref().ok(),
                e.expected.as_ref().and_then(|x| x.as_ref().ok()),
            ]
        })
        .flatten()
        .map(String::as_str)
        .collect();
    let mut status: HashMap<String, Option<u16>> = HashMap::new();
    output.pages.for_each(|p| {
        if listed.contains(p.url.as_str()) {
            status.insert(p.url.clone(), p.response.status);
        }
        true
    });
    let mut findings = Vec::new();
    for exp in expectations {
        let url = match &exp.url {
            Ok(url) => url,
            Err(reason) => {
                findings.push(invalid(exp, &exp.raw_url, reason, "URL"));
                continue;
            }
        };
        let Some(expected) = &exp.expected else {
            continue;
        };
        let expected = match expected {
            Ok(expected) => expected,
            Err(reason) => {
                let raw = exp.raw_expected.as_deref().unwrap_or_default();
                findings.push(invalid(exp, raw, reason, "expected URL"));
                continue;
            }
        };
        // A URL the audit never fetched (it stopped first: --deadline, an
        // interrupt, --max-urls) tells nothing; nor does a chain the audit's
        // own limits cut short (issue 13).
        if !status.contains_key(url.as_str()) {
            continue;
        }
        let chain = chains.get(url.as_str()).copied();
        let followed_to_end = chain.is_none_or(|c| c.end.followed_to_end());
        let (final_url, status_path, redirects) = match chain {
            Some(chain) => (
                chain.last().url.clone(),
                chain.status_path(),
                chain.redirect_count(),
            ),
            None => {
                let answer = status
                    .get(url.as_str())
                    .copied()
                    .flatten()
                    .map_or_else(|| "-".to_owned(), |s| s.to_string());
                (url.clone(), answer, 0)
            }
        };
        let evidence = Evidence {
            status_chain: Some(status_path.clone()),
            hops: Some(redirects),
            final_url: Some(final_url.clone()),
            detail: Some(format!("line={}; expected={expected}", exp.line)),
            ..Evidence::default()
        };
        let mut push = |rule: &'static str, severity: Severity, message: String| {
            let mut finding = Finding::new(rule, severity, url.clone(), message);
            *finding.evidence = evidence.clone();
            finding.related = vec![expected.clone()];
            findings.push(finding);
        };
        if !followed_to_end {
            // Where it lands is unknown.
        } else if &final_url != expected {
            push(
                code::UNEXPECTED_TARGET,
                Severity::Error,
                format!("lands on {final_url} ({status_path}) instead of the expected {expected}"),
            );
        } else {
            let temporary: Vec<u16> = chain
                .map(|c| {
                    c.hops
                        .iter()
                        .filter_map(|h| h.status)
                        .filter(|s| model::is_temporary_status(*s))
                        .collect()
                })
                .unwrap_or_default();
            if !temporary.is_empty() {
                push(
                    code::EXPECTED_PERMANENT,
                    Severity::Warning,
                    format!(
                        "reaches {expected} through a temporary {} ({status_path}); a migration needs 301 or 308",
                        temporary[0]
                    ),
                );
            }
            if redirects > 1 {
                push(
                    code::EXPECTED_SINGLE_HOP,
                    Severity::Warning,
                    format!(
                        "reaches {expected} in {redirects} redirects ({status_path}); redirect straight to it"
                    ),
                );
            }
        }
        // Every expected URL is a seed: absent, it was never fetched.
        let Some(&target_status) = status.get(expected.as_str()) else {
            continue;
        };
        if target_status != Some(200) {
            let got = target_status.map_or_else(|| "no response".to_owned(), |s| format!("{s}"));
            push(
                code::EXPECTED_TARGET_ERROR,
                Severity::Error,
                format!("the expected URL {expected} itself answers {got}, not 200"),
            );
        }
    }
    sort_findings(&mut findings);
    findings
}

fn invalid(exp: &Expectation, raw: &str, reason: &str, what: &str) -> Finding {
    let shown = model::escape_bytes(raw.as_bytes());
    let mut finding = Finding::new(
        code::INVALID_URL,
        Severity::Error,
        shown.clone(),
        format!(
            "line {}: the {what} '{shown}' is not a valid http(s) URL: {reason}",
            exp.line
        ),
    );
    finding.evidence.detail = Some(format!("line={}", exp.line));
    finding
}
