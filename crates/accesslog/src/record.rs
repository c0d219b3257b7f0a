//! One parsed log line, borrowed from the line, and the parsers of the
//! text formats (combined, common, vhost_combined).
//!
//! Escapes are kept as the server wrote them (`\"` from Apache, `\x22` from
//! nginx): nothing here turns log bytes into control characters, and what
//! reaches a report goes through the same escaping as site data.

use std::borrow::Cow;
use std::net::{IpAddr, Ipv4Addr};

use crate::time;

/// One request as a log line recorded it. Text fields borrow from the line
/// (JSON strings with escapes are the exception: they are unescaped into an
/// owned string).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    /// When the request was logged, in seconds since 1970-01-01 UTC.
    pub time: i64,
    /// The client address, if the log holds an IP address (a host name
    /// from `HostnameLookups` or `-` gives `None`).
    pub client: Option<IpAddr>,
    /// The request method (`GET`), empty when the request line was `-` or
    /// garbage.
    pub method: Cow<'a, str>,
    /// The request target as origin-form path and query (`/a?b`);
    /// absolute-form targets (`http://host/a`) are reduced to their path.
    /// Empty when the request line holds no usable target.
    pub target: Cow<'a, str>,
    /// The response status.
    pub status: u16,
    /// The User-Agent, empty when the log has none or wrote `-`.
    pub user_agent: Cow<'a, str>,
    /// The virtual host (vhost_combined's `host:port`, a JSON `host`), as
    /// written, port included; `None` when the format has no host field.
    pub host: Option<Cow<'a, str>>,
    /// The Location the response carried, when the log recorded one (a
    /// JSON field, or nginx `$sent_http_location` as the last quoted field
    /// of a combined line).
    pub location: Option<Cow<'a, str>>,
}

/// Why a line is not a record of its file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unparseable;

/// A byte cursor over one line.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    fn eat(&mut self, c: u8) -> Result<(), Unparseable> {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(Unparseable)
        }
    }

    /// A space-delimited token (non-empty); the cursor stops on the space.
    /// A plain loop: tokens are short (`-`, an address, a status), where
    /// memchr's setup costs more than the scan.
    fn token(&mut self) -> Result<&'a [u8], Unparseable> {
        let rest = &self.b[self.i..];
        let n = rest.iter().position(|&c| c == b' ').unwrap_or(rest.len());
        if n == 0 {
            return Err(Unparseable);
        }
        self.i += n;
        Ok(&rest[..n])
    }

    /// A `"…"` field; a quote preceded by an odd number of backslashes is
    /// escaped (Apache writes `\"` and `\\`).
    fn quoted(&mut self) -> Result<&'a [u8], Unparseable> {
        self.eat(b'"')?;
        let start = self.i;
        let mut from = start;
        loop {
            let at = from + memchr::memchr(b'"', &self.b[from..]).ok_or(Unparseable)?;
            let slashes = self.b[start..at]
                .iter()
                .rev()
                .take_while(|&&c| c == b'\\')
                .count();
            if slashes % 2 == 0 {
                self.i = at + 1;
                return Ok(&self.b[start..at]);
            }
            from = at + 1;
        }
    }

    fn rest(&self) -> &'a [u8] {
        &self.b[self.i..]
    }
}

/// Which of the CLF-family layouts a line has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `%h %l %u %t "%r" %>s %b`
    Common,
    /// Common plus `"%{Referer}i" "%{User-Agent}i"` and optional extra fields.
    Combined,
    /// `%v:%p` first, then combined.
    Vhost,
}

/// Text of a field: borrowed when UTF-8 (std's validation is SIMD-fast;
/// `from_utf8_lossy` walks chunks and was 5 % of reading time), replacement
/// characters otherwise.
pub(crate) fn text(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// `-` is how both nginx and Apache write an empty field.
fn dash_empty(b: &[u8]) -> &[u8] {
    if b == b"-" { &[] } else { b }
}

pub(crate) fn status(b: &[u8]) -> Result<u16, Unparseable> {
    match b {
        [a @ b'1'..=b'5', b, c] if b.is_ascii_digit() && c.is_ascii_digit() => {
            Ok(u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0'))
        }
        _ => Err(Unparseable),
    }
}

/// The client field: an IP address, `None` for a host name or `-`.
/// Brackets (`[::1]`) are tolerated.
pub(crate) fn client(b: &[u8]) -> Option<IpAddr> {
    if let Some(v4) = ipv4(b) {
        return Some(IpAddr::V4(v4));
    }
    let b = b
        .strip_prefix(b"[")
        .and_then(|b| b.strip_suffix(b"]"))
        .unwrap_or(b);
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// A dotted-quad IPv4 address, by hand: std's generic address parser was
/// 3 % of reading time. Same rules as std: four decimal octets, no leading
/// zeros.
fn ipv4(b: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = b.split(|&c| c == b'.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || (part.len() > 1 && part[0] == b'0') {
            return None;
        }
        let mut n = 0u16;
        for &c in part {
            if !c.is_ascii_digit() {
                return None;
            }
            n = n * 10 + u16::from(c - b'0');
        }
        *octet = u8::try_from(n).ok()?;
    }
    parts.next().is_none().then_some(Ipv4Addr::from(octets))
}

/// Splits `METHOD target [HTTP/x]` into method and origin-form target.
pub(crate) fn request_line(b: &[u8]) -> (&[u8], &[u8]) {
    let Some(sp) = memchr::memchr(b' ', b) else {
        return (if b == b"-" { &[] } else { b }, &[]);
    };
    let rest = &b[sp + 1..];
    let end = memchr::memrchr(b' ', rest)
        .filter(|&e| rest[e + 1..].starts_with(b"HTTP/"))
        .unwrap_or(rest.len());
    (&b[..sp], origin_form(&rest[..end]))
}

/// The path and query of a request target: origin-form as is,
/// absolute-form (RFC 9112 §3.2.2, sent to proxies and allowed to servers)
/// reduced to its path, anything else (`*`, authority-form, garbage) empty.
pub(crate) fn origin_form(t: &[u8]) -> &[u8] {
    if t.first() == Some(&b'/') {
        return t;
    }
    let Some(scheme_end) = memchr::memmem::find(t, b"://") else {
        return &[];
    };
    if !t[..scheme_end]
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c))
    {
        return &[];
    }
    let after = &t[scheme_end + 3..];
    match memchr::memchr2(b'/', b'?', after) {
        Some(i) if after[i] == b'/' => &after[i..],
        // `http://host?q` has an empty path: RFC 9110 §4.2.3 makes it `/`,
        // which cannot be borrowed with the query after it; keep the query
        // alone, which the aggregator reads as `/` + query.
        Some(i) => &after[i..],
        None => b"/",
    }
}

/// A quoted trailing field that is a list of IP addresses is
/// `$http_x_forwarded_for` (nginx's sample `main` format ends with it),
/// not a Location.
fn looks_like_location(b: &[u8]) -> bool {
    if b.is_empty() || b == b"-" {
        return false;
    }
    !b.split(|&c| c == b',')
        .all(|part| client(part.trim_ascii()).is_some())
}

/// The fields a reader may not need, left raw: the client address and the
/// User-Agent. Only a Googlebot User-Agent (8 % of a typical log) needs the
/// address parsed, and classification reads the User-Agent's bytes; doing
/// both for every line was 7 % of reading time.
pub(crate) struct Raw<'a> {
    pub(crate) client: &'a [u8],
    pub(crate) user_agent: &'a [u8],
}

/// Parses one line of a CLF-family layout (trailing `\r` and spaces allowed).
pub(crate) fn parse_clf_line(line: &[u8], layout: Layout) -> Result<Record<'_>, Unparseable> {
    let (mut record, raw) = parse_clf_raw(line, layout)?;
    record.client = client(raw.client);
    record.user_agent = text(raw.user_agent);
    Ok(record)
}

/// [`parse_clf_line`] with `client` and `user_agent` left unset, in [`Raw`].
pub(crate) fn parse_clf_raw(
    line: &[u8],
    layout: Layout,
) -> Result<(Record<'_>, Raw<'_>), Unparseable> {
    let mut c = Cursor {
        b: line.trim_ascii_end(),
        i: 0,
    };
    let host = if layout == Layout::Vhost {
        let h = c.token()?;
        c.eat(b' ')?;
        Some(text(h))
    } else {
        None
    };
    let client_field = c.token()?;
    c.eat(b' ')?;
    let _ident = c.token()?;
    c.eat(b' ')?;
    let _user = c.token()?;
    c.eat(b' ')?;
    c.eat(b'[')?;
    let close = memchr::memchr(b']', c.rest()).ok_or(Unparseable)?;
    let time = time::parse_clf(&c.rest()[..close]).ok_or(Unparseable)?;
    c.i += close + 1;
    c.eat(b' ')?;
    let request = c.quoted()?;
    c.eat(b' ')?;
    let status = status(c.token()?)?;
    c.eat(b' ')?;
    let size = c.token()?;
    if size != b"-" && !size.iter().all(u8::is_ascii_digit) {
        return Err(Unparseable);
    }
    let (method, target) = request_line(request);
    let mut record = Record {
        time,
        client: None,
        method: text(method),
        target: text(target),
        status,
        user_agent: Cow::Borrowed(""),
        host,
        location: None,
    };
    let mut raw = Raw {
        client: client_field,
        user_agent: &[],
    };
    if layout == Layout::Common {
        return if c.rest().is_empty() {
            Ok((record, raw))
        } else {
            Err(Unparseable)
        };
    }
    c.eat(b' ')?;
    let _referer = c.quoted()?;
    c.eat(b' ')?;
    raw.user_agent = dash_empty(c.quoted()?);
    // Extra fields (nginx formats often add some): the last quoted one is
    // the Location when it looks like one.
    let mut last_quoted = None;
    while !c.rest().is_empty() {
        c.eat(b' ')?;
        if c.rest().first() == Some(&b'"') {
            last_quoted = Some(c.quoted()?);
        } else if !c.rest().is_empty() {
            c.token()?;
            last_quoted = None;
        }
    }
    record.location = last_quoted.filter(|l| looks_like_location(l)).map(text);
    Ok((record, raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(line: &str, layout: Layout) -> Record<'_> {
        parse_clf_line(line.as_bytes(), layout).unwrap_or_else(|_| panic!("unparseable: {line}"))
    }

    #[test]
    fn combined_line() {
        let r = rec(
            r#"66.249.66.1 - - [10/Oct/2000:13:55:36 -0700] "GET /old?a=1 HTTP/1.1" 302 0 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)""#,
            Layout::Combined,
        );
        assert_eq!(r.time, 971_211_336);
        assert_eq!(r.client, Some("66.249.66.1".parse().unwrap()));
        assert_eq!(r.method, "GET");
        assert_eq!(r.target, "/old?a=1");
        assert_eq!(r.status, 302);
        assert!(r.user_agent.contains("Googlebot/2.1"));
        assert_eq!(r.host, None);
        assert_eq!(r.location, None);
    }

    #[test]
    fn common_line_and_its_strictness() {
        let line = r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#;
        let r = rec(line, Layout::Common);
        assert_eq!((r.target.as_ref(), r.status), ("/apache_pb.gif", 200));
        assert_eq!(r.user_agent, "");
        // A common line is not combined, and a combined line is not common.
        assert_eq!(
            parse_clf_line(line.as_bytes(), Layout::Combined),
            Err(Unparseable)
        );
        let combined = format!("{line} \"-\" \"curl\"");
        assert_eq!(
            parse_clf_line(combined.as_bytes(), Layout::Common),
            Err(Unparseable)
        );
    }

    #[test]
    fn vhost_line() {
        let r = rec(
            r#"example.com:443 2001:db8::1 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/2.0" 200 512 "https://ref/" "UA""#,
            Layout::Vhost,
        );
        assert_eq!(r.host.as_deref(), Some("example.com:443"));
        assert_eq!(r.client, Some("2001:db8::1".parse().unwrap()));
        assert_eq!(r.target, "/");
        // A vhost line is not combined (its second token is the client).
        let line = br#"example.com:443 1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 5 "-" "UA""#;
        assert!(parse_clf_line(line, Layout::Combined).is_err());
    }

    #[test]
    fn escaped_quotes_and_dashes() {
        // Apache escapes a quote in the request or UA as \" .
        let r = rec(
            r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET /a\"b HTTP/1.1" 404 - "-" "say \"hi\" \\""#,
            Layout::Combined,
        );
        assert_eq!(r.target, r#"/a\"b"#);
        assert_eq!(r.user_agent, r#"say \"hi\" \\"#);
        assert_eq!(r.status, 404);
        // nginx writes an empty request as "-" and escapes bytes as \xHH.
        let r = rec(
            r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "-" 400 0 "-" "-""#,
            Layout::Combined,
        );
        assert_eq!(
            (r.method.as_ref(), r.target.as_ref(), r.user_agent.as_ref()),
            ("", "", "")
        );
        let r = rec(
            r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "\x16\x03\x01\x00" 400 157 "-" "-""#,
            Layout::Combined,
        );
        assert_eq!(r.target, "");
    }

    #[test]
    fn request_targets() {
        let cases: &[(&str, &str, &str)] = &[
            ("GET /a HTTP/1.1", "GET", "/a"),
            ("GET /a%20b?c=d HTTP/2.0", "GET", "/a%20b?c=d"),
            ("HEAD /x HTTP/2", "HEAD", "/x"),
            ("GET /legacy", "GET", "/legacy"),
            ("GET http://example.com/abs?q HTTP/1.1", "GET", "/abs?q"),
            ("GET https://example.com HTTP/1.1", "GET", "/"),
            ("CONNECT example.com:443 HTTP/1.1", "CONNECT", ""),
            ("OPTIONS * HTTP/1.1", "OPTIONS", ""),
            ("GET /with space HTTP/1.1", "GET", "/with space"),
            ("-", "", ""),
        ];
        for (line, method, target) in cases {
            let (m, t) = request_line(line.as_bytes());
            assert_eq!((m, t), (method.as_bytes(), target.as_bytes()), "{line}");
        }
    }

    #[test]
    fn sent_http_location_is_the_last_quoted_field() {
        let base =
            r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET /old HTTP/1.1" 302 145 "-" "UA""#;
        let absolute = format!("{base} \"https://example.com/new\"");
        let r = rec(&absolute, Layout::Combined);
        assert_eq!(r.location.as_deref(), Some("https://example.com/new"));
        let relative = format!("{base} \"/relative\"");
        let r = rec(&relative, Layout::Combined);
        assert_eq!(r.location.as_deref(), Some("/relative"));
        // Not recorded: `-`, an X-Forwarded-For list, or an unquoted field last.
        for extra in [r#""-""#, r#""10.0.0.1, 2001:db8::2""#, r#""/x" 0.003"#] {
            let line = format!("{base} {extra}");
            assert_eq!(rec(&line, Layout::Combined).location, None, "{extra}");
        }
    }

    #[test]
    fn clients() {
        assert_eq!(client(b"::1"), Some("::1".parse().unwrap()));
        assert_eq!(
            client(b"[2001:db8::1]"),
            Some("2001:db8::1".parse().unwrap())
        );
        assert_eq!(client(b"crawl.example.net"), None);
        assert_eq!(client(b"66.249.66.1"), Some("66.249.66.1".parse().unwrap()));
        assert_eq!(
            client(b"255.255.255.255"),
            Some("255.255.255.255".parse().unwrap())
        );
        for bad in [
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "1..3.4",
            "1.2.3.4 ",
        ] {
            assert_eq!(client(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(client(b"-"), None);
        let r = rec(
            r#"host.example - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "-""#,
            Layout::Combined,
        );
        assert_eq!(r.client, None);
    }

    #[test]
    fn broken_lines() {
        for line in [
            "",
            "garbage",
            r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200"#,
            r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1 200 1 "-" "-""#,
            r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 600 1 "-" "-""#,
            r#"1.2.3.4 - - [not a time] "GET / HTTP/1.1" 200 1 "-" "-""#,
            r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-""#,
            "\0\0\x7fELF\x01\x02",
        ] {
            assert_eq!(
                parse_clf_line(line.as_bytes(), Layout::Combined),
                Err(Unparseable),
                "{line}"
            );
        }
    }
}
