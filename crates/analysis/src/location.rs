//! Lexical validation of a raw `Location` value, on its bytes, before any
//! resolution.
//!
//! Why lexical: the WHATWG URL parser (browsers, the `url` crate) silently
//! "recovers" several common typos, and differently from other clients
//! (DOMAIN.md, "How clients resolve broken Location values"): `http//host/p`
//! becomes a *relative path*, `https:/host/p` a path on the same host while
//! `http:/host/p` names a host, and `http:\\host\p` is accepted only for
//! special schemes. RFC 9110 §10.2.2 leaves recovery undefined. So we decide
//! on what the server sent, then show what a browser does with it and what the
//! author probably meant.

use std::fmt;

use url::Url;

mod chars;
mod host;

pub(crate) use chars::first_invisible;

/// What is wrong with a Location value. Ordered roughly by how much a client
/// can misread it; [`classify_location`] reports the first that applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum LocationDefect {
    /// No bytes, or only whitespace: spaces and tabs, or other Unicode
    /// whitespace such as U+00A0 or CR LF, which the crawler's resolution
    /// (`model::resolve_location`) also treats as no target.
    Empty,
    /// Bytes that are not UTF-8 (e.g. Latin-1 `é` as `\xE9`): browsers decode
    /// them as UTF-8 with replacement characters, the server meant `%E9`.
    NotUtf8,
    /// Control characters (CR, LF, NUL, DEL, C1 …) inside the value.
    ControlCharacters,
    /// Invisible or space-like Unicode characters (U+00A0, U+202F, U+200B,
    /// U+FEFF …), copy-paste accidents: browsers percent-encode them into a
    /// URL nobody meant (`%C2%A0`).
    InvisibleCharacters,
    /// The whole value wrapped in quotes or angle brackets (`"/new"`), a
    /// templating slip: browsers read the quotes as part of a relative path.
    Quoted,
    /// `http//host/p`: the colon after the scheme is missing, so browsers
    /// resolve a relative path below the current directory.
    MissingColon,
    /// `https;//host/p`, `https:://host/p`, `https.//host/p`: a mistyped or
    /// doubled separator between the scheme and `//`; browsers resolve a
    /// relative path.
    SchemeSeparator,
    /// `https:/host/p`: one slash. Same scheme as the page → a path on the
    /// current host; other scheme → a host. Its meaning flips on an
    /// http → https move.
    SingleSlash,
    /// Backslashes (`http:\\host\p`, `/a\b`): browsers turn them into
    /// slashes for http(s), other clients encode them as `%5C`.
    Backslashes,
    /// `https:host/p`: no slashes after the scheme; browsers read a relative
    /// path when the scheme matches the page's.
    NoSlashes,
    /// `http:///p`, `https://:443/`, `///p`: nothing where the host belongs.
    EmptyHost,
    /// `http://host:/p`: a colon with no port number.
    EmptyPort,
    /// `example.com:8080/p` or `www.example.com/p`: a host without a scheme,
    /// read as a scheme `example.com:` or as a relative path. Only a first
    /// segment that plausibly names a host counts (see `location/host.rs`):
    /// `www.html` and `index.php` are relative paths, not defects.
    MissingScheme,
    /// A misspelt http(s) scheme such as `htp:` or `htps:`.
    UnknownScheme,
    /// A scheme browsers do not load as a web page (`javascript:`, `data:`,
    /// `file:`, `ftp:`, `mailto:`, `tel:`, app schemes): crawlers cannot
    /// follow it.
    NonWebScheme,
    /// Unencoded spaces or tabs inside the value (RFC 3986 allows none).
    Whitespace,
    /// A `%` not followed by two hex digits (`/100%`).
    BadPercentEncoding,
    /// No defect above, but a WHATWG URL parser still cannot resolve it
    /// (`http://[::1/`, a port out of range …).
    Unresolvable,
    /// Printable ASCII that RFC 3986 §2 allows nowhere unencoded
    /// (``"<>^`{|}``, `[` `]` outside an IPv6 host, a second `#`): browsers
    /// encode some and send others as they are. Usually harmless.
    DisallowedCharacters,
    /// Non-ASCII characters (an IRI such as `/café` or `http://bücher.de/`):
    /// a URI is ASCII (RFC 3986 §2), browsers percent-encode the path
    /// (UTF-8) and punycode the host. Usually harmless.
    NonAscii,
}

impl LocationDefect {
    /// Stable name used in reports (`detail=defect=…`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::NotUtf8 => "not-utf8",
            Self::ControlCharacters => "control-characters",
            Self::InvisibleCharacters => "invisible-characters",
            Self::Quoted => "quoted",
            Self::MissingColon => "missing-colon",
            Self::SchemeSeparator => "scheme-separator",
            Self::SingleSlash => "single-slash",
            Self::Backslashes => "backslashes",
            Self::NoSlashes => "no-slashes",
            Self::EmptyHost => "empty-host",
            Self::EmptyPort => "empty-port",
            Self::MissingScheme => "missing-scheme",
            Self::UnknownScheme => "unknown-scheme",
            Self::NonWebScheme => "non-web-scheme",
            Self::Whitespace => "whitespace",
            Self::BadPercentEncoding => "bad-percent-encoding",
            Self::Unresolvable => "unresolvable",
            Self::DisallowedCharacters => "disallowed-characters",
            Self::NonAscii => "non-ascii",
        }
    }

    /// A short human description, to follow "has " in a message.
    pub fn description(self) -> &'static str {
        match self {
            Self::Empty => "an empty value",
            Self::NotUtf8 => "bytes that are not UTF-8",
            Self::ControlCharacters => "control characters",
            Self::InvisibleCharacters => "invisible or space-like Unicode characters",
            Self::Quoted => "quotes or angle brackets around the URL",
            Self::MissingColon => "no colon after the scheme",
            Self::SchemeSeparator => "a mistyped separator after the scheme instead of `://`",
            Self::SingleSlash => "one slash after the scheme instead of two",
            Self::Backslashes => "backslashes instead of slashes",
            Self::NoSlashes => "no slashes after the scheme",
            Self::EmptyHost => "an empty host",
            Self::EmptyPort => "an empty port after the host",
            Self::MissingScheme => "a host name without a scheme",
            Self::UnknownScheme => "a misspelt scheme",
            Self::NonWebScheme => "a scheme that is not http or https",
            Self::Whitespace => "unencoded whitespace",
            Self::BadPercentEncoding => "a % not followed by two hex digits",
            Self::Unresolvable => "a value a URL parser cannot resolve",
            Self::DisallowedCharacters => "characters a URI does not allow unencoded",
            Self::NonAscii => "non-ASCII characters",
        }
    }

    /// `true` when browsers (WHATWG URL) repair this defect themselves, so
    /// that where a browser goes can be what was meant. The defect still
    /// matters because other clients (crawlers, HTTP libraries, proxies) do
    /// not repair it, or not the same way (DOMAIN.md). For every other defect
    /// the browser's target differs from the probable target, or neither
    /// exists.
    pub fn browsers_repair(self) -> bool {
        matches!(
            self,
            Self::NotUtf8
                | Self::ControlCharacters
                // In a host: UTS 46 maps U+200B, U+00AD, U+FEFF … to nothing.
                | Self::InvisibleCharacters
                | Self::SingleSlash
                | Self::Backslashes
                | Self::NoSlashes
                | Self::EmptyHost
                | Self::EmptyPort
                | Self::Whitespace
                | Self::DisallowedCharacters
                | Self::NonAscii
        )
    }
}

impl fmt::Display for LocationDefect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What [`classify_location`] concluded about one raw Location value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocationVerdict {
    /// The first defect found, `None` for a valid URI-reference.
    pub defect: Option<LocationDefect>,
    /// `true` when the value has no scheme of its own (it is resolved
    /// against the request URL, RFC 9110 §10.2.2). Lexical: `http//h/p` is
    /// relative, because that is how browsers read it.
    pub relative: bool,
    /// Where a browser goes: WHATWG resolution of the value (decoded as UTF-8
    /// with replacement) against the base, `None` when it cannot be resolved
    /// or is empty.
    pub browser_target: Option<String>,
    /// What the author most likely meant, for a defective value; `None` when
    /// there is no defect (the browser target is what was meant) or no
    /// sensible guess (a `javascript:` value).
    pub probable_target: Option<String>,
}

/// Classifies a raw Location value received in a response to `base`.
///
/// Leading and trailing spaces and tabs are ignored: they are optional
/// whitespace around a field value, not part of it (RFC 9110 §5.5).
pub fn classify_location(raw: &[u8], base: &Url) -> LocationVerdict {
    let value = trim_ows(raw);
    let text = String::from_utf8_lossy(value);
    let defect = find_defect(value, &text, base);
    // The same resolution the crawler used for the hop's target, so the
    // report and the finding agree on where the redirect went.
    let browser_target = model::resolve_location(base, value)
        .map(|mut target| {
            // The finding shows the target of the value, not the fragment a
            // client carries over from the request.
            if base.fragment().is_some() && target.fragment() == base.fragment() {
                target.set_fragment(None);
            }
            target
        })
        .map(String::from);
    let probable_target = defect.and_then(|d| probable(value, d, base, 4));
    LocationVerdict {
        defect,
        relative: split_scheme(&text).is_none(),
        browser_target,
        probable_target,
    }
}

fn trim_ows(raw: &[u8]) -> &[u8] {
    let is_ows = |b: &u8| *b == b' ' || *b == b'\t';
    let start = raw.iter().position(|b| !is_ows(b)).unwrap_or(raw.len());
    let end = raw
        .iter()
        .rposition(|b| !is_ows(b))
        .map_or(start, |e| e + 1);
    &raw[start..end]
}

/// Splits `scheme:rest` when the value starts with an RFC 3986 scheme
/// (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`).
fn split_scheme(text: &str) -> Option<(&str, &str)> {
    let colon = text.find(':')?;
    let scheme = &text[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| (scheme, &text[colon + 1..]))
}

fn find_defect(value: &[u8], text: &str, base: &Url) -> Option<LocationDefect> {
    use LocationDefect as D;
    // `text.trim()`, not only `value.is_empty()`: `model::resolve_location`
    // sees no target in a value of Unicode whitespace (`\u{a0}`, found by
    // `cargo fuzz run location`), and the finding must agree with the hop.
    if text.trim().is_empty() {
        return Some(D::Empty);
    }
    if std::str::from_utf8(value).is_err() {
        return Some(D::NotUtf8);
    }
    if text
        .chars()
        .any(|c| (c.is_control() && c != '\t') || c == '\u{7f}')
    {
        return Some(D::ControlCharacters);
    }
    if text.chars().any(chars::is_invisible) {
        return Some(D::InvisibleCharacters);
    }
    if is_quoted(text) {
        return Some(D::Quoted);
    }
    if let Some(d) = structural_defect(text) {
        return Some(d);
    }
    if text.contains([' ', '\t']) {
        return Some(D::Whitespace);
    }
    if text.contains('\\') {
        return Some(D::Backslashes);
    }
    if has_bad_percent(text) {
        return Some(D::BadPercentEncoding);
    }
    if base.join(text).is_err() {
        return Some(D::Unresolvable);
    }
    // Last: browsers repair both, so any defect above matters more.
    if text.chars().any(chars::is_disallowed_ascii)
        || after_authority(text).contains(['[', ']'])
        || fragment(text).contains('#')
    {
        return Some(D::DisallowedCharacters);
    }
    if !text.is_ascii() {
        return Some(D::NonAscii);
    }
    None
}

/// What follows the first `#`: a fragment may not hold another `#`
/// (RFC 3986 §3.5).
fn fragment(text: &str) -> &str {
    text.split_once('#').map_or("", |(_, f)| f)
}

/// The value after its authority, if any: where `[` and `]` are not allowed
/// (RFC 3986 §3.2.2 allows them only around an IP literal).
fn after_authority(text: &str) -> &str {
    let rest = split_scheme(text).map_or(text, |(_, rest)| rest);
    match rest.strip_prefix("//") {
        Some(after) => &after[after.find(['/', '?', '#']).unwrap_or(after.len())..],
        None => rest,
    }
}

fn is_quoted(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 2
        && matches!(
            (b[0], b[b.len() - 1]),
            (b'"', b'"') | (b'\'', b'\'') | (b'<', b'>')
        )
}

/// Defects in the scheme and authority: the part clients misread most.
fn structural_defect(text: &str) -> Option<LocationDefect> {
    use LocationDefect as D;
    if scheme_separator(text).is_some() {
        return Some(D::SchemeSeparator);
    }
    let Some((scheme, rest)) = split_scheme(text) else {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("http//") || lower.starts_with("https//") {
            return Some(D::MissingColon);
        }
        if text.starts_with("\\\\") || text.starts_with("/\\") || text.starts_with("\\/") {
            return Some(D::Backslashes);
        }
        if let Some(after) = text.strip_prefix("//") {
            return authority_defect(after);
        }
        return host::plausible_host(first_segment(text)).then_some(D::MissingScheme);
    };
    let lower = scheme.to_ascii_lowercase();
    if lower == "http" || lower == "https" {
        return if let Some(after) = rest.strip_prefix("//") {
            authority_defect(after)
        } else if rest.starts_with('\\') || rest.starts_with("/\\") {
            Some(D::Backslashes)
        } else if rest.starts_with('/') {
            Some(D::SingleSlash)
        } else {
            Some(D::NoSlashes)
        };
    }
    // `tel:12345` is a phone number, not the host `tel` on port 12345.
    if NON_WEB_SCHEMES.contains(&lower.as_str()) {
        return Some(D::NonWebScheme);
    }
    if looks_like_host_port(scheme, rest) {
        return Some(D::MissingScheme);
    }
    if http_typo(&lower).is_some() {
        return Some(D::UnknownScheme);
    }
    Some(D::NonWebScheme)
}

/// `https;//host`, `https:://host`, `htps.//host`: an http(s) scheme (or a
/// typo of one) and `//`, with something other than exactly one `:`
/// between them. Returns the scheme and what follows the `//`. Characters
/// next to `:` on keyboards, or typed twice; `http//` (nothing between) is
/// [`LocationDefect::MissingColon`].
fn scheme_separator(text: &str) -> Option<(&str, &str)> {
    let word_len = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (word, rest) = text.split_at(word_len);
    let lower = word.to_ascii_lowercase();
    if lower != "http" && lower != "https" && http_typo(&lower).is_none() {
        return None;
    }
    let sep_len = rest
        .bytes()
        .take_while(|b| matches!(b, b':' | b';' | b'.' | b','))
        .count();
    let (sep, after) = rest.split_at(sep_len);
    let after = after.strip_prefix("//")?;
    (!sep.is_empty() && sep != ":").then_some((word, after))
}

/// Checks what follows `//`: the authority, up to the path, query or fragment.
fn authority_defect(after: &str) -> Option<LocationDefect> {
    use LocationDefect as D;
    if after.starts_with('\\') {
        return Some(D::Backslashes);
    }
    let authority = &after[..after.find(['/', '?', '#', '\\']).unwrap_or(after.len())];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, tail)) => (h, tail.strip_prefix(':')),
            None => (v6, None),
        }
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        Some(D::EmptyHost)
    } else if port == Some("") {
        Some(D::EmptyPort)
    } else {
        None
    }
}

fn first_segment(text: &str) -> &str {
    &text[..text.find(['/', '?', '#']).unwrap_or(text.len())]
}

/// `example.com:8080/p`, `localhost:3000`: a lexical "scheme" that is a
/// plausible host, followed by a port number, or by a path (`www.example.com:/p`).
fn looks_like_host_port(scheme: &str, rest: &str) -> bool {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let port_then_end = digits > 0
        && rest[digits..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, '/' | '?' | '#'));
    if port_then_end {
        return host::plausible_host(&format!("{scheme}:{}", &rest[..digits]));
    }
    host::plausible_host(scheme) && !rest.starts_with("//")
}

/// Schemes that are not web pages, and not typos of `http`: never a host
/// (`tel:12345`) and never a misspelt `http` (`ftp`).
const NON_WEB_SCHEMES: &[&str] = &[
    "about",
    "blob",
    "callto",
    "data",
    "fax",
    "file",
    "ftp",
    "ftps",
    "geo",
    "git",
    "intent",
    "irc",
    "javascript",
    "magnet",
    "mailto",
    "market",
    "news",
    "sftp",
    "sip",
    "sips",
    "skype",
    "sms",
    "ssh",
    "tel",
    "urn",
    "vbscript",
    "webcal",
    "ws",
    "wss",
    "xmpp",
];

/// The web scheme a misspelt one probably meant: within two edits of `http`
/// or `https` (`htp`, `htps`, `hhttp`, `hxxp`). Known non-web schemes such as
/// `ftp` are excluded first.
fn http_typo(scheme: &str) -> Option<&'static str> {
    if scheme.len() < 3 || NON_WEB_SCHEMES.contains(&scheme) {
        return None;
    }
    let to_http = edit_distance(scheme, "http");
    let to_https = edit_distance(scheme, "https");
    match to_http.min(to_https) {
        0..=2 if to_https < to_http => Some("https"),
        0..=2 => Some("http"),
        _ => None,
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn has_bad_percent(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// Repairs the defect, then classifies the repaired value again (a value can
/// have several defects), up to `depth` times.
fn probable(value: &[u8], defect: LocationDefect, base: &Url, depth: u8) -> Option<String> {
    let fixed = repair(value, defect, base)?;
    let text = String::from_utf8_lossy(&fixed).into_owned();
    match find_defect(&fixed, &text, base) {
        None => base.join(&text).ok().map(String::from),
        Some(next) if depth > 0 && next != defect => probable(&fixed, next, base, depth - 1),
        Some(_) => None,
    }
}

fn repair(value: &[u8], defect: LocationDefect, base: &Url) -> Option<Vec<u8>> {
    use LocationDefect as D;
    let text = String::from_utf8_lossy(value);
    let fixed: String = match defect {
        D::Empty | D::NonWebScheme | D::Unresolvable => return None,
        D::NotUtf8 => {
            // Percent-encode every non-ASCII byte as the server's own octets:
            // what a Latin-1 `\xE9` was meant to be is `%E9`.
            let mut out = String::new();
            for &b in value {
                if b.is_ascii() {
                    out.push(char::from(b));
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            out
        }
        D::ControlCharacters => text
            .chars()
            .filter(|c| !(c.is_control() && *c != '\t'))
            .collect(),
        D::InvisibleCharacters => {
            // Zero-width and format characters were meant as nothing; a
            // Unicode space inside the value as a space, at its ends as
            // nothing (pasted along).
            let visible: String = text
                .chars()
                .filter(|&c| !chars::is_invisible(c) || c.is_whitespace())
                .collect();
            visible
                .trim_matches(|c: char| chars::is_invisible(c))
                .chars()
                .map(|c| if chars::is_invisible(c) { ' ' } else { c })
                .collect()
        }
        D::SchemeSeparator => {
            let (scheme, after) = scheme_separator(&text)?;
            format!("{scheme}://{after}")
        }
        // What a browser requests is what an IRI means (RFC 3987 §3.1).
        D::NonAscii => String::from(base.join(&text).ok()?),
        // Browsers send `|`, `^` and a second `#` as they are; the URI
        // meant encodes them.
        D::DisallowedCharacters => {
            let tail = after_authority(&text).len();
            // In a host, `%7B` decodes back to `{`: no encoding repairs it.
            if text[..text.len() - tail].contains(chars::is_disallowed_ascii) {
                return None;
            }
            let hash = text.find('#').unwrap_or(text.len());
            let mut out = String::with_capacity(text.len());
            for (i, c) in text.char_indices() {
                let bracket = i >= text.len() - tail && matches!(c, '[' | ']');
                let hash = i > hash && c == '#';
                if chars::is_disallowed_ascii(c) || bracket || hash {
                    out.push_str(&format!("%{:02X}", u32::from(c)));
                } else {
                    out.push(c);
                }
            }
            out
        }
        D::Quoted => text[1..text.len() - 1].to_owned(),
        D::MissingColon => {
            let slash = text.find('/')?;
            format!("{}:{}", &text[..slash], &text[slash..])
        }
        D::SingleSlash | D::NoSlashes => {
            let (scheme, rest) = split_scheme(&text)?;
            let rest = rest.trim_start_matches('/');
            format!("{scheme}://{rest}")
        }
        D::Backslashes => {
            // Browsers read `\` as `/` before the query (WHATWG, special
            // schemes); inside a query it was meant literally.
            let cut = text.find(['?', '#']).unwrap_or(text.len());
            format!(
                "{}{}",
                text[..cut].replace('\\', "/"),
                text[cut..].replace('\\', "%5C")
            )
        }
        D::EmptyHost => repair_empty_host(&text, base)?,
        D::EmptyPort => {
            let start = text.find("//")? + 2;
            let end = text[start..]
                .find(['/', '?', '#'])
                .map_or(text.len(), |e| start + e);
            let authority = text[start..end].strip_suffix(':')?;
            format!("{}{authority}{}", &text[..start], &text[end..])
        }
        D::MissingScheme => format!("{}://{text}", base.scheme()),
        D::UnknownScheme => {
            let (scheme, rest) = split_scheme(&text)?;
            format!("{}:{rest}", http_typo(&scheme.to_ascii_lowercase())?)
        }
        D::Whitespace => text.replace('\t', "").replace(' ', "%20"),
        D::BadPercentEncoding => {
            let b = text.as_bytes();
            let mut out = String::new();
            for (i, ch) in text.char_indices() {
                let valid = b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
                if ch == '%' && !valid {
                    out.push_str("%25");
                } else {
                    out.push(ch);
                }
            }
            out
        }
    };
    Some(fixed.into_bytes())
}

/// `https:///host/p` meant `https://host/p` (curl issue 12147); `http:///p`
/// and `https://:443/` meant a path on the current host.
fn repair_empty_host(text: &str, base: &Url) -> Option<String> {
    let slashes = text.find("//")? + 2;
    let (prefix, after) = text.split_at(slashes);
    let base_host = base.host_str()?;
    if let Some(path) = after.strip_prefix('/') {
        let path = path.trim_start_matches('/');
        let segment = first_segment(path);
        // A dotted first segment is a host only when a path follows it:
        // `http:///cdn.example.com/a.js` lost a slash, `http:///file.pdf`
        // lost its host.
        let more = path.len() > segment.len();
        if more && (segment.contains('.') || segment.eq_ignore_ascii_case("localhost")) {
            return Some(format!("{prefix}{path}"));
        }
        return Some(format!("{prefix}{base_host}/{path}"));
    }
    Some(format!("{prefix}{base_host}{after}"))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod props;
