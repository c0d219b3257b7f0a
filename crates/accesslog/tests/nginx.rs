//! A real nginx writes its own access logs (combined, combined with
//! `$sent_http_location`, and `escape=json`) while requests hit it over
//! 127.0.0.1; the crate reads them back. This checks the parsers against a
//! real server's output, not only hand-written lines.
//!
//! nginx must be installed (`apt-get install -y nginx`; `.ci/run` does it):
//! without it this test fails, it does not skip.

use std::fs;
use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use redirect_audit_accesslog::{Format, LogReader, ReadOptions};

const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

fn nginx_binary() -> PathBuf {
    let candidates = std::env::var_os("NGINX")
        .map(PathBuf::from)
        .into_iter()
        .chain(["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx"].map(PathBuf::from));
    for c in candidates {
        if c.is_file() {
            return c;
        }
    }
    panic!(
        "nginx is not installed (looked at $NGINX, /usr/sbin/nginx, /usr/local/sbin/nginx, \
         /usr/bin/nginx): this test needs a real nginx; install it with apt-get install -y nginx"
    );
}

/// nginx in the foreground with a prefix of its own; killed if the test
/// panics before stopping it.
struct Nginx {
    binary: PathBuf,
    prefix: PathBuf,
    child: Option<Child>,
}

impl Nginx {
    fn command(&self) -> Command {
        let mut c = Command::new(&self.binary);
        c.arg("-p")
            .arg(&self.prefix)
            .arg("-c")
            .arg(self.prefix.join("nginx.conf"))
            .arg("-e")
            .arg(self.prefix.join("error.log"));
        c
    }

    fn log(&self) -> String {
        fs::read_to_string(self.prefix.join("error.log")).unwrap_or_default()
    }

    /// Stops nginx gracefully (`-s quit`: requests finish, logs are
    /// closed) and waits for it, within a bound.
    fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let status = self.command().args(["-s", "quit"]).status().unwrap();
        assert!(status.success(), "nginx -s quit failed: {}", self.log());
        for _ in 0..500 {
            if child.try_wait().unwrap().is_some() {
                return;
            }
            thread::sleep(Duration::from_millis(10));
        }
        let _ = child.kill();
        panic!("nginx did not exit within 5 s of -s quit: {}", self.log());
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn config(prefix: &Path, port: u16) -> String {
    let p = prefix.display();
    format!(
        r#"daemon off;
master_process off;
pid {p}/nginx.pid;
error_log {p}/error.log warn;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {p}/tmp/client_body;
    proxy_temp_path {p}/tmp/proxy;
    fastcgi_temp_path {p}/tmp/fastcgi;
    uwsgi_temp_path {p}/tmp/uwsgi;
    scgi_temp_path {p}/tmp/scgi;
    log_format with_location '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$sent_http_location"';
    log_format json escape=json '{{"time_iso8601":"$time_iso8601","remote_addr":"$remote_addr","request":"$request","status":"$status","http_user_agent":"$http_user_agent","host":"$host","sent_http_location":"$sent_http_location"}}';
    access_log {p}/combined.log combined;
    access_log {p}/location.log with_location;
    access_log {p}/json.log json;
    absolute_redirect off;
    server {{
        listen 127.0.0.1:{port};
        server_name site.test;
        location = /old {{ return 302 /new; }}
        location = /new {{ return 200 "new\n"; }}
        location / {{ return 404; }}
    }}
}}
"#
    )
}

/// Starts nginx on a free port: the OS picks one (bind to port 0, read it,
/// release it); if another process takes it first, nginx fails to bind and
/// the next port is tried.
fn start(prefix: &Path) -> (Nginx, u16) {
    let binary = nginx_binary();
    fs::create_dir_all(prefix.join("tmp")).unwrap();
    for _ in 0..5 {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        fs::write(prefix.join("nginx.conf"), config(prefix, port)).unwrap();
        let mut nginx = Nginx {
            binary: binary.clone(),
            prefix: prefix.to_owned(),
            child: None,
        };
        let child = nginx
            .command()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        nginx.child = Some(child);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        // Ready when the port accepts a connection; at most 10 s.
        for _ in 0..400 {
            if let Some(status) = nginx.child.as_mut().unwrap().try_wait().unwrap() {
                nginx.child = None;
                assert!(
                    nginx.log().contains("Address already in use"),
                    "nginx exited ({status}) at start: {}",
                    nginx.log()
                );
                break;
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(25)).is_ok() {
                return (nginx, port);
            }
            thread::sleep(Duration::from_millis(25));
        }
        assert!(
            nginx.child.is_none(),
            "nginx did not answer on {addr}: {}",
            nginx.log()
        );
    }
    panic!("nginx could not bind a free port in 5 tries");
}

/// Sends one request and reads the whole response (nginx has written the
/// log line before it closes the connection).
fn get(port: u16, target: &str, user_agent: &str) -> u16 {
    let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: site.test\r\nUser-Agent: {user_agent}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    response[9..12].parse().unwrap()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .try_into()
        .unwrap()
}

#[test]
fn a_real_nginx_log_reads_back_request_by_request() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = fs::canonicalize(dir.path()).unwrap();
    let (mut nginx, port) = start(&prefix);
    let before = now();
    let requests = [
        ("/old", "Mozilla/5.0 (X11; Linux x86_64)", 302),
        ("/new", "Mozilla/5.0 (X11; Linux x86_64)", 200),
        ("/missing", "curl/8.5.0", 404),
        ("/old?from=bot", GOOGLEBOT, 302),
        ("/new", "quote \" and backslash \\ in UA", 200),
    ];
    for (target, ua, status) in requests {
        assert_eq!(get(port, target, ua), status, "{target}");
    }
    nginx.stop();
    let after = now();

    // Line by line, in each format nginx wrote.
    for (file, format, locations) in [
        ("combined.log", Format::Combined, false),
        ("location.log", Format::Combined, true),
        ("json.log", Format::Json, true),
    ] {
        let text = fs::read(prefix.join(file)).unwrap();
        let lines: Vec<&[u8]> = text
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines.len(), requests.len(), "{file}");
        assert_eq!(
            redirect_audit_accesslog::detect(lines.iter().copied()),
            Some(format),
            "{file}"
        );
        for (line, (target, ua, status)) in lines.iter().zip(requests) {
            let r = format
                .parse(line)
                .unwrap_or_else(|_| panic!("{file}: {}", String::from_utf8_lossy(line)));
            assert_eq!(r.client, Some("127.0.0.1".parse().unwrap()), "{file}");
            assert_eq!(
                (r.method.as_ref(), r.target.as_ref(), r.status),
                ("GET", target, status)
            );
            assert!(
                (before..=after).contains(&r.time),
                "{file}: time {} not in {before}..={after}",
                r.time
            );
            if format == Format::Json {
                // escape=json writes \" and \\, which JSON unescapes.
                assert_eq!(r.user_agent, ua, "{file}");
                assert_eq!(r.host.as_deref(), Some("site.test"));
            } else if ua.contains('"') {
                // nginx escapes " and \ in combined logs as \x22 and \x5C.
                assert_eq!(r.user_agent, r"quote \x22 and backslash \x5C in UA");
            } else {
                assert_eq!(r.user_agent, ua, "{file}");
            }
            let expected_location = (locations && status == 302).then_some("/new");
            assert_eq!(r.location.as_deref(), expected_location, "{file} {target}");
        }
    }

    // And through the reader: the evidence the audit will use.
    for file in ["combined.log", "location.log", "json.log"] {
        let mut reader = LogReader::new(ReadOptions {
            site_hosts: vec!["site.test".into()],
            ..ReadOptions::default()
        });
        reader.read_path(&prefix.join(file)).unwrap();
        let e = reader.finish();
        let t = e.summary.totals();
        assert_eq!(
            (t.lines, t.parsed, t.unparseable, t.other_host),
            (5, 5, 0, 0),
            "{file}"
        );
        let old = e.path("/old").unwrap();
        let run = old.run.as_ref().unwrap();
        assert!((before..=after).contains(&run.first));
        assert_eq!(run.status, 302);
        let bot = e.path("/old?from=bot").unwrap();
        // 127.0.0.1 is not Google's: the Googlebot User-Agent is unverified.
        assert_eq!(bot.googlebot_requests(i32::MIN), (0, 1), "{file}");
        assert_eq!(e.path("/new").unwrap().statuses.get(200), 2);
        assert_eq!(e.path("/missing").unwrap().run, None);
        assert_eq!(e.redirected_since(before), ["/old", "/old?from=bot"]);
    }
}
