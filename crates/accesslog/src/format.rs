//! Log formats, detection from a file's first lines, and parsing a line in
//! a given format.

use std::fmt;
use std::str::FromStr;

use crate::googlebot::{Agent, GooglebotRanges};
use crate::json::parse_json_line;
use crate::record::{Layout, Record, Unparseable, client, parse_clf_line, parse_clf_raw};

/// A log format, as `--log-format` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// nginx/Apache combined: common plus `"referer" "user-agent"` (extra
    /// fields after them allowed; the last quoted one may be
    /// `$sent_http_location`).
    Combined,
    /// nginx/Apache common: `host ident user [time] "request" status bytes`.
    Common,
    /// Apache vhost_combined: `host:port` first, then combined.
    Vhost,
    /// JSON lines: nginx `escape=json` logs keyed by variable names, or
    /// Caddy's JSON access log.
    Json,
}

impl Format {
    /// Every format, in the order detection prefers on a tie (most specific
    /// first).
    pub const ALL: [Self; 4] = [Self::Json, Self::Vhost, Self::Combined, Self::Common];

    /// The `--log-format` name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Combined => "combined",
            Self::Common => "common",
            Self::Vhost => "vhost",
            Self::Json => "json",
        }
    }

    /// Parses one line (without its newline) in this format.
    pub fn parse(self, line: &[u8]) -> Result<Record<'_>, Unparseable> {
        match self.layout() {
            Some(layout) => parse_clf_line(line, layout),
            None => parse_json_line(line),
        }
    }

    /// The CLF-family layout; `None` for JSON.
    fn layout(self) -> Option<Layout> {
        match self {
            Self::Combined => Some(Layout::Combined),
            Self::Common => Some(Layout::Common),
            Self::Vhost => Some(Layout::Vhost),
            Self::Json => None,
        }
    }

    /// Parses one line and classifies its agent, parsing the client
    /// address only when the User-Agent says Googlebot. The record's
    /// `client` and `user_agent` are then unset for the CLF formats: the
    /// reader needs neither.
    pub(crate) fn parse_classified<'a>(
        self,
        line: &'a [u8],
        ranges: &GooglebotRanges,
    ) -> Result<(Record<'a>, Agent), Unparseable> {
        let Some(layout) = self.layout() else {
            let r = parse_json_line(line)?;
            let agent = ranges.classify(&r.user_agent, r.client);
            return Ok((r, agent));
        };
        let (record, raw) = parse_clf_raw(line, layout)?;
        let agent = ranges.classify_raw(raw.user_agent, || client(raw.client));
        Ok((record, agent))
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A `--log-format` value that names no format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown log format {0:?}: expected combined, common, vhost or json")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

/// How many non-empty lines detection looks at.
pub const DETECT_LINES: usize = 32;

/// The format that parses most of `lines` (blank ones ignored), at least
/// one; `None` when no format parses any (not an access log: an error log,
/// a binary file). Ties go to the earlier format in [`Format::ALL`].
pub fn detect<'a>(lines: impl IntoIterator<Item = &'a [u8]>) -> Option<Format> {
    let mut wins = [0usize; Format::ALL.len()];
    for line in lines
        .into_iter()
        .filter(|l| !l.trim_ascii().is_empty())
        .take(DETECT_LINES)
    {
        for (i, format) in Format::ALL.into_iter().enumerate() {
            if format.parse(line).is_ok() {
                wins[i] += 1;
            }
        }
    }
    let best = (0..wins.len()).max_by_key(|&i| (wins[i], std::cmp::Reverse(i)))?;
    (wins[best] > 0).then_some(Format::ALL[best])
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMBINED: &str =
        r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "UA""#;
    const COMMON: &str = r#"1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 1"#;
    const VHOST: &str = r#"example.com:80 1.2.3.4 - - [10/Oct/2000:13:55:36 +0000] "GET / HTTP/1.1" 200 1 "-" "UA""#;
    const NGINX_JSON: &str = r#"{"time_iso8601":"2000-10-10T13:55:36+00:00","remote_addr":"1.2.3.4","request":"GET / HTTP/1.1","status":"200","http_user_agent":"UA"}"#;
    const CADDY_JSON: &str = r#"{"ts":971211336.0,"request":{"remote_ip":"1.2.3.4","host":"example.com","uri":"/","headers":{}},"status":200}"#;

    #[test]
    fn detects_each_format() {
        let cases = [
            (COMBINED, Format::Combined),
            (COMMON, Format::Common),
            (VHOST, Format::Vhost),
            (NGINX_JSON, Format::Json),
            (CADDY_JSON, Format::Json),
        ];
        for (line, format) in cases {
            assert_eq!(
                detect([line.as_bytes(), b"", b"garbage"]),
                Some(format),
                "{line}"
            );
            // Each line parses in its own format only.
            for other in Format::ALL {
                assert_eq!(
                    other.parse(line.as_bytes()).is_ok(),
                    other == format,
                    "{line} as {other}"
                );
            }
        }
    }

    #[test]
    fn majority_wins_and_nothing_is_none() {
        let lines = [COMMON, COMBINED, COMBINED];
        assert_eq!(
            detect(lines.iter().map(|l| l.as_bytes())),
            Some(Format::Combined)
        );
        let error_log = "2024/01/01 00:00:00 [error] 12#12: *1 open() failed";
        assert_eq!(detect([error_log.as_bytes(), b"\0\x01\x02"]), None);
        assert_eq!(detect([]), None);
    }

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert_eq!("COMBINED".parse::<Format>(), Ok(Format::Combined));
        assert!("apache".parse::<Format>().is_err());
    }
}
