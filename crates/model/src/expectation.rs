//! List mode: what a migration map says a URL must do.

use serde::{Deserialize, Serialize};

/// One line of a `check` list: a URL and, from a migration map, where it
/// must land.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expectation {
    /// 1-based line of the input it came from.
    pub line: usize,
    /// The URL as written.
    pub raw_url: String,
    /// The URL normalised, or why it is not a valid http(s) URL.
    pub url: Result<String, String>,
    /// The expected final URL as written, if the map has one.
    pub raw_expected: Option<String>,
    /// The expected final URL normalised, or why it is not valid.
    pub expected: Option<Result<String, String>>,
}
