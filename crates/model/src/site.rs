//! What "the same site" means: the one definition the crawler's scope, the
//! analysis rules and history share.
//!
//! A site is the start URL's host in the spellings that exist to redirect to
//! each other: `http://` and `https://`, `www.` and the bare name. Screaming
//! Frog crawls those as one site too, and a canonical or sitemap entry on the
//! other spelling is exactly what a redirect audit must fetch. A different
//! port is a different origin (RFC 6454 §4) and so a different site, except
//! the scheme's default port, which a URL does not spell at all.

use std::fmt;

use url::{Host, Url};

/// The site of a start URL.
///
/// [`Site::contains`] accepts a URL when
/// - its host is the start host with or without a leading `www.` (letter
///   case and a trailing dot ignored), and
/// - when the start URL is on its scheme's default port: the URL is `http`
///   or `https` on that scheme's default port (80 or 443);
/// - when the start URL names a port: the URL has the start URL's scheme and
///   that port.
///
/// An IP-literal host has no variants: only the same scheme, address and
/// port are the same site. A start URL that is not http(s) has no site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The start host as the url crate serialises it (lowercase).
    host: String,
    /// The start host without a trailing dot and a leading `www.`; empty
    /// when the start URL is not http(s) with a host (then nothing is the
    /// same site).
    bare: String,
    /// The start host is an IPv4 or IPv6 literal.
    ip: bool,
    /// The start URL's scheme.
    scheme: String,
    /// The start URL's explicit port; `None` for the scheme's default.
    port: Option<u16>,
}

impl Site {
    /// The site of `start`.
    pub fn of(start: &Url) -> Self {
        let host = start.host_str().unwrap_or_default().to_ascii_lowercase();
        let ip = matches!(start.host(), Some(Host::Ipv4(_) | Host::Ipv6(_)));
        let bare = if !is_http(start) {
            String::new()
        } else if ip {
            host.clone()
        } else {
            bare_name(&host).to_owned()
        };
        Self {
            host,
            bare,
            ip,
            scheme: start.scheme().to_owned(),
            port: start.port(),
        }
    }

    /// The site of the URL in `start`; `None` when it does not parse.
    pub fn parse(start: &str) -> Option<Self> {
        Url::parse(start).ok().as_ref().map(Self::of)
    }

    /// `true` when `url` is this site (see [`Site`]).
    pub fn contains(&self, url: &Url) -> bool {
        if self.bare.is_empty() || !is_http(url) {
            return false;
        }
        if self.ip {
            return url.scheme() == self.scheme
                && url.port() == self.port
                && matches!(url.host(), Some(Host::Ipv4(_) | Host::Ipv6(_)))
                && url.host_str() == Some(self.host.as_str());
        }
        let Some(Host::Domain(name)) = url.host() else {
            return false;
        };
        // The URL parser lowercases the host of an http(s) URL already.
        if bare_name(name) != self.bare {
            return false;
        }
        match self.port {
            // `Url::port` is `None` exactly on the scheme's default port, so
            // `http://h/` and `https://h/` both pass, `http://h:443/` not.
            None => url.port().is_none(),
            Some(port) => url.scheme() == self.scheme && url.port() == Some(port),
        }
    }

    /// [`Site::contains`] for a URL as text; `false` when it does not parse.
    pub fn contains_str(&self, url: &str) -> bool {
        Url::parse(url).is_ok_and(|u| self.contains(&u))
    }

    /// `true` when `url`'s host is the bare start host or a subdomain of it
    /// (`shop.example.com` of `www.example.com`), on any http(s) scheme and
    /// port: what `--include-subdomains` adds to the site.
    pub fn has_subdomain(&self, url: &Url) -> bool {
        if self.bare.is_empty() || !is_http(url) {
            return false;
        }
        let Some(host) = url.host_str() else {
            return false;
        };
        // Lowercase already: the URL parser lowercases http(s) hosts.
        let host = host.strip_suffix('.').unwrap_or(host);
        host == self.bare
            || (!self.ip
                && host
                    .strip_suffix(self.bare.as_str())
                    .is_some_and(|rest| rest.ends_with('.')))
    }

    /// The start host, lowercase.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The start host without `www.` (and without a trailing dot): the name
    /// every variant shares.
    pub fn bare_host(&self) -> &str {
        &self.bare
    }
}

/// The site for people: the bare host when it stands for both schemes on
/// their default ports (`example.com`), else scheme, host and port
/// (`http://example.com:8080`, `http://192.0.2.1`).
impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.ip && self.port.is_none() {
            return f.write_str(&self.bare);
        }
        write!(f, "{}://{}", self.scheme, self.bare)?;
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

fn is_http(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// A domain name without a trailing dot (the same name in DNS, RFC 1034
/// §3.1) and without a leading `www.` (unless nothing would be left).
fn bare_name(host: &str) -> &str {
    without_www(host.strip_suffix('.').unwrap_or(host))
}

/// `host` without a leading `www.`, unless nothing would be left: the one
/// place that says which hosts differ only by `www.` (a [`Site`] holds both;
/// a hop between them is analysis's `www-toggle`).
pub fn without_www(host: &str) -> &str {
    host.strip_prefix("www.")
        .filter(|rest| !rest.is_empty())
        .unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_www_strips_one_leading_www_and_never_to_nothing() {
        assert_eq!(without_www("www.example.com"), "example.com");
        assert_eq!(without_www("example.com"), "example.com");
        assert_eq!(without_www("www.www.example.com"), "www.example.com");
        assert_eq!(without_www("wwwexample.com"), "wwwexample.com");
        assert_eq!(without_www("www."), "www.");
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    /// `(start, url, same site)`.
    const CASES: &[(&str, &str, bool)] = &[
        // Scheme and www variants on the default ports.
        (
            "https://www.example.com/",
            "https://www.example.com/a",
            true,
        ),
        ("https://www.example.com/", "https://example.com/a", true),
        ("https://www.example.com/", "http://example.com/a", true),
        ("https://www.example.com/", "http://www.example.com/a", true),
        (
            "https://www.example.com/",
            "https://www.example.com:443/a",
            true,
        ),
        ("https://www.example.com/", "http://example.com:80/a", true),
        ("http://example.com/", "https://www.example.com/", true),
        ("http://example.com/", "http://www.example.com/", true),
        // A port is another origin unless it is the scheme's default.
        (
            "https://www.example.com/",
            "https://www.example.com:8443/",
            false,
        ),
        (
            "https://www.example.com/",
            "http://www.example.com:8443/",
            false,
        ),
        (
            "https://www.example.com/",
            "http://www.example.com:443/",
            false,
        ),
        ("https://www.example.com/", "https://example.com:80/", false),
        (
            "http://www.example.com/",
            "http://www.example.com:8080/",
            false,
        ),
        // An explicit start port: www spellings on that port, same scheme.
        (
            "http://example.com:8080/",
            "http://www.example.com:8080/x",
            true,
        ),
        (
            "http://www.example.com:8080/",
            "http://example.com:8080/x",
            true,
        ),
        ("http://example.com:8080/", "http://example.com/x", false),
        ("http://example.com:8080/", "https://example.com/x", false),
        (
            "http://example.com:8080/",
            "https://example.com:8080/x",
            false,
        ),
        (
            "http://example.com:8080/",
            "http://example.com:8081/x",
            false,
        ),
        // The default port spelled out is the default port.
        ("https://example.com:443/", "http://www.example.com/", true),
        // Letter case and a trailing dot do not make another host.
        ("https://WWW.Example.COM/", "http://example.com/", true),
        ("https://www.example.com/", "https://EXAMPLE.com/", true),
        ("https://www.example.com./", "https://example.com/", true),
        ("https://example.com/", "https://www.example.com./", true),
        // Other hosts, subdomains and look-alikes are not the site.
        (
            "https://www.example.com/",
            "https://shop.example.com/",
            false,
        ),
        (
            "https://www.example.com/",
            "https://www.www.example.com/",
            false,
        ),
        ("https://www.example.com/", "https://badexample.com/", false),
        (
            "https://www.example.com/",
            "https://example.com.evil.test/",
            false,
        ),
        ("https://www.example.com/", "https://example.org/", false),
        ("https://example.com/", "https://wwwexample.com/", false),
        // Only http(s) URLs.
        ("https://www.example.com/", "ftp://www.example.com/", false),
        ("https://www.example.com/", "mailto:a@example.com", false),
        ("https://www.example.com/", "ws://www.example.com/", false),
        // IP literals have no variants.
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/a", true),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8081/a", false),
        ("http://127.0.0.1:8080/", "https://127.0.0.1:8080/a", false),
        ("http://192.0.2.1/", "http://192.0.2.1/a", true),
        ("http://192.0.2.1/", "https://192.0.2.1/a", false),
        ("http://192.0.2.1/", "http://192.0.2.2/a", false),
        ("http://[::1]:8080/", "http://[::1]:8080/a", true),
        (
            "http://[::1]:8080/",
            "http://[0:0:0:0:0:0:0:1]:8080/a",
            true,
        ),
        ("http://[::1]:8080/", "http://[::2]:8080/a", false),
        ("https://[2001:db8::1]/", "http://[2001:db8::1]/", false),
        // An IP-looking name after `www.` is still a name, not the address.
        ("http://192.0.2.1/", "http://www.192.0.2.1.example/", false),
        (
            "http://www.192.0.2.1.example/",
            "http://192.0.2.1.example/",
            true,
        ),
        // `www` alone is a name, not a prefix.
        ("http://www/", "http://www/a", true),
    ];

    #[test]
    fn same_site_table() {
        for &(start, candidate, expected) in CASES {
            let site = Site::of(&url(start));
            assert_eq!(
                site.contains(&url(candidate)),
                expected,
                "{candidate} same site as {start}"
            );
            assert_eq!(
                site.contains_str(candidate),
                expected,
                "{candidate} as text"
            );
        }
    }

    #[test]
    fn same_site_is_symmetric_for_domain_names() {
        for &(start, candidate, expected) in CASES {
            let (a, b) = (url(start), url(candidate));
            if matches!(a.host(), Some(Host::Domain(_))) && a.port() == b.port() {
                assert_eq!(
                    Site::of(&b).contains(&a),
                    expected,
                    "{start} vs {candidate}"
                );
            }
        }
    }

    #[test]
    fn display_names_what_the_site_covers() {
        for (start, shown) in [
            ("https://www.example.com/", "example.com"),
            ("http://Example.com:80/", "example.com"),
            ("http://www.example.com:8080/", "http://example.com:8080"),
            ("http://192.0.2.1/", "http://192.0.2.1"),
            ("http://[::1]:8080/", "http://[::1]:8080"),
        ] {
            assert_eq!(Site::of(&url(start)).to_string(), shown, "{start}");
        }
    }

    #[test]
    fn www_of_an_ip_address_is_not_a_url() {
        // WHATWG host parsing: a name whose last label is numeric must be an
        // IPv4 address, so `www.` before one cannot appear in a URL at all.
        assert!(Url::parse("http://www.192.0.2.1/").is_err());
    }

    #[test]
    fn unparsable_text_is_not_the_site() {
        let site = Site::of(&url("https://example.com/"));
        assert!(!site.contains_str("http//example.com/x"));
        assert!(!site.contains_str(""));
        assert!(Site::parse("not a url").is_none());
        let ftp = Site::of(&url("ftp://example.com/"));
        assert!(!ftp.contains(&url("https://example.com/")));
        assert!(!ftp.has_subdomain(&url("https://example.com/")));
    }

    #[test]
    fn subdomains_on_any_scheme_and_port() {
        let site = Site::of(&url("https://www.example.com/"));
        assert_eq!(site.host(), "www.example.com");
        assert_eq!(site.bare_host(), "example.com");
        for yes in [
            "https://example.com/",
            "http://www.example.com:8080/",
            "https://shop.example.com/",
            "http://a.b.example.com./",
            "https://SHOP.example.com/",
        ] {
            assert!(site.has_subdomain(&url(yes)), "{yes}");
        }
        for no in [
            "https://badexample.com/",
            "https://example.org/",
            "https://example.com.evil.test/",
            "ftp://shop.example.com/",
        ] {
            assert!(!site.has_subdomain(&url(no)), "{no}");
        }
        let ip = Site::of(&url("http://127.0.0.1:8080/"));
        assert!(ip.has_subdomain(&url("https://127.0.0.1/")));
        assert!(!ip.has_subdomain(&url("http://127.0.0.2/")));
    }
}
