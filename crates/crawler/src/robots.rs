//! robots.txt, fetched once per origin and read as Google reads it.

use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use texting_robots::Robot;
use tokio::sync::OnceCell;
use url::Url;

use crate::fetch::Fetcher;

/// Google reads at most 500 KiB of a robots.txt and ignores the rest.
const MAX_ROBOTS_BYTES: usize = 500 * 1024;

/// The rules of one origin.
pub(crate) enum RobotsRules {
    /// No robots.txt (4xx), or one that does not parse: everything allowed.
    AllowAll,
    /// robots.txt answered 5xx: Google treats the whole site as disallowed
    /// until it can read the file again.
    DisallowAll(String),
    /// Parsed rules for our user agent.
    Parsed(Box<Robot>),
}

impl RobotsRules {
    /// `Ok(())` when `url` may be fetched; otherwise why not.
    pub(crate) fn check(&self, url: &Url) -> Result<(), String> {
        match self {
            Self::AllowAll => Ok(()),
            Self::DisallowAll(reason) => Err(reason.clone()),
            Self::Parsed(robot) => {
                if robot.allowed(url.as_str()) {
                    Ok(())
                } else {
                    Err("disallowed by robots.txt".to_owned())
                }
            }
        }
    }

    /// The `Sitemap:` lines.
    pub(crate) fn sitemaps(&self) -> &[String] {
        match self {
            Self::Parsed(robot) => &robot.sitemaps,
            _ => &[],
        }
    }
}

/// robots.txt rules by origin, each fetched once even when many tasks ask at
/// the same time.
#[derive(Default)]
pub(crate) struct RobotsCache {
    by_origin: DashMap<String, Arc<OnceCell<Arc<RobotsRules>>>>,
}

impl RobotsCache {
    /// The rules for `url`'s origin, fetching robots.txt on first use and,
    /// when `obey` is set, registering its Crawl-delay with the fetcher's
    /// politeness gates.
    pub(crate) async fn rules_for(
        &self,
        fetcher: &Fetcher,
        token: &str,
        url: &Url,
        obey: bool,
    ) -> Arc<RobotsRules> {
        let origin = url.origin().ascii_serialization();
        let cell = self.by_origin.entry(origin.clone()).or_default().clone();
        cell.get_or_init(|| async {
            let rules = Arc::new(fetch_rules(fetcher, token, &origin).await);
            if let (true, RobotsRules::Parsed(robot)) = (obey, rules.as_ref()) {
                let host = crate::politeness::host_key(url);
                let delay = robot.delay.filter(|d| d.is_finite() && *d > 0.0);
                fetcher
                    .politeness()
                    .set_crawl_delay(&host, delay.map(|d| Duration::from_secs_f32(d.min(60.0))));
            }
            rules
        })
        .await
        .clone()
    }
}

async fn fetch_rules(fetcher: &Fetcher, token: &str, origin: &str) -> RobotsRules {
    let Ok(url) = Url::parse(&format!("{origin}/robots.txt")) else {
        return RobotsRules::AllowAll;
    };
    match fetcher.get_resource(&url, MAX_ROBOTS_BYTES).await {
        Some((status, body)) if (200..300).contains(&status) => match Robot::new(token, &body) {
            Ok(robot) => RobotsRules::Parsed(Box::new(robot)),
            Err(error) => {
                tracing::warn!(%url, %error, "robots.txt does not parse; allowing all");
                RobotsRules::AllowAll
            }
        },
        Some((status, _)) if (400..500).contains(&status) => RobotsRules::AllowAll,
        Some((status, _)) => RobotsRules::DisallowAll(format!(
            "robots.txt answered {status}: the site is treated as disallowed, as Google does"
        )),
        // Unreachable: the page fetches will fail the same way and record the
        // real cause; calling them "blocked" would hide it.
        None => RobotsRules::AllowAll,
    }
}

/// Whether robots.txt `body` lets the product `token` fetch `url`: `None`
/// when the file does not parse (the crawl then allows everything). The
/// crawl's own path, exposed for fuzzing and tests.
pub fn robots_allows(token: &str, body: &[u8], url: &str) -> Option<bool> {
    Robot::new(token, body).ok().map(|robot| robot.allowed(url))
}
