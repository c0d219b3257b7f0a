//! What the store keeps about one audit (its observations aside).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{Error, timestamp};

/// The store's id of a recorded audit. Ids are never reused, even after
/// [`crate::HistoryStore::prune`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AuditId(pub i64);

impl fmt::Display for AuditId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How an audit ended, as far as history is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditStatus {
    /// Every URL in scope was crawled.
    Completed,
    /// A limit (max URLs, depth, deadline …) cut the crawl short. What it
    /// reached is complete, so its observations count as evidence; URLs it
    /// did not reach simply have no observation.
    Truncated,
    /// Stopped by a signal or a crash. Recorded for the audit list, but its
    /// observations are never used as evidence (a URL it did not get to must
    /// not look "fixed").
    Interrupted,
}

impl AuditStatus {
    /// Stable name stored in the file and shown to people: `completed`,
    /// `truncated`, `interrupted`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Truncated => "truncated",
            Self::Interrupted => "interrupted",
        }
    }

    /// `true` when the audit's observations count as evidence in
    /// [`crate::HistoryStore::prior_observations`].
    pub fn is_evidence(self) -> bool {
        !matches!(self, Self::Interrupted)
    }
}

impl fmt::Display for AuditStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AuditStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "completed" => Ok(Self::Completed),
            "truncated" => Ok(Self::Truncated),
            "interrupted" => Ok(Self::Interrupted),
            other => Err(format!(
                "unknown audit status '{other}' (expected completed, truncated or interrupted)"
            )),
        }
    }
}

impl From<&model::AuditEnd> for AuditStatus {
    fn from(end: &model::AuditEnd) -> Self {
        match end {
            model::AuditEnd::Completed => Self::Completed,
            model::AuditEnd::Truncated { .. } => Self::Truncated,
            model::AuditEnd::Interrupted => Self::Interrupted,
        }
    }
}

/// One audit to record, without its observations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// The audited site, `scheme://host[:port]` of the start URL: prior
    /// observations are looked up by this key.
    pub site: String,
    /// The start URL as given.
    pub start_url: String,
    /// The audit clock when it started (`--now`). Every observation of the
    /// audit is stored with this time.
    pub started_at: Timestamp,
    /// When it ended.
    pub ended_at: Timestamp,
    /// How it ended.
    pub status: AuditStatus,
    /// The resolved settings, as a JSON document (`{}` when there are none).
    pub settings_json: String,
    /// The redirect-audit version that ran it.
    pub tool_version: String,
}

impl AuditRecord {
    /// What both stores check before they write anything: the settings
    /// are a JSON document ([`Error::InvalidSettings`]) and both times fit
    /// the stored text form ([`Error::TimestampOutOfRange`]). Returns the
    /// start and end times as stored; `location` (the file, or the
    /// database's URL without password) is what an error names.
    pub(crate) fn checked_times(&self, location: &Path) -> Result<(String, String), Error> {
        serde_json::from_str::<serde::de::IgnoredAny>(&self.settings_json).map_err(|source| {
            Error::InvalidSettings {
                path: location.to_path_buf(),
                source,
            }
        })?;
        let text = |timestamp| {
            timestamp::to_text(timestamp).ok_or_else(|| Error::TimestampOutOfRange {
                path: location.to_path_buf(),
                timestamp,
            })
        };
        Ok((text(self.started_at)?, text(self.ended_at)?))
    }
}

/// One line of the audit list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSummary {
    /// The store's id.
    pub id: AuditId,
    /// The audited site, `scheme://host[:port]`.
    pub site: String,
    /// The start URL.
    pub start_url: String,
    /// The audit clock when it started.
    pub started_at: Timestamp,
    /// When it ended.
    pub ended_at: Timestamp,
    /// How it ended.
    pub status: AuditStatus,
    /// Number of observations recorded with it.
    pub observations: u64,
}

/// The findings of an earlier audit, by rule and URL: what
/// `--fail-on-new` compares with (see
/// [`crate::HistoryStore::previous_findings`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviousFindings {
    /// The audit they come from.
    pub audit: AuditId,
    /// When that audit started.
    pub started_at: Timestamp,
    /// The URLs of its findings, by rule: looked up without building an
    /// owned key per finding.
    urls_by_rule: HashMap<String, HashSet<String>>,
}

impl PreviousFindings {
    /// The findings `(rule, url)` of `audit`, started at `started_at`.
    pub fn new(
        audit: AuditId,
        started_at: Timestamp,
        keys: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        let mut urls_by_rule: HashMap<String, HashSet<String>> = HashMap::new();
        for (rule, url) in keys {
            urls_by_rule.entry(rule).or_default().insert(url);
        }
        Self {
            audit,
            started_at,
            urls_by_rule,
        }
    }

    /// Whether that audit had a finding of `rule` for `url`.
    pub fn contains(&self, rule: &str, url: &str) -> bool {
        self.urls_by_rule
            .get(rule)
            .is_some_and(|urls| urls.contains(url))
    }

    /// How many findings that audit had.
    pub fn len(&self) -> usize {
        self.urls_by_rule.values().map(HashSet::len).sum()
    }

    /// Whether that audit had no findings.
    pub fn is_empty(&self) -> bool {
        self.urls_by_rule.is_empty()
    }
}
