//! The crawl loop: one coordinator owns the frontier and the records;
//! workers fetch, parse and deduplicate in parallel.

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use dashmap::DashMap;
use model::{
    CrawlOutput, CrawlStats, Discovery, FetchError, FetchErrorKind, Hop, LinkKind, PageRecord,
    Truncation, normalize_url,
};
use tokio::task::JoinSet;
use url::Url;

use crate::budget::{Admitted, HopBudget, Step};
use crate::config::CrawlConfig;
use crate::extract::extract_links;
use crate::fetch::Fetcher;
use crate::frontier::{Frontier, Job};
use crate::graph::Reference;
use crate::guard::{is_private_host, url_pattern};
use crate::limits::{PageLimits, Truncations};
use crate::politeness::Politeness;
use crate::records::Records;
use crate::refresh::parse_refresh;
use crate::robots::RobotsCache;
use crate::seen::SeenUrls;
use crate::sitemap;
use crate::{Error, Reporter};

/// A URL to start from: the start URL in a crawl, each line in list mode.
#[derive(Clone, Debug)]
pub struct Seed {
    /// The URL as given (absolute).
    pub url: String,
    /// How it entered the audit.
    pub discovery: Discovery,
}

/// A configured crawler. Cheap to share; [`Crawler::run`] does the work.
pub struct Crawler {
    config: Arc<CrawlConfig>,
    fetcher: Arc<Fetcher>,
    /// Whether lookups may answer with private addresses (see
    /// [`crate::dns`]): decided by [`Crawler::run`] from its seeds.
    allow_private: Arc<std::sync::atomic::AtomicBool>,
}

/// What a worker hands back to the coordinator.
struct JobDone {
    record: PageRecord,
    /// References found on the page.
    links: Vec<Reference>,
    next: Vec<Job>,
    /// The limits its links ran into.
    limits: PageLimits,
    /// References found on the page, kept or not.
    references: u64,
}

/// State shared by the workers.
struct Shared {
    config: Arc<CrawlConfig>,
    fetcher: Arc<Fetcher>,
    robots: RobotsCache,
    /// Normalised URLs already queued: each URL is fetched once.
    seen: SeenUrls,
    /// Links queued per URL pattern (spider-trap guard).
    patterns: DashMap<String, usize>,
    /// URLs admitted to the frontier other than as redirect targets,
    /// bounded by `max_urls`.
    admitted: AtomicUsize,
    /// Redirects into private address space are followed only when the
    /// audited site is itself private (or `allow_private` is set).
    allow_private: bool,
}

impl Crawler {
    /// Builds the HTTP client and politeness gates for `config`.
    pub fn new(config: CrawlConfig) -> Result<Self, Error> {
        if config.concurrency == 0 {
            return Err(Error::InvalidSetting(
                "concurrency must be at least 1".into(),
            ));
        }
        if config.max_hops == 0 {
            return Err(Error::InvalidSetting("max hops must be at least 1".into()));
        }
        let config = Arc::new(config);
        let politeness = Arc::new(Politeness::new(
            config.rate,
            config.per_host_rate,
            config.per_host_concurrency,
        ));
        let allow_private = Arc::new(std::sync::atomic::AtomicBool::new(config.allow_private));
        let fetcher = Arc::new(Fetcher::new(
            config.clone(),
            politeness,
            allow_private.clone(),
        )?);
        Ok(Self {
            config,
            fetcher,
            allow_private,
        })
    }

    /// The settings in force.
    pub fn config(&self) -> &CrawlConfig {
        &self.config
    }

    /// Crawls from `seeds` until the frontier is empty, a limit is reached,
    /// or `stop` completes (then the output is marked interrupted). Every
    /// URL's outcome, failures included, is data in the output.
    pub async fn run(
        &self,
        seeds: Vec<Seed>,
        reporter: &dyn Reporter,
        stop: impl Future<Output = ()>,
    ) -> Result<CrawlOutput, Error> {
        let started = Instant::now();
        let allow_private = self.config.allow_private
            || crate::dns::seeds_are_private(
                seeds.iter().filter_map(|s| Url::parse(&s.url).ok()),
                &self.config.resolve,
                self.config.resolve_only,
                &self.config.resolver,
            )
            .await;
        self.allow_private.store(allow_private, Ordering::Relaxed);
        let mut stop = std::pin::pin!(stop);
        let mut run = CrawlRun::new(self, reporter, allow_private)?;
        run.seed(&seeds)?;
        if self.config.use_sitemaps {
            run.seed_sitemaps(&mut stop).await?;
        }
        run.report_discovered();
        if !run.truncations.interrupted() {
            run.crawl(&mut stop).await?;
        }
        run.finish(&seeds, started)
    }
}

/// One crawl in progress: the coordinator's state, and the steps of
/// [`Crawler::run`] as methods: [`CrawlRun::seed`],
/// [`CrawlRun::seed_sitemaps`], then [`CrawlRun::crawl`] (dispatch, wait,
/// collect, until done), then [`CrawlRun::finish`].
struct CrawlRun<'a> {
    crawler: &'a Crawler,
    reporter: &'a dyn Reporter,
    shared: Arc<Shared>,
    frontier: Frontier,
    records: Records,
    /// The folder of the working files, named by their errors.
    dir: std::path::PathBuf,
    /// References found, kept in the graph or not.
    references: u64,
    /// URLs queued so far, for the progress reporter.
    discovered: u64,
    /// URLs dispatched that count against `--max-urls`.
    dispatched: usize,
    truncations: Truncations,
    budget: HopBudget,
    recent: FailureWindow,
}

/// What waiting for the next finished fetch brought.
#[expect(
    clippy::large_enum_variant,
    reason = "a value matched right away, once per fetch; boxing would add an allocation per fetch"
)]
enum Event {
    /// A fetch finished.
    Done(JobDone),
    /// Nothing is in flight and nothing waits: the crawl is over.
    Idle,
    /// The task was cancelled; nothing to collect.
    Cancelled,
    /// The user asked to stop.
    Stopped,
    /// The audit deadline passed.
    Deadline,
}

impl<'a> CrawlRun<'a> {
    /// The shared state and empty working files in the spool folder.
    /// `allow_private`: whether the audited site is itself private (see
    /// [`crate::dns::seeds_are_private`]).
    fn new(
        crawler: &'a Crawler,
        reporter: &'a dyn Reporter,
        allow_private: bool,
    ) -> Result<Self, Error> {
        let config = &crawler.config;
        let shared = Arc::new(Shared {
            config: config.clone(),
            fetcher: crawler.fetcher.clone(),
            robots: RobotsCache::default(),
            seen: SeenUrls::default(),
            patterns: DashMap::new(),
            admitted: AtomicUsize::new(0),
            allow_private,
        });
        let dir = config.spool_dir();
        let spool_error = |source| Error::Spool {
            dir: dir.clone(),
            source,
        };
        let frontier = Frontier::new(config.frontier_in_memory, &dir).map_err(spool_error)?;
        let records = Records::new(&dir).map_err(spool_error)?;
        Ok(Self {
            crawler,
            reporter,
            shared,
            frontier,
            records,
            dir,
            references: 0,
            discovered: 0,
            dispatched: 0,
            truncations: Truncations::default(),
            budget: HopBudget::new(config.max_hops),
            recent: FailureWindow::default(),
        })
    }

    fn config(&self) -> &CrawlConfig {
        &self.crawler.config
    }

    /// A failure of a working file, as the crawl's error.
    fn spool_error(&self, source: spool::Error) -> Error {
        Error::Spool {
            dir: self.dir.clone(),
            source,
        }
    }

    /// Queues every seed (a seed that does not parse stops the crawl).
    fn seed(&mut self, seeds: &[Seed]) -> Result<(), Error> {
        for seed in seeds {
            let parsed = Url::parse(&seed.url).map_err(|e| Error::InvalidStartUrl {
                url: seed.url.clone(),
                reason: e.to_string(),
            })?;
            if let Admission::Queued(job) = self.shared.admit(parsed, seed.discovery, 0, None) {
                self.frontier
                    .push_back(job)
                    .map_err(|e| self.spool_error(e))?;
            }
        }
        Ok(())
    }

    /// Reads the sitemaps of the first seed's site (robots.txt's and
    /// `/sitemap.xml`) unless `stop` comes first, and queues their entries.
    async fn seed_sitemaps<F: Future<Output = ()>>(
        &mut self,
        stop: &mut Pin<&mut F>,
    ) -> Result<(), Error> {
        let Some(first) = self.frontier.front().map(|j| j.url.clone()) else {
            return Ok(());
        };
        let entries = tokio::select! {
            biased;
            () = stop.as_mut() => {
                self.truncations.interrupt();
                return Ok(());
            }
            entries = self.shared.sitemap_entries(&first) => entries,
        };
        self.admit_sitemap_entries(entries)
    }

    /// Queues the in-scope sitemap entries and records them as references,
    /// one block per sitemap file.
    fn admit_sitemap_entries(&mut self, entries: Vec<sitemap::SitemapEntry>) -> Result<(), Error> {
        let mut by_sitemap: BTreeMap<String, Vec<Reference>> = BTreeMap::new();
        for entry in entries {
            let Ok(loc) = Url::parse(&entry.loc) else {
                continue;
            };
            let to = normalize_url(loc.clone()).to_string();
            self.references += 1;
            // Like anchors, an entry matters only if its URL is fetched.
            let fetched = self.config().scope.contains(&loc)
                && match self.shared.admit(
                    loc.clone(),
                    Discovery::Sitemap,
                    1,
                    Some(entry.sitemap.clone()),
                ) {
                    Admission::Queued(job) => {
                        self.frontier
                            .push_back(job)
                            .map_err(|e| self.spool_error(e))?;
                        true
                    }
                    Admission::AlreadySeen => true,
                    Admission::Full => {
                        self.truncations.hit(Truncation::MaxUrls);
                        false
                    }
                };
            if fetched {
                by_sitemap
                    .entry(entry.sitemap)
                    .or_default()
                    .push(Reference {
                        to,
                        kind: LinkKind::Sitemap,
                        fragment: loc.fragment().map(str::to_owned),
                        raw: entry.loc,
                        detail: None,
                    });
            }
        }
        for (sitemap, entries) in by_sitemap {
            self.records
                .add_sitemap(&sitemap, entries)
                .map_err(|e| self.spool_error(e))?;
        }
        Ok(())
    }

    /// Tells the reporter how many URLs the seeds and sitemaps queued.
    fn report_discovered(&mut self) {
        self.discovered = self.frontier.len() as u64;
        self.reporter.discovered(self.discovered);
    }

    /// Fetches until the frontier is empty, `stop` completes, the deadline
    /// passes, or the error-rate safeguard gives up.
    async fn crawl<F: Future<Output = ()>>(&mut self, stop: &mut Pin<&mut F>) -> Result<(), Error> {
        let mut tasks: JoinSet<JobDone> = JoinSet::new();
        let deadline = self
            .config()
            .deadline
            .map(|d| tokio::time::Instant::now() + d);
        let deadline_sleep = async {
            match deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        let mut deadline_sleep = std::pin::pin!(deadline_sleep);
        loop {
            self.dispatch(&mut tasks)?;
            let event = tokio::select! {
                biased;
                () = stop.as_mut() => Event::Stopped,
                () = &mut deadline_sleep => Event::Deadline,
                done = tasks.join_next() => match done {
                    None => Event::Idle,
                    Some(Ok(done)) => Event::Done(done),
                    Some(Err(error)) if error.is_panic() => {
                        std::panic::resume_unwind(error.into_panic())
                    }
                    Some(Err(_)) => Event::Cancelled,
                },
            };
            let go_on = match event {
                Event::Done(done) => self.collect(done)?,
                Event::Cancelled => true,
                Event::Idle => false,
                Event::Stopped => {
                    self.truncations.interrupt();
                    false
                }
                Event::Deadline => {
                    self.truncations.hit(Truncation::Deadline);
                    false
                }
            };
            if !go_on {
                break;
            }
        }
        tasks.abort_all();
        Ok(())
    }

    /// Starts fetches from the frontier up to the concurrency limit. Jobs
    /// over `--max-urls` are dropped: redirect targets complete chains
    /// already started, so they do not count against it.
    fn dispatch(&mut self, tasks: &mut JoinSet<JobDone>) -> Result<(), Error> {
        while tasks.len() < self.config().concurrency {
            let Some(job) = self.frontier.pop_front().map_err(|e| self.spool_error(e))? else {
                break;
            };
            if job.discovery != Discovery::Redirect {
                if self.dispatched >= self.config().max_urls {
                    self.truncations.hit(Truncation::MaxUrls);
                    continue;
                }
                self.dispatched += 1;
            }
            let shared = self.shared.clone();
            tasks.spawn(async move { shared.process(job).await });
        }
        Ok(())
    }

    /// Takes one finished fetch: its limits, record and references, the
    /// redirect targets the hop budget admits, and the links it queued.
    /// `false` when the error-rate safeguard says to stop.
    fn collect(&mut self, done: JobDone) -> Result<bool, Error> {
        self.truncations.page(&done.limits);
        self.references += done.references;
        let give_up = self.config().error_safeguard && self.recent.push(&done.record.response);
        self.reporter.fetched(&done.record);
        let mut steps: Vec<Step> = self.budget.fetched(&done.record).into_iter().collect();
        for link in &done.links {
            self.budget.referenced(&link.to, &mut steps);
        }
        self.records
            .add_page(&done.record, done.links)
            .map_err(|e| self.spool_error(e))?;
        let mut next = done.next;
        let (records, shared) = (&self.records, &self.shared);
        self.budget.admit(
            steps,
            |url| records.is_referenced(url),
            |step, _index| match shared.admit(
                step.target.clone(),
                Discovery::Redirect,
                step.depth,
                Some(step.from.clone()),
            ) {
                Admission::Queued(job) => {
                    next.push(job);
                    Admitted::Queued
                }
                // Redirect targets are never refused for `--max-urls`.
                Admission::AlreadySeen | Admission::Full => Admitted::AlreadySeen,
            },
        );
        if give_up {
            tracing::warn!("most recent requests failed; stopping to spare the site");
            self.truncations.hit(Truncation::ErrorRate);
            return Ok(false);
        }
        if !next.is_empty() {
            self.discovered += next.len() as u64;
            self.frontier
                .extend(next)
                .map_err(|e| self.spool_error(e))?;
            self.reporter.discovered(self.discovered);
        }
        Ok(true)
    }

    /// Releases the crawl-time state and builds the output: pages, chains,
    /// links, how the audit ended and the stats.
    fn finish(self, seeds: &[Seed], started: Instant) -> Result<CrawlOutput, Error> {
        let Self {
            crawler,
            shared,
            frontier,
            records,
            dir,
            references,
            truncations,
            mut budget,
            ..
        } = self;
        drop(frontier);
        budget.release();
        // Some 30 MB at a million URLs, not needed to finish the records.
        shared.seen.release();

        let seed_urls: Vec<String> = seeds
            .iter()
            .filter_map(|s| Url::parse(&s.url).ok())
            .map(|u| normalize_url(u).to_string())
            .collect();
        let finished = records
            .finish(&seed_urls, crawler.config.max_hops)
            .map_err(|source| Error::Spool { dir, source })?;
        let stats = CrawlStats {
            requests: crawler.fetcher.requests(),
            errors: finished.errors,
            blocked: finished.blocked,
            // Sitemap entries are references too.
            links: references + finished.sitemap_entries,
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        Ok(CrawlOutput {
            start_url: seeds.first().map(|s| s.url.clone()).unwrap_or_default(),
            pages: finished.pages,
            chains: finished.chains,
            links: finished.links,
            referrers: finished.referrers,
            end: truncations.end(),
            stats,
        })
    }
}

impl Shared {
    /// Admits `found_as` to the frontier, once per normalised URL. Links and
    /// sitemap entries stop at `--max-urls`, so the frontier and the seen-set
    /// stay bounded however many URLs a trap generates; seeds (every line of
    /// a list is checked) and redirect targets (chains must complete) do not.
    fn admit(
        &self,
        found_as: Url,
        discovery: Discovery,
        depth: u32,
        found_on: Option<String>,
    ) -> Admission {
        let url = normalize_url(found_as.clone());
        let counted = discovery != Discovery::Redirect;
        let limited = matches!(discovery, Discovery::Link | Discovery::Sitemap);
        if counted {
            let before = self.admitted.fetch_add(1, Ordering::Relaxed);
            if limited && before >= self.config.max_urls {
                self.admitted.fetch_sub(1, Ordering::Relaxed);
                return if self.seen.contains(url.as_str()) {
                    Admission::AlreadySeen
                } else {
                    Admission::Full
                };
            }
        }
        if !self.seen.insert(url.as_str()) {
            if counted {
                self.admitted.fetch_sub(1, Ordering::Relaxed);
            }
            return Admission::AlreadySeen;
        }
        Admission::Queued(Job {
            url,
            found_as,
            depth,
            discovery,
            found_on,
        })
    }

    /// Counts `url` against its pattern's cap; `false` when the cap is full.
    fn pattern_allows(&self, url: &Url) -> bool {
        if self.config.max_per_pattern == 0 {
            return true;
        }
        let mut count = self.patterns.entry(url_pattern(url)).or_insert(0);
        if *count >= self.config.max_per_pattern {
            return false;
        }
        *count += 1;
        true
    }

    async fn sitemap_entries(&self, start: &Url) -> Vec<sitemap::SitemapEntry> {
        let rules = self
            .robots
            .rules_for(
                &self.fetcher,
                self.config.robots_token(),
                start,
                self.config.obey_robots,
            )
            .await;
        let mut roots: Vec<Url> = rules
            .sitemaps()
            .iter()
            .filter_map(|s| Url::parse(s).ok())
            .collect();
        if let Ok(default) = start.join("/sitemap.xml")
            && !roots.contains(&default)
        {
            roots.push(default);
        }
        sitemap::collect(&self.fetcher, roots).await
    }

    /// Fetches one URL and works out what it leads to.
    async fn process(self: Arc<Self>, job: Job) -> JobDone {
        let in_scope = self.config.scope.contains(&job.url);
        let mut done = JobDone {
            record: PageRecord {
                url: job.url.to_string(),
                found_as: job.found_as.to_string(),
                depth: job.depth,
                discovery: job.discovery,
                found_on: job.found_on.clone(),
                in_scope,
                in_sitemap: false,
                response: Hop {
                    url: job.url.to_string(),
                    ..Hop::default()
                },
            },
            links: Vec::new(),
            next: Vec::new(),
            limits: PageLimits::default(),
            references: 0,
        };
        if !matches!(job.url.scheme(), "http" | "https") {
            done.record.response.error = Some(FetchError::new(
                FetchErrorKind::UnsupportedScheme,
                format!("URLs with scheme '{}:' are not fetched", job.url.scheme()),
            ));
            return done;
        }
        if job.discovery == Discovery::Redirect && !self.allow_private && is_private_host(&job.url)
        {
            done.record.response.error = Some(FetchError::new(
                FetchErrorKind::PrivateAddress,
                "a public site redirects into private address space; not followed (allow with --allow-private)",
            ));
            return done;
        }
        if self.config.obey_robots {
            let rules = self
                .robots
                .rules_for(&self.fetcher, self.config.robots_token(), &job.url, true)
                .await;
            if let Err(reason) = rules.check(&job.url) {
                done.record.response.error =
                    Some(FetchError::new(FetchErrorKind::BlockedByRobots, reason));
                return done;
            }
        }
        let parse_pages = in_scope && self.config.follow_links;
        let fetched = self
            .fetcher
            .fetch(&job.url, |hop| {
                parse_pages
                    && matches!(hop.status, Some(200..=299))
                    && hop
                        .content_type
                        .as_deref()
                        .is_some_and(|ct| ct.to_ascii_lowercase().contains("html"))
            })
            .await;
        // A redirect's target is admitted by the coordinator, which keeps
        // the hop budget of every chain (see `HopBudget`).
        if !fetched.hop.is_redirect() && parse_pages {
            self.collect_links(&job, &fetched, &mut done);
        }
        done.record.response = fetched.hop;
        done
    }

    /// Records every reference on a page (body, Link header, Refresh header)
    /// and queues the in-scope ones not seen before.
    fn collect_links(&self, job: &Job, fetched: &crate::fetch::Fetched, done: &mut JobDone) {
        let mut found = fetched
            .body
            .as_deref()
            .map(|body| extract_links(body, &job.url))
            .unwrap_or_default();
        let header_links = [
            fetched
                .link_header
                .as_deref()
                .map(|raw| (raw.to_owned(), LinkKind::Canonical, None)),
            fetched
                .hop
                .refresh
                .as_ref()
                .and_then(|r| r.as_str())
                .and_then(parse_refresh)
                .and_then(|r| Some((r.url?, LinkKind::RefreshHeader, Some(r.delay.to_string())))),
        ];
        for (raw, kind, detail) in header_links.into_iter().flatten() {
            found.push(crate::ExtractedLink {
                url: job.url.join(&raw).ok(),
                raw,
                kind,
                detail,
            });
        }
        let from = job.url.to_string();
        for link in found {
            let Some(url) = link.url else { continue };
            if !matches!(url.scheme(), "http" | "https") {
                continue;
            }
            let normalized = normalize_url(url.clone());
            let to = normalized.to_string();
            done.references += 1;
            // An anchor matters only if its target is fetched (it may then
            // be a redirect a rule reports); other kinds are few and kept.
            let fetched = self.config.scope.contains(&url)
                && (self.seen.contains(&to) || self.follow(job, &normalized, &url, &from, done));
            if !fetched && link.kind == LinkKind::Anchor {
                continue;
            }
            done.links.push(Reference {
                to,
                kind: link.kind,
                raw: if link.kind == LinkKind::Anchor {
                    String::new()
                } else {
                    link.raw
                },
                detail: link.detail,
                fragment: url.fragment().map(str::to_owned),
            });
        }
    }

    /// Queues a newly found in-scope URL unless a limit says no (depth,
    /// pattern cap, `--max-urls`), flagging which one; `true` when queued
    /// (or queued by another worker meanwhile).
    fn follow(
        &self,
        job: &Job,
        normalized: &Url,
        found_as: &Url,
        from: &str,
        done: &mut JobDone,
    ) -> bool {
        if job.depth + 1 > self.config.max_depth {
            done.limits.too_deep = true;
            return false;
        }
        if !self.pattern_allows(normalized) {
            done.limits.pattern_capped = true;
            return false;
        }
        match self.admit(
            found_as.clone(),
            Discovery::Link,
            job.depth + 1,
            Some(from.to_owned()),
        ) {
            Admission::Queued(next) => {
                done.next.push(next);
                true
            }
            Admission::AlreadySeen => true,
            Admission::Full => {
                done.limits.max_urls = true;
                false
            }
        }
    }
}

/// What [`Shared::admit`] did with a URL.
#[expect(
    clippy::large_enum_variant,
    reason = "a return value moved straight into the frontier; boxing would add an allocation per URL"
)]
enum Admission {
    /// New: fetch it.
    Queued(Job),
    /// Queued before (by this or another worker).
    AlreadySeen,
    /// New, but `--max-urls` is reached.
    Full,
}

/// The last [`crate::ERROR_WINDOW`] outcomes, for the crawl safeguard.
#[derive(Default)]
struct FailureWindow {
    outcomes: VecDeque<bool>,
    failures: usize,
}

impl FailureWindow {
    /// Records one response; `true` when the window is full and at least
    /// [`crate::ERROR_WINDOW_FAILURES`] of it failed.
    fn push(&mut self, hop: &Hop) -> bool {
        let deliberate = hop.error.as_ref().is_some_and(|e| e.kind.is_not_fetched());
        if deliberate {
            return false;
        }
        let failed = match hop.status {
            None => true,
            Some(status) => model::is_inconclusive_status(status),
        };
        self.outcomes.push_back(failed);
        self.failures += usize::from(failed);
        if self.outcomes.len() > crate::ERROR_WINDOW && self.outcomes.pop_front() == Some(true) {
            self.failures -= 1;
        }
        self.outcomes.len() == crate::ERROR_WINDOW && self.failures >= crate::ERROR_WINDOW_FAILURES
    }
}
