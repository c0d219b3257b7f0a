//! The `redirect-audit` binary: argument parsing, logging, progress and exit
//! codes. Thin by design: the audit itself is [`pipeline::run`], and every
//! decision lives in a library.

mod args;
mod audit;
mod commands;
mod exit;
mod logs;
mod progress;
mod settings;
mod signals;
mod ui;

use clap::Parser;

/// mimalloc rather than the system allocator: a crawl allocates and frees
/// millions of short-lived strings (URLs, headers, references) from several
/// threads, and glibc's malloc was a fifth of the profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use crate::args::{Cli, Command};
use crate::exit::ExitCode;
use crate::ui::Ui;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let ui = Ui {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return fail(&anyhow::Error::new(error).context("cannot start the async runtime"));
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Crawl(args) => commands::crawl::run(args, ui).await,
            Command::Check(args) => commands::check::run(args, ui).await,
            Command::Demo(args) => commands::demo::run(args, ui).await,
            Command::History(command) => commands::history::run(command, ui),
        }
    });
    // Do not wait for in-flight requests still owned by aborted tasks.
    runtime.shutdown_background();
    match result {
        Ok(code) => code.into(),
        Err(error) => fail(&error),
    }
}

fn fail(error: &anyhow::Error) -> std::process::ExitCode {
    #[expect(
        clippy::print_stderr,
        reason = "the one place the binary reports a fatal error"
    )]
    {
        eprintln!("error: {error:#}");
    }
    ExitCode::Error.into()
}

fn init_logging(verbose: u8) {
    if verbose == 0 {
        return;
    }
    let level = if verbose == 1 { "info" } else { "debug" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(format!(
            "warn,redirect_audit={level},redirect_audit_crawler={level}"
        ))
    });
    let ansi = ui::color_allowed(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .init();
}
