//! Property-based tests of the classifier (issue 13): for any value, a
//! "valid" verdict means browsers resolve the value as it is, and a
//! "malformed" verdict names a defect whose probable target differs from
//! the browser's resolution, or explains why not.

use std::cell::Cell;

use proptest::prelude::*;
use url::{SyntaxViolation, Url};

use super::*;

const BASE: &str = "https://example.com/old/page";

/// Location values as servers send them: schemes (real, misspelt,
/// non-web, a host in their place), every separator between scheme and
/// host, hosts (IDN, IP literals, ports, empty), path segments that look
/// like hosts or carry spaces, `%`, backslashes, non-ASCII and invisible
/// characters, queries and fragments, padding.
fn location() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec![
        "",
        "http",
        "https",
        "HTTPS",
        "htp",
        "htps",
        "tel",
        "mailto",
        "javascript",
        "ftp",
        "www.example.com",
        "example.com",
        "localhost",
    ]);
    let separator = prop::sample::select(vec![
        "", ":", "://", ":/", "//", "::", "://", ";//", ":://", ".//", ":///", ":\\\\", "/", ":12",
    ]);
    let host = prop::sample::select(vec![
        "",
        "example.com",
        "www.example.com",
        "bücher.example",
        "[::1]",
        "127.0.0.1",
        "host.example:8080",
        "host.example:",
        ":443",
        "user@host.example",
        "www.html",
    ]);
    let segment = prop::sample::select(vec![
        "",
        "a",
        "www.html",
        "index.php",
        "v1.2",
        "café",
        "a b",
        "a\tb",
        "%41",
        "100%",
        "a|b",
        "a\\b",
        "\u{a0}",
        "\u{200b}",
        "..",
        ".",
        "x:y",
        "\"q\"",
        "[1]",
        "a^b",
        "{x}",
        "a'b",
        "\u{feff}",
        "\u{3000}",
    ]);
    let path = prop::collection::vec(segment, 0..4).prop_map(|s| s.join("/"));
    let tail = prop::sample::select(vec!["", "?q=1", "?a b", "#f", "#x#y", "?é", "?a'b", "?"]);
    let pad = prop::sample::select(vec!["", " ", "\t"]);
    (scheme, separator, host, any::<bool>(), path, tail, pad).prop_map(
        |(scheme, separator, host, slash, path, tail, pad)| {
            let slash = if slash { "/" } else { "" };
            format!("{pad}{scheme}{separator}{host}{slash}{path}{tail}{pad}")
        },
    )
}

/// Raw header bytes: realistic values, any text, or any bytes at all.
fn raw_location() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => location().prop_map(String::into_bytes),
        1 => any::<String>().prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..32),
    ]
}

/// How the `url` crate resolves `text` against `base`, and whether it had to
/// repair anything on the way (a WHATWG "validation error").
fn resolve_reporting_repairs(base: &Url, text: &str) -> (Option<Url>, bool) {
    let repaired = Cell::new(false);
    // Credentials are a WHATWG validation error but no repair: the URL
    // keeps them, and RFC 3986 §3.2.1 allows a userinfo.
    let report = |v| repaired.set(repaired.get() || v != SyntaxViolation::EmbeddedCredentials);
    let url = Url::options()
        .base_url(Some(base))
        .syntax_violation_callback(Some(&report))
        .parse(text)
        .ok();
    (url, repaired.get())
}

proptest! {
    /// Valid ⇒ the browser (WHATWG, the `url` crate) resolves the value as
    /// it is: no validation error, and nothing percent-encoded that the
    /// value did not encode itself. One exception: `'` in a query is valid
    /// RFC 3986 (a sub-delim, §2.2) yet WHATWG encodes it for special
    /// schemes (the special-query percent-encode set).
    #[test]
    fn valid_means_browsers_resolve_it_unrepaired(raw in raw_location()) {
        let base = Url::parse(BASE).unwrap();
        let verdict = classify_location(&raw, &base);
        if verdict.defect.is_none() {
            let text = std::str::from_utf8(trim_ows(&raw)).expect("valid means UTF-8");
            let (url, repaired) = resolve_reporting_repairs(&base, text);
            let url = url.expect("valid means resolvable");
            prop_assert!(!repaired, "{text:?}: the parser repaired it");
            prop_assert_eq!(verdict.browser_target.as_deref(), Some(url.as_str()));
            let percents = |s: &str| s.matches('%').count();
            prop_assert!(
                percents(url.as_str()) <= percents(text) + text.matches('\'').count(),
                "{:?}: the parser encoded something: {}", text, url
            );
            prop_assert_eq!(verdict.probable_target, None);
        }
    }

    /// Malformed ⇒ the probable target differs from where a browser goes,
    /// or why not is explained: the defect is one browsers repair
    /// themselves, neither exists (a browser goes nowhere, and no repair
    /// makes the value resolvable), or the defect sat in
    /// a segment that a later `..` removes (RFC 3986 §5.2.4, `/100%/..`).
    /// And a probable target is itself a clean, absolute URL.
    #[test]
    fn malformed_names_a_defect_that_matters(raw in raw_location()) {
        let base = Url::parse(BASE).unwrap();
        let verdict = classify_location(&raw, &base);
        let Some(defect) = verdict.defect else {
            return Ok(());
        };
        if verdict.probable_target == verdict.browser_target {
            let text = String::from_utf8_lossy(trim_ows(&raw));
            let dot_segments = text.split(['/', '?', '#']).any(|s| s == ".." || s == ".");
            prop_assert!(
                defect.browsers_repair()
                    || dot_segments
                    || verdict.browser_target.is_none(),
                "{:?}: {} but the probable target is where a browser goes ({:?})",
                model::escape_bytes(&raw), defect, verdict.browser_target
            );
        }
        if let Some(meant) = &verdict.probable_target {
            let again = classify_location(meant.as_bytes(), &base);
            prop_assert_eq!(again.defect, None, "{:?} → {}", model::escape_bytes(&raw), meant);
            prop_assert!(!again.relative, "{}", meant);
        }
    }
}
