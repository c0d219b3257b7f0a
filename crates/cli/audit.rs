//! One audit for `crawl`, `check` and `demo`: the output flags applied to
//! the library's [`pipeline::AuditJob`], progress drawn, the summary
//! printed, the verdict mapped to an exit code. The audit itself is
//! [`pipeline::run`].

use anyhow::{Result, bail};
use pipeline::{AuditJob, Verdict};

use crate::args::OutputArgs;
use crate::exit::ExitCode;
use crate::progress::Progress;
use crate::settings::apply_output;
use crate::ui::Ui;

/// Runs `job` with the output, history, analysis and exit-code flags of
/// `output`, and decides the exit code.
pub async fn run_audit(mut job: AuditJob, output: &OutputArgs, ui: &Ui) -> Result<ExitCode> {
    apply_output(&mut job, output)?;
    job.style = ui.style();
    let progress = Progress::new(ui.progress_enabled());
    let outcome = pipeline::run(job, &progress, crate::signals::first_stop_signal(*ui)).await;
    // Also when the audit failed: the bar must not stay on the terminal.
    progress.finish();
    let outcome = outcome?;
    ui.summary(&outcome.summary);
    match outcome.verdict() {
        Verdict::Interrupted => bail!(
            "the audit was interrupted; the report in {} holds what was seen",
            outcome.report_dir.display()
        ),
        // A crawl whose start URL could not even be fetched is a runtime
        // error (exit 2), not an audit with one failing URL.
        Verdict::StartUnreachable(error) => bail!(
            "cannot reach START_URL {}: {}",
            outcome.start_url,
            model::escape_bytes(error.to_string().as_bytes())
        ),
        Verdict::Findings => Ok(ExitCode::Findings),
        Verdict::Clean => Ok(ExitCode::Clean),
    }
}
