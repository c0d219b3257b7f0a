//! One request, one response, recorded exactly: status, every raw Location,
//! headers of interest, timing, errors, with bounded retries.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use model::{FetchError, FetchErrorKind, Hop, RawValue};
use reqwest::header::{self, HeaderMap};
use url::Url;

use crate::config::CrawlConfig;
use crate::politeness::{Politeness, host_key};
use model::resolve_location;

/// A response and, when asked for, its body (capped).
pub(crate) struct Fetched {
    pub hop: Hop,
    pub body: Option<Vec<u8>>,
    /// The `Link: <…>; rel=canonical` header, if any.
    pub link_header: Option<String>,
}

/// Sends requests through one client and one set of politeness gates.
pub(crate) struct Fetcher {
    client: reqwest::Client,
    config: Arc<CrawlConfig>,
    politeness: Arc<Politeness>,
    requests: AtomicU64,
}

impl Fetcher {
    /// `allow_private` is read at each lookup: the crawl decides it once it
    /// knows where its seeds are (see [`crate::dns`]).
    pub(crate) fn new(
        config: Arc<CrawlConfig>,
        politeness: Arc<Politeness>,
        allow_private: Arc<std::sync::atomic::AtomicBool>,
    ) -> Result<Self, crate::Error> {
        let mut builder = reqwest::Client::builder()
            // We follow redirects ourselves, one hop at a time, to record each.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(config.user_agent.clone())
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .pool_max_idle_per_host(config.per_host_concurrency.max(1))
            .no_proxy()
            .danger_accept_invalid_certs(config.insecure)
            .dns_resolver(crate::dns::GuardedResolver::new(
                config.resolver.clone(),
                allow_private,
            ));
        for (host, addr) in &config.resolve {
            builder = builder.resolve(host, *addr);
        }
        let client = builder.build().map_err(crate::Error::Client)?;
        Ok(Self {
            client,
            config,
            politeness,
            requests: AtomicU64::new(0),
        })
    }

    /// HTTP requests sent so far, retries included.
    pub(crate) fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// The shared politeness gates.
    pub(crate) fn politeness(&self) -> &Politeness {
        &self.politeness
    }

    /// GETs `url`, retrying network errors, 5xx and 429 a bounded number of
    /// times. The Location is resolved against `url` itself, never against
    /// the link that led here: the fragment a client carries over from the
    /// link (RFC 9110 §10.2.2) depends on how the URL was linked, not on what
    /// the server sent, so it is no part of the hop's target. The body is
    /// read (up to the cap) only when `want_body(&hop)` says so after the
    /// headers arrive; otherwise a small body is drained so the connection
    /// can be reused.
    pub(crate) async fn fetch(&self, url: &Url, want_body: impl Fn(&Hop) -> bool) -> Fetched {
        let host = host_key(url);
        if let Some(error) = self.refuse_lookup(url) {
            return Fetched {
                hop: Hop {
                    url: url.to_string(),
                    error: Some(error),
                    ..Hop::default()
                },
                body: None,
                link_header: None,
            };
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let permit = self.politeness.acquire(&host).await;
            let started = Instant::now();
            self.requests.fetch_add(1, Ordering::Relaxed);
            let result = self.client.get(url.as_str()).send().await;
            let retries_left = attempt <= self.config.retries;
            match result {
                Ok(response) => {
                    let status = response.status().as_u16();
                    if retries_left
                        && let Some(wait) = self.retry_wait(status, response.headers(), attempt)
                    {
                        drop(response);
                        drop(permit);
                        tracing::debug!(%url, status, ?wait, "retrying");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    let mut fetched = self.record(url, response, started, &want_body).await;
                    fetched.hop.attempts = attempt;
                    return fetched;
                }
                Err(error) => {
                    if retries_left {
                        drop(permit);
                        let wait = self.backoff(attempt);
                        tracing::debug!(%url, %error, ?wait, "retrying after error");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    let hop = Hop {
                        url: url.to_string(),
                        elapsed_ms: elapsed_ms(started),
                        attempts: attempt,
                        error: Some(classify(&error)),
                        ..Hop::default()
                    };
                    return Fetched {
                        hop,
                        body: None,
                        link_header: None,
                    };
                }
            }
        }
    }

    /// With `resolve_only`, a host name that would need a DNS lookup.
    fn refuse_lookup(&self, url: &Url) -> Option<FetchError> {
        let url::Host::Domain(name) = url.host()? else {
            return None;
        };
        let resolved = self
            .config
            .resolve
            .iter()
            .any(|(host, _)| host.eq_ignore_ascii_case(name));
        (self.config.resolve_only && !resolved).then(|| {
            FetchError::new(
                FetchErrorKind::Connect,
                format!("host '{name}' is not among the --resolve hosts and DNS lookups are off"),
            )
        })
    }

    /// How long to wait before retrying a response, or `None` to keep it.
    /// 429 and 503 honour `Retry-After` (seconds or HTTP-date, RFC 9110
    /// §10.2.3) up to the configured maximum; longer waits are not retried.
    /// Other 5xx back off exponentially.
    fn retry_wait(&self, status: u16, headers: &HeaderMap, attempt: u32) -> Option<Duration> {
        match status {
            429 | 503 => match headers
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
            {
                Some(value) => {
                    let wait = parse_retry_after(value)?;
                    (wait <= self.config.max_retry_after).then_some(wait)
                }
                None => Some(self.backoff(attempt)),
            },
            500 | 502 | 504 => Some(self.backoff(attempt)),
            _ => None,
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.config
            .retry_backoff
            .saturating_mul(1 << (attempt.saturating_sub(1)).min(10))
    }

    async fn record(
        &self,
        url: &Url,
        mut response: reqwest::Response,
        started: Instant,
        want_body: &impl Fn(&Hop) -> bool,
    ) -> Fetched {
        let headers = response.headers();
        let locations: Vec<RawValue> = headers
            .get_all(header::LOCATION)
            .iter()
            .map(|v| RawValue::new(v.as_bytes()))
            .collect();
        let target = locations
            .first()
            .and_then(|raw| resolve_location(url, raw.as_bytes()))
            .map(String::from);
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let mut hop = Hop {
            url: url.to_string(),
            status: Some(response.status().as_u16()),
            target,
            refresh: headers.get("refresh").map(|v| RawValue::new(v.as_bytes())),
            cache_control: text(header::CACHE_CONTROL),
            expires: text(header::EXPIRES),
            content_type: text(header::CONTENT_TYPE),
            locations,
            ..Hop::default()
        };
        let link_header = headers
            .get_all(header::LINK)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(crate::extract::canonical_from_link_header);
        let wanted = want_body(&hop);
        let cap = if wanted {
            self.config.max_body_bytes
        } else {
            // Drain small bodies so the connection goes back to the pool.
            64 * 1024
        };
        let mut body = Vec::new();
        loop {
            // The client's timeout covers the body too, but a server that
            // streams without pause can keep a read loop from ever yielding
            // to the timer: check the clock ourselves on every chunk.
            if started.elapsed() > self.config.timeout {
                hop.error = Some(FetchError::new(
                    FetchErrorKind::Timeout,
                    format!("body not complete after {:?}", self.config.timeout),
                ));
                break;
            }
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > cap {
                        if wanted {
                            let room = cap - body.len();
                            body.extend_from_slice(&chunk[..room]);
                            hop.error = Some(FetchError::new(
                                FetchErrorKind::BodyTooLarge,
                                format!(
                                    "body larger than {cap} bytes; only the first {cap} were read"
                                ),
                            ));
                        }
                        break;
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) => {
                    hop.error = Some(classify(&error));
                    break;
                }
            }
        }
        hop.elapsed_ms = elapsed_ms(started);
        Fetched {
            hop,
            body: wanted.then_some(body),
            link_header,
        }
    }

    /// GETs a small resource (robots.txt, sitemap) following up to 5
    /// redirects, as Google does for robots.txt. Returns the final status and
    /// body (capped), or `None` on a network failure.
    pub(crate) async fn get_resource(&self, url: &Url, cap: usize) -> Option<(u16, Vec<u8>)> {
        let mut current = url.clone();
        for _ in 0..=5 {
            let fetched = self.fetch(&current, |_| true).await;
            let status = fetched.hop.status?;
            if fetched.hop.is_redirect() {
                current = Url::parse(fetched.hop.target.as_deref()?).ok()?;
                continue;
            }
            let mut body = fetched.body.unwrap_or_default();
            body.truncate(cap);
            return Some((status, body));
        }
        None
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Parses `Retry-After`: delay-seconds or an HTTP-date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = date.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// Words in a cause chain that mark a TLS failure: reqwest reports TLS
/// errors as connect errors, with rustls' own error (a certificate problem,
/// a handshake alert, or "corrupt message" when the server does not speak
/// TLS at all) as the cause.
const TLS_MARKERS: [&str; 6] = [
    "certificate",
    "tls",
    "handshake",
    "corrupt message",
    "alert",
    "invalidcontenttype",
];

/// Turns a reqwest error into a record-level error with the whole cause chain.
fn classify(error: &reqwest::Error) -> FetchError {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    let mut chain_text = String::new();
    while let Some(cause) = source {
        chain_text.push_str(": ");
        chain_text.push_str(&cause.to_string());
        source = cause.source();
    }
    message.push_str(&chain_text);
    let lower = chain_text.to_ascii_lowercase();
    let refused_private = std::iter::successors(std::error::Error::source(error), |e| e.source())
        .any(|e| e.is::<crate::PrivateAnswer>());
    let kind = if refused_private {
        FetchErrorKind::PrivateAddress
    } else if error.is_timeout() {
        FetchErrorKind::Timeout
    } else if TLS_MARKERS.iter().any(|marker| lower.contains(marker)) {
        FetchErrorKind::Tls
    } else if error.is_connect() {
        FetchErrorKind::Connect
    } else if error.is_body() || error.is_decode() || error.is_request() {
        FetchErrorKind::Protocol
    } else {
        FetchErrorKind::Other
    };
    FetchError::new(kind, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        let future = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3600);
        let text = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&future)
            .unwrap();
        let wait = parse_retry_after(&text).unwrap();
        assert!(
            wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600),
            "{wait:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
