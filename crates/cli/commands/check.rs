//! `redirect-audit check FILE`: list mode for migration maps. Every URL is
//! fetched and every hop followed exactly as in a crawl, but links are not
//! followed; politeness is per host, so long lists over many hosts run fast
//! without hammering any one of them.

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use crawler::{Scope, Seed};
use model::{Discovery, Expectation, normalize_url};
use url::Url;

use crate::args::CheckArgs;
use crate::audit::{AuditJob, run_audit};
use crate::check_list::{ListEntry, parse_list};
use crate::exit::ExitCode;
use crate::settings::{CHECK_POLITENESS, crawl_config};
use crate::ui::Ui;

/// Checks every URL of the list.
pub async fn run(args: CheckArgs, ui: Ui) -> Result<ExitCode> {
    let text = read_input(&args.list)?;
    let list = parse_list(&text).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", args.list))?;
    if list.entries.is_empty() {
        bail!("{} has no URLs to check", args.list);
    }
    ui.note(&format!(
        "checking {} URLs from {} ({})",
        list.entries.len(),
        args.list,
        list.columns
    ));
    let expectations: Vec<Expectation> = list.entries.iter().map(expectation).collect();
    // The expected URLs are fetched too: `expected-target-error` needs
    // their own answer even when no redirect reaches them.
    let seeds: Vec<Seed> = expectations
        .iter()
        .flat_map(|exp| [Some(&exp.url), exp.expected.as_ref()])
        .flatten()
        .flatten()
        .map(|url| Seed {
            url: url.clone(),
            discovery: Discovery::Seed,
        })
        .collect();
    // The audited sites are the map's own: hops through a third party (a
    // tracking redirector, a CDN's login) are followed but not audited.
    let listed: Vec<Url> = seeds
        .iter()
        .filter_map(|s| Url::parse(&s.url).ok())
        .collect();
    let mut config = crawl_config(Scope::sites_of(&listed), &args.fetch, CHECK_POLITENESS)?;
    config.follow_links = false;
    config.use_sitemaps = false;
    config.max_urls = config.max_urls.max(seeds.len());
    let stem = list_name(&args.list);
    let settings_json = serde_json::json!({
        "command": "check",
        "list": args.list,
        "columns": list.columns,
        "urls": list.entries.len(),
        "fetch": crate::commands::fetch_settings_json(&args.fetch),
        "long_lived_days": args.output.long_lived_days,
    });
    let job = AuditJob {
        seeds,
        config,
        site_key: format!("check:{stem}"),
        host_label: format!("check-{stem}"),
        expectations,
        output: args.output,
        settings_json,
        require_reachable_start: false,
    };
    run_audit(job, &ui).await
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

/// The list's file stem, made safe for a folder name (`stdin` for `-`).
fn list_name(list: &str) -> String {
    let stem = if list == "-" {
        "stdin".to_owned()
    } else {
        Path::new(list)
            .file_stem()
            .map_or_else(|| "list".to_owned(), |s| s.to_string_lossy().into_owned())
    };
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn normalized(raw: &str) -> Result<String, String> {
    let url = Url::parse(raw).map_err(|e| e.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("'{}:' is not http or https", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("no host".to_owned());
    }
    Ok(normalize_url(url).to_string())
}

fn expectation(entry: &ListEntry) -> Expectation {
    Expectation {
        line: entry.line,
        raw_url: entry.url.clone(),
        url: normalized(&entry.url),
        raw_expected: entry.expected.clone(),
        expected: entry.expected.as_deref().map(normalized),
    }
}
