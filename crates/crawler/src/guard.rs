//! Spider-trap and SSRF guards: URL patterns that repeat without end, and
//! redirects from a public site into private address space.

use std::net::IpAddr;

use url::{Host, Url};

/// A URL's shape for the per-pattern cap: the path with numbers, long hex or
/// base64-ish ids replaced by `{}`, runs of one repeated segment collapsed
/// (`/a/a/a/a` → `/a+`), and only the query's parameter names kept. Infinite
/// calendars, session ids and ever-growing query strings all map many URLs
/// onto few patterns.
pub(crate) fn url_pattern(url: &Url) -> String {
    let mut pattern = String::with_capacity(url.path().len() + 16);
    pattern.push_str(url.host_str().unwrap_or_default());
    let mut previous: Option<&str> = None;
    for segment in url.path().split('/').skip(1) {
        if previous == Some(segment) {
            if !pattern.ends_with('+') {
                pattern.push('+');
            }
            continue;
        }
        previous = Some(segment);
        pattern.push('/');
        if looks_like_id(segment) {
            pattern.push_str("{}");
        } else {
            pattern.push_str(segment);
        }
    }
    if let Some(query) = url.query() {
        let mut names: Vec<&str> = query
            .split('&')
            .map(|pair| pair.split('=').next().unwrap_or_default())
            .collect();
        names.sort_unstable();
        names.dedup();
        pattern.push('?');
        pattern.push_str(&names.join("&"));
    }
    pattern
}

fn looks_like_id(segment: &str) -> bool {
    let digits = segment.bytes().filter(u8::is_ascii_digit).count();
    digits > 0 && (digits * 2 >= segment.len() || segment.len() >= 16)
}

/// `true` for loopback, private (RFC 1918, unique local), link-local,
/// unspecified and CGNAT addresses, and for `localhost` names.
pub(crate) fn is_private_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => is_private_ip(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => is_private_ip(IpAddr::V6(ip)),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.');
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

pub(crate) fn is_private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_private_ip(IpAddr::V4(v4)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(s: &str) -> String {
        url_pattern(&Url::parse(s).unwrap())
    }

    #[test]
    fn traps_collapse_onto_one_pattern() {
        assert_eq!(
            pattern("http://e.com/calendar/2024/05/17"),
            "e.com/calendar/{}/{}/{}"
        );
        assert_eq!(
            pattern("http://e.com/calendar/2031/12/01"),
            "e.com/calendar/{}/{}/{}"
        );
        assert_eq!(pattern("http://e.com/a/a/a/a/a/"), "e.com/a+/");
        assert_eq!(pattern("http://e.com/a/a/"), "e.com/a+/");
        assert_eq!(pattern("http://e.com/p?sid=abc&x=1&x=2"), "e.com/p?sid&x");
        assert_eq!(pattern("http://e.com/p?sid=zzz"), "e.com/p?sid");
        assert_eq!(
            pattern("http://e.com/s/3f2a9c1b7d8e4f60a1b2/"),
            "e.com/s/{}/"
        );
        assert_ne!(
            pattern("http://e.com/about"),
            pattern("http://e.com/contact")
        );
    }

    #[test]
    fn private_hosts() {
        for private in [
            "http://127.0.0.1/",
            "http://10.1.2.3/",
            "http://192.168.0.1/",
            "http://172.16.5.5/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[fe80::1]/",
            "http://[fd00::1]/",
            "http://localhost:8080/",
            "http://0.0.0.0/",
            "http://100.64.0.1/",
        ] {
            assert!(is_private_host(&Url::parse(private).unwrap()), "{private}");
        }
        for public in [
            "http://93.184.216.34/",
            "http://example.com/",
            "http://[2001:db8::1]/",
        ] {
            assert!(!is_private_host(&Url::parse(public).unwrap()), "{public}");
        }
    }
}
