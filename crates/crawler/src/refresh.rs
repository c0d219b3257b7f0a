//! The `Refresh` header and `<meta http-equiv=refresh>` content syntax.

/// A parsed refresh instruction: `5; url=/next`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refresh {
    /// Delay in whole seconds (fractions dropped, as browsers do).
    pub delay: u32,
    /// The URL as written, if any (a refresh without URL reloads the page and
    /// is not a redirect).
    pub url: Option<String>,
}

/// Parses refresh content as the HTML standard's "shared declarative refresh
/// steps" do: leading digits (and dots) are the delay, then optional `;` or
/// `,`, optional `url=` (any case), optional quotes around the URL.
pub fn parse_refresh(content: &str) -> Option<Refresh> {
    let s = content.trim_start();
    let digits_end = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (number, rest) = s.split_at(digits_end);
    let whole = number.split('.').next().unwrap_or("");
    if number.is_empty() {
        return None;
    }
    let delay = if whole.is_empty() {
        0
    } else {
        whole.parse::<u32>().unwrap_or(u32::MAX)
    };
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix([';', ','])
        .map(str::trim_start)
        .unwrap_or(if rest.is_empty() { "" } else { rest });
    if rest.is_empty() {
        return Some(Refresh { delay, url: None });
    }
    let after_key = strip_url_key(rest).unwrap_or(rest);
    let url = unquote(after_key.trim());
    Some(Refresh {
        delay,
        url: (!url.is_empty()).then(|| url.to_owned()),
    })
}

fn strip_url_key(s: &str) -> Option<&str> {
    let head = s.get(..3)?;
    if !head.eq_ignore_ascii_case("url") {
        return None;
    }
    s[3..].trim_start().strip_prefix('=').map(str::trim_start)
}

fn unquote(s: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(quote) {
            return inner.split(quote).next().unwrap_or(inner);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_common_forms() {
        let cases = [
            ("0; url=/next", Some((0, Some("/next")))),
            (
                "5;URL='https://e.com/x'",
                Some((5, Some("https://e.com/x"))),
            ),
            ("3, url = \"/y\"", Some((3, Some("/y")))),
            ("0;/bare", Some((0, Some("/bare")))),
            ("1.5; url=/z", Some((1, Some("/z")))),
            ("10", Some((10, None))),
            ("url=/x", None),
            ("", None),
        ];
        for (content, expected) in cases {
            let got = parse_refresh(content).map(|r| (r.delay, r.url));
            let expected = expected.map(|(d, u)| (d, u.map(str::to_owned)));
            assert_eq!(got, expected, "{content}");
        }
    }
}
