//! What the access logs add to findings: Googlebot's requests to a
//! temporary redirect and to its target, and the requests that reached the
//! URL a browser resolves a malformed Location to (issue 15).

use model::{AccessLogFacts, Finding};

use crate::catalogue::code;

/// Appends the log figures that bear on `finding` to its `detail`, as
/// `key=value` pairs. Counts are `0` (not absent) when the logs have
/// nothing about a URL: logs were read and had no such request.
pub(crate) fn add_log_figures(finding: &mut Finding, logs: &AccessLogFacts) {
    let extra = match finding.rule.as_str() {
        code::TEMPORARY_REDIRECT | code::TEMPORARY_LOOKS_PERMANENT | code::LONG_LIVED_TEMPORARY => {
            let source = logs.googlebot(&finding.url);
            let target = finding
                .evidence
                .final_url
                .as_deref()
                .map(|t| logs.googlebot(t).requests);
            let mut pairs = vec![
                format!("googlebot_requests={}", source.requests),
                format!(
                    "googlebot_last_seen={}",
                    source
                        .last_seen
                        .map(|t| t.strftime("%Y-%m-%d").to_string())
                        .unwrap_or_default()
                ),
            ];
            if let Some(target) = target {
                pairs.push(format!("target_googlebot_requests={target}"));
            }
            pairs.push(format!(
                "unverified_googlebot_requests={}",
                source.unverified
            ));
            pairs
        }
        code::MALFORMED_LOCATION => {
            // Where a browser went with the bad header: the requests the
            // logs saw there are the crawls it cost.
            let Some(resolved) = finding.evidence.resolved_target.as_deref() else {
                return;
            };
            let facts = logs.for_url(resolved);
            let statuses = facts
                .map(|f| {
                    f.statuses
                        .iter()
                        .map(|(s, n)| format!("{s}x{n}"))
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default();
            vec![
                format!(
                    "resolved_target_requests={}",
                    facts.map_or(0, |f| f.requests)
                ),
                format!("resolved_target_statuses={statuses}"),
                format!(
                    "resolved_target_googlebot_requests={}",
                    facts.map_or(0, |f| f.googlebot.requests)
                ),
            ]
        }
        _ => return,
    };
    let detail = finding.evidence.detail.get_or_insert_with(String::new);
    for pair in extra {
        if !detail.is_empty() {
            detail.push_str("; ");
        }
        detail.push_str(&pair);
    }
}
