//! `report.html` opened in a real headless Chromium: the demo's numbers,
//! chains and charts, with JavaScript off and on, and a hostile site whose
//! URLs and Location values carry markup, `javascript:` and bidi
//! overrides.

use std::path::Path;

use crate::browser::{dump_dom, dump_dom_without_js, file_url, section, text_of_id};
use crate::support::{FAST, Served, free_port, read_csv, run, text};

/// Runs the demo into `out` (fixed clock, no history) and returns its
/// `summary.json`.
fn demo(dir: &Path, out: &Path) -> serde_json::Value {
    let ran = run(
        &[
            "demo",
            "--now",
            "2026-11-24T02:30:00Z",
            "--no-history",
            "--out",
            out.to_str().unwrap(),
        ],
        dir,
    );
    assert_eq!(ran.status.code(), Some(0), "{}", text(&ran));
    summary_json(out)
}

/// The audit folder's `summary.json`.
fn summary_json(audit: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(audit.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn demo_report_shows_the_summary_numbers_chains_and_ages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit");
    let summary = demo(dir.path(), &out);
    let page = out.join("report.html");
    let dom = dump_dom(&file_url(&page, ""));

    // Our own script ran: its hash in the CSP is right.
    assert!(
        dom.contains("<html lang=\"en\" data-js=\"on\""),
        "script did not run"
    );
    let counts = &summary["counts"];
    for severity in ["error", "warning", "notice"] {
        assert_eq!(
            text_of_id(&dom, &format!("count-{severity}")),
            counts["findings_by_severity"][severity].to_string(),
            "{severity}"
        );
    }
    assert_eq!(
        text_of_id(&dom, "count-total"),
        counts["findings"].to_string()
    );
    assert_eq!(text_of_id(&dom, "audit-status"), "completed");

    // /cafe sends a Location with a Latin-1 byte: drawn as two boxes, the
    // first highlighted with the raw value escaped exactly as in hops.csv.
    let origin = summary["start_url"].as_str().unwrap().trim_end_matches('/');
    let hops = read_csv(&out.join("hops.csv"));
    let cafe = format!("{origin}/cafe");
    let cafe_hops: Vec<_> = hops.iter().filter(|h| h["chain_start"] == cafe).collect();
    assert_eq!(cafe_hops.len(), 2);
    let chain = section(
        &dom,
        &format!("<h3><a class=\"url\" href=\"{cafe}\""),
        "</article>",
    );
    assert!(
        chain.contains(&format!(
            "Location: <code>{}</code>",
            cafe_hops[0]["location"]
        )),
        "{chain}"
    );
    assert_eq!(cafe_hops[0]["location"], "/caf\\xE9-menu.html");
    assert!(chain.contains("<li class=\"hop malformed\">"), "{chain}");
    assert!(chain.contains("malformed: a browser goes to"), "{chain}");
    assert_eq!(chain.matches("<li class=\"hop").count(), 2, "{chain}");
    assert!(chain.contains(&format!(
        "<span class=\"status\">{}</span>",
        cafe_hops[1]["status"]
    )));

    // Each redirecting URL with a temporary-redirect finding once, in the
    // bucket of its age and the column of its source: without history
    // every one is new (0–7 days, from this audit) but for the demo's
    // access log's /winter-sale-2025 (long-lived, from the logs).
    let findings = read_csv(&out.join("findings.csv"));
    let mut ages: std::collections::BTreeMap<&str, (i64, &str)> = Default::default();
    for f in &findings {
        if ![
            "temporary-redirect",
            "temporary-redirect-looks-permanent",
            "long-lived-temporary-redirect",
        ]
        .contains(&f["rule"].as_str())
        {
            continue;
        }
        let entry = ages.entry(f["url"].as_str()).or_insert((0, "audits"));
        if let Ok(days) = f["age_days"].parse() {
            *entry = (days, f["age_source"].as_str());
        }
    }
    assert!(ages.len() > 1);
    assert_eq!(
        ages[format!("{origin}/winter-sale-2025").as_str()].1,
        "access-log"
    );
    let chart = section(&dom, "id=\"chart-temporary-ages\"", "</figure>");
    for (bucket, lower, upper) in [
        ("0–7 days", 0, 7),
        ("7–30 days", 7, 30),
        ("30–90 days", 30, 90),
        ("90–365 days", 90, 365),
        ("&gt; 365 days", 365, i64::MAX),
    ] {
        let count = |source: &str| {
            ages.values()
                .filter(|(days, s)| *s == source && (lower..upper).contains(days))
                .count()
        };
        let row = format!(
            "<tr><td>{bucket}</td><td>{}</td><td>{}</td></tr>",
            count("audits"),
            count("access-log")
        );
        assert!(chart.contains(&row), "{row}: {chart}");
    }
    // One bar per bucket, and the legend's swatch.
    assert_eq!(chart.matches("fill=\"#5B4B8A\"").count(), 6, "{chart}");
}

#[test]
fn without_javascript_the_verdict_and_tables_are_all_there() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit");
    let summary = demo(dir.path(), &out);
    let dom = dump_dom_without_js(&out.join("report.html"));
    assert!(dom.contains("data-js=\"off\""), "the script ran");
    assert_eq!(
        text_of_id(&dom, "count-error"),
        summary["counts"]["findings_by_severity"]["error"].to_string()
    );
    let rows = read_csv(&out.join("findings.csv")).len();
    assert_eq!(
        dom.matches("<table class=\"findings sortable\">").count(),
        summary["counts"]["findings_by_rule"]
            .as_object()
            .unwrap()
            .len()
    );
    // Every finding is a row (the demo is far below the per-rule cap).
    let body_rows = section(&dom, "id=\"findings\"", "</section>")
        .matches("<tr class=\"")
        .count();
    assert_eq!(body_rows, rows);
    // The filter box needs the script: hidden without it.
    assert!(
        dom.contains("<span class=\"filter-box\" hidden=\"\">"),
        "filter shown without JS"
    );
}

#[test]
fn with_javascript_the_filter_and_sorting_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit");
    demo(dir.path(), &out);
    let page = out.join("report.html");
    let dom = dump_dom(&file_url(
        &page,
        "#filter=brewing-guide&sort=relative-location:1",
    ));
    assert!(
        dom.contains("data-filter=\"brewing-guide\""),
        "filter not applied"
    );
    assert!(
        dom.contains("<span class=\"filter-box\">"),
        "filter box still hidden"
    );
    let findings = section(&dom, "id=\"findings\"", "</section>");
    let rows: Vec<&str> = findings.split("<tr class=\"").skip(1).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        let hidden = row.starts_with("error hidden-by-filter")
            || row.starts_with("warning hidden-by-filter")
            || row.starts_with("notice hidden-by-filter");
        assert_eq!(hidden, !row.contains("brewing-guide"), "{row}");
    }
    assert!(rows.iter().any(|r| r.contains("brewing-guide")));

    // The relative-location table sorted by its url column, ascending.
    let table = section(&dom, "id=\"rule-relative-location\"", "</table>");
    assert!(
        table.contains("<th tabindex=\"0\" data-sorted=\"asc\">url</th>"),
        "{table}"
    );
    let urls: Vec<&str> = table
        .split("<td><a class=\"url\" href=\"")
        .skip(1)
        .map(|r| &r[..r.find('"').unwrap()])
        .collect();
    assert!(urls.len() > 2, "{table}");
    let mut sorted = urls.clone();
    sorted.sort_unstable();
    assert_eq!(urls, sorted);
}

/// A filter in the address that is not valid percent-encoding (`100%`, as
/// typed) is taken as typed: it used to throw in `decodeURIComponent`,
/// which stopped the script before it applied the filter or the sort.
#[test]
fn a_filter_in_the_address_that_is_not_percent_encoded_is_taken_as_typed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit");
    demo(dir.path(), &out);
    let dom = dump_dom(&file_url(
        &out.join("report.html"),
        "#filter=100%&sort=relative-location:1",
    ));
    assert!(dom.contains("data-filter=\"100%\""), "filter not applied");
    let table = section(&dom, "id=\"rule-relative-location\"", "</table>");
    assert!(
        table.contains("<th tabindex=\"0\" data-sorted=\"asc\">url</th>"),
        "sort not applied: {table}"
    );
}

/// A site whose Location values, URLs and pages carry markup, script URLs
/// and a right-to-left override.
const HOSTILE_SITE: &str = r#"
[[route]]
path = "/"
status = 200
body = """<html><body>
<a href="/go-script">a</a> <a href="/go-img">b</a> <a href="/go-js">c</a> <a href="/go-data">d</a> <a href="/go-rtl">e</a>
<a href="/q?x=<script>document.title='pwned-url'</script>">f</a>
<a href="/q?y=&quot;><img src=x onerror=&quot;document.title='pwned-img-url'&quot;>">g</a>
</body></html>"""

[[route]]
path = "/go-script"
raw = "HTTP/1.1 302 Found\r\nLocation: /<script>document.title='pwned-location'</script>\r\nContent-Length: 0\r\n\r\n"

[[route]]
path = "/go-img"
raw = "HTTP/1.1 301 Moved\r\nLocation: \"><img src=x onerror=\"document.title='pwned-img'\">\r\nContent-Length: 0\r\n\r\n"

[[route]]
path = "/go-js"
status = 302
location = "javascript:document.title='pwned-js'"

[[route]]
path = "/go-data"
status = 302
location = "data:text/html,<script>document.title='pwned-data'</script>"

[[route]]
path = "/go-rtl"
status = 301
location = "/\u202Elmth.exe"
"#;

#[test]
fn a_hostile_site_runs_no_script_and_is_shown_as_text() {
    let site = Served::toml(HOSTILE_SITE);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit");
    let mut args = vec![
        "crawl",
        "--no-history",
        "--fail-on",
        "never",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(FAST);
    let start = site.site.url("/");
    args.push(&start);
    let ran = run(&args, dir.path());
    assert_eq!(ran.status.code(), Some(0), "{}", text(&ran));
    let page = out.join("report.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let dom = dump_dom(&file_url(&page, ""));

    // Nothing injected ran: the title is ours, our script is the only one,
    // no image element exists, no javascript: or data: link is clickable.
    let title = section(&dom, "<title>", "</title>");
    assert!(
        title.starts_with("<title>Redirect audit of http://127.0.0.1:"),
        "{title}"
    );
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "an injected script element"
    );
    assert!(!dom.contains("<img"), "an injected image element");
    assert!(!dom.to_lowercase().contains("href=\"javascript:"));
    assert!(!dom.to_lowercase().contains("href=\"data:"));
    assert!(
        dom.contains("data-js=\"on\""),
        "our own script must still run"
    );

    // Each payload is on the page, as text.
    for shown in [
        "/&lt;script&gt;document.title='pwned-location'&lt;/script&gt;",
        "\"&gt;&lt;img src=x onerror=\"document.title='pwned-img'\"&gt;",
        "javascript:document.title='pwned-js'",
        "data:text/html,&lt;script&gt;document.title='pwned-data'&lt;/script&gt;",
        // The override is made visible rather than reversing the text.
        "/\\u{202E}lmth.exe",
    ] {
        assert!(dom.contains(shown), "not shown as text: {shown}");
    }
    assert!(
        !dom.contains('\u{202e}'),
        "a raw bidi override reached the page"
    );
    // The file itself: no raw markup from the site anywhere.
    assert!(!html.contains("<img"));
    assert_eq!(html.matches("<script").count(), 1);
}

#[test]
fn no_html_skips_report_html() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("audit");
    let ran = run(
        &[
            "demo",
            "--no-history",
            "--no-html",
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(ran.status.code(), Some(0), "{}", text(&ran));
    assert!(out.join("summary.json").exists());
    assert!(!out.join("report.html").exists());
}

#[test]
fn with_history_the_report_compares_and_charts_findings_over_time() {
    let dir = tempfile::tempdir().unwrap();
    // The same port each run keeps the demo's URLs, and so its history.
    let port = free_port().to_string();
    for now in [
        "2026-09-01T02:30:00Z",
        "2026-10-01T02:30:00Z",
        "2026-11-24T02:30:00Z",
    ] {
        let ran = run(&["demo", "--port", &port, "--now", now], dir.path());
        assert_eq!(ran.status.code(), Some(0), "{}", text(&ran));
    }
    let audit = dir.path().join("reports/demo/2026-11-24T02-30-00Z");
    let summary = summary_json(&audit);
    let html = std::fs::read_to_string(audit.join("report.html")).unwrap();
    // The same site three times: nothing new, nothing fixed.
    assert!(
        html.contains("Since the previous audit (2026-10-01 02:30 UTC): <strong id=\"count-new\">"),
        "no comparison"
    );
    let total = summary["counts"]["findings"].as_u64().unwrap();
    let new: u64 = text_of_id(&html, "count-new").parse().unwrap();
    let fixed: u64 = text_of_id(&html, "count-fixed").parse().unwrap();
    // Findings that depend on history (the long-lived 302s) may be new;
    // never more than this audit has.
    assert!(new <= total, "{new} > {total}");
    assert_eq!(fixed, 0);
    assert!(html.contains("<h2>What changed since 2026-10-01 02:30 UTC</h2>"));
    // One point per audit, oldest first, this one last.
    let chart = section(&html, "id=\"chart-findings-over-time\"", "</figure>");
    assert!(chart.contains("Findings over the last 3 audits"), "{chart}");
    let errors = summary["counts"]["findings_by_severity"]["error"].to_string();
    assert!(
        chart.contains(&format!("<tr><td>2026-11-24</td><td>{errors}</td>")),
        "{chart}"
    );
    for day in ["2026-09-01", "2026-10-01"] {
        assert!(
            chart.contains(&format!("<tr><td>{day}</td>")),
            "{day}: {chart}"
        );
    }
    // With 60 days of history the demo's long-lived 302s are old.
    let ages = section(&html, "id=\"chart-temporary-ages\"", "</figure>");
    assert!(
        !ages.contains("<tr><td>30–90 days</td><td>0</td></tr>"),
        "{ages}"
    );
}
