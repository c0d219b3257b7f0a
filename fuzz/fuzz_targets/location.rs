//! The Location classifier and the crawler's resolution of a raw Location
//! value, on arbitrary bytes. Besides "never panics", checks the promises of
//! `LocationVerdict`'s and `LocationDefect`'s documentation.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use redirect_audit_analysis::{LocationDefect, classify_location};
use url::Url;

static BASE: LazyLock<Url> =
    LazyLock::new(|| Url::parse("https://example.com/old/page").expect("valid base"));

/// Optional whitespace around a field value (RFC 9110 §5.5), which the
/// classifier ignores.
fn trim_ows(raw: &[u8]) -> &[u8] {
    let is_ows = |b: &u8| *b == b' ' || *b == b'\t';
    let start = raw.iter().position(|b| !is_ows(b)).unwrap_or(raw.len());
    let end = raw
        .iter()
        .rposition(|b| !is_ows(b))
        .map_or(start, |e| e + 1);
    &raw[start..end]
}

/// An RFC 3986 scheme followed by `:`, written independently of the crate.
fn has_scheme(text: &str) -> bool {
    let Some(colon) = text.find(':') else {
        return false;
    };
    let mut bytes = text[..colon].bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

fuzz_target!(|data: &[u8]| {
    let base = &*BASE;
    let verdict = classify_location(data, base);
    let crawled = redirect_audit_crawler::resolve_location(base, data);
    let value = trim_ows(data);

    // `Empty`: "No bytes, or only whitespace" (Unicode whitespace included).
    let blank = String::from_utf8_lossy(value).trim().is_empty();
    assert_eq!(
        verdict.defect == Some(LocationDefect::Empty),
        blank,
        "Empty iff only whitespace: {verdict:?}"
    );
    // Defects are reported in order; `NotUtf8` is the first after `Empty`.
    if !blank && std::str::from_utf8(value).is_err() {
        assert_eq!(verdict.defect, Some(LocationDefect::NotUtf8));
    }
    // `relative`: "true when the value has no scheme of its own".
    assert_eq!(
        verdict.relative,
        !has_scheme(&String::from_utf8_lossy(value)),
        "relative: {verdict:?}"
    );
    // `browser_target`: "None when it cannot be resolved or is empty". A
    // value without any defect, `Unresolvable` included, resolves.
    if blank {
        assert_eq!(verdict.browser_target, None);
    } else if verdict.defect.is_none() {
        assert!(
            verdict.browser_target.is_some(),
            "no defect but no browser target: {verdict:?}"
        );
    }
    // `probable_target`: "None when there is no defect".
    if verdict.defect.is_none() {
        assert_eq!(verdict.probable_target, None);
    }
    // The finding and the crawled hop agree on where the redirect went (the
    // base has no fragment to carry over).
    assert_eq!(
        verdict.browser_target,
        crawled.map(String::from),
        "classifier and crawler disagree"
    );
});
