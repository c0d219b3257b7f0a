//! A streaming scanner for the few tags link extraction needs.
//!
//! Building a DOM per page was 80 % of link extraction and 38 % of a crawl's
//! CPU (see README, Performance). This scanner follows the WHATWG tokenizer
//! where it matters for links — comments, bogus comments, raw-text and
//! RCDATA elements (`<script>`, `<style>`, `<textarea>` …) whose content is
//! not markup, a script's escaped and double-escaped text (`<!--<script>`), quoted and unquoted attribute values, first-attribute-wins,
//! character references in values, and tags cut off by the end of the
//! document, which are dropped — and skips everything else with `memchr`.
//! A differential test checks it against html5ever (through scraper) on the
//! fixture sites and on tricky inputs.

use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use memchr::{memchr, memchr2, memmem};

#[cfg(feature = "html5gum")]
pub(crate) mod html5gum_tags;
#[cfg(feature = "lol_html")]
pub(crate) mod lol_html_tags;

/// A start tag the extractor cares about, with its attribute values decoded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    /// `<a href>` or `<area href>`.
    Anchor { href: String },
    /// `<base href>`.
    Base { href: String },
    /// `<link rel href [hreflang]>`.
    Link {
        rel: String,
        href: String,
        hreflang: Option<String>,
    },
    /// `<meta http-equiv content>`.
    Meta { http_equiv: String, content: String },
    /// The text of an inline `<script>` (one without `src`).
    Script { text: String },
}

/// Elements whose content is text up to their end tag (raw text and RCDATA
/// in the HTML standard; `noscript` too, as html5ever parses with scripting
/// on).
const TEXT_ELEMENTS: [&[u8]; 9] = [
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
];

/// Calls `found` for every tag of interest, in document order.
pub(crate) fn scan(html: &[u8], mut found: impl FnMut(Tag)) {
    let mut pos = 0;
    while let Some(offset) = memchr(b'<', &html[pos..]) {
        let lt = pos + offset;
        pos = match html.get(lt + 1) {
            Some(b'!') => skip_markup_declaration(html, lt),
            Some(b'?') => skip_past(html, lt + 2, b'>'),
            Some(b'/') => match html.get(lt + 2) {
                Some(c) if c.is_ascii_alphabetic() => match parse_tag(html, lt + 2) {
                    Some((_, _, end)) => end,
                    None => return,
                },
                Some(b'>') => lt + 3,
                Some(_) => skip_past(html, lt + 2, b'>'),
                None => return,
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let Some((name, attrs, end)) = parse_tag(html, lt + 1) else {
                    return;
                };
                let name = name.to_ascii_lowercase();
                emit(&name, &attrs, &mut found);
                if name == b"plaintext" {
                    return;
                }
                if TEXT_ELEMENTS.contains(&name.as_slice()) {
                    let (text_end, resume) = if name == b"script" {
                        find_script_end(html, end)
                    } else {
                        find_end_tag(html, end, &name)
                    };
                    if name == b"script" && !attrs.iter().any(|(n, _)| n == "src") {
                        found(Tag::Script {
                            text: String::from_utf8_lossy(&html[end..text_end]).into_owned(),
                        });
                    }
                    resume
                } else {
                    end
                }
            }
            // A `<` that starts no tag is text.
            _ => lt + 1,
        };
    }
}

fn emit(name: &[u8], attrs: &[(String, String)], found: &mut impl FnMut(Tag)) {
    let get = |key: &str| attrs.iter().find(|(n, _)| n == key).map(|(_, v)| v.clone());
    match name {
        b"a" | b"area" => {
            if let Some(href) = get("href") {
                found(Tag::Anchor { href });
            }
        }
        b"base" => {
            if let Some(href) = get("href") {
                found(Tag::Base { href });
            }
        }
        b"link" => {
            if let (Some(rel), Some(href)) = (get("rel"), get("href")) {
                found(Tag::Link {
                    rel,
                    href,
                    hreflang: get("hreflang"),
                });
            }
        }
        b"meta" => {
            if let (Some(http_equiv), Some(content)) = (get("http-equiv"), get("content")) {
                found(Tag::Meta {
                    http_equiv,
                    content,
                });
            }
        }
        _ => {}
    }
}

/// The index just past the next `byte` at or after `from`, or the end.
fn skip_past(html: &[u8], from: usize, byte: u8) -> usize {
    match html.get(from..).and_then(|rest| memchr(byte, rest)) {
        Some(i) => from + i + 1,
        None => html.len(),
    }
}

/// `<!-- … -->` comments (with the standard's `<!-->` and `<!--->` short
/// forms), and `<!DOCTYPE …>` / `<![CDATA[…]]>` as bogus comments up to `>`.
fn skip_markup_declaration(html: &[u8], lt: usize) -> usize {
    let rest = &html[lt + 2..];
    if let Some(body) = rest.strip_prefix(b"--") {
        if body.starts_with(b">") {
            return lt + 5;
        }
        if body.starts_with(b"->") {
            return lt + 6;
        }
        return match memmem::find(body, b"-->") {
            Some(i) => lt + 4 + i + 3,
            None => html.len(),
        };
    }
    skip_past(html, lt + 2, b'>')
}

/// Parses a tag from its name at `start`: (name, attributes, index after
/// `>`), or `None` when the document ends inside the tag (the standard then
/// drops it).
/// A parsed tag: lowercase-insensitive name, attributes (name lowercased,
/// value decoded; first of a name wins), index after its `>`.
type ParsedTag = (Vec<u8>, Vec<(String, String)>, usize);

fn parse_tag(html: &[u8], start: usize) -> Option<ParsedTag> {
    let mut i = start;
    while i < html.len() && !is_space(html[i]) && html[i] != b'/' && html[i] != b'>' {
        i += 1;
    }
    let name = html[start..i].to_vec();
    let mut attrs: Vec<(String, String)> = Vec::new();
    loop {
        while i < html.len() && (is_space(html[i]) || html[i] == b'/') {
            i += 1;
        }
        if *html.get(i)? == b'>' {
            return Some((name, attrs, i + 1));
        }
        // Attribute name: the first character may be `=` (a parse error the
        // standard keeps as part of the name).
        let name_start = i;
        i += 1;
        while i < html.len() && !is_space(html[i]) && !matches!(html[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr_name = String::from_utf8_lossy(&html[name_start..i]).to_ascii_lowercase();
        while i < html.len() && is_space(html[i]) {
            i += 1;
        }
        let mut value = String::new();
        if html.get(i) == Some(&b'=') {
            i += 1;
            while i < html.len() && is_space(html[i]) {
                i += 1;
            }
            let raw = match html.get(i)? {
                quote @ (b'"' | b'\'') => {
                    let open = i + 1;
                    let close = open + memchr(*quote, &html[open..])?;
                    i = close + 1;
                    &html[open..close]
                }
                _ => {
                    let open = i;
                    while i < html.len() && !is_space(html[i]) && html[i] != b'>' {
                        i += 1;
                    }
                    &html[open..i]
                }
            };
            value = decode_attribute(raw);
        }
        if !attrs.iter().any(|(n, _)| *n == attr_name) {
            attrs.push((attr_name, value));
        }
    }
}

/// Where the content of a text element ends and scanning resumes: at its
/// end tag (`</name` followed by space, `/` or `>`, any case), or the end.
fn find_end_tag(html: &[u8], from: usize, name: &[u8]) -> (usize, usize) {
    let mut pos = from;
    while let Some(offset) = memchr(b'<', &html[pos..]) {
        let lt = pos + offset;
        let candidate = &html[lt + 1..];
        if candidate.first() == Some(&b'/')
            && candidate.len() > name.len()
            && candidate[1..=name.len()].eq_ignore_ascii_case(name)
            && candidate
                .get(name.len() + 1)
                .is_none_or(|c| is_space(*c) || matches!(c, b'/' | b'>'))
        {
            return (lt, skip_past(html, lt + 1, b'>'));
        }
        pos = lt + 1;
    }
    (html.len(), html.len())
}

/// Where a script's text ends and scanning resumes, following the
/// standard's script data states (WHATWG HTML §13.2.5.4 and §13.2.5.15–.31):
/// after `<!--` the text is *escaped*, where `</script>` still ends it but
/// `<script` makes it *double escaped*, where `</script` only returns to
/// escaped; `-->` ends either. So in
/// `<script><!--<script>…</script>…--></script>` only the last `</script>`
/// closes the element (old pages that hid `document.write("<script>…")` in
/// a comment).
fn find_script_end(html: &[u8], from: usize) -> (usize, usize) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    let mut pos = from;
    loop {
        let rest = &html[pos..];
        let lt = memchr(b'<', rest).map(|i| pos + i);
        if state != State::Data {
            // `-->` ends an escape. The dashes may be those of the `<!--`
            // that began it (`<!-->`), so `pos` is left on them below.
            let close = memmem::find(rest, b"-->").map(|i| pos + i);
            if let Some(close) = close
                && lt.is_none_or(|lt| close < lt)
            {
                state = State::Data;
                pos = close + 3;
                continue;
            }
        }
        let Some(lt) = lt else {
            return (html.len(), html.len());
        };
        let after = &html[lt + 1..];
        match state {
            State::Data if after.starts_with(b"!--") => {
                state = State::Escaped;
                pos = lt + 2;
            }
            State::Data | State::Escaped if is_script_tag(after, true) => {
                return (lt, skip_past(html, lt + 1, b'>'));
            }
            State::Escaped if is_script_tag(after, false) => {
                state = State::DoubleEscaped;
                pos = lt + 1 + "script".len();
            }
            State::DoubleEscaped if is_script_tag(after, true) => {
                state = State::Escaped;
                pos = lt + 2 + "script".len();
            }
            _ => pos = lt + 1,
        }
    }
}

/// Whether `after` (the bytes after a `<`) starts `script` (`/script` for
/// an end tag), any case, followed by space, `/` or `>`. At the end of the
/// document an end tag still counts, as in [`find_end_tag`].
fn is_script_tag(after: &[u8], end: bool) -> bool {
    let name = if end {
        match after.strip_prefix(b"/") {
            Some(name) => name,
            None => return false,
        }
    } else {
        after
    };
    name.len() >= 6
        && name[..6].eq_ignore_ascii_case(b"script")
        && name
            .get(6)
            .map_or(end, |c| is_space(*c) || matches!(c, b'/' | b'>'))
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// Decodes character references in an attribute value as the standard
/// does: numeric references, named references (the full table html5ever
/// uses), and a legacy named reference without `;` left alone when an
/// alphanumeric or `=` follows (`?a=1&copy=2` keeps `&copy`).
fn decode_attribute(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    if memchr2(b'&', b'\0', raw).is_none() {
        return text.into_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(amp) = rest.find(['&', '\0']) {
        out.push_str(&rest[..amp]);
        if rest.as_bytes()[amp] == b'\0' {
            out.push('\u{fffd}');
            rest = &rest[amp + 1..];
            continue;
        }
        let after = &rest[amp + 1..];
        match decode_reference(after) {
            Some((decoded, used)) => {
                out.push_str(&decoded);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the reference after a `&`: (text, bytes consumed).
fn decode_reference(after: &str) -> Option<(String, usize)> {
    let bytes = after.as_bytes();
    if bytes.first() == Some(&b'#') {
        let (hex, digits_start) = match bytes.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let digits_len = bytes[digits_start..]
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if digits_len == 0 {
            return None;
        }
        let digits = &after[digits_start..digits_start + digits_len];
        let value = u32::from_str_radix(digits, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let mut used = digits_start + digits_len;
        if bytes.get(used) == Some(&b';') {
            used += 1;
        }
        return Some((numeric_char(value).to_string(), used));
    }
    let name_len = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return None;
    }
    let with_semicolon = bytes.get(name_len) == Some(&b';');
    // Longest match first: `&notin;` over `&not`.
    for len in (1..=name_len).rev() {
        let candidate_end = if len == name_len && with_semicolon {
            len + 1
        } else {
            len
        };
        let key = &after[..candidate_end];
        let Some(&(first, second)) = NAMED_ENTITIES.get(key) else {
            continue;
        };
        if !key.ends_with(';') {
            let next = bytes.get(len);
            if next.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'=') {
                return None;
            }
        }
        let mut decoded = String::new();
        decoded.extend(char::from_u32(first));
        if second != 0 {
            decoded.extend(char::from_u32(second));
        }
        return Some((decoded, candidate_end));
    }
    None
}

/// A numeric character reference's character, with the standard's
/// replacements (NUL, surrogates and out-of-range → U+FFFD, C1 controls →
/// windows-1252).
fn numeric_char(value: u32) -> char {
    match value {
        0 => '\u{fffd}',
        0x80..=0x9f => C1_REPLACEMENTS[(value - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{fffd}')),
        _ => char::from_u32(value).unwrap_or('\u{fffd}'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(html: &str) -> Vec<Tag> {
        let mut out = Vec::new();
        scan(html.as_bytes(), |t| out.push(t));
        out
    }

    fn anchor(href: &str) -> Tag {
        Tag::Anchor {
            href: href.to_owned(),
        }
    }

    #[test]
    fn attributes_in_every_form() {
        assert_eq!(
            tags(
                r#"<a href="/q">1</a><A HREF='/s'>2</A><a href=/u>3</a><a class=x href = "/w" href="/dup">4</a>"#
            ),
            vec![anchor("/q"), anchor("/s"), anchor("/u"), anchor("/w")]
        );
        assert_eq!(
            tags(r#"<a title="x>y" href="/after-gt">"#),
            vec![anchor("/after-gt")]
        );
        assert_eq!(tags(r#"<a/href="/slash">"#), vec![anchor("/slash")]);
    }

    #[test]
    fn markup_that_is_not_markup() {
        let html = r#"<!-- <a href="/in-comment"> --><!--><a href="/a1"><!---><a href="/a2">
            <script>document.write('<a href="/in-script">')</script>
            <style>a[href="/in-style"]{}</style><textarea><a href="/in-textarea"></textarea>
            <title><a href="/in-title"></title><a href="/after">"#;
        let found = tags(html);
        let anchors: Vec<&Tag> = found
            .iter()
            .filter(|t| matches!(t, Tag::Anchor { .. }))
            .collect();
        assert_eq!(
            anchors,
            vec![&anchor("/a1"), &anchor("/a2"), &anchor("/after")]
        );
    }

    #[test]
    fn a_tag_cut_off_by_the_end_is_dropped() {
        assert_eq!(tags(r#"<a href="/ok"><a href="/cut"#), vec![anchor("/ok")]);
        assert_eq!(tags(r#"<a href="/ok"><a href="/cut""#), vec![anchor("/ok")]);
    }

    #[test]
    fn character_references() {
        let cases = [
            ("/a?x=1&amp;y=2", "/a?x=1&y=2"),
            ("/a?x=1&y=2", "/a?x=1&y=2"),
            ("/caf&eacute;", "/café"),
            ("/&#47;&#x2F;&#X2f", "////"),
            ("/&#128;", "/€"),
            ("/?a=1&copy=2", "/?a=1&copy=2"),
            ("/&copy", "/©"),
            ("/&notin;&notit;", "/∉&notit;"),
            ("/&unknown;", "/&unknown;"),
        ];
        for (raw, decoded) in cases {
            assert_eq!(decode_attribute(raw.as_bytes()), decoded, "{raw}");
        }
    }

    /// Script data escape states: text html5ever keeps inside the script
    /// (the differential test checks the same inputs against it).
    #[test]
    fn script_data_escape_states() {
        let script = |text: &str| Tag::Script {
            text: text.to_owned(),
        };
        let cases: [(&str, Vec<Tag>); 7] = [
            // Double escaped: the inner `</script>` is text.
            (
                r#"<script><!--<script>x</script><a href="/in"> --></script><a href="/out">"#,
                vec![
                    script(r#"<!--<script>x</script><a href="/in"> -->"#),
                    anchor("/out"),
                ],
            ),
            // Back in script data after `-->`: the script runs to the end.
            (
                r#"<script><!--<script></script>--><a href="/still-script">"#,
                vec![script(
                    r#"<!--<script></script>--><a href="/still-script">"#,
                )],
            ),
            // Escaped but not double escaped: `</script>` ends it.
            (
                r#"<script><!-- </script><a href="/a">"#,
                vec![script("<!-- "), anchor("/a")],
            ),
            (
                r#"<script><!--<scripty></script><a href="/a">"#,
                vec![script("<!--<scripty>"), anchor("/a")],
            ),
            // `<!-->` opens and closes at once.
            (
                r#"<script><!--><script></script><a href="/a">"#,
                vec![script("<!--><script>"), anchor("/a")],
            ),
            // Any case, and `/` ends a tag name.
            (
                r#"<script><!--<SCRIPT/></Script>--></SCRIPT/><a href="/a">"#,
                vec![script("<!--<SCRIPT/></Script>-->"), anchor("/a")],
            ),
            // A `-->` while double escaped leaves both escapes.
            (
                r#"<script><!--<script>--></script><a href="/a">"#,
                vec![script("<!--<script>-->"), anchor("/a")],
            ),
        ];
        for (html, want) in cases {
            assert_eq!(tags(html), want, "{html}");
        }
    }

    #[test]
    fn scripts_with_src_are_not_inline() {
        let found = tags(
            r#"<script src="/x.js">location.href="/no"</script><SCRIPT>location.href="/yes"</SCRIPT >"#,
        );
        assert_eq!(
            found,
            vec![Tag::Script {
                text: r#"location.href="/yes""#.to_owned()
            }]
        );
    }
}
