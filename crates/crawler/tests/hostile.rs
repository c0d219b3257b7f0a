//! Hostile and broken servers: every scenario ends within a bound, records
//! what went wrong as data, and never panics.

mod support;

use support::{crawl_from, first_response};

use std::time::{Duration, Instant};

use model::{AuditEnd, CrawlOutput, FetchErrorKind, Truncation};
use redirect_audit_crawler::CrawlConfig;
use testsite::{RawServer, Request, Site};

const TIMEOUT: Duration = Duration::from_millis(400);

async fn crawl(start: &str, tweak: impl FnOnce(&mut CrawlConfig)) -> CrawlOutput {
    crawl_from(start, |c| {
        c.timeout = TIMEOUT;
        tweak(c);
    })
    .await
}

/// Serves `bytes` for `/` (and a 200 for anything else), closing each
/// connection.
async fn raw(bytes: Vec<u8>) -> RawServer {
    RawServer::with_handler(move |req: &Request| {
        if req.path() == "/" {
            bytes.clone()
        } else {
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok".to_vec()
        }
    })
    .await
    .unwrap()
}

async fn site(toml: &str) -> testsite::RunningSite {
    Site::from_toml_str(toml, std::path::Path::new("."))
        .unwrap()
        .serve()
        .await
        .unwrap()
}

fn error_kind(out: &CrawlOutput) -> Option<FetchErrorKind> {
    first_response(out).error.as_ref().map(|e| e.kind)
}

#[tokio::test]
async fn slow_headers_time_out() {
    let server =
        site("[[route]]\npath = \"/\"\nstatus = 200\nbody = \"hello\"\nslow_bytes_ms = 200\n")
            .await;
    let started = Instant::now();
    let out = crawl(&server.url("/"), |_| {}).await;
    assert_eq!(error_kind(&out), Some(FetchErrorKind::Timeout));
    assert!(started.elapsed() < TIMEOUT * 5, "{:?}", started.elapsed());
}

/// Sends the head at once, then a body byte every 20 ms, forever.
async fn trickling_server() -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\n";
                if socket.write_all(head).await.is_err() {
                    return;
                }
                let mut tick = tokio::time::interval(Duration::from_millis(20));
                loop {
                    tick.tick().await;
                    if socket.write_all(b"x").await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (addr, task)
}

#[tokio::test]
async fn a_slow_body_times_out_with_the_status_kept() {
    let (addr, server) = trickling_server().await;
    let started = Instant::now();
    let out = crawl(&format!("http://{addr}/"), |_| {}).await;
    assert!(started.elapsed() < TIMEOUT * 5, "{:?}", started.elapsed());
    assert_eq!(first_response(&out).status, Some(200));
    assert_eq!(error_kind(&out), Some(FetchErrorKind::Timeout));
    server.abort();
}

#[tokio::test]
async fn a_body_that_never_ends_is_cut_at_the_body_cap() {
    let server = site(
        "[[route]]\npath = \"/\"\nstatus = 200\ncontent_type = \"text/html\"\nnever_end = true\n",
    )
    .await;
    let out = crawl(&server.url("/"), |c| {
        c.max_body_bytes = 64 * 1024;
        c.timeout = Duration::from_secs(10);
    })
    .await;
    assert_eq!(error_kind(&out), Some(FetchErrorKind::BodyTooLarge));
}

/// A 32 MiB body of zeros, compressed by `route_key` (a testsite bomb
/// key), is cut at the 256 KiB cap without being inflated.
async fn bomb_is_capped(route_key: &str) {
    let server = site(&format!(
        "[[route]]\npath = \"/\"\nstatus = 200\ncontent_type = \"text/html\"\n{route_key} = 33554432\n"
    ))
    .await;
    let started = Instant::now();
    let out = crawl(&server.url("/"), |c| {
        c.max_body_bytes = 256 * 1024;
        c.timeout = Duration::from_secs(10);
    })
    .await;
    assert_eq!(
        error_kind(&out),
        Some(FetchErrorKind::BodyTooLarge),
        "{route_key}"
    );
    // The 32 MiB are never inflated: reading stops at 256 KiB.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{route_key}: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_gzip_bomb_is_capped_after_decompression() {
    bomb_is_capped("gzip_bomb_bytes").await;
}

#[tokio::test]
async fn a_brotli_bomb_is_capped_after_decompression() {
    bomb_is_capped("brotli_bomb_bytes").await;
}

#[tokio::test]
async fn the_audit_deadline_stops_a_server_that_never_answers() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let started = Instant::now();
    let out = crawl(&format!("http://{addr}/"), |c| {
        c.timeout = Duration::from_secs(30);
        c.deadline = Some(Duration::from_millis(300));
    })
    .await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        out.end,
        AuditEnd::Truncated {
            limits: vec![Truncation::Deadline]
        }
    );
    hold.abort();
}

#[tokio::test]
async fn malformed_responses_are_protocol_errors_on_the_record() {
    let huge_header = format!(
        "HTTP/1.1 200 OK\r\nX-Big: {}\r\nContent-Length: 0\r\n\r\n",
        "a".repeat(512 * 1024)
    );
    let many_locations = format!(
        "HTTP/1.1 302 Found\r\n{}Content-Length: 0\r\n\r\n",
        (0..300)
            .map(|i| format!("Location: /l{i}\r\n"))
            .collect::<String>()
    );
    let megabyte_location = format!(
        "HTTP/1.1 302 Found\r\nLocation: /{}\r\nContent-Length: 0\r\n\r\n",
        "x".repeat(2 << 20)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("invalid status line", b"HTTP/1.1 abc Nope\r\nContent-Length: 0\r\n\r\n".to_vec()),
        ("not HTTP at all", b"SSH-2.0-OpenSSH_9.0\r\n".to_vec()),
        ("control byte in Location", b"HTTP/1.1 302 Found\r\nLocation: /a\x01b\r\nContent-Length: 0\r\n\r\n".to_vec()),
        ("huge header", huge_header.into_bytes()),
        ("300 Location headers", many_locations.into_bytes()),
        ("2 MiB Location", megabyte_location.into_bytes()),
        (
            "reset mid-body",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n<a href=/x>".to_vec(),
        ),
    ];
    for (name, bytes) in cases {
        let server = raw(bytes).await;
        let out = crawl(&server.url("/"), |_| {}).await;
        let hop = &first_response(&out);
        let recorded =
            hop.error.is_some() || (!hop.locations.is_empty() && name == "300 Location headers");
        assert!(recorded, "{name}: nothing recorded: {hop:?}");
        if let Some(error) = &hop.error {
            assert!(
                matches!(error.kind, FetchErrorKind::Protocol | FetchErrorKind::Other),
                "{name}: {error:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_line_break_in_a_location_is_two_headers_not_an_injection() {
    let server = raw(b"HTTP/1.1 302 Found\r\nLocation: /a\r\nSet-Cookie: injected=1\r\nContent-Length: 0\r\n\r\n".to_vec()).await;
    let out = crawl(&server.url("/"), |_| {}).await;
    let hop = &out.chains[0].hops[0];
    assert_eq!(hop.locations.len(), 1);
    assert_eq!(hop.locations[0].as_bytes(), b"/a");
}

#[tokio::test]
async fn an_http_1_0_close_delimited_body_is_read_and_parsed() {
    let server = raw(
        b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<a href=\"/next\">next</a>".to_vec(),
    )
    .await;
    let out = crawl(&server.url("/"), |_| {}).await;
    assert_eq!(first_response(&out).error, None);
    assert_eq!(out.stats.links, 1);
    assert!(
        out.pages.to_vec().iter().any(|p| p.url.ends_with("/next")),
        "the link was followed"
    );
}

/// robots.txt read as Google reads it: 4xx allows all, 5xx disallows all,
/// HTML or garbage allows all, a huge file is read up to 500 KiB.
#[tokio::test]
async fn robots_txt_edge_cases() {
    let huge = format!(
        "User-agent: *\n{}Disallow: /late\n",
        "# padding line\n".repeat(60_000)
    );
    let cases: Vec<(&str, String, bool)> = vec![
        ("404", "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".into(), true),
        ("503", "HTTP/1.1 503 Unavailable\r\nContent-Length: 0\r\n\r\n".into(), false),
        ("html", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 27\r\n\r\n<html><body>hi</body></html".into(), true),
        (
            "huge, rule past 500 KiB",
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{huge}", huge.len()),
            true,
        ),
    ];
    for (name, robots, allowed) in cases {
        let server = RawServer::with_handler(move |req: &Request| match req.path() {
            "/robots.txt" => robots.clone().into_bytes(),
            _ => b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok".to_vec(),
        })
        .await
        .unwrap();
        let out = crawl(&server.url("/late"), |c| c.obey_robots = true).await;
        let blocked = first_response(&out).error.as_ref().map(|e| e.kind)
            == Some(FetchErrorKind::BlockedByRobots);
        assert_eq!(!blocked, allowed, "{name}: {:?}", first_response(&out));
    }
}
