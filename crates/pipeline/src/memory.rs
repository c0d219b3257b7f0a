//! Resident memory in the logs, for the memory tests and for users sizing
//! a machine.

/// Logs (at `info`) the process's resident memory now and at its peak so
/// far (Linux `VmRSS`, `VmHWM`); nothing where /proc is not available.
pub(crate) fn log_memory(stage: &str) {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    let kib = |field: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    if let (Some(rss), Some(peak)) = (kib("VmRSS:"), kib("VmHWM:")) {
        tracing::info!(rss_kib = rss, peak_rss_kib = peak, "{stage}");
    }
}
