//! Character classes of a Location value that RFC 3986 does not allow
//! unencoded (§2: a URI is ASCII, and only unreserved, reserved and `%XX`).

/// Invisible or space-like characters: Unicode spaces (U+00A0, U+202F,
/// U+3000 …), zero-width characters (U+200B..U+200D, U+2060, U+FEFF) and
/// other format characters (soft hyphen, bidi marks). They arrive by
/// copy-paste from documents and chat, nobody sees them in a config file,
/// and browsers percent-encode them into a URL nobody meant
/// (`%C2%A0`, `%E2%80%8B`).
pub(super) fn is_invisible(c: char) -> bool {
    (c.is_whitespace() && !c.is_ascii())
        || matches!(
            c,
            '\u{ad}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206f}'
                | '\u{feff}'
        )
}

/// The first invisible character of `text`, to name it in a message.
pub(crate) fn first_invisible(text: &str) -> Option<char> {
    text.chars().find(|&c| is_invisible(c))
}

/// Printable ASCII that RFC 3986 allows nowhere unencoded (§2; RFC 2396
/// §2.4.3 called them "unwise"): ``"<>^`{|}``.
/// Browsers encode some (`"`, `<`, `>`, `` ` ``, `{`, `}`) and send others
/// as they are (`|`, `^`), other clients differ. The backslash has a defect
/// of its own.
pub(super) fn is_disallowed_ascii(c: char) -> bool {
    matches!(c, '"' | '<' | '>' | '^' | '`' | '{' | '|' | '}')
}
