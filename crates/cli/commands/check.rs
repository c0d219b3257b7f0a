//! `redirect-audit check FILE`: list mode for migration maps. Every URL is
//! fetched and every hop followed exactly as in a crawl, but links are not
//! followed; politeness is per host, so long lists over many hosts run fast
//! without hammering any one of them.

use std::io::Read;

use anyhow::{Context, Result, bail};
use crawler::Scope;
use url::Url;

use crate::args::CheckArgs;
use crate::audit::run_audit;
use crate::exit::ExitCode;
use crate::settings::{CHECK_POLITENESS, crawl_config, started_at};
use crate::ui::Ui;

/// Checks every URL of the list.
pub async fn run(args: CheckArgs, ui: Ui) -> Result<ExitCode> {
    let text = read_input(&args.list)?;
    let list = pipeline::parse_list(&args.list, &text)?;
    if list.entries.is_empty() {
        bail!("{} has no URLs to check", args.list);
    }
    ui.note(&format!(
        "checking {} URLs from {} ({})",
        list.entries.len(),
        args.list,
        list.columns
    ));
    let expectations = list.expectations();
    let seeds = pipeline::list_seeds(&expectations);
    // The audited sites are the map's own: hops through a third party (a
    // tracking redirector, a CDN's login) are followed but not audited.
    // (The parsed list is a temporary: a long map must not stay in memory
    // twice for the whole audit.)
    let scope = Scope::sites_of(
        &seeds
            .iter()
            .filter_map(|s| Url::parse(&s.url).ok())
            .collect::<Vec<_>>(),
    );
    let config = crawl_config(scope, &args.fetch, CHECK_POLITENESS)?;
    let settings_json = serde_json::json!({
        "command": "check",
        "list": args.list,
        "columns": list.columns,
        "urls": list.entries.len(),
        "fetch": crate::commands::fetch_settings_json(&args.fetch),
        "logs": crate::logs::settings_json(&args.logs),
        "long_lived_days": args.output.long_lived_days,
    });
    let mut job = pipeline::AuditJob::check(
        &pipeline::list_name(&args.list),
        seeds,
        expectations,
        config,
        started_at(&args.output)?,
    );
    job.settings_json = settings_json;
    job.access_logs = crate::logs::access_logs(&args.logs)?;
    run_audit(job, &args.output, &ui).await
}

fn read_input(list: &str) -> Result<String> {
    let mut bytes = Vec::new();
    if list == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read the list from standard input")?;
    } else {
        bytes = std::fs::read(list).with_context(|| format!("cannot read the list {list}"))?;
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
