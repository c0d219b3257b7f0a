//! Flat row structs, one per CSV file, and their construction from model
//! types, sorted. Field order is column order; text fields are neutralised
//! on the way out and restored on the way in (see [`crate::neutralize_cell`]);
//! an absent value is an empty cell.

use std::borrow::Borrow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::Hash;

use jiff::Timestamp;
use model::{
    Chain, Change, CrawlOutput, Finding, Hop, LinkKind, PageRecord, RawValue, RedirectKind,
};
use serde::{Deserialize, Serialize};

/// Separator for several values in one cell (`related`, repeated Location
/// headers).
pub(crate) const JOIN: &str = " | ";

/// The header line of a row type, kept equal to its field names by a test.
pub(crate) trait Columns {
    /// Column names, in order.
    const HEADERS: &'static [&'static str];
}

/// One row of `findings.csv`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct FindingRow {
    /// The rule's code.
    #[serde(with = "crate::neutralize::text")]
    pub rule: String,
    /// `error`, `warning` or `notice`.
    #[serde(with = "crate::neutralize::text")]
    pub severity: String,
    /// The URL concerned.
    #[serde(with = "crate::neutralize::text")]
    pub url: String,
    /// One line a person understands.
    #[serde(with = "crate::neutralize::text")]
    pub message: String,
    /// Status codes along the chain: `302 → 301 → 200`.
    #[serde(with = "crate::neutralize::text")]
    pub status_chain: String,
    /// The raw Location value, escaped.
    #[serde(with = "crate::neutralize::text")]
    pub raw_location: String,
    /// Where a browser goes with that Location.
    #[serde(with = "crate::neutralize::text")]
    pub resolved_target: String,
    /// What the author probably meant.
    #[serde(with = "crate::neutralize::text")]
    pub probable_target: String,
    /// Number of redirect hops.
    pub hops: Option<usize>,
    /// The chain's final URL.
    #[serde(with = "crate::neutralize::text")]
    pub final_url: String,
    /// When history first saw it (RFC 3339).
    #[serde(with = "crate::neutralize::text")]
    pub first_seen: String,
    /// When history last saw it before this audit (RFC 3339).
    #[serde(with = "crate::neutralize::text")]
    pub last_seen: String,
    /// Age in whole days.
    pub age_days: Option<i64>,
    /// Number of audits that saw it.
    pub audits_seen: Option<u32>,
    /// Number of pages linking to the URL.
    pub linking_pages: Option<usize>,
    /// One linking page.
    #[serde(with = "crate::neutralize::text")]
    pub sample_linking_page: String,
    /// Anything else, `key=value; key=value`.
    #[serde(with = "crate::neutralize::text")]
    pub detail: String,
    /// Related URLs joined with ` | `.
    #[serde(with = "crate::neutralize::text")]
    pub related: String,
    /// Where an age comes from: `audits`, `access-log` or
    /// `audits+access-log`.
    #[serde(with = "crate::neutralize::text")]
    pub age_source: String,
}

impl Columns for FindingRow {
    const HEADERS: &'static [&'static str] = &[
        "rule",
        "severity",
        "url",
        "message",
        "status_chain",
        "raw_location",
        "resolved_target",
        "probable_target",
        "hops",
        "final_url",
        "first_seen",
        "last_seen",
        "age_days",
        "audits_seen",
        "linking_pages",
        "sample_linking_page",
        "detail",
        "related",
        "age_source",
    ];
}

/// Findings in `findings.csv` order: the one order of findings (see
/// [`model::sort_findings`]; `Finding`'s `Ord`): most severe first, then by
/// rule, URL and message, the remaining columns breaking any tie.
pub(crate) fn findings_in_order(findings: &[Finding]) -> Vec<&Finding> {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_unstable();
    sorted
}

/// Rows of `findings.csv`, in order (see [`findings_in_order`]).
#[cfg(test)]
pub(crate) fn finding_rows(findings: &[Finding]) -> Vec<FindingRow> {
    findings_in_order(findings)
        .into_iter()
        .map(finding_row)
        .collect()
}

/// The `findings.csv` row of one finding.
pub(crate) fn finding_row(f: &Finding) -> FindingRow {
    let e = &f.evidence;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    FindingRow {
        rule: f.rule.clone(),
        severity: f.severity.as_str().to_owned(),
        url: f.url.clone(),
        message: f.message.clone(),
        status_chain: text(&e.status_chain),
        raw_location: text(&e.raw_location),
        resolved_target: text(&e.resolved_target),
        probable_target: text(&e.probable_target),
        hops: e.hops,
        final_url: text(&e.final_url),
        first_seen: text(&e.first_seen),
        last_seen: text(&e.last_seen),
        age_days: e.age_days,
        audits_seen: e.audits_seen,
        linking_pages: e.linking_pages,
        sample_linking_page: text(&e.sample_linking_page),
        detail: text(&e.detail),
        related: f.related.join(JOIN),
        age_source: text(&e.age_source),
    }
}

/// What the report cannot work out about a redirecting URL by itself: the
/// classification lives in analysis, the dates in history. The caller
/// supplies one per chain start URL; a URL without one gets empty cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedirectExtras {
    /// Redirect classes (`http-to-https; add-trailing-slash` …), as the
    /// classifier names them.
    pub classes: String,
    /// When history first saw this URL redirect.
    pub first_seen: Option<Timestamp>,
    /// When history last saw it redirect (this audit included).
    pub last_seen: Option<Timestamp>,
    /// It answered 3xx in the access logs within `--log-days`.
    pub found_in_logs: bool,
    /// Googlebot figures from the access logs; `None` when history holds
    /// no log evidence for the site (empty cells).
    pub googlebot: Option<GooglebotCells>,
}

/// The Googlebot columns of one `redirects.csv` row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GooglebotCells {
    /// Verified Googlebot requests to the URL within `--log-days`.
    pub requests: u64,
    /// The latest verified Googlebot request to the URL.
    pub last_seen: Option<Timestamp>,
    /// Verified Googlebot requests to the chain's final URL within
    /// `--log-days`.
    pub target_requests: u64,
    /// Requests whose User-Agent says Googlebot from outside Google's
    /// ranges, within `--log-days`.
    pub unverified_requests: u64,
}

/// One row of `redirects.csv`: one redirecting URL and its whole chain.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RedirectRow {
    /// The redirecting URL (the chain's start).
    #[serde(with = "crate::neutralize::text")]
    pub url: String,
    /// Its status.
    pub first_status: Option<u16>,
    /// Number of redirect responses in the chain (at least this many when
    /// it was not followed to the end).
    pub hops: usize,
    /// Status codes in order: `302 → 301 → 200`.
    #[serde(with = "crate::neutralize::text")]
    pub chain: String,
    /// The last hop's URL; empty when the chain was not followed to the
    /// end ([`model::ChainEnd::followed_to_end`]).
    #[serde(with = "crate::neutralize::text")]
    pub final_url: String,
    /// The last hop's status (empty when it failed, or when the chain was
    /// not followed to the end).
    pub final_status: Option<u16>,
    /// Why the chain ends there: `final`, `failed`, `loop`, `no-target`, or
    /// not followed to the end: `too-many-hops`, `not-followed`.
    #[serde(with = "crate::neutralize::text")]
    pub end: String,
    /// `permanent`, `temporary`, `other` when every redirect hop is of that
    /// kind, `mixed` otherwise.
    #[serde(with = "crate::neutralize::text")]
    pub redirect_kind: String,
    /// Classes from the caller ([`RedirectExtras::classes`]).
    #[serde(with = "crate::neutralize::text")]
    pub classes: String,
    /// Distinct pages with an `<a href>` to the URL.
    pub inlinks: usize,
    /// Whether a sitemap lists the URL.
    pub in_sitemap: bool,
    /// When history first saw it redirect (RFC 3339).
    #[serde(with = "crate::neutralize::text")]
    pub first_seen: String,
    /// When history last saw it redirect (RFC 3339).
    #[serde(with = "crate::neutralize::text")]
    pub last_seen: String,
    /// It answered 3xx in the access logs within `--log-days`.
    pub found_in_logs: bool,
    /// Verified Googlebot requests to the URL within `--log-days`; empty
    /// without log evidence.
    pub googlebot_requests: Option<u64>,
    /// The latest verified Googlebot request to the URL (RFC 3339 date).
    #[serde(with = "crate::neutralize::text")]
    pub googlebot_last_seen: String,
    /// Verified Googlebot requests to the final URL within `--log-days`.
    pub target_googlebot_requests: Option<u64>,
    /// "Googlebot" User-Agents from outside Google's ranges, within
    /// `--log-days`.
    pub unverified_googlebot_requests: Option<u64>,
}

impl Columns for RedirectRow {
    const HEADERS: &'static [&'static str] = &[
        "url",
        "first_status",
        "hops",
        "chain",
        "final_url",
        "final_status",
        "end",
        "redirect_kind",
        "classes",
        "inlinks",
        "in_sitemap",
        "first_seen",
        "last_seen",
        "found_in_logs",
        "googlebot_requests",
        "googlebot_last_seen",
        "target_googlebot_requests",
        "unverified_googlebot_requests",
    ];
}

/// `permanent`, `temporary` or `other` when all redirect hops agree,
/// `mixed` when they do not, empty without redirects.
fn redirect_kind(chain: &Chain) -> &'static str {
    let mut kinds = chain
        .hops
        .iter()
        .filter_map(|h| h.status.and_then(RedirectKind::of_status));
    let Some(first) = kinds.next() else {
        return "";
    };
    if kinds.all(|k| k == first) {
        first.as_str()
    } else {
        "mixed"
    }
}

/// Chains by start URL: the order of `redirects.csv` and `hops.csv`.
fn chains_in_order(crawl: &CrawlOutput) -> Vec<&Chain> {
    let mut chains: Vec<&Chain> = crawl.chains.iter().collect();
    chains.sort_by(|a, b| a.start.cmp(&b.start));
    chains
}

/// Rows of `redirects.csv`, sorted by URL.
#[cfg(test)]
pub(crate) fn redirect_rows(
    crawl: &CrawlOutput,
    extras: &HashMap<String, RedirectExtras>,
) -> Vec<RedirectRow> {
    let mut rows = Vec::new();
    let collected: Result<(), std::convert::Infallible> =
        for_each_redirect_row(crawl, extras, |row| {
            rows.push(row);
            Ok(())
        });
    match collected {
        Ok(()) => rows,
    }
}

/// Makes the rows of `redirects.csv` one at a time, sorted by URL.
pub(crate) fn for_each_redirect_row<E, K: Borrow<str> + Eq + Hash>(
    crawl: &CrawlOutput,
    extras: &HashMap<K, RedirectExtras>,
    mut emit: impl FnMut(RedirectRow) -> Result<(), E>,
) -> Result<(), E> {
    let mut anchors_to: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut sitemap_listed: BTreeSet<&str> = BTreeSet::new();
    for link in &crawl.links {
        match link.kind {
            LinkKind::Anchor => {
                anchors_to.entry(&link.to).or_default().insert(&link.from);
            }
            LinkKind::Sitemap => {
                sitemap_listed.insert(&link.to);
            }
            _ => {}
        }
    }
    let starts: HashSet<&str> = crawl.chains.iter().map(|c| c.start.as_str()).collect();
    let mut page_in_sitemap: HashSet<String> = HashSet::new();
    crawl.pages.for_each(|p| {
        if p.in_sitemap && starts.contains(p.url.as_str()) {
            page_in_sitemap.insert(p.url.clone());
        }
        true
    });
    let none = RedirectExtras::default();
    let timestamp = |t: Option<Timestamp>| t.map(|t| t.to_string()).unwrap_or_default();

    for chain in chains_in_order(crawl) {
        if chain.hops.is_empty() {
            continue;
        }
        let url = chain.start.as_str();
        let extra = extras.get(url).unwrap_or(&none);
        // A chain cut by the audit's own limits has no known final answer:
        // its last hop is a redirect not followed (issue 13).
        let last = chain.end.followed_to_end().then(|| chain.last());
        emit(RedirectRow {
            url: url.to_owned(),
            first_status: chain.hops[0].status,
            hops: chain.redirect_count(),
            chain: chain.status_path(),
            final_url: last.map(|h| h.url.clone()).unwrap_or_default(),
            final_status: last.and_then(|h| h.status),
            end: chain.end.as_str().to_owned(),
            redirect_kind: redirect_kind(chain).to_owned(),
            classes: extra.classes.clone(),
            inlinks: crawl.referrer_count(
                LinkKind::Anchor,
                url,
                anchors_to.get(url).map_or(0, BTreeSet::len),
            ),
            in_sitemap: sitemap_listed.contains(url) || page_in_sitemap.contains(url),
            first_seen: timestamp(extra.first_seen),
            last_seen: timestamp(extra.last_seen),
            found_in_logs: extra.found_in_logs,
            googlebot_requests: extra.googlebot.map(|g| g.requests),
            googlebot_last_seen: extra
                .googlebot
                .and_then(|g| g.last_seen)
                .map(|t| t.strftime("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            target_googlebot_requests: extra.googlebot.map(|g| g.target_requests),
            unverified_googlebot_requests: extra.googlebot.map(|g| g.unverified_requests),
        })?;
    }
    Ok(())
}

/// One row of `hops.csv`: one hop of one chain, the raw evidence.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct HopRow {
    /// The URL the chain starts at.
    #[serde(with = "crate::neutralize::text")]
    pub chain_start: String,
    /// The hop's index in its chain, from 0.
    pub hop: usize,
    /// The URL requested.
    #[serde(with = "crate::neutralize::text")]
    pub url: String,
    /// The status (empty when no response came).
    pub status: Option<u16>,
    /// The raw Location header, escaped ([`model::RawValue::escaped`]).
    /// Several headers are joined with ` | `, each with its own `|`
    /// characters written as `\x7C` so the join can be split again (see
    /// [`HopRow::locations`]).
    #[serde(with = "crate::neutralize::text")]
    pub location: String,
    /// Number of Location headers (0: none; 1 with an empty `location`: an
    /// empty header).
    pub location_count: usize,
    /// The resolved target of the first Location.
    #[serde(with = "crate::neutralize::text")]
    pub target: String,
    /// The hop's redirect class, as the caller's classifier names it.
    #[serde(with = "crate::neutralize::text")]
    pub class: String,
    /// Milliseconds from request to end of body (or error).
    pub elapsed_ms: u64,
    /// The fetch error's class (`timeout`, `connect` …).
    #[serde(with = "crate::neutralize::text")]
    pub error_kind: String,
    /// The fetch error's message.
    #[serde(with = "crate::neutralize::text")]
    pub error: String,
    /// The `Refresh` header, escaped.
    #[serde(with = "crate::neutralize::text")]
    pub refresh: String,
    /// The `Cache-Control` header.
    #[serde(with = "crate::neutralize::text")]
    pub cache_control: String,
    /// The `Expires` header.
    #[serde(with = "crate::neutralize::text")]
    pub expires: String,
    /// The `Content-Type` header.
    #[serde(with = "crate::neutralize::text")]
    pub content_type: String,
    /// Attempts the response took (retries included).
    pub attempts: u32,
}

impl Columns for HopRow {
    const HEADERS: &'static [&'static str] = &[
        "chain_start",
        "hop",
        "url",
        "status",
        "location",
        "location_count",
        "target",
        "class",
        "elapsed_ms",
        "error_kind",
        "error",
        "refresh",
        "cache_control",
        "expires",
        "content_type",
        "attempts",
    ];
}

impl HopRow {
    /// The escaped Location values, one per header, each exactly as
    /// [`model::RawValue::escaped`] gives it.
    pub fn locations(&self) -> Vec<String> {
        match self.location_count {
            0 => Vec::new(),
            1 => vec![self.location.clone()],
            _ => self.location.split(JOIN).map(unescape_pipe).collect(),
        }
    }
}

/// The `location` cell: the escaped value, or several joined with ` | `
/// with their own `|` escaped as `\x7C`. The escaped form writes a literal
/// backslash as `\\`, so `\x7C` cannot be mistaken for text.
fn location_cell(locations: &[RawValue]) -> String {
    match locations {
        [] => String::new(),
        [one] => one.escaped(),
        many => many
            .iter()
            .map(|l| l.escaped().replace('|', "\\x7C"))
            .collect::<Vec<_>>()
            .join(JOIN),
    }
}

/// Turns `\x7C` back into `|`, leaving `\\` pairs alone.
fn unescape_pipe(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    let mut rest = part;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("\\x7C") {
            out.push('|');
            rest = after;
        } else {
            // Keep the backslash and the character it escapes together.
            let len = tail[1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&tail[..1 + len]);
            rest = &tail[1 + len..];
        }
    }
    out.push_str(rest);
    out
}

fn hop_row(chain_start: &str, index: usize, hop: &Hop, class: &str) -> HopRow {
    HopRow {
        chain_start: chain_start.to_owned(),
        hop: index,
        url: hop.url.clone(),
        status: hop.status,
        location: location_cell(&hop.locations),
        location_count: hop.locations.len(),
        target: hop.target.clone().unwrap_or_default(),
        class: class.to_owned(),
        elapsed_ms: hop.elapsed_ms,
        error_kind: hop
            .error
            .as_ref()
            .map(|e| e.kind.as_str().to_owned())
            .unwrap_or_default(),
        error: hop
            .error
            .as_ref()
            .map(|e| e.message.clone())
            .unwrap_or_default(),
        refresh: hop
            .refresh
            .as_ref()
            .map(RawValue::escaped)
            .unwrap_or_default(),
        cache_control: hop.cache_control.clone().unwrap_or_default(),
        expires: hop.expires.clone().unwrap_or_default(),
        content_type: hop.content_type.clone().unwrap_or_default(),
        attempts: hop.attempts,
    }
}

/// Rows of `hops.csv`, sorted by chain start then hop index. `classes` maps
/// a hop's URL to its class (every URL is fetched once, so its response, and
/// the class computed from it, is the same in every chain).
#[cfg(test)]
pub(crate) fn hop_rows(crawl: &CrawlOutput, classes: &HashMap<String, String>) -> Vec<HopRow> {
    hop_rows_in_order(crawl, classes).collect()
}

/// The rows of `hops.csv` one at a time, in order.
pub(crate) fn hop_rows_in_order<'a, K: Borrow<str> + Eq + Hash>(
    crawl: &'a CrawlOutput,
    classes: &'a HashMap<K, String>,
) -> impl Iterator<Item = HopRow> + 'a {
    chains_in_order(crawl).into_iter().flat_map(move |chain| {
        chain.hops.iter().enumerate().map(move |(i, hop)| {
            let class = classes.get(hop.url.as_str()).map_or("", String::as_str);
            hop_row(&chain.start, i, hop, class)
        })
    })
}

/// One row of `pages.csv`: one URL fetched (or deliberately not fetched).
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PageRow {
    /// The normalised URL.
    #[serde(with = "crate::neutralize::text")]
    pub url: String,
    /// The status (empty when no response came).
    pub status: Option<u16>,
    /// The `Content-Type` header.
    #[serde(with = "crate::neutralize::text")]
    pub content_type: String,
    /// Link depth from the start URL.
    pub depth: u32,
    /// How it entered the crawl: `seed`, `link`, `sitemap`, `redirect`.
    #[serde(with = "crate::neutralize::text")]
    pub discovery: String,
    /// The page, sitemap or redirecting URL it was first found on.
    #[serde(with = "crate::neutralize::text")]
    pub found_on: String,
    /// Whether it is inside the audited scope.
    pub in_scope: bool,
    /// Whether a sitemap lists it.
    pub in_sitemap: bool,
    /// Milliseconds from request to end of body (or error).
    pub elapsed_ms: u64,
    /// The fetch error's class (`timeout`, `blocked-by-robots` …).
    #[serde(with = "crate::neutralize::text")]
    pub error_kind: String,
    /// The fetch error's message.
    #[serde(with = "crate::neutralize::text")]
    pub error: String,
    /// The URL as first found, before normalisation.
    #[serde(with = "crate::neutralize::text")]
    pub found_as: String,
}

impl Columns for PageRow {
    const HEADERS: &'static [&'static str] = &[
        "url",
        "status",
        "content_type",
        "depth",
        "discovery",
        "found_on",
        "in_scope",
        "in_sitemap",
        "elapsed_ms",
        "error_kind",
        "error",
        "found_as",
    ];
}

/// Rows of `pages.csv`, sorted by URL.
#[cfg(test)]
pub(crate) fn page_rows(crawl: &CrawlOutput) -> Vec<PageRow> {
    let mut rows = Vec::new();
    crawl.pages.for_each_sorted(|p| {
        rows.push(page_row(&p));
        true
    });
    rows
}

/// The `pages.csv` row of one record.
pub(crate) fn page_row(p: &PageRecord) -> PageRow {
    let r = &p.response;
    PageRow {
        url: p.url.clone(),
        status: r.status,
        content_type: r.content_type.clone().unwrap_or_default(),
        depth: p.depth,
        discovery: p.discovery.as_str().to_owned(),
        found_on: p.found_on.clone().unwrap_or_default(),
        in_scope: p.in_scope,
        in_sitemap: p.in_sitemap,
        elapsed_ms: r.elapsed_ms,
        error_kind: r
            .error
            .as_ref()
            .map(|e| e.kind.as_str().to_owned())
            .unwrap_or_default(),
        error: r
            .error
            .as_ref()
            .map(|e| e.message.clone())
            .unwrap_or_default(),
        found_as: p.found_as.clone(),
    }
}

/// One row of `changes.csv`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChangeRow {
    /// The source URL.
    #[serde(with = "crate::neutralize::text")]
    pub url: String,
    /// What changed (`new-redirect`, `made-permanent` …).
    #[serde(with = "crate::neutralize::text")]
    pub change: String,
    /// The value before.
    #[serde(with = "crate::neutralize::text")]
    pub before: String,
    /// The value now.
    #[serde(with = "crate::neutralize::text")]
    pub after: String,
}

impl Columns for ChangeRow {
    const HEADERS: &'static [&'static str] = &["url", "change", "before", "after"];
}

/// Rows of `changes.csv`, sorted by URL, change, before, after.
pub(crate) fn change_rows(changes: &[Change]) -> Vec<ChangeRow> {
    let mut rows: Vec<ChangeRow> = changes
        .iter()
        .map(|c| ChangeRow {
            url: c.url.clone(),
            change: c.kind.as_str().to_owned(),
            before: c.before.clone(),
            after: c.after.clone(),
        })
        .collect();
    rows.sort_unstable();
    rows
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;

    use super::*;

    /// `findings_in_order` compares findings field by field rather than
    /// building every row; it must give the order of the rows themselves
    /// (most severe first, then the columns left to right).
    #[test]
    fn findings_in_order_is_the_order_of_their_rows() {
        let mut findings = crate::test_data::findings();
        // Ties on rule, URL and message, broken only by later columns.
        let mut twin = findings[0].clone();
        twin.evidence.detail = Some("a".to_owned());
        findings.push(twin.clone());
        twin.evidence.detail = Some("b".to_owned());
        findings.insert(0, twin);
        findings.reverse();
        let rows = finding_rows(&findings);
        let mut expected: Vec<(Reverse<model::Severity>, FindingRow)> = findings
            .iter()
            .map(|f| (Reverse(f.severity), finding_row(f)))
            .collect();
        expected.sort();
        let expected: Vec<FindingRow> = expected.into_iter().map(|(_, row)| row).collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn a_chain_not_followed_to_the_end_has_no_final_url() {
        // Issue 13: a chain cut by the audit's own limits shows as such,
        // never with a redirect as its "final" answer.
        let extras: HashMap<String, RedirectExtras> = HashMap::new();
        for (end, name) in [
            (model::ChainEnd::NotFollowed, "not-followed"),
            (model::ChainEnd::TooManyHops, "too-many-hops"),
        ] {
            let mut crawl = crate::test_data::crawl();
            let chain = crawl.chains.iter_mut().find(|c| c.hops.len() == 3).unwrap();
            chain.hops.pop();
            chain.end = end;
            let start = chain.start.clone();
            let rows = redirect_rows(&crawl, &extras);
            let row = rows.iter().find(|r| r.url == start).unwrap();
            assert_eq!(row.end, name);
            assert_eq!((row.hops, row.chain.as_str()), (2, "302 → 301"));
            assert_eq!((row.final_url.as_str(), row.final_status), ("", None));
        }
    }

    #[test]
    fn several_locations_split_back_exactly() {
        let raw = [
            RawValue::from("/a|b"),
            RawValue::new(b"\\x7C | \xff".to_vec()),
            RawValue::from(""),
        ];
        let row = HopRow {
            location: location_cell(&raw),
            location_count: raw.len(),
            ..HopRow::default()
        };
        let expected: Vec<String> = raw.iter().map(RawValue::escaped).collect();
        assert_eq!(row.locations(), expected);
    }

    #[test]
    fn one_location_is_the_escaped_value_unchanged() {
        let raw = [RawValue::from("/a|b\u{1b}")];
        assert_eq!(location_cell(&raw), "/a|b\\x1B");
    }
}
