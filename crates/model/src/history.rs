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

    /// `true` when any hop got no answer, a 429 or a 5xx: then the chain's
    /// length says nothing about the site.
    pub fn has_inconclusive_hop(&self) -> bool {
        self.hop_statuses
            .iter()
            .any(|s| s.is_none_or(crate::is_inconclusive_status))
    }

    /// Number of redirects in [`Observation::hop_statuses`]: every hop but
    /// the last was followed, so it redirected; the last one counts when its
    /// status is a redirect that can be followed without a Location (a chain
    /// cut there). See [`crate::is_redirect_status`].
    pub fn redirect_count(&self) -> usize {
        let n = self.hop_statuses.len();
        self.hop_statuses
            .iter()
            .enumerate()
            .filter(|(i, s)| matches!(s, Some(s) if crate::is_redirect_status(*s, i + 1 < n)))
            .count()
    }

    /// `302 → 301 → 200`, `-` for a hop without a response, as
    /// [`crate::Chain::status_path`] spells a crawled chain.
    pub fn status_path(&self) -> String {
        crate::status::status_path(self.hop_statuses.iter().copied())
    }

    /// `true` when the first hop points at `target`, fragments aside (see
    /// [`crate::without_fragment`]): a redirect that only changes its
    /// fragment still points at the same document.
    pub fn points_at(&self, target: &str) -> bool {
        self.target.as_deref().map(crate::without_fragment) == Some(crate::without_fragment(target))
    }

    /// `true` when both first hops point at the same target, fragments
    /// aside, or neither has one.
    pub fn same_target(&self, other: &Self) -> bool {
        match &other.target {
            Some(target) => self.points_at(target),
            None => self.target.is_none(),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(hops: &[Option<u16>], target: Option<&str>) -> Observation {
        Observation {
            audited_at: Timestamp::UNIX_EPOCH,
            url: "https://e.test/a".to_owned(),
            first_status: hops.first().copied().flatten(),
            hop_statuses: hops.to_vec(),
            raw_location: None,
            target: target.map(str::to_owned),
            final_url: None,
            final_status: hops.last().copied().flatten(),
        }
    }

    #[test]
    fn redirect_count_counts_followed_hops_and_a_last_one_cut_short() {
        let cases: &[(&[Option<u16>], usize)] = &[
            (&[Some(302), Some(301), Some(200)], 2),
            (&[Some(200)], 0),
            // Cut by the audit: the target was never fetched.
            (&[Some(301), None], 1),
            // A last 301 counts without a Location; a last 300 does not.
            (&[Some(301)], 1),
            (&[Some(300)], 0),
            (&[Some(300), Some(200)], 1),
        ];
        for (hops, expected) in cases {
            assert_eq!(observed(hops, None).redirect_count(), *expected, "{hops:?}");
        }
    }

    #[test]
    fn inconclusive_hops_and_status_path() {
        let cut = observed(&[Some(301), None], None);
        assert!(cut.has_inconclusive_hop());
        assert_eq!(cut.status_path(), "301 → -");
        let busy = observed(&[Some(301), Some(503)], None);
        assert!(busy.has_inconclusive_hop());
        let fine = observed(&[Some(302), Some(301), Some(200)], None);
        assert!(!fine.has_inconclusive_hop());
        assert_eq!(fine.status_path(), "302 → 301 → 200");
    }

    #[test]
    fn targets_are_compared_without_fragments() {
        let a = observed(&[Some(302)], Some("https://e.test/b#x"));
        let b = observed(&[Some(302)], Some("https://e.test/b"));
        let c = observed(&[Some(302)], Some("https://e.test/c"));
        let none = observed(&[Some(200)], None);
        assert!(a.same_target(&b) && b.same_target(&a));
        assert!(!a.same_target(&c));
        assert!(!a.same_target(&none) && !none.same_target(&a));
        assert!(none.same_target(&none));
        assert!(a.points_at("https://e.test/b#y"));
        assert!(!none.points_at("https://e.test/b"));
    }
}
