//! Serves fixtures over real sockets on 127.0.0.1 and checks the bytes on
//! the wire with a plain TcpStream client.

use std::io::Read as _;
use std::net::SocketAddr;
use std::path::Path;

use redirect_audit_testsite::{RawServer, RunningSite, Site, embedded_demo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A response as read off the wire.
#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers(name).into_iter().next()
    }

    fn headers(&self, name: &str) -> Vec<&str> {
        self.head
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect()
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }
}

/// Reads one response with a `Content-Length` (no body for `HEAD`).
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>, head_only: bool) -> Response {
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        assert_ne!(stream.read_buf(buf).await.unwrap(), 0, "EOF inside head");
    };
    let head = String::from_utf8(buf[..end].to_vec()).unwrap();
    buf.drain(..end);
    let status = head[9..12].parse().unwrap();
    let mut response = Response {
        status,
        head,
        body: Vec::new(),
    };
    let len: usize = if head_only {
        0
    } else {
        response.header("content-length").unwrap().parse().unwrap()
    };
    while buf.len() < len {
        assert_ne!(stream.read_buf(buf).await.unwrap(), 0, "EOF inside body");
    }
    response.body = buf.drain(..len).collect();
    response
}

/// Sends one `Connection: close` request and reads the response.
async fn get_as(addr: SocketAddr, method: &str, host: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request =
        format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    read_response(&mut stream, &mut Vec::new(), method == "HEAD").await
}

async fn get(site: &RunningSite, target: &str) -> Response {
    get_as(site.addr(), "GET", &site.addr().to_string(), target).await
}

/// Sends a request and returns every byte until the server closes.
async fn raw_exchange(addr: SocketAddr, request: &str) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    out
}

async fn basic() -> RunningSite {
    Site::fixture("basic").unwrap().serve().await.unwrap()
}

fn inline(toml: &str) -> Site {
    Site::from_toml_str(toml, Path::new("/nonexistent")).unwrap()
}

#[tokio::test]
async fn serves_pages_with_html_content_type() {
    let site = basic().await;
    let home = get(&site, "/").await;
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains(r#"<a href="/chain-1">"#));
    assert_eq!(get(&site, "/about.html").await.status, 200);
    assert_eq!(get(&site, "/private/secret.html").await.status, 200);
}

#[tokio::test]
async fn serves_redirects_with_exact_location() {
    let site = basic().await;
    let r = get(&site, "/old-about").await;
    assert_eq!((r.status, r.header("location")), (301, Some("/about.html")));
    assert_eq!(r.header("content-length"), Some("0"));
    assert_eq!(r.header("content-type"), None);
    let r = get(&site, "/temp").await;
    let absolute = format!("{}/about.html", site.origin());
    assert_eq!(
        (r.status, r.header("location")),
        (302, Some(absolute.as_str()))
    );
    for (path, status, location) in [
        ("/see-other", 303, "contact.html"),
        ("/temp307", 307, "/contact.html"),
        ("/perm308", 308, "/about.html"),
    ] {
        let r = get(&site, path).await;
        assert_eq!((r.status, r.header("location")), (status, Some(location)));
    }
    assert!(
        get(&site, "/temp307")
            .await
            .head
            .starts_with("HTTP/1.1 307 Temporary Redirect\r\n")
    );
}

#[tokio::test]
async fn raw_route_sends_exact_bytes() {
    let site = basic().await;
    let authority = site.addr().to_string();
    let got = raw_exchange(
        site.addr(),
        &format!("GET /typo HTTP/1.1\r\nHost: {authority}\r\n\r\n"),
    )
    .await;
    let want = format!(
        "HTTP/1.1 302 Found\r\nLocation: http//{authority}/news.html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    assert_eq!(String::from_utf8(got).unwrap(), want);
}

#[tokio::test]
async fn unknown_path_is_404_html() {
    let site = basic().await;
    let r = get(&site, "/no/such/page").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(r.text().contains("404 Not Found"));
}

#[tokio::test]
async fn keep_alive_serves_two_requests_on_one_connection() {
    let site = basic().await;
    let mut stream = TcpStream::connect(site.addr()).await.unwrap();
    let mut buf = Vec::new();
    stream
        .write_all(b"GET /old-about HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let first = read_response(&mut stream, &mut buf, false).await;
    assert_eq!(first.status, 301);
    assert_eq!(first.header("connection"), None);
    stream
        .write_all(b"GET /about.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let second = read_response(&mut stream, &mut buf, false).await;
    assert_eq!(second.status, 200);
    assert_eq!(second.header("connection"), Some("close"));
    // The server closes after a `Connection: close` request.
    assert_eq!(stream.read_buf(&mut buf).await.unwrap(), 0);
    assert_eq!(site.requests(), ["GET /old-about", "GET /about.html"]);
}

#[tokio::test]
async fn pipelined_requests_are_answered_in_order() {
    let site = basic().await;
    let got = raw_exchange(
        site.addr(),
        "GET /temp307 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /perm308 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    )
    .await;
    let text = String::from_utf8(got).unwrap();
    let first = text.find("307 Temporary Redirect").unwrap();
    let second = text.find("308 Permanent Redirect").unwrap();
    assert!(first < second, "{text}");
}

#[tokio::test]
async fn head_has_headers_but_no_body() {
    let site = basic().await;
    let get_len = get(&site, "/").await.body.len();
    let mut stream = TcpStream::connect(site.addr()).await.unwrap();
    stream
        .write_all(b"HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut all = Vec::new();
    stream.read_to_end(&mut all).await.unwrap();
    let text = String::from_utf8(all).unwrap();
    assert!(
        text.ends_with("\r\n\r\n"),
        "HEAD response had a body: {text}"
    );
    assert!(
        text.contains(&format!("Content-Length: {get_len}\r\n")),
        "{text}"
    );
}

#[tokio::test]
async fn other_methods_get_405() {
    let site = basic().await;
    let r = get_as(site.addr(), "DELETE", "a", "/").await;
    assert_eq!((r.status, r.header("allow")), (405, Some("GET, HEAD")));
}

#[tokio::test]
async fn request_count_and_log_track_every_request() {
    let site = basic().await;
    get(&site, "/chain-1").await;
    get(&site, "/chain-1").await;
    get_as(site.addr(), "HEAD", "x.test", "/about.html?q=1").await;
    assert_eq!(site.request_count("/chain-1"), 2);
    assert_eq!(site.request_count("/about.html?q=1"), 1);
    assert_eq!(site.request_count("/about.html"), 0);
    assert_eq!(
        site.requests(),
        ["GET /chain-1", "GET /chain-1", "HEAD /about.html?q=1"]
    );
    assert_eq!(site.request_log()[2].authority.as_deref(), Some("x.test"));
    site.clear_requests();
    assert!(site.requests().is_empty());
}

#[tokio::test]
async fn templates_use_the_request_authority_and_port() {
    let site = basic().await;
    let port = site.port();
    let own = get(&site, "/robots.txt").await;
    assert_eq!(
        own.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(
        own.text()
            .contains(&format!("Sitemap: http://127.0.0.1:{port}/sitemap.xml"))
    );
    let named = get_as(
        site.addr(),
        "GET",
        &format!("demo.test:{port}"),
        "/sitemap.xml",
    )
    .await;
    assert_eq!(named.header("content-type"), Some("application/xml"));
    assert!(
        named
            .text()
            .contains(&format!("<loc>http://demo.test:{port}/old-about</loc>"))
    );

    let site = inline(
        r#"
        [[route]]
        path = "/t"
        status = 200
        headers = [["X-Where", "{host} {port} {path}"]]
        body = "{origin}|{authority}|{nothing}"
        "#,
    )
    .serve()
    .await
    .unwrap();
    let port = site.port();
    let r = get_as(site.addr(), "GET", &format!("Demo.Test:{port}"), "/t?a=1").await;
    assert_eq!(
        r.header("x-where"),
        Some(format!("Demo.Test {port} /t?a=1").as_str())
    );
    assert_eq!(
        r.text(),
        format!("http://Demo.Test:{port}|Demo.Test:{port}|{{nothing}}")
    );
}

#[tokio::test]
async fn routes_match_on_host_name() {
    let site = inline(
        r#"
        [[route]]
        host = "www.demo.test"
        path = "*"
        status = 301
        location = "http://demo.test:{port}{path}"
        [[route]]
        path = "/"
        status = 200
        body = "home"
        "#,
    )
    .serve()
    .await
    .unwrap();
    let port = site.port();
    let r = get_as(site.addr(), "GET", &format!("WWW.demo.test:{port}"), "/a?b").await;
    let want = format!("http://demo.test:{port}/a?b");
    assert_eq!((r.status, r.header("location")), (301, Some(want.as_str())));
    let r = get_as(site.addr(), "GET", &format!("demo.test:{port}"), "/").await;
    assert_eq!((r.status, r.text().as_str()), (200, "home"));
}

#[tokio::test]
async fn raw_files_keep_non_utf8_bytes() {
    let dir = std::env::temp_dir().join(format!("testsite-raw-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("raw")).unwrap();
    let bytes =
        b"HTTP/1.1 301 Moved\r\nLocation: /caf\xe9\r\nLocation: /b\r\nContent-Length: 0\r\n\r\n";
    std::fs::write(dir.join("raw/latin1.http"), bytes).unwrap();
    std::fs::write(
        dir.join("site.toml"),
        "[[route]]\npath = \"/x\"\nraw_file = \"raw/latin1.http\"\n",
    )
    .unwrap();
    let site = Site::load(&dir).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let site = site.serve().await.unwrap();
    let got = raw_exchange(site.addr(), "GET /x HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert_eq!(got, bytes);
}

#[tokio::test]
async fn gzip_body_and_gzip_bomb() {
    let site = inline(
        r#"
        [[route]]
        path = "/sitemap.xml.gz"
        status = 200
        gzip_body = true
        body = "<loc>{origin}/</loc>"
        [[route]]
        path = "/bomb"
        status = 200
        gzip_bomb_bytes = 1000000
        "#,
    )
    .serve()
    .await
    .unwrap();
    let r = get(&site, "/sitemap.xml.gz").await;
    assert_eq!(r.header("content-type"), Some("application/x-gzip"));
    assert_eq!(r.header("content-encoding"), None);
    let mut text = String::new();
    flate2::read::GzDecoder::new(&r.body[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, format!("<loc>{}/</loc>", site.origin()));

    let r = get(&site, "/bomb").await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert!(r.body.len() < 10_000);
    let mut inflated = Vec::new();
    flate2::read::GzDecoder::new(&r.body[..])
        .read_to_end(&mut inflated)
        .unwrap();
    assert_eq!(inflated.len(), 1_000_000);
}

#[tokio::test]
async fn never_ending_body_keeps_coming() {
    let site = inline("[[route]]\npath = \"/endless\"\nstatus = 200\nnever_end = true\n")
        .serve()
        .await
        .unwrap();
    let mut stream = TcpStream::connect(site.addr()).await.unwrap();
    stream
        .write_all(b"GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")
        .await
        .unwrap();
    let mut got = Vec::new();
    while got.len() < 1 << 20 {
        assert_ne!(stream.read_buf(&mut got).await.unwrap(), 0);
    }
    let text = String::from_utf8_lossy(&got[..200]);
    assert!(text.contains("Transfer-Encoding: chunked\r\n"), "{text}");
}

#[tokio::test]
async fn delay_and_slow_bytes_still_deliver_the_response() {
    let site = inline(
        r#"
        [[route]]
        path = "/slow"
        status = 301
        location = "/x"
        delay_ms = 30
        slow_bytes_ms = 1
        "#,
    )
    .serve()
    .await
    .unwrap();
    let started = std::time::Instant::now();
    let r = get(&site, "/slow").await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(30));
    assert_eq!((r.status, r.header("location")), (301, Some("/x")));
}

#[tokio::test]
async fn malformed_and_oversized_requests_are_refused() {
    let site = basic().await;
    let got = raw_exchange(site.addr(), "NONSENSE\r\n\r\n").await;
    assert!(got.starts_with(b"HTTP/1.1 400 Bad Request\r\n"));
    let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(20_000));
    let got = raw_exchange(site.addr(), &big).await;
    assert!(
        got.starts_with(b"HTTP/1.1 431 "),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

#[tokio::test]
async fn shutdown_closes_the_listener() {
    let site = basic().await;
    let addr = site.addr();
    site.shutdown().await;
    assert!(TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn raw_server_sends_bytes_and_logs_requests() {
    let bytes = b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n".to_vec();
    let server = RawServer::start(bytes.clone()).await.unwrap();
    let got = raw_exchange(server.addr(), "GET /a HTTP/1.1\r\nHost: h\r\n\r\n").await;
    assert_eq!(got, bytes);
    let server2 =
        RawServer::with_handler(|req| format!("{} {}", req.method, req.target).into_bytes())
            .await
            .unwrap();
    let got = raw_exchange(server2.addr(), "HEAD /b?c HTTP/1.1\r\n\r\n").await;
    assert_eq!(got, b"HEAD /b?c");
    assert_eq!(server.requests()[0].target, "/a");
    assert_eq!(server.url("/z"), format!("http://{}/z", server.addr()));
}

#[test]
fn embedded_demo_equals_the_fixture() {
    assert_eq!(embedded_demo(), Site::fixture("demo").unwrap());
}

#[test]
fn every_fixture_loads() {
    for entry in std::fs::read_dir(redirect_audit_testsite::fixtures_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.join("site.toml").is_file() {
            Site::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
    }
}

/// Follows same-server redirects whose Location is `/path` or an
/// `http://host:PORT/path` URL, as `(host, status)` hops; stops at the
/// first non-3xx, a repeat, or a Location it does not handle.
async fn follow(site: &RunningSite, host: &str, path: &str) -> Vec<(String, u16)> {
    let port = site.port();
    let (mut host, mut target) = (host.to_owned(), path.to_owned());
    let mut hops: Vec<(String, u16)> = Vec::new();
    loop {
        let r = get_as(site.addr(), "GET", &format!("{host}:{port}"), &target).await;
        let here = format!("{host}{target}");
        let repeat = hops.iter().any(|(url, _)| *url == here);
        hops.push((here, r.status));
        let Some(location) = r
            .header("location")
            .filter(|_| (300..400).contains(&r.status))
        else {
            return hops;
        };
        if repeat {
            return hops;
        }
        if let Some(rest) = location.strip_prefix("http://") {
            let (authority, path) = rest.split_at(rest.find('/').unwrap());
            host = authority.split(':').next().unwrap().to_owned();
            target = path.to_owned();
        } else if location.starts_with('/') {
            target = location.to_owned();
        } else {
            return hops;
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn statuses(hops: &[(String, u16)]) -> Vec<u16> {
    hops.iter().map(|(_, s)| *s).collect()
}

#[tokio::test]
async fn basic_chains_match_expected_md() {
    let site = basic().await;
    let h = "127.0.0.1";
    assert_eq!(
        statuses(&follow(&site, h, "/chain-1").await),
        [301, 302, 301, 200]
    );
    let looped = follow(&site, h, "/loop-a").await;
    assert_eq!(statuses(&looped), [301, 302, 301]);
    assert_eq!(looped[2].0, "127.0.0.1/loop-a");
    let sitemap = get(&site, "/sitemap.xml").await.text();
    assert!(sitemap.contains(&format!("<loc>{}/sitemap-only.html</loc>", site.origin())));
    let robots = get(&site, "/robots.txt").await.text();
    assert!(robots.contains("Disallow: /private/\n"));
}

#[tokio::test]
async fn demo_has_every_chain_shape() {
    let site = Site::fixture("demo").unwrap().serve().await.unwrap();
    let d = "demo.test";
    assert_eq!(
        statuses(&follow(&site, d, "/green").await),
        [301, 301, 301, 200]
    );
    assert_eq!(statuses(&follow(&site, d, "/black").await), [301, 302, 200]);
    let newsletter = follow(&site, d, "/newsletter").await;
    assert_eq!(newsletter.len(), 7, "{newsletter:?}");
    let long = follow(&site, d, "/old-catalogue-2015").await;
    assert_eq!(long.len(), 13, "12 hops then 200: {long:?}");
    assert_eq!(long.last().unwrap().1, 200);
    assert_eq!(
        statuses(&follow(&site, d, "/account").await),
        [302, 302, 302]
    );
    assert_eq!(
        statuses(&follow(&site, d, "/teas/rooibos").await),
        [301, 404]
    );
    assert_eq!(statuses(&follow(&site, d, "/checkout").await), [302, 500]);
    for (path, status) in [
        ("/blog", 302),
        ("/About.html", 302),
        ("/index.html", 302),
        ("/newsletter/signup", 303),
        ("/basket", 307),
        ("/teas/oolong", 308),
    ] {
        let hops = follow(&site, d, path).await;
        assert_eq!(statuses(&hops), [status, 200], "{path}");
    }
    let www = follow(&site, "www.demo.test", "/faq.html").await;
    assert_eq!(
        www,
        [
            ("www.demo.test/faq.html".to_owned(), 302),
            ("demo.test/faq.html".to_owned(), 200)
        ]
    );
    let offsite = follow(&site, d, "/partners/teaclub").await;
    assert_eq!(offsite[1], ("elsewhere.test/".to_owned(), 200));
    let port = site.port();
    let r = get_as(
        site.addr(),
        "GET",
        &format!("elsewhere.test:{port}"),
        "/about.html",
    )
    .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn demo_sends_each_broken_location_exactly() {
    let site = Site::fixture("demo").unwrap().serve().await.unwrap();
    let port = site.port();
    let authority = format!("demo.test:{port}");
    let raw = raw_exchange(
        site.addr(),
        &format!("GET /latest-news HTTP/1.1\r\nHost: {authority}\r\n\r\n"),
    )
    .await;
    let want = format!("Location: http//{authority}/news.html\r\n");
    assert!(contains(&raw, want.as_bytes()));
    let raw = raw_exchange(site.addr(), "GET /cafe HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert!(contains(&raw, b"Location: /caf\xe9-menu.html\r\n"));
    let raw = raw_exchange(site.addr(), "GET /careers HTTP/1.1\r\nHost: a\r\n\r\n").await;
    assert!(contains(&raw, b"Location: /jobs/\tcareers.html\r\n"));

    let location = |path: &'static str| {
        let authority = authority.clone();
        let addr = site.addr();
        async move { get_as(addr, "GET", &authority, path).await }
    };
    for (path, want) in [
        ("/spring-sale", format!("http:/{authority}/offers/")),
        (
            "/gift-cards",
            format!(r"http:\\{authority}\offers\gift-cards.html"),
        ),
        ("/wholesale", format!("https:{authority}/wholesale.html")),
        ("/catalogue", "http:///catalogue.pdf".to_owned()),
        ("/stockists", "http://demo.test:/stockists.html".to_owned()),
        ("/brewing-guide", "/guides/brewing guide.html".to_owned()),
        ("/loyalty", format!("htp://{authority}/offers/")),
        ("/chat", "javascript:openChat()".to_owned()),
        ("/clearance", String::new()),
        ("/teaware/kettles/old", "../".to_owned()),
        ("/search", "?q=all".to_owned()),
        ("/secure", format!("https://{authority}/secure")),
    ] {
        let r = location(path).await;
        assert_eq!(r.headers("location"), [want.as_str()], "{path}");
    }
    let r = location("/summer-collection").await;
    assert_eq!(
        r.headers("location"),
        ["/collections/summer.html", "/offers/"]
    );
    let r = location("/old-shop").await;
    assert_eq!((r.status, r.headers("location").len()), (302, 0));
    let r = location("/delivery").await;
    assert_eq!(r.header("refresh"), Some("0; url=/shipping.html"));
    let r = location("/press.html").await;
    let want = format!("<http://{authority}/press>; rel=\"canonical\"");
    assert_eq!(r.header("link"), Some(want.as_str()));
    assert_eq!(get(&site, "/guides/brewing%20guide.html").await.status, 200);
}

#[tokio::test]
async fn demo_pages_carry_the_in_html_cases() {
    let site = Site::fixture("demo").unwrap().serve().await.unwrap();
    let port = site.port();
    let authority = format!("demo.test:{port}");
    let page = |path: &'static str| {
        let authority = authority.clone();
        let addr = site.addr();
        async move { get_as(addr, "GET", &authority, path).await.text() }
    };
    let home = page("/").await;
    assert!(home.contains(&format!(r#"hreflang="de" href="http://{authority}/de""#)));
    assert!(home.contains(&format!(r#"href="http://www.demo.test:{port}/faq.html""#)));
    assert!(
        page("/shipping-info.html")
            .await
            .contains(r#"content="0; url=/shipping.html""#)
    );
    assert!(
        page("/returns-old.html")
            .await
            .contains(r#"content="5; url=/returns.html""#)
    );
    assert!(
        page("/members-area.html")
            .await
            .contains("0;URL='/members.html'")
    );
    assert!(
        page("/gift-guide.html")
            .await
            .contains(r#"window.location.href = "/offers/";"#)
    );
    assert!(
        page("/products/jasmine-pearls.html")
            .await
            .contains(&format!(
                r#"rel="canonical" href="http://{authority}/products/jasmine-pearls""#
            ))
    );
    let robots = page("/robots.txt").await;
    assert!(robots.contains("Disallow: /private/"));
    assert!(robots.contains(&format!("Sitemap: http://{authority}/sitemap_index.xml")));
    assert!(
        page("/sitemap.xml")
            .await
            .contains(&format!("<loc>http://{authority}/green</loc>"))
    );
    let gz = get_as(site.addr(), "GET", &authority, "/sitemap-journal.xml.gz").await;
    let mut journal = String::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_string(&mut journal)
        .unwrap();
    assert!(journal.contains(&format!("<loc>http://{authority}/blog</loc>")));
    let html_pages = Site::fixture("demo")
        .unwrap()
        .page_paths()
        .iter()
        .filter(|p| p.ends_with('/') || p.ends_with(".html"))
        .count();
    assert!((30..=40).contains(&html_pages), "{html_pages} pages");
}
