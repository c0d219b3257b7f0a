//! The crawler against a raw TCP server that writes exact bytes: responses
//! HTTP frameworks refuse to send.

mod support;

use support::{crawl_from, first_response};

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use model::{AuditEnd, ChainEnd, FetchErrorKind};
use testsite::{RawServer, Request};

const OK: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n\r\nok";

/// Serves `first` for `/start` and a plain 200 page for anything else.
async fn server(first: &'static [u8]) -> RawServer {
    RawServer::with_handler(move |req: &Request| {
        if req.path() == "/start" {
            first.to_vec()
        } else {
            OK.to_vec()
        }
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn keeps_every_location_header_raw() {
    let server = server(
        b"HTTP/1.1 301 Moved\r\nLocation: /a\r\nLocation: /b\xff\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    let out = crawl_from(&server.url("/start"), |_| {}).await;
    let hop = &out.chains[0].hops[0];
    let raw: Vec<&[u8]> = hop.locations.iter().map(|l| l.as_bytes()).collect();
    assert_eq!(raw, vec![&b"/a"[..], &b"/b\xff"[..]]);
    assert_eq!(hop.target.as_deref(), Some(server.url("/a").as_str()));
    assert_eq!(out.chains[0].status_path(), "301 → 200");
}

#[tokio::test]
async fn a_redirect_without_location_ends_the_chain() {
    let server = server(b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n").await;
    let out = crawl_from(&server.url("/start"), |_| {}).await;
    assert!(out.chains[0].hops[0].locations.is_empty());
    assert_eq!(out.chains[0].end, ChainEnd::NoTarget);
}

#[tokio::test]
async fn an_empty_location_is_recorded_as_empty() {
    let server = server(b"HTTP/1.1 302 Found\r\nLocation: \r\nContent-Length: 0\r\n\r\n").await;
    let out = crawl_from(&server.url("/start"), |_| {}).await;
    let hop = &out.chains[0].hops[0];
    assert_eq!(hop.locations.len(), 1);
    assert!(hop.locations[0].is_empty());
    assert_eq!(hop.target, None);
    assert_eq!(out.chains[0].end, ChainEnd::NoTarget);
}

#[tokio::test]
async fn broken_chunking_is_a_protocol_error_on_the_record() {
    let server = server(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nbroken\r\n",
    )
    .await;
    let out = crawl_from(&server.url("/start"), |_| {}).await;
    let page = &out.pages.to_vec()[0];
    assert_eq!(page.response.status, Some(200));
    assert_eq!(
        page.response.error.as_ref().map(|e| e.kind),
        Some(FetchErrorKind::Protocol)
    );
    assert_eq!(out.end, AuditEnd::Completed);
}

#[tokio::test]
async fn retry_after_is_honoured_then_the_page_is_recorded() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let server = RawServer::with_handler(move |_req: &Request| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n"
                .to_vec()
        } else {
            OK.to_vec()
        }
    })
    .await
    .unwrap();
    let out = crawl_from(&server.url("/start"), |c| c.retries = 2).await;
    assert_eq!(first_response(&out).status, Some(200));
    assert_eq!(first_response(&out).attempts, 2);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_maximum_is_not_waited_for() {
    let server =
        server(b"HTTP/1.1 503 Busy\r\nRetry-After: 86400\r\nContent-Length: 0\r\n\r\n").await;
    let out = crawl_from(&server.url("/start"), |c| c.retries = 3).await;
    assert_eq!(first_response(&out).status, Some(503));
    assert_eq!(first_response(&out).attempts, 1);
}

#[tokio::test]
async fn an_unreachable_host_is_a_connect_error_on_the_record() {
    // Bind then drop a listener: the port is closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = crawl_from(&format!("http://127.0.0.1:{port}/"), |_| {}).await;
    assert_eq!(first_response(&out).status, None);
    assert_eq!(
        first_response(&out).error.as_ref().map(|e| e.kind),
        Some(FetchErrorKind::Connect)
    );
}

#[tokio::test]
async fn a_slow_response_times_out() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Accept and never answer.
    let hold = tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            held.push(socket);
        }
    });
    let out = crawl_from(&format!("http://{addr}/"), |c| {
        c.timeout = Duration::from_millis(200)
    })
    .await;
    assert_eq!(
        first_response(&out).error.as_ref().map(|e| e.kind),
        Some(FetchErrorKind::Timeout)
    );
    hold.abort();
}

#[tokio::test]
async fn https_to_a_server_that_does_not_speak_tls_is_a_tls_error() {
    let server = server(OK).await;
    let url = server.url("/start").replace("http://", "https://");
    let out = crawl_from(&url, |_| {}).await;
    assert_eq!(first_response(&out).status, None);
    assert_eq!(
        first_response(&out).error.as_ref().map(|e| e.kind),
        Some(FetchErrorKind::Tls)
    );
}
