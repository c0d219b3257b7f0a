//! Ctrl-C and SIGTERM: the first asks the audit to stop and save what it
//! has; a second one exits at once.

/// Completes on the first SIGINT or SIGTERM. After that, a second signal
/// exits the process immediately with code 130 (128 + SIGINT).
pub async fn first_stop_signal() {
    wait_for_signal().await;
    tokio::spawn(async {
        wait_for_signal().await;
        std::process::exit(130);
    });
}

#[cfg(unix)]
async fn wait_for_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut term) = signal(SignalKind::terminate()) else {
        let _ = tokio::signal::ctrl_c().await;
        return;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
