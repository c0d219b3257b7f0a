//! The history in PostgreSQL, end to end: a real server started by the
//! test harness (`testpg`), the real binary, fixture sites on loopback.
//! PostgreSQL missing is a failure with the reason, never a skip.

use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::{Output, Stdio};
use std::sync::Mutex;
use std::time::Instant;

use testsite::{RawServer, Request};

use crate::support::{FAST, Served, bin, read_csv, run, text};

const PASSWORD: &str = "s3cret-pw";

fn server() -> &'static testpg::Server {
    testpg::shared().unwrap_or_else(|e| panic!("{e}"))
}

/// A fresh database's URL with a password in it (the test server trusts
/// loopback logins, so any password is accepted: what matters is that it
/// never shows).
fn fresh_database(server: &testpg::Server) -> String {
    let url = server.fresh_database().unwrap_or_else(|e| panic!("{e}"));
    url.replacen(
        &format!("{}@", testpg::USER),
        &format!("{}:{PASSWORD}@", testpg::USER),
        1,
    )
}

/// The URL as the binary shows it.
fn redacted(url: &str) -> String {
    url.replacen(&format!(":{PASSWORD}@"), "@", 1)
}

fn query_i64(url: &str, sql: &str) -> i64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client.query_one(sql, &[]).unwrap().get(0)
}

/// `crawl URL --now NOW --out DIR/NAME` plus `extra`, history from `extra`
/// or the environment.
fn crawl(url: &str, now: &str, dir: &Path, name: &str, extra: &[&str]) -> std::process::Command {
    let out_dir = dir.join(name);
    let mut command = bin();
    command
        .args(["crawl", url, "--now", now, "--out"])
        .arg(&out_dir)
        .args(["--fail-on", "never"])
        .args(FAST)
        .args(extra)
        .current_dir(dir);
    command
}

fn output(mut command: std::process::Command) -> Output {
    command.output().unwrap()
}

/// Every file under `dir`, read as bytes, must not contain `needle`.
fn assert_nowhere_in(dir: &Path, needle: &str) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            assert_nowhere_in(&path, needle);
        } else {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(needle),
                "{} holds the password",
                path.display()
            );
        }
    }
}

#[test]
fn two_audits_60_days_apart_age_in_postgres_and_the_password_never_shows() {
    let server = server();
    let db = fresh_database(server);
    let dir = tempfile::tempdir().unwrap();
    let served = Served::fixture("history-v1");
    let url = format!("{}/", served.origin());

    let first = output(crawl(
        &url,
        "2026-01-01T02:00:00Z",
        dir.path(),
        "first",
        &["--history", &db],
    ));
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));

    // The second audit names the database in the environment only. The
    // site is unchanged (not replaced: its port must stay the same, and
    // other tests' connections may take a released port), so its 302s have
    // lasted 60 days.
    let mut second = crawl(&url, "2026-03-02T02:00:00Z", dir.path(), "second", &[]);
    second.env("REDIRECT_AUDIT_HISTORY", &db);
    let second = output(second);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second));
    let findings = read_csv(&dir.path().join("second/findings.csv"));
    let long_lived = findings
        .iter()
        .find(|f| f["rule"] == "long-lived-temporary-redirect" && f["url"].ends_with("/persistent"))
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!(long_lived["age_days"], "60");
    assert_eq!(long_lived["audits_seen"], "2");

    // The flag wins over the environment.
    let mut third = crawl(
        &url,
        "2026-03-03T02:00:00Z",
        dir.path(),
        "third",
        &["--history", &db],
    );
    third.env(
        "REDIRECT_AUDIT_HISTORY",
        "postgres://nobody:x@127.0.0.1:1/nowhere",
    );
    let third = output(third);
    assert_eq!(third.status.code(), Some(0), "{}", text(&third));
    drop(served);

    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("second/summary.json")).unwrap())
            .unwrap();
    assert_eq!(
        summary["settings"]["history"],
        serde_json::Value::from(redacted(&db)),
        "{summary:#}"
    );
    for out in [&first, &second, &third] {
        assert!(!text(out).contains(PASSWORD), "{}", text(out));
    }
    assert_nowhere_in(dir.path(), PASSWORD);
    assert_eq!(
        query_i64(
            &db,
            &format!(
                "SELECT count(*) FROM redirect_audit.audits WHERE settings_json LIKE '%{PASSWORD}%'"
            )
        ),
        0
    );
    assert_eq!(
        query_i64(&db, "SELECT count(*) FROM redirect_audit.audits"),
        3
    );

    // `history list` without --site: one line per site with its counts.
    let list = run(&["history", "list", "--history", &db], dir.path());
    assert_eq!(list.status.code(), Some(0), "{}", text(&list));
    let listed = String::from_utf8_lossy(&list.stdout);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    let fields: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(fields[0], served_origin(&url));
    assert_eq!(fields[1], "3", "{listed}");
    // --site: that site's audits, one line each.
    let site = run(
        &[
            "history",
            "list",
            "--site",
            served_origin(&url),
            "--history",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(site.status.code(), Some(0), "{}", text(&site));
    let site_lines = String::from_utf8_lossy(&site.stdout).lines().count();
    assert_eq!(site_lines, 1 + 3);
    let none = run(
        &[
            "history",
            "list",
            "--site",
            "https://elsewhere.example",
            "--history",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(String::from_utf8_lossy(&none.stdout).lines().count(), 1);
}

/// `http://127.0.0.1:PORT` of `http://127.0.0.1:PORT/`.
fn served_origin(url: &str) -> &str {
    url.trim_end_matches('/')
}

#[test]
fn an_unreachable_server_fails_before_the_crawl_with_exit_2() {
    // A port nobody listens on: bound, then released.
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let db = format!("postgres://audit:{PASSWORD}@127.0.0.1:{port}/history");
    let dir = tempfile::tempdir().unwrap();
    let served = Served::fixture("history-v1");
    let out = output(crawl(
        &format!("{}/", served.origin()),
        "2026-01-01T02:00:00Z",
        dir.path(),
        "out",
        &["--history", &db],
    ));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "cannot connect to the audit history database postgres://audit@127.0.0.1:{port}/history"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains(PASSWORD), "{stderr}");
    // Nothing was crawled: no report beyond the empty folder.
    assert!(!dir.path().join("out/summary.json").exists());
    assert!(!dir.path().join("out/hops.csv").exists());
}

/// Serves `/` as a 302 to `/landing` and `/landing` as a page; calls
/// `on_first` when the first request has arrived and before answering it.
struct GatedSite {
    server: RawServer,
    _runtime: tokio::runtime::Runtime,
}

fn gated_site(on_first: impl FnOnce() + Send + 'static) -> GatedSite {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let on_first = Mutex::new(Some(on_first));
    let server = runtime
        .block_on(RawServer::with_handler(move |req: &Request| {
            if let Some(f) = on_first.lock().unwrap().take() {
                f();
            }
            if req.path() == "/" {
                return b"HTTP/1.1 302 Found\r\nLocation: /landing\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_vec();
            }
            let body = "<html><body>landed</body></html>";
            format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes()
        }))
        .unwrap();
    GatedSite {
        server,
        _runtime: runtime,
    }
}

#[test]
fn a_server_stopped_during_the_audit_loses_nothing_history_import_restores_it() {
    let server = std::sync::Arc::new(testpg::Server::start().unwrap_or_else(|e| panic!("{e}")));
    let db = fresh_database(&server);
    let dir = tempfile::tempdir().unwrap();
    // The first request reaches the site only after the audit opened its
    // history (before the crawl): the server is stopped right then.
    let stopper = std::sync::Arc::clone(&server);
    let site = gated_site(move || stopper.stop().unwrap());
    let out = output(crawl(
        &site.server.url("/"),
        "2026-01-01T02:00:00Z",
        dir.path(),
        "out",
        &["--history", &db, "--ignore-robots", "--no-sitemaps"],
    ));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("but the audit was NOT saved in the history"),
        "{stderr}"
    );
    assert!(stderr.contains("history import"), "{stderr}");
    assert!(!stderr.contains(PASSWORD), "{stderr}");
    // The reports are complete.
    let hops = read_csv(&dir.path().join("out/hops.csv"));
    assert!(hops.iter().any(|h| h["status"] == "302"), "{hops:#?}");
    assert!(dir.path().join("out/summary.json").exists());

    server.restart().unwrap();
    assert_eq!(
        query_i64(&db, "SELECT count(*) FROM redirect_audit.audits"),
        0,
        "nothing half-written"
    );
    let import = run(
        &[
            "history",
            "import",
            dir.path().join("out").to_str().unwrap(),
            "--history",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(import.status.code(), Some(0), "{}", text(&import));
    assert_eq!(
        query_i64(&db, "SELECT count(*) FROM redirect_audit.audits"),
        1
    );
    assert!(query_i64(&db, "SELECT count(*) FROM redirect_audit.observations") >= 1);
}

#[test]
fn a_second_audit_of_the_same_site_waits_for_the_lock_then_fails_clearly() {
    let db = fresh_database(server());
    let dir = tempfile::tempdir().unwrap();
    let served = Served::fixture("history-v1");
    let url = format!("{}/", served.origin());
    // Creates the schema.
    let first = output(crawl(
        &url,
        "2026-01-01T02:00:00Z",
        dir.path(),
        "a",
        &["--history", &db],
    ));
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));

    // Another audit of the site holds its lock (the same key the binary uses).
    let mut holder = postgres::Client::connect(&db, postgres::NoTls).unwrap();
    holder
        .execute(
            "SELECT pg_advisory_lock($1, hashtext($2))",
            &[&history_application_id(), &served_origin(&url)],
        )
        .unwrap();
    let started = Instant::now();
    let blocked = output(crawl(
        &url,
        "2026-01-02T02:00:00Z",
        dir.path(),
        "b",
        &["--history", &db, "--history-lock-timeout", "0.5"],
    ));
    assert_eq!(blocked.status.code(), Some(2), "{}", text(&blocked));
    assert!(started.elapsed().as_secs_f64() >= 0.5);
    let stderr = String::from_utf8_lossy(&blocked.stderr);
    assert!(
        stderr.contains(&format!("another audit of {}", served_origin(&url))),
        "{stderr}"
    );
    assert!(!dir.path().join("b/summary.json").exists(), "not crawled");

    // Released: the next audit goes through.
    holder
        .execute(
            "SELECT pg_advisory_unlock($1, hashtext($2))",
            &[&history_application_id(), &served_origin(&url)],
        )
        .unwrap();
    let after = output(crawl(
        &url,
        "2026-01-03T02:00:00Z",
        dir.path(),
        "c",
        &["--history", &db],
    ));
    assert_eq!(after.status.code(), Some(0), "{}", text(&after));
    assert_eq!(
        query_i64(&db, "SELECT count(*) FROM redirect_audit.audits"),
        2
    );
}

/// `history::APPLICATION_ID`, the advisory lock's first key (`RAUD`).
fn history_application_id() -> i32 {
    0x5241_5544
}

/// A small site of its own for each concurrent audit.
fn small_site(n: usize) -> Served {
    Served::toml(&format!(
        r#"
[[route]]
path = "/"
status = 200
body = "<a href='/old-{n}'>old</a> <a href='/moved-{n}'>moved</a> <a href='/page-{n}'>page</a>"

[[route]]
path = "/old-{n}"
status = 302
location = "/page-{n}"

[[route]]
path = "/moved-{n}"
status = 301
location = "/page-{n}"

[[route]]
path = "/page-{n}"
status = 200
body = "<html><body>page {n}</body></html>"
"#
    ))
}

#[test]
#[expect(
    clippy::print_stderr,
    reason = "the timing numbers are the test's report"
)]
fn twenty_sites_and_two_audits_of_one_site_at_once_against_one_server() {
    let db = fresh_database(server());
    let dir = tempfile::tempdir().unwrap();
    // Created once, so the 22 processes race on data rather than on DDL.
    let setup = run(&["history", "list", "--history", &db], dir.path());
    assert_eq!(setup.status.code(), Some(0), "{}", text(&setup));
    // 20 sites audited once, and a 21st audited twice at the same time
    // (an hour apart on the audit clock): the site lock serialises those.
    let sites: Vec<Served> = (0..21).map(small_site).collect();
    let mut urls: Vec<String> = sites.iter().map(|s| format!("{}/", s.origin())).collect();
    urls.push(urls[20].clone());
    let started = Instant::now();
    let children: Vec<_> = urls
        .iter()
        .enumerate()
        .map(|(i, url)| {
            let now = if i == 21 {
                "2026-01-01T03:00:00Z"
            } else {
                "2026-01-01T02:00:00Z"
            };
            let mut command = crawl(
                url,
                now,
                dir.path(),
                &format!("out-{i}"),
                &["--history", &db],
            );
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
            command.spawn().unwrap()
        })
        .collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let elapsed = started.elapsed();
    for out in &outputs {
        assert_eq!(out.status.code(), Some(0), "{}", text(out));
    }
    eprintln!(
        "21 sites, 22 concurrent audits into one PostgreSQL: {:.2} s wall",
        elapsed.as_secs_f64()
    );
    assert_eq!(
        query_i64(&db, "SELECT count(*) FROM redirect_audit.audits"),
        22
    );
    assert_eq!(
        query_i64(
            &db,
            "SELECT count(DISTINCT site) FROM redirect_audit.audits"
        ),
        21
    );
    // Every audit recorded its redirects (the 302 and the 301 of its site).
    assert_eq!(
        query_i64(
            &db,
            "SELECT count(*) FROM redirect_audit.audits a WHERE
               (SELECT count(*) FROM redirect_audit.observations o WHERE o.audit_id = a.id) < 2"
        ),
        0
    );
    let list = run(&["history", "list", "--history", &db], dir.path());
    let listed = String::from_utf8_lossy(&list.stdout);
    assert_eq!(listed.lines().count(), 22, "{listed}");
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with(&format!("{}\t2\t", served_origin(&urls[20])))),
        "{listed}"
    );
}

#[test]
fn migrate_moves_a_history_from_sqlite_to_postgres_and_back() {
    let db = fresh_database(server());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history.sqlite");
    let served = Served::fixture("history-v1");
    let url = format!("{}/", served.origin());
    for (now, name) in [
        ("2026-01-01T02:00:00Z", "one"),
        ("2026-02-01T02:00:00Z", "two"),
    ] {
        let out = output(crawl(
            &url,
            now,
            dir.path(),
            name,
            &["--history", file.to_str().unwrap()],
        ));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    let listing = |history: &str| -> Vec<String> {
        let list = run(
            &["history", "list", "--all", "--history", history],
            dir.path(),
        );
        assert_eq!(list.status.code(), Some(0), "{}", text(&list));
        String::from_utf8_lossy(&list.stdout)
            .lines()
            .map(str::to_owned)
            .collect()
    };
    let before = listing(file.to_str().unwrap());
    assert_eq!(before.len(), 3);

    let migrate = |from: &str, to: &str| {
        run(
            &["history", "migrate", "--from", from, "--to", to],
            dir.path(),
        )
    };
    let to_pg = migrate(file.to_str().unwrap(), &db);
    assert_eq!(to_pg.status.code(), Some(0), "{}", text(&to_pg));
    assert!(
        text(&to_pg).contains("the counts match"),
        "{}",
        text(&to_pg)
    );
    assert!(!text(&to_pg).contains(PASSWORD));
    assert_eq!(listing(&db), before);
    assert!(query_i64(&db, "SELECT count(*) FROM redirect_audit.findings") > 0);

    // Into a history that already holds the site: refused.
    let again = migrate(file.to_str().unwrap(), &db);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again));
    assert!(
        text(&again).contains("already holds history of"),
        "{}",
        text(&again)
    );

    let back = dir.path().join("back.sqlite");
    let to_file = migrate(&db, back.to_str().unwrap());
    assert_eq!(to_file.status.code(), Some(0), "{}", text(&to_file));
    assert_eq!(listing(back.to_str().unwrap()), before);
    let conn = rusqlite::Connection::open(&back).unwrap();
    let findings: i64 = conn
        .query_row("SELECT count(*) FROM findings", [], |r| r.get(0))
        .unwrap();
    let pg_findings = query_i64(&db, "SELECT count(*) FROM redirect_audit.findings");
    assert_eq!(findings, pg_findings);
}

/// A mistyped `--from` file is refused, not created empty and "copied".
#[test]
fn migrate_from_a_missing_file_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        &[
            "history",
            "migrate",
            "--from",
            "typo.sqlite",
            "--to",
            "copy.sqlite",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("the history file typo.sqlite does not exist"),
        "{}",
        text(&out)
    );
    assert!(!dir.path().join("typo.sqlite").exists());
    assert!(!dir.path().join("copy.sqlite").exists());
}

/// Two machines each audit a `--scope-prefix` of one site into one
/// history: neither resets the other's ages (README, "Many machines").
#[test]
fn prefix_shards_of_one_site_keep_each_others_ages() {
    let db = fresh_database(server());
    let dir = tempfile::tempdir().unwrap();
    let served = sharded_site();
    let o = served.origin();
    for (day, now) in [(0, "2026-01-01T02:00:00Z"), (60, "2026-03-02T02:00:00Z")] {
        // The two shards run at once, as two machines would.
        let children: Vec<_> = ["a", "b"]
            .iter()
            .map(|shard| {
                let mut command = crawl(
                    &format!("{o}/{shard}/"),
                    now,
                    dir.path(),
                    &format!("{shard}-{day}"),
                    &["--history", &db, "--scope-prefix", &format!("/{shard}/")],
                );
                command.stdout(Stdio::piped()).stderr(Stdio::piped());
                command.spawn().unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        }
    }
    for shard in ["a", "b"] {
        let findings = read_csv(&dir.path().join(format!("{shard}-60/findings.csv")));
        let long_lived = findings
            .iter()
            .find(|f| f["rule"] == "long-lived-temporary-redirect")
            .unwrap_or_else(|| panic!("shard {shard}: {findings:#?}"));
        assert_eq!(long_lived["url"], format!("{o}/{shard}/old"));
        assert_eq!(long_lived["age_days"], "60", "shard {shard}");
    }
    // The dashboard view says the same.
    let mut client = postgres::Client::connect(&db, postgres::NoTls).unwrap();
    let ages: Vec<(String, f64)> = client
        .query(
            "SELECT url, extract(epoch FROM age)::float8 / 86400
             FROM redirect_audit.temporary_redirect_ages ORDER BY url",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        ages,
        [(format!("{o}/a/old"), 60.0), (format!("{o}/b/old"), 60.0)]
    );
}

/// A site with a temporary redirect under `/a/` and one under `/b/`.
fn sharded_site() -> Served {
    Served::toml(
        r#"
[[route]]
path = "/"
status = 200
body = "<a href='/a/'>a</a> <a href='/b/'>b</a>"

[[route]]
path = "/a/"
status = 200
body = "<a href='/a/old'>old</a>"

[[route]]
path = "/a/old"
status = 302
location = "/a/new"

[[route]]
path = "/a/new"
status = 200
body = "new a"

[[route]]
path = "/b/"
status = 200
body = "<a href='/b/old'>old</a>"

[[route]]
path = "/b/old"
status = 302
location = "/b/new"

[[route]]
path = "/b/new"
status = 200
body = "new b"
"#,
    )
}

/// The site lock is per shard: an audit of `/b/` does not wait for one of
/// `/a/`, a second audit of `/a/` does.
#[test]
fn shards_by_prefix_lock_separately() {
    let db = fresh_database(server());
    let dir = tempfile::tempdir().unwrap();
    let served = sharded_site();
    let o = served.origin();
    let setup = run(&["history", "list", "--history", &db], dir.path());
    assert_eq!(setup.status.code(), Some(0), "{}", text(&setup));
    let mut holder = postgres::Client::connect(&db, postgres::NoTls).unwrap();
    let shard_a = format!("{o}/a/");
    holder
        .execute(
            "SELECT pg_advisory_lock($1, hashtext($2))",
            &[&history_application_id(), &shard_a],
        )
        .unwrap();
    let shard = |name: &str| {
        output(crawl(
            &format!("{o}/{name}/"),
            "2026-01-01T02:00:00Z",
            dir.path(),
            name,
            &[
                "--history",
                &db,
                "--scope-prefix",
                &format!("/{name}/"),
                "--history-lock-timeout",
                "0.5",
            ],
        ))
    };
    let b = shard("b");
    assert_eq!(b.status.code(), Some(0), "{}", text(&b));
    let a = shard("a");
    assert_eq!(a.status.code(), Some(2), "{}", text(&a));
    assert!(
        text(&a).contains(&format!("another audit of {shard_a}")),
        "{}",
        text(&a)
    );
}

/// `demo` and `check` take a database too (every command with `--history`).
#[test]
fn demo_and_check_record_into_postgres() {
    let db = fresh_database(server());
    let dir = tempfile::tempdir().unwrap();
    let demo = run(&["demo", "--history", &db], dir.path());
    assert_eq!(demo.status.code(), Some(0), "{}", text(&demo));
    // The demo's access log went into the database too (schema version 3),
    // and aged /winter-sale-2025 from the first audit.
    let paths = query_i64(
        &db,
        "SELECT count(*) FROM redirect_audit.log_paths WHERE path = '/winter-sale-2025'",
    );
    assert_eq!(paths, 1);
    let findings = read_csv(&dir.path().join("reports/demo/latest/findings.csv"));
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "long-lived-temporary-redirect"
                && f["url"].ends_with("/winter-sale-2025")
                && f["age_source"] == "access-log"),
        "the logs' age, read back from PostgreSQL"
    );

    let served = Served::fixture("history-v1");
    let list = dir.path().join("urls.txt");
    std::fs::write(&list, format!("{}/persistent\n", served.origin())).unwrap();
    let mut check = bin();
    check
        .args([
            "check",
            list.to_str().unwrap(),
            "--fail-on",
            "never",
            "--out",
        ])
        .arg(dir.path().join("check"))
        .env("REDIRECT_AUDIT_HISTORY", &db)
        .current_dir(dir.path());
    let check = check.output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    assert_eq!(
        query_i64(&db, "SELECT count(*) FROM redirect_audit.audits"),
        2
    );
    assert_eq!(
        query_i64(
            &db,
            "SELECT count(*) FROM redirect_audit.audits WHERE site LIKE 'check:%'"
        ),
        1
    );
}
