//! URL normalisation: the key under which a URL is fetched once.

use url::Url;

/// Normalises an absolute URL for deduplication: WHATWG parsing (lowercase
/// scheme and host, default port dropped, empty path → `/`, dot segments
/// removed), fragment dropped, and the hex digits of percent-escapes
/// uppercased (`%2f` and `%2F` are the same octet, RFC 3986 §6.2.2.1).
///
/// Query parameter order and trailing slashes are kept: servers may treat
/// them as different resources, and a trailing-slash redirect is something
/// this tool reports.
pub fn normalize_url(mut url: Url) -> Url {
    url.set_fragment(None);
    let text = url.as_str();
    if !text.contains('%') {
        return url;
    }
    let upper = uppercase_percent_escapes(text);
    if upper == text {
        return url;
    }
    // Uppercasing hex digits of valid escapes keeps a valid URL.
    Url::parse(&upper).unwrap_or(url)
}

/// `url` without its fragment: the part two redirect targets are compared
/// by. Search engines index URLs without fragments, and a fragment a client
/// carried over from a link (RFC 9110 §10.2.2) is not something the server
/// sent (earlier versions stored such fragments in history).
pub fn without_fragment(url: &str) -> &str {
    url.split_once('#').map_or(url, |(before, _)| before)
}

fn uppercase_percent_escapes(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            out.push('%');
            out.push(bytes[i + 1].to_ascii_uppercase() as char);
            out.push(bytes[i + 2].to_ascii_uppercase() as char);
            i += 3;
        } else {
            // Copy the whole UTF-8 character: escapes are ASCII, so we only
            // ever stop on character boundaries.
            let ch = text[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize_url(Url::parse(s).unwrap()).to_string()
    }

    #[test]
    fn normalises_the_documented_forms() {
        assert_eq!(norm("HTTP://Example.COM"), "http://example.com/");
        assert_eq!(norm("http://example.com:80/a#frag"), "http://example.com/a");
        assert_eq!(
            norm("https://example.com:443/a/./b/../c"),
            "https://example.com/a/c"
        );
        assert_eq!(
            norm("http://example.com/%7e%2f?q=%c3%a9"),
            "http://example.com/%7E%2F?q=%C3%A9"
        );
        assert_eq!(norm("http://example.com:8080/"), "http://example.com:8080/");
    }

    #[test]
    fn without_fragment_cuts_at_the_first_hash() {
        assert_eq!(without_fragment("http://e.com/a#top"), "http://e.com/a");
        assert_eq!(without_fragment("http://e.com/a#b#c"), "http://e.com/a");
        assert_eq!(without_fragment("http://e.com/a?q=1"), "http://e.com/a?q=1");
    }

    #[test]
    fn keeps_trailing_slash_and_query_order() {
        assert_eq!(norm("http://e.com/a/?b=1&a=2"), "http://e.com/a/?b=1&a=2");
        assert_ne!(norm("http://e.com/a/"), norm("http://e.com/a"));
    }
}
