//! A generated access log for benchmarking the `accesslog` crate: combined
//! format, in time order, deterministic for a seed.
//!
//! Shape (the benchmark): `lines` lines over [`LOG_DAYS`] days,
//! [`LOG_PATHS`] distinct paths, [`LOG_REDIRECT_PERCENT`] % of requests to
//! redirecting paths, [`LOG_GOOGLEBOT_PERCENT`] % with a Googlebot
//! User-Agent of which half come from Google's published ranges.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::net::Ipv4Addr;
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::Error;
use crate::rng::SplitMix64;

/// Days the log spans.
pub const LOG_DAYS: i64 = 90;
/// Distinct request paths.
pub const LOG_PATHS: usize = 100_000;
/// Percent of requests that go to a redirecting path.
pub const LOG_REDIRECT_PERCENT: usize = 5;
/// Percent of requests with a Googlebot User-Agent (half verified).
pub const LOG_GOOGLEBOT_PERCENT: usize = 8;
/// The first line's time: 2026-06-01T00:00:00Z.
pub const LOG_START: i64 = 1_780_272_000;

const GOOGLEBOT_UA: &str =
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const BROWSER_UAS: [&str; 4] = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
];

/// What [`write_log`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogStats {
    /// Lines written.
    pub lines: u64,
    /// Bytes before compression.
    pub bytes: u64,
    /// Requests to redirecting paths.
    pub redirects: u64,
    /// Requests with a Googlebot User-Agent from Google's ranges.
    pub verified_googlebot: u64,
    /// Requests with a Googlebot User-Agent from elsewhere.
    pub unverified_googlebot: u64,
}

/// `dd/Mon/yyyy` of a day count since 1970-01-01, as `$time_local` writes it.
fn clf_day(days: i64) -> String {
    jiff::Timestamp::from_second(days * 86_400)
        .expect("a log day is in jiff's range")
        .strftime("%d/%b/%Y")
        .to_string()
}

/// A path of the site: every 20th path redirects, so that
/// [`LOG_REDIRECT_PERCENT`] % of requests can be sent to them.
fn path(out: &mut Vec<u8>, id: usize) {
    let _ = write!(out, "/section-{}/page-{id}.html", id % 37);
}

/// Writes `lines` lines of the benchmark log to `w`.
pub fn generate(w: &mut impl Write, lines: u64, seed: u64) -> io::Result<LogStats> {
    let mut rng = SplitMix64::new(seed, 0x6c6f67);
    let mut stats = LogStats::default();
    let span = LOG_DAYS * 86_400;
    let mut line = Vec::with_capacity(512);
    let mut day_cache = (i64::MIN, String::new());
    for i in 0..lines {
        let t = LOG_START + (i as i64 * span) / lines.max(1) as i64;
        let day = t.div_euclid(86_400);
        if day_cache.0 != day {
            day_cache = (day, clf_day(day));
        }
        let secs = t.rem_euclid(86_400);
        let redirect = rng.percent(LOG_REDIRECT_PERCENT);
        // Redirecting paths are the multiples of 20; the others never are.
        let id = if redirect {
            rng.below(LOG_PATHS / 20) * 20
        } else {
            let id = rng.below(LOG_PATHS);
            if id.is_multiple_of(20) { id + 1 } else { id }
        };
        let googlebot = rng.percent(LOG_GOOGLEBOT_PERCENT);
        let verified = googlebot && rng.percent(50);
        let ip = if verified {
            // 66.249.64.0/27 and 66.249.64.128/27 are in googlebot.json.
            Ipv4Addr::new(66, 249, 64, [0, 128][rng.below(2)] + rng.below(32) as u8)
        } else {
            let x = rng.next_u64();
            Ipv4Addr::new(203, (x >> 8) as u8, (x >> 16) as u8, (x >> 24) as u8)
        };
        let status = if redirect {
            // Mostly temporary, some permanent: runs and their ends.
            [302, 302, 302, 301, 307][rng.below(5)]
        } else {
            [200, 200, 200, 200, 200, 200, 200, 304, 404, 503][rng.below(10)]
        };
        let ua = if googlebot {
            GOOGLEBOT_UA
        } else {
            BROWSER_UAS[rng.below(BROWSER_UAS.len())]
        };
        line.clear();
        let _ = write!(
            line,
            "{ip} - - [{}:{:02}:{:02}:{:02} +0000] \"GET ",
            day_cache.1,
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        );
        path(&mut line, id);
        let size = if status == 200 {
            2000 + rng.below(60_000)
        } else {
            0
        };
        let _ = write!(line, " HTTP/1.1\" {status} {size} \"");
        // Most requests carry a referer: lines of about 240 bytes, so 2 M
        // lines make the issue's ≈ 500 MB.
        if rng.percent(80) {
            line.extend_from_slice(b"https://www.example.com");
            path(&mut line, rng.below(LOG_PATHS));
        } else {
            line.push(b'-');
        }
        let _ = writeln!(line, "\" \"{ua}\"");
        w.write_all(&line)?;
        stats.lines += 1;
        stats.bytes += line.len() as u64;
        stats.redirects += u64::from(redirect);
        stats.verified_googlebot += u64::from(verified);
        stats.unverified_googlebot += u64::from(googlebot && !verified);
    }
    Ok(stats)
}

/// Writes the benchmark log to `path`, gzip-compressed when `gz`.
pub fn write_log(path: &Path, lines: u64, seed: u64, gz: bool) -> Result<LogStats, Error> {
    let err = |e| Error::write(path, e);
    let file = BufWriter::with_capacity(1 << 20, File::create(path).map_err(err)?);
    if gz {
        let mut enc = GzEncoder::new(file, Compression::default());
        let stats = generate(&mut enc, lines, seed).map_err(err)?;
        enc.finish().map_err(err)?.flush().map_err(err)?;
        Ok(stats)
    } else {
        let mut file = file;
        let stats = generate(&mut file, lines, seed).map_err(err)?;
        file.flush().map_err(err)?;
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use accesslog::{LogReader, ReadOptions};

    use super::*;

    #[test]
    fn clf_days() {
        assert_eq!(clf_day(0), "01/Jan/1970");
        assert_eq!(clf_day(LOG_START / 86_400), "01/Jun/2026");
        assert_eq!(clf_day(19_782), "29/Feb/2024");
    }

    #[test]
    fn the_log_is_deterministic_parses_and_has_the_announced_shape() {
        let mut a = Vec::new();
        let stats = generate(&mut a, 20_000, 7).unwrap();
        let mut b = Vec::new();
        generate(&mut b, 20_000, 7).unwrap();
        assert_eq!(a, b);
        assert_eq!(stats.lines, 20_000);
        let mut reader = LogReader::new(ReadOptions::default());
        reader.read_stream("gen.log".into(), &a[..], false);
        let e = reader.finish();
        let t = e.summary.totals();
        assert_eq!((t.parsed, t.unparseable), (20_000, 0));
        // The crate classifies the generated Googlebot traffic as generated.
        let (verified, unverified) = e.paths().fold((0, 0), |acc, (_, p)| {
            let (v, u) = p.googlebot_requests(i32::MIN);
            (acc.0 + v, acc.1 + u)
        });
        assert_eq!(
            (verified, unverified),
            (stats.verified_googlebot, stats.unverified_googlebot)
        );
        let percent = |n: u64| n as f64 * 100.0 / 20_000.0;
        assert!((percent(stats.redirects) - 5.0).abs() < 1.0);
        assert!((percent(verified + unverified) - 8.0).abs() < 1.0);
        assert!((percent(verified) - 4.0).abs() < 1.0);
        let (lo, hi) = e.summary.time_range().unwrap();
        assert!(hi - lo > (LOG_DAYS - 1) * 86_400 && hi - lo < LOG_DAYS * 86_400);
    }
}
