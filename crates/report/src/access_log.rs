//! What an audit read from access logs, for `summary.json` and the
//! terminal: counts only — never an address, never a line.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// What was read from the `--access-log` paths of one audit (issue 15).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogRead {
    /// Files read.
    pub files: usize,
    /// Lines read.
    pub lines: u64,
    /// Lines that parsed in their file's format.
    pub parsed: u64,
    /// Lines skipped as unparseable (garbage, binary, a truncated line).
    pub unparseable: u64,
    /// Lines over the length cap, skipped.
    pub too_long: u64,
    /// Lines whose content history had read before, skipped.
    pub already_read: u64,
    /// Parsed lines for other hosts, skipped.
    pub other_host: u64,
    /// Parsed lines used: for the audited site, with a request target.
    pub used: u64,
    /// The earliest parsed line's date (RFC 3339 full-date).
    pub first_date: Option<String>,
    /// The latest parsed line's date.
    pub last_date: Option<String>,
    /// Lines parsed but none for the audited site.
    pub nothing_matched: bool,
    /// What went wrong with a file: `<file>: <problem>` (cannot open, a
    /// truncated gzip, not an access log).
    pub problems: Vec<String>,
}

/// The terminal lines about the logs (each starts with two spaces).
pub(crate) fn render(read: &AccessLogRead, site: &str) -> String {
    let mut out = String::new();
    let range = match (&read.first_date, &read.last_date) {
        (Some(a), Some(b)) => format!(", {a} to {b}"),
        _ => String::new(),
    };
    let mut skipped = Vec::new();
    for (n, what) in [
        (read.unparseable, "unparseable"),
        (read.too_long, "too long"),
        (read.other_host, "for other hosts"),
        (read.already_read, "read before"),
    ] {
        if n > 0 {
            skipped.push(format!("{n} {what}"));
        }
    }
    let skipped = if skipped.is_empty() {
        String::new()
    } else {
        format!("; skipped {}", skipped.join(", "))
    };
    let _ = writeln!(
        out,
        "  Access logs   {} {}, {} lines, {} parsed{skipped}{range}",
        read.files,
        if read.files == 1 { "file" } else { "files" },
        read.lines,
        read.parsed,
    );
    if read.nothing_matched {
        let _ = writeln!(
            out,
            "                nothing in these logs matched {}",
            model::escape_bytes(site.as_bytes())
        );
    }
    for problem in &read.problems {
        let _ = writeln!(
            out,
            "                {}",
            model::escape_bytes(problem.as_bytes())
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_plainly_when_nothing_matched_and_escapes_problems() {
        let read = AccessLogRead {
            files: 1,
            lines: 3,
            parsed: 3,
            other_host: 3,
            nothing_matched: true,
            problems: vec!["evil\u{1b}[31m.log: not an access log".to_owned()],
            ..AccessLogRead::default()
        };
        let text = render(&read, "https://example.com/");
        assert!(
            text.contains("nothing in these logs matched https://example.com/"),
            "{text}"
        );
        assert!(text.contains("skipped 3 for other hosts"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
    }
}
