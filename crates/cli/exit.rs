//! Exit codes, the contract with schedulers (documented in README).

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// The audit ran; nothing at or above `--fail-on`.
    Clean = 0,
    /// The audit ran; findings at or above `--fail-on` (new ones only with
    /// `--fail-on-new`).
    Findings = 1,
    /// Usage error, or the audit could not run or could not be saved.
    Error = 2,
    /// A second Ctrl-C or SIGTERM: the process exits at once (128 + SIGINT).
    SecondSignal = 130,
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        Self::from(code as u8)
    }
}
