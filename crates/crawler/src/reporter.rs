//! Progress events for a front end (the CLI draws them with indicatif).

use model::PageRecord;

/// Receives progress events from the crawl's single coordinating task, in
/// order. Implementations must be cheap: they run on the crawl's hot path.
pub trait Reporter: Send + Sync {
    /// A URL was queued; `discovered` is the running total.
    fn discovered(&self, discovered: u64) {
        let _ = discovered;
    }
    /// A URL was fetched (or deliberately not fetched).
    fn fetched(&self, page: &PageRecord) {
        let _ = page;
    }
}

/// A reporter that ignores every event.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoReporter;

impl Reporter for NoReporter {}
