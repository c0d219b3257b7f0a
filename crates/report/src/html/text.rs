//! Site text made safe to show: control and bidi characters made visible,
//! and links only for `http`/`https` URLs.
//!
//! The template engine escapes HTML; this module handles what escaping
//! does not: a U+202E in a URL would reorder what the reader sees (the
//! same attack surface as on a terminal, STYLE.md §12), and an `href` of
//! `javascript:` or `data:` would run or show attacker content on a click.

use model::escape_bytes;

/// Text from the audited site with control, bidi and other invisible
/// characters written as `\u{202E}` / `\x1B` (as the CSVs write them),
/// other characters (backslashes included) unchanged. Use it for text that
/// is not escaped yet; a raw Location from the CSVs already is.
pub(crate) fn shown(text: &str) -> String {
    // escape_bytes doubles a backslash (RawValue's escaped form must be
    // unambiguous); here it stays as sent, so escape between them.
    text.split('\\')
        .map(|part| escape_bytes(part.as_bytes()))
        .collect::<Vec<_>>()
        .join("\\")
}

/// A URL as the report shows it: its text, and a link target only when it
/// is an `http` or `https` URL. Anything else (`javascript:`, `data:`, a
/// relative or malformed value) stays text, never clickable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UrlText {
    /// What the reader sees ([`shown`]).
    pub text: String,
    /// The `href`, when the URL may be a link.
    pub href: Option<String>,
}

impl UrlText {
    /// `url` shown, and linked when it is http(s).
    pub fn new(url: &str) -> Self {
        Self {
            text: shown(url),
            href: linkable(url).then(|| url.to_owned()),
        }
    }
}

/// Whether `url` may become an `href`: an absolute `http://` or `https://`
/// URL (scheme in any case) in which every character is shown as itself:
/// no controls, bidi or invisible characters ([`shown`] would escape
/// them), no whitespace and no backslash. The WHATWG URL parser drops tabs
/// and newlines and reads `\` as `/`, so with those what is clicked could
/// differ from what is read.
pub(crate) fn linkable(url: &str) -> bool {
    let scheme_ok = ["http://", "https://"].iter().any(|prefix| {
        url.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    });
    scheme_ok && !url.contains(|c: char| c.is_whitespace() || c == '\\') && shown(url) == url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_become_links() {
        for url in [
            "https://example.com/a",
            "http://example.com/",
            "HTTPS://EXAMPLE.COM/",
        ] {
            assert_eq!(UrlText::new(url).href.as_deref(), Some(url), "{url}");
        }
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "/relative",
            "//example.com/x",
            "http//example.com/x",
            "https:\\\\example.com",
            "https://example.com/\u{202e}gpj.exe",
            "https://example.com/a\tb",
            "vbscript:x",
        ] {
            assert_eq!(UrlText::new(url).href, None, "{url:?}");
        }
    }

    #[test]
    fn bidi_and_controls_are_visible_backslashes_stay() {
        assert_eq!(shown("a\u{202e}b\x1bc\\xE9"), "a\\u{202E}b\\x1Bc\\xE9");
        assert_eq!(shown("/café"), "/café");
    }
}
