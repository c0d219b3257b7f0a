//! The reader end to end over real files: idempotence, rotation overlap,
//! runs, Googlebot counts, and bad input.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use redirect_audit_accesslog::{
    Fingerprints, Format, LogEvidence, LogReader, PathEvidence, ReadOptions,
};

const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
/// 2000-10-10T00:00:00Z
const T0: i64 = 971_136_000;

fn clf_time(t: i64) -> String {
    // Only October 2000 is needed here.
    let day = (t - T0).div_euclid(86_400) + 10;
    let s = (t - T0).rem_euclid(86_400);
    format!(
        "{day:02}/Oct/2000:{:02}:{:02}:{:02} +0000",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn line(t: i64, ip: &str, path: &str, status: u16, ua: &str) -> String {
    format!(
        "{ip} - - [{}] \"GET {path} HTTP/1.1\" {status} 0 \"-\" \"{ua}\"\n",
        clf_time(t)
    )
}

/// `n` lines of varied traffic, one second apart: enough for many chunks.
fn traffic(n: usize, start: i64) -> String {
    (0..n)
        .map(|i| {
            let t = start + i as i64;
            let path = format!("/p/{}", i % 97);
            let (status, ua, ip) = match i % 10 {
                0 => (302, GOOGLEBOT, "66.249.66.1"),
                1 => (302, GOOGLEBOT, "203.0.113.7"),
                2 => (200, "Mozilla/5.0", "198.51.100.1"),
                _ => (302, "curl/8", "198.51.100.2"),
            };
            line(t, ip, &path, status, ua)
        })
        .collect()
}

fn read(paths: &[&Path], prior: Fingerprints) -> LogEvidence {
    let mut reader = LogReader::new(ReadOptions {
        prior,
        ..ReadOptions::default()
    });
    for p in paths {
        reader.read_path(p).unwrap();
    }
    reader.finish()
}

fn gzip(text: &[u8]) -> Vec<u8> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    gz.write_all(text).unwrap();
    gz.finish().unwrap()
}

/// Path evidence as a sorted list, for comparing reads.
fn sorted(e: &LogEvidence) -> Vec<(String, PathEvidence)> {
    let mut v: Vec<_> = e.paths().map(|(p, e)| (p.to_owned(), e.clone())).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

#[test]
fn the_same_content_renamed_or_gzipped_is_read_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = traffic(5000, T0);
    fs::write(dir.path().join("access.log"), &text).unwrap();
    fs::write(dir.path().join("access.log.1"), &text).unwrap();
    fs::write(dir.path().join("access.log.2.gz"), gzip(text.as_bytes())).unwrap();
    let once = read(&[&dir.path().join("access.log")], Fingerprints::default());
    let thrice = read(&[dir.path()], Fingerprints::default());
    assert_eq!(sorted(&thrice), sorted(&once));
    let t = thrice.summary.totals();
    assert_eq!((t.lines, t.parsed, t.already_read), (15_000, 5000, 10_000));
    assert!(thrice.summary.files[0].gzip);
    assert_eq!(once.path("/p/0").unwrap().requests, 52);
}

#[test]
fn a_live_log_then_its_rotated_longer_copy_counts_each_line_once() {
    let dir = tempfile::tempdir().unwrap();
    let full = traffic(6000, T0);
    // Monday: the live access.log had 4321 lines (cut mid-chunk).
    let cut = full.match_indices('\n').nth(4320).unwrap().0 + 1;
    let monday = dir.path().join("monday.log");
    fs::write(&monday, &full[..cut]).unwrap();
    // Tuesday: the same file, rotated and gzipped, now 6000 lines.
    let tuesday = dir.path().join("access.log.1.gz");
    fs::write(&tuesday, gzip(full.as_bytes())).unwrap();
    let whole = dir.path().join("whole.log");
    fs::write(&whole, &full).unwrap();

    let first = read(&[&monday], Fingerprints::default());
    let second = read(&[&tuesday], first.fingerprints.clone());
    assert_eq!(second.summary.totals().already_read, 4321);
    assert_eq!(second.summary.totals().parsed, 6000 - 4321);
    let mut merged = first.clone();
    merged.merge(&second);
    let fresh = read(&[&whole], Fingerprints::default());
    assert_eq!(sorted(&merged), sorted(&fresh));
    // Both files in one run: the same.
    let together = read(&[&monday, &tuesday], Fingerprints::default());
    assert_eq!(together.summary.totals().already_read, 4321);
    assert_eq!(sorted(&together), sorted(&fresh));
    // Reading it all once more adds nothing.
    let mut prior = first.fingerprints.clone();
    prior.extend(&second.fingerprints);
    let third = read(&[&whole, &monday], prior);
    assert_eq!(third.summary.totals().parsed, 0);
    assert!(third.is_empty());
}

#[test]
fn files_merged_in_either_order_equal_one_read() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (traffic(3000, T0), traffic(3000, T0 + 3000));
    fs::write(dir.path().join("a.log"), &a).unwrap();
    fs::write(dir.path().join("b.log"), &b).unwrap();
    fs::write(dir.path().join("ab.log"), format!("{a}{b}")).unwrap();
    let ea = read(&[&dir.path().join("a.log")], Fingerprints::default());
    let eb = read(&[&dir.path().join("b.log")], Fingerprints::default());
    let both = read(&[&dir.path().join("ab.log")], Fingerprints::default());
    let (mut ab, mut ba) = (ea.clone(), eb.clone());
    ab.merge(&eb);
    ba.merge(&ea);
    assert_eq!(sorted(&ab), sorted(&both));
    assert_eq!(sorted(&ba), sorted(&both));
}

fn evidence_of(lines: &[String], options: ReadOptions) -> LogEvidence {
    let mut reader = LogReader::new(options);
    reader.read_stream("test.log".into(), lines.concat().as_bytes(), false);
    reader.finish()
}

#[test]
fn runs_start_at_the_first_temporary_answer_after_the_last_final_one() {
    let ua = "Mozilla/5.0";
    let ip = "198.51.100.1";
    let lines = [
        line(T0, ip, "/a", 302, ua),
        line(T0 + 10, ip, "/a", 200, ua), // ends the first run
        line(T0 + 20, ip, "/a", 302, ua), // the current run starts here
        line(T0 + 30, ip, "/a", 304, ua), // neutral
        line(T0 + 40, ip, "/a", 429, ua),
        line(T0 + 50, ip, "/a", 503, ua),
        line(T0 + 60, ip, "/a", 403, ua),
        line(T0 + 70, ip, "/a", 307, ua),
        line(T0 + 5, ip, "/a", 302, ua), // out of order, before the 200: ignored
        line(T0, ip, "/b", 302, ua),
        line(T0 + 1, ip, "/b", 301, ua),
        line(T0, ip, "/c", 303, ua),
        line(T0 + 1, ip, "/c", 410, ua),
        line(T0, ip, "/d", 307, ua),
        line(T0 + 9, ip, "/d", 404, ua),
        line(T0 + 8, ip, "/d", 302, ua), // out of order, still before the 404
    ];
    let e = evidence_of(&lines, ReadOptions::default());
    let a = e.path("/a").unwrap();
    let run = a.run.as_ref().unwrap();
    assert_eq!((run.first, run.last, run.status), (T0 + 20, T0 + 70, 307));
    assert!(run.first_exact);
    assert_eq!(run.location, None);
    assert_eq!(a.last_final, Some(T0 + 10));
    assert_eq!(a.requests, 9);
    assert_eq!(a.statuses.get(302), 3);
    assert_eq!(
        a.statuses.to_vec(),
        [
            (200, 1),
            (302, 3),
            (304, 1),
            (307, 1),
            (403, 1),
            (429, 1),
            (503, 1)
        ]
    );
    for path in ["/b", "/c", "/d"] {
        assert_eq!(e.path(path).unwrap().run, None, "{path}");
    }
    // Out of order in the file: /a at +5, and every /b, /c, /d line but /d at +9.
    assert_eq!(e.summary.totals().out_of_order, 8);
    assert_eq!(e.redirected_since(T0 + 1), ["/a", "/b", "/d"]);
}

#[test]
fn a_final_answer_logged_late_inside_a_run_makes_its_start_a_lower_bound() {
    let (ua, ip) = ("UA", "198.51.100.1");
    let lines = [
        line(T0, ip, "/a", 302, ua),
        line(T0 + 100, ip, "/a", 302, ua),
        line(T0 + 50, ip, "/a", 200, ua),
    ];
    let run = evidence_of(&lines, ReadOptions::default())
        .path("/a")
        .unwrap()
        .run
        .clone()
        .unwrap();
    assert_eq!((run.first, run.first_exact), (T0 + 100, false));
}

#[test]
fn googlebot_counts_verified_unverified_and_since() {
    let lines = [
        line(T0, "66.249.66.1", "/a", 302, GOOGLEBOT),
        line(T0 + 86_400, "66.249.66.1", "/a", 302, GOOGLEBOT),
        line(T0 + 86_401, "::ffff:66.249.66.1", "/a", 302, GOOGLEBOT),
        line(T0 + 86_402, "203.0.113.9", "/a", 302, GOOGLEBOT),
        line(T0 + 86_403, "66.249.66.1", "/a", 302, "Mozilla/5.0 Chrome"),
    ];
    let e = evidence_of(
        &lines,
        ReadOptions {
            since: Some(T0 + 3600),
            ..ReadOptions::default()
        },
    );
    let a = e.path("/a").unwrap();
    let day0 = i32::try_from(T0 / 86_400).unwrap();
    // The first verified request is before `since`: not counted, but seen.
    assert_eq!(a.googlebot_requests(day0), (2, 1));
    assert_eq!(a.googlebot_last_seen, Some(T0 + 86_401));
    assert_eq!((a.requests, a.requests_since), (5, 4));
    // Runs use every line, whatever `since` says.
    assert_eq!(a.run.as_ref().unwrap().first, T0);
}

#[test]
fn lines_for_other_hosts_are_skipped_and_nothing_matched_is_said() {
    let vhost = |host: &str| {
        format!(
            "{host} 198.51.100.1 - - [{}] \"GET /x HTTP/1.1\" 302 0 \"-\" \"UA\"\n",
            clf_time(T0)
        )
    };
    let lines = [
        vhost("example.com:443"),
        vhost("EXAMPLE.com:80"),
        vhost("other.org:443"),
    ];
    let options = || ReadOptions {
        site_hosts: vec!["example.com".into()],
        ..ReadOptions::default()
    };
    let e = evidence_of(&lines, options());
    assert_eq!(e.summary.files[0].format, Some(Format::Vhost));
    let t = e.summary.totals();
    assert_eq!((t.parsed, t.other_host), (3, 1));
    assert_eq!(e.path("/x").unwrap().requests, 2);
    assert!(!e.summary.nothing_matched());
    let e = evidence_of(&[vhost("other.org:443")], options());
    assert!(e.summary.nothing_matched());
    assert!(e.is_empty());
}

#[test]
fn the_other_www_variant_is_kept_apart_by_host() {
    let vhost = |host: &str, status: u16| {
        format!(
            "{host} 198.51.100.1 - - [{}] \"GET /x HTTP/1.1\" {status} 0 \"-\" \"UA\"\n",
            clf_time(T0)
        )
    };
    // www answers 302; the bare name 301s every path to www: the bare
    // name's 301 must not end www's run of 302s.
    let lines = [
        vhost("www.example.com:443", 302),
        vhost("example.com:443", 301),
        vhost("WWW.example.com:443", 302),
        vhost("other.org:443", 200),
    ];
    let e = evidence_of(
        &lines,
        ReadOptions {
            site_hosts: vec!["www.example.com".into()],
            variant_hosts: vec!["example.com".into()],
            ..ReadOptions::default()
        },
    );
    assert_eq!(e.summary.totals().other_host, 1);
    let www = e.path("/x").unwrap();
    assert_eq!(www.requests, 2);
    assert!(www.run.is_some(), "{www:?}");
    let bare = e.path("example.com/x").unwrap();
    assert_eq!((bare.requests, bare.statuses.get(301)), (1, 1));
}

#[test]
fn bad_lines_are_counted_with_their_numbers() {
    let mut lines: Vec<String> = (0..10)
        .map(|i| line(T0 + i, "198.51.100.1", "/ok", 200, "UA"))
        .collect();
    lines.insert(2, "garbage\n".into());
    lines.insert(5, "\n".into());
    lines.insert(7, "\0\u{1}\u{2}binary\n".into());
    lines.insert(9, format!("{}\n", "x".repeat(70_000)));
    lines.push("198.51.100.1 - - [10/Oct/2000:00:00:0".into()); // truncated last line
    let e = evidence_of(&lines, ReadOptions::default());
    let f = &e.summary.files[0];
    assert_eq!(f.format, Some(Format::Combined));
    assert_eq!(
        (
            f.counts.lines,
            f.counts.parsed,
            f.counts.unparseable,
            f.counts.too_long,
            f.counts.blank
        ),
        (15, 10, 3, 1, 1)
    );
    assert_eq!(f.unparseable_lines, [3, 8, 15]);
    assert_eq!(f.problem, None);
}

#[test]
fn a_truncated_gz_yields_what_was_decompressed_and_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let text = traffic(20_000, T0);
    let gz = gzip(text.as_bytes());
    let path = dir.path().join("access.log.2.gz");
    fs::write(&path, &gz[..gz.len() / 2]).unwrap();
    let e = read(&[&path], Fingerprints::default());
    let f = &e.summary.files[0];
    assert!(f.gzip);
    assert!(
        f.counts.parsed > 1000 && f.counts.parsed < 20_000,
        "{:?}",
        f.counts
    );
    let problem = f.problem.as_deref().unwrap();
    assert!(problem.contains("reading stopped early"), "{problem}");
}

#[test]
fn files_that_are_not_access_logs_are_reported_not_parsed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("error.log"),
        "2024/01/01 00:00:00 [error] 12#12: *1 open() failed\n".repeat(50),
    )
    .unwrap();
    fs::write(
        dir.path().join("binary"),
        (0..=255u8).cycle().take(100_000).collect::<Vec<_>>(),
    )
    .unwrap();
    fs::write(dir.path().join("empty.log"), "").unwrap();
    let e = read(&[dir.path()], Fingerprints::default());
    assert_eq!(e.summary.files.len(), 3);
    for f in &e.summary.files {
        assert_eq!(f.format, None, "{}", f.path.display());
        assert_eq!((f.counts.parsed, f.counts.unparseable), (0, 0));
    }
    let problems: Vec<_> = e
        .summary
        .files
        .iter()
        .map(|f| f.problem.is_some())
        .collect();
    // The empty file has nothing to say.
    let empty = e
        .summary
        .files
        .iter()
        .find(|f| f.path.ends_with("empty.log"))
        .unwrap();
    assert_eq!(empty.problem, None);
    assert_eq!(problems.iter().filter(|p| **p).count(), 2);
    let missing = LogReader::new(ReadOptions::default()).read_path(&dir.path().join("nope"));
    assert!(missing.is_err());
}

#[test]
fn a_forced_format_is_used_even_when_another_would_be_detected() {
    let lines = [line(T0, "198.51.100.1", "/x", 200, "UA")];
    let e = evidence_of(
        &lines,
        ReadOptions {
            format: Some(Format::Common),
            ..ReadOptions::default()
        },
    );
    let f = &e.summary.files[0];
    assert_eq!(f.format, Some(Format::Common));
    assert_eq!((f.counts.parsed, f.counts.unparseable), (0, 1));
}

#[test]
fn a_json_location_is_kept_on_the_run() {
    let lines = [
        r#"{"time_iso8601":"2000-10-10T00:00:00+00:00","remote_addr":"1.2.3.4","request":"GET /old HTTP/1.1","status":"302","http_user_agent":"UA","sent_http_location":"/new"}"#.to_owned() + "\n",
        r#"{"time_iso8601":"2000-10-10T00:00:01+00:00","remote_addr":"1.2.3.4","request":"GET /old HTTP/1.1","status":"302","http_user_agent":"UA","sent_http_location":"/newer"}"#.to_owned() + "\n",
    ];
    let e = evidence_of(&lines, ReadOptions::default());
    let run = e.path("/old").unwrap().run.clone().unwrap();
    assert_eq!(run.location.as_deref(), Some("/newer"));
}
