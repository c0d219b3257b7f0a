//! One module per subcommand.

pub mod check;
pub mod crawl;
pub mod demo;
pub mod demo_log;
pub mod history;

use crate::args::FetchArgs;

/// The fetch settings as recorded in summary.json and history.
pub fn fetch_settings_json(fetch: &FetchArgs) -> serde_json::Value {
    serde_json::json!({
        "rate": fetch.rate,
        "concurrency": fetch.concurrency,
        "per_host_rate": fetch.per_host_rate,
        "per_host_concurrency": fetch.per_host_concurrency,
        "max_hops": fetch.max_hops,
        "max_urls": fetch.max_urls,
        "timeout_s": fetch.timeout,
        "deadline_s": fetch.deadline,
        "max_body_bytes": fetch.max_body_bytes,
        "retries": fetch.retries,
        "obey_robots": !fetch.ignore_robots,
        "max_per_pattern": fetch.max_per_pattern,
        "allow_private": fetch.allow_private,
        "user_agent": fetch.user_agent,
        "insecure": fetch.insecure,
        "resolve": fetch.resolve,
        "resolve_only": fetch.resolve_only,
    })
}
