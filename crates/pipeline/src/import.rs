//! `history import`: an earlier audit folder loaded into history, as the
//! audit that wrote it would have recorded it.

use std::path::Path;

use history::{AuditId, AuditRecord, AuditStatus, HistoryStore};
use jiff::Timestamp;
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
    store: &mut HistoryStore,
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
    let observations = report::observations_from_hops(&rows, started_at, |url| {
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
            path: store.path().to_path_buf(),
            source: Box::new(source),
        })?;
    Ok(ImportedAudit {
        id,
        started_at,
        observations: observations.len(),
    })
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
        let mut store = HistoryStore::open(&dir.path().join("history.sqlite")).unwrap();
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
