//! Turning a [`Reply`](crate::site::Reply) or page into response bytes.

use std::io::Write as _;

use crate::reason::reason;
use crate::site::{Body, Page, Reply};
use crate::template::Context;

/// Writes a status line and header fields, then `Content-Length` (if
/// given), `Connection: close` (if closing) and the blank line.
pub(crate) fn head<'h>(
    out: &mut Vec<u8>,
    status: u16,
    reason: &str,
    headers: impl IntoIterator<Item = (&'h str, &'h [u8])>,
    content_length: Option<usize>,
    keep_alive: bool,
) {
    let _ = write!(out, "HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    if let Some(len) = content_length {
        let _ = write!(out, "Content-Length: {len}\r\n");
    }
    if !keep_alive {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

/// Renders a body for this request.
fn body(body: &Body, ctx: &Context<'_>) -> Vec<u8> {
    match body {
        Body::Text(t) => t.render(ctx),
        Body::GzipText(t) => {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            // Writing to a Vec cannot fail.
            let _ = encoder.write_all(&t.render(ctx));
            encoder.finish().unwrap_or_default()
        }
        Body::Bytes(b) => b.clone(),
    }
}

/// The whole response for a built route. For `HEAD` the body is left out
/// but its `Content-Length` is kept (RFC 9110 §9.3.2).
pub(crate) fn reply(
    reply: &Reply,
    ctx: &Context<'_>,
    head_only: bool,
    keep_alive: bool,
) -> Vec<u8> {
    let rendered: Vec<(&str, Vec<u8>)> = reply
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.render(ctx)))
        .collect();
    let headers = rendered.iter().map(|(n, v)| (*n, v.as_slice()));
    let body = reply
        .body
        .as_ref()
        .map(|b| body(b, ctx))
        .unwrap_or_default();
    let mut out = Vec::with_capacity(256 + body.len());
    head(
        &mut out,
        reply.status,
        &reply.reason,
        headers,
        Some(body.len()),
        keep_alive,
    );
    if !head_only {
        out.extend_from_slice(&body);
    }
    out
}

/// The head of a never-ending chunked response.
pub(crate) fn never_end_head(reply: &Reply, ctx: &Context<'_>) -> Vec<u8> {
    let rendered: Vec<(&str, Vec<u8>)> = reply
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.render(ctx)))
        .chain([("Transfer-Encoding", b"chunked".to_vec())])
        .collect();
    let mut out = Vec::new();
    head(
        &mut out,
        reply.status,
        &reply.reason,
        rendered.iter().map(|(n, v)| (*n, v.as_slice())),
        None,
        false,
    );
    out
}

/// One chunk of a never-ending body: 8 KiB of HTML.
pub(crate) fn endless_chunk() -> Vec<u8> {
    let unit: &[u8] = b"<p>more</p>\n";
    let data: Vec<u8> = unit.iter().copied().cycle().take(8192).collect();
    let mut out = format!("{:x}\r\n", data.len()).into_bytes();
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\r\n");
    out
}

/// A `200` for a page.
pub(crate) fn page(page: &Page, ctx: &Context<'_>, head_only: bool, keep_alive: bool) -> Vec<u8> {
    let body = body(&page.body, ctx);
    let mut out = Vec::with_capacity(128 + body.len());
    head(
        &mut out,
        200,
        "OK",
        [("Content-Type", page.content_type.as_bytes())],
        Some(body.len()),
        keep_alive,
    );
    if !head_only {
        out.extend_from_slice(&body);
    }
    out
}

/// A small HTML error page (404, 405, 400, 431).
pub(crate) fn error(status: u16, head_only: bool, keep_alive: bool) -> Vec<u8> {
    let reason = reason(status);
    let body = format!(
        "<!doctype html>\n<html><head><title>{status} {reason}</title></head>\
         <body><h1>{status} {reason}</h1></body></html>\n"
    );
    let mut out = Vec::with_capacity(128 + body.len());
    let allow: &[(&str, &[u8])] = if status == 405 {
        &[("Allow", b"GET, HEAD")]
    } else {
        &[]
    };
    head(
        &mut out,
        status,
        reason,
        [("Content-Type", b"text/html; charset=utf-8".as_slice())]
            .into_iter()
            .chain(allow.iter().copied()),
        Some(body.len()),
        keep_alive,
    );
    if !head_only {
        out.extend_from_slice(body.as_bytes());
    }
    out
}
