//! The progress bar: an indicatif bar on stderr, only when stderr is a
//! terminal and neither --quiet nor -v is given.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use model::PageRecord;

/// Draws crawl progress: URLs done / discovered, requests per second, errors.
pub struct Progress {
    bar: Option<ProgressBar>,
    errors: AtomicU64,
}

impl Progress {
    /// A bar when `enabled` and stderr is a terminal; otherwise nothing.
    pub fn new(enabled: bool) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} URLs  {per_sec}  {msg}",
                )
                .expect("static template is valid"),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Self {
            bar,
            errors: AtomicU64::new(0),
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl crawler::Reporter for Progress {
    fn discovered(&self, discovered: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(discovered);
        }
    }

    fn fetched(&self, page: &PageRecord) {
        let Some(bar) = &self.bar else { return };
        let failed =
            page.response.status.is_none() || page.response.status.is_some_and(|s| s >= 400);
        if failed {
            let errors = self.errors.fetch_add(1, Ordering::Relaxed) + 1;
            bar.set_message(format!("{errors} errors"));
        }
        bar.inc(1);
    }
}

impl pipeline::Reporter for Progress {
    fn crawl_finished(&self) {
        self.finish();
    }
}
