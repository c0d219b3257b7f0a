//! Timestamps of log lines, parsed by hand into UTC seconds: the hot path of
//! a combined log is one `[10/Oct/2000:13:55:36 -0700]` per line, and a
//! general date parser costs more than the rest of the line.

/// Days from 1970-01-01 to the civil date `y-m-d` (proleptic Gregorian),
/// after Howard Hinnant's `days_from_civil`
/// (<https://howardhinnant.github.io/date_algorithms.html>).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    if b.is_empty() {
        return None;
    }
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

fn month(b: &[u8]) -> Option<u32> {
    Some(match b {
        b"Jan" => 1,
        b"Feb" => 2,
        b"Mar" => 3,
        b"Apr" => 4,
        b"May" => 5,
        b"Jun" => 6,
        b"Jul" => 7,
        b"Aug" => 8,
        b"Sep" => 9,
        b"Oct" => 10,
        b"Nov" => 11,
        b"Dec" => 12,
        _ => return None,
    })
}

fn checked(y: u32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<i64> {
    // 60 allows a leap second as written; it lands on the next second.
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(
        days_from_civil(i64::from(y), mo, d) * 86_400
            + i64::from(h) * 3600
            + i64::from(mi) * 60
            + i64::from(s),
    )
}

/// `±hhmm` or `±hh:mm` (or `Z`) as seconds east of UTC.
fn offset(b: &[u8]) -> Option<i64> {
    if b == b"Z" || b == b"z" {
        return Some(0);
    }
    let (sign, rest) = match b.split_first()? {
        (b'+', rest) => (1, rest),
        (b'-', rest) => (-1, rest),
        _ => return None,
    };
    let (h, m) = match rest.len() {
        4 => (&rest[..2], &rest[2..]),
        5 if rest[2] == b':' => (&rest[..2], &rest[3..]),
        _ => return None,
    };
    let (h, m) = (digits(h)?, digits(m)?);
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * i64::from(h * 3600 + m * 60))
}

/// The common log format's `10/Oct/2000:13:55:36 -0700` (nginx
/// `$time_local`, Apache `%t` without brackets) as UTC seconds.
pub(crate) fn parse_clf(b: &[u8]) -> Option<i64> {
    if b.len() != 26 || b[2] != b'/' || b[6] != b'/' || b[11] != b':' || b[20] != b' ' {
        return None;
    }
    if b[14] != b':' || b[17] != b':' {
        return None;
    }
    let local = checked(
        digits(&b[7..11])?,
        month(&b[3..6])?,
        digits(&b[..2])?,
        digits(&b[12..14])?,
        digits(&b[15..17])?,
        digits(&b[18..20])?,
    )?;
    Some(local - offset(&b[21..])?)
}

/// RFC 3339 / ISO 8601 `2024-01-02T03:04:05+00:00` (nginx
/// `$time_iso8601`), fractional seconds allowed and dropped.
pub(crate) fn parse_iso(b: &[u8]) -> Option<i64> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let local = checked(
        digits(&b[..4])?,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    )?;
    let mut rest = &b[19..];
    if let Some((b'.', frac)) = rest.split_first() {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    Some(local - offset(rest)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clf_times_with_offsets() {
        // Apache's documentation example: 13:55:36 at -0700 is 20:55:36 UTC.
        assert_eq!(parse_clf(b"10/Oct/2000:13:55:36 -0700"), Some(971_211_336));
        assert_eq!(parse_clf(b"10/Oct/2000:20:55:36 +0000"), Some(971_211_336));
        assert_eq!(parse_clf(b"11/Oct/2000:02:25:36 +0530"), Some(971_211_336));
        assert_eq!(parse_clf(b"01/Jan/1970:00:00:00 +0000"), Some(0));
        assert_eq!(
            parse_clf(b"29/Feb/2024:12:00:00 +0000"),
            Some(1_709_208_000)
        );
        for bad in [
            &b"10/Foo/2000:13:55:36 -0700"[..],
            b"10/Oct/2000:25:55:36 -0700",
            b"10/Oct/2000:13:55:36 0700",
            b"10/Oct/2000:13:55:36 -07000",
            b"",
        ] {
            assert_eq!(parse_clf(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn iso_times() {
        assert_eq!(parse_iso(b"2000-10-10T13:55:36-07:00"), Some(971_211_336));
        assert_eq!(parse_iso(b"2000-10-10T20:55:36Z"), Some(971_211_336));
        assert_eq!(
            parse_iso(b"2000-10-10T20:55:36.123+00:00"),
            Some(971_211_336)
        );
        assert_eq!(parse_iso(b"2000-10-10T20:55:36"), None);
        assert_eq!(parse_iso(b"2000-13-10T20:55:36Z"), None);
    }
}
