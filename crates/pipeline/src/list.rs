//! The input of `redirect-audit check`: URLs one per line, or a CSV
//! migration map with a header naming the source and expected columns;
//! what each line expects, and the URLs to fetch for it.

use std::path::Path;

use crawler::Seed;
use model::{Discovery, Expectation, normalize_url};
use url::Url;

use crate::Error;

/// One line of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListEntry {
    /// 1-based line number in the input (for messages).
    pub line: usize,
    /// The URL to check, as written.
    pub url: String,
    /// Where it must land, if the map says.
    pub expected: Option<String>,
}

/// A parsed list and how it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedList {
    /// The entries, in input order.
    pub entries: Vec<ListEntry>,
    /// Which columns were used, for the user: `url` / `url, expected` / a
    /// plain list.
    pub columns: String,
}

/// Header names accepted for the source column, in order of preference.
const SOURCE_HEADERS: [&str; 6] = ["url", "old", "source", "from", "old_url", "source_url"];
/// Header names accepted for the expected column.
const EXPECTED_HEADERS: [&str; 6] = ["expected", "new", "target", "to", "new_url", "target_url"];

/// Parses the list named `list` (for messages). A first line whose cells
/// include a known source header makes it a CSV; otherwise each non-blank,
/// non-`#` line is a URL (a second comma- or tab-separated cell, if any, is
/// the expected URL).
pub fn parse_list(list: &str, text: &str) -> Result<ParsedList, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .unwrap_or_default();
    let header = split_cells(first);
    let lower: Vec<String> = header
        .iter()
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let find = |names: &[&str]| names.iter().find_map(|n| lower.iter().position(|c| c == n));
    match find(&SOURCE_HEADERS) {
        Some(source) => {
            let expected = find(&EXPECTED_HEADERS);
            let columns = match expected {
                Some(e) => format!(
                    "'{}' as URL, '{}' as expected",
                    header[source].trim(),
                    header[e].trim()
                ),
                None => format!("'{}' as URL", header[source].trim()),
            };
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .comment(Some(b'#'))
                .delimiter(if first.contains('\t') && !first.contains(',') {
                    b'\t'
                } else {
                    b','
                })
                .from_reader(text.as_bytes());
            let mut entries = Vec::new();
            for record in reader.records() {
                let record = record.map_err(|source| Error::ReadList {
                    list: list.to_owned(),
                    source,
                })?;
                let line = record.position().map_or(0, |p| p.line() as usize);
                let url = record.get(source).unwrap_or_default().trim();
                if url.is_empty() {
                    continue;
                }
                let expected = expected
                    .and_then(|e| record.get(e))
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(str::to_owned);
                entries.push(ListEntry {
                    line,
                    url: url.to_owned(),
                    expected,
                });
            }
            Ok(ParsedList { entries, columns })
        }
        None => {
            let mut entries = Vec::new();
            for (index, raw) in text.lines().enumerate() {
                let line = raw.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let cells = split_cells(line);
                entries.push(ListEntry {
                    line: index + 1,
                    url: cells[0].trim().to_owned(),
                    expected: cells
                        .get(1)
                        .map(|c| c.trim().to_owned())
                        .filter(|c| !c.is_empty()),
                });
            }
            let columns = if entries.iter().any(|e| e.expected.is_some()) {
                "first cell as URL, second as expected".to_owned()
            } else {
                "one URL per line".to_owned()
            };
            Ok(ParsedList { entries, columns })
        }
    }
}

fn split_cells(line: &str) -> Vec<&str> {
    if line.contains('\t') {
        line.split('\t').collect()
    } else if line.contains(',') {
        line.split(',').collect()
    } else {
        vec![line]
    }
}

impl ParsedList {
    /// What each line expects, URLs normalised (or why they cannot be).
    pub fn expectations(&self) -> Vec<Expectation> {
        self.entries.iter().map(expectation).collect()
    }
}

/// The URLs to fetch for `expectations`: each line's URL and its expected
/// URL too, since `expected-target-error` needs the expected URL's own
/// answer even when no redirect reaches it.
pub fn list_seeds(expectations: &[Expectation]) -> Vec<Seed> {
    expectations
        .iter()
        .flat_map(|exp| [Some(&exp.url), exp.expected.as_ref()])
        .flatten()
        .flatten()
        .map(|url| Seed {
            url: url.clone(),
            discovery: Discovery::Seed,
        })
        .collect()
}

/// The list's file stem, made safe for a folder name (`stdin` for `-`).
pub fn list_name(list: &str) -> String {
    let stem = if list == "-" {
        "stdin".to_owned()
    } else {
        Path::new(list)
            .file_stem()
            .map_or_else(|| "list".to_owned(), |s| s.to_string_lossy().into_owned())
    };
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn normalized(raw: &str) -> Result<String, String> {
    let url = Url::parse(raw).map_err(|e| e.to_string())?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("'{}:' is not http or https", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("no host".to_owned());
    }
    Ok(normalize_url(url).to_string())
}

fn expectation(entry: &ListEntry) -> Expectation {
    Expectation {
        line: entry.line,
        raw_url: entry.url.clone(),
        url: normalized(&entry.url),
        raw_expected: entry.expected.clone(),
        expected: entry.expected.as_deref().map(normalized),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lists_skip_blanks_and_comments() {
        let list = parse_list(
            "list",
            "# old site\nhttps://a.test/x\n\n  https://a.test/y  \n",
        )
        .unwrap();
        assert_eq!(list.columns, "one URL per line");
        assert_eq!(
            list.entries,
            vec![
                ListEntry {
                    line: 2,
                    url: "https://a.test/x".into(),
                    expected: None
                },
                ListEntry {
                    line: 4,
                    url: "https://a.test/y".into(),
                    expected: None
                },
            ]
        );
    }

    #[test]
    fn csv_headers_in_common_forms() {
        for (header, columns) in [
            ("url,expected", "'url' as URL, 'expected' as expected"),
            ("Old,New", "'Old' as URL, 'New' as expected"),
            ("source,target", "'source' as URL, 'target' as expected"),
            ("expected,url", "'url' as URL, 'expected' as expected"),
        ] {
            let text = format!("{header}\nhttps://a.test/1,https://b.test/1\n");
            let list = parse_list("list", &text).unwrap();
            assert_eq!(list.columns, columns);
            let e = &list.entries[0];
            assert_eq!(e.line, 2);
            let (url, expected) = if header.starts_with("expected") {
                ("https://b.test/1", "https://a.test/1")
            } else {
                ("https://a.test/1", "https://b.test/1")
            };
            assert_eq!(
                (e.url.as_str(), e.expected.as_deref()),
                (url, Some(expected))
            );
        }
    }

    #[test]
    fn headerless_pairs_and_bad_lines_are_kept_for_reporting() {
        let list = parse_list("list", "https://a.test/1,https://b.test/1\nnot a url\n").unwrap();
        assert_eq!(list.entries.len(), 2);
        assert_eq!(list.entries[1].url, "not a url");
        assert_eq!(list.entries[1].line, 2);
    }

    #[test]
    fn expectations_and_seeds_cover_both_columns() {
        let list = parse_list(
            "list",
            "old,new\nhttps://A.test/1,https://b.test/1\nftp://a.test/2,\n",
        )
        .unwrap();
        let expectations = list.expectations();
        assert_eq!(expectations[0].url.as_deref(), Ok("https://a.test/1"));
        assert_eq!(
            expectations[1].url,
            Err("'ftp:' is not http or https".to_owned())
        );
        let seeds: Vec<_> = list_seeds(&expectations)
            .into_iter()
            .map(|s| s.url)
            .collect();
        assert_eq!(seeds, ["https://a.test/1", "https://b.test/1"]);
    }

    #[test]
    fn list_names_are_safe_folder_names() {
        assert_eq!(list_name("-"), "stdin");
        assert_eq!(list_name("maps/old site.csv"), "old_site");
        assert_eq!(list_name("2026 map.v2.csv"), "2026_map.v2");
    }
}
