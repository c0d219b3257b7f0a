//! Redirect classes: what a hop changes between its URL and its target, so
//! routine canonicalisation (http → https, trailing slash) can be told from a
//! real move (lychee 1934, linkchecker 617 asked for exactly this filter).

use std::fmt;

use url::Url;

/// One kind of difference between a redirect's source and target. A hop can
/// have several (`http://A.com/x` → `https://a.com/x/`: scheme upgrade and
/// trailing slash).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum RedirectClass {
    /// `http` → `https`.
    SchemeUpgrade,
    /// `https` → `http`.
    SchemeDowngrade,
    /// Any other scheme change (to `ftp:`, `javascript:` …).
    OtherScheme,
    /// `example.com` ↔ `www.example.com`.
    WwwToggle,
    /// Another host or port.
    OtherHost,
    /// The path gains or loses a trailing slash.
    TrailingSlash,
    /// The path differs only in letter case.
    Case,
    /// The path gains or loses an index file (`index.html`, `default.aspx` …).
    IndexFile,
    /// The path changes otherwise.
    Path,
    /// The query changes.
    Query,
    /// The fragment changes.
    Fragment,
}

impl RedirectClass {
    /// Stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SchemeUpgrade => "scheme-upgrade",
            Self::SchemeDowngrade => "scheme-downgrade",
            Self::OtherScheme => "other-scheme",
            Self::WwwToggle => "www-toggle",
            Self::OtherHost => "other-host",
            Self::TrailingSlash => "trailing-slash",
            Self::Case => "case",
            Self::IndexFile => "index-file",
            Self::Path => "path",
            Self::Query => "query",
            Self::Fragment => "fragment",
        }
    }

    /// `true` for classes whose intent is permanent: the same resource under
    /// its canonical spelling.
    pub fn is_canonicalisation(self) -> bool {
        matches!(
            self,
            Self::SchemeUpgrade
                | Self::WwwToggle
                | Self::TrailingSlash
                | Self::Case
                | Self::IndexFile
        )
    }
}

impl fmt::Display for RedirectClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `true` when a hop only canonicalises: at least one class, all of them
/// canonicalisations.
pub fn is_canonicalisation(classes: &[RedirectClass]) -> bool {
    !classes.is_empty() && classes.iter().all(|c| c.is_canonicalisation())
}

/// The classes of a hop from `from` to `to`, in a fixed order; empty when the
/// URLs are equal (a self-redirect).
pub fn redirect_classes(from: &Url, to: &Url) -> Vec<RedirectClass> {
    use RedirectClass as C;
    let mut out = Vec::new();
    match (from.scheme(), to.scheme()) {
        (a, b) if a == b => {}
        ("http", "https") => out.push(C::SchemeUpgrade),
        ("https", "http") => out.push(C::SchemeDowngrade),
        _ => out.push(C::OtherScheme),
    }
    let (fh, th) = (from.host_str().unwrap_or(""), to.host_str().unwrap_or(""));
    if fh != th {
        if model::without_www(fh) == model::without_www(th) {
            out.push(C::WwwToggle);
        } else {
            out.push(C::OtherHost);
        }
    }
    // Explicit ports only: the url crate drops default ones, so http → https
    // on 80 → 443 is a scheme upgrade, not another host. Another port is
    // another origin (RFC 6454 §4) even when the host only toggles `www.`:
    // that hop is no canonicalisation.
    if from.port() != to.port() && !out.contains(&C::OtherHost) {
        out.push(C::OtherHost);
    }
    out.extend(path_classes(from.path(), to.path()));
    if from.query() != to.query() {
        out.push(C::Query);
    }
    if from.fragment() != to.fragment() {
        out.push(C::Fragment);
    }
    out
}

fn path_classes(a: &str, b: &str) -> Vec<RedirectClass> {
    use RedirectClass as C;
    if a == b {
        return Vec::new();
    }
    let (sa, sb) = (strip_index(a), strip_index(b));
    let (ta, tb) = (trim_slash(sa), trim_slash(sb));
    if !ta.eq_ignore_ascii_case(tb) {
        return vec![C::Path];
    }
    let mut out = Vec::new();
    if sa.ends_with('/') != sb.ends_with('/') && !ta.is_empty() {
        out.push(C::TrailingSlash);
    }
    if ta != tb {
        out.push(C::Case);
    }
    if sa != a || sb != b {
        out.push(C::IndexFile);
    }
    out.sort();
    out
}

/// `/a/index.html` → `/a/`.
fn strip_index(path: &str) -> &str {
    const INDEX: &[&str] = &[
        "index.html",
        "index.htm",
        "index.php",
        "index.shtml",
        "index.asp",
        "index.aspx",
        "default.asp",
        "default.aspx",
        "default.htm",
        "default.html",
    ];
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    if INDEX.iter().any(|i| i.eq_ignore_ascii_case(file)) {
        &path[..=dir.len()]
    } else {
        path
    }
}

fn trim_slash(path: &str) -> &str {
    path.strip_suffix('/').unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use RedirectClass as C;

    #[test]
    fn classifies_hops() {
        let cases: &[(&str, &str, &[RedirectClass])] = &[
            ("http://e.com/a", "https://e.com/a", &[C::SchemeUpgrade]),
            ("https://e.com/a", "http://e.com/a", &[C::SchemeDowngrade]),
            ("https://e.com/a", "https://www.e.com/a", &[C::WwwToggle]),
            ("https://www.e.com/a", "https://e.com/a", &[C::WwwToggle]),
            ("https://e.com/a", "https://other.org/a", &[C::OtherHost]),
            ("https://e.com/a", "https://e.com:8443/a", &[C::OtherHost]),
            (
                "https://e.com/a",
                "https://www.e.com:8443/a",
                &[C::WwwToggle, C::OtherHost],
            ),
            (
                "https://e.com/a",
                "https://other.org:8443/a",
                &[C::OtherHost],
            ),
            ("https://e.com/a", "https://e.com/a/", &[C::TrailingSlash]),
            ("https://e.com/a/", "https://e.com/a", &[C::TrailingSlash]),
            ("https://e.com/About", "https://e.com/about", &[C::Case]),
            (
                "https://e.com/index.html",
                "https://e.com/",
                &[C::IndexFile],
            ),
            (
                "https://e.com/a/index.php",
                "https://e.com/a",
                &[C::TrailingSlash, C::IndexFile],
            ),
            (
                "https://e.com/A/",
                "https://e.com/a",
                &[C::TrailingSlash, C::Case],
            ),
            ("https://e.com/old", "https://e.com/new", &[C::Path]),
            ("https://e.com/a?x=1", "https://e.com/a", &[C::Query]),
            ("https://e.com/a", "https://e.com/a#top", &[C::Fragment]),
            ("https://e.com/a", "https://e.com/a", &[]),
            (
                "http://e.com/a",
                "https://www.e.com/a/",
                &[C::SchemeUpgrade, C::WwwToggle, C::TrailingSlash],
            ),
            ("https://e.com/a", "ftp://e.com/a", &[C::OtherScheme]),
        ];
        for (from, to, expected) in cases {
            let got = redirect_classes(&Url::parse(from).unwrap(), &Url::parse(to).unwrap());
            assert_eq!(&got, expected, "{from} -> {to}");
        }
    }

    #[test]
    fn canonicalisation_needs_only_canonical_classes() {
        assert!(is_canonicalisation(&[C::SchemeUpgrade, C::TrailingSlash]));
        assert!(!is_canonicalisation(&[C::SchemeUpgrade, C::Path]));
        assert!(!is_canonicalisation(&[]));
        assert!(!is_canonicalisation(&[C::Query]));
    }
}
