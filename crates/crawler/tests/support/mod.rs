//! Shared by the crawler's integration tests: one crawl from one URL with
//! test-friendly settings.

use std::time::Duration;

use model::{CrawlOutput, Discovery};
use redirect_audit_crawler::{CrawlConfig, Crawler, NoReporter, Scope, Seed};
use url::Url;

/// Crawls from `start` with no rate limit, no retries, no sitemaps, robots.txt
/// ignored and a 5 s timeout, after `tweak` adjusts the config.
pub async fn crawl_from(start: &str, tweak: impl FnOnce(&mut CrawlConfig)) -> CrawlOutput {
    let url = Url::parse(start).unwrap();
    let mut config = CrawlConfig::new(Scope::site_of(&url));
    config.rate = 0;
    config.retries = 0;
    config.use_sitemaps = false;
    config.obey_robots = false;
    config.timeout = Duration::from_secs(5);
    tweak(&mut config);
    Crawler::new(config)
        .unwrap()
        .run(
            vec![Seed {
                url: start.to_owned(),
                discovery: Discovery::Seed,
            }],
            &NoReporter,
            std::future::pending(),
        )
        .await
        .unwrap()
}

/// The response recorded for the first page of `out` (in URL order): the
/// start URL, in crawls of one URL.
#[allow(
    dead_code,
    reason = "each test binary compiles this module; not all use it"
)]
pub fn first_response(out: &CrawlOutput) -> model::Hop {
    out.pages
        .to_vec()
        .into_iter()
        .next()
        .expect("the crawl recorded a page")
        .response
}
