//! The CSV files: writers generic over [`io::Write`], and the `hops.csv`
//! reader used by `history import`.
//!
//! RFC 4180: comma-separated, CRLF line ends, fields quoted only when they
//! hold a comma, a quote or a line break, quotes doubled. UTF-8 without a
//! byte-order mark. A header line is always written, also for no rows.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fs::File;
use std::hash::Hash;
use std::io;
use std::path::Path;

use model::{Change, CrawlOutput, Finding};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::rows::{self, Columns, FindingRow, HopRow, RedirectExtras};

/// A CSV writer that has written `R`'s header line.
fn csv_writer<W: io::Write, R: Columns>(out: W) -> io::Result<csv::Writer<W>> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(R::HEADERS)?;
    Ok(writer)
}

/// Writes `rows` under their header line.
fn write_rows<W: io::Write, R: Columns + Serialize>(out: W, rows: &[R]) -> io::Result<()> {
    let mut writer = csv_writer::<W, R>(out)?;
    for row in rows {
        writer.serialize(row)?;
    }
    writer.flush()
}

/// Writes `findings.csv`: one row per finding, most severe first.
pub fn write_findings_csv<W: io::Write>(out: W, findings: &[Finding]) -> io::Result<()> {
    write_finding_rows(out, |row| {
        rows::findings_in_order(findings)
            .into_iter()
            .try_for_each(row)
    })
}

/// Writes `findings.csv` with the findings `each` hands over, in order.
pub(crate) fn write_finding_rows<W: io::Write>(
    out: W,
    each: impl FnOnce(&mut dyn FnMut(&Finding) -> io::Result<()>) -> io::Result<()>,
) -> io::Result<()> {
    let mut writer = csv_writer::<W, FindingRow>(out)?;
    each(&mut |finding| Ok(writer.serialize(rows::finding_row(finding))?))?;
    writer.flush()
}

/// Writes `redirects.csv`: one row per chain, by URL. `extras` holds the
/// classes and history dates per chain start URL.
pub fn write_redirects_csv<W: io::Write, K: Borrow<str> + Eq + Hash>(
    out: W,
    crawl: &CrawlOutput,
    extras: &HashMap<K, RedirectExtras>,
) -> io::Result<()> {
    let mut writer = csv_writer::<W, rows::RedirectRow>(out)?;
    rows::for_each_redirect_row(crawl, extras, |row| writer.serialize(row))?;
    writer.flush()
}

/// Writes `hops.csv`: one row per hop of every chain, by chain start and
/// hop index. `classes` maps a hop URL to its redirect class.
pub fn write_hops_csv<W: io::Write, K: Borrow<str> + Eq + Hash>(
    out: W,
    crawl: &CrawlOutput,
    classes: &HashMap<K, String>,
) -> io::Result<()> {
    let mut writer = csv_writer::<W, HopRow>(out)?;
    for row in rows::hop_rows_in_order(crawl, classes) {
        writer.serialize(row)?;
    }
    writer.flush()
}

/// Writes `pages.csv`: one row per URL fetched or deliberately not fetched,
/// by URL.
pub fn write_pages_csv<W: io::Write>(out: W, crawl: &CrawlOutput) -> io::Result<()> {
    // One row at a time: a large crawl's records are read from disk in URL
    // order, never all in memory.
    let mut writer = csv_writer::<W, rows::PageRow>(out)?;
    let mut result = Ok(());
    crawl
        .pages
        .try_for_each_sorted(|page| {
            result = writer.serialize(rows::page_row(&page));
            result.is_ok()
        })
        .map_err(|e| io::Error::new(e.kind(), e))?;
    result?;
    writer.flush()
}

/// Writes `changes.csv`: one row per change since the previous audit.
pub fn write_changes_csv<W: io::Write>(out: W, changes: &[Change]) -> io::Result<()> {
    write_rows(out, &rows::change_rows(changes))
}

/// Columns [`read_hops_csv`] cannot do without. Other columns may be
/// missing (a `hops.csv` from an earlier version) or extra (a later one).
const REQUIRED_HOP_COLUMNS: &[&str] = &["chain_start", "hop", "url", "status", "location"];

/// Columns [`read_findings_csv`] cannot do without.
const REQUIRED_FINDING_COLUMNS: &[&str] = &["rule", "severity", "url"];

/// Reads the rows of a `hops.csv` written by this crate, neutralised cells
/// restored, in file order. Columns are matched by name; optional columns
/// missing from an older file read as empty.
pub fn read_hops_csv(path: &Path) -> Result<Vec<HopRow>, Error> {
    read_file::<LenientHopRow>(path, REQUIRED_HOP_COLUMNS)
        .map(|rows| rows.into_iter().map(HopRow::from).collect())
}

/// Reads the rows of a `findings.csv` written by this crate (for example
/// the previous audit's, to tell new findings from known ones), neutralised
/// cells restored, in file order.
pub fn read_findings_csv(path: &Path) -> Result<Vec<FindingRow>, Error> {
    read_file(path, REQUIRED_FINDING_COLUMNS)
}

fn read_file<T: DeserializeOwned>(path: &Path, required: &[&'static str]) -> Result<Vec<T>, Error> {
    let file = File::open(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    read_rows(file, required).map_err(|e| match e {
        ReadError::Csv(source) => Error::Csv {
            path: path.to_owned(),
            source,
        },
        ReadError::MissingColumn(column) => Error::MissingColumn {
            path: path.to_owned(),
            column,
        },
    })
}

/// Why [`read_rows`] failed, before a path is attached.
#[derive(Debug)]
pub(crate) enum ReadError {
    Csv(csv::Error),
    MissingColumn(&'static str),
}

/// Reads rows from any reader, after checking the `required` columns are
/// there. Columns are matched by name, so their order does not matter.
pub(crate) fn read_rows<T: DeserializeOwned, R: io::Read>(
    input: R,
    required: &[&'static str],
) -> Result<Vec<T>, ReadError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(input);
    let headers = reader.headers().map_err(ReadError::Csv)?.clone();
    if let Some(missing) = required.iter().find(|c| !headers.iter().any(|h| h == **c)) {
        return Err(ReadError::MissingColumn(missing));
    }
    reader
        .deserialize::<T>()
        .map(|row| row.map_err(ReadError::Csv))
        .collect()
}

/// [`HopRow`] with defaults for the optional columns.
#[derive(serde::Deserialize)]
struct LenientHopRow {
    #[serde(with = "crate::neutralize::text")]
    chain_start: String,
    hop: usize,
    #[serde(with = "crate::neutralize::text")]
    url: String,
    status: Option<u16>,
    #[serde(with = "crate::neutralize::text")]
    location: String,
    location_count: Option<usize>,
    #[serde(default, with = "crate::neutralize::text")]
    target: String,
    #[serde(default, with = "crate::neutralize::text")]
    class: String,
    #[serde(default)]
    elapsed_ms: Option<u64>,
    #[serde(default, with = "crate::neutralize::text")]
    error_kind: String,
    #[serde(default, with = "crate::neutralize::text")]
    error: String,
    #[serde(default, with = "crate::neutralize::text")]
    refresh: String,
    #[serde(default, with = "crate::neutralize::text")]
    cache_control: String,
    #[serde(default, with = "crate::neutralize::text")]
    expires: String,
    #[serde(default, with = "crate::neutralize::text")]
    content_type: String,
    #[serde(default)]
    attempts: Option<u32>,
}

impl From<LenientHopRow> for HopRow {
    fn from(r: LenientHopRow) -> Self {
        // Without the count column, an empty cell means no Location header.
        let location_count = r
            .location_count
            .unwrap_or(usize::from(!r.location.is_empty()));
        Self {
            chain_start: r.chain_start,
            hop: r.hop,
            url: r.url,
            status: r.status,
            location: r.location,
            location_count,
            target: r.target,
            class: r.class,
            elapsed_ms: r.elapsed_ms.unwrap_or(0),
            error_kind: r.error_kind,
            error: r.error,
            refresh: r.refresh,
            cache_control: r.cache_control,
            expires: r.expires,
            content_type: r.content_type,
            attempts: r.attempts.unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::{ChangeRow, FindingRow, PageRow, RedirectRow};
    use crate::test_data::{self, url};

    fn text(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Expected files are written with `\n` here; the files have CRLF.
    fn crlf(expected: &str) -> String {
        expected.replace('\n', "\r\n")
    }

    fn extras() -> HashMap<String, RedirectExtras> {
        let extra = RedirectExtras {
            classes: "relative-location; temporary-then-permanent".to_owned(),
            first_seen: Some("2026-10-15T00:00:00Z".parse().unwrap()),
            last_seen: Some("2026-11-24T23:53:37Z".parse().unwrap()),
            found_in_logs: true,
            googlebot: Some(crate::GooglebotCells {
                requests: 14,
                last_seen: Some("2026-11-20T06:01:02Z".parse().unwrap()),
                target_requests: 3,
                unverified_requests: 2,
            }),
        };
        HashMap::from([(url("/a"), extra)])
    }

    fn classes() -> HashMap<String, String> {
        HashMap::from([
            (url("/a"), "temporary".to_owned()),
            (url("/b"), "permanent".to_owned()),
        ])
    }

    fn all_files(crawl: &CrawlOutput, findings: &[Finding], changes: &[Change]) -> Vec<String> {
        vec![
            text(|w| write_findings_csv(w, findings)),
            text(|w| write_redirects_csv(w, crawl, &extras())),
            text(|w| write_hops_csv(w, crawl, &classes())),
            text(|w| write_pages_csv(w, crawl)),
            text(|w| write_changes_csv(w, changes)),
        ]
    }

    #[test]
    fn findings_csv_is_sorted_by_severity_then_rule_and_neutralised() {
        let expected = crlf(
            "rule,severity,url,message,status_chain,raw_location,resolved_target,probable_target,hops,final_url,first_seen,last_seen,age_days,audits_seen,linking_pages,sample_linking_page,detail,related,age_source
malformed-location,error,https://example.com/promo,Location 'http//example.com/sale' lacks the ':' after http,302 → 404,http//example.com/sale,https://example.com/http//example.com/sale,http://example.com/sale,1,https://example.com/http//example.com/sale,,,,,1,https://example.com/,,,
long-lived-temporary-redirect,warning,https://example.com/a,302 for 40 days; use a 301 if the move is permanent,302 → 301 → 200,,,,,,2026-10-15T00:00:00Z,2026-11-23T00:00:00Z,40,12,,,,,audits+access-log
redirect-chain,warning,https://example.com/a,\"2 redirects before the final page, \"\"one\"\" is enough\",,,,,2,https://example.com/c,,,,,,,,https://example.com/a | https://example.com/b | https://example.com/c,
linked-redirect,notice,https://example.com/old,1 page links to a redirect,,,,,,,,,,,1,https://example.com/,,,
suspicious-location,notice,https://example.com/b,'-2 characters would be read as a formula,,'=cmd|' /C calc'!A0,,,,,,,,,,,'@SUM(1),,
",
        );
        assert_eq!(
            text(|w| write_findings_csv(w, &test_data::findings())),
            expected
        );
    }

    #[test]
    fn redirects_csv_has_one_row_per_chain_with_inlinks_and_extras() {
        let expected = crlf(
            "url,first_status,hops,chain,final_url,final_status,end,redirect_kind,classes,inlinks,in_sitemap,first_seen,last_seen,found_in_logs,googlebot_requests,googlebot_last_seen,target_googlebot_requests,unverified_googlebot_requests
https://example.com/a,302,2,302 → 301 → 200,https://example.com/c,200,final,mixed,relative-location; temporary-then-permanent,2,true,2026-10-15T00:00:00Z,2026-11-24T23:53:37Z,true,14,2026-11-20,3,2
https://example.com/old,301,1,301 → 200,https://example.com/new,200,final,permanent,,1,false,,,false,,,,
https://example.com/promo,302,1,302 → 404,https://example.com/http//example.com/sale,404,final,temporary,,1,false,,,false,,,,
",
        );
        let crawl = test_data::crawl();
        assert_eq!(
            text(|w| write_redirects_csv(w, &crawl, &extras())),
            expected
        );
    }

    #[test]
    fn hops_csv_has_every_hop_of_every_chain_in_chain_order() {
        let expected = crlf(
            "chain_start,hop,url,status,location,location_count,target,class,elapsed_ms,error_kind,error,refresh,cache_control,expires,content_type,attempts
https://example.com/a,0,https://example.com/a,302,/b,1,https://example.com/b,temporary,11,,,,,,,1
https://example.com/a,1,https://example.com/b,301,/c | /d,2,https://example.com/c,permanent,10,,,,max-age=3600,,,1
https://example.com/a,2,https://example.com/c,200,,0,,,25,,,,,,text/html; charset=utf-8,1
https://example.com/old,0,https://example.com/old,301,/new,1,https://example.com/new,,15,,,,,,,1
https://example.com/old,1,https://example.com/new,200,,0,,,30,,,,,,text/html; charset=utf-8,1
https://example.com/promo,0,https://example.com/promo,302,http//example.com/sale,1,https://example.com/http//example.com/sale,,12,,,,,,,1
https://example.com/promo,1,https://example.com/http//example.com/sale,404,,0,,,9,,,,,,,1
",
        );
        let crawl = test_data::crawl();
        assert_eq!(text(|w| write_hops_csv(w, &crawl, &classes())), expected);
    }

    #[test]
    fn pages_csv_has_every_url_with_its_error() {
        let expected = crlf(
            "url,status,content_type,depth,discovery,found_on,in_scope,in_sitemap,elapsed_ms,error_kind,error,found_as
https://example.com/,200,text/html; charset=utf-8,0,seed,,true,true,120,,,https://example.com/
https://example.com/a,302,,1,sitemap,https://example.com/sitemap.xml,true,false,11,,,https://example.com/a#top
https://example.com/b,301,,1,redirect,https://example.com/a,true,false,10,,,https://example.com/b
https://example.com/c,200,text/html; charset=utf-8,1,redirect,https://example.com/b,true,false,25,,,https://example.com/c
https://example.com/http//example.com/sale,404,,1,redirect,https://example.com/promo,true,false,9,,,https://example.com/http//example.com/sale
https://example.com/new,200,text/html; charset=utf-8,1,redirect,https://example.com/old,true,false,30,,,https://example.com/new
https://example.com/old,301,,1,link,https://example.com/,true,false,15,,,https://example.com/old
https://example.com/private,,,1,link,https://example.com/,true,false,0,blocked-by-robots,disallowed by robots.txt,https://example.com/private
https://example.com/promo,302,,1,link,https://example.com/,true,false,12,,,https://example.com/promo
https://example.com/slow,,,1,link,https://example.com/,true,false,10000,timeout,no response within 10 s,https://example.com/slow
",
        );
        assert_eq!(text(|w| write_pages_csv(w, &test_data::crawl())), expected);
    }

    #[test]
    fn changes_csv_is_sorted_by_url_then_change() {
        let expected = crlf(
            "url,change,before,after
https://example.com/a,chain-grew,302 → 200,302 → 301 → 200
https://example.com/a,target-changed,https://example.com/b2,https://example.com/b
https://example.com/old,new-redirect,200,301 → 200
https://example.com/promo,made-temporary,301,302
",
        );
        assert_eq!(
            text(|w| write_changes_csv(w, &test_data::changes())),
            expected
        );
    }

    #[test]
    fn empty_inputs_still_write_the_header() {
        let mut crawl = test_data::crawl();
        crawl.pages.make_mut().clear();
        crawl.chains.clear();
        let files = all_files(&crawl, &[], &[]);
        let headers = [
            FindingRow::HEADERS,
            RedirectRow::HEADERS,
            HopRow::HEADERS,
            PageRow::HEADERS,
            ChangeRow::HEADERS,
        ];
        for (file, header) in files.iter().zip(headers) {
            assert_eq!(*file, format!("{}\r\n", header.join(",")));
        }
    }

    /// The header constants are the serde field names, in field order.
    #[test]
    fn headers_are_the_field_names() {
        fn serde_header<R: Serialize + Default>() -> String {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.serialize(R::default()).unwrap();
            let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
            out.lines().next().unwrap().to_owned()
        }
        assert_eq!(serde_header::<FindingRow>(), FindingRow::HEADERS.join(","));
        assert_eq!(
            serde_header::<RedirectRow>(),
            RedirectRow::HEADERS.join(",")
        );
        assert_eq!(serde_header::<HopRow>(), HopRow::HEADERS.join(","));
        assert_eq!(serde_header::<PageRow>(), PageRow::HEADERS.join(","));
        assert_eq!(serde_header::<ChangeRow>(), ChangeRow::HEADERS.join(","));
    }

    #[test]
    fn input_order_does_not_change_a_byte() {
        let crawl = test_data::crawl();
        let mut findings = test_data::findings();
        let mut changes = test_data::changes();
        let before = all_files(&crawl, &findings, &changes);
        findings.reverse();
        findings.rotate_left(2);
        changes.reverse();
        let after = all_files(&test_data::shuffled(crawl), &findings, &changes);
        assert_eq!(before, after);
    }

    /// Every file parses back as RFC 4180 with one field per column, and
    /// every row deserialises into its row type.
    #[test]
    fn every_file_parses_back() {
        fn parse<R: DeserializeOwned + Columns>(file: &str) -> Vec<R> {
            let mut reader = csv::Reader::from_reader(file.as_bytes());
            assert_eq!(reader.headers().unwrap(), R::HEADERS);
            reader.deserialize().map(Result::unwrap).collect()
        }
        let crawl = test_data::crawl();
        let findings = test_data::findings();
        let files = all_files(&crawl, &findings, &test_data::changes());
        let finding_rows: Vec<FindingRow> = parse(&files[0]);
        assert_eq!(finding_rows, rows::finding_rows(&findings));
        assert_eq!(
            parse::<RedirectRow>(&files[1]),
            rows::redirect_rows(&crawl, &extras())
        );
        assert_eq!(
            parse::<HopRow>(&files[2]),
            rows::hop_rows(&crawl, &classes())
        );
        assert_eq!(parse::<PageRow>(&files[3]), rows::page_rows(&crawl));
        assert_eq!(parse::<ChangeRow>(&files[4]).len(), 4);
        // Neutralised cells come back as they were.
        let formula = finding_rows
            .iter()
            .find(|r| r.rule == "suspicious-location")
            .unwrap();
        assert_eq!(formula.raw_location, "=cmd|' /C calc'!A0");
        assert_eq!(formula.message, "-2 characters would be read as a formula");
    }

    #[test]
    fn hops_round_trip_through_a_file_with_hostile_locations() {
        let mut crawl = test_data::crawl();
        let promo = &mut crawl.chains[1].hops[0];
        promo.locations = vec![
            model::RawValue::from("=HYPERLINK(\"http://evil/\",\"x\")"),
            model::RawValue::new(b"/caf\xe9\r\nX-Injected: 1 | y".to_vec()),
        ];
        promo.refresh = Some(model::RawValue::from("0; url=/a"));
        promo.error = Some(model::FetchError::new(model::FetchErrorKind::Other, "+odd"));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hops.csv");
        let mut file = File::create(&path).unwrap();
        write_hops_csv(&mut file, &crawl, &classes()).unwrap();
        drop(file);

        let read = read_hops_csv(&path).unwrap();
        assert_eq!(read, rows::hop_rows(&crawl, &classes()));
        let promo_row = read.iter().find(|r| r.url == url("/promo")).unwrap();
        assert_eq!(
            promo_row.locations(),
            [
                "=HYPERLINK(\"http://evil/\",\"x\")",
                "/caf\\xE9\\x0D\\x0AX-Injected: 1 | y"
            ]
        );
        assert_eq!(promo_row.error, "+odd");
        let raw = std::fs::read_to_string(&path).unwrap();
        assert!(raw.contains(",\"'=HYPERLINK(\"\"http://evil/\"\",\"\"x\"\") | /caf\\xE9\\x0D\\x0AX-Injected: 1 \\x7C y\",2,"), "{raw}");
    }

    #[test]
    fn reads_a_hops_csv_with_only_the_required_columns() {
        let file = "url,chain_start,hop,status,location\r\n\
                    https://e.com/a,https://e.com/a,0,301,/b\r\n\
                    https://e.com/b,https://e.com/a,1,,\r\n";
        let rows: Vec<HopRow> =
            read_rows::<LenientHopRow, _>(file.as_bytes(), REQUIRED_HOP_COLUMNS)
                .unwrap()
                .into_iter()
                .map(HopRow::from)
                .collect();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].status, rows[0].location_count), (Some(301), 1));
        assert_eq!((rows[1].status, rows[1].location_count), (None, 0));
    }

    #[test]
    fn a_hops_csv_without_a_required_column_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hops.csv");
        std::fs::write(&path, "url,status\r\nhttps://e.com/,200\r\n").unwrap();
        let err = read_hops_csv(&path).unwrap_err();
        assert!(
            matches!(
                err,
                Error::MissingColumn {
                    column: "chain_start",
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("{} has no 'chain_start' column", path.display())
        );

        std::fs::write(
            &path,
            "chain_start,hop,url,status,location\r\na,not-a-number,u,200,\r\n",
        )
        .unwrap();
        assert!(matches!(read_hops_csv(&path), Err(Error::Csv { .. })));
        let missing = dir.path().join("none.csv");
        assert!(matches!(read_hops_csv(&missing), Err(Error::Read { .. })));
    }

    #[test]
    fn findings_read_back_with_formulas_and_quotes_restored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("findings.csv");
        let mut findings = test_data::findings();
        findings[0].url = "'quoted-already".to_owned();
        let mut file = File::create(&path).unwrap();
        write_findings_csv(&mut file, &findings).unwrap();
        drop(file);
        let read = read_findings_csv(&path).unwrap();
        assert_eq!(read, rows::finding_rows(&findings));
        assert!(read.iter().any(|r| r.url == "'quoted-already"));

        std::fs::write(&path, "rule,severity,url\r\nr,error,https://e.com/\r\n").unwrap();
        let read = read_findings_csv(&path).unwrap();
        assert_eq!((read[0].rule.as_str(), read[0].message.as_str()), ("r", ""));
    }
}
