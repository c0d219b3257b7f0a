//! Googlebot verification by Google's published address ranges.
//!
//! Google's documented check for a request claiming to be Googlebot is that
//! its address is in the ranges Google publishes (`googlebot.json`), or
//! that reverse-then-forward DNS leads to googlebot.com / google.com
//! ("Verifying Googlebot and other Google crawlers", Google Search
//! Central). A log is read offline, so only the ranges are used: a User-Agent
//! alone proves nothing, anyone can send `Googlebot`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;

use memchr::memmem;
use serde::Deserialize;

use crate::Error;

/// The snapshot of Google's `googlebot.json` shipped with the crate.
pub const BUNDLED_GOOGLEBOT_JSON: &str = include_str!("../data/googlebot.json");

/// Who sent a request, as far as the log can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Agent {
    /// The User-Agent says `Googlebot` and the address is in Google's
    /// Googlebot ranges.
    VerifiedGooglebot,
    /// The User-Agent says `Googlebot` but the address is not in the ranges
    /// (or the log has no address).
    UnverifiedGooglebot,
    /// Anything else, including other agents from Google's addresses.
    Other,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RangesFile {
    creation_time: Option<String>,
    prefixes: Vec<Prefix>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Prefix {
    ipv4_prefix: Option<String>,
    ipv6_prefix: Option<String>,
}

/// Google's Googlebot address ranges, as sorted, merged inclusive
/// intervals: a lookup is one binary search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GooglebotRanges {
    creation_time: Option<String>,
    v4: Vec<(u32, u32)>,
    v6: Vec<(u128, u128)>,
}

fn interval<const BITS: u32>(base: u128, len: u32) -> (u128, u128) {
    let host_bits = BITS - len;
    let mask = if host_bits == 128 {
        u128::MAX
    } else {
        (1u128 << host_bits) - 1
    };
    (base & !mask, (base & !mask) | mask)
}

/// `addr/len` as an inclusive interval; `None` when the address is not an
/// `A` or the length is over `BITS`.
fn cidr<A, const BITS: u32>(s: &str) -> Option<(u128, u128)>
where
    A: std::str::FromStr + Into<IpAddr>,
{
    let (addr, len) = s.split_once('/')?;
    let addr = match addr.parse::<A>().ok()?.into() {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    };
    let len: u32 = len.parse().ok().filter(|&l| l <= BITS)?;
    Some(interval::<BITS>(addr, len))
}

fn merge<T: Ord + Copy>(mut v: Vec<(T, T)>, next: impl Fn(T) -> Option<T>) -> Vec<(T, T)> {
    v.sort_unstable();
    let mut out: Vec<(T, T)> = Vec::with_capacity(v.len());
    for (lo, hi) in v {
        match out.last_mut() {
            Some(last) if next(last.1).is_none_or(|n| lo <= n) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

fn find<T: Ord + Copy>(v: &[(T, T)], x: T) -> bool {
    let i = v.partition_point(|&(lo, _)| lo <= x);
    i > 0 && x <= v[i - 1].1
}

impl GooglebotRanges {
    /// The snapshot shipped with the crate ([`BUNDLED_GOOGLEBOT_JSON`]).
    pub fn bundled() -> Self {
        Self::from_json(
            BUNDLED_GOOGLEBOT_JSON,
            Path::new("<bundled googlebot.json>"),
        )
        .expect("the bundled googlebot.json is valid")
    }

    /// Reads a file in Google's `googlebot.json` format (`--bot-ranges`);
    /// it replaces the bundled snapshot.
    pub fn from_file(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::RangesRead {
            path: path.to_owned(),
            source,
        })?;
        Self::from_json(&text, path)
    }

    /// Parses `googlebot.json` text; `path` names it in errors.
    pub fn from_json(text: &str, path: &Path) -> Result<Self, Error> {
        let file: RangesFile = serde_json::from_str(text).map_err(|source| Error::RangesJson {
            path: path.to_owned(),
            source,
        })?;
        let bad = |prefix: &str| Error::RangesPrefix {
            path: path.to_owned(),
            prefix: prefix.to_owned(),
        };
        let (mut v4, mut v6) = (Vec::new(), Vec::new());
        for p in &file.prefixes {
            if let Some(s) = &p.ipv4_prefix {
                let (lo, hi) = cidr::<Ipv4Addr, 32>(s).ok_or_else(|| bad(s))?;
                v4.push((lo as u32, hi as u32));
            }
            if let Some(s) = &p.ipv6_prefix {
                v6.push(cidr::<Ipv6Addr, 128>(s).ok_or_else(|| bad(s))?);
            }
        }
        Ok(Self {
            creation_time: file.creation_time,
            v4: merge(v4, |x: u32| x.checked_add(1)),
            v6: merge(v6, |x: u128| x.checked_add(1)),
        })
    }

    /// The file's `creationTime`, as written (e.g.
    /// `2026-08-21T14:45:42.000000`).
    pub fn creation_time(&self) -> Option<&str> {
        self.creation_time.as_deref()
    }

    /// How many IPv4 and IPv6 intervals (after merging adjacent prefixes).
    pub fn len(&self) -> (usize, usize) {
        (self.v4.len(), self.v6.len())
    }

    /// No ranges at all.
    pub fn is_empty(&self) -> bool {
        self.v4.is_empty() && self.v6.is_empty()
    }

    /// The address is in a Googlebot range. An IPv4-mapped IPv6 address
    /// (`::ffff:66.249.66.1`, as dual-stack servers log IPv4 clients) is
    /// looked up as IPv4.
    pub fn contains(&self, addr: IpAddr) -> bool {
        match addr {
            IpAddr::V4(a) => find(&self.v4, u32::from(a)),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => find(&self.v4, u32::from(v4)),
                None => find(&self.v6, u128::from(a)),
            },
        }
    }

    /// Classifies a request by its User-Agent and address.
    pub fn classify(&self, user_agent: &str, client: Option<IpAddr>) -> Agent {
        self.classify_raw(user_agent.as_bytes(), || client)
    }

    /// [`Self::classify`] on the User-Agent's bytes, with the address
    /// parsed only if the User-Agent says Googlebot.
    pub(crate) fn classify_raw(
        &self,
        user_agent: &[u8],
        client: impl FnOnce() -> Option<IpAddr>,
    ) -> Agent {
        if !says_googlebot(user_agent) {
            Agent::Other
        } else if client().is_some_and(|c| self.contains(c)) {
            Agent::VerifiedGooglebot
        } else {
            Agent::UnverifiedGooglebot
        }
    }
}

/// The User-Agent contains `Googlebot` (Googlebot Smartphone and Desktop,
/// Googlebot-Image, -Video and -News all do; matched case-sensitively as
/// Google writes it).
fn says_googlebot(user_agent: &[u8]) -> bool {
    static FINDER: std::sync::LazyLock<memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memmem::Finder::new(b"Googlebot"));
    FINDER.find(user_agent).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges() -> GooglebotRanges {
        GooglebotRanges::from_json(
            r#"{"creationTime":"2026-01-01T00:00:00.000000","prefixes":[
                {"ipv4Prefix":"66.249.66.0/27"},{"ipv4Prefix":"66.249.66.32/27"},
                {"ipv4Prefix":"192.178.5.0/27"},{"ipv6Prefix":"2001:4860:4801:10::/64"}]}"#,
            Path::new("test.json"),
        )
        .unwrap()
    }

    #[test]
    fn prefix_edges_ipv4_and_ipv6() {
        let r = ranges();
        let cases = [
            ("66.249.66.0", true),
            ("66.249.66.31", true),
            ("66.249.66.32", true), // the adjacent /27, merged
            ("66.249.66.63", true),
            ("66.249.66.64", false),
            ("66.249.65.255", false),
            ("192.178.5.31", true),
            ("192.178.5.32", false),
            ("2001:4860:4801:10::", true),
            ("2001:4860:4801:10:ffff:ffff:ffff:ffff", true),
            ("2001:4860:4801:11::", false),
            ("2001:4860:4801:f:ffff:ffff:ffff:ffff", false),
            ("::ffff:66.249.66.1", true),
            ("::ffff:66.249.66.64", false),
            ("::1", false),
        ];
        for (addr, inside) in cases {
            assert_eq!(r.contains(addr.parse().unwrap()), inside, "{addr}");
        }
        assert_eq!(r.len(), (2, 1));
        assert_eq!(r.creation_time(), Some("2026-01-01T00:00:00.000000"));
    }

    #[test]
    fn classification() {
        let r = ranges();
        let gb = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
        let google = Some("66.249.66.1".parse().unwrap());
        let elsewhere = Some("203.0.113.9".parse().unwrap());
        assert_eq!(r.classify(gb, google), Agent::VerifiedGooglebot);
        assert_eq!(r.classify(gb, elsewhere), Agent::UnverifiedGooglebot);
        assert_eq!(r.classify(gb, None), Agent::UnverifiedGooglebot);
        assert_eq!(
            r.classify("Googlebot-Image/1.0", google),
            Agent::VerifiedGooglebot
        );
        assert_eq!(r.classify("Mozilla/5.0 Chrome", google), Agent::Other);
        assert_eq!(r.classify("googlebot", google), Agent::Other);
    }

    #[test]
    fn bundled_snapshot_has_known_ranges() {
        let r = GooglebotRanges::bundled();
        assert_eq!(r.creation_time(), Some("2026-08-21T14:45:42.000000"));
        assert!(r.contains("66.249.66.1".parse().unwrap()));
        assert!(r.contains("2001:4860:4801:10::1".parse().unwrap()));
        assert!(!r.contains("8.8.8.8".parse().unwrap()));
    }

    #[test]
    fn bad_files_name_their_path() {
        let missing = GooglebotRanges::from_file(Path::new("/nonexistent/googlebot.json"));
        let e = missing.unwrap_err();
        assert!(matches!(e, Error::RangesRead { .. }));
        assert!(e.to_string().contains("/nonexistent/googlebot.json"), "{e}");
        let e = GooglebotRanges::from_json("{", Path::new("x.json")).unwrap_err();
        assert!(matches!(e, Error::RangesJson { .. }) && e.to_string().contains("x.json"));
        let e = GooglebotRanges::from_json(
            r#"{"prefixes":[{"ipv4Prefix":"66.249.66.0/33"}]}"#,
            Path::new("y.json"),
        )
        .unwrap_err();
        assert!(matches!(e, Error::RangesPrefix { ref prefix, .. } if prefix == "66.249.66.0/33"));
    }
}
