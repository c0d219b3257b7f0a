//! Header values kept exactly as the server sent them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The bytes of one header value, exactly as received: possibly empty, not
/// UTF-8, or full of control characters. Analysis decides on these bytes,
/// reports print them through [`RawValue::escaped`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RawValue(pub Vec<u8>);

impl RawValue {
    /// Wraps bytes as received.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self(bytes.into())
    }

    /// The exact bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// `true` when the value has no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value as text when it is valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        std::str::from_utf8(&self.0).ok()
    }

    /// A printable, unambiguous form: printable ASCII and non-control UTF-8 as
    /// is, a backslash as `\\`, every other byte (control characters, bytes
    /// that are not UTF-8, bidi overrides) as `\xNN` or `\u{NNNN}`. Two
    /// different raw values never share an escaped form, so reports can be
    /// diffed and a hostile value cannot rewrite a terminal line.
    pub fn escaped(&self) -> String {
        escape_bytes(&self.0)
    }
}

impl From<&str> for RawValue {
    fn from(value: &str) -> Self {
        Self(value.as_bytes().to_vec())
    }
}

impl fmt::Display for RawValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.escaped())
    }
}

/// Escapes arbitrary bytes as described on [`RawValue::escaped`].
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char_escaped(&mut out, c);
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

fn push_char_escaped(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02X}", c as u32)),
        // C1 controls, bidi controls and other invisible formatting characters.
        '\u{80}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}' => out.push_str(&format!("\\u{{{:04X}}}", c as u32)),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_invalid_utf8_and_bidi() {
        let raw = RawValue::new(b"/a b\r\n\xff\\\xe2\x80\xae".to_vec());
        assert_eq!(raw.escaped(), "/a b\\x0D\\x0A\\xFF\\\\\\u{202E}");
    }

    #[test]
    fn keeps_plain_unicode() {
        assert_eq!(RawValue::from("/café").escaped(), "/café");
    }
}
