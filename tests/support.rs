//! Shared helpers: a fixture site on its own runtime, the binary, CSV reading.

use std::collections::HashMap;
use std::path::Path;
use std::process::Output;

use testsite::{RunningSite, Site};

/// A fixture site served on 127.0.0.1:0 by a runtime that lives as long as
/// the value.
pub struct Served {
    pub site: RunningSite,
    _runtime: tokio::runtime::Runtime,
}

/// The runtime a [`Served`] site runs on.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

impl Served {
    /// Serves `fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let runtime = runtime();
        let site = runtime.block_on(async { Site::fixture(name).unwrap().serve().await.unwrap() });
        Self {
            site,
            _runtime: runtime,
        }
    }

    /// Serves a site described inline, in `site.toml` syntax
    /// (fixtures/README.md).
    pub fn toml(toml: &str) -> Self {
        let runtime = runtime();
        let site = runtime.block_on(async {
            Site::from_toml_str(toml, Path::new("."))
                .unwrap()
                .serve()
                .await
                .unwrap()
        });
        Self {
            site,
            _runtime: runtime,
        }
    }

    /// Stops this site and serves `fixtures/<name>` on the same address, so
    /// URLs (and the history key) stay the same: the site "changed".
    pub fn replace_with(self, name: &str) -> Self {
        let addr = self.site.addr();
        let Self {
            site,
            _runtime: runtime,
        } = self;
        let site = runtime.block_on(async move {
            site.shutdown().await;
            Site::fixture(name).unwrap().serve_on(addr).await.unwrap()
        });
        Self {
            site,
            _runtime: runtime,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        self.site.origin()
    }
}

/// The binary under test.
pub fn bin() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_redirect-audit"));
    cmd.env_remove("NO_COLOR")
        .env_remove("REDIRECT_AUDIT_HISTORY")
        .env("RUST_LOG", "off");
    cmd
}

/// Runs the binary with `args`.
pub fn run(args: &[&str], cwd: &Path) -> Output {
    bin().args(args).current_dir(cwd).output().unwrap()
}

/// A loopback port the system says is free (and nothing listens on once
/// this returns): for `demo --port`, which must keep one port across runs,
/// and for "nothing answers there".
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Flags that make a crawl of a local fixture fast and deterministic.
pub const FAST: [&str; 6] = ["--rate", "0", "--retries", "0", "--concurrency", "8"];

/// Reads a CSV file into header-keyed rows.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(str::to_owned)
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// stdout + stderr as text, for assertion messages.
pub fn text(output: &Output) -> String {
    format!(
        "status: {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The audits `history list` shows for the history file at `history`
/// (its rows, header excluded); the command itself must succeed.
pub fn listed_audits(history: &Path, cwd: &Path) -> Vec<String> {
    let list = run(
        &[
            "history",
            "list",
            "--all",
            "--history",
            history.to_str().unwrap(),
        ],
        cwd,
    );
    assert_eq!(list.status.code(), Some(0), "{}", text(&list));
    String::from_utf8_lossy(&list.stdout)
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}
