use super::*;
use LocationDefect as D;

const BASE: &str = "https://example.com/old/page";

fn base() -> Url {
    Url::parse(BASE).unwrap()
}

/// At least 40 raw values with the expected defect, or none.
#[test]
fn classifies_raw_values() {
    let cases: &[(&[u8], Option<LocationDefect>)] = &[
        // valid references
        (b"/a", None),
        (b"../b", None),
        (b"?q=1", None),
        (b"#x", None),
        (b"//host.example/c", None),
        (b"HTTP://HOST.EXAMPLE/", None),
        (b"https://example.com/new", None),
        (b"https://example.com/caf%C3%A9/%20x", None),
        (b"http://[::1]:8080/", None),
        (b"https://example.com:8443/a?b=c#d", None),
        (b"https://user:pw@example.com/", None),
        (b"page.html", None),
        (b".", None),
        (b"  /padded\t", None),
        (b"https://xn--bcher-kva.example/", None),
        (b"/a:b/c", None),
        // defects
        (b"", Some(D::Empty)),
        (b" \t ", Some(D::Empty)),
        (b"/caf\xe9", Some(D::NotUtf8)),
        (b"\xff\xfe", Some(D::NotUtf8)),
        (b"/a\r\nSet-Cookie: x", Some(D::ControlCharacters)),
        (b"/a\x00b", Some(D::ControlCharacters)),
        (b"/a\x7fb", Some(D::ControlCharacters)),
        (b"\"/new\"", Some(D::Quoted)),
        (b"<https://example.com/x>", Some(D::Quoted)),
        (b"http//example.com/x", Some(D::MissingColon)),
        (b"HTTPS//example.com/x", Some(D::MissingColon)),
        (b"https:/example.com/x", Some(D::SingleSlash)),
        (b"http:/example.com/x", Some(D::SingleSlash)),
        (b"http:\\\\example.com\\x", Some(D::Backslashes)),
        (b"\\\\example.com\\x", Some(D::Backslashes)),
        (b"/a\\b", Some(D::Backslashes)),
        (b"https:example.com/x", Some(D::NoSlashes)),
        (b"http:", Some(D::NoSlashes)),
        (b"http:///p", Some(D::EmptyHost)),
        (b"https:///example.com/x\t\t", Some(D::EmptyHost)),
        (b"https://:443/", Some(D::EmptyHost)),
        (b"///p", Some(D::EmptyHost)),
        (b"http://example.com:/p", Some(D::EmptyPort)),
        (b"//example.com:/p", Some(D::EmptyPort)),
        (b"example.com:8080/x", Some(D::MissingScheme)),
        (b"localhost:3000", Some(D::MissingScheme)),
        (b"www.example.com/x", Some(D::MissingScheme)),
        (b"htp://example.com/", Some(D::UnknownScheme)),
        (b"htps://example.com/", Some(D::UnknownScheme)),
        (b"hxxp://example.com/", Some(D::UnknownScheme)),
        (b"javascript:alert(1)", Some(D::NonWebScheme)),
        (b"data:text/html,hi", Some(D::NonWebScheme)),
        (b"file:///etc/passwd", Some(D::NonWebScheme)),
        (b"ftp://example.com/f", Some(D::NonWebScheme)),
        (b"mailto:a@example.com", Some(D::NonWebScheme)),
        (b"/a b", Some(D::Whitespace)),
        (b"/a\tb", Some(D::Whitespace)),
        (b"https://example.com/100%", Some(D::BadPercentEncoding)),
        (b"/a%zz", Some(D::BadPercentEncoding)),
        (b"http://[::1/", Some(D::Unresolvable)),
        (b"http://example.com:99999/", Some(D::Unresolvable)),
        // Issue 13: a URI is ASCII (RFC 3986 §2). These two were listed as
        // valid above before; an IRI is now a notice-level defect.
        ("http://bücher.example/".as_bytes(), Some(D::NonAscii)),
        ("/café".as_bytes(), Some(D::NonAscii)),
        ("/a\u{a0}b".as_bytes(), Some(D::InvisibleCharacters)),
        (b"https;//example.com/x", Some(D::SchemeSeparator)),
        (b"https:://example.com/x", Some(D::SchemeSeparator)),
        (b"/a|b", Some(D::DisallowedCharacters)),
        (b"/a[1]", Some(D::DisallowedCharacters)),
        (b"http://[::1]/a[1]", Some(D::DisallowedCharacters)),
        (b"tel:12345", Some(D::NonWebScheme)),
        (b"www.html", None),
        // Found by the property tests (location/props.rs): a second `#`.
        (b"#x#y", Some(D::DisallowedCharacters)),
    ];
    assert!(cases.len() >= 40);
    let mut failures = Vec::new();
    for (raw, expected) in cases {
        let got = classify_location(raw, &base()).defect;
        if got != *expected {
            failures.push(format!(
                "{:?}: expected {expected:?}, got {got:?}",
                model::escape_bytes(raw)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Browser target (WHATWG, the DOMAIN.md table) and probable target.
#[test]
fn resolves_like_a_browser_and_guesses_intent() {
    let cases: &[(&[u8], Option<&str>, Option<&str>)] = &[
        (
            b"http//example.com/x",
            Some("https://example.com/old/http//example.com/x"),
            Some("http://example.com/x"),
        ),
        (
            b"https:/example.com/x",
            Some("https://example.com/example.com/x"),
            Some("https://example.com/x"),
        ),
        (
            b"http:/example.com/x",
            Some("http://example.com/x"),
            Some("http://example.com/x"),
        ),
        (
            b"http:\\\\example.com\\x",
            Some("http://example.com/x"),
            Some("http://example.com/x"),
        ),
        (
            b"https:example.com/x",
            Some("https://example.com/old/example.com/x"),
            Some("https://example.com/x"),
        ),
        (
            b"https:///example.com/x",
            Some("https://example.com/x"),
            Some("https://example.com/x"),
        ),
        (
            b"http:///p",
            Some("http://p/"),
            Some("http://example.com/p"),
        ),
        (b"https://:443/a", None, Some("https://example.com/a")),
        (
            b"http://other.example:/p",
            Some("http://other.example/p"),
            Some("http://other.example/p"),
        ),
        (
            b"www.example.com/x",
            Some("https://example.com/old/www.example.com/x"),
            Some("https://www.example.com/x"),
        ),
        (b"htp://example.com/", None, Some("http://example.com/")),
        (
            b"/caf\xe9",
            Some("https://example.com/caf%E9"),
            Some("https://example.com/caf%E9"),
        ),
        (
            b"/a b",
            Some("https://example.com/a%20b"),
            Some("https://example.com/a%20b"),
        ),
        (
            b"\"/new\"",
            Some("https://example.com/old/%22/new%22"),
            Some("https://example.com/new"),
        ),
        (b"javascript:alert(1)", Some("javascript:alert(1)"), None),
        (b"/valid", Some("https://example.com/valid"), None),
    ];
    for (raw, browser, meant) in cases {
        let v = classify_location(raw, &base());
        let label = model::escape_bytes(raw);
        if let Some(browser) = browser {
            assert_eq!(
                v.browser_target.as_deref(),
                Some(*browser),
                "browser: {label}"
            );
        }
        assert_eq!(v.probable_target.as_deref(), *meant, "probable: {label}");
    }
}

#[test]
fn relative_is_lexical() {
    for (raw, relative) in [
        ("/a", true),
        ("//h/c", true),
        ("http//h/p", true),
        ("?q", true),
        ("https://h/", false),
        ("HTTP://H/", false),
        ("https:/h/p", false),
    ] {
        assert_eq!(
            classify_location(raw.as_bytes(), &base()).relative,
            relative,
            "{raw}"
        );
    }
}

#[test]
fn every_defect_has_a_description() {
    for d in [D::Empty, D::MissingColon, D::Unresolvable, D::NonWebScheme] {
        assert!(!d.description().is_empty());
        assert!(!d.as_str().contains(' '));
    }
}

/// Found by `cargo fuzz run location` (input `c2 a0 c2 a0`): a value of
/// Unicode whitespace had no defect, yet neither the classifier nor the
/// crawler resolved it to a target.
#[test]
fn unicode_whitespace_only_is_empty() {
    for raw in ["\u{a0}\u{a0}", " \u{3000}\t", "\u{2028}"] {
        let verdict = classify_location(raw.as_bytes(), &base());
        assert_eq!(verdict.defect, Some(D::Empty), "{raw:?}");
        assert_eq!(verdict.browser_target, None, "{raw:?}");
        assert_eq!(
            verdict.browser_target,
            model::resolve_location(&base(), raw.as_bytes()).map(String::from),
            "{raw:?}"
        );
    }
}

/// Issue 13, "Location classifier precision": one row per reported item,
/// with the defect's stable name and the probable target.
#[test]
fn issue_13_regressions() {
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        // False error: relative paths whose first segment has a dot.
        ("www.html", None, None),
        ("index.php?id=1", None, None),
        ("v1.2/notes", None, None),
        ("file.tar.gz", None, None),
        ("readme.md", None, None),
        // … while a host without a scheme still is one.
        (
            "www.example.com/x",
            Some("missing-scheme"),
            Some("https://www.example.com/x"),
        ),
        (
            "shop.example.de/x",
            Some("missing-scheme"),
            Some("https://shop.example.de/x"),
        ),
        (
            "example.com:8080/p",
            Some("missing-scheme"),
            Some("https://example.com:8080/p"),
        ),
        // Missed: non-ASCII. Invisible characters are accidents …
        (
            "/a\u{a0}b",
            Some("invisible-characters"),
            Some("https://example.com/a%20b"),
        ),
        (
            "/new\u{200b}",
            Some("invisible-characters"),
            Some("https://example.com/new"),
        ),
        (
            "\u{feff}/x",
            Some("invisible-characters"),
            Some("https://example.com/x"),
        ),
        (
            "/new\u{202f}",
            Some("invisible-characters"),
            Some("https://example.com/new"),
        ),
        // … an IRI means its percent-encoded URL.
        (
            "/café",
            Some("non-ascii"),
            Some("https://example.com/caf%C3%A9"),
        ),
        (
            "http://bücher.example/",
            Some("non-ascii"),
            Some("http://xn--bcher-kva.example/"),
        ),
        (
            "/a|b",
            Some("disallowed-characters"),
            Some("https://example.com/a%7Cb"),
        ),
        // Missed and mislabelled: scheme separators.
        (
            "https;//host.example/x",
            Some("scheme-separator"),
            Some("https://host.example/x"),
        ),
        (
            "https:://host.example/x",
            Some("scheme-separator"),
            Some("https://host.example/x"),
        ),
        (
            "HTTP.//host.example/x",
            Some("scheme-separator"),
            Some("http://host.example/x"),
        ),
        (
            "htps;//host.example/x",
            Some("scheme-separator"),
            Some("https://host.example/x"),
        ),
        // Wrong label: non-web schemes are not hosts.
        ("tel:12345", Some("non-web-scheme"), None),
        ("sms:12345", Some("non-web-scheme"), None),
        ("mailto:", Some("non-web-scheme"), None),
        (
            "localhost:3000",
            Some("missing-scheme"),
            Some("https://localhost:3000/"),
        ),
    ];
    let mut failures = Vec::new();
    for (raw, defect, meant) in cases {
        let v = classify_location(raw.as_bytes(), &base());
        let got = (
            v.defect.map(LocationDefect::as_str),
            v.probable_target.as_deref(),
        );
        if got != (*defect, *meant) {
            failures.push(format!(
                "{raw:?}: expected {:?}, got {got:?}",
                (defect, meant)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
