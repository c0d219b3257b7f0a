//! Access logs as evidence (issue 15), through the real binary: the
//! two-part scenario (a 302 logged for 90 days is long-lived on the first
//! audit; a URL that answered 200 in the middle of the logs is not; an
//! unlinked URL from the logs is fetched and audited), re-reading changes
//! nothing, `--bot-ranges` errors and a missing `--access-log` path come
//! before any crawling, and `history import-log`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use jiff::{SignedDuration, Timestamp};

use crate::support::{FAST, Served, read_csv, run, text};

const NOW: &str = "2026-11-01T00:00:00Z";
/// In the bundled Googlebot ranges (66.249.64.0/27 and neighbours).
const GOOGLEBOT_ADDR: &str = "66.249.66.1";
const GOOGLEBOT_UA: &str =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

fn site() -> Served {
    Served::toml(
        r#"
[[route]]
path = "/"
status = 200
body = "<a href=\"/promo\">promo</a> <a href=\"/flip\">flip</a> <a href=\"/new\">new</a>"

[[route]]
path = "/promo"
status = 302
location = "/new"

[[route]]
path = "/flip"
status = 302
location = "/new"

[[route]]
path = "/forgotten"
status = 302
location = "/new"

[[route]]
path = "/new"
status = 200
body = "new"
"#,
    )
}

/// One combined-format line `days` days before [`NOW`].
fn line(out: &mut String, days: i64, addr: &str, path: &str, status: u16, agent: &str) {
    let now: Timestamp = NOW.parse().unwrap();
    let t = now - SignedDuration::from_hours(24 * days);
    let stamp = t.strftime("%d/%b/%Y:%H:%M:%S +0000");
    let _ = writeln!(
        out,
        "{addr} - - [{stamp}] \"GET {path} HTTP/1.1\" {status} 0 \"-\" \"{agent}\""
    );
}

/// 90 days of logs: `/promo` 302 every day; `/flip` 302 every day but a
/// 200 45 days ago; `/forgotten` (linked from nowhere) 302 from 60 to 10
/// days ago; verified Googlebot asks for `/promo` 5 times and `/new` 3
/// times, and a "Googlebot" from elsewhere once.
fn log_text() -> String {
    let mut out = String::new();
    for days in (1..=90).rev() {
        line(&mut out, days, "192.0.2.1", "/promo", 302, "Mozilla/5.0");
        line(
            &mut out,
            days,
            "192.0.2.1",
            "/flip",
            if days == 45 { 200 } else { 302 },
            "Mozilla/5.0",
        );
        if (10..=60).contains(&days) {
            line(
                &mut out,
                days,
                "192.0.2.2",
                "/forgotten",
                302,
                "Mozilla/5.0",
            );
        }
        if days <= 5 {
            line(&mut out, days, GOOGLEBOT_ADDR, "/promo", 302, GOOGLEBOT_UA);
        }
        if days <= 3 {
            line(&mut out, days, GOOGLEBOT_ADDR, "/new", 200, GOOGLEBOT_UA);
        }
    }
    line(&mut out, 2, "203.0.113.9", "/promo", 302, GOOGLEBOT_UA);
    out
}

/// Audits `served` at [`NOW`] into `dir/<name>`, with history in
/// `dir/history.sqlite`.
fn crawl(
    served: &Served,
    dir: &Path,
    name: &str,
    extra: &[&str],
) -> (std::process::Output, std::path::PathBuf) {
    let url = format!("{}/", served.origin());
    let history = dir.join("history.sqlite");
    let mut args = vec!["--history", history.to_str().unwrap()];
    args.extend(extra);
    crawl_from(&url, dir, name, &args)
}

/// Audits from `start` at [`NOW`] into `dir/<name>`, fast, never failing
/// on findings, with `extra` flags.
fn crawl_from(
    start: &str,
    dir: &Path,
    name: &str,
    extra: &[&str],
) -> (std::process::Output, std::path::PathBuf) {
    let out_dir = dir.join(name);
    let mut args = vec![
        "crawl",
        start,
        "--out",
        out_dir.to_str().unwrap(),
        "--now",
        NOW,
        "--fail-on",
        "never",
    ];
    args.extend(FAST);
    args.extend(extra);
    (run(&args, dir), out_dir)
}

fn row<'a>(
    rows: &'a [std::collections::HashMap<String, String>],
    key: &str,
    value: &str,
) -> Option<&'a std::collections::HashMap<String, String>> {
    rows.iter().find(|r| r[key] == value)
}

#[test]
fn logs_age_redirects_on_the_first_audit_and_find_unlinked_ones() {
    let served = site();
    let o = served.origin();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    std::fs::write(&log, log_text()).unwrap();

    // 60 days: /flip's run since its 200 (44 days) is too short, /promo's
    // 90 days are not.
    let (out, audit) = crawl(
        &served,
        dir.path(),
        "first",
        &[
            "--access-log",
            log.to_str().unwrap(),
            "--long-lived-days",
            "60",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        format!("{stdout}{stderr}").contains("Access logs"),
        "the summary says what was read: {}",
        text(&out)
    );

    let findings = read_csv(&audit.join("findings.csv"));
    let long_lived: Vec<_> = findings
        .iter()
        .filter(|f| f["rule"] == "long-lived-temporary-redirect")
        .collect();
    let promo = long_lived
        .iter()
        .find(|f| f["url"] == format!("{o}/promo"))
        .unwrap_or_else(|| panic!("/promo is long-lived from the logs: {findings:?}"));
    assert_eq!(promo["age_source"], "access-log");
    assert_eq!(promo["age_days"], "90");
    assert!(promo["first_seen"].starts_with("2026-08-03"), "{promo:?}");
    assert!(
        promo["message"].contains("target not recorded in the logs"),
        "{promo:?}"
    );
    assert!(
        promo["detail"].contains("googlebot_requests=5"),
        "{promo:?}"
    );
    assert!(
        !long_lived.iter().any(|f| f["url"] == format!("{o}/flip")),
        "a 200 45 days ago restarted /flip's run: {long_lived:?}"
    );

    let redirects = read_csv(&audit.join("redirects.csv"));
    let forgotten = row(&redirects, "url", &format!("{o}/forgotten"))
        .unwrap_or_else(|| panic!("the unlinked URL from the logs is audited: {redirects:?}"));
    assert_eq!(forgotten["found_in_logs"], "true");
    assert_eq!(forgotten["inlinks"], "0");
    assert_eq!(served.site.request_count("/forgotten"), 1);
    let promo = row(&redirects, "url", &format!("{o}/promo")).unwrap();
    assert_eq!(promo["found_in_logs"], "true");
    assert_eq!(promo["googlebot_requests"], "5");
    assert_eq!(promo["googlebot_last_seen"], "2026-10-31");
    assert_eq!(promo["target_googlebot_requests"], "3");
    assert_eq!(promo["unverified_googlebot_requests"], "1");
    let flip = row(&redirects, "url", &format!("{o}/flip")).unwrap();
    assert_eq!(flip["googlebot_requests"], "0", "logs read: 0, not empty");

    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(audit.join("summary.json")).unwrap()).unwrap();
    let logs = &summary["access_logs"];
    assert_eq!(logs["files"], 1);
    assert_eq!(logs["parsed"], logs["lines"]);
    assert!(
        !std::fs::read_to_string(audit.join("redirects.csv"))
            .unwrap()
            .contains(GOOGLEBOT_ADDR)
            && !std::fs::read_to_string(audit.join("findings.csv"))
                .unwrap()
                .contains(GOOGLEBOT_ADDR),
        "addresses are never written to reports"
    );

    // The same log again, and a rotated gzipped copy: nothing new is read,
    // and history's evidence gives the same answers without them.
    let gz = dir.path().join("access.log.1.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(log_text().as_bytes()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let (out, again) = crawl(
        &served,
        dir.path(),
        "again",
        &[
            "--access-log",
            log.to_str().unwrap(),
            "--access-log",
            gz.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(again.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["access_logs"]["parsed"], 0, "{summary:#}");
    assert_eq!(
        summary["access_logs"]["already_read"],
        summary["access_logs"]["lines"]
    );
    let redirects = read_csv(&again.join("redirects.csv"));
    let promo = row(&redirects, "url", &format!("{o}/promo")).unwrap();
    assert_eq!(promo["googlebot_requests"], "5", "counted once");
    let (out, without) = crawl(&served, dir.path(), "without", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let findings = read_csv(&without.join("findings.csv"));
    let promo = findings
        .iter()
        .find(|f| f["rule"] == "long-lived-temporary-redirect" && f["url"] == format!("{o}/promo"))
        .expect("history keeps the log evidence");
    // The earlier audits ran at the same clock: only the logs give an age.
    assert_eq!(promo["age_source"], "access-log");
    assert_eq!(promo["age_days"], "90");
}

#[test]
fn without_log_evidence_the_googlebot_columns_are_empty() {
    let served = site();
    let dir = tempfile::tempdir().unwrap();
    let (out, audit) = crawl(&served, dir.path(), "plain", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let redirects = read_csv(&audit.join("redirects.csv"));
    let promo = row(&redirects, "url", &format!("{}/promo", served.origin())).unwrap();
    assert_eq!(promo["found_in_logs"], "false");
    assert_eq!(promo["googlebot_requests"], "");
    assert_eq!(promo["target_googlebot_requests"], "");
}

#[test]
fn bad_bot_ranges_fail_before_any_crawling() {
    let served = site();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    std::fs::write(&log, log_text()).unwrap();
    let invalid = dir.path().join("invalid.json");
    std::fs::write(&invalid, "not json").unwrap();
    for ranges in [dir.path().join("missing.json"), invalid] {
        let (out, _) = crawl(
            &served,
            dir.path(),
            "bad",
            &[
                "--access-log",
                log.to_str().unwrap(),
                "--bot-ranges",
                ranges.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--bot-ranges"),
            "{}",
            text(&out)
        );
    }
    assert_eq!(served.site.request_count("/"), 0, "nothing was crawled");
}

/// README: a `--access-log` path that does not exist is a usage error
/// (exit code 2), before anything is crawled, naming the path and saying
/// what is expected.
#[test]
fn a_missing_access_log_path_fails_before_any_crawling() {
    let served = site();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-access.log");
    let (out, audit) = crawl(
        &served,
        dir.path(),
        "missing",
        &["--access-log", missing.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-access.log"), "{}", text(&out));
    assert!(
        stderr.contains("an existing file, .gz file or directory"),
        "{}",
        text(&out)
    );
    assert_eq!(served.site.request_count("/"), 0, "nothing was crawled");
    assert!(!audit.exists(), "no empty audit folder is left behind");
}

#[test]
fn history_import_log_backfills_and_reads_each_line_once() {
    let served = site();
    let o = served.origin();
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("access.log"), log_text()).unwrap();
    let history = dir.path().join("history.sqlite");
    let import = |path: &Path| {
        run(
            &[
                "history",
                "import-log",
                path.to_str().unwrap(),
                "--site",
                &format!("{o}/"),
                "--history",
                history.to_str().unwrap(),
                "--now",
                NOW,
            ],
            dir.path(),
        )
    };
    let out = import(&logs);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let lines = log_text().lines().count();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("{lines} parsed")),
        "{}",
        text(&out)
    );
    let out = import(&logs.join("access.log"));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("0 parsed, {lines} read before")),
        "{}",
        text(&out)
    );

    // The first audit after the back-fill needs no log.
    let (out, audit) = crawl(&served, dir.path(), "after", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let findings = read_csv(&audit.join("findings.csv"));
    let promo = findings
        .iter()
        .find(|f| f["rule"] == "long-lived-temporary-redirect" && f["url"] == format!("{o}/promo"))
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert_eq!(promo["age_source"], "access-log");
}

#[test]
fn broken_logs_are_reported_and_never_stop_the_audit() {
    let served = site();
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    // A truncated gzip, a binary file, an empty file, another site's vhost
    // log, and a megabyte line among good ones.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(log_text().as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    std::fs::write(logs.join("access.log.3.gz"), &gz[..gz.len() / 2]).unwrap();
    std::fs::write(
        logs.join("core.bin"),
        (0..=255u8).cycle().take(10_000).collect::<Vec<u8>>(),
    )
    .unwrap();
    std::fs::write(logs.join("empty.log"), "").unwrap();
    std::fs::write(
        logs.join("other_vhost.log"),
        "shop.example:443 192.0.2.1 - - [01/Oct/2026:10:00:00 +0000] \"GET /promo HTTP/1.1\" 302 0 \"-\" \"Mozilla/5.0\"\n",
    )
    .unwrap();
    let mut long = log_text();
    long.push_str(&"x".repeat(1 << 20));
    long.push('\n');
    std::fs::write(logs.join("access.log"), long).unwrap();

    let (out, audit) = crawl(
        &served,
        dir.path(),
        "broken",
        &["--access-log", logs.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(audit.join("summary.json")).unwrap()).unwrap();
    let read = &summary["access_logs"];
    assert_eq!(read["files"], 5, "{read:#}");
    assert_eq!(read["too_long"], 1, "{read:#}");
    assert_eq!(read["other_host"], 1, "{read:#}");
    let problems = read["problems"].to_string();
    assert!(problems.contains("reading stopped early"), "{problems}");
    assert!(problems.contains("not an access log"), "{problems}");
    assert!(
        summary["counts"]["findings_by_rule"]["long-lived-temporary-redirect"]
            .as_u64()
            .is_some_and(|n| n > 0),
        "the good lines still count: {summary:#}"
    );

    // Only another site's lines: said plainly.
    let elsewhere = dir.path().join("elsewhere.log");
    std::fs::write(
        &elsewhere,
        "shop.example:443 192.0.2.1 - - [02/Oct/2026:10:00:00 +0000] \"GET /a HTTP/1.1\" 200 0 \"-\" \"Mozilla/5.0\"\n",
    )
    .unwrap();
    let (out, _) = crawl(
        &served,
        dir.path(),
        "elsewhere",
        &["--access-log", elsewhere.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("nothing in these logs matched"),
        "{}",
        text(&out)
    );
}

/// In `check` the list stays the input: the logs age its URLs and count
/// Googlebot, and add no URL.
#[test]
fn in_check_logs_add_ages_not_urls() {
    let served = site();
    let o = served.origin();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("access.log");
    std::fs::write(&log, log_text()).unwrap();
    let list = dir.path().join("list.txt");
    std::fs::write(&list, format!("{o}/promo\n")).unwrap();
    let out_dir = dir.path().join("out");
    let out = run(
        &[
            "check",
            list.to_str().unwrap(),
            "--access-log",
            log.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--no-history",
            "--now",
            NOW,
            "--fail-on",
            "never",
            "--retries",
            "0",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let findings = read_csv(&out_dir.join("findings.csv"));
    let promo = findings
        .iter()
        .find(|f| f["rule"] == "long-lived-temporary-redirect")
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert_eq!(promo["url"], format!("{o}/promo"));
    assert_eq!(promo["age_source"], "access-log");
    let redirects = read_csv(&out_dir.join("redirects.csv"));
    assert_eq!(redirects.len(), 1, "{redirects:?}");
    assert_eq!(redirects[0]["googlebot_requests"], "5");
    assert_eq!(served.site.request_count("/forgotten"), 0);
}

/// The audited host is `www.shop.test`; its bare spelling 301s every path
/// to it but for `/legacy`, a 302 nothing links to any more.
const VARIANTS: &str = r#"
[site]
name = "variants-in-logs"

[[route]]
host = "shop.test"
path = "/legacy"
status = 302
location = "http://www.shop.test:{port}/new"

[[route]]
host = "shop.test"
path = "*"
status = 301
location = "http://www.shop.test:{port}{path}"

[[route]]
path = "*"
status = 200
body = "<html><body>page</body></html>"
"#;

#[test]
fn the_other_www_spelling_in_a_vhost_log_is_found_and_aged_apart() {
    let served = Served::toml(VARIANTS);
    let port = served.site.port();
    let addr = served.site.addr().to_string();
    let dir = tempfile::tempdir().unwrap();
    // A vhost_combined log of both spellings: the bare name 301s `/` and
    // answers `/legacy` with a 302 every day for 90 days.
    let mut log = String::new();
    for days in (1..=90).rev() {
        for (host, path, status) in [
            ("www.shop.test", "/", 200),
            ("shop.test", "/", 301),
            ("shop.test", "/legacy", 302),
        ] {
            let _ = write!(log, "{host}:{port} ");
            line(&mut log, days, "192.0.2.1", path, status, "Mozilla/5.0");
        }
    }
    let log_path = dir.path().join("access.log");
    std::fs::write(&log_path, log).unwrap();
    let start = format!("http://www.shop.test:{port}/");
    let resolve_www = format!("www.shop.test:{addr}");
    let resolve_bare = format!("shop.test:{addr}");
    let (out, out_dir) = crawl_from(
        &start,
        dir.path(),
        "audit",
        &[
            "--no-history",
            "--resolve-only",
            "--resolve",
            &resolve_www,
            "--resolve",
            &resolve_bare,
            "--access-log",
            log_path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    let legacy = format!("http://shop.test:{port}/legacy");
    let redirects = read_csv(&out_dir.join("redirects.csv"));
    let row = row(&redirects, "url", &legacy).unwrap_or_else(|| {
        panic!(
            "{legacy} from the log's other spelling was not fetched: {redirects:#?} {}",
            text(&out)
        )
    });
    assert_eq!(row["found_in_logs"], "true");
    let findings = read_csv(&out_dir.join("findings.csv"));
    let long = findings
        .iter()
        .find(|f| f["rule"] == "long-lived-temporary-redirect" && f["url"] == legacy)
        .unwrap_or_else(|| panic!("{legacy} not aged from the log: {findings:#?}"));
    assert_eq!(long["age_source"], "access-log");
    // The bare name's daily 301 of `/` is its own: nothing of it lands on
    // www's `/`, which the log shows answering 200.
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["access_logs"]["other_host"], 0, "{summary:#}");
}
