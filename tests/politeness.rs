//! Per-host politeness in list mode: two local servers (two ports, two
//! hosts) are each held to the per-host rate, while running side by side.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use testsite::{RawServer, Request};

use crate::support::{run, text};

type Arrivals = Arc<Mutex<Vec<Instant>>>;

fn recording_server(runtime: &tokio::runtime::Runtime) -> (RawServer, Arrivals) {
    let arrivals: Arrivals = Arc::default();
    let log = arrivals.clone();
    let server = runtime
        .block_on(RawServer::with_handler(move |req: &Request| {
            if req.path() != "/robots.txt" {
                log.lock().unwrap().push(Instant::now());
            }
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok".to_vec()
        }))
        .unwrap();
    (server, arrivals)
}

/// Most arrivals within any window of `window`.
fn densest(arrivals: &[Instant], window: Duration) -> usize {
    let mut sorted = arrivals.to_vec();
    sorted.sort();
    (0..sorted.len())
        .map(|i| {
            sorted[i..]
                .iter()
                .take_while(|t| **t - sorted[i] < window)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn each_host_gets_its_own_rate_limit() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (a, a_arrivals) = recording_server(&runtime);
    let (b, b_arrivals) = recording_server(&runtime);
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.txt");
    let mut lines = String::new();
    for i in 0..30 {
        lines.push_str(&format!(
            "{}\n{}\n",
            a.url(&format!("/a/{i}")),
            b.url(&format!("/b/{i}"))
        ));
    }
    std::fs::write(&list, lines).unwrap();
    let started = Instant::now();
    let out = run(
        &[
            "check",
            list.to_str().unwrap(),
            "--no-history",
            "--out",
            dir.path().join("out").to_str().unwrap(),
            "--per-host-rate",
            "10",
            "--per-host-concurrency",
            "2",
            "--retries",
            "0",
        ],
        dir.path(),
    );
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let a_arrivals = a_arrivals.lock().unwrap().clone();
    let b_arrivals = b_arrivals.lock().unwrap().clone();
    assert_eq!((a_arrivals.len(), b_arrivals.len()), (30, 30));
    // GCRA at 10/s with a burst of 10: at most 10 + 10 × 0.5 in any 0.5 s.
    for arrivals in [&a_arrivals, &b_arrivals] {
        let peak = densest(arrivals, Duration::from_millis(500));
        assert!(peak <= 15, "{peak} requests to one host within 0.5 s");
    }
    // 30 requests at 10/s after a burst of 10 take at least 2 s per host…
    assert!(elapsed >= Duration::from_millis(1900), "{elapsed:?}");
    // …and the hosts are served side by side, not one after the other.
    let (a_last, b_first) = (
        a_arrivals.iter().max().unwrap(),
        b_arrivals.iter().min().unwrap(),
    );
    assert!(b_first < a_last, "host b waited for host a");
}
