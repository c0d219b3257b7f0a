//! Timestamps as sortable text.
//!
//! They are stored as fixed-width UTC text, `2024-05-01T08:00:00.000000000Z`:
//! readable with the `sqlite3` shell, exact to the nanosecond, and ordered
//! the same way as text and as time, so `started_at < ?` works in SQL. (Plain
//! RFC 3339 with a variable number of fractional digits does not sort:
//! `…:00.5Z` < `…:00Z` as text.) Fixed width needs four-digit years, hence
//! the 0–9999 range.

use jiff::Timestamp;

const FORMAT: &str = "%Y-%m-%dT%H:%M:%S.%NZ";

/// `0000-01-01T00:00:00Z`, the first instant with a four-digit year.
const YEAR_ZERO_SECONDS: i64 = -62_167_219_200;

/// The stored form, or `None` when the year is below 0.
pub(crate) fn to_text(ts: Timestamp) -> Option<String> {
    if ts.as_second() < YEAR_ZERO_SECONDS {
        return None;
    }
    jiff::fmt::strtime::format(FORMAT, ts).ok()
}

/// Reads a stored timestamp back.
pub(crate) fn from_text(text: &str) -> Option<Timestamp> {
    text.parse().ok()
}
