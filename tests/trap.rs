//! A spider trap of a million URLs, cut by `--max-urls`: the audit ends,
//! says why, and stays small in memory.

use testsite::{RawServer, Request};

use crate::support::{read_csv, text};

/// Every page links to 100 new pages: a million distinct URLs three levels down.
fn trap_page(req: &Request) -> Vec<u8> {
    let n: u64 = req.path().trim_start_matches("/t/").parse().unwrap_or(0);
    let links: String = (0..100)
        .map(|k| format!("<a href=\"/t/{}\">{k}</a>", n * 100 + k + 1))
        .collect();
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{links}",
        links.len()
    )
    .into_bytes()
}

#[test]
fn a_million_url_trap_is_cut_at_max_urls_in_bounded_memory() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime
        .block_on(RawServer::with_handler(trap_page))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    let url = server.url("/t/0");
    let out = crate::support::bin()
        .env("RUST_LOG", "redirect_audit=info")
        .args([
            "-v",
            "crawl",
            &url,
            "--max-urls",
            "10000",
            "--max-per-pattern",
            "0",
            "--rate",
            "0",
            "--concurrency",
            "16",
            "--retries",
            "0",
            "--no-history",
            "--no-sitemaps",
            "--ignore-robots",
            "--fail-on",
            "never",
            "--out",
            out_dir.to_str().unwrap(),
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["end"]["state"], "truncated", "{summary:#}");
    assert_eq!(summary["end"]["limits"][0], "max-urls", "{summary:#}");
    assert_eq!(read_csv(&out_dir.join("pages.csv")).len(), 10_000);
    // The binary logs its own peak RSS (VmHWM) at info level, last when
    // the audit has finished.
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak_kib: u64 = stderr
        .rsplit("peak_rss_kib=")
        .next()
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no peak_rss_kib in the log: {stderr}"));
    let peak_mib = peak_kib / 1024;
    assert!(peak_mib <= 100, "peak RSS {peak_mib} MiB");
}
