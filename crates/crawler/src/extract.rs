//! Link extraction from HTML pages and response headers.

use std::sync::LazyLock;

use model::LinkKind;
use scraper::{Html, Selector};
use url::Url;

use crate::refresh::parse_refresh;

/// One reference found on a page, before deduplication.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtractedLink {
    /// The reference as written.
    pub raw: String,
    /// Resolved against the page's base URL; `None` when it does not parse.
    pub url: Option<Url>,
    /// What kind of reference it is.
    pub kind: LinkKind,
    /// hreflang language, or refresh delay in seconds.
    pub detail: Option<String>,
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector is valid")
}

static BASE: LazyLock<Selector> = LazyLock::new(|| selector("base[href]"));
static ANCHOR: LazyLock<Selector> = LazyLock::new(|| selector("a[href], area[href]"));
static LINK: LazyLock<Selector> = LazyLock::new(|| selector("link[rel][href]"));
static META: LazyLock<Selector> = LazyLock::new(|| selector("meta[http-equiv][content]"));
static SCRIPT: LazyLock<Selector> = LazyLock::new(|| selector("script:not([src])"));

/// Extracts `<a>`/`<area>` hrefs, `<link rel=canonical>`, `<link
/// rel=alternate hreflang>`, `<meta http-equiv=refresh>` and plain script
/// navigations from an HTML document, resolving each against `<base href>`
/// (itself resolved against `page`) or `page`.
pub fn extract_links(html: &str, page: &Url) -> Vec<ExtractedLink> {
    let doc = Html::parse_document(html);
    let base = doc
        .select(&BASE)
        .next()
        .and_then(|e| e.value().attr("href"))
        .and_then(|href| page.join(href.trim()).ok())
        .unwrap_or_else(|| page.clone());
    let mut links = Vec::new();
    let mut push = |raw: &str, kind: LinkKind, detail: Option<String>| {
        let raw = raw.trim();
        links.push(ExtractedLink {
            raw: raw.to_owned(),
            url: base.join(raw).ok(),
            kind,
            detail,
        });
    };
    for a in doc.select(&ANCHOR) {
        if let Some(href) = a.value().attr("href") {
            push(href, LinkKind::Anchor, None);
        }
    }
    for link in doc.select(&LINK) {
        let el = link.value();
        let (Some(rel), Some(href)) = (el.attr("rel"), el.attr("href")) else {
            continue;
        };
        let has = |token: &str| {
            rel.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case(token))
        };
        if has("canonical") {
            push(href, LinkKind::Canonical, None);
        } else if has("alternate")
            && let Some(lang) = el.attr("hreflang")
        {
            push(href, LinkKind::Hreflang, Some(lang.to_owned()));
        }
    }
    for meta in doc.select(&META) {
        let el = meta.value();
        let is_refresh = el
            .attr("http-equiv")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
        if let (true, Some(content)) = (is_refresh, el.attr("content"))
            && let Some(refresh) = parse_refresh(content)
            && let Some(url) = refresh.url
        {
            push(&url, LinkKind::MetaRefresh, Some(refresh.delay.to_string()));
        }
    }
    for script in doc.select(&SCRIPT) {
        let code: String = script.text().collect();
        if let Some(target) = script_navigation(&code) {
            push(&target, LinkKind::Script, None);
        }
    }
    links
}

/// Extracts the URL of a `Link: <url>; rel="canonical"` header value.
pub(crate) fn canonical_from_link_header(value: &str) -> Option<String> {
    for part in value.split(',') {
        let part = part.trim();
        let Some(rest) = part.strip_prefix('<') else {
            continue;
        };
        let Some((url, params)) = rest.split_once('>') else {
            continue;
        };
        let is_canonical = params.split(';').any(|p| {
            let p = p.trim();
            p.split_once('=').is_some_and(|(k, v)| {
                k.trim().eq_ignore_ascii_case("rel")
                    && v.trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|t| t.eq_ignore_ascii_case("canonical"))
            })
        });
        if is_canonical {
            return Some(url.trim().to_owned());
        }
    }
    None
}

/// Finds a literal navigation in inline script: `location = "…"`,
/// `location.href = '…'`, `location.replace("…")`, `location.assign(…)`,
/// with or without `window.`/`document.`/`top.`. Only string literals count:
/// a computed URL cannot be known without running the script, which is also
/// why Google follows these only after rendering.
fn script_navigation(code: &str) -> Option<String> {
    let mut search = code;
    while let Some(pos) = search.find("location") {
        let after = &search[pos + "location".len()..];
        let before_ok = search[..pos]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '$'));
        if before_ok && let Some(url) = navigation_after_location(after) {
            return Some(url);
        }
        search = after;
    }
    None
}

fn navigation_after_location(after: &str) -> Option<String> {
    let rest = after.trim_start();
    let rest = if let Some(r) = rest.strip_prefix(".href") {
        assignment(r)?
    } else if let Some(r) = rest
        .strip_prefix(".replace")
        .or_else(|| rest.strip_prefix(".assign"))
    {
        r.trim_start().strip_prefix('(')?
    } else {
        assignment(rest)?
    };
    string_literal(rest.trim_start())
}

fn assignment(s: &str) -> Option<&str> {
    let s = s.trim_start().strip_prefix('=')?;
    (!s.starts_with('=')).then_some(s)
}

fn string_literal(s: &str) -> Option<String> {
    let quote = s.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let inner = &s[1..];
    let end = inner.find(quote)?;
    let literal = &inner[..end];
    (!literal.contains("${") && !literal.is_empty()).then(|| literal.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(html: &str) -> Vec<(LinkKind, String, Option<String>)> {
        let page = Url::parse("https://example.com/dir/page").unwrap();
        extract_links(html, &page)
            .into_iter()
            .map(|l| {
                (
                    l.kind,
                    l.url.map(|u| u.to_string()).unwrap_or_default(),
                    l.detail,
                )
            })
            .collect()
    }

    #[test]
    fn extracts_every_kind() {
        let html = r#"<html><head>
            <link rel="canonical" href="/canon">
            <link rel="alternate" hreflang="de" href="https://example.com/de/">
            <link rel="stylesheet" href="/style.css">
            <meta http-equiv="Refresh" content="5; url=/later">
            </head><body>
            <a href="rel">relative</a> <a href="/abs#frag">abs</a>
            <area href="//other.test/x">
            <script>if (x) { window.location.href = "/js-target"; }</script>
            </body></html>"#;
        assert_eq!(
            kinds(html),
            vec![
                (LinkKind::Anchor, "https://example.com/dir/rel".into(), None),
                (
                    LinkKind::Anchor,
                    "https://example.com/abs#frag".into(),
                    None
                ),
                (LinkKind::Anchor, "https://other.test/x".into(), None),
                (
                    LinkKind::Canonical,
                    "https://example.com/canon".into(),
                    None
                ),
                (
                    LinkKind::Hreflang,
                    "https://example.com/de/".into(),
                    Some("de".into())
                ),
                (
                    LinkKind::MetaRefresh,
                    "https://example.com/later".into(),
                    Some("5".into())
                ),
                (
                    LinkKind::Script,
                    "https://example.com/js-target".into(),
                    None
                ),
            ]
        );
    }

    #[test]
    fn base_href_changes_resolution() {
        let html = r#"<base href="/other/"><a href="x">x</a>"#;
        assert_eq!(kinds(html)[0].1, "https://example.com/other/x");
    }

    #[test]
    fn script_navigation_forms() {
        let found = |code: &str| script_navigation(code);
        assert_eq!(found("location = '/a'").as_deref(), Some("/a"));
        assert_eq!(
            found("document.location.replace(\"/b\")").as_deref(),
            Some("/b")
        );
        assert_eq!(
            found("window.location.assign( `/c` )").as_deref(),
            Some("/c")
        );
        assert_eq!(found("if (location == '/a') {}"), None);
        assert_eq!(found("location.href = base + '/x'"), None);
        assert_eq!(found("mylocation = '/nope'"), None);
        assert_eq!(found("location.href = `${x}/y`"), None);
    }

    #[test]
    fn link_header_canonical() {
        assert_eq!(
            canonical_from_link_header("</a>; rel=preload, <https://e.com/c>; rel=\"canonical\"")
                .as_deref(),
            Some("https://e.com/c")
        );
        assert_eq!(canonical_from_link_header("</a>; rel=preload"), None);
    }
}
