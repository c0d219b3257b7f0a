//! Link extraction from HTML pages and response headers.

use model::LinkKind;
use url::Url;

use crate::html_scan::Tag;
use crate::refresh::parse_refresh;

mod link_header;

pub(crate) use link_header::canonical_from_link_header;

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

/// Extracts `<a>`/`<area>` hrefs, `<link rel=canonical>`, `<link
/// rel=alternate hreflang>`, `<meta http-equiv=refresh>` and plain script
/// navigations from an HTML document (bytes as received; invalid UTF-8 is
/// replaced), resolving each against the first `<base href>` (itself
/// resolved against `page`) or `page`. Links come grouped by kind (anchors,
/// link tags, refreshes, scripts), each group in document order.
pub fn extract_links(html: &[u8], page: &Url) -> Vec<ExtractedLink> {
    #[cfg(any(feature = "html5gum", feature = "lol_html"))]
    return extract_links_with(*alternative::FROM_ENV, html, page);
    #[cfg(not(any(feature = "html5gum", feature = "lol_html")))]
    links_from_tags(html, page, |h, f| crate::html_scan::scan(h, f))
}

/// [`extract_links`] over the tags `scan` finds in `html`.
fn links_from_tags(
    html: &[u8],
    page: &Url,
    scan: impl FnOnce(&[u8], &mut dyn FnMut(Tag)),
) -> Vec<ExtractedLink> {
    let mut anchors = Vec::new();
    let mut link_tags = Vec::new();
    let mut refreshes = Vec::new();
    let mut scripts = Vec::new();
    let mut base: Option<Url> = None;
    scan(html, &mut |tag| match tag {
        Tag::Anchor { href } => anchors.push((href, LinkKind::Anchor, None)),
        Tag::Base { href } => {
            if base.is_none() {
                base = page.join(href.trim()).ok();
            }
        }
        Tag::Link {
            rel,
            href,
            hreflang,
        } => {
            let has = |token: &str| {
                rel.split_ascii_whitespace()
                    .any(|t| t.eq_ignore_ascii_case(token))
            };
            if has("canonical") {
                link_tags.push((href, LinkKind::Canonical, None));
            } else if has("alternate")
                && let Some(lang) = hreflang
            {
                link_tags.push((href, LinkKind::Hreflang, Some(lang)));
            }
        }
        Tag::Meta {
            http_equiv,
            content,
        } => {
            if http_equiv.trim().eq_ignore_ascii_case("refresh")
                && let Some(refresh) = parse_refresh(&content)
                && let Some(url) = refresh.url
            {
                refreshes.push((url, LinkKind::MetaRefresh, Some(refresh.delay.to_string())));
            }
        }
        Tag::Script { text } => {
            if let Some(target) = script_navigation(&text) {
                scripts.push((target, LinkKind::Script, None));
            }
        }
    });
    let base = base.unwrap_or_else(|| page.clone());
    anchors
        .into_iter()
        .chain(link_tags)
        .chain(refreshes)
        .chain(scripts)
        .map(|(raw, kind, detail)| {
            let raw = raw.trim().to_owned();
            ExtractedLink {
                url: base.join(&raw).ok(),
                raw,
                kind,
                detail,
            }
        })
        .collect()
}

#[cfg(any(feature = "html5gum", feature = "lol_html"))]
pub use alternative::{Extractor, extract_links_with};

/// The tag sources measured against the scanner (crates/README.md, "HTML
/// scanner"), compiled only with the `html5gum` or `lol_html` feature.
#[cfg(any(feature = "html5gum", feature = "lol_html"))]
mod alternative {
    use std::sync::LazyLock;

    use url::Url;

    use super::{ExtractedLink, links_from_tags};
    use crate::html_scan;

    /// Which tag source [`extract_links_with`] uses.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[non_exhaustive]
    pub enum Extractor {
        /// The hand-written scanner (what [`super::extract_links`] uses
        /// without these features).
        Scanner,
        /// html5gum's tokenizer.
        #[cfg(feature = "html5gum")]
        Html5gum,
        /// lol_html's rewriter.
        #[cfg(feature = "lol_html")]
        LolHtml,
    }

    /// The crawl's extractor: `REDIRECT_AUDIT_EXTRACTOR` (`scanner`,
    /// `html5gum`, `lol_html`), read once, so a benchmark binary built with
    /// these features can crawl with each in turn.
    pub(super) static FROM_ENV: LazyLock<Extractor> =
        LazyLock::new(
            || match std::env::var("REDIRECT_AUDIT_EXTRACTOR").as_deref() {
                #[cfg(feature = "html5gum")]
                Ok("html5gum") => Extractor::Html5gum,
                #[cfg(feature = "lol_html")]
                Ok("lol_html") => Extractor::LolHtml,
                _ => Extractor::Scanner,
            },
        );

    /// [`super::extract_links`] with the tags found by `extractor`.
    pub fn extract_links_with(extractor: Extractor, html: &[u8], page: &Url) -> Vec<ExtractedLink> {
        match extractor {
            Extractor::Scanner => links_from_tags(html, page, |h, f| html_scan::scan(h, f)),
            #[cfg(feature = "html5gum")]
            Extractor::Html5gum => {
                links_from_tags(html, page, |h, f| html_scan::html5gum_tags::scan(h, f))
            }
            #[cfg(feature = "lol_html")]
            Extractor::LolHtml => {
                links_from_tags(html, page, |h, f| html_scan::lol_html_tags::scan(h, f))
            }
        }
    }
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

/// The DOM-based extraction (scraper, i.e. html5ever's tree builder) that
/// [`extract_links`] replaced for speed, kept as the reference the scanner
/// is checked against.
#[cfg(test)]
pub(crate) mod reference {
    use std::sync::LazyLock;

    use model::LinkKind;
    use scraper::{Html, Selector};
    use url::Url;

    use super::{ExtractedLink, script_navigation};
    use crate::refresh::parse_refresh;

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
    pub(super) fn extract_links(html: &str, page: &Url) -> Vec<ExtractedLink> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(html: &str) -> Vec<(LinkKind, String, Option<String>)> {
        let page = Url::parse("https://example.com/dir/page").unwrap();
        extract_links(html.as_bytes(), &page)
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

    fn normalized(
        links: Vec<ExtractedLink>,
    ) -> Vec<(LinkKind, Option<String>, String, Option<String>)> {
        let mut v: Vec<_> = links
            .into_iter()
            .map(|l| (l.kind, l.url.map(String::from), l.raw, l.detail))
            .collect();
        v.sort();
        v
    }

    fn html_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                html_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "html") {
                out.push(path);
            }
        }
    }

    /// The scanner finds exactly what html5ever's tree builder finds, on
    /// every fixture page and on inputs chosen to trip a scanner.
    #[test]
    fn the_scanner_agrees_with_the_dom_parser() {
        let page = Url::parse("https://example.com/dir/page").unwrap();
        let mut files = Vec::new();
        html_files(&testsite::fixtures_dir(), &mut files);
        assert!(files.len() > 40, "fixture pages found: {}", files.len());
        let mut inputs: Vec<(String, String)> = files
            .iter()
            .map(|f| (f.display().to_string(), std::fs::read_to_string(f).unwrap()))
            .collect();
        let tricky = [
            r#"<a href="/a?x=1&amp;y=2&copy=3">x</a><a href='/b'>b</a><a href=/c>c</a>"#,
            r#"<!-- <a href="/no"> --><a href="/yes"><!--><a href="/y2"><!---><a href="/y3">"#,
            r#"<script>var s = '<a href="/in-script">';</script><a href="/after-script">"#,
            r#"<style>/* <a href="/in-style"> */</style><title><a href="/t"></title><textarea><a href="/ta"></textarea><a href="/ok">"#,
            r#"<a title="a>b" href="/gt-in-value"><a href="/dup" href="/second"><a HREF="/upper">"#,
            r#"<base href="/base/"><a href="rel">r</a><base href="/ignored/"><a href="rel2">"#,
            r#"<link rel="Canonical alternate" href="/c"><link rel=alternate hreflang=de href=/de><link rel=alternate href=/no-lang>"#,
            r#"<meta http-equiv="REFRESH" content="3;URL='/later'"><meta http-equiv=refresh content="0"><meta content="0;url=/x" http-equiv="Refresh">"#,
            r#"<script src="/x.js">location.href='/no'</script><script>window.location.replace("/js")</script>"#,
            r#"<svg><a href="/svg-link">s</a></svg><math><a href="/math"></a></math>"#,
            r#"<a href="/&#x41;&#66;&eacute;&notin;&notit;">e</a><a href="  /spaces  ">s</a>"#,
            r#"<noscript><a href="/noscript"></a></noscript><a href="/after-noscript">"#,
            "<a href=\"/nul\0byte\">n</a><a href=\"/cut",
            r#"<p><a href="/p-a"><area href="/area"><div></a><a href="/nested">"#,
            // Script data escape states (WHATWG HTML §13.2.5.4–.31): inside
            // `<!--`, a `<script>` makes the next `</script>` text.
            r#"<script><!--<script>x</script><a href="/in-double-escaped"> --></script><a href="/after">"#,
            r#"<script><!--<script></script>--><a href="/still-script">"#,
            r#"<script><!--<SCRIPT></script>location.href="/two"--></script>"#,
            r#"<script><!-- </script><a href="/after-escaped">"#,
            r#"<script><!--<scripty></script><a href="/after-scripty">"#,
            r#"<script><!--><a href="/after-empty-comment"></script><a href="/a">"#,
            r#"<script><!--<script/>--><a href="/x"></script><a href="/y">"#,
        ];
        inputs.extend(
            tricky
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("tricky #{i}"), (*t).to_owned())),
        );
        for (name, html) in inputs {
            let dom = normalized(reference::extract_links(&html, &page));
            let fast = normalized(extract_links(html.as_bytes(), &page));
            assert_eq!(fast, dom, "{name}");
            // The crates measured against the scanner, on the same corpus.
            #[cfg(any(feature = "html5gum", feature = "lol_html"))]
            for extractor in [
                #[cfg(feature = "html5gum")]
                Extractor::Html5gum,
                #[cfg(feature = "lol_html")]
                Extractor::LolHtml,
            ] {
                let other = normalized(extract_links_with(extractor, html.as_bytes(), &page));
                assert_eq!(other, dom, "{extractor:?}: {name}");
            }
        }
    }
}
