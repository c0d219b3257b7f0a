//! JSON-lines access logs: nginx `log_format … escape=json` whose keys are
//! nginx variable names, and Caddy's default JSON access log. One parser
//! reads both: Caddy's `request` is an object, nginx's a string.

use std::borrow::Cow;

use serde::Deserialize;

use crate::record::{Record, Unparseable, client, origin_form, request_line, status, text};
use crate::time;

/// A string or a number (nginx writes `"status":"302"` or `"status":302`
/// depending on the `log_format`; Caddy's `ts` is a float by default and a
/// string with `time_format`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar<'a> {
    Number(f64),
    Text(#[serde(borrow)] Cow<'a, str>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Request<'a> {
    /// nginx `$request`: `GET /a HTTP/1.1`.
    Line(#[serde(borrow)] Cow<'a, str>),
    /// Caddy's request object.
    Caddy(#[serde(borrow)] CaddyRequest<'a>),
}

#[derive(Deserialize)]
struct CaddyRequest<'a> {
    #[serde(borrow)]
    remote_ip: Option<Cow<'a, str>>,
    #[serde(borrow)]
    host: Option<Cow<'a, str>>,
    #[serde(borrow)]
    method: Option<Cow<'a, str>>,
    #[serde(borrow)]
    uri: Option<Cow<'a, str>>,
    #[serde(borrow)]
    headers: Option<Headers<'a>>,
}

/// Caddy writes headers canonicalised, each as a list of values.
#[derive(Deserialize)]
struct Headers<'a> {
    #[serde(borrow, rename = "User-Agent")]
    user_agent: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow, rename = "Location")]
    location: Option<Vec<Cow<'a, str>>>,
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    time_iso8601: Option<Cow<'a, str>>,
    #[serde(borrow)]
    time_local: Option<Cow<'a, str>>,
    #[serde(borrow)]
    ts: Option<Scalar<'a>>,
    #[serde(borrow)]
    remote_addr: Option<Cow<'a, str>>,
    #[serde(borrow)]
    request_method: Option<Cow<'a, str>>,
    #[serde(borrow)]
    request_uri: Option<Cow<'a, str>>,
    #[serde(borrow)]
    request: Option<Request<'a>>,
    #[serde(borrow)]
    status: Option<Scalar<'a>>,
    #[serde(borrow)]
    http_user_agent: Option<Cow<'a, str>>,
    #[serde(borrow)]
    host: Option<Cow<'a, str>>,
    #[serde(borrow)]
    sent_http_location: Option<Cow<'a, str>>,
    #[serde(borrow)]
    resp_headers: Option<Headers<'a>>,
}

fn nonempty(s: Option<Cow<'_, str>>) -> Option<Cow<'_, str>> {
    s.filter(|s| !s.is_empty() && s != "-")
}

/// The parts `split` cuts out of a JSON string, borrowing from the line
/// when the string did (it had no escapes).
fn parts<'a, const N: usize>(
    s: Cow<'a, str>,
    split: impl for<'b> Fn(&'b [u8]) -> [&'b [u8]; N],
) -> [Cow<'a, str>; N] {
    match s {
        Cow::Borrowed(b) => split(b.as_bytes()).map(text),
        Cow::Owned(o) => {
            split(o.as_bytes()).map(|p| Cow::Owned(String::from_utf8_lossy(p).into_owned()))
        }
    }
}

/// Keeps only the origin-form part of a target.
fn target(t: Cow<'_, str>) -> Cow<'_, str> {
    let [t] = parts(t, |b| [origin_form(b)]);
    t
}

/// Parses one JSON line (nginx or Caddy keys).
pub(crate) fn parse_json_line(line: &[u8]) -> Result<Record<'_>, Unparseable> {
    let line = line.trim_ascii();
    if line.first() != Some(&b'{') {
        return Err(Unparseable);
    }
    let l: Line<'_> = serde_json::from_slice(line).map_err(|_| Unparseable)?;
    let time = if let Some(t) = &l.time_iso8601 {
        time::parse_iso(t.as_bytes())
    } else if let Some(t) = &l.time_local {
        time::parse_clf(t.as_bytes())
    } else {
        match &l.ts {
            Some(Scalar::Number(n)) if n.is_finite() => Some(n.floor() as i64),
            Some(Scalar::Text(t)) => time::parse_iso(t.as_bytes()),
            _ => None,
        }
    }
    .ok_or(Unparseable)?;
    let status = match l.status.ok_or(Unparseable)? {
        Scalar::Number(n) if (100.0..600.0).contains(&n) && n.fract() == 0.0 => n as u16,
        Scalar::Text(t) => status(t.as_bytes())?,
        Scalar::Number(_) => return Err(Unparseable),
    };
    let mut host = nonempty(l.host);
    let mut addr = l.remote_addr;
    let mut user_agent = nonempty(l.http_user_agent);
    let mut location = nonempty(l.sent_http_location);
    let (method, target) = match (l.request, l.request_uri) {
        (_, Some(uri)) => (l.request_method.unwrap_or_default(), target(uri)),
        (Some(Request::Line(line)), None) => {
            let [m, t] = parts(line, |b| {
                let (m, t) = request_line(b);
                [m, t]
            });
            (m, t)
        }
        (Some(Request::Caddy(r)), None) => {
            addr = addr.or(r.remote_ip);
            host = host.or(nonempty(r.host));
            if let Some(h) = r.headers {
                user_agent = user_agent.or(h.user_agent.and_then(|v| v.into_iter().next()));
            }
            (
                r.method.unwrap_or_default(),
                target(r.uri.ok_or(Unparseable)?),
            )
        }
        (None, None) => return Err(Unparseable),
    };
    if let Some(h) = l.resp_headers {
        location = location.or(h.location.and_then(|v| v.into_iter().next()));
    }
    Ok(Record {
        time,
        client: addr.and_then(|a| client(a.as_bytes())),
        method,
        target,
        status,
        user_agent: user_agent.unwrap_or_default(),
        host,
        location: nonempty(location),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nginx_json_line() {
        let line = br#"{"time_iso8601":"2000-10-10T13:55:36-07:00","remote_addr":"66.249.66.1","request":"GET /old?x=1 HTTP/2.0","status":"302","http_user_agent":"Googlebot/2.1 \"quoted\"","host":"example.com","sent_http_location":"/new"}"#;
        let r = parse_json_line(line).unwrap();
        assert_eq!(r.time, 971_211_336);
        assert_eq!(r.client, Some("66.249.66.1".parse().unwrap()));
        assert_eq!((r.method.as_ref(), r.target.as_ref()), ("GET", "/old?x=1"));
        assert_eq!(r.status, 302);
        assert_eq!(r.user_agent, "Googlebot/2.1 \"quoted\"");
        assert_eq!(r.host.as_deref(), Some("example.com"));
        assert_eq!(r.location.as_deref(), Some("/new"));
    }

    #[test]
    fn nginx_json_with_request_uri_time_local_and_dashes() {
        let line = br#"{"time_local":"10/Oct/2000:13:55:36 -0700","remote_addr":"2001:db8::1","request_uri":"/a","status":200,"http_user_agent":"","sent_http_location":"-"}"#;
        let r = parse_json_line(line).unwrap();
        assert_eq!(r.time, 971_211_336);
        assert_eq!(r.target, "/a");
        assert_eq!(r.status, 200);
        assert_eq!(
            (r.user_agent.as_ref(), r.host, r.location),
            ("", None, None)
        );
    }

    #[test]
    fn caddy_json_line() {
        let line = br#"{"level":"info","ts":971211336.25,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"66.249.66.1","remote_port":"4242","proto":"HTTP/2.0","method":"GET","host":"example.com","uri":"/old","headers":{"User-Agent":["Mozilla/5.0 (compatible; Googlebot/2.1)"],"Accept":["*/*"]}},"bytes_read":0,"duration":0.001,"size":0,"status":307,"resp_headers":{"Location":["https://example.com/new"]}}"#;
        let r = parse_json_line(line).unwrap();
        assert_eq!(r.time, 971_211_336);
        assert_eq!(r.client, Some("66.249.66.1".parse().unwrap()));
        assert_eq!((r.method.as_ref(), r.target.as_ref()), ("GET", "/old"));
        assert_eq!(r.status, 307);
        assert!(r.user_agent.contains("Googlebot"));
        assert_eq!(r.host.as_deref(), Some("example.com"));
        assert_eq!(r.location.as_deref(), Some("https://example.com/new"));
    }

    #[test]
    fn escaped_request_and_uri_are_split_too() {
        let line = br#"{"time_iso8601":"2000-10-10T13:55:36Z","request":"GET /a\u0020b HTTP/1.1","status":200}"#;
        let r = parse_json_line(line).unwrap();
        assert_eq!((r.method.as_ref(), r.target.as_ref()), ("GET", "/a b"));
        let line = br#"{"time_iso8601":"2000-10-10T13:55:36Z","request_uri":"http://h\/x?y","status":200}"#;
        assert_eq!(parse_json_line(line).unwrap().target, "/x?y");
    }

    #[test]
    fn broken_json_lines() {
        for line in [
            &b"{"[..],
            b"[]",
            b"not json",
            br#"{"status":200}"#,
            br#"{"time_iso8601":"2000-10-10T13:55:36Z","status":200}"#,
            br#"{"time_iso8601":"2000-10-10T13:55:36Z","request_uri":"/","status":"abc"}"#,
            br#"{"time_iso8601":"yesterday","request_uri":"/","status":200}"#,
        ] {
            assert!(
                parse_json_line(line).is_err(),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }
}
