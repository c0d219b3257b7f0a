//! The Location classifier on arbitrary bytes. Besides "never panics",
//! checks the promises of `LocationVerdict`'s and `LocationDefect`'s
//! documentation, and that its browser target is what WHATWG URL parsing
//! (the `url` crate, called here directly) makes of the value.

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

/// The value as a browser reads it, written independently of the crate: UTF-8
/// as is, each byte that is not UTF-8 percent-encoded.
fn browser_text(value: &[u8]) -> String {
    let mut text = String::new();
    let mut rest = value;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                return text;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                text.push_str(std::str::from_utf8(valid).expect("checked"));
                let bad = e.error_len().unwrap_or(after.len());
                for b in &after[..bad] {
                    text.push_str(&format!("%{b:02X}"));
                }
                rest = &after[bad..];
            }
        }
    }
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
    // Where a browser goes: the WHATWG join of the value onto the base (the
    // base has no fragment to carry over). Not `resolve_location`, which
    // the classifier calls itself: comparing it with itself proves nothing.
    if !blank {
        let joined = base.join(&browser_text(value)).ok().map(String::from);
        assert_eq!(
            verdict.browser_target, joined,
            "browser target is not the WHATWG resolution"
        );
    }
});
