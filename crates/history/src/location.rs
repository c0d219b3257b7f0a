//! Where a history lives: an SQLite file, or a PostgreSQL database named by
//! a URL whose password must never be shown.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::Error;

/// A history given on the command line or in `REDIRECT_AUDIT_HISTORY`.
#[derive(Clone, PartialEq, Eq)]
pub enum HistoryLocation {
    /// An SQLite file (the embedded default).
    File(PathBuf),
    /// A PostgreSQL database.
    Postgres(PgUrl),
}

impl HistoryLocation {
    /// `postgres://…` or `postgresql://…` is a database; anything else is a
    /// file path.
    pub fn parse(text: &str) -> Result<Self, Error> {
        if PgUrl::looks_like(text) {
            PgUrl::parse(text).map(Self::Postgres)
        } else {
            Ok(Self::File(PathBuf::from(text)))
        }
    }

    /// [`HistoryLocation::parse`] of a path argument: a path that is not
    /// UTF-8 cannot be a URL, so it stays a file.
    pub fn from_path(path: &Path) -> Result<Self, Error> {
        match path.to_str() {
            Some(text) => Self::parse(text),
            None => Ok(Self::File(path.to_path_buf())),
        }
    }
}

/// Shows the file, or the URL without its password.
impl fmt::Display for HistoryLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(path) => path.display().fmt(f),
            Self::Postgres(url) => url.fmt(f),
        }
    }
}

/// Redacted, like [`fmt::Display`]: `Debug` output ends up in logs too.
impl fmt::Debug for HistoryLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(path) => f.debug_tuple("File").field(path).finish(),
            Self::Postgres(url) => f.debug_tuple("Postgres").field(url).finish(),
        }
    }
}

/// A `postgres://user:password@host:port/database?options` URL. The full
/// URL only goes to the driver; [`fmt::Display`], [`fmt::Debug`] and
/// [`PgUrl::redacted`] show it without the password, so it never reaches a
/// terminal, a log, a report or `summary.json`.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl {
    full: String,
    redacted: String,
}

impl PgUrl {
    /// Whether `text` names a PostgreSQL database rather than a file.
    pub fn looks_like(text: &str) -> bool {
        let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
        lower.starts_with("postgres://") || lower.starts_with("postgresql://")
    }

    /// Checks the URL with the driver's own parser (the libpq URI syntax).
    pub fn parse(text: &str) -> Result<Self, Error> {
        // Schemes are case-insensitive (RFC 3986, section 3.1); the driver
        // only knows them in lower case.
        let text = &match text.split_once("://") {
            Some((scheme, rest)) => format!("{}://{rest}", scheme.to_ascii_lowercase()),
            None => text.to_owned(),
        };
        let redacted = redact(text);
        text.parse::<postgres::Config>()
            .map_err(|source| Error::InvalidUrl {
                url: redacted.clone(),
                reason: source.to_string(),
            })?;
        Ok(Self {
            full: text.to_owned(),
            redacted,
        })
    }

    /// The URL without password: `postgres://user@host:port/db`.
    pub fn redacted(&self) -> &str {
        &self.redacted
    }

    /// The driver's configuration, password included.
    pub(crate) fn config(&self) -> postgres::Config {
        // Checked in `parse`.
        self.full.parse().unwrap_or_default()
    }
}

impl fmt::Display for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted)
    }
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PgUrl").field(&self.redacted).finish()
    }
}

/// The URL without the password of its user info and without any
/// `password=` query parameter (libpq accepts both forms).
fn redact(text: &str) -> String {
    let (scheme, rest) = text.split_once("://").unwrap_or(("postgres", text));
    // The driver takes everything before the first `@` as user info, so a
    // password may hold an unencoded `/` or `?`; and one that holds `@`
    // itself (not percent-encoded) ends at the last `@` before the host
    // ends. Either way, nothing of the password is shown.
    let (user, after) = match rest.find('@') {
        Some(first) => {
            let host_end = rest[first..]
                .find(['/', '?'])
                .map_or(rest.len(), |i| first + i);
            let last = rest[..host_end].rfind('@').unwrap_or(first);
            let userinfo = &rest[..last];
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            // A "user" holding a query is really the path and query of a
            // URL with `@` in a parameter: not shown, it may hold a
            // `password=`.
            ((!user.contains('?')).then_some(user), &rest[last + 1..])
        }
        None => (None, rest),
    };
    let (before_query, query) = match after.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (after, None),
    };
    let mut out = match user {
        Some(user) => format!("{scheme}://{user}@{before_query}"),
        None => format!("{scheme}://{before_query}"),
    };
    if let Some(query) = query {
        let kept: Vec<&str> = query
            .split('&')
            .filter(|pair| {
                !pair
                    .split('=')
                    .next()
                    .is_some_and(|key| key.eq_ignore_ascii_case("password"))
            })
            .collect();
        if !kept.is_empty() {
            out.push('?');
            out.push_str(&kept.join("&"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        for (url, shown) in [
            (
                "postgres://audit:s3cret@db.example:5433/history",
                "postgres://audit@db.example:5433/history",
            ),
            (
                "postgresql://audit:p@ss@db/history?sslmode=disable&password=s3cret",
                "postgresql://audit@db/history?sslmode=disable",
            ),
            ("postgres://db/history", "postgres://db/history"),
        ] {
            let location = HistoryLocation::parse(url).unwrap();
            assert_eq!(location.to_string(), shown);
            let debug = format!("{location:?}");
            assert!(
                !debug.contains("s3cret") && !debug.contains("p@ss"),
                "{debug}"
            );
        }
    }

    /// The driver takes everything before the first `@` as user info, so a
    /// password may hold an unencoded `/` or `?`: the redaction must not
    /// take those for the start of the path or the query.
    #[test]
    fn a_password_holding_a_slash_or_a_question_mark_never_shows() {
        for (url, secret) in [
            ("postgres://audit:one/two@db:5433/history", "one/two"),
            ("postgres://audit:one?two@db:5433/history", "one?two"),
            (
                "postgres://audit:one/two?three@four@db:5433/history",
                "one/two?three@four",
            ),
        ] {
            let location = HistoryLocation::parse(url).unwrap();
            assert_eq!(location.to_string(), "postgres://audit@db:5433/history");
            let debug = format!("{location:?}");
            for part in secret.split(['/', '?', '@']) {
                assert!(!debug.contains(part), "{url}: {debug}");
            }
        }
        // An `@` in a parameter: the driver reads all before it as the user.
        let location =
            HistoryLocation::parse("postgres://db/history?password=one&application_name=two@three")
                .unwrap();
        assert!(
            !format!("{location} {location:?}").contains("one"),
            "{location}"
        );
    }

    #[test]
    fn paths_stay_files() {
        assert_eq!(
            HistoryLocation::parse("reports/history.sqlite").unwrap(),
            HistoryLocation::File(PathBuf::from("reports/history.sqlite"))
        );
        assert!(matches!(
            HistoryLocation::parse("POSTGRESQL://h/db").unwrap(),
            HistoryLocation::Postgres(_)
        ));
    }

    #[test]
    fn an_invalid_url_is_refused_without_its_password() {
        let err = HistoryLocation::parse("postgres://u:s3cret@host:notaport/db").unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }
}
