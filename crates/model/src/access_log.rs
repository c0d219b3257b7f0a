//! What the site's access logs say, as plain data: the pipeline converts the
//! log reader's evidence into these so that analysis and reports stay pure
//! and do not depend on the reader.

use std::collections::BTreeMap;

use jiff::Timestamp;
use url::Url;

/// The current run of temporary answers (302/303/307) of one URL in the
/// logs: the temporary answers logged after its latest final answer (a
/// 200, 301, 308, 404 or 410; 304, 429 and 5xx neither end nor extend a
/// run).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRun {
    /// The first temporary answer of the run.
    pub first: Timestamp,
    /// The latest temporary answer of the run.
    pub last: Timestamp,
    /// The Location of the latest temporary answer as logged (raw), when
    /// the log recorded one; `None`: "target not recorded in the logs".
    pub location: Option<String>,
}

/// What the logs say about one URL (path and query as requested).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogFacts {
    /// Requests logged, all agents, whatever their date.
    pub requests: u64,
    /// How many answers of each status, sorted by status, whatever their
    /// date.
    pub statuses: Vec<(u16, u64)>,
    /// The latest final answer (200, 301, 308, 404, 410 …).
    pub last_final: Option<Timestamp>,
    /// The current run of temporary answers, if any.
    pub run: Option<LogRun>,
    /// It answered a redirect (301/302/303/307/308) within `--log-days`.
    pub redirected_recently: bool,
    /// Googlebot's requests to it.
    pub googlebot: GooglebotFigures,
}

/// Everything the logs (this audit's and those kept in history) say about
/// the audited site, by path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccessLogFacts {
    /// The hosts the logged paths belong to (lowercase, without port);
    /// empty: any host.
    pub hosts: Vec<String>,
    /// The site's other spellings (`www.` or bare, lowercase), whose lines
    /// a log with a host field kept apart, keyed `host/path`.
    pub variant_hosts: Vec<String>,
    /// Facts by path and query (`/a?b=1`) as requested of [`Self::hosts`],
    /// or by `host/path?query` for [`Self::variant_hosts`].
    pub by_path: BTreeMap<String, LogFacts>,
}

impl AccessLogFacts {
    /// The facts about `url`, when it is an http(s) URL whose host is one
    /// of [`Self::hosts`] and whose path and query were logged. Any other
    /// scheme (`htp:`, `javascript:` from a malformed Location) never
    /// reached the web server, whatever its path.
    pub fn for_url(&self, url: &str) -> Option<&LogFacts> {
        let url = Url::parse(url).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let host = url.host_str()?;
        let is = |hosts: &[String]| hosts.iter().any(|h| h.eq_ignore_ascii_case(host));
        let prefix = if self.hosts.is_empty() || is(&self.hosts) {
            ""
        } else if is(&self.variant_hosts) {
            host
        } else {
            return None;
        };
        let key = match url.query() {
            Some(q) => format!("{prefix}{}?{q}", url.path()),
            None => format!("{prefix}{}", url.path()),
        };
        self.by_path.get(&key)
    }

    /// The Googlebot figures of `url`: zeros when the logs have nothing
    /// about it (logs were read: `0`, not empty).
    pub fn googlebot(&self, url: &str) -> GooglebotFigures {
        self.for_url(url).map(|f| f.googlebot).unwrap_or_default()
    }
}

/// Googlebot requests to one URL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GooglebotFigures {
    /// Verified Googlebot requests within `--log-days`.
    pub requests: u64,
    /// The latest verified Googlebot request.
    pub last_seen: Option<Timestamp>,
    /// Unverified ("Googlebot" User-Agent from elsewhere) within
    /// `--log-days`.
    pub unverified: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_match_by_host_path_and_query() {
        let mut facts = AccessLogFacts {
            hosts: vec!["example.com".to_owned()],
            ..AccessLogFacts::default()
        };
        facts.by_path.insert(
            "/a?x=1".to_owned(),
            LogFacts {
                requests: 3,
                ..LogFacts::default()
            },
        );
        assert_eq!(
            facts
                .for_url("https://example.com/a?x=1")
                .map(|f| f.requests),
            Some(3)
        );
        assert!(facts.for_url("https://example.com/a").is_none());
        assert!(facts.for_url("https://other.example/a?x=1").is_none());
        // A misspelt scheme never reaches the server (the demo's
        // `/loyalty` → `htp://…/offers/` was credited with /offers/'s
        // requests).
        assert!(facts.for_url("htp://example.com/a?x=1").is_none());
        // The other www spelling has its own facts, never the start host's.
        facts.variant_hosts = vec!["www.example.com".to_owned()];
        assert!(facts.for_url("https://www.example.com/a?x=1").is_none());
        facts.by_path.insert(
            "www.example.com/a?x=1".to_owned(),
            LogFacts {
                requests: 5,
                ..LogFacts::default()
            },
        );
        assert_eq!(
            facts
                .for_url("https://WWW.example.com/a?x=1")
                .map(|f| f.requests),
            Some(5)
        );
        assert_eq!(
            facts
                .for_url("https://example.com/a?x=1")
                .map(|f| f.requests),
            Some(3)
        );
        assert_eq!(
            facts.googlebot("https://example.com/b"),
            GooglebotFigures::default()
        );
    }
}
