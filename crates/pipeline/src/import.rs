//! `history import`: an earlier audit folder loaded into history, as the
//! audit that wrote it would have recorded it.

use std::collections::BTreeMap;
use std::path::Path;

use history::{AuditId, AuditRecord, AuditStatus, History};
use jiff::Timestamp;
use model::Observation;
use url::Url;

use crate::Error;

/// What [`import_audit`] recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedAudit {
    /// The new audit's id in the history.
    pub id: AuditId,
    /// When the imported audit ran.
    pub started_at: Timestamp,
    /// Observations recorded.
    pub observations: usize,
}

/// Loads the audit folder `dir` (its `hops.csv`, and the time and start URL
/// from its `summary.json`, or `at`) into `store` as a completed audit.
/// Every redirecting hop of the audited site is observed, intermediate hops
/// included, as a live audit would; third parties' redirects are not.
pub fn import_audit(
    store: &mut History,
    dir: &Path,
    at: Option<Timestamp>,
) -> Result<ImportedAudit, Error> {
    let hops_path = dir.join(report::HOPS_CSV);
    let rows = report::read_hops_csv(&hops_path).map_err(|source| Error::ImportRead {
        path: hops_path.clone(),
        source,
    })?;
    let summary = report::read_summary_json(&dir.join(report::SUMMARY_JSON)).ok();
    let started_at = match (at, &summary) {
        (Some(at), _) => at,
        (None, Some(summary)) => summary.started_at,
        (None, None) => {
            return Err(Error::ImportTime {
                dir: dir.to_path_buf(),
            });
        }
    };
    let Some(first) = rows.first() else {
        return Err(Error::ImportEmpty { path: hops_path });
    };
    let start_url = summary
        .as_ref()
        .map_or_else(|| first.chain_start.clone(), |s| s.start_url.clone());
    let start = Url::parse(&start_url).map_err(|_| Error::ImportSite {
        url: start_url.clone(),
    })?;
    let scope = crawler::Scope::site_of(&start);
    let observations = observations_from_hops(&rows, started_at, |url| {
        Url::parse(url).is_ok_and(|u| scope.contains(&u))
    });
    let record = AuditRecord {
        site: start.origin().ascii_serialization(),
        start_url,
        started_at,
        ended_at: started_at,
        status: AuditStatus::Completed,
        settings_json: serde_json::json!({ "imported_from": dir }).to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let id = store
        .record_audit(&record, &observations)
        .map_err(|source| Error::RecordHistory {
            path: store.location().to_string().into(),
            source: Box::new(source),
        })?;
    Ok(ImportedAudit {
        id,
        started_at,
        observations: observations.len(),
    })
}

/// The observations an audit that wrote `rows` would have made at
/// `audited_at`: one per chain start, and one per redirecting hop of the
/// audited site (`of_site` says which URLs are), wherever it sits in a chain,
/// each with the chain from that hop onwards. A hop shared by several chains
/// is observed once. Sorted by URL.
fn observations_from_hops(
    rows: &[report::HopRow],
    audited_at: Timestamp,
    of_site: impl Fn(&str) -> bool,
) -> Vec<Observation> {
    let mut chains: BTreeMap<&str, Vec<&report::HopRow>> = BTreeMap::new();
    for row in rows {
        chains
            .entry(row.chain_start.as_str())
            .or_default()
            .push(row);
    }
    let mut by_url: BTreeMap<&str, Observation> = BTreeMap::new();
    for hops in chains.values_mut() {
        hops.sort_by_key(|h| h.hop);
        for (i, hop) in hops.iter().enumerate() {
            let redirected = hop
                .status
                .is_some_and(|s| model::is_redirect_status(s, hop.location_count > 0));
            let observed = i == 0 || (redirected && of_site(&hop.url));
            if observed && !by_url.contains_key(hop.url.as_str()) {
                by_url.insert(&hop.url, observe(&hops[i..], redirected, audited_at));
            }
        }
    }
    by_url.into_values().collect()
}

fn observe(hops: &[&report::HopRow], redirected: bool, audited_at: Timestamp) -> Observation {
    let first = hops[0];
    let last = hops[hops.len() - 1];
    Observation {
        audited_at,
        url: first.url.clone(),
        first_status: first.status,
        hop_statuses: hops.iter().map(|h| h.status).collect(),
        raw_location: redirected
            .then(|| first.locations().into_iter().next())
            .flatten(),
        target: (redirected && !first.target.is_empty()).then(|| first.target.clone()),
        final_url: Some(last.url.clone()),
        final_status: last.status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `hops.csv` with only its header, as an audit without redirects
    /// writes it.
    fn header_only_hops(dir: &Path) {
        let crawl = model::CrawlOutput {
            start_url: "https://example.com/".to_owned(),
            pages: Vec::new().into(),
            chains: Vec::new(),
            links: Vec::new(),
            referrers: Vec::new(),
            end: model::AuditEnd::Completed,
            stats: model::CrawlStats::default(),
        };
        let mut bytes = Vec::new();
        report::write_hops_csv(
            &mut bytes,
            &crawl,
            &std::collections::HashMap::<String, String>::new(),
        )
        .unwrap();
        std::fs::write(dir.join(report::HOPS_CSV), bytes).unwrap();
    }

    #[test]
    fn a_folder_without_time_or_hops_is_a_clear_error_and_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = History::Sqlite(
            history::HistoryStore::open(&dir.path().join("history.sqlite")).unwrap(),
        );
        header_only_hops(dir.path());
        let error = import_audit(&mut store, dir.path(), None).unwrap_err();
        assert!(matches!(error, Error::ImportTime { .. }), "{error}");
        assert!(
            error
                .to_string()
                .contains("give the audit's time with --at")
        );
        let at = "2026-01-01T00:00:00Z".parse().unwrap();
        let error = import_audit(&mut store, dir.path(), Some(at)).unwrap_err();
        assert!(matches!(error, Error::ImportEmpty { .. }), "{error}");
        assert!(store.list_audits().unwrap().is_empty());
    }
}

#[cfg(test)]
mod hop_tests {
    use model::Hop;
    use report::HopRow;

    use super::*;

    fn hop(url: &str, status: u16, location: Option<&str>) -> Hop {
        Hop {
            url: url.to_owned(),
            status: Some(status),
            locations: location.map(model::RawValue::from).into_iter().collect(),
            target: location.map(str::to_owned),
            ..Hop::default()
        }
    }

    /// The `hops.csv` rows of one chain, as far as import reads them.
    fn chain(start: &str, hops: &[Hop]) -> Vec<HopRow> {
        hops.iter()
            .enumerate()
            .map(|(i, h)| HopRow {
                chain_start: start.to_owned(),
                hop: i,
                url: h.url.clone(),
                status: h.status,
                location: h
                    .locations
                    .first()
                    .map(model::RawValue::escaped)
                    .unwrap_or_default(),
                location_count: h.locations.len(),
                target: h.target.clone().unwrap_or_default(),
                ..HopRow::default()
            })
            .collect()
    }

    /// Issue 13: an import back-fills intermediate hops, not only chain
    /// starts, and leaves third-party redirects out.
    #[test]
    fn every_redirecting_hop_of_the_site_is_observed_once() {
        let a = hop("https://s.test/a", 301, Some("https://s.test/b"));
        let b = hop("https://s.test/b", 302, Some("https://s.test/c"));
        let c = hop("https://s.test/c", 200, None);
        let x = hop("https://s.test/x", 301, Some("https://other.test/y"));
        let y = hop("https://other.test/y", 302, Some("https://other.test/z"));
        let z = hop("https://other.test/z", 200, None);
        let mut rows = chain("https://s.test/a", &[a, b.clone(), c.clone()]);
        rows.extend(chain("https://s.test/b", &[b, c]));
        rows.extend(chain("https://s.test/x", &[x, y, z]));
        let at: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let observed = observations_from_hops(&rows, at, |u| u.starts_with("https://s.test/"));
        let summary: Vec<_> = observed
            .iter()
            .map(|o| (o.url.as_str(), o.hop_statuses.clone(), o.target.as_deref()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (
                    "https://s.test/a",
                    vec![Some(301), Some(302), Some(200)],
                    Some("https://s.test/b")
                ),
                (
                    "https://s.test/b",
                    vec![Some(302), Some(200)],
                    Some("https://s.test/c")
                ),
                (
                    "https://s.test/x",
                    vec![Some(301), Some(302), Some(200)],
                    Some("https://other.test/y")
                ),
            ]
        );
        assert!(observed.iter().all(|o| o.audited_at == at));
        assert_eq!(
            observed[1].raw_location.as_deref(),
            Some("https://s.test/c")
        );
    }
}
