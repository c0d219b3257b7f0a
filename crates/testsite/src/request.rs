//! Reading HTTP/1.1 requests off a connection: request line, headers, and
//! skipping whatever body the client sent.

use tokio::io::{AsyncRead, AsyncReadExt};

/// Largest request head (request line and headers) accepted; larger heads
/// get a `431` and the connection is closed.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;

/// One parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Request {
    /// The method as sent, e.g. `GET`.
    pub method: String,
    /// The request target as sent: path and query (`/a?b=1`). An
    /// absolute-form target (`http://host/a`) is reduced to its path and
    /// its authority used as the host.
    pub target: String,
    /// The minor HTTP version: `1` for HTTP/1.1, `0` for HTTP/1.0.
    pub minor_version: u8,
    /// The header fields in order, names as sent.
    pub headers: Vec<(String, Vec<u8>)>,
}

impl Request {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    /// The `Host` header value as sent, e.g. `demo.test:41234`.
    pub fn authority(&self) -> Option<&[u8]> {
        self.header("host")
    }

    /// The host name from the `Host` header, without port, lower-cased.
    pub fn host_name(&self) -> Option<String> {
        let authority = String::from_utf8_lossy(self.authority()?).to_ascii_lowercase();
        let name = match authority.rfind(':') {
            Some(i) if !authority[i..].contains(']') => &authority[..i],
            _ => &authority,
        };
        Some(name.to_owned())
    }

    /// The path part of the target (before any `?`).
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// Whether the client wants the connection kept open after this
    /// request: the HTTP/1.1 default unless `Connection: close`; for
    /// HTTP/1.0 only with `Connection: keep-alive` (RFC 9112 §9.3).
    pub fn keep_alive(&self) -> bool {
        let has = |token: &str| {
            self.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("connection"))
                .flat_map(|(_, v)| v.split(|&b| b == b','))
                .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
        };
        if self.minor_version >= 1 {
            !has("close")
        } else {
            has("keep-alive")
        }
    }
}

/// What the next read from a connection produced.
#[derive(Debug)]
pub(crate) enum Next {
    /// A request; its body (if any) has been consumed.
    Request(Request),
    /// The client closed the connection between requests.
    Closed,
    /// The head exceeded [`MAX_HEAD_BYTES`].
    TooLarge,
    /// The bytes are not an HTTP/1.x request.
    Bad,
}

/// Buffers bytes from one connection and splits them into requests
/// (pipelined requests are kept for the next call).
#[derive(Debug, Default)]
pub(crate) struct RequestReader {
    buf: Vec<u8>,
}

impl RequestReader {
    /// Reads the next request head and skips its body.
    pub(crate) async fn next<R: AsyncRead + Unpin>(&mut self, io: &mut R) -> std::io::Result<Next> {
        loop {
            // A TLS ClientHello (record type 0x16) on this plain-HTTP port:
            // answer it as a non-HTTP request at once instead of waiting for
            // a head that never comes, so an https client fails fast.
            if self.buf.first() == Some(&0x16) {
                return Ok(Next::Bad);
            }
            let complete = head_end(&self.buf);
            if complete.unwrap_or(self.buf.len()) > MAX_HEAD_BYTES {
                return Ok(Next::TooLarge);
            }
            if let Some(end) = complete {
                let Some(request) = parse_head(&self.buf[..end]) else {
                    return Ok(Next::Bad);
                };
                self.buf.drain(..end);
                if request
                    .header("transfer-encoding")
                    .is_some_and(|v| !v.eq_ignore_ascii_case(b"identity"))
                {
                    // A chunked request body is never needed by our routes;
                    // rather than decode it, answer and close.
                    return Ok(Next::Bad);
                }
                let body_len = request
                    .header("content-length")
                    .and_then(|v| std::str::from_utf8(v).ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .unwrap_or(0);
                self.skip(io, body_len).await?;
                return Ok(Next::Request(request));
            }
            self.buf.reserve(4096);
            if io.read_buf(&mut self.buf).await? == 0 {
                return Ok(if self.buf.iter().all(u8::is_ascii_whitespace) {
                    Next::Closed
                } else {
                    Next::Bad
                });
            }
        }
    }

    /// Discards `len` body bytes, from the buffer first.
    async fn skip<R: AsyncRead + Unpin>(&mut self, io: &mut R, len: u64) -> std::io::Result<()> {
        let buffered = usize::try_from(len)
            .unwrap_or(usize::MAX)
            .min(self.buf.len());
        self.buf.drain(..buffered);
        let mut rest = len - buffered as u64;
        let mut scratch = [0u8; 8192];
        while rest > 0 {
            let want = usize::try_from(rest)
                .unwrap_or(usize::MAX)
                .min(scratch.len());
            let n = io.read(&mut scratch[..want]).await?;
            if n == 0 {
                break;
            }
            rest -= n as u64;
        }
        Ok(())
    }
}

/// Index just past the blank line ending the head, if it has arrived.
/// Bare `\n` line ends are accepted, as RFC 9112 §2.2 allows.
fn head_end(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    while let Some(pos) = buf[i..].iter().position(|&b| b == b'\n') {
        let nl = i + pos;
        let rest = &buf[nl + 1..];
        if rest.starts_with(b"\n") {
            return Some(nl + 2);
        }
        if rest.starts_with(b"\r\n") {
            return Some(nl + 3);
        }
        i = nl + 1;
    }
    None
}

/// Parses a complete head; `None` if it is not HTTP/1.x.
fn parse_head(head: &[u8]) -> Option<Request> {
    let text = String::from_utf8_lossy(head);
    // Leading empty lines before a request line are ignored (RFC 9112 §2.2).
    let mut lines = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .skip_while(|l| l.is_empty());
    let request_line = lines.next()?;
    let mut words = request_line.split(' ');
    let (method, target, version) = (words.next()?, words.next()?, words.next()?);
    if words.next().is_some() || method.is_empty() || target.is_empty() {
        return None;
    }
    let minor_version = match version {
        "HTTP/1.1" => 1,
        "HTTP/1.0" => 0,
        _ => return None,
    };
    let mut headers = Vec::new();
    let raw_lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .skip_while(|l| l.is_empty())
        .skip(1);
    for line in raw_lines.take_while(|l| !l.is_empty()) {
        let colon = line.iter().position(|&b| b == b':')?;
        let name = std::str::from_utf8(&line[..colon]).ok()?;
        if name.is_empty() || name.contains(' ') {
            return None;
        }
        headers.push((name.to_owned(), line[colon + 1..].trim_ascii().to_vec()));
    }
    let (target, absolute_authority) = split_absolute_form(target);
    if let Some(authority) = absolute_authority
        && !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host"))
    {
        headers.push(("Host".to_owned(), authority.as_bytes().to_vec()));
    }
    Some(Request {
        method: method.to_owned(),
        target,
        minor_version,
        headers,
    })
}

/// `http://host:1/a?b` → (`/a?b`, `host:1`); origin-form passes through.
fn split_absolute_form(target: &str) -> (String, Option<&str>) {
    let Some(rest) = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    else {
        return (target.to_owned(), None);
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let path = &rest[end..];
    let path = if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    };
    (path, Some(&rest[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn read_all(input: &[u8]) -> Vec<Next> {
        let mut io = input;
        let mut reader = RequestReader::default();
        let mut out = Vec::new();
        loop {
            let next = reader.next(&mut io).await.unwrap();
            let stop = !matches!(next, Next::Request(_));
            out.push(next);
            if stop {
                return out;
            }
        }
    }

    #[tokio::test]
    async fn pipelined_requests_with_bodies_are_split() {
        let input = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /c?d HTTP/1.0\nConnection: keep-alive\n\n";
        let got = read_all(input).await;
        let reqs: Vec<_> = got
            .iter()
            .filter_map(|n| match n {
                Next::Request(r) => Some((r.method.as_str(), r.target.as_str(), r.keep_alive())),
                _ => None,
            })
            .collect();
        assert_eq!(
            reqs,
            [
                ("GET", "/a", true),
                ("POST", "/b", true),
                ("GET", "/c?d", true)
            ]
        );
        assert!(matches!(got.last(), Some(Next::Closed)));
    }

    #[tokio::test]
    async fn oversized_and_garbage_heads_are_refused() {
        let mut big = b"GET / HTTP/1.1\r\nX: ".to_vec();
        big.resize(MAX_HEAD_BYTES + 10, b'a');
        assert!(matches!(read_all(&big).await[0], Next::TooLarge));
        assert!(matches!(read_all(b"hello\r\n\r\n").await[0], Next::Bad));
        assert!(matches!(
            read_all(b"GET / HTTP/1.1\r\n").await[0],
            Next::Bad
        ));
    }

    #[test]
    fn absolute_form_sets_host_and_connection_close_is_honoured() {
        let r =
            parse_head(b"GET http://a.test:81/x?y HTTP/1.1\r\nConnection: Close\r\n\r\n").unwrap();
        assert_eq!(r.target, "/x?y");
        assert_eq!(r.host_name().as_deref(), Some("a.test"));
        assert_eq!(r.path(), "/x");
        assert!(!r.keep_alive());
    }
}
