//! What the user sees: the summary on stdout, messages on stderr, both
//! silenced by --quiet.

use std::io::IsTerminal;

/// Output preferences from the global flags.
#[derive(Clone, Copy, Debug)]
pub struct Ui {
    /// --quiet.
    pub quiet: bool,
    /// -v count.
    pub verbose: u8,
}

impl Ui {
    /// The progress bar is drawn unless --quiet or -v (logs would tear it).
    pub fn progress_enabled(self) -> bool {
        !self.quiet && self.verbose == 0
    }

    /// Terminal summary style.
    pub fn style(self) -> report::Style {
        report::Style {
            color: color_allowed(std::io::stdout().is_terminal()),
        }
    }

    /// Prints the end-of-audit summary on stdout.
    pub fn summary(self, text: &str) {
        if !self.quiet {
            use std::io::Write as _;
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
        }
    }

    /// Prints a line for people on stderr.
    pub fn note(self, text: &str) {
        if !self.quiet {
            #[expect(clippy::print_stderr, reason = "messages for people go to stderr")]
            {
                eprintln!("{text}");
            }
        }
    }
}

/// Colour only for a person at a terminal, and never with `NO_COLOR` set
/// (no-color.org): the summary on stdout and the logs on stderr both ask.
pub fn color_allowed(to_terminal: bool) -> bool {
    to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
