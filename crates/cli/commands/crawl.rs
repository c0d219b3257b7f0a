//! `redirect-audit crawl START_URL`.

use anyhow::Result;
use crawler::Scope;

use crate::args::CrawlArgs;
use crate::audit::run_audit;
use crate::exit::ExitCode;
use crate::settings::{CRAWL_POLITENESS, crawl_config, parse_start_url, started_at};
use crate::ui::Ui;

/// Crawls the site of the start URL and audits it.
pub async fn run(args: CrawlArgs, ui: Ui) -> Result<ExitCode> {
    let start = parse_start_url(&args.start_url)?;
    let mut scope = Scope::site_of(&start).with_subdomains(args.include_subdomains);
    if let Some(prefix) = &args.scope_prefix {
        scope = scope.with_path_prefix(prefix);
    }
    let mut config = crawl_config(scope, &args.fetch, CRAWL_POLITENESS)?;
    config.max_depth = args.max_depth;
    config.use_sitemaps = !args.no_sitemaps;
    let settings_json = serde_json::json!({
        "command": "crawl",
        "start_url": start.as_str(),
        "include_subdomains": args.include_subdomains,
        "scope_prefix": args.scope_prefix,
        "sitemaps": !args.no_sitemaps,
        "max_depth": args.max_depth,
        "fetch": crate::commands::fetch_settings_json(&args.fetch),
        "logs": crate::logs::settings_json(&args.logs),
        "long_lived_days": args.output.long_lived_days,
    });
    let mut job = pipeline::AuditJob::crawl(&start, config, started_at(&args.output)?);
    job.settings_json = settings_json;
    job.access_logs = crate::logs::access_logs(&args.logs)?;
    run_audit(job, &args.output, &ui).await
}
