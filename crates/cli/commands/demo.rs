//! `redirect-audit demo`: the bundled demo site, served on 127.0.0.1 by the
//! binary itself and audited, so a new user sees a full audit offline.

use std::net::{Ipv4Addr, SocketAddr};

use anyhow::{Context, Result};
use crawler::Scope;
use url::Url;

use crate::args::{DemoArgs, FetchArgs};
use crate::audit::run_audit;
use crate::exit::ExitCode;
use crate::settings::{CRAWL_POLITENESS, crawl_config, started_at};
use crate::ui::Ui;

/// The host names the demo site answers to; all resolve to the local server.
pub const DEMO_HOSTS: [&str; 3] = ["demo.test", "www.demo.test", "elsewhere.test"];
/// The host the demo serves over https, through its TLS front.
pub const SECURE_HOST: &str = "secure.demo.test";

/// Serves the demo site and audits it.
pub async fn run(args: DemoArgs, ui: Ui) -> Result<ExitCode> {
    let site = testsite::embedded_demo();
    let server = site
        .serve_on(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)))
        .await
        .context("cannot start the demo server on 127.0.0.1")?;
    let addr = server.addr();
    let tls = testsite::TlsFront::start(addr)
        .await
        .context("cannot start the demo's TLS front")?;
    let start = Url::parse(&format!("http://demo.test:{}/", addr.port())).context("demo URL")?;
    let mut resolve: Vec<String> = DEMO_HOSTS.iter().map(|h| format!("{h}:{addr}")).collect();
    // https://secure.demo.test/ (port 443 in the URL) reaches the TLS front.
    resolve.push(format!("{SECURE_HOST}:{}", tls.addr()));
    if args.serve_only {
        ui.note(&format!(
            "Serving the demo site at {start} (resolve it with: {}). Ctrl-C stops.",
            resolve
                .iter()
                .map(|r| format!("--resolve {r}"))
                .collect::<Vec<_>>()
                .join(" ")
        ));
        crate::signals::first_stop_signal(ui).await;
        return Ok(ExitCode::Clean);
    }
    // The demo server is local and ours: no rate limit, no retries.
    let fetch = FetchArgs {
        rate: Some(0),
        concurrency: Some(8),
        retries: 0,
        timeout: 5.0,
        resolve,
        // Offline: a Location naming another host must not trigger a DNS lookup.
        resolve_only: true,
        // The TLS front's certificate is self-signed: the demo trusts its
        // own local server, nothing else is reachable (--resolve-only).
        insecure: true,
        ..default_fetch_args()
    };
    // Subdomains are part of the demo site: secure.demo.test is its https side.
    let config = crawl_config(
        Scope::site_of(&start).with_subdomains(true),
        &fetch,
        CRAWL_POLITENESS,
    )?;
    let settings_json = serde_json::json!({
        "command": "demo",
        "start_url": start.as_str(),
        "fetch": crate::commands::fetch_settings_json(&fetch),
        "long_lived_days": args.output.long_lived_days,
    });
    let now = started_at(&args.output)?;
    let mut job = pipeline::AuditJob::crawl(&start, config, now);
    job.settings_json = settings_json;
    // One folder for every demo run, whatever port the server got.
    job.host_label = "demo".to_owned();
    // The demo site "serves with" an access log: written beside its
    // reports for the user to look at, and read like --access-log.
    let log = report::host_dir(&args.output.reports_dir, &job.host_label).join("access.log");
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&log, super::demo_log::demo_access_log(now))
        .with_context(|| format!("cannot write the demo's access log {}", log.display()))?;
    job.access_logs.paths = vec![log];
    let code = run_audit(job, &args.output, &ui).await?;
    drop(server);
    // The demo shows findings; finding them is success.
    Ok(if code == ExitCode::Findings {
        ExitCode::Clean
    } else {
        code
    })
}

fn default_fetch_args() -> FetchArgs {
    use clap::Parser;
    let cli = crate::args::Cli::parse_from(["redirect-audit", "crawl", "http://demo.test/"]);
    match cli.command {
        crate::args::Command::Crawl(args) => args.fetch,
        _ => unreachable!("parsed a crawl command"),
    }
}
