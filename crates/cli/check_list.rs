//! The input of `redirect-audit check`: URLs one per line, or a CSV
//! migration map with a header naming the source and expected columns.

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

/// Parses the list. A first line whose cells include a known source header
/// makes it a CSV; otherwise each non-blank, non-`#` line is a URL (a second
/// comma- or tab-separated cell, if any, is the expected URL).
pub fn parse_list(text: &str) -> Result<ParsedList, String> {
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
                let record = record.map_err(|e| format!("cannot read the CSV: {e}"))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lists_skip_blanks_and_comments() {
        let list = parse_list("# old site\nhttps://a.test/x\n\n  https://a.test/y  \n").unwrap();
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
            let list = parse_list(&text).unwrap();
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
        let list = parse_list("https://a.test/1,https://b.test/1\nnot a url\n").unwrap();
        assert_eq!(list.entries.len(), 2);
        assert_eq!(list.entries[1].url, "not a url");
        assert_eq!(list.entries[1].line, 2);
    }
}
