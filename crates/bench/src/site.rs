//! The generated site: pages, the links on them, and the redirect rules.
//!
//! Everything is a function of the page count and a seed, so a site can be
//! regenerated anywhere and each page can be rendered on its own (a
//! 1 000 000-page site never has to fit in memory).

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::rng::SplitMix64;

/// The seed of the site every benchmark number in the README was taken on.
pub const DEFAULT_SEED: u64 = 0x7265_6469_7265_6374;
/// Smallest generated page, in bytes.
pub const PAGE_MIN_BYTES: usize = 15_000;
/// Largest generated page, in bytes.
pub const PAGE_MAX_BYTES: usize = 30_000;
/// Links in the navigation block of every page.
pub const NAV_LINKS: usize = 30;
/// Fewest links in the body of a page.
pub const CONTENT_LINKS_MIN: usize = 10;
/// Most links in the body of a page.
pub const CONTENT_LINKS_MAX: usize = 20;
/// Chance, in percent, that a body link points at a redirecting URL. With
/// one redirecting navigation entry out of 30 this makes about 5 % of all
/// links.
pub const CONTENT_REDIRECT_PERCENT: usize = 8;
/// Navigation position of the one redirecting navigation entry (a section
/// that moved: the most common redirect a crawler meets on every page).
const NAV_REDIRECT_POSITION: usize = 7;
/// Fewest redirecting URLs in a site, so even a tiny site has every
/// scenario.
const MIN_SOURCES: usize = 10;

/// What a redirecting URL of the site does. Sources cycle through
/// [`Scenario::CYCLE`], so every scenario is a fixed share of the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// One redirect with this status straight to a page.
    Single(u16),
    /// 301 then 302, then a page: two redirects, three hops.
    TwoHops,
    /// 301, 301, 308, then a page: three redirects, four hops.
    ThreeHops,
    /// 301 to an intermediate URL that 302s back to the source.
    Loop,
    /// 301 to a URL nginx answers with 404.
    ToNotFound,
}

impl Scenario {
    /// The scenarios in the order sources take them: 301 and 302 twice
    /// (the common ones), 307, 308, the chains, a loop, a dead end.
    pub const CYCLE: [Self; 10] = [
        Self::Single(301),
        Self::Single(302),
        Self::Single(307),
        Self::Single(308),
        Self::TwoHops,
        Self::ThreeHops,
        Self::Loop,
        Self::ToNotFound,
        Self::Single(301),
        Self::Single(302),
    ];
}

/// One redirect the server answers: `from` gets `status` with
/// `Location: to` (both absolute paths).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedirectRule {
    /// The requested path.
    pub from: String,
    /// 301, 302, 307 or 308.
    pub status: u16,
    /// The path the Location header points at.
    pub to: String,
}

/// Counts over every link of every page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkStats {
    /// Anchors and canonicals on all pages.
    pub links: usize,
    /// Those pointing at a redirecting URL.
    pub redirect_links: usize,
    /// Redirect sources linked from at least one page, by index.
    pub linked_sources: BTreeSet<usize>,
}

/// What [`Site::write`] put on disk.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Smallest page, in bytes.
    pub min_page: usize,
    /// Largest page, in bytes.
    pub max_page: usize,
}

/// One row of a `check` map: a URL and where it is expected to end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapRow {
    /// The path to check.
    pub path: String,
    /// The path the site actually sends it to (the last hop of its chain),
    /// so a correct `check` reports no mismatch.
    pub expected: String,
}

/// Where a link on a page points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Page(usize),
    Redirect(usize),
}

/// A deterministic benchmark site of `pages` pages (page 0 is `/`).
#[derive(Clone, Debug)]
pub struct Site {
    pages: usize,
    seed: u64,
    sources: usize,
    rules: Vec<RedirectRule>,
    by_from: HashMap<String, usize>,
}

impl Site {
    /// The site of `pages` pages (at least 1) with [`DEFAULT_SEED`].
    pub fn new(pages: usize) -> Self {
        Self::with_seed(pages, DEFAULT_SEED)
    }

    /// The site of `pages` pages (at least 1) generated from `seed`.
    pub fn with_seed(pages: usize, seed: u64) -> Self {
        let pages = pages.max(1);
        let sources = (pages / 10).max(MIN_SOURCES);
        let mut rules = Vec::new();
        for k in 0..sources {
            let mut rng = SplitMix64::new(seed, RULE_STREAM + k as u64);
            let page = page_path(rng.below(pages));
            let src = source_path(k);
            let mid = |n: &str| format!("{src}/{n}");
            let mut rule = |from: &str, status: u16, to: &str| {
                rules.push(RedirectRule {
                    from: from.to_owned(),
                    status,
                    to: to.to_owned(),
                });
            };
            match scenario(k) {
                Scenario::Single(status) => rule(&src, status, &page),
                Scenario::TwoHops => {
                    rule(&src, 301, &mid("a"));
                    rule(&mid("a"), 302, &page);
                }
                Scenario::ThreeHops => {
                    rule(&src, 301, &mid("a"));
                    rule(&mid("a"), 301, &mid("b"));
                    rule(&mid("b"), 308, &page);
                }
                Scenario::Loop => {
                    rule(&src, 301, &mid("a"));
                    rule(&mid("a"), 302, &src);
                }
                Scenario::ToNotFound => rule(&src, 301, &format!("/gone/{k}.html")),
            }
        }
        let by_from = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.from.clone(), i))
            .collect();
        Self {
            pages,
            seed,
            sources,
            rules,
            by_from,
        }
    }

    /// Number of pages (each answers 200 with HTML).
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// Number of redirecting URLs that start a scenario (`/r/K`).
    pub fn sources(&self) -> usize {
        self.sources
    }

    /// The redirect rules, one per redirecting URL, sources and
    /// intermediate hops alike.
    pub fn rules(&self) -> &[RedirectRule] {
        &self.rules
    }

    /// The path of page `i`: `/` for 0, `/p/I.html` otherwise.
    pub fn page_path(&self, i: usize) -> String {
        page_path(i)
    }

    /// The path of redirect source `k`: `/r/K`.
    pub fn source_path(&self, k: usize) -> String {
        source_path(k)
    }

    /// What redirect source `k` does.
    pub fn scenario(&self, k: usize) -> Scenario {
        scenario(k)
    }

    /// The paths a client requests starting from `path`, in order: `path`
    /// itself, then each Location target, up to the first path that does
    /// not redirect or the first one already requested (a loop). This is
    /// the chain the crawler must record, one `hops.csv` row per element.
    pub fn chain(&self, path: &str) -> Vec<String> {
        let mut chain = vec![path.to_owned()];
        while let Some(&rule) = self.by_from.get(chain.last().expect("never empty")) {
            let to = &self.rules[rule].to;
            if chain.contains(to) {
                break;
            }
            chain.push(to.clone());
        }
        chain
    }

    /// Whether `path` is one of the pages (as opposed to a redirecting URL
    /// or a 404).
    pub fn is_page(&self, path: &str) -> bool {
        if path == "/" {
            return true;
        }
        path.strip_prefix("/p/")
            .and_then(|rest| rest.strip_suffix(".html"))
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n > 0 && n < self.pages && page_path(n) == path)
    }

    /// Counts the links of every page (renders no HTML).
    pub fn link_stats(&self) -> LinkStats {
        let mut stats = LinkStats::default();
        for i in 0..self.pages {
            // The canonical link points at the page itself.
            stats.links += 1;
            for target in self.page_links(i) {
                stats.links += 1;
                if let Target::Redirect(k) = target {
                    stats.redirect_links += 1;
                    stats.linked_sources.insert(k);
                }
            }
        }
        stats
    }

    /// The navigation and body links of page `i`, in document order.
    fn page_links(&self, i: usize) -> Vec<Target> {
        let mut links: Vec<Target> = (0..NAV_LINKS)
            .map(|m| {
                if m == NAV_REDIRECT_POSITION {
                    Target::Redirect(0)
                } else {
                    Target::Page(m % self.pages)
                }
            })
            .collect();
        let mut rng = SplitMix64::new(self.seed, LINK_STREAM + i as u64);
        let count = rng.between(CONTENT_LINKS_MIN, CONTENT_LINKS_MAX);
        for j in 0..count {
            // The first two body links make a binary tree over the pages,
            // so every page is reachable from `/` within log2(N) clicks
            // (far below the default --max-depth of 50).
            let child = 2 * i + 1 + j;
            let target = if j < 2 && child < self.pages {
                Target::Page(child)
            } else if rng.percent(CONTENT_REDIRECT_PERCENT) {
                Target::Redirect(rng.below(self.sources))
            } else {
                Target::Page(rng.below(self.pages))
            };
            links.push(target);
        }
        links
    }

    /// The HTML of page `i`: a head with a canonical link, a 30-link
    /// navigation, paragraphs of filler text carrying 10–20 body links, a
    /// footer; between [`PAGE_MIN_BYTES`] and [`PAGE_MAX_BYTES`] long.
    pub fn page_html(&self, i: usize) -> String {
        let links = self.page_links(i);
        let (nav, body) = links.split_at(NAV_LINKS);
        let mut rng = SplitMix64::new(self.seed, TEXT_STREAM + i as u64);
        let size = rng.between(PAGE_MIN_BYTES + 800, PAGE_MAX_BYTES - 800);
        let path = page_path(i);
        let mut html = String::with_capacity(size + 1024);
        let _ = write!(
            html,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>Page {i} · Bench site</title>\n\
             <link rel=\"canonical\" href=\"{path}\">\n\
             <link rel=\"stylesheet\" href=\"/static/site.css\">\n\
             </head>\n<body>\n<header>\n<p class=\"logo\">Bench site</p>\n<nav>\n<ul>\n"
        );
        for (m, target) in nav.iter().enumerate() {
            let _ = writeln!(
                html,
                "<li><a href=\"{}\">Section {m}</a></li>",
                self.href(*target)
            );
        }
        html.push_str("</ul>\n</nav>\n</header>\n<main>\n<article>\n<h1>");
        words(&mut html, &mut rng, 6);
        html.push_str("</h1>\n");
        let footer = format!(
            "</article>\n</main>\n<footer>\n<p>Generated page {i} of {}.</p>\n</footer>\n</body>\n</html>\n",
            self.pages
        );
        let mut body = body.iter();
        loop {
            let next = body.next();
            if next.is_none() && html.len() + footer.len() >= size {
                break;
            }
            html.push_str("<p>");
            let n = rng.between(20, 50);
            words(&mut html, &mut rng, n);
            if let Some(target) = next {
                let _ = write!(html, " <a href=\"{}\">", self.href(*target));
                let n = rng.between(2, 4);
                words(&mut html, &mut rng, n);
                html.push_str("</a> ");
            }
            let n = rng.between(10, 40);
            words(&mut html, &mut rng, n);
            html.push_str(".</p>\n");
            if rng.percent(10) {
                let _ = writeln!(
                    html,
                    "<figure><img src=\"/img/{}.jpg\" alt=\"\" width=\"640\" height=\"360\"></figure>",
                    rng.below(1000)
                );
            }
        }
        html.push_str(&footer);
        html
    }

    fn href(&self, target: Target) -> String {
        match target {
            Target::Page(i) => page_path(i),
            Target::Redirect(k) => source_path(k),
        }
    }

    /// Writes every page under `root` (`index.html`, `p/I.html`) and a
    /// `robots.txt` that allows everything. Directories are made readable
    /// by everyone: nginx workers started by root run as `nobody`.
    pub fn write(&self, root: &Path) -> Result<Written, Error> {
        let pages_dir = root.join("p");
        for dir in [root, pages_dir.as_path()] {
            fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
            make_world_readable(dir)?;
        }
        let robots = root.join("robots.txt");
        let robots_txt = "User-agent: *\nAllow: /\n";
        fs::write(&robots, robots_txt).map_err(|e| Error::write(&robots, e))?;
        let mut written = Written {
            files: 1,
            bytes: robots_txt.len() as u64,
            min_page: usize::MAX,
            max_page: 0,
        };
        for i in 0..self.pages {
            let file = root.join(page_file(i));
            let html = self.page_html(i);
            fs::write(&file, &html).map_err(|e| Error::write(&file, e))?;
            written.files += 1;
            written.bytes += html.len() as u64;
            written.min_page = written.min_page.min(html.len());
            written.max_page = written.max_page.max(html.len());
        }
        Ok(written)
    }

    /// A `check` map of `rows` rows (at most one per page and source): every
    /// fifth row a redirect source (so every scenario is in it), the others
    /// pages, each with the path its chain ends at.
    pub fn check_map(&self, rows: usize) -> Vec<MapRow> {
        let rows = rows.min(self.pages + self.sources);
        let (mut next_page, mut next_source) = (0, 0);
        (0..rows)
            .map(|r| {
                let path = if (r % 5 == 0 && next_source < self.sources) || next_page >= self.pages
                {
                    next_source += 1;
                    source_path(next_source - 1)
                } else {
                    next_page += 1;
                    page_path(next_page - 1)
                };
                let expected = self.chain(&path).pop().expect("never empty");
                MapRow { path, expected }
            })
            .collect()
    }
}

/// Random streams: pages' links, pages' text and rules never share one.
const LINK_STREAM: u64 = 0;
const TEXT_STREAM: u64 = 1 << 40;
const RULE_STREAM: u64 = 2 << 40;

fn page_path(i: usize) -> String {
    if i == 0 {
        "/".to_owned()
    } else {
        format!("/p/{i}.html")
    }
}

fn page_file(i: usize) -> PathBuf {
    if i == 0 {
        PathBuf::from("index.html")
    } else {
        PathBuf::from(format!("p/{i}.html"))
    }
}

fn source_path(k: usize) -> String {
    format!("/r/{k}")
}

fn scenario(k: usize) -> Scenario {
    Scenario::CYCLE[k % Scenario::CYCLE.len()]
}

fn make_world_readable(dir: &Path) -> Result<(), Error> {
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).map_err(|e| Error::write(dir, e))
}

/// Filler vocabulary: plain lowercase words, as in body text.
const WORDS: &[&str] = &[
    "redirect",
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magna",
    "aliqua",
    "enim",
    "ad",
    "minim",
    "veniam",
    "quis",
    "nostrud",
    "exercitation",
    "ullamco",
    "laboris",
    "nisi",
    "aliquip",
    "ex",
    "ea",
    "commodo",
    "consequat",
    "duis",
    "aute",
    "irure",
    "in",
    "reprehenderit",
    "voluptate",
    "velit",
    "esse",
    "cillum",
    "fugiat",
    "nulla",
    "pariatur",
    "excepteur",
    "sint",
    "occaecat",
    "cupidatat",
    "non",
    "proident",
    "sunt",
    "culpa",
    "qui",
    "officia",
    "deserunt",
    "mollit",
    "anim",
    "id",
    "est",
    "laborum",
    "crawler",
];

fn words(out: &mut String, rng: &mut SplitMix64, n: usize) {
    for w in 0..n {
        if w > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.below(WORDS.len())]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_site() {
        let (a, b) = (Site::new(300), Site::new(300));
        assert_eq!(a.rules(), b.rules());
        assert_eq!(a.page_html(17), b.page_html(17));
        assert_ne!(
            a.page_html(17),
            Site::with_seed(300, 1).page_html(17),
            "the seed matters"
        );
    }

    #[test]
    fn pages_have_the_advertised_size_and_links() {
        let site = Site::new(500);
        for i in 0..site.pages() {
            let html = site.page_html(i);
            assert!(
                (PAGE_MIN_BYTES..=PAGE_MAX_BYTES).contains(&html.len()),
                "page {i} is {} bytes",
                html.len()
            );
            let anchors = html.matches("<a href=").count();
            assert!(
                (NAV_LINKS + CONTENT_LINKS_MIN..=NAV_LINKS + CONTENT_LINKS_MAX).contains(&anchors),
                "page {i} has {anchors} anchors"
            );
        }
    }

    #[test]
    fn about_five_percent_of_links_redirect() {
        let stats = Site::new(2000).link_stats();
        let share = stats.redirect_links as f64 / stats.links as f64;
        assert!((0.04..0.06).contains(&share), "{share}");
    }

    #[test]
    fn every_page_is_reachable_from_the_start() {
        let site = Site::new(1000);
        let mut seen = vec![false; site.pages()];
        let mut queue = vec![0];
        seen[0] = true;
        while let Some(i) = queue.pop() {
            for target in site.page_links(i) {
                if let Target::Page(j) = target
                    && !std::mem::replace(&mut seen[j], true)
                {
                    queue.push(j);
                }
            }
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn chains_follow_the_scenarios() {
        let site = Site::new(100);
        let lens: Vec<(Scenario, usize)> = (0..10)
            .map(|k| (site.scenario(k), site.chain(&site.source_path(k)).len()))
            .collect();
        for (scenario, len) in lens {
            let want = match scenario {
                Scenario::Single(_) | Scenario::Loop | Scenario::ToNotFound => 2,
                Scenario::TwoHops => 3,
                Scenario::ThreeHops => 4,
            };
            assert_eq!(len, want, "{scenario:?}");
        }
        assert_eq!(site.chain("/r/6"), ["/r/6", "/r/6/a"]);
        assert_eq!(site.chain("/r/7"), ["/r/7", "/gone/7.html"]);
        assert_eq!(site.chain("/p/3.html"), ["/p/3.html"]);
    }

    #[test]
    fn is_page_knows_the_pages() {
        let site = Site::new(10);
        assert!(site.is_page("/") && site.is_page("/p/9.html"));
        assert!(!site.is_page("/p/10.html") && !site.is_page("/p/09.html"));
        assert!(!site.is_page("/r/1") && !site.is_page("/p/0.html"));
    }

    #[test]
    fn check_map_mixes_sources_and_pages() {
        let site = Site::new(100);
        let map = site.check_map(50);
        assert_eq!(map.len(), 50);
        assert_eq!(map[0].path, "/r/0");
        assert_eq!(map[1].path, "/");
        assert_eq!(map.iter().filter(|r| r.path.starts_with("/r/")).count(), 10);
        assert_eq!(site.check_map(1_000_000).len(), 110);
    }
}
