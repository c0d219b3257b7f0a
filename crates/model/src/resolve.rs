//! Where a client goes with a raw Location value.

use std::fmt::Write as _;

use url::Url;

/// Resolves raw Location bytes against the URL of the request that got them,
/// as a browser does: WHATWG URL parsing relative to `base` (so `http//h/p`
/// becomes a relative *path*, exactly the silent misdirection analysis
/// flags), bytes that are not UTF-8 percent-encoded, and the base's fragment
/// kept when the Location has none (RFC 9110 §10.2.2).
///
/// Returns `None` for an empty value or one no parser accepts.
pub fn resolve_location(base: &Url, raw: &[u8]) -> Option<Url> {
    let text = decode_lossless(raw);
    if text.trim().is_empty() {
        return None;
    }
    let mut target = base.join(&text).ok()?;
    if target.fragment().is_none()
        && let Some(fragment) = base.fragment()
    {
        target.set_fragment(Some(fragment));
    }
    Some(target)
}

/// UTF-8 text as is, any invalid byte as `%XX`: what a browser sends for the
/// bytes it cannot decode, and lossless unlike `from_utf8_lossy`.
fn decode_lossless(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    for chunk in raw.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(base: &str, raw: &[u8]) -> Option<String> {
        resolve_location(&Url::parse(base).unwrap(), raw).map(|u| u.to_string())
    }

    #[test]
    fn resolves_like_a_browser() {
        let base = "https://example.com/old/page";
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"/new", Some("https://example.com/new")),
            (b"../x", Some("https://example.com/x")),
            (b"?q=1", Some("https://example.com/old/page?q=1")),
            (b"//other.test/c", Some("https://other.test/c")),
            (
                b"http//example.com/x",
                Some("https://example.com/old/http//example.com/x"),
            ),
            (
                b"https:/example.com/x",
                Some("https://example.com/example.com/x"),
            ),
            (b"http:/example.com/x", Some("http://example.com/x")),
            (b"http:\\\\example.com\\x", Some("http://example.com/x")),
            (
                b"https:example.com/x",
                Some("https://example.com/old/example.com/x"),
            ),
            (b"/caf\xe9", Some("https://example.com/caf%E9")),
            (b"", None),
            (b"   ", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(
                resolve(base, raw).as_deref(),
                *expected,
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    #[test]
    fn inherits_the_fragment_when_the_location_has_none() {
        let base = "https://example.com/a#section";
        assert_eq!(
            resolve(base, b"/b").unwrap(),
            "https://example.com/b#section"
        );
        assert_eq!(
            resolve(base, b"/b#other").unwrap(),
            "https://example.com/b#other"
        );
    }
}
