//! The demo's access log (issue 15): generated for the audit's clock, so
//! that `redirect-audit demo` shows what logs add on its first audit — a
//! long-lived 302 aged from the logs (`age_source=access-log`), a URL linked
//! from nowhere that the logs bring into the crawl, and Googlebot counts.
//!
//! Deterministic: the lines depend only on the day of `--now`, so two demo
//! runs on the same day write the same file and history reads it once.

use std::fmt::Write as _;

use jiff::{SignedDuration, Timestamp};

/// In Google's published Googlebot ranges (the bundled snapshot).
const GOOGLEBOT: &str = "66.249.66.1";
const GOOGLEBOT_UA: &str =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
/// A "Googlebot" from outside Google's ranges (TEST-NET-3, RFC 5737).
const FAKE_GOOGLEBOT: &str = "203.0.113.5";
/// Visitors (TEST-NET-1 and -2, RFC 5737).
const VISITORS: [&str; 3] = ["192.0.2.10", "192.0.2.11", "198.51.100.7"];
/// Where a browser goes with `/old-press-room`'s `Location: http//www.demo.test/press/`
/// (a relative path: RFC 3986 §4.2).
const BROKEN_PRESS_TARGET: &str = "/http//www.demo.test/press/";
const BROWSER_UA: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

/// The demo's combined-format access log for an audit at `now`: 120 days
/// before the day of `now`.
pub fn demo_access_log(now: Timestamp) -> String {
    let day = now.as_second().div_euclid(86_400) * 86_400;
    let today = Timestamp::from_second(day).unwrap_or(now);
    let mut out = String::new();
    for days_ago in (1..=120i64).rev() {
        let morning = today - SignedDuration::from_hours(24 * days_ago - 8);
        let mut line = |minute: i64, addr: &str, path: &str, status: u16, bytes: u32, ua: &str| {
            let t = morning + SignedDuration::from_mins(minute);
            let _ = writeln!(
                out,
                "{addr} - - [{}] \"GET {path} HTTP/1.1\" {status} {bytes} \"-\" \"{ua}\"",
                t.strftime("%d/%b/%Y:%H:%M:%S +0000")
            );
        };
        let visitor = VISITORS[(days_ago % 3) as usize];
        line(0, visitor, "/", 200, 5120, BROWSER_UA);
        // The old campaign URL: still requested, still a 302, linked from
        // nowhere on the site.
        line(3, visitor, "/winter-sale-2025", 302, 0, BROWSER_UA);
        line(3, visitor, "/offers/", 200, 4096, BROWSER_UA);
        line(9, visitor, "/teas/", 200, 6144, BROWSER_UA);
        if days_ago % 7 == 0 {
            line(20, GOOGLEBOT, "/winter-sale-2025", 302, 0, GOOGLEBOT_UA);
        }
        // An old page whose Location lost its colon: everyone who follows
        // it lands on a relative path that does not exist.
        if days_ago % 2 == 0 {
            line(12, visitor, "/old-press-room", 301, 0, BROWSER_UA);
            line(12, visitor, BROKEN_PRESS_TARGET, 404, 512, BROWSER_UA);
        }
        if days_ago % 5 == 0 {
            line(30, GOOGLEBOT, "/old-press-room", 301, 0, GOOGLEBOT_UA);
            line(30, GOOGLEBOT, BROKEN_PRESS_TARGET, 404, 512, GOOGLEBOT_UA);
        }
        if days_ago % 10 == 0 {
            line(21, GOOGLEBOT, "/offers/", 200, 4096, GOOGLEBOT_UA);
        }
        if days_ago % 30 == 0 {
            line(
                40,
                FAKE_GOOGLEBOT,
                "/winter-sale-2025",
                302,
                0,
                GOOGLEBOT_UA,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_log_is_a_function_of_the_day() {
        let a = demo_access_log("2026-11-24T02:30:00Z".parse().unwrap());
        let b = demo_access_log("2026-11-24T23:59:00Z".parse().unwrap());
        assert_eq!(a, b);
        assert!(a.lines().count() > 480);
        assert!(a.contains("[27/Jul/2026:08:03:00 +0000] \"GET /winter-sale-2025 HTTP/1.1\" 302"));
        assert!(a.contains("\"GET /http//www.demo.test/press/ HTTP/1.1\" 404"));
    }
}
