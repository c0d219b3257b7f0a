//! Why a crawl was cut short: the one place that hears of every limit hit
//! (`--max-urls`, `--max-depth`, the deadline, the per-pattern cap, the
//! error-rate safeguard) and of a stop request, and decides how the audit
//! ended.

use std::collections::BTreeSet;

use model::{AuditEnd, Truncation};

/// The limits a crawl hit so far, and whether it was interrupted.
#[derive(Debug, Default)]
pub(crate) struct Truncations {
    /// A set: each limit is named once, in a fixed order, however often and
    /// wherever it was hit.
    limits: BTreeSet<Truncation>,
    interrupted: bool,
}

/// What a worker's page ran into while its links were followed.
#[derive(Debug, Default)]
pub(crate) struct PageLimits {
    /// Links deeper than `--max-depth` were skipped.
    pub too_deep: bool,
    /// Links were skipped by the per-pattern cap.
    pub pattern_capped: bool,
    /// Links were skipped by `--max-urls`.
    pub max_urls: bool,
}

impl Truncations {
    /// `limit` kept URLs from being fetched.
    pub(crate) fn hit(&mut self, limit: Truncation) {
        self.limits.insert(limit);
    }

    /// The limits one page's links ran into.
    pub(crate) fn page(&mut self, page: &PageLimits) {
        let flags = [
            (page.too_deep, Truncation::MaxDepth),
            (page.pattern_capped, Truncation::PathPattern),
            (page.max_urls, Truncation::MaxUrls),
        ];
        for (hit, limit) in flags {
            if hit {
                self.hit(limit);
            }
        }
    }

    /// The user asked the crawl to stop.
    pub(crate) fn interrupt(&mut self) {
        self.interrupted = true;
    }

    /// Whether the user asked the crawl to stop.
    pub(crate) fn interrupted(&self) -> bool {
        self.interrupted
    }

    /// How the audit ended: an interruption outranks the limits (the crawl
    /// would have gone on), and no limit hit means it completed.
    pub(crate) fn end(self) -> AuditEnd {
        if self.interrupted {
            AuditEnd::Interrupted
        } else if self.limits.is_empty() {
            AuditEnd::Completed
        } else {
            AuditEnd::Truncated {
                limits: self.limits.into_iter().collect(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_named_once_in_order_and_an_interruption_outranks_them() {
        assert_eq!(Truncations::default().end(), AuditEnd::Completed);

        let mut cut = Truncations::default();
        cut.hit(Truncation::ErrorRate);
        cut.page(&PageLimits {
            too_deep: true,
            pattern_capped: false,
            max_urls: true,
        });
        cut.hit(Truncation::MaxUrls);
        assert_eq!(
            cut.end(),
            AuditEnd::Truncated {
                limits: vec![
                    Truncation::MaxUrls,
                    Truncation::MaxDepth,
                    Truncation::ErrorRate
                ]
            }
        );

        let mut stopped = Truncations::default();
        stopped.hit(Truncation::Deadline);
        stopped.interrupt();
        assert!(stopped.interrupted());
        assert_eq!(stopped.end(), AuditEnd::Interrupted);
    }
}
