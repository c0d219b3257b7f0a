//! Ctrl-C / SIGTERM / SIGKILL mid-audit: reports written so far are complete
//! files marked interrupted, and the history stays consistent.

use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use testsite::{RawServer, Request};

use crate::support::{bin, listed_audits, read_csv, text};

/// A site whose `/slow` page answers only when the test says so; the test is
/// told when the crawler asked for it.
struct Stalling {
    server: RawServer,
    asked: mpsc::Receiver<()>,
    release: Arc<Mutex<Option<mpsc::Sender<()>>>>,
    _runtime: tokio::runtime::Runtime,
}

fn stalling_site() -> Stalling {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    let (asked_tx, asked) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let asked_tx = Mutex::new(asked_tx);
    let release_rx = Mutex::new(release_rx);
    let server = runtime
        .block_on(RawServer::with_handler(move |req: &Request| {
            let body = match req.path() {
                "/" => "<a href=\"/moved\">moved</a> <a href=\"/slow\">slow</a>",
                "/moved" => {
                    return b"HTTP/1.1 301 Moved\r\nLocation: /\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".to_vec();
                }
                "/slow" => {
                    let _ = asked_tx.lock().unwrap().send(());
                    // Held until the test has interrupted the audit.
                    let _ = release_rx.lock().unwrap().recv_timeout(Duration::from_secs(30));
                    "slow"
                }
                _ => "page",
            };
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}", body.len())
                .into_bytes()
        }))
        .unwrap();
    Stalling {
        server,
        asked,
        release: Arc::new(Mutex::new(Some(release_tx))),
        _runtime: runtime,
    }
}

fn start_audit(site: &Stalling, dir: &std::path::Path) -> Child {
    let url = site.server.url("/");
    bin()
        .args([
            "crawl",
            &url,
            "--rate",
            "0",
            "--retries",
            "0",
            "--no-sitemaps",
            "--concurrency",
            "1",
        ])
        .args(["--reports-dir", dir.join("reports").to_str().unwrap()])
        .args(["--history", dir.join("history.sqlite").to_str().unwrap()])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits until the crawler behind `child` has asked for `/slow`; kills it
/// and fails the test if it never does.
fn wait_for_slow(site: &Stalling, mut child: Child) -> Child {
    if site.asked.recv_timeout(Duration::from_secs(30)).is_err() {
        let _ = child.kill();
        panic!(
            "the crawler never reached /slow: {}",
            text(&child.wait_with_output().unwrap())
        );
    }
    child
}

fn signal(child: &Child, name: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn sigint_mid_crawl_writes_complete_files_marked_interrupted() {
    interrupted_by("INT");
}

#[test]
fn sigterm_mid_crawl_writes_complete_files_marked_interrupted() {
    interrupted_by("TERM");
}

fn interrupted_by(signal_name: &str) {
    let site = stalling_site();
    let dir = tempfile::tempdir().unwrap();
    let child = wait_for_slow(&site, start_audit(&site, dir.path()));
    signal(&child, signal_name);
    let out = child.wait_with_output().unwrap();
    site.release.lock().unwrap().take();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("interrupted"),
        "{}",
        text(&out)
    );

    let host_dir = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let audits: Vec<_> = std::fs::read_dir(&host_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with("latest"))
        .collect();
    assert_eq!(audits.len(), 1, "{audits:?}");
    assert!(
        !host_dir.join("latest").exists(),
        "an interrupted audit is not the latest complete one"
    );
    let audit = &audits[0];
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(audit.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["end"]["state"], "interrupted");
    for file in [
        "findings.csv",
        "redirects.csv",
        "hops.csv",
        "pages.csv",
        "changes.csv",
    ] {
        read_csv(&audit.join(file));
    }
    let pages = read_csv(&audit.join("pages.csv"));
    assert!(
        pages.iter().any(|p| p["url"].ends_with("/moved")),
        "{pages:#?}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(audit)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let audits = listed_audits(&dir.path().join("history.sqlite"), dir.path());
    assert!(
        audits.iter().any(|a| a.contains("interrupted")),
        "{audits:?}"
    );
}

#[test]
fn a_killed_audit_leaves_history_usable() {
    let site = stalling_site();
    let dir = tempfile::tempdir().unwrap();
    let mut child = wait_for_slow(&site, start_audit(&site, dir.path()));
    child.kill().unwrap();
    child.wait().unwrap();
    site.release.lock().unwrap().take();

    // The history file (if created) holds no half-written audit, and the next
    // audit runs normally.
    let history = dir.path().join("history.sqlite");
    if history.exists() {
        let audits = listed_audits(&history, dir.path());
        assert!(audits.is_empty(), "{audits:?}");
    }
}

#[test]
fn an_output_folder_that_disappears_is_a_clear_error() {
    let site = stalling_site();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("audit");
    let url = site.server.url("/");
    let child = bin()
        .args([
            "crawl",
            &url,
            "--rate",
            "0",
            "--retries",
            "0",
            "--no-sitemaps",
            "--no-history",
        ])
        .args(["--out", out_dir.to_str().unwrap()])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let child = wait_for_slow(&site, child);
    std::fs::remove_dir_all(&out_dir).unwrap();
    site.release.lock().unwrap().take();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot write") && stderr.contains("audit"),
        "{stderr}"
    );
}

/// A second signal while the first one's reports are being saved exits at
/// once with 130. The test holds the history file's write lock, so the audit
/// cannot finish on its own before the second signal (it would wait up to
/// the busy timeout), and waits for the binary's "press Ctrl-C again" note,
/// so the two signals cannot merge into one.
#[test]
fn a_second_signal_exits_at_once_with_130() {
    use std::io::{BufRead, BufReader};

    let site = stalling_site();
    let dir = tempfile::tempdir().unwrap();
    let mut child = wait_for_slow(&site, start_audit(&site, dir.path()));
    let history = dir.path().join("history.sqlite");
    let lock = rusqlite::Connection::open(&history).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();

    signal(&child, "TERM");
    let stderr = child.stderr.take().unwrap();
    let mut seen = String::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("press Ctrl-C again") {
            break;
        }
    }
    assert!(seen.contains("press Ctrl-C again"), "{seen}");
    signal(&child, "TERM");
    let status = child.wait().unwrap();
    site.release.lock().unwrap().take();
    assert_eq!(status.code(), Some(130), "{seen}");

    // Nothing was recorded: the history holds no audit once the lock goes.
    lock.execute_batch("ROLLBACK").unwrap();
    drop(lock);
    let audits = listed_audits(&history, dir.path());
    assert!(audits.is_empty(), "{audits:?}");
}
