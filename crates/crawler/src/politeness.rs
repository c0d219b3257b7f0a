//! Rate limits and per-host concurrency: a global governor limiter, and per
//! host a semaphore plus an optional limiter (per-host rate or the site's
//! robots.txt `Crawl-delay`), created lazily.

use std::num::NonZeroU32;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use dashmap::DashMap;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Gates every request: at most `per_host_concurrency` in flight per host,
/// and no faster than the global and per-host rates.
pub(crate) struct Politeness {
    global: Option<DefaultDirectRateLimiter>,
    hosts: DashMap<String, Arc<HostGate>>,
    per_host_concurrency: usize,
    per_host_rate: u32,
}

struct HostGate {
    in_flight: Arc<Semaphore>,
    rate: Option<DefaultDirectRateLimiter>,
    /// Set once, when robots.txt for the host is read.
    crawl_delay: OnceLock<Option<DefaultDirectRateLimiter>>,
}

/// The politeness key of a URL: host and port, so two servers on one
/// machine are two sites.
pub(crate) fn host_key(url: &url::Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(0)
    )
}

fn per_second(rate: u32) -> Option<DefaultDirectRateLimiter> {
    NonZeroU32::new(rate).map(|r| RateLimiter::direct(Quota::per_second(r)))
}

impl Politeness {
    pub(crate) fn new(rate: u32, per_host_rate: u32, per_host_concurrency: usize) -> Self {
        Self {
            global: per_second(rate),
            hosts: DashMap::new(),
            per_host_concurrency: per_host_concurrency.max(1),
            per_host_rate,
        }
    }

    fn gate(&self, host: &str) -> Arc<HostGate> {
        if let Some(gate) = self.hosts.get(host) {
            return gate.clone();
        }
        self.hosts
            .entry(host.to_owned())
            .or_insert_with(|| {
                Arc::new(HostGate {
                    in_flight: Arc::new(Semaphore::new(self.per_host_concurrency)),
                    rate: per_second(self.per_host_rate),
                    crawl_delay: OnceLock::new(),
                })
            })
            .clone()
    }

    /// Records a robots.txt `Crawl-delay` for `host` (first call wins).
    pub(crate) fn set_crawl_delay(&self, host: &str, delay: Option<Duration>) {
        let limiter = delay
            .filter(|d| !d.is_zero())
            .and_then(Quota::with_period)
            .map(RateLimiter::direct);
        let _ = self.gate(host).crawl_delay.set(limiter);
    }

    /// Waits until a request to `host` may start; the permit ends the
    /// request's slot when dropped.
    pub(crate) async fn acquire(&self, host: &str) -> OwnedSemaphorePermit {
        let gate = self.gate(host);
        let permit = gate
            .in_flight
            .clone()
            .acquire_owned()
            .await
            .expect("host semaphores are never closed");
        if let Some(Some(delay)) = gate.crawl_delay.get() {
            delay.until_ready().await;
        }
        if let Some(rate) = &gate.rate {
            rate.until_ready().await;
        }
        if let Some(global) = &self.global {
            global.until_ready().await;
        }
        permit
    }
}
