//! The `Link` header field (RFC 8288 §3), parsed as its Appendix B.2
//! algorithm does, for the one relation the crawler needs: `canonical`.
//!
//! Why not a crate: those on crates.io are small and little maintained
//! (`parse_link_header`, regex-based; `http-link`, last released in 2021,
//! which resolves every target against a base URL, where we keep the target
//! as written, like every other reference, and resolve it where the page's
//! links are resolved), and the standard's algorithm is a few dozen lines.

/// The target of the first link in a `Link` field value whose `rel` holds
/// `canonical` (ASCII case-insensitive), as written between `<` and `>`.
///
/// Follows RFC 8288 Appendix B.2/B.3: a target runs to the first `>` (a URI
/// may contain `,` and `;`), a quoted parameter value may contain `,`, `;`
/// and `\"`, only the first `rel` of a link counts (§3.3), and parsing stops
/// at the first element that does not start with `<`.
pub(crate) fn canonical_from_link_header(value: &str) -> Option<String> {
    let mut rest = value;
    loop {
        // Empty list elements are allowed (RFC 9110 §5.6.1).
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let after_lt = rest.strip_prefix('<')?;
        let (target, after_gt) = after_lt.split_once('>')?;
        let (rel, remainder) = parameters(after_gt);
        rest = remainder;
        if rel.is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("canonical"))
        }) {
            return Some(target.trim().to_owned());
        }
    }
}

/// Parses one link's parameters (Appendix B.3): the value of its first
/// `rel` parameter, and the input after the link's closing `,` (or where
/// parsing stopped).
fn parameters(input: &str) -> (Option<String>, &str) {
    let mut rel = None;
    let mut rest = input;
    loop {
        rest = trim_ows(rest);
        let Some(after_semicolon) = rest.strip_prefix(';') else {
            return (rel, rest.strip_prefix(',').unwrap_or(rest));
        };
        rest = trim_ows(after_semicolon);
        let name_end = rest.find([' ', '\t', '=', ';', ',']).unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = trim_ows(&rest[name_end..]);
        let mut value = String::new();
        if let Some(after_eq) = rest.strip_prefix('=') {
            rest = trim_ows(after_eq);
            if let Some(quoted) = rest.strip_prefix('"') {
                (value, rest) = quoted_string(quoted);
            } else {
                let end = rest.find([';', ',']).unwrap_or(rest.len());
                value = rest[..end].trim_end_matches([' ', '\t']).to_owned();
                rest = &rest[end..];
            }
        }
        if rel.is_none() && name.eq_ignore_ascii_case("rel") {
            rel = Some(value);
        }
    }
}

/// A quoted-string's content after its opening `"` (RFC 9110 §5.6.4:
/// `\` quotes the next character), and the input after the closing `"`.
/// An unterminated string runs to the end.
fn quoted_string(input: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = input.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (value, &input[i + 1..]),
            '\\' => value.extend(chars.next().map(|(_, escaped)| escaped)),
            _ => value.push(c),
        }
    }
    (value, "")
}

fn trim_ows(s: &str) -> &str {
    s.trim_start_matches([' ', '\t'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_header_canonical() {
        assert_eq!(
            canonical_from_link_header("</a>; rel=preload, <https://e.com/c>; rel=\"canonical\"")
                .as_deref(),
            Some("https://e.com/c")
        );
        assert_eq!(canonical_from_link_header("</a>; rel=preload"), None);
    }

    /// RFC 8288 §3: a URI in `<…>` may hold commas and semicolons, quoted
    /// parameter values may hold both, and only the first `rel` counts.
    #[test]
    fn link_header_commas_and_quotes() {
        let cases: [(&str, Option<&str>); 14] = [
            (
                r#"<https://e.com/a,b>; rel="canonical""#,
                Some("https://e.com/a,b"),
            ),
            (
                r#"<https://e.com/a;b=1,c>; rel=canonical"#,
                Some("https://e.com/a;b=1,c"),
            ),
            (
                r#"</x>; rel=preload, <https://e.com/a,b>; rel=canonical"#,
                Some("https://e.com/a,b"),
            ),
            (
                r#"</x>; title="a, <https://evil/>; rel=canonical", </c>; rel=canonical"#,
                Some("/c"),
            ),
            (r#"</x>; title="x;rel=canonical""#, None),
            (
                r#"</x>; title="say \"hi\", <https://evil/>; rel=canonical", </c>; rel=canonical"#,
                Some("/c"),
            ),
            (r#"</c>; rel="alternate Canonical""#, Some("/c")),
            (r#"</c>;REL = "canonical""#, Some("/c")),
            (r#"</c>; rel=preload; rel=canonical"#, None),
            (r#"</c>; rel=canonicals"#, None),
            (r#" , ,</c> ; rel=canonical ,"#, Some("/c")),
            (r#"<https://e.com/c; rel=canonical"#, None),
            (r#"rel=canonical, </c>; rel=canonical"#, None),
            (r#"</a>; rel=canonical, </b>; rel=canonical"#, Some("/a")),
        ];
        for (header, want) in cases {
            assert_eq!(
                canonical_from_link_header(header).as_deref(),
                want,
                "{header}"
            );
        }
    }
}
