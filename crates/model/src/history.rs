//! What earlier audits saw, as read from the history store before analysis,
//! and what changed since the previous audit.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What one audit saw one chain start URL answer.
///
/// Recorded for every chain start that redirected, and for every URL that
/// redirected in an earlier audit and answered without redirecting in this
/// one (so an audit that saw a `200` or a `301` can reset a temporary
/// redirect's age).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    /// The audit's clock when it started (`--now`).
    pub audited_at: Timestamp,
    /// The source URL (normalised).
    pub url: String,
    /// The first response's status; `None` when it failed.
    pub first_status: Option<u16>,
    /// Every hop's status, in order (`[302, 301, 200]`).
    pub hop_statuses: Vec<Option<u16>>,
    /// The first hop's raw Location, escaped (see [`crate::RawValue::escaped`]).
    pub raw_location: Option<String>,
    /// The first hop's resolved target.
    pub target: Option<String>,
    /// The chain's final URL.
    pub final_url: Option<String>,
    /// The chain's final status.
    pub final_status: Option<u16>,
}

impl Observation {
    /// `true` when the first hop is a 302, 303 or 307.
    pub fn is_temporary_redirect(&self) -> bool {
        self.first_status.is_some_and(crate::is_temporary_status)
    }

    /// `true` when the first hop is a redirect (see
    /// [`crate::is_redirect_status`]).
    pub fn is_redirect(&self) -> bool {
        self.first_status.is_some_and(|s| {
            crate::is_redirect_status(s, self.raw_location.is_some() || self.target.is_some())
        })
    }

    /// `true` when the first answer says nothing about the redirect: no
    /// response, a 429 or a 5xx (see [`crate::is_inconclusive_status`]).
    pub fn is_inconclusive(&self) -> bool {
        self.first_status.is_none_or(crate::is_inconclusive_status)
    }
}

/// Earlier completed audits' observations, oldest first per URL. Interrupted
/// audits are not included: they do not count as "seen as fixed".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorObservations {
    /// When the previous completed audit of this site ran, if any.
    pub previous_audit_at: Option<Timestamp>,
    /// Observations by source URL, oldest first.
    pub by_url: BTreeMap<String, Vec<Observation>>,
}

impl PriorObservations {
    /// Observations of `url` made by the previous completed audit.
    pub fn previous(&self, url: &str) -> Option<&Observation> {
        let at = self.previous_audit_at?;
        self.by_url
            .get(url)?
            .iter()
            .rev()
            .find(|o| o.audited_at == at)
    }

    /// What the previous completed audit saw of `url`, or, when that answer
    /// was inconclusive (no response, 429, 5xx: see
    /// [`Observation::is_inconclusive`]), the latest conclusive answer before
    /// it. `None` when the previous audit did not reach `url` or no audit up
    /// to it got a conclusive answer.
    pub fn previous_conclusive(&self, url: &str) -> Option<&Observation> {
        let at = self.previous_audit_at?;
        self.previous(url)?;
        self.by_url
            .get(url)?
            .iter()
            .filter(|o| o.audited_at <= at)
            .max_by_key(|o| (!o.is_inconclusive(), o.audited_at))
            .filter(|o| !o.is_inconclusive())
    }
}

/// What kind of change a row of `changes.csv` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Redirects now, did not in the previous audit (or was not seen).
    NewRedirect,
    /// Redirected in the previous audit, answers without redirecting now.
    RemovedRedirect,
    /// Temporary before, permanent now (302 → 301): fixed.
    MadePermanent,
    /// Permanent before, temporary now (301 → 302): regressed.
    MadeTemporary,
    /// Another redirect status change (e.g. 301 → 308).
    StatusChanged,
    /// Same source, different first-hop target.
    TargetChanged,
    /// The chain has more hops than before.
    ChainGrew,
    /// The chain has fewer hops than before.
    ChainShrank,
}

impl ChangeKind {
    /// Stable name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NewRedirect => "new-redirect",
            Self::RemovedRedirect => "removed-redirect",
            Self::MadePermanent => "made-permanent",
            Self::MadeTemporary => "made-temporary",
            Self::StatusChanged => "status-changed",
            Self::TargetChanged => "target-changed",
            Self::ChainGrew => "chain-grew",
            Self::ChainShrank => "chain-shrank",
        }
    }
}

/// One difference between the previous completed audit and this one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The source URL.
    pub url: String,
    /// What changed.
    pub kind: ChangeKind,
    /// The value before (`302 → 200`, a target URL …).
    pub before: String,
    /// The value now.
    pub after: String,
}
