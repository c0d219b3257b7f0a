//! The benchmark kit of redirect-audit: generates a site deterministically
//! (pages, links, redirect rules), serves it with nginx on loopback, runs the
//! release binary against it under GNU time, and checks that the audit is
//! complete.
//!
//! The `redirect-audit-bench` binary drives it (`site`, `run`, and `html`
//! for the size and render time of a large audit's `report.html`); the criterion
//! benchmarks in `benches/hot_paths.rs` use [`Site`] for realistic input.
//! Nothing here prints, and nothing reaches beyond 127.0.0.1.
#![deny(missing_docs)]

mod audit;
mod error;
mod html;
mod log;
mod measure;
mod nginx;
mod rng;
mod site;

pub use audit::{Audit, Completeness, Expectation};
pub use error::Error;
pub use html::{
    DEFAULT_CHROMIUM, HtmlBench, bench_html, chromium_dump_time, write_synthetic_report,
};
pub use log::{
    LOG_DAYS, LOG_GOOGLEBOT_PERCENT, LOG_PATHS, LOG_REDIRECT_PERCENT, LOG_START, LogStats,
    generate, write_log,
};
pub use measure::{DEFAULT_TIME, Timed, Usage, find_binary, run_timed};
pub use nginx::{
    DEFAULT_NGINX, Nginx, NginxSettings, READY_PAUSE, READY_TRIES, free_port, nginx_config,
    write_nginx_config,
};
pub use site::{
    CONTENT_LINKS_MAX, CONTENT_LINKS_MIN, CONTENT_REDIRECT_PERCENT, DEFAULT_SEED, LinkStats,
    MapRow, NAV_LINKS, PAGE_MAX_BYTES, PAGE_MIN_BYTES, RedirectRule, Scenario, Site, Written,
};
