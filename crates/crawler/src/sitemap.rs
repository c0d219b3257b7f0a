//! Sitemap seeding: `Sitemap:` lines of robots.txt and `/sitemap.xml`,
//! sitemap indexes and gzip-compressed sitemaps included.

use std::collections::HashSet;
use std::io::Read;

use quick_xml::events::Event;
use url::Url;

use crate::fetch::Fetcher;

/// The sitemap protocol caps a file at 50 MB uncompressed.
const MAX_SITEMAP_BYTES: usize = 50 * 1024 * 1024;
/// Sitemap files read at most per audit (indexes included).
const MAX_SITEMAP_FILES: usize = 100;

/// One `<loc>` of a urlset, with the sitemap file it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SitemapEntry {
    pub sitemap: String,
    pub loc: String,
}

/// What one sitemap file lists.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ParsedSitemap {
    /// `<url><loc>` entries (a urlset).
    pub urls: Vec<String>,
    /// `<sitemap><loc>` entries (a sitemap index).
    pub sitemaps: Vec<String>,
}

/// Parses a sitemap or sitemap index, gzip-compressed or not. Malformed XML
/// keeps what was read before the error.
pub fn parse_sitemap(bytes: &[u8]) -> ParsedSitemap {
    let xml = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        let decoder = flate2::read::MultiGzDecoder::new(bytes);
        if decoder
            .take(MAX_SITEMAP_BYTES as u64)
            .read_to_end(&mut out)
            .is_err()
        {
            return ParsedSitemap::default();
        }
        out
    } else {
        bytes.to_vec()
    };
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut parsed = ParsedSitemap::default();
    let mut parents: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    let mut in_loc = false;
    let mut text = String::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let name = e.local_name().as_ref().to_ascii_lowercase();
                in_loc = name == "loc";
                text.clear();
                parents.push(name);
            }
            Ok(Event::Text(t)) if in_loc => {
                text.push_str(&t.xml10_content());
            }
            Ok(Event::GeneralRef(r)) if in_loc => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    text.push_str(match &*r {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Ok(Event::CData(t)) if in_loc => {
                text.push_str(&t);
            }
            Ok(Event::End(_)) => {
                let name = parents.pop().unwrap_or_default();
                if name == "loc" {
                    in_loc = false;
                    let loc = text.trim().to_owned();
                    match parents.last().map(String::as_str) {
                        Some("url") if !loc.is_empty() => parsed.urls.push(loc),
                        Some("sitemap") if !loc.is_empty() => parsed.sitemaps.push(loc),
                        _ => {}
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    parsed
}

/// Reads every sitemap reachable from `roots` (indexes followed, each file
/// once, at most [`MAX_SITEMAP_FILES`]), returning their URL entries.
/// Missing or broken sitemaps are skipped: a site without one is normal.
pub(crate) async fn collect(fetcher: &Fetcher, roots: Vec<Url>) -> Vec<SitemapEntry> {
    let mut queue = roots;
    let mut seen = HashSet::new();
    let mut entries = Vec::new();
    while let Some(url) = queue.pop() {
        if seen.len() >= MAX_SITEMAP_FILES || !seen.insert(url.to_string()) {
            continue;
        }
        let Some((status, body)) = fetcher.get_resource(&url, MAX_SITEMAP_BYTES).await else {
            continue;
        };
        if !(200..300).contains(&status) {
            continue;
        }
        let parsed = parse_sitemap(&body);
        for child in parsed.sitemaps.iter().rev() {
            if let Ok(child) = url.join(child) {
                queue.push(child);
            }
        }
        entries.extend(parsed.urls.into_iter().map(|loc| SitemapEntry {
            sitemap: url.to_string(),
            loc,
        }));
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn parses_urlsets_and_indexes() {
        let urlset =
            br#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <url><loc> https://e.com/a?x=1&amp;y=2 </loc><lastmod>2024-01-01</lastmod></url>
            <url><loc><![CDATA[https://e.com/b]]></loc></url></urlset>"#;
        assert_eq!(
            parse_sitemap(urlset).urls,
            vec![
                "https://e.com/a?x=1&y=2".to_owned(),
                "https://e.com/b".to_owned()
            ]
        );
        let index = br#"<sitemapindex><sitemap><loc>https://e.com/s1.xml.gz</loc></sitemap></sitemapindex>"#;
        let parsed = parse_sitemap(index);
        assert_eq!(parsed.sitemaps, vec!["https://e.com/s1.xml.gz".to_owned()]);
        assert!(parsed.urls.is_empty());
    }

    #[test]
    fn reads_gzip_and_survives_garbage() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<urlset><url><loc>https://e.com/z</loc></url></urlset>")
            .unwrap();
        assert_eq!(
            parse_sitemap(&gz.finish().unwrap()).urls,
            vec!["https://e.com/z".to_owned()]
        );
        assert_eq!(
            parse_sitemap(b"<html><p>not a sitemap"),
            ParsedSitemap::default()
        );
        assert_eq!(
            parse_sitemap(&[0x1f, 0x8b, 0, 1, 2]),
            ParsedSitemap::default()
        );
    }
}
