//! The report files that depend on the crawl alone, written on a second
//! thread while analysis runs.

use std::collections::HashMap;

use jiff::Timestamp;
use model::{AccessLogFacts, CrawlOutput, PriorObservations};
use report::{GooglebotCells, RedirectExtras, ReportWriter};

use crate::Error;

/// The redirect classes of each hop, by hop URL (as `hops.csv` names them).
pub(crate) type HopClasses<'a> = HashMap<&'a str, String>;

/// Writes redirects.csv (with classes, history dates and what the access
/// logs say), hops.csv and pages.csv. Returns the hop classes it worked
/// out, for report.html.
pub(crate) fn write_crawl_reports<'a>(
    writer: &ReportWriter,
    crawl: &'a CrawlOutput,
    prior: &PriorObservations,
    started_at: Timestamp,
    logs: Option<&AccessLogFacts>,
) -> Result<HopClasses<'a>, Error> {
    let hop_classes = analysis::hop_classes(crawl);
    let extras: HashMap<&str, RedirectExtras> = crawl
        .chains
        .iter()
        .map(|chain| {
            // Looked up once: the start's facts give both its columns.
            let start = logs.and_then(|l| l.for_url(&chain.start));
            let extras = RedirectExtras {
                classes: analysis::chain_classes(chain, &hop_classes),
                first_seen: Some(analysis::first_seen(chain, prior, started_at)),
                last_seen: Some(started_at),
                found_in_logs: start.is_some_and(|f| f.redirected_recently),
                googlebot: logs.map(|l| {
                    let source = start.map(|f| f.googlebot).unwrap_or_default();
                    GooglebotCells {
                        requests: source.requests,
                        last_seen: source.last_seen,
                        target_requests: if chain.end.followed_to_end() {
                            l.googlebot(&chain.last().url).requests
                        } else {
                            0
                        },
                        unverified_requests: source.unverified,
                    }
                }),
            };
            (chain.start.as_str(), extras)
        })
        .collect();
    let failed = |file| {
        move |source| Error::WriteReport {
            file,
            dir: writer.dir().to_path_buf(),
            source,
        }
    };
    writer
        .write_redirects(crawl, &extras)
        .map_err(failed(report::REDIRECTS_CSV))?;
    writer
        .write_hops(crawl, &hop_classes)
        .map_err(failed(report::HOPS_CSV))?;
    writer
        .write_pages(crawl)
        .map_err(failed(report::PAGES_CSV))?;
    Ok(hop_classes)
}
