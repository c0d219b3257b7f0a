//! Starts a real, throwaway PostgreSQL server for tests: `initdb` and
//! `pg_ctl` into a temporary folder, listening on a free port of 127.0.0.1
//! (and on a unix socket inside that folder), stopped when dropped.
//!
//! PostgreSQL refuses to run as root ("root execution of the PostgreSQL
//! server is not permitted"), so when the tests run as root the server runs
//! as the `postgres` user the Debian package creates, through `runuser`.
//! Anything missing (binaries, that user) is an [`Error`] that says what to
//! install: tests that need the server fail with it, never skip.
//!
//! [`shared`] gives one server per test binary and [`Server::fresh_database`]
//! a new database per test, so a suite pays `initdb` once.
#![deny(missing_docs)]

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Why a server could not be started.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No PostgreSQL server binaries were found.
    #[error(
        "PostgreSQL is not installed: no initdb in /usr/lib/postgresql/*/bin or on PATH \
         (install the Debian package `postgresql`; .ci/run does)"
    )]
    NotInstalled,
    /// The tests run as root and there is no unprivileged user to run the
    /// server as.
    #[error(
        "running as root, but there is no `postgres` user to run PostgreSQL as \
         (PostgreSQL refuses to run as root; the Debian package `postgresql` creates the user)"
    )]
    NoUser,
    /// A command (initdb, pg_ctl, chown …) could not run or failed.
    #[error("{command} failed: {detail}")]
    Command {
        /// The command line.
        command: String,
        /// Its exit status and output.
        detail: String,
    },
    /// The temporary folder could not be made.
    #[error("cannot create a temporary folder for PostgreSQL")]
    TempDir(#[source] std::io::Error),
    /// The server started but does not answer.
    #[error("cannot connect to the test PostgreSQL server")]
    Connect(#[source] postgres::Error),
}

/// A running PostgreSQL server, stopped (`pg_ctl stop -m immediate`) and
/// deleted when dropped.
#[derive(Debug)]
pub struct Server {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    run_as: Option<String>,
    next_db: AtomicUsize,
    durable: bool,
    /// The write end of the watchdog's standard input (see
    /// [`Server::watchdog`]).
    watchdog: Option<ChildStdin>,
    // Last: dropped after the server has been stopped.
    _dir: tempfile::TempDir,
}

/// The superuser created by `initdb`, with no password (trust on loopback).
pub const USER: &str = "audit";

impl Server {
    /// Creates a cluster in a new temporary folder and starts it on a free
    /// loopback port, with `fsync=off`: a test server's data need not
    /// survive a power cut, and tests run faster without the flushes.
    /// (A stopped server, `-m immediate`, still keeps every commit: the
    /// operating system has them.)
    pub fn start() -> Result<Self, Error> {
        Self::start_with(false)
    }

    /// [`Server::start`] with PostgreSQL's durable defaults (`fsync=on`):
    /// for benchmarks that compare with a store that flushes its commits.
    pub fn start_durable() -> Result<Self, Error> {
        Self::start_with(true)
    }

    fn start_with(durable: bool) -> Result<Self, Error> {
        let bin = find_bin()?;
        let run_as = if is_root() {
            if !Command::new("id")
                .arg("-u")
                .arg("postgres")
                .output()
                .is_ok_and(|o| o.status.success())
            {
                return Err(Error::NoUser);
            }
            Some("postgres".to_owned())
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("redirect-audit-pg")
            .tempdir()
            .map_err(Error::TempDir)?;
        if let Some(user) = &run_as {
            run(Command::new("chown").arg(user).arg(dir.path()))?;
        }
        let data = dir.path().join("data");
        let mut server = Self {
            bin,
            data,
            port: 0,
            run_as,
            next_db: AtomicUsize::new(0),
            durable,
            watchdog: None,
            _dir: dir,
        };
        run(server
            .command("initdb")
            .args(["-A", "trust", "-U", USER, "--no-sync", "-E", "UTF8", "-D"])
            .arg(&server.data))?;
        // A port is picked by binding port 0 and releasing it; another
        // process may take it in between, so a failed start is retried on a
        // new one.
        let mut last = None;
        for _ in 0..5 {
            server.port = free_port();
            match server.pg_ctl_start() {
                Ok(()) => {
                    server.watchdog = Some(server.watchdog()?);
                    return Ok(server);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(Error::NotInstalled))
    }

    fn pg_ctl_start(&self) -> Result<(), Error> {
        let socket_dir = self.socket_dir();
        let mut options = format!(
            "-c port={} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} \
             -c max_connections=200",
            self.port,
            socket_dir.display()
        );
        if !self.durable {
            options.push_str(" -c fsync=off -c full_page_writes=off");
        }
        run(self
            .command("pg_ctl")
            .arg("start")
            .arg("-w")
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(self.data.join("server.log"))
            .arg("-o")
            .arg(options))
    }

    /// Stops the server at once (`-m immediate`), as a crash or a pulled
    /// plug would: for tests of a server that goes away.
    pub fn stop(&self) -> Result<(), Error> {
        run(self
            .command("pg_ctl")
            .args(["stop", "-m", "immediate", "-D"])
            .arg(&self.data))
    }

    /// Starts a stopped server again on the same port.
    pub fn restart(&self) -> Result<(), Error> {
        self.pg_ctl_start()
    }

    /// `postgres://audit@127.0.0.1:PORT/DB`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates a new, empty database and returns its URL.
    pub fn fresh_database(&self) -> Result<String, Error> {
        let n = self.next_db.fetch_add(1, Ordering::Relaxed);
        let name = format!("t{}_{n}", std::process::id());
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .map_err(Error::Connect)?;
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(Error::Connect)?;
        Ok(self.url(&name))
    }

    /// A `sh` that waits for end-of-file on its standard input, then stops
    /// the server and deletes its folder. Only this process holds the write
    /// end (Rust opens pipes close-on-exec), so the server goes when the
    /// test binary exits however it exits: a `static` [`shared`] server is
    /// never dropped, and a killed test runs no destructor.
    fn watchdog(&self) -> Result<ChildStdin, Error> {
        let mut stop = self.command("pg_ctl");
        stop.args(["stop", "-m", "immediate", "-D"]).arg(&self.data);
        let stop_line = std::iter::once(stop.get_program()).chain(stop.get_args());
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"cat >/dev/null; dir=$1; shift; "$@" >/dev/null 2>&1; rm -rf "$dir""#)
            .arg("sh")
            .arg(self.socket_dir())
            .args(stop_line)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::Command {
                command: "sh (the server's watchdog)".to_owned(),
                detail: e.to_string(),
            })?;
        child.stdin.take().ok_or_else(|| Error::Command {
            command: "sh (the server's watchdog)".to_owned(),
            detail: "no standard input".to_owned(),
        })
    }

    fn socket_dir(&self) -> PathBuf {
        self.data
            .parent()
            .map_or_else(|| self.data.clone(), Path::to_path_buf)
    }

    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(program);
                command
            }
            None => Command::new(program),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// The one server of this test binary, started on first use. Its error is
/// kept, so every test that needs it fails with the same reason.
///
/// A `static` is never dropped: the server's watchdog stops it when the
/// test binary exits. Tests that stop their server start one of their own
/// with [`Server::start`].
pub fn shared() -> Result<&'static Server, String> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    SERVER
        .get_or_init(|| Server::start().map_err(|e| error_chain(&e)))
        .as_ref()
        .map_err(Clone::clone)
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// The highest-versioned `/usr/lib/postgresql/*/bin` with an `initdb`, or
/// the folder of the `initdb` on PATH.
fn find_bin() -> Result<PathBuf, Error> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .find(|dir| dir.join("initdb").exists())
        .ok_or(Error::NotInstalled)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map_or(0, |a| a.port())
}

fn run(command: &mut Command) -> Result<(), Error> {
    let line = format!("{command:?}");
    let output: Output = command.output().map_err(|e| Error::Command {
        command: line.clone(),
        detail: e.to_string(),
    })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Error::Command {
            command: line,
            detail: format!(
                "{}: {}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        })
    }
}
