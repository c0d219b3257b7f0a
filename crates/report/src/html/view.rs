//! The page's view model: plain strings and numbers, every text from the
//! audited site already passed through [`shown`] or [`UrlText`], ordered
//! and capped. The template only lays it out.

use std::collections::BTreeMap;

use jiff::Timestamp;
use model::{AuditEnd, Chain, Finding, Hop, Severity};

use super::charts::{self, Series};
use super::collect::{HtmlFindings, RuleFindings};
use super::csp;
use super::text::{UrlText, shown};
use super::{HtmlInput, RuleText};
use crate::SeverityCounts;

/// The age buckets of the temporary-redirect histogram, in days: a
/// redirect `d` days old falls in the first bucket whose upper bound is
/// above `d`.
pub(crate) const AGE_BUCKETS: [(&str, i64); 5] = [
    ("0–7 days", 7),
    ("7–30 days", 30),
    ("30–90 days", 90),
    ("90–365 days", 365),
    ("> 365 days", i64::MAX),
];

/// The evidence source of an age nobody saw before this audit: this
/// audit's ([`model::AGE_FROM_AUDITS`]).
const DEFAULT_AGE_SOURCE: &str = model::AGE_FROM_AUDITS;

/// The whole page.
pub(crate) struct Page {
    pub title: String,
    pub csp: String,
    pub css: &'static str,
    pub js: &'static str,
    pub verdict: Verdict,
    pub charts: Vec<Chart>,
    pub chains: Vec<ChainView>,
    pub chains_total: usize,
    pub rules: Vec<RuleView>,
    pub changes: Vec<ChangeView>,
    pub changes_total: usize,
    pub changes_since: Option<String>,
}

/// The top of the page.
pub(crate) struct Verdict {
    pub start_url: UrlText,
    /// `completed`, `truncated` or `interrupted`.
    pub status: &'static str,
    /// What cut a truncated audit short.
    pub limits: String,
    pub counts: SeverityCounts,
    pub total: usize,
    /// `(since, new, fixed)`.
    pub comparison: Option<(String, usize, usize)>,
    pub facts: Vec<(&'static str, String)>,
    pub started_at: String,
    pub finished_at: String,
    pub elapsed: String,
    pub tool_version: String,
    pub settings: String,
}

/// One chart: its SVG and the same numbers as a table.
pub(crate) struct Chart {
    pub id: &'static str,
    pub title: String,
    pub svg: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One chain, drawn hop by hop.
pub(crate) struct ChainView {
    pub start: UrlText,
    pub redirects: usize,
    pub hops: Vec<HopView>,
    /// How it ends: `final`, `loop` …
    pub end: &'static str,
    /// The last hop's status, when the chain was followed to its end.
    pub final_status: String,
}

/// One hop box.
pub(crate) struct HopView {
    pub url: UrlText,
    pub status: String,
    /// The raw Location values, escaped as in `hops.csv`.
    pub locations: Vec<String>,
    pub class: String,
    pub error: String,
    /// Set when the Location is malformed: where a browser goes, and what
    /// was probably meant.
    pub malformed: Option<(UrlText, UrlText)>,
}

/// One rule's findings.
pub(crate) struct RuleView {
    pub code: String,
    pub severity: &'static str,
    pub counts: SeverityCounts,
    pub total: usize,
    pub why: String,
    pub fix: String,
    pub rows: Vec<FindingView>,
}

impl RuleView {
    /// Findings counted but not shown (in `findings.csv`).
    pub fn hidden(&self) -> usize {
        self.total - self.rows.len()
    }
}

/// One finding row.
pub(crate) struct FindingView {
    pub severity: &'static str,
    pub url: UrlText,
    pub message: String,
    pub evidence: Vec<(&'static str, String)>,
    pub linking_pages: String,
    pub sample_linking_page: Option<UrlText>,
}

/// One change.
pub(crate) struct ChangeView {
    pub url: UrlText,
    pub change: &'static str,
    pub before: String,
    pub after: String,
}

fn date(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

fn seconds(ms: u64) -> String {
    format!("{:.1} s", ms as f64 / 1000.0)
}

pub(crate) fn page(input: &HtmlInput<'_>, findings: &HtmlFindings) -> Page {
    let rules = rule_views(input, findings);
    let (chains, chains_total) = chain_views(input, findings);
    Page {
        title: format!("Redirect audit of {}", shown(&input.summary.start_url)),
        csp: csp::policy(),
        css: csp::CSS,
        js: csp::JS,
        verdict: verdict(input),
        charts: charts_of(input, findings, &rules),
        chains,
        chains_total,
        rules,
        changes: change_views(input),
        changes_total: input.changes.len(),
        changes_since: input.previous_audit.map(date),
    }
}

fn verdict(input: &HtmlInput<'_>) -> Verdict {
    let s = input.summary;
    let c = &s.counts;
    let limits = match &s.end {
        AuditEnd::Truncated { limits } => limits
            .iter()
            .map(|l| l.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    };
    Verdict {
        start_url: UrlText::new(&s.start_url),
        status: s.end.as_str(),
        limits,
        counts: c.findings_by_severity,
        total: c.findings,
        comparison: input
            .comparison
            .map(|cmp| (date(cmp.previous_started_at), cmp.new, cmp.fixed)),
        facts: vec![
            ("URLs", c.pages.to_string()),
            ("redirecting URLs", c.redirects.to_string()),
            ("chains (2+ redirects)", c.chains.to_string()),
            ("hops", c.hops.to_string()),
            ("fetch errors", c.fetch_errors.to_string()),
            ("changes", c.changes.to_string()),
            ("requests", c.requests.to_string()),
        ],
        started_at: date(s.started_at),
        finished_at: date(s.finished_at),
        elapsed: seconds(s.elapsed_ms),
        tool_version: s.tool_version.clone(),
        settings: shown_lines(&serde_json::to_string_pretty(&s.settings).unwrap_or_default()),
    }
}

/// [`shown`] line by line: the settings' JSON keeps its newlines.
fn shown_lines(text: &str) -> String {
    text.lines().map(shown).collect::<Vec<_>>().join("\n")
}

/// Rules worst first, then by count, then by code.
fn rule_views(input: &HtmlInput<'_>, findings: &HtmlFindings) -> Vec<RuleView> {
    let mut rules: Vec<(&String, &RuleFindings)> = findings.rules.iter().collect();
    rules.sort_by(|(a_code, a), (b_code, b)| {
        b.worst()
            .cmp(&a.worst())
            .then(b.total().cmp(&a.total()))
            .then(a_code.cmp(b_code))
    });
    rules
        .into_iter()
        .map(|(code, rule)| {
            let text = input.rules.iter().find(|t| &t.code == code);
            RuleView {
                code: code.clone(),
                severity: rule.worst().as_str(),
                counts: rule.counts,
                total: rule.total(),
                why: text.map(|t: &RuleText| t.why.clone()).unwrap_or_default(),
                fix: text.map(|t| t.fix.clone()).unwrap_or_default(),
                rows: rule.rows.iter().map(finding_view).collect(),
            }
        })
        .collect()
}

fn finding_view(f: &Finding) -> FindingView {
    let e = &f.evidence;
    let mut evidence: Vec<(&'static str, String)> = Vec::new();
    let text = |evidence: &mut Vec<_>, name: &'static str, value: &Option<String>| {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            evidence.push((name, shown(v)));
        }
    };
    text(&mut evidence, "status_chain", &e.status_chain);
    // Already escaped (RawValue::escaped), exactly as in the CSVs.
    if let Some(raw) = e.raw_location.as_deref() {
        evidence.push(("raw_location", raw.to_owned()));
    }
    text(&mut evidence, "resolved_target", &e.resolved_target);
    text(&mut evidence, "probable_target", &e.probable_target);
    text(&mut evidence, "final_url", &e.final_url);
    text(&mut evidence, "first_seen", &e.first_seen);
    text(&mut evidence, "last_seen", &e.last_seen);
    text(&mut evidence, "detail", &e.detail);
    if let Some(h) = e.hops {
        evidence.push(("hops", h.to_string()));
    }
    if let Some(d) = e.age_days {
        evidence.push(("age_days", d.to_string()));
    }
    if let Some(a) = e.audits_seen {
        evidence.push(("audits_seen", a.to_string()));
    }
    FindingView {
        severity: f.severity.as_str(),
        url: UrlText::new(&f.url),
        message: shown(&f.message),
        evidence,
        linking_pages: e.linking_pages.map(|n| n.to_string()).unwrap_or_default(),
        sample_linking_page: e.sample_linking_page.as_deref().map(UrlText::new),
    }
}

/// Chains to fix first (malformed hops, then the longest, then by URL), up
/// to the limit, and how many chains redirect in all.
fn chain_views(input: &HtmlInput<'_>, findings: &HtmlFindings) -> (Vec<ChainView>, usize) {
    let malformed = |c: &Chain| {
        c.hops
            .iter()
            .filter(|h| findings.malformed.contains_key(&h.url))
            .count()
    };
    let mut chains: Vec<(usize, &Chain)> = input
        .crawl
        .chains
        .iter()
        .filter(|c| c.redirect_count() > 0)
        .map(|c| (malformed(c), c))
        .collect();
    chains.sort_by(|(am, a), (bm, b)| {
        bm.cmp(am)
            .then(b.redirect_count().cmp(&a.redirect_count()))
            .then(a.start.cmp(&b.start))
    });
    let total = chains.len();
    let views = chains
        .into_iter()
        .take(input.limits.chains)
        .map(|(_, chain)| ChainView {
            start: UrlText::new(&chain.start),
            redirects: chain.redirect_count(),
            hops: chain
                .hops
                .iter()
                .map(|h| hop_view(input, findings, h))
                .collect(),
            end: chain.end.as_str(),
            final_status: if chain.end.followed_to_end() {
                chain
                    .last()
                    .status
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            } else {
                String::new()
            },
        })
        .collect();
    (views, total)
}

fn hop_view(input: &HtmlInput<'_>, findings: &HtmlFindings, hop: &Hop) -> HopView {
    HopView {
        url: UrlText::new(&hop.url),
        status: hop
            .status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "—".to_owned()),
        locations: hop.locations.iter().map(model::RawValue::escaped).collect(),
        class: input
            .hop_classes
            .get(hop.url.as_str())
            .map(|c| shown(c))
            .unwrap_or_default(),
        error: hop
            .error
            .as_ref()
            .map(|e| format!("{}: {}", e.kind.as_str(), shown(&e.message)))
            .unwrap_or_default(),
        malformed: findings
            .malformed
            .get(&hop.url)
            .map(|m| (UrlText::new(&m.resolved), UrlText::new(&m.probable))),
    }
}

fn change_views(input: &HtmlInput<'_>) -> Vec<ChangeView> {
    let mut changes: Vec<&model::Change> = input.changes.iter().collect();
    changes.sort_by(|a, b| {
        (&a.url, a.kind.as_str(), &a.before, &a.after).cmp(&(
            &b.url,
            b.kind.as_str(),
            &b.before,
            &b.after,
        ))
    });
    changes
        .into_iter()
        .take(input.limits.changes)
        .map(|c| ChangeView {
            url: UrlText::new(&c.url),
            change: c.kind.as_str(),
            before: shown(&c.before),
            after: shown(&c.after),
        })
        .collect()
}

fn table(categories: &[String], series: &[Series]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut headers = vec![String::new()];
    headers.extend(series.iter().map(|s| s.name.clone()));
    let rows = categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut row = vec![c.clone()];
            row.extend(series.iter().map(|s| s.values[i].to_string()));
            row
        })
        .collect();
    (headers, rows)
}

fn chart(
    id: &'static str,
    title: String,
    svg: String,
    categories: &[String],
    series: &[Series],
) -> Chart {
    let (headers, rows) = table(categories, series);
    Chart {
        id,
        title,
        svg,
        headers,
        rows,
    }
}

fn severity_series(values: impl Fn(Severity) -> Vec<u64>) -> Vec<Series> {
    [
        (Severity::Error, charts::ERROR),
        (Severity::Warning, charts::WARNING),
        (Severity::Notice, charts::NOTICE),
    ]
    .into_iter()
    .map(|(s, color)| Series {
        name: s.as_str().to_owned(),
        color,
        values: values(s),
    })
    .collect()
}

fn count(counts: &SeverityCounts, s: Severity) -> u64 {
    u64::try_from(counts.get(s)).unwrap_or(u64::MAX)
}

fn charts_of(input: &HtmlInput<'_>, findings: &HtmlFindings, rules: &[RuleView]) -> Vec<Chart> {
    let mut out = Vec::new();
    if !rules.is_empty() {
        let categories: Vec<String> = rules.iter().map(|r| r.code.clone()).collect();
        let series = severity_series(|s| rules.iter().map(|r| count(&r.counts, s)).collect());
        out.push(chart(
            "findings-by-rule",
            "Findings by rule and severity".to_owned(),
            charts::stacked_bars(&categories, &series),
            &categories,
            &series,
        ));
    }
    out.push(age_chart(input, findings));
    out.push(chain_length_chart(input));
    if !input.over_time.is_empty() {
        let mut points: Vec<(Timestamp, SeverityCounts)> = input
            .over_time
            .iter()
            .map(|p| (p.started_at, p.findings))
            .collect();
        points.push((
            input.summary.started_at,
            input.summary.counts.findings_by_severity,
        ));
        let labels: Vec<String> = points
            .iter()
            .map(|(t, _)| t.strftime("%Y-%m-%d").to_string())
            .collect();
        let series = severity_series(|s| points.iter().map(|(_, c)| count(c, s)).collect());
        out.push(chart(
            "findings-over-time",
            format!("Findings over the last {} audits", points.len()),
            charts::lines(&labels, &series),
            &labels,
            &series,
        ));
    }
    out
}

/// Ages of the temporary redirects, by bucket and evidence source: each
/// redirecting URL once, however many temporary-redirect rules it has
/// findings of (a finding's own age wins over the one handed in).
fn age_chart(input: &HtmlInput<'_>, findings: &HtmlFindings) -> Chart {
    let mut by_url: BTreeMap<&str, (i64, &str)> = BTreeMap::new();
    for t in &findings.temporary {
        let handed_in = input.temporary_ages.get(t.url.as_str());
        // A redirect history has not seen before is as old as this audit.
        let days = t.age_days.or(handed_in.map(|a| a.days)).unwrap_or(0);
        let source = t
            .source
            .as_deref()
            .or(handed_in.map(|a| a.source))
            .unwrap_or(DEFAULT_AGE_SOURCE);
        let entry = by_url.entry(t.url.as_str()).or_insert((days, source));
        if t.age_days.is_some() {
            *entry = (days, source);
        }
    }
    let mut sources: Vec<&str> = by_url.values().map(|(_, source)| *source).collect();
    // Audits first, then the logs (model::AGE_SOURCES), anything else last.
    sources.sort_unstable_by_key(|s| {
        (
            model::AGE_SOURCES
                .iter()
                .position(|known| known == s)
                .unwrap_or(usize::MAX),
            *s,
        )
    });
    sources.dedup();
    if sources.is_empty() {
        sources.push(DEFAULT_AGE_SOURCE);
    }
    let mut series: Vec<Series> = sources
        .iter()
        .enumerate()
        .map(|(i, name)| Series {
            name: (*name).to_owned(),
            color: charts::PALETTE[i % charts::PALETTE.len()],
            values: vec![0; AGE_BUCKETS.len()],
        })
        .collect();
    for (days, source) in by_url.values() {
        let bucket = AGE_BUCKETS
            .iter()
            .position(|(_, upper)| days < upper)
            .unwrap_or(0);
        if let Some(s) = series.iter_mut().find(|s| s.name == *source) {
            s.values[bucket] += 1;
        }
    }
    let categories: Vec<String> = AGE_BUCKETS
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    chart(
        "temporary-ages",
        format!("Age of temporary redirects ({})", by_url.len()),
        charts::grouped_bars(&categories, &series, "temporary redirects"),
        &categories,
        &series,
    )
}

/// Redirecting URLs by the number of redirects they take to settle.
fn chain_length_chart(input: &HtmlInput<'_>) -> Chart {
    const LENGTHS: [(&str, usize); 6] = [
        ("1", 2),
        ("2", 3),
        ("3", 4),
        ("4", 5),
        ("5–9", 10),
        ("10+", usize::MAX),
    ];
    let mut values = vec![0u64; LENGTHS.len()];
    for chain in &input.crawl.chains {
        let n = chain.redirect_count();
        if n == 0 {
            continue;
        }
        if let Some(i) = LENGTHS.iter().position(|(_, upper)| n < *upper) {
            values[i] += 1;
        }
    }
    let categories: Vec<String> = LENGTHS.iter().map(|(name, _)| (*name).to_owned()).collect();
    let series = [Series {
        name: "chains".to_owned(),
        color: charts::PALETTE[1],
        values,
    }];
    chart(
        "chain-lengths",
        "Redirects per chain".to_owned(),
        charts::grouped_bars(&categories, &series, "redirecting URLs"),
        &categories,
        &series,
    )
}
