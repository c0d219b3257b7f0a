//! Ctrl-C and SIGTERM: the first asks the audit to stop and save what it
//! has; a second one exits at once.

use crate::exit::ExitCode;
use crate::ui::Ui;

/// Completes on the first SIGINT or SIGTERM, after telling the user what
/// happens next. After that, a further signal exits the process immediately
/// with [`ExitCode::SecondSignal`].
///
/// One listener serves both: a signal that arrives while the first is being
/// handled is kept pending by the listener, never lost between two of them.
pub async fn first_stop_signal(ui: Ui) {
    let mut signals = StopSignals::new();
    signals.next().await;
    ui.note("stopping: writing what was seen so far (press Ctrl-C again to exit at once)");
    tokio::spawn(async move {
        signals.next().await;
        std::process::exit(ExitCode::SecondSignal as i32);
    });
}

/// SIGINT and SIGTERM, as one stream.
struct StopSignals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    int: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Self {
                term: signal(SignalKind::terminate()).ok(),
                int: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Self {}
    }

    #[cfg(unix)]
    async fn next(&mut self) {
        async fn recv(signal: Option<&mut tokio::signal::unix::Signal>) {
            match signal {
                Some(signal) => {
                    signal.recv().await;
                }
                None => std::future::pending().await,
            }
        }
        tokio::select! {
            () = recv(self.term.as_mut()) => {}
            () = recv(self.int.as_mut()) => {}
        }
    }

    #[cfg(not(unix))]
    async fn next(&mut self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
