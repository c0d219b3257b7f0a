//! The hop budget: which redirect targets the crawl fetches.
//!
//! A chain starts at every seed and every referenced URL that redirects, and
//! is followed for at most `max_hops` redirects, so the crawl must fetch
//! every URL within `max_hops` redirects of *any* chain start. A URL's index
//! is therefore the smallest over all the chains that reach it, not the one
//! of whichever chain reached it first: when a chain reaches an already seen
//! URL earlier than before, the redirects fetched beyond it are followed
//! again with the budget now left, and targets cut off before are fetched
//! after all. Otherwise what the report shows for a chain would depend on the
//! order the crawl met its URLs in, and a chain would stop at an unfetched
//! hop (issue 13). Each URL is still fetched once: admission goes through the
//! crawl's seen-set.
//!
//! Only URLs reached through redirects are tracked, and only until their
//! index can no longer matter: a URL with index 0 (a seed, a referenced URL)
//! or whose response is not a redirect is dropped.

use std::collections::HashMap;

use model::{PageRecord, normalize_url};
use url::Url;

/// A redirect target to admit at a hop index.
#[derive(Debug)]
pub(crate) struct Step {
    /// The redirecting URL (normalised).
    pub from: String,
    /// Its target as resolved (not normalised: the job's `found_as`).
    pub target: Url,
    /// Redirects followed to reach `target` from the nearest chain start.
    pub index: usize,
    /// The link depth of `from` (redirects do not add depth).
    pub depth: u32,
}

/// What the crawl's admission did with a [`Step`]'s target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Admitted {
    /// New: queued for fetching.
    Queued,
    /// Queued or fetched before.
    AlreadySeen,
}

/// A URL reached only through redirects so far.
#[derive(Debug)]
struct Reached {
    /// The smallest hop index any chain reached it at (at least 1).
    index: usize,
    /// Once fetched as a redirect with a usable target: that target and the
    /// URL's depth, to follow again should `index` drop.
    redirect: Option<(Url, u32)>,
}

/// The smallest hop index of every URL reached through redirects.
pub(crate) struct HopBudget {
    max_hops: usize,
    reached: HashMap<String, Reached>,
}

impl HopBudget {
    /// Chains follow at most `max_hops` redirects.
    pub(crate) fn new(max_hops: usize) -> Self {
        Self {
            max_hops,
            reached: HashMap::new(),
        }
    }

    /// `url` is referenced (a link, a sitemap entry …), so it starts a chain
    /// of its own: its index drops to 0.
    pub(crate) fn referenced(&mut self, url: &str, steps: &mut Vec<Step>) {
        if !self.reached.is_empty() {
            self.lower(url, 0, steps);
        }
    }

    /// `record` was fetched: the step to its redirect target when the budget
    /// allows one.
    pub(crate) fn fetched(&mut self, record: &PageRecord) -> Option<Step> {
        let target = record
            .response
            .is_redirect()
            .then_some(record.response.target.as_deref())
            .flatten()
            .and_then(|t| Url::parse(t).ok());
        let Some(target) = target else {
            // A final answer (or a redirect going nowhere) leads no further,
            // however early a chain reaches it.
            self.reached.remove(&record.url);
            return None;
        };
        let index = match self.reached.get_mut(&record.url) {
            Some(reached) => {
                reached.redirect = Some((target.clone(), record.depth));
                reached.index
            }
            None => 0,
        };
        self.step(&record.url, index, &target, record.depth)
    }

    /// Admits `steps` and everything they lead to. `admit` queues a target
    /// (reached at the index given, which the budget keeps), or reports it
    /// seen; `is_start` says whether a URL
    /// (normalised) already starts a chain of its own (it is referenced),
    /// so that its index is 0 from the start.
    pub(crate) fn admit(
        &mut self,
        mut steps: Vec<Step>,
        is_start: impl Fn(&str) -> bool,
        mut admit: impl FnMut(&Step, usize) -> Admitted,
    ) {
        while let Some(step) = steps.pop() {
            let url = normalize_url(step.target.clone()).to_string();
            let index = if is_start(&url) { 0 } else { step.index };
            match admit(&step, index) {
                Admitted::Queued if index > 0 => {
                    self.reached.insert(
                        url,
                        Reached {
                            index,
                            redirect: None,
                        },
                    );
                }
                Admitted::Queued => {}
                Admitted::AlreadySeen => self.lower(&url, index, &mut steps),
            }
        }
    }

    /// The crawl is over: the memory goes.
    pub(crate) fn release(&mut self) {
        self.reached = HashMap::new();
    }

    /// `url`, already seen, is reached at `index`: when that is earlier than
    /// before, a redirect fetched from it is followed again from there.
    fn lower(&mut self, url: &str, index: usize, steps: &mut Vec<Step>) {
        let Some(reached) = self.reached.get_mut(url) else {
            // Index 0 already (seed, referenced, linked first) or final.
            return;
        };
        if index >= reached.index {
            return;
        }
        reached.index = index;
        let redirect = reached.redirect.clone();
        if index == 0 {
            self.reached.remove(url);
        }
        if let Some((target, depth)) = redirect {
            steps.extend(self.step(url, index, &target, depth));
        }
    }

    /// The step from `from`, reached at `index`, to `target`, if within
    /// budget: `max_hops` redirects are followed, so the target of a URL at
    /// index `max_hops` is not.
    fn step(&self, from: &str, index: usize, target: &Url, depth: u32) -> Option<Step> {
        (index < self.max_hops).then(|| Step {
            from: from.to_owned(),
            target: target.clone(),
            index: index + 1,
            depth,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use model::{Discovery, Hop, RawValue};

    use super::*;

    /// A toy crawl: `site` maps a path to its redirect target (none: 200);
    /// URLs are fetched in the order given by the test.
    struct Crawl {
        budget: HopBudget,
        site: HashMap<&'static str, Option<&'static str>>,
        seen: HashSet<String>,
        /// Queued URLs with the index they were queued at.
        queued: Vec<(String, usize)>,
        starts: HashSet<String>,
    }

    fn url(path: &str) -> String {
        format!("http://s{path}")
    }

    impl Crawl {
        fn new(max_hops: usize, site: &[(&'static str, Option<&'static str>)]) -> Self {
            Self {
                budget: HopBudget::new(max_hops),
                site: site.iter().copied().collect(),
                seen: HashSet::new(),
                queued: Vec::new(),
                starts: HashSet::new(),
            }
        }

        /// A link to `path` found (and queued if new).
        fn link(&mut self, path: &str) {
            let mut steps = Vec::new();
            self.starts.insert(url(path));
            self.budget.referenced(&url(path), &mut steps);
            if self.seen.insert(url(path)) {
                self.queued.push((url(path), 0));
            }
            self.admit(steps);
        }

        fn fetch(&mut self, path: &'static str) {
            let target = self.site[path].map(url);
            let record = PageRecord {
                url: url(path),
                found_as: url(path),
                depth: 1,
                discovery: Discovery::Link,
                found_on: None,
                in_scope: true,
                in_sitemap: false,
                response: Hop {
                    url: url(path),
                    status: Some(if target.is_some() { 301 } else { 200 }),
                    locations: target.iter().map(|t| RawValue::from(t.as_str())).collect(),
                    target,
                    ..Hop::default()
                },
            };
            let steps = self.budget.fetched(&record).into_iter().collect();
            self.admit(steps);
        }

        fn admit(&mut self, steps: Vec<Step>) {
            let Self {
                budget,
                seen,
                queued,
                starts,
                ..
            } = self;
            budget.admit(
                steps,
                |u| starts.contains(u),
                |step, index| {
                    let u = step.target.to_string();
                    if seen.insert(u.clone()) {
                        queued.push((u, index));
                        Admitted::Queued
                    } else {
                        Admitted::AlreadySeen
                    }
                },
            );
        }

        fn queued(&self) -> Vec<(String, usize)> {
            self.queued.clone()
        }
    }

    const SITE: &[(&str, Option<&str>)] = &[
        ("/long", Some("/l1")),
        ("/l1", Some("/x")),
        ("/short", Some("/x")),
        ("/x", Some("/y")),
        ("/y", Some("/z")),
        ("/z", None),
    ];

    #[test]
    fn follows_max_hops_redirects() {
        let mut crawl = Crawl::new(2, SITE);
        crawl.link("/long");
        for path in ["/long", "/l1", "/x"] {
            crawl.fetch(path);
        }
        // /x is the second redirect's target; its own target is not fetched.
        assert_eq!(
            crawl.queued(),
            vec![(url("/long"), 0), (url("/l1"), 1), (url("/x"), 2)]
        );
    }

    #[test]
    fn a_fetched_redirect_reached_earlier_is_followed_again() {
        let mut crawl = Crawl::new(2, SITE);
        crawl.link("/long");
        for path in ["/long", "/l1", "/x"] {
            crawl.fetch(path);
        }
        crawl.link("/short");
        crawl.fetch("/short");
        // /x is now at index 1: /y at 2 is fetched, /z (3) is not.
        assert_eq!(crawl.queued()[4..], [(url("/y"), 2)]);
        crawl.fetch("/y");
        assert_eq!(crawl.queued().len(), 5);
    }

    #[test]
    fn a_queued_redirect_reached_earlier_uses_the_earlier_index() {
        let mut crawl = Crawl::new(2, SITE);
        crawl.link("/long");
        crawl.link("/short");
        crawl.fetch("/long");
        crawl.fetch("/l1");
        // /x queued at 2; /short reaches it at 1 before it is fetched.
        crawl.fetch("/short");
        crawl.fetch("/x");
        assert!(crawl.queued().contains(&(url("/y"), 2)));
    }

    #[test]
    fn a_link_to_a_redirect_target_gives_it_the_whole_budget() {
        let mut crawl = Crawl::new(2, SITE);
        crawl.link("/long");
        for path in ["/long", "/l1", "/x"] {
            crawl.fetch(path);
        }
        crawl.link("/x");
        crawl.fetch("/y");
        assert_eq!(crawl.queued()[3..], [(url("/y"), 1), (url("/z"), 2)]);
    }

    #[test]
    fn a_referenced_url_reached_first_by_a_redirect_starts_at_zero() {
        let mut crawl = Crawl::new(2, SITE);
        // Referenced (say, a canonical to a URL out of scope) but not
        // queued as a link; then reached through two redirects.
        crawl.starts.insert(url("/x"));
        crawl.link("/long");
        crawl.fetch("/long");
        crawl.fetch("/l1");
        crawl.fetch("/x");
        crawl.fetch("/y");
        assert_eq!(
            crawl.queued()[2..],
            [(url("/x"), 0), (url("/y"), 1), (url("/z"), 2)]
        );
    }
}
